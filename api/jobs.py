"""Solve jobs: stored, run away from the API process, and never able to corrupt a round.

A job row is created in the request that asks for a solve; `execute_job` then runs wherever a
runner puts it (a child process, a Celery worker, or inline for the demo) and talks to the
database only: it reads the round, writes progress, and in one final transaction stores the new
solution version, marks the job succeeded and the round proposed. A worker that dies before that
transaction leaves nothing half-written: the job is then marked failed (by the runner that saw
its process end, or at the next start-up) and the round goes back to where it stood, with every
earlier version, the last published one included, untouched.

A worker claims its job with a fresh attempt token, and every write it makes afterwards (progress,
failure, the result) names that token in its WHERE clause: a worker given up on (its API
restarted, its Celery task redelivered elsewhere) changes zero rows. A local worker leads its own
process group, which the next start-up of the API ends whole.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import secrets
import signal
import threading
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import Engine, Update, func, update
from sqlmodel import Session, col, select

from api import dashboard_index, seat_advice, version_index
from api.converters import standing_exclusions, standing_stops
from api.db import make_engine, saved_id, session_scope
from api.imports.release import released
from api.mail_queue import enqueue, users_of
from api.mail_words import mail_text
from api.models import (
    ACTIVE_JOB_STATUSES,
    Job,
    JobKind,
    JobStatus,
    NotificationKind,
    Role,
    Round,
    RoundStatus,
    SolutionVersion,
    VersionDashboard,
    VersionState,
    utcnow,
)
from api.round_entry import entered_document
from scheduler import company_stops, steering
from scheduler.contract.solution import Solution
from scheduler.domain import SteeringError
from scheduler.progress import Progress
from scheduler.steering import Plan
from scheduler.verify import verify

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5  # progress rows written at most this often, so SQLite stays calm


class JobError(Exception):
    """A job that cannot run: the message is stored on the job for the bureau to read."""


class Runner(Protocol):
    """Where `execute_job` runs: `submit` returns at once, `cancel` stops a running job."""

    name: str

    def submit(self, job_id: int) -> None: ...

    def cancel(self, job_id: int) -> None: ...


# --- the life cycle of a round around its jobs -------------------------------------------------


def settled_status(round_: Round) -> RoundStatus:
    """Where a round stands without a running job: its newest version says."""
    proposal, published = round_.proposal_version_id, round_.published_version_id
    if proposal is not None and (published is None or proposal > published):
        return RoundStatus.proposed
    if published is not None:
        return RoundStatus.published
    return RoundStatus.draft


def finish_job(session: Session, job: Job, status: JobStatus, message: str) -> None:
    """End `job` without a result (failed or cancelled) and settle its round."""
    job.status = status
    job.message = message[:2000]
    job.phase = str(status)
    job.finished_at = utcnow()
    session.add(job)
    round_ = session.get(Round, job.round_id)
    if round_ is not None and round_.status == RoundStatus.solving:
        round_.status = settled_status(round_)
        session.add(round_)


def recover_jobs(engine: Engine, runner: str, stale_after_s: float | None = None) -> int:
    """Mark the jobs a crashed or restarted `runner` left active as failed; returns how many.

    For the local runner (run at start-up) every active job is stale: its child died with the
    old process. For Celery, only jobs without a sign of life for `stale_after_s` seconds are:
    a lost task is normally redelivered by Redis, this catches the case where no worker is left.
    """
    with session_scope(engine) as session:
        query = select(Job).where(col(Job.status).in_(ACTIVE_JOB_STATUSES), Job.runner == runner)
        stale = session.exec(query).all()
        if stale_after_s is not None:
            cutoff = utcnow() - timedelta(seconds=stale_after_s)
            stale = [j for j in stale if _as_utc(j.heartbeat_at or j.created_at) < cutoff]
        for job in stale:
            end_process_group(job.process_group)
            finish_job(session, job, JobStatus.failed, "the worker stopped (restart or crash)")
        return len(stale)


def end_process_group(group: int | None) -> None:
    """Kill a local worker's process group left running by an API process that was killed
    before it could stop its children (never the group of this process)."""
    if group is None or group == os.getpgid(0):
        return
    # Gone already, or the number now belongs to another user's processes: nothing to end.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def job_plan(session: Session, round_: Round, kind: JobKind, params: Mapping[str, Any]) -> Plan:
    """What a job of `kind` with `params` solves: the round's snapshot for a fresh solve, else
    the version it starts from (`base_version_id`) steered by its pins and declines; either
    way with the region's standing declines as of now (SPEC section 7) and its standing company
    stops, written over the round's own snapshot so a lifted stop gives its seats back."""
    exclusions = standing_exclusions(session, round_.region_id)
    stops = [stop for _, stop in standing_stops(session, round_.region_id)]
    if kind == JobKind.solve:
        # A round with placement requests plans only the pupils they entered (api.round_entry).
        document = entered_document(round_.document, params.get("requests"))
        return steering.plan(document, exclusions=exclusions, stops=stops)
    base = session.get(SolutionVersion, params.get("base_version_id"))
    if base is None or base.round_id != round_.id:
        raise JobError("the version to re-solve is gone")
    document, solution = base.round_document, base.solution
    if "timetables" in params:  # a repair after a timetable import (api.imports.release)
        document, solution = released(document, solution, params["timetables"])
    return steering.plan(
        document,
        solution,
        pins=params.get("pins", []),
        declines=params.get("declines", []) if kind == JobKind.repair else (),
        activity_declines=params.get("activity_declines", []) if kind == JobKind.repair else (),
        exclusions=exclusions,
        stops=stops,
        original=round_.document,
    )


