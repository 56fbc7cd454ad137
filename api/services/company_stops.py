"""A company that leaves (bankrupt, SBB recognition withdrawn, no longer hosting): the bureau
marks it stopped from a date, repairs the published rounds, and everyone sees who moved.

The stop is a standing record of the region, like a decline: every later solve, re-solve and
repair of the region gives the company no seats in the periods that may still run on or after
the date and no visits from then on (`scheduler.company_stops`). The repair starts from the
published version and keeps every assignment and activity not at the stopped company as it is:
the bureau's pins and every other published pupil are pinned, activities are kept, so only the
displaced pupils and visits move, each counted as one change by the re-solve's minimal-change
objective. The repair's version carries `stats.company_stops`, the report of who moved where
(or why nowhere), which the bureau reads whole and each school and company for its own part.
A stop can be lifted until a repair that honoured it is published; an unpublished repair that
honoured it is then withdrawn (the round's proposal is its publication again).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, type_coerce
from sqlmodel import Session, col, select

from api import audit
from api.converters import standing_exclusions, standing_stops
from api.jobs import Runner, settled_status
from api.models import (
    Company,
    CompanyStop,
    CompanyStopCreate,
    CompanyStopPublic,
    Job,
    JobKind,
    Pin,
    Role,
    Round,
    RoundStatus,
    School,
    SolutionVersion,
    User,
    VersionState,
    utcnow,
)
from api.services.answers import Answers
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import commit
from api.services.round_pages import light_round
from api.services.rounds import get_round, published_version
from api.services.solves import start_job
from api.settings import Settings
from scheduler.company_stops import displaced


def _public(stop: CompanyStop, company: Company) -> CompanyStopPublic:
    return CompanyStopPublic(**stop.model_dump(), company=company.code, company_name=company.name)


def mark_stop(session: Session, user: User, body: CompanyStopCreate) -> CompanyStopPublic:
    """The bureau marks a company of its region as stopped from a date (audited)."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau marks a company as stopped", code="stop.bureau_only")
    company = session.get(Company, body.company_id)
    if company is None or company.region_id != user.region_id:
        raise field_error(
            "company_id",
            f"no company {body.company_id} in your region",
            kind="company.unknown",
            ctx={"company": body.company_id},
        )
    standing = session.exec(
        select(CompanyStop).where(
            CompanyStop.company_id == company.id, col(CompanyStop.lifted_at).is_(None)
        )
    ).first()
    if standing is not None:
        raise Conflict(
            f"company {company.code} is already marked stopped from {standing.stopped_from}: "
            "lift that stop first",
            code="stop.standing",
            params={"company": company.code, "date": standing.stopped_from},
        )
    stop = CompanyStop(**body.model_dump(), region_id=user.region_id, created_by_id=user.id)
    session.add(stop)
    session.flush()
    audit.record(session, user, "create", "company_stop", stop.id, after=audit.snapshot(stop))
    commit(session)
    return _public(stop, company)


def list_stops(session: Session, user: User, *, lifted: bool = False) -> list[CompanyStopPublic]:
    """The region's company stops (with `lifted`, the lifted ones too): a company sees its own,
    the bureau and the schools every one (a stop says nothing about a pupil)."""
    query = (
        select(CompanyStop, Company)
        .join(Company, col(CompanyStop.company_id) == col(Company.id))
        .where(CompanyStop.region_id == user.region_id)
    )
    if not lifted:
        query = query.where(col(CompanyStop.lifted_at).is_(None))
    if user.role == Role.company:
        query = query.where(CompanyStop.company_id == user.company_id)
    rows = session.exec(query.order_by(col(CompanyStop.id))).all()
    return [_public(stop, company) for stop, company in rows]


def repaired_and_published(session: Session, stop_id: int, region_id: int) -> bool:
    """Whether a published version of the region came from a repair that honoured the stop."""
    rows = session.exec(
        select(Job.params)
        .join(SolutionVersion, col(SolutionVersion.job_id) == col(Job.id))
        .where(
            Job.region_id == region_id,
            Job.kind == JobKind.repair,
            SolutionVersion.state == VersionState.published,
        )
    ).all()
    return any(stop_id in (params or {}).get("stops", []) for params in rows)


