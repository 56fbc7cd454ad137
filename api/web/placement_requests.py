"""The pages of placement requests: a school's overview per round (how many stand in each
status, which pupils are stuck, drafts added, submitted and approved in bulk) and the bureau's
counts per school. Every change goes through `api.services.placement_requests`, the API's own
workflow (scope, version, lock, transition table, audit)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.db import saved_id
from api.deps import SessionDep
from api.models import PlacementRequestCreate, Pupil, RequestStatus, Round, RoundStatus, User
from api.services import placement_requests as service
from api.services.errors import Invalid, ServiceError
from api.version_index import unread
from api.web.actions import problems
from api.web.bureau import Form
from api.web.common import see_other
from api.web.render import render
from api.web.session import BureauPage, Csrf, SchoolPage

router = APIRouter(include_in_schema=False)

SCHOOL_URL = "/app/school/requests"
# The steps the page takes on many requests at once, by the form's word.
BULK: dict[str, service.Action] = {"submit": "submit", "approve": "approve"}


def _rounds(session: Session, user: User) -> list[Round]:
    """The region's rounds, newest first, their frozen documents unread (megabytes each)."""
    query = select(Round).where(Round.region_id == user.region_id).options(*unread(Round.document))
    return list(session.exec(query.order_by(col(Round.id).desc())).all())


def _chosen(rounds: list[Round], asked: str | None) -> Round | None:
    """The round the page shows: the one asked for, else the newest still taking requests,
    else the newest."""
    by_id = {str(r.id): r for r in rounds}
    if asked in by_id:
        return by_id[asked]
    return next((r for r in rounds if r.status == RoundStatus.draft), rounds[0] if rounds else None)


def _url(round_id: int | None, **params: str) -> str:
    query = {"round": str(round_id or ""), **{k: v for k, v in params.items() if v}}
    return f"{SCHOOL_URL}?{urlencode(query)}"


@router.get(SCHOOL_URL)
def school_requests(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """The school's requests of one round: counts per status, the pupils by status or only
    the stuck ones, a draft for a pupil without one, and bulk submit and approve."""
    rounds = _rounds(session, user)
    round_ = _chosen(rounds, request.query_params.get("round"))
    shown = request.query_params.get("show", "")
    context: dict[str, Any] = {
        "rounds": rounds,
        "round": round_,
        "show": shown,
        "statuses": list(RequestStatus),
        "bulk": BULK,
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
        "stuck_days": service.STUCK_DAYS,
    }
    if round_ is not None:
        rows = service.list_requests(session, user, round_id=round_.id)
        overview = service.overview(session, user, saved_id(round_))
        asked = {r.pupil_id for r in rows if r.status != RequestStatus.withdrawn}
        in_round = {s["id"] for s in round_.document.get("students", [])}
        pupils = session.exec(
            select(Pupil).where(Pupil.school_id == user.school_id).order_by(col(Pupil.code))
        ).all()
        context |= {
            "counts": overview.schools[0].counts if overview.schools else {},
            "stuck": sum(r.stuck for r in rows),
            "requests": [
                r for r in rows if (shown == "stuck" and r.stuck) or shown in ("", r.status)
            ],
            "without": [p for p in pupils if p.code in in_round and p.id not in asked],
            "open": round_.status == RoundStatus.draft,
        }
    return render(request, "school/requests.html", context)


@router.post(f"{SCHOOL_URL}/new", dependencies=[Csrf])
def new_request(session: SessionDep, user: SchoolPage, form: FormData = Form) -> Response:
    """A draft request for a pupil, with the pupil's wishes as they are."""
    round_id = str(form.get("round_id", ""))
    try:
        body = PlacementRequestCreate.model_validate(
            {"round_id": round_id, "pupil_id": str(form.get("pupil_id", ""))}
        )
        service.create_request(session, user, body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(_url(_int(round_id), error="; ".join(problems(error))))
    return see_other(_url(_int(round_id), done="created"))


@router.post(f"{SCHOOL_URL}/steps", dependencies=[Csrf])
def bulk_step(session: SessionDep, user: SchoolPage, form: FormData = Form) -> Response:
    """Submit or approve the ticked requests, all or none."""
    round_id = _int(str(form.get("round_id", "")))
    action = BULK.get(str(form.get("action", "")))
    try:
        if action is None:
            raise Invalid("action: choose submit or approve", code="requests.pick_action")
        chosen = [_picked(str(v)) for v in form.getlist("request")]
        if not chosen:
            raise Invalid("request: tick at least one request", code="requests.none_ticked")
        service.take_steps(session, user, chosen, action)
    except ServiceError as error:
        session.rollback()
        return see_other(_url(round_id, error="; ".join(problems(error))))
    return see_other(_url(round_id, done=str(action)))


def _picked(value: str) -> tuple[int, int]:
    """A ticked request as the form sends it: "id:version"."""
    request_id, _, version = value.partition(":")
    if not (_whole(request_id) and _whole(version)):
        raise Invalid(
            f"request: {value!r} is not a request of this page",
            code="requests.not_on_page",
            params={"value": value[:40]},
        )
    return int(request_id), int(version)


def _int(value: str) -> int | None:
    return int(value) if _whole(value) else None


def _whole(value: str) -> bool:
    """Digits `int` reads: ASCII only ("²".isdigit() is true, `int("²")` fails)."""
    return value.isascii() and value.isdigit()


@router.get("/app/bureau/requests")
def bureau_requests(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Per school of the region, how many of a round's requests stand in each status."""
    rounds = _rounds(session, user)
    round_ = _chosen(rounds, request.query_params.get("round"))
    context: dict[str, Any] = {"rounds": rounds, "round": round_, "statuses": list(RequestStatus)}
    if round_ is not None:
        context["overview"] = service.overview(session, user, saved_id(round_))
    return render(request, "bureau/requests.html", context)