def job_input(session: Session, job: Job) -> Plan:
    """The plan of a stored job, from its parameters."""
    round_ = session.get(Round, job.round_id)
    if round_ is None:
        raise JobError(f"round {job.round_id} is gone")
    return job_plan(session, round_, job.kind, job.params)


# --- the worker side ---------------------------------------------------------------------------


class _ProgressWriter:
    """Writes a job's progress and heartbeat to its row, at most every `PROGRESS_EVERY_S`,
    while the job is still this worker's `attempt`."""

    def __init__(self, engine: Engine, job_id: int, attempt: str) -> None:
        self.engine, self.job_id, self.attempt, self.last = engine, job_id, attempt, 0.0

    def __call__(self, event: Progress) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        values: dict[str, Any] = {
            "phase": f"{event.problem}: {event.phase}"[:200],
            "elapsed": round(event.elapsed, 2),
            "heartbeat_at": utcnow(),
        }
        if event.best is not None:
            values["best_objective"] = float(event.best)
        if event.bound is not None:
            values["bound"] = float(event.bound)
        try:
            with self.engine.begin() as connection:
                connection.execute(held(self.job_id, self.attempt).values(**values))
        except Exception:  # progress is best effort: a busy database must not stop a solve
            log.exception("could not record progress of job %s", self.job_id)


