"""Solve jobs of a round: a fresh solve, a re-solve around the bureau's pins, their progress
and their cancelling (the repair a company's decline sets off is `api.services.answers`).

A job row is stored and committed before a `Runner` is asked to run it, so a runner never
sees a job the database does not hold. Pins the round cannot hold are refused naming them,
before any job starts; only one job of a round is active at a time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.jobs import JobError, Runner, finish_job, job_plan
from api.models import (
    ACTIVE_JOB_STATUSES,
    Job,
    JobKind,
    JobStatus,
    Round,
    RoundStatus,
    User,
)
from api.services import placement_requests
from api.services.errors import Conflict, NotFound
from api.services.pins import check_pins, round_pins
from api.services.records import commit
from api.services.rounds import get_round
from api.settings import Settings


def active_job(session: Session, round_id: int | None) -> Job | None:
    """The round's queued or running solve, re-solve or repair, if any (an advice changes no
    round: `api.services.advice`)."""
    return session.exec(
        select(Job).where(
            Job.round_id == round_id,
            col(Job.status).in_(ACTIVE_JOB_STATUSES),
            Job.kind != JobKind.advice,
        )
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
    """A queued job for `round_`, the round marked solving, not yet committed.

    A conflict when a job is already active for the round (the database's unique index on
    active jobs decides between two requests racing past the first check), and, for a re-solve
    or repair, when its pins cannot hold: then nothing is written.
    """
    active = active_job(session, round_.id)
    if active is not None:
        raise Conflict(
            f"job {active.id} is already {active.status} for this round", code="solve.running"
        )
    if kind != JobKind.solve:
        try:
            plan = job_plan(session, round_, kind, params or {})
        except JobError as error:
            raise Conflict(
                str(error),
                code="solve.cannot_start",
                params={"version": (params or {}).get("base_version_id")},
            ) from None
        check_pins(plan.document, plan.steering.pinned if plan.steering else {})
    else:  # a fresh solve takes the round's approved requests in and locks them
        params = {**(params or {}), **placement_requests.enter_round(session, round_, user)}
    job = Job(
        region_id=round_.region_id,
        round_id=saved_id(round_),
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
        raise Conflict(
            "another job was started for this round meanwhile", code="solve.running"
        ) from None
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


def start_job(
    session: Session,
    round_: Round,
    kind: JobKind,
    settings: Settings,
    runner: Runner,
    user: User,
    params: dict[str, Any] | None = None,
) -> Job:
    """Store a job and hand it to `runner`."""
    job = create_job(session, round_, kind, settings, runner.name, user, params)
    commit(session)
    runner.submit(saved_id(job))
    session.refresh(job)
    return job


def solve(session: Session, user: User, round_id: int, settings: Settings, runner: Runner) -> Job:
    """Start a fresh solve of the round's snapshot."""
    round_ = get_round(session, user, round_id)
    return start_job(session, round_, JobKind.solve, settings, runner, user)


def resolve(session: Session, user: User, round_id: int, settings: Settings, runner: Runner) -> Job:
    """Start a re-solve of the current proposal: pinned assignments stay, the rest moves as
    little as possible."""
    round_ = get_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise Conflict("nothing to re-solve yet: start a solve first", code="solve.no_proposal")
    params = {
        "base_version_id": round_.proposal_version_id,
        "pins": [
            p.model_dump(include={"student", "placement", "period"})
            for p in round_pins(session, round_id)
        ],
    }
    return start_job(session, round_, JobKind.resolve, settings, runner, user, params)


def list_jobs(session: Session, user: User, round_id: int) -> list[Job]:
    """Every solve job of the round, oldest first."""
    get_round(session, user, round_id)
    return list(
        session.exec(select(Job).where(Job.round_id == round_id).order_by(col(Job.id))).all()
    )


def read_job(session: Session, user: User, job_id: int) -> Job:
    """A job of the user's region."""
    job = session.get(Job, job_id)
    if job is None or job.region_id != user.region_id:
        raise NotFound(
            f"no job {job_id} in your region", code="solve.not_found", params={"job": job_id}
        )
    return job


def cancel_job(session: Session, user: User, job_id: int, runner: Runner) -> Job:
    """Cancel a queued or running job; the round goes back to where it stood."""
    job = read_job(session, user, job_id)
    if job.status not in ACTIVE_JOB_STATUSES:
        raise Conflict(
            f"job {job_id} is already {job.status}", code="solve.finished", params={"job": job_id}
        )
    job.cancel_requested = True
    session.add(job)
    # A job no watcher of ours will see end (queued, another runner's, a Celery task) is
    # ended here; a local child process is terminated and its watcher records the end.
    if job.status == JobStatus.queued or not getattr(runner, "observes_exit", False):
        finish_job(session, job, JobStatus.cancelled, "cancelled by the bureau")
    audit.record(session, user, "cancel", "job", job.id)
    commit(session)
    runner.cancel(job_id)
    session.refresh(job)
    return job
