"""Placement requests: a pupil's way into a round, from the school's draft to a finished placement.

The school (or the bureau) drafts a request with the pupil's wishes, submits it, and a mentor
approves it or sends it back. A fresh solve of the round takes the approved requests in and
locks every request of the round (`enter_round`); a publication marks each entered pupil placed
or unplaced, a company's answer confirmed or declined (a decline needs a new placement: the
repair's publication places it again), the agreement work marks it signed and the school closes
it as done. Which status may follow which is the one table of `request_statuses`; every step is
audited. A round without any requests is solved as rounds always were (`api.round_entry`).

Pupils are minors: a request holds the pupil's id and placement codes only, and goes with the
pupil's export and erasure (`api.routes.privacy`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.models import (
    PlacementRequest,
    PlacementRequestCreate,
    PlacementRequestPublic,
    PlacementRequestUpdate,
    Pupil,
    RequestOverview,
    RequestStatus,
    RequestStep,
    ResponseStatus,
    Role,
    Round,
    RoundStatus,
    School,
    SchoolRequestCounts,
    SolutionVersion,
    User,
    utcnow,
)
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import (
    Kind,
    access_of,
    commit,
    get_scoped,
    guard_version,
    scoped_select,
)
from api.services.request_statuses import (
    EDITABLE,
    ENTERED,
    NEEDS_PLACEMENT,
    PUBLISHED,
    WAITING,
    step,
)

R = RequestStatus
B, S = Role.bureau, Role.school
ENTITY = "placement_request"
STUCK_DAYS = 7  # a draft or submitted request older than this waits too long

REQUESTS = Kind(
    path="requests",
    entity=ENTITY,
    table=PlacementRequest,
    create=PlacementRequestCreate,
    update=PlacementRequestUpdate,
    public=PlacementRequestPublic,
    owner="school",
    read={B: "all", S: "own"},
    write={B: "all", S: "own"},
    create_roles=frozenset({B, S}),
)

Action = Literal["submit", "approve", "return", "withdraw", "done"]
# What each step of a school or mentor makes of a request; the solve, the publication, the
# companies' answers and the agreement take theirs below.
ACTIONS: dict[Action, RequestStatus] = {
    "submit": R.submitted,
    "approve": R.approved,
    "return": R.draft,
    "withdraw": R.withdrawn,
    "done": R.done,
}
BEFORE_SOLVE: frozenset[Action] = frozenset({"submit", "approve", "return", "withdraw"})


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_stuck(request: PlacementRequest, now: datetime, stuck_days: int) -> bool:
    """Where the school must act: waiting longer than `stuck_days` in draft or submitted, or
    without a seat (unplaced by the round, or declined by its company)."""
    if request.status in NEEDS_PLACEMENT:
        return True
    waited = now - _as_utc(request.status_since)
    return request.status in WAITING and waited > timedelta(days=stuck_days)


def public(
    request: PlacementRequest, code: str, now: datetime, stuck_days: int = STUCK_DAYS
) -> PlacementRequestPublic:
    return PlacementRequestPublic(
        **request.model_dump(),
        student=code,
        stuck=is_stuck(request, now, stuck_days),
    )


def publics(
    session: Session, requests: Iterable[PlacementRequest], stuck_days: int = STUCK_DAYS
) -> list[PlacementRequestPublic]:
    """Requests as readers get them, each with its pupil's code."""
    rows = list(requests)
    codes = _codes(session, [r.pupil_id for r in rows])
    now = utcnow()
    return [public(r, codes.get(r.pupil_id, ""), now, stuck_days) for r in rows]


def _codes(session: Session, pupil_ids: list[int]) -> dict[int, str]:
    if not pupil_ids:
        return {}
    rows = session.exec(select(Pupil.id, Pupil.code).where(col(Pupil.id).in_(pupil_ids))).all()
    return {pid: code for pid, code in rows if pid is not None}


# --- reading -------------------------------------------------------------------------------------


def list_requests(
    session: Session,
    user: User,
    round_id: int | None = None,
    status: RequestStatus | None = None,
    stuck: bool = False,
    stuck_days: int = STUCK_DAYS,
) -> list[PlacementRequestPublic]:
    """The requests the user may see (a school its own pupils'), in id order; with `stuck`,
    only those where the school must act."""
    query = scoped_select(REQUESTS, user, access_of(REQUESTS, user, write=False))
    if round_id is not None:
        query = query.where(PlacementRequest.round_id == round_id)
    if status is not None:
        query = query.where(PlacementRequest.status == status)
    rows = publics(
        session, session.exec(query.order_by(col(PlacementRequest.id))).all(), stuck_days
    )
    return [r for r in rows if r.stuck] if stuck else rows


