"""Imports that run outside the request: one mechanism for every source kind.

A Zermelo or Somtoday import, a school's calendar feeds and an uploaded EDEXML file all wait on
something slow (another system, eight calendar servers, a 2 MB file of 1,500 pupils), so each
runs in a thread of the server (inline when the app's jobs run inline, as in tests) and keeps
its state on the `ImportSource` it reports on: `last_status` "running", the phase it is in and
the share done, which the pages poll. A run has two halves: `read` (no database session held:
network, parsing) and `store` (one transaction: validate every record, then write). Either may
refuse (`RunRefused`, or a service's 422): then nothing is stored and the source keeps the
report naming each record and field. Every run ends, whatever happens, with its report on the
source and an audit entry; an unforeseen error ends it as "failed" rather than leaving it
"running".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from api import audit
from api.db import saved_id, session_scope
from api.imports.report import ImportProblem, ImportReport, problems_of
from api.jobs import Runner
from api.models import ImportSource, User, utcnow
from api.services import sources
from api.services.errors import Conflict, ServiceError
from api.services.records import commit

log = logging.getLogger(__name__)

STALE_RUN = timedelta(minutes=30)  # the longest an import may run before it counts as dead
MAX_PROBLEMS = 200  # a report lists this many refused records; `notes` counts the rest

Progress = Callable[[str, float], None]
Read = TypeVar("Read")


class RunRefused(Exception):
    """An import that stores nothing: every problem, named as the source names the record.
    `status` is "refused" when records were refused, "failed" when the source was unreadable."""

    def __init__(self, problems: Iterable[ImportProblem], status: str = "refused") -> None:
        self.problems = list(problems)
        self.status = status
        super().__init__(f"{len(self.problems)} problem(s)")


def running(source: ImportSource) -> bool:
    """A run marked on the source that has not outlived `STALE_RUN` (else it died with its
    server and may be started again)."""
    started = source.import_started_at
    if source.last_status != "running" or started is None:
        return False
    return utcnow() - (started if started.tzinfo else started.replace(tzinfo=UTC)) < STALE_RUN


def mark_running(session: Session, source: ImportSource) -> ImportSource:
    """Mark an import of the source as queued (one per source at a time) and commit, so the
    page shows it before the run's thread begins."""
    if running(source):
        raise Conflict("an import of this source is running already", code="import.running")
    source.last_status, source.import_phase, source.import_progress = "running", "queued", 0.0
    source.import_started_at = utcnow()
    session.add(source)
    commit(session)
    return source


def launch(runner: Runner, name: str, work: Callable[[], object]) -> None:
    """Run `work` in a thread of the server, or at once when the app's jobs run inline."""
    if runner.name == "inline":
        work()
    else:
        threading.Thread(target=work, daemon=True, name=name).start()


def run(
    engine: Engine,
    source_id: int,
    user_id: int,
    read: Callable[[Progress], Read],
    store: Callable[[Session, User, ImportSource, Read], ImportReport],
) -> str:
    """Read, then store all or nothing; the report lands on the source. Returns the run's
    status: imported, refused (a record) or failed (the source, or an unforeseen error)."""
    kind = "import"
    try:
        with session_scope(engine) as session:
            source = session.get(ImportSource, source_id)
            if source is None or session.get(User, user_id) is None:
                return "failed"
            kind = source.kind.value
        try:
            found = read(progress(engine, source_id))
        except RunRefused as refusal:
            return _finish(engine, source_id, user_id, refusal.status, refusal.problems)
        with session_scope(engine) as session:
            source, user = session.get(ImportSource, source_id), session.get(User, user_id)
            if source is None or user is None:
                return "failed"
            try:
                report = store(session, user, source, found)
            except (RunRefused, ServiceError) as error:
                session.rollback()
                refused = (
                    error.problems
                    if isinstance(error, RunRefused)
                    else problems_of(error.detail, error.code, error.params)
                )
                return _finish(engine, source_id, user_id, "refused", refused)
            report.source = kind
            sources.record_import(session, user, source, report)
            source.import_phase, source.import_progress = "imported", 1.0
            commit(session)
        return "imported"
    except Exception as error:
        log.exception("import of source %s stopped", source_id)
        problem = ImportProblem(
            record=kind,
            reason=f"the import stopped ({type(error).__name__}: {error})",
            type="import.stopped",
            ctx={"error": f"{type(error).__name__}: {error}"},
        )
        return _finish(engine, source_id, user_id, "failed", [problem])


def progress(engine: Engine, source_id: int) -> Progress:
    """Writes the phase and share done to the source, so the page can show the run."""

    def write(phase: str, share: float) -> None:
        with session_scope(engine) as session:
            source = session.get(ImportSource, source_id)
            if source is not None:
                source.import_phase, source.import_progress = phase[:200], round(share, 3)
                session.add(source)

    return write


def _finish(
    engine: Engine, source_id: int, user_id: int, status: str, problems: list[ImportProblem]
) -> str:
    """End a run that stored nothing: its report and an audit entry on the source."""
    with session_scope(engine) as session:
        source, user = session.get(ImportSource, source_id), session.get(User, user_id)
        if source is None or user is None:
            return status
        report = ImportReport(source=source.kind.value, problems=problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            report.note(
                f"{len(problems)} problems, the first shown",
                "sources.note.more_problems",
                count=len(problems),
                shown=MAX_PROBLEMS,
            )
        before = audit.snapshot(source)
        before.pop("last_report", None)
        source.last_status, source.import_phase, source.import_progress = status, status, 1.0
        source.last_import_at, source.last_report = report.at, report.model_dump(mode="json")
        source.version += 1
        session.add(source)
        after = {
            "source": saved_id(source),
            "kind": str(source.kind),
            "status": status,
            "problems": [p.model_dump() for p in report.problems[:20]],
        }
        audit.record(
            session, user, "import", "import_source", source.id, before=before, after=after
        )
    return status