def execute_job(
    database_url: str,
    job_id: int,
    *,
    engine: Engine | None = None,
    resume: bool = False,
    worker: str | None = None,
    process_group: int | None = None,
) -> JobStatus:
    """Run one stored job to its end and return its final status.

    `resume` lets a job already marked running start over (a Celery task redelivered after its
    worker died): a solve reads only the round's stored data, so running it again is safe, and
    the new attempt token shuts the earlier worker out should it still be alive.
    """
    engine = engine or make_engine(database_url)
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        allowed = (JobStatus.queued, JobStatus.running) if resume else (JobStatus.queued,)
        if job is None or job.status not in allowed:
            return job.status if job else JobStatus.failed
        if job.cancel_requested:
            finish_job(session, job, JobStatus.cancelled, "cancelled before it started")
            return JobStatus.cancelled
        if job.status == JobStatus.running:
            job.message = f"restarted after its worker ({job.worker}) was lost"
        job.status = JobStatus.running
        job.phase = "reading the round"
        job.started_at = job.heartbeat_at = utcnow()
        job.worker = worker or f"pid {os.getpid()}"
        job.attempt = attempt = secrets.token_hex(8)
        job.process_group = process_group
        session.add(job)
        params = dict(job.params)
        plan: Plan | None = None
        if job.kind != JobKind.advice:  # the advice counts on a stored version: no plan
            try:
                plan = job_input(session, job)
            except JobError as error:
                finish_job(session, job, JobStatus.failed, str(error))
                return JobStatus.failed
    time_limit = float(params.get("time_limit", 30.0))
    workers = int(params.get("workers", 2))
    deterministic = bool(params.get("deterministic", False))
    if plan is None:
        return execute_advice(engine, job_id, attempt, params)
    try:
        document, solution = solve_document(
            plan,
            time_limit=time_limit,
            workers=workers,
            deterministic=deterministic,
            progress=_ProgressWriter(engine, job_id, attempt),
        )
    except Exception as error:
        if isinstance(error, SteeringError):  # pins or kept activities the round breaks
            message = f"what must stay cannot hold: {error}"
        else:
            log.exception("job %s failed", job_id)
            message = f"{type(error).__name__}: {error}"
        return fail_held(engine, job_id, attempt, message)
    return store_result(engine, job_id, attempt, document, solution)


def fail_held(engine: Engine, job_id: int, attempt: str, message: str) -> JobStatus:
    """Mark the job failed with `message`, only while `attempt` still runs it."""
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is not None and job.status == JobStatus.running and job.attempt == attempt:
            finish_job(session, job, JobStatus.failed, message)
    return JobStatus.failed


def execute_advice(
    engine: Engine, job_id: int, attempt: str, params: Mapping[str, Any]
) -> JobStatus:
    """Count the one-more-seat advice of the version `params` names and keep it with that
    version's dashboard (`api.seat_advice`). The advice is written in the one transaction that
    marks the job succeeded, and only while `attempt` holds the job: a failure, a cancel or a
    worker given up on leaves the advice the version had, and the round is never touched."""
    started = time.monotonic()

    def phase(name: str) -> None:
        values = {"phase": f"advice: {name}", "elapsed": round(time.monotonic() - started, 2),
                  "heartbeat_at": utcnow()}  # fmt: skip
        try:
            with engine.begin() as connection:
                connection.execute(held(job_id, attempt).values(**values))
        except Exception:  # progress is best effort, as a solve's (`_ProgressWriter`)
            log.exception("could not record progress of job %s", job_id)

    version_id = params.get("version_id")
    try:
        with session_scope(engine) as session:
            version = session.get(SolutionVersion, version_id)
            if version is None:
                raise JobError(f"solution version {version_id} is gone")
            document = version.round_document
        time_limit = float(params.get("time_limit", 30.0))
        advice = seat_advice.advice_of(document, time_limit=time_limit, progress=phase)
    except Exception as error:
        message = str(error)
        if not isinstance(error, JobError):
            log.exception("advice job %s failed", job_id)
            message = f"{type(error).__name__}: {error}"
        return fail_held(engine, job_id, attempt, message)
    with session_scope(engine) as session:
        done = held(job_id, attempt).values(
            status=JobStatus.succeeded,
            phase="done",
            finished_at=utcnow(),
            elapsed=round(time.monotonic() - started, 2),
            message=f"{len(advice['seats'])} seats",
        )
        if session.exec(done).rowcount != 1:  # cancelled or given up on: nothing is kept
            job = session.get(Job, job_id)
            return job.status if job else JobStatus.failed
        dashboard = session.get(VersionDashboard, version_id)
        if dashboard is None:  # a version stored before the dashboard: counted now
            version = session.get(SolutionVersion, version_id)
            assert version is not None
            dashboard = dashboard_index.build(session, version)
        dashboard.advice = advice
        session.add(dashboard)
    return JobStatus.succeeded