def read_request(session: Session, user: User, request_id: int) -> PlacementRequestPublic:
    return publics(session, [_scoped(session, user, request_id, write=False)])[0]


def _scoped(session: Session, user: User, request_id: int, write: bool) -> PlacementRequest:
    request: PlacementRequest = get_scoped(session, REQUESTS, user, request_id, write=write)
    return request


def overview(
    session: Session, user: User, round_id: int, stuck_days: int = STUCK_DAYS
) -> RequestOverview:
    """Per school (a school: its own) how many of the round's requests stand in each status
    and how many are stuck."""
    round_ = _round(session, user, round_id)
    query = scoped_select(REQUESTS, user, access_of(REQUESTS, user, write=False))
    rows = session.exec(query.where(PlacementRequest.round_id == round_.id)).all()
    schools = session.exec(
        select(School).where(School.region_id == user.region_id).order_by(col(School.code))
    ).all()
    now = utcnow()
    counts: dict[int, Counter[RequestStatus]] = {}
    stuck: Counter[int] = Counter()
    for r in rows:
        counts.setdefault(r.school_id, Counter())[r.status] += 1
        stuck[r.school_id] += is_stuck(r, now, stuck_days)
    return RequestOverview(
        round_id=round_id,
        stuck_days=stuck_days,
        schools=[
            SchoolRequestCounts(
                school_id=s.id,
                school=s.code,
                name=s.name,
                counts={status: counts.get(s.id, Counter())[status] for status in RequestStatus},
                stuck=stuck[s.id],
            )
            for s in schools
            if s.id is not None and (user.role != Role.school or s.id == user.school_id)
        ],
    )


def _round(session: Session, user: User, round_id: int) -> Round:
    round_ = session.get(Round, round_id)
    if round_ is None or round_.region_id != user.region_id:
        raise NotFound(
            f"no round {round_id} in your region",
            code="round.not_found",
            params={"round": round_id},
        )
    return round_


# --- the school's and the mentor's steps ------------------------------------------------------


def _unlocked(session: Session, request: PlacementRequest) -> Round:
    """The request's round, if its requests may still change: not once a solve started."""
    round_ = session.get(Round, request.round_id)
    if round_ is None:
        raise NotFound(
            f"round {request.round_id} of request {request.id} is gone",
            code="request.round_gone",
            params={"request": request.id},
        )
    if round_.status != RoundStatus.draft:
        raise Conflict(
            f"request {request.id}: round {round_.id} is {round_.status}, its requests are "
            "locked since its solve started",
            code="request.locked",
            params={"request": request.id},
        )
    return round_


def _check_wishes(round_: Round, preferences: list[str]) -> None:
    """Wishes name placements of the round's snapshot, each once (422 naming the wish)."""
    placements = {p["id"] for p in round_.document.get("placements", [])}
    for i, code in enumerate(preferences):
        if code not in placements:
            raise field_error(
                f"preferences.{i}",
                f"no placement {code!r} in round {round_.id}",
                kind="request.no_placement",
                ctx={"code": code},
            )
    if len(set(preferences)) != len(preferences):
        raise field_error("preferences", "a placement is listed twice", kind="request.listed_twice")


def create_request(
    session: Session, user: User, body: PlacementRequestCreate
) -> PlacementRequestPublic:
    """A draft request of a pupil for a round still open to requests, with the pupil's wishes
    as they are unless the body names others."""
    if user.role not in REQUESTS.create_roles:
        raise Forbidden(f"role {user.role} may not create requests", code="request.not_your_role")
    round_ = session.get(Round, body.round_id)
    if round_ is None or round_.region_id != user.region_id:
        raise field_error(
            "round_id",
            f"no round {body.round_id} in your region",
            kind="round.unknown",
            ctx={"round": body.round_id},
        )
    pupil = session.get(Pupil, body.pupil_id)
    if pupil is None or pupil.region_id != user.region_id:
        raise field_error(
            "pupil_id",
            f"no pupil {body.pupil_id} in your region",
            kind="pupil.unknown",
            ctx={"pupil": body.pupil_id},
        )
    if user.role == Role.school and pupil.school_id != user.school_id:
        raise Forbidden("pupil_id: not a pupil of your school", code="pupil.not_your_school")
    if round_.status != RoundStatus.draft:
        raise Conflict(
            f"round {round_.id} is {round_.status}: it takes no more requests",
            code="request.round_closed",
            params={"round": round_.name},
        )
    if pupil.code not in {s["id"] for s in round_.document.get("students", [])}:
        raise field_error(
            "pupil_id",
            f"pupil {pupil.code} is not in round {round_.id}: added after it opened",
            kind="request.pupil_not_in_round",
            ctx={"pupil": pupil.code},
        )
    taken = session.exec(
        select(PlacementRequest).where(
            PlacementRequest.pupil_id == pupil.id,
            PlacementRequest.round_id == round_.id,
            PlacementRequest.status != R.withdrawn,
        )
    ).first()
    if taken is not None:
        raise Conflict(
            [{"loc": ["body", "pupil_id"],
              "msg": f"pupil {pupil.code} has request {taken.id} ({taken.status}) in round "
                     f"{round_.id}: change that one or withdraw it"}],
          code="request.pupil_taken",
          params={"pupil": pupil.code, "request": taken.id},
        )  # fmt: skip
    preferences = list(pupil.preferences if body.preferences is None else body.preferences)
    _check_wishes(round_, preferences)
    request = PlacementRequest(
        region_id=user.region_id,
        school_id=pupil.school_id,
        pupil_id=saved_id(pupil),
        round_id=saved_id(round_),
        preferences=preferences,
        accept_unranked=(
            pupil.accept_unranked if body.accept_unranked is None else body.accept_unranked
        ),
        created_by_id=user.id,
    )
    session.add(request)
    session.flush()
    audit.record(session, user, "create", ENTITY, request.id, after=audit.snapshot(request))
    commit(session)
    session.refresh(request)
    return public(request, pupil.code, utcnow())


