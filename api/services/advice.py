"""The one-more-seat advice of a round's proposal, counted as a job (`api.jobs.execute_advice`)
and kept with the proposal's dashboard.

Asking while the same proposal's advice is being counted joins that job rather than refusing:
two people (or a double click) asking for the same figures of the same version get them from
one count, and neither sees an error for something that is under way. An advice changes no
round, so it runs beside a solve; one of a round at a time is held by a partial unique index,
which decides between two requests racing past the first check.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import audit, dashboard_index
from api.db import saved_id
from api.jobs import Runner
from api.models import ACTIVE_JOB_STATUSES, Job, JobKind, Round, User
from api.services.errors import Conflict, NotFound
from api.services.records import commit
from api.services.round_pages import light_round
from api.settings import Settings


def advice_job(session: Session, round_id: int) -> Job | None:
    """The round's newest advice job, running or ended."""
    return session.exec(
        select(Job)
        .where(Job.round_id == round_id, Job.kind == JobKind.advice)
        .order_by(col(Job.id).desc())
    ).first()


def running(session: Session, round_id: int) -> Job | None:
    """The round's queued or running advice, if any."""
    job = advice_job(session, round_id)
    return job if job is not None and job.status in ACTIVE_JOB_STATUSES else None


def proposal_of(session: Session, user: User, round_id: int) -> tuple[Round, int]:
    round_ = light_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise Conflict("no proposal yet: start a solve", code="round.no_proposal")
    return round_, round_.proposal_version_id


def ask(session: Session, user: User, round_id: int, settings: Settings, runner: Runner) -> Job:
    """Queue the advice of the round's proposal and hand it to `runner`; the advice being
    counted for it already, if any (joined). An advice still counting for an older proposal
    is refused: it ends soon, and its figures are kept with the version they belong to."""
    round_, version_id = proposal_of(session, user, round_id)
    joined = joinable(session, round_id, version_id)
    if joined is not None:
        return joined
    job = Job(
        region_id=round_.region_id,
        round_id=saved_id(round_),
        kind=JobKind.advice,
        runner=runner.name,
        params={"version_id": version_id, "time_limit": settings.solve_time_limit},
    )
    session.add(job)
    try:
        session.flush()
    except IntegrityError:  # another request queued one meanwhile
        session.rollback()
        joined = joinable(session, round_id, version_id)
        if joined is not None:
            return joined
        raise Conflict(
            "another advice was asked for this round meanwhile: ask again",
            code="advice.asked_meanwhile",
        ) from None
    audit.record(session, user, "start_advice", "job", job.id,
                 after={"round_id": round_id, "version_id": version_id},
                 region_id=round_.region_id)  # fmt: skip
    commit(session)
    runner.submit(saved_id(job))
    session.refresh(job)
    return job


def joinable(session: Session, round_id: int, version_id: int) -> Job | None:
    """The advice counting for `version_id`; a conflict naming it if it counts for another."""
    job = running(session, round_id)
    if job is None:
        return None
    if job.params.get("version_id") != version_id:
        message = f"job {job.id} is still counting the advice of an earlier proposal"
        raise Conflict([{"loc": ["path", "round_id"], "msg": message,
                         "type": "advice.earlier_proposal", "ctx": {"job": job.id}}])  # fmt: skip
    return job


def stored(session: Session, user: User, round_id: int) -> dict[str, Any]:
    """The advice kept with the round's proposal, with the version it belongs to."""
    _, version_id = proposal_of(session, user, round_id)
    advice = dashboard_index.read(session, version_id).advice
    if advice is None:
        raise NotFound(
            f"no advice asked yet for the proposal (version {version_id})",
            code="advice.not_asked",
            params={"version": version_id},
        )
    return {"version_id": version_id, **advice}