def lift_stop(session: Session, user: User, stop_id: int) -> CompanyStopPublic:
    """The bureau lifts a stop marked in error: the next solve gives the company its seats and
    dayparts back. Refused once a repair that honoured the stop is published."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau lifts a company stop", code="stop.bureau_only_lift")
    stop = session.get(CompanyStop, stop_id)
    if stop is None or stop.region_id != user.region_id:
        raise NotFound(
            f"no company stop {stop_id} in your region",
            code="stop.not_found",
            params={"stop": stop_id},
        )
    if stop.lifted_at is not None:
        raise Conflict(
            f"company stop {stop_id} was lifted already",
            code="stop.lifted_already",
            params={"stop": stop_id},
        )
    if repaired_and_published(session, stop_id, user.region_id):
        raise Conflict(
            f"company stop {stop_id}: a repair that honoured it is published already; "
            "its pupils and visits have moved",
            code="stop.repaired",
            params={"stop": stop_id},
        )
    before = audit.snapshot(stop)
    stop.lifted_at, stop.lifted_by_id = utcnow(), user.id
    session.add(stop)
    audit.record(
        session, user, "lift", "company_stop", stop.id, before=before, after=audit.snapshot(stop)
    )
    withdraw_repairs(session, user, stop_id)
    commit(session)
    company = session.get(Company, stop.company_id)
    assert company is not None
    return _public(stop, company)


def withdraw_repairs(session: Session, user: User, stop_id: int) -> None:
    """Each round whose current proposal is an unpublished repair that honoured the stop goes
    back to its publication, so the bureau cannot publish moves of a stop that was lifted."""
    rows = session.exec(
        select(Round, Job.params)
        .join(SolutionVersion, col(SolutionVersion.id) == col(Round.proposal_version_id))
        .join(Job, col(Job.id) == col(SolutionVersion.job_id))
        .where(Round.region_id == user.region_id, Job.kind == JobKind.repair)
    ).all()
    for round_, params in rows:
        honoured = stop_id in (params or {}).get("stops", [])
        unpublished = round_.proposal_version_id != round_.published_version_id
        if honoured and unpublished and round_.status != RoundStatus.solving:
            withdrawn = round_.proposal_version_id
            round_.proposal_version_id = round_.published_version_id
            round_.status = settled_status(round_)
            round_.version += 1
            session.add(round_)
            audit.record(
                session,
                user,
                "withdraw_proposal",
                "round",
                round_.id,
                after={"version_id": withdrawn, "company_stop_lifted": stop_id},
            )


def repair_after_stop(
    session: Session, user: User, round_id: int, settings: Settings, runner: Runner
) -> Job:
    """Start the repair of a round's published version after companies stopped: every pupil
    and activity not at a stopped company stays (pinned, kept), the displaced are re-placed.

    Pupils its company declined are repaired in the same go (as `answers.start_repair` does),
    since pinning them would put them back where they were declined."""
    round_ = get_round(session, user, round_id)
    version = published_version(session, round_)
    stops = standing_stops(session, round_.region_id)
    gone = displaced(version.round_document, version.document, [s for _, s in stops])
    if gone.empty:
        raise Conflict(
            "no published pupil or visit of this round is at a stopped company",
            code="stop.nothing_to_repair",
        )
    answers = Answers(session, round_, version)
    declines = answers.declined_pupils
    declined = {d["student"] for d in declines}
    leaving = {a["student"] for a in gone.pupils}
    excluded = standing_exclusions(session, round_.region_id)
    pins: dict[str, dict[str, str]] = {
        p.student: p.model_dump(include={"student", "placement", "period"})
        for p in session.exec(select(Pin).where(Pin.round_id == round_.id)).all()
    }
    for a in version.document["assignments"]:
        if a["company"] not in excluded.get(a["student"], []):
            pins[a["student"]] = {
                "student": a["student"],
                "placement": a["placement"],
                "period": a["period"],
            }
    params: dict[str, Any] = {
        "base_version_id": version.id,
        "declines": declines,
        "activity_declines": answers.declined_activities,
        "pins": [p for s, p in pins.items() if s not in declined | leaving],
        "stops": [stop_id for stop_id, _ in stops],
        "stopped": [
            {"company": s.company, "stopped_from": s.stopped_from.isoformat()} for _, s in stops
        ],
    }
    return start_job(session, round_, JobKind.repair, settings, runner, user, params)


def stop_moves(session: Session, user: User, round_id: int) -> dict[str, Any]:
    """The report of the round's newest repair after a company stop, in the user's scope: the
    bureau sees the newest proposal's whole; a school the moves of its own pupils, classes and
    teachers in the published version; a company the moves away from and to itself there."""
    round_ = light_round(session, user, round_id)  # its frozen document is not needed here
    wanted = round_.proposal_version_id if user.role == Role.bureau else round_.published_version_id
    if wanted is None and user.role != Role.bureau:
        raise Conflict("this round has no published version yet", code="round.not_published")
    # The report is in the solution's stats: only that part is read (a region's solution is
    # megabytes), by the database's own JSON path.
    stats = type_coerce(SolutionVersion.solution, JSON)[("stats", "company_stops")]
    report = (
        session.exec(select(stats).where(SolutionVersion.id == wanted)).first()
        if wanted is not None
        else None
    )
    if wanted is None or report is None:
        return {"version_id": None, "stops": [], "pupils": [], "visits": []}
    pupils, visits = report["pupils"], report["visits"]
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        code = school.code if school else ""
        pupils = [p for p in pupils if p["school"] == code]
        visits = [v for v in visits if v["school"] == code]
    elif user.role == Role.company:
        company = session.get(Company, user.company_id)
        code = company.code if company else ""

        def concerns(move: dict[str, Any]) -> bool:
            return move["from"]["company"] == code or (move["to"] or {}).get("company") == code

        # A company needs the pupil's code and seat only, not the reason it was not placed.
        pupils = [
            {"student": p["student"], "from": p["from"], "to": p["to"]}
            for p in pupils
            if concerns(p)
        ]
        visits = [
            {k: v[k] for k in ("requester", "kind", "from", "to")} for v in visits if concerns(v)
        ]
    return {
        "version_id": wanted,
        "stops": report["stops"],
        "pupils": pupils,
        "visits": visits,
    }