def update_request(
    session: Session, user: User, request_id: int, body: PlacementRequestUpdate
) -> PlacementRequestPublic:
    """Change a draft's wishes at the version last read."""
    request = _scoped(session, user, request_id, write=True)
    _check_version(request, body.version)
    round_ = _unlocked(session, request)
    if request.status not in EDITABLE:
        raise Conflict(
            f"request {request.id} is {request.status}: only a draft's wishes change "
            "(send it back to draft first)",
            code="request.not_draft",
            params={"request": request.id},
        )
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("preferences", "accept_unranked"):
        if name in changes and changes[name] is None:
            raise field_error(name, "give a value or leave the field out", kind="request.not_null")
    if "preferences" in changes:
        _check_wishes(round_, changes["preferences"])
    before = audit.snapshot(request)
    for name, value in changes.items():
        setattr(request, name, value)
    guard_version(session, request, request.version, f"request {request.id}")
    session.add(request)
    audit.record(
        session, user, "update", ENTITY, request.id, before=before, after=audit.snapshot(request)
    )
    commit(session)
    return read_request(session, user, request_id)


def _check_version(request: PlacementRequest, version: int) -> None:
    if request.version != version:
        raise Conflict(
            f"request {request.id}: stale version {version}, the request is at {request.version}",
            code="request.stale_version",
            params={"request": request.id},
        )


def _step(
    session: Session,
    user: User | None,
    request: PlacementRequest,
    target: RequestStatus,
    action: str,
    note: str = "",
) -> None:
    """Take one step of the table on `request`, audited in the same transaction."""
    before = _trail(request)
    seen = request.version
    step(request, target)
    guard_version(session, request, seen, f"request {request.id}")
    if target == R.approved:
        request.approved_by_id = user.id if user is not None else None
    if action == "return":
        request.note = note
    session.add(request)
    audit.record(
        session,
        user,
        action,
        ENTITY,
        request.id,
        before=before,
        after={**_trail(request), **({"note": note} if note else {})},
        region_id=request.region_id,
    )


def _trail(request: PlacementRequest) -> dict[str, Any]:
    """What an audit entry of a step keeps: the pupil by id (found by its export), no wishes."""
    return {
        "pupil_id": request.pupil_id,
        "round_id": request.round_id,
        "status": str(request.status),
        "placement": request.placement,
    }


def take_step(
    session: Session, user: User, request_id: int, action: Action, body: RequestStep
) -> PlacementRequestPublic:
    """A school's or mentor's step on one request at the version last read."""
    _steps(session, user, [(request_id, body.version)], action, body.note)
    commit(session)
    return read_request(session, user, request_id)


def take_steps(
    session: Session, user: User, requests: list[tuple[int, int]], action: Action, note: str = ""
) -> int:
    """The same step on many requests at once (id, version read), all or none."""
    _steps(session, user, requests, action, note)
    commit(session)
    return len(requests)


def _steps(
    session: Session, user: User, requests: list[tuple[int, int]], action: Action, note: str
) -> None:
    try:
        for request_id, version in requests:
            request = _scoped(session, user, request_id, write=True)
            _check_version(request, version)
            if action in BEFORE_SOLVE:
                _unlocked(session, request)
            _step(session, user, request, ACTIONS[action], action, note)
    except Exception:
        session.rollback()
        raise