def solve_document(
    plan: Plan, *, time_limit: float, workers: int, deterministic: bool = False, progress: Any
) -> tuple[dict[str, Any], Solution]:
    """Solve a plan and prove the solution holds in its round: (round document, solution)."""
    solution = steering.solve_plan(
        plan,
        time_limit=time_limit,
        workers=workers,
        deterministic=deterministic,
        progress=progress,
    )
    violations = verify(plan.round_, solution)
    if violations:
        listed = "; ".join(str(v) for v in violations[:5])
        raise JobError(f"the solution breaks {len(violations)} rule(s): {listed}")
    return plan.document, solution


def solution_changes(kind: JobKind, solution: Mapping[str, Any]) -> int | None:
    """The solver's count of pupils of the previous proposal moved or dropped (None for a
    fresh solve; 0 when the previous proposal placed nobody)."""
    if kind == JobKind.solve:
        return None
    return solution.get("stats", {}).get("placements", {}).get("changes") or 0


def held(job_id: int, attempt: str) -> Update:
    """An UPDATE of the job that changes its row only while `attempt` still runs it."""
    return update(Job).where(
        col(Job.id) == job_id,
        col(Job.status) == JobStatus.running,
        col(Job.attempt) == attempt,
    )


def store_result(
    engine: Engine, job_id: int, attempt: str, document: dict[str, Any], solution: Solution
) -> JobStatus:
    """The one transaction that makes a job's result visible: version, job and round together.

    It starts by marking the job succeeded only if `attempt` still holds it, in one UPDATE, so
    that no check can go stale before the write: a worker given up on changes nothing."""
    with session_scope(engine) as session:
        done = held(job_id, attempt).values(
            status=JobStatus.succeeded, phase="done", finished_at=utcnow()
        )
        if session.exec(done).rowcount != 1:
            # Cancelled, given up on or taken over while solving: the result is dropped.
            job = session.get(Job, job_id)
            return job.status if job else JobStatus.failed
        job = session.get(Job, job_id)
        assert job is not None
        round_ = session.get(Round, job.round_id)
        assert round_ is not None
        number = (
            session.exec(
                select(func.max(SolutionVersion.number)).where(
                    SolutionVersion.round_id == round_.id
                )
            ).one()
            or 0
        ) + 1
        if job.params.get("stops"):
            solution = with_stop_report(session, job, solution)
        version = SolutionVersion(
            round_id=saved_id(round_),
            number=number,
            state=VersionState.proposal,
            kind=job.kind,
            round_document=document,
            solution=cast(dict[str, Any], solution),  # stored as the JSON object it is
            changes=solution_changes(job.kind, solution),
            based_on_id=job.params.get("base_version_id"),
            job_id=job.id,
        )
        session.add(version)
        session.flush()
        version_index.build(session, version)
        objective = solution.get("objective", {})
        job.result_version_id = version.id
        job.best_objective = objective.get("cost")
        restarted = job.message if job.message.startswith("restarted") else ""
        job.message = (
            f"{len(solution.get('assignments', []))} placed, "
            f"{len(solution.get('unassigned', []))} unplaced"
            + ("" if version.changes is None else f", {version.changes} changed")
            + (f" ({restarted})" if restarted else "")
        )
        round_.proposal_version_id = version.id
        round_.status = RoundStatus.proposed
        round_.version += 1
        session.add_all([job, round_])
        if job.kind == JobKind.repair:
            tell_bureau_of_repair(session, round_, version, job.message)
        return JobStatus.succeeded


def tell_bureau_of_repair(
    session: Session, round_: Round, version: SolutionVersion, message: str
) -> None:
    """A repair's proposal waits for the bureau: mail it in the transaction that stores it.
    Schools and companies hear of the moves when the bureau publishes them."""
    params = {"round": round_.name, "changes": version.changes or 0, "message": message}

    def mail(lang: str) -> tuple[str, str]:
        return (
            mail_text(lang, "repair.bureau.subject", **params),
            mail_text(lang, "repair.bureau.body", **params),
        )

    bureau = users_of(session, round_.region_id, Role.bureau)
    enqueue(session, bureau, NotificationKind.repair_moved, mail, f"/app/bureau/rounds/{round_.id}")


