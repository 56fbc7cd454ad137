"""A user's own notification choice, and the to-do list of their role."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, SessionDep
from api.models import (
    NotificationPreferencePublic,
    NotificationPreferenceUpdate,
    TodoItem,
    utcnow,
)
from api.services import notifications, todo

router = APIRouter()


@router.get("/users/me/notifications", response_model=NotificationPreferencePublic, tags=["users"])
def read_notifications(session: SessionDep, user: CurrentUser) -> NotificationPreferencePublic:
    """How mail reaches you: `instant` (the default) or one `digest` a day, in `nl` or `en`."""
    return notifications.preference_of(session, user)


@router.patch(
    "/users/me/notifications", response_model=NotificationPreferencePublic, tags=["users"]
)
def update_notifications(
    body: NotificationPreferenceUpdate, session: SessionDep, user: CurrentUser
) -> NotificationPreferencePublic:
    """Choose instant mail or a daily digest, and the language of your mail (audited)."""
    return notifications.set_preference(session, user, body)


@router.get("/todo", response_model=list[TodoItem], tags=["users"])
def read_todo(session: SessionDep, user: CurrentUser) -> list[TodoItem]:
    """What waits for you: the to-do list of your role, each item with the page to do it on."""
    return todo.todo(session, user, utcnow().date())