# --- the round's life cycle: solve, publication, answers, agreement ------------------------------


def enter_round(session: Session, round_: Round, user: User | None) -> dict[str, Any]:
    """The job parameters of a fresh solve: none when the round has no requests (every pupil
    of the snapshot is planned, as before requests existed), else `requests`: the code and
    wishes of every pupil whose request entered. Approved requests become `in_round`; from now
    on the round's requests are locked. A round whose requests all still wait for a mentor is
    refused: it would plan nobody."""
    rows = session.exec(
        select(PlacementRequest, Pupil.code)
        .join(Pupil, col(Pupil.id) == col(PlacementRequest.pupil_id))
        .where(PlacementRequest.round_id == round_.id, PlacementRequest.status != R.withdrawn)
        .order_by(col(PlacementRequest.id))
    ).all()
    if not rows:
        return {}
    entered = [(r, code) for r, code in rows if r.status in ENTERED]
    if not entered:
        raise Conflict(
            f"round {round_.id} has {len(rows)} placement request(s) and none is approved: "
            "a mentor approves them first",
            code="request.none_approved",
            params={"count": len(rows)},
        )
    for request, _ in entered:
        if request.status == R.approved:
            _step(session, user, request, R.in_round, "enter_round")
    return {
        "requests": {
            code: {"preferences": list(r.preferences), "accept_unranked": r.accept_unranked}
            for r, code in entered
        }
    }


def after_publication(
    session: Session, round_: Round, version: SolutionVersion, user: User | None
) -> None:
    """Mark every request the publication concerns placed (with its seat) or unplaced; a
    confirmed pupil still at the same seat stays confirmed."""
    seats = {a["student"]: (a["placement"], a["period"]) for a in version.document["assignments"]}
    rows = session.exec(
        select(PlacementRequest, Pupil.code)
        .join(Pupil, col(Pupil.id) == col(PlacementRequest.pupil_id))
        .where(
            PlacementRequest.round_id == round_.id,
            col(PlacementRequest.status).in_(PUBLISHED),
        )
    ).all()
    for request, code in rows:
        seat = seats.get(code)
        held = (request.placement, request.period)
        if seat is not None and seat == held and request.status in (R.placed, R.confirmed):
            continue
        target = R.placed if seat is not None else R.unplaced
        if target == request.status == R.unplaced:
            continue
        request.placement, request.period = seat if seat is not None else (None, None)
        if target == request.status:  # placed again, at another seat: a new placement
            request.placed_at = utcnow()
            request.version += 1
            session.add(request)
            audit.record(session, user, "placed", ENTITY, request.id,
                         after=_trail(request), region_id=request.region_id)  # fmt: skip
            continue
        _step(session, user, request, target, str(target))


def after_answer(
    session: Session, user: User, round_: Round, student: str, answer: ResponseStatus
) -> None:
    """A company's confirmation or decline of a published pupil, on the pupil's request."""
    row = session.exec(
        select(PlacementRequest)
        .join(Pupil, col(Pupil.id) == col(PlacementRequest.pupil_id))
        .where(
            PlacementRequest.round_id == round_.id,
            Pupil.code == student,
            Pupil.region_id == round_.region_id,
            PlacementRequest.status != R.withdrawn,
        )
    ).first()
    if row is None:  # a round without requests
        return
    target = R.confirmed if answer == ResponseStatus.confirmed else R.declined
    if row.status != target:
        _step(session, user, row, target, str(target))


def mark_agreement_signed(session: Session, pupil_id: int, round_id: int) -> None:
    """The placement agreement of the pupil's confirmed request in the round is signed.

    Called by the agreement work inside its own transaction (the caller commits). A pupil
    without a request in the round (a round without requests) is left alone, and so is a
    request already past it (an agreement signed again after a change of its hours); a request
    that is not confirmed is refused (409 naming it and its status)."""
    request = session.exec(
        select(PlacementRequest).where(
            PlacementRequest.pupil_id == pupil_id,
            PlacementRequest.round_id == round_id,
            PlacementRequest.status != R.withdrawn,
        )
    ).first()
    if request is None or request.status in (R.agreement_signed, R.done):
        return
    _step(session, None, request, R.agreement_signed, "agreement_signed")


# --- a pupil's data ------------------------------------------------------------------------------


def pupil_requests(session: Session, pupil_id: int) -> list[PlacementRequest]:
    """Every placement request of a pupil, withdrawn ones included (its export and erasure)."""
    query = select(PlacementRequest).where(PlacementRequest.pupil_id == pupil_id)
    return list(session.exec(query.order_by(col(PlacementRequest.id))).all())