def with_stop_report(session: Session, job: Job, solution: Solution) -> Solution:
    """`solution` with `stats.company_stops`: who the repair's company stops displaced from the
    version it started from, and where they went (`scheduler.company_stops.stop_report`)."""
    base = session.get(SolutionVersion, job.params.get("base_version_id"))
    if base is None:
        return solution
    stops = [
        company_stops.CompanyStop(s["company"], date.fromisoformat(s["stopped_from"]))
        for s in job.params.get("stopped", [])
    ]
    report = company_stops.stop_report(base.round_document, base.document, solution, stops)
    stats = {**solution.get("stats", {}), "company_stops": report}
    return cast(Solution, {**solution, "stats": stats})


# --- runners -----------------------------------------------------------------------------------


class InlineRunner:
    """Runs a job in the calling thread: the demo, and tests that want no second process."""

    name = "inline"

    def __init__(self, database_url: str, engine: Engine | None = None) -> None:
        self.database_url, self.engine = database_url, engine

    def submit(self, job_id: int) -> None:
        execute_job(self.database_url, job_id, engine=self.engine, worker="inline")

    def cancel(self, job_id: int) -> None:
        """Nothing runs in the background; a queued job is cancelled by the caller."""


def _process_main(database_url: str, job_id: int) -> None:
    """Entry point of a worker process (spawned: no state inherited from the API process).

    The worker leads a session and process group of its own, recorded on its job: an API
    process killed with -9 cannot stop it, so the next start-up ends that group."""
    os.setsid()
    logging.basicConfig(level=logging.WARNING)
    execute_job(database_url, job_id, process_group=os.getpgid(0))


class LocalRunner:
    """One child process per job, so a long CP-SAT search never blocks the API's event loop.

    A watcher thread waits for each child; when one ends without having finished its job (a
    kill, a crash, a cancel), the job is marked failed or cancelled at once.
    """

    name = "local"
    observes_exit = True

    def __init__(self, database_url: str, engine: Engine) -> None:
        self.database_url, self.engine = database_url, engine
        self._context = multiprocessing.get_context("spawn")
        self._processes: dict[int, Any] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        process = self._context.Process(
            target=_process_main,
            args=(self.database_url, job_id),
            name=f"stagebureau-job-{job_id}",
            daemon=True,
        )
        process.start()
        with self._lock:
            self._processes[job_id] = process
        threading.Thread(
            target=self._watch, args=(job_id, process), name=f"watch-job-{job_id}", daemon=True
        ).start()

    def pid(self, job_id: int) -> int | None:
        """The worker process of a running job (tests kill it to prove recovery)."""
        with self._lock:
            process = self._processes.get(job_id)
        return process.pid if process is not None else None

    def cancel(self, job_id: int) -> None:
        with self._lock:
            process = self._processes.get(job_id)
        if process is not None and process.is_alive():
            process.terminate()

    def _watch(self, job_id: int, process: Any) -> None:
        process.join()
        with self._lock:
            self._processes.pop(job_id, None)
        try:
            with session_scope(self.engine) as session:
                job = session.get(Job, job_id)
                if job is None or job.status not in ACTIVE_JOB_STATUSES:
                    return
                if job.cancel_requested:
                    finish_job(session, job, JobStatus.cancelled, "cancelled by the bureau")
                else:
                    finish_job(
                        session,
                        job,
                        JobStatus.failed,
                        f"the worker process ended without a result (exit code {process.exitcode})",
                    )
        except Exception:
            log.exception("could not settle job %s after its worker ended", job_id)

    def shutdown(self) -> None:
        """Stop every child (the API is going down); their jobs are then marked failed."""
        with self._lock:
            processes = list(self._processes.values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
