"""The to-do page of every role (`/app/todo`): what waits for the user, each line linking to
the page where it is done, and the user's own choice of instant mail or a daily digest. The
list is `api.services.todo`'s, the choice goes through `api.services.notifications`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.models import NotificationPreferenceUpdate, NotifyMode, utcnow
from api.services import notifications, todo
from api.services.errors import ServiceError
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.common import see_other
from api.web.render import render
from api.web.session import Csrf, PageUser

router = APIRouter(include_in_schema=False)


@router.get("/app/todo")
def todo_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    """The user's to-do list and mail choice."""
    context = {
        "items": todo.todo(session, user, utcnow().date()),
        "preference": notifications.preference_of(session, user),
        "modes": list(NotifyMode),
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
    }
    return render(request, "todo.html", context)


@router.post("/app/todo/notifications", dependencies=[Csrf])
def save_preference(session: SessionDep, user: PageUser, form: FormData = Form) -> Response:
    """Save how mail reaches the user; a value the choice does not know is refused, naming it."""
    try:
        body = NotificationPreferenceUpdate.model_validate(
            {"notify_mode": form.get("notify_mode"), "language": form.get("language")}
        )
        notifications.set_preference(session, user, body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message("/app/todo", error="; ".join(problems(error))))
    return see_other(with_message("/app/todo", done="saved"))
