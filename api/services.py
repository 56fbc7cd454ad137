"""Round operations shared by the HTTP routes and the demo, so both take the same code path.

Each function works inside the caller's session and transaction and raises `ServiceError`
with an HTTP status when the request cannot be honoured; nothing here knows about FastAPI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api import audit
from api.converters import region_document
from api.jobs import JobError, job_plan
from api.models import (
    ACTIVE_JOB_STATUSES,
    Job,
    JobKind,
    Region,
    Round,
    RoundStatus,
    SolutionVersion,
    User,
    VersionState,
    utcnow,
)
from api.settings import Settings
from scheduler import steering
from scheduler.contract.solution import Slot
from scheduler.domain import SteeringError
from scheduler.validation import InvalidRound, parse_round


class ServiceError(Exception):
    """A refused operation: `status` is the HTTP status, `detail` says why (and which field)."""

    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(str(detail))
        self.status, self.detail = status, detail


def open_round(session: Session, region: Region, name: str, user: User | None) -> Round:
    """Freeze the region into a new draft round; a region that is not a valid round is 422."""
    document = region_document(session, region, name)
    try:
        parse_round(document)
    except InvalidRound as error:
        raise ServiceError(
            422,
            [
                {"loc": [p.record, p.field], "msg": p.message, "type": "invalid_round"}
                for p in error.problems
            ],
        ) from None
    round_ = Round(
        region_id=region.id,  # type: ignore[arg-type]
        name=name,
        document=document,
        created_by_id=user.id if user else None,
    )
    session.add(round_)
    session.flush()
    audit.record(
        session,
        user,
        "create",
        "round",
        round_.id,
        after={"name": name, "students": len(document["students"])},
        region_id=region.id,
    )
    return round_


def check_pins(document: Mapping[str, Any], pins: Mapping[str, Slot]) -> None:
    """409 naming each pin at fault when `pins` cannot hold in `document` (see
    `scheduler.steering.check_pins`)."""
    try:
        steering.check_pins(document, pins)
    except SteeringError as conflict:
        raise ServiceError(
            409,
            [
                {"loc": ["pins", student], "msg": str(conflict), "type": "pin_conflict"}
                for student in conflict.students or sorted(pins)
            ],
        ) from None


def active_job(session: Session, round_id: int | None) -> Job | None:
    """The round's queued or running job, if any."""
    return session.exec(
        select(Job).where(Job.round_id == round_id, Job.status.in_(ACTIVE_JOB_STATUSES))  # type: ignore[attr-defined]
    ).first()


def create_job(
    session: Session,
    round_: Round,
    kind: JobKind,
    settings: Settings,
    runner: str,
    user: User | None,
    params: dict[str, Any] | None = None,
) -> Job:
    """A queued job for `round_`, the round marked solving.

    409 when a job is already active for the round (the database's unique index on active jobs
    decides between two requests racing past the first check), and, for a re-solve or repair,
    when its pins cannot hold: then nothing is written.
    """
    active = active_job(session, round_.id)
    if active is not None:
        raise ServiceError(409, f"job {active.id} is already {active.status} for this round")
    if kind != JobKind.solve:
        try:
            plan = job_plan(session, round_, kind, params or {})
        except JobError as error:
            raise ServiceError(409, str(error)) from None
        check_pins(plan.document, plan.steering.pinned if plan.steering else {})
    job = Job(
        region_id=round_.region_id,
        round_id=round_.id,  # type: ignore[arg-type]
        kind=kind,
        runner=runner,
        params={
            "time_limit": settings.solve_time_limit,
            "workers": settings.solve_workers,
            "deterministic": settings.solve_deterministic,
            **(params or {}),
        },
    )
    round_.status = RoundStatus.solving
    round_.version += 1
    session.add_all([job, round_])
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ServiceError(409, "another job was started for this round meanwhile") from None
    audit.record(
        session,
        user,
        f"start_{kind}",
        "job",
        job.id,
        after={"round_id": round_.id, "kind": str(kind)},
        region_id=round_.region_id,
    )
    return job


def publish(session: Session, round_: Round, user: User | None) -> SolutionVersion:
    """Publish the round's current proposal as a new immutable version."""
    if round_.status == RoundStatus.solving:
        raise ServiceError(409, "a solve job is running for this round")
    proposal = (
        session.get(SolutionVersion, round_.proposal_version_id)
        if round_.proposal_version_id
        else None
    )
    if proposal is None or (
        round_.published_version_id is not None
        and proposal.id is not None
        and proposal.id <= round_.published_version_id
    ):
        raise ServiceError(409, "there is no new proposal to publish")
    number = max(
        session.exec(
            select(SolutionVersion.number).where(SolutionVersion.round_id == round_.id)
        ).all()
    )
    published = SolutionVersion(
        round_id=round_.id,  # type: ignore[arg-type]
        number=number + 1,
        state=VersionState.published,
        kind=proposal.kind,
        round_document=proposal.round_document,
        solution=proposal.solution,
        changes=proposal.changes,
        based_on_id=proposal.id,
        job_id=proposal.job_id,
        published_at=utcnow(),
        published_by_id=user.id if user else None,
    )
    session.add(published)
    session.flush()
    round_.published_version_id = published.id
    round_.proposal_version_id = published.id
    round_.status = RoundStatus.published
    round_.version += 1
    session.add(round_)
    audit.record(
        session,
        user,
        "publish",
        "round",
        round_.id,
        after={"version_id": published.id, "number": published.number},
        region_id=round_.region_id,
    )
    return published
