"""Feedback pages: a company and a school fill in their short form after every item that took
place and change it later, a school also its pupils' three questions; the bureau reads how it
went per company and kind and downloads the table. Every answer goes through
`api.services.feedback`, the API's own workflow (scope, timing rule, version, audit)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, select
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.models import (
    Again,
    Feedback,
    FeedbackCreate,
    FeedbackUpdate,
    PupilFeedbackCreate,
    Role,
    User,
    utcnow,
)
from api.services import feedback
from api.services.errors import ServiceError, field_error
from api.services.feedback_items import Item, items_in_scope
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.common import see_other
from api.web.i18n import column_labels, language_of
from api.web.render import render
from api.web.session import BureauPage, CompanyPage, Csrf, SchoolPage

router = APIRouter(include_in_schema=False)

ItemId = tuple[int, str, str]  # (round, kind, item key)


def item_id(item: Item) -> ItemId:
    return (item.round_id, str(item.kind), item.key)


def party_url(user: User) -> str:
    return f"/app/{user.role}/feedback"


def party_context(session: Session, user: User) -> dict[str, Any]:
    """What a company's or school's page shows: the items to answer, its answers, what is still
    to come, the other side's scores and (a company) the figures about it."""
    today = utcnow().date()
    items = items_in_scope(session, user)
    party, party_id = feedback.own_party(user)
    mine: dict[ItemId, Feedback] = {
        (f.round_id, str(f.kind), f.item): f
        for f in session.exec(
            select(Feedback).where(Feedback.party == party, Feedback.party_id == party_id)
        ).all()
    }
    others = [f for f in feedback.list_feedback(session, user) if f.party != party]
    context: dict[str, Any] = {
        "todo": [i for i in items if i.due(today) and item_id(i) not in mine],
        "given": [(i, mine[item_id(i)]) for i in items if item_id(i) in mine],
        "later": [i for i in items if not i.due(today)],
        "others": others,
        "agains": list(Again),
        "scores": range(1, 6),
    }
    if user.role == Role.company:
        context["rows"] = feedback.overview(session, user).rows
        context["threshold"] = feedback.PUPIL_THRESHOLD
    else:
        answered: dict[ItemId, set[str]] = defaultdict(set)
        for p in feedback.list_pupil_feedback(session, user):
            answered[(p.round_id, str(p.kind), p.item)].add(p.pupil)
        due = [i for i in items if i.due(today)]
        context["pupils"] = {
            item_id(i): codes
            for i, codes in zip(due, feedback.participants(session, user, due), strict=True)
        }
        context["answered"] = answered
    return context


def party_page(request: Request, session: Session, user: User) -> Response:
    context = {
        **party_context(session, user),
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
    }
    return render(request, "feedback/party.html", context)


@router.get("/app/company/feedback")
def company_page(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The company's forms, what it answered, and what schools and pupils say about it."""
    return party_page(request, session, user)


@router.get("/app/school/feedback")
def school_page(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """The school's forms and its pupils' three questions, and what it answered."""
    return party_page(request, session, user)


def level(form: FormData) -> bool | None:
    """The school's answer about the level: ja, nee, or none (don't know)."""
    return {"yes": True, "no": False}.get(str(form.get("level_ok", "")))


def feedback_id(form: FormData) -> int:
    """The answer a form changes: the page wrote its id, so anything else is a tampered form,
    refused naming the field rather than shown as Python's own English."""
    raw = str(form["feedback_id"])
    if not raw.isdigit():
        raise field_error(
            "feedback_id",
            f"not the id of an answer: {raw!r}",
            kind="feedback.bad_id",
            ctx={"value": raw},
        )
    return int(raw)


@router.post("/app/company/feedback", dependencies=[Csrf])
def company_gives(session: SessionDep, user: CompanyPage, form: FormData = Form) -> Response:
    """Store the company's form of one item, or change its answer."""
    return give(session, user, form)


@router.post("/app/school/feedback", dependencies=[Csrf])
def school_gives(session: SessionDep, user: SchoolPage, form: FormData = Form) -> Response:
    """Store the school's form of one item, or change its answer."""
    return give(session, user, form)


def give(session: Session, user: User, form: FormData) -> Response:
    """Store the form of one item, or change the answer the form was prefilled with."""
    answers: dict[str, Any] = {
        "score": str(form.get("score", "")),
        "again": str(form.get("again", "")),
        "remark": str(form.get("remark", "")).strip(),
    }
    if user.role == Role.school:
        answers["level_ok"] = level(form)
    try:
        if form.get("feedback_id"):
            update = FeedbackUpdate.model_validate({**answers, "version": form.get("version")})
            feedback.change_feedback(session, user, feedback_id(form), update)
        else:
            body = FeedbackCreate.model_validate(
                {
                    **answers,
                    "round_id": str(form.get("round_id", "")),
                    "kind": str(form.get("kind", "")),
                    "item": str(form.get("item", "")),
                }
            )
            feedback.give_feedback(session, user, body, utcnow().date())
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message(party_url(user), error="; ".join(problems(error))))
    return see_other(with_message(party_url(user), done="saved"))


@router.post("/app/school/feedback/pupils", dependencies=[Csrf])
def give_pupil(session: SessionDep, user: SchoolPage, form: FormData = Form) -> Response:
    """Store one pupil's three answers about an item, by pupil code."""
    try:
        body = PupilFeedbackCreate.model_validate(
            {
                key: str(form.get(key, ""))
                for key in ("round_id", "kind", "item", "pupil", "learned", "interesting")
            }
            | {"recommend": str(form.get("recommend", "")) or None}
        )
        feedback.give_pupil_feedback(session, user, body, utcnow().date())
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message(party_url(user), error="; ".join(problems(error))))
    return see_other(with_message(party_url(user), done="pupil_saved"))


@router.get("/app/bureau/feedback")
def bureau_page(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """How it went per company and kind, and where a side said no."""
    summary = feedback.overview(session, user)
    context = {
        "rows": summary.rows,
        "said_no": summary.said_no,
        "threshold": summary.pupil_threshold,
    }
    return render(request, "feedback/bureau.html", context)


@router.get("/app/bureau/feedback.{fmt}")
def download(fmt: str, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The overview as CSV or XLSX, the same table as `GET /feedback/overview.{fmt}`, its
    headers in the page's language."""
    if fmt not in ("csv", "xlsx"):
        return see_other("/app/bureau/feedback")
    labels = column_labels(language_of(request))
    body, media, name = feedback.overview_file(session, user, fmt, labels)
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
