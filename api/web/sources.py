"""The school's page of sources: calendar links per class and teacher, `.ics` and EDEXML files,
each switched on and off, with its last import and what that import reported (in Dutch).

A face over `api.services.sources`, `timetable_imports` and `pupil_imports`: every import is
all or nothing, and a refusal is shown as a table of record, field and problem. Importing every
calendar link and an EDEXML file run in the background (`api.services.import_runs`): the page
polls the run's card (htmx; without script, a refresh link) until its report is there.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from api.db import saved_id
from api.deps import EngineDep, RunnerDep, SessionDep, SettingsDep
from api.imports.report import ImportProblem, ImportReport, problems_of
from api.models import ImportSourceBase, SchoolClass, SourceKind, Teacher, User
from api.services import import_runs, pupil_imports, sources, timetable_imports
from api.services.errors import ServiceError
from api.web.render import render
from api.web.session import Csrf, SchoolPage

router = APIRouter(include_in_schema=False)
PAGE = "/app/school/sources"


def refused(error: ServiceError) -> list[ImportProblem]:
    """A refusal's problems for the table: an import's own, or the service's sentence; the
    template says each by its type (`refusal.<code>`) in the page's language."""
    return problems_of(error.detail, error.code, error.params)


def feed_host(url: str | None) -> str:
    """Where a link points, without its path: calendar links carry a secret token."""
    return urlsplit(url).hostname or "" if url else ""


def sources_context(session: Session, user: User) -> dict[str, Any]:
    school_id = user.school_id
    classes = session.exec(
        select(SchoolClass.code)
        .where(SchoolClass.school_id == school_id)
        .order_by(col(SchoolClass.code))
    ).all()
    teachers = session.exec(
        select(Teacher.code).where(Teacher.school_id == school_id).order_by(col(Teacher.code))
    ).all()
    listed = sources.list_sources(session, user, school_id)
    return {
        "sources": [
            {
                "row": s,
                "host": feed_host(s.url),
                "report": ImportReport.model_validate(s.last_report) if s.last_report else None,
            }
            for s in listed
            if not timetable_imports.feeds_run(s)
        ],
        # The imports run in the background on this page (every calendar link, EDEXML files).
        "runs": [
            {
                "row": s,
                "feeds": timetable_imports.feeds_run(s),
                "report": ImportReport.model_validate(s.last_report) if s.last_report else None,
            }
            for s in listed
            if s.import_started_at is not None and s.kind in (SourceKind.ical, SourceKind.edexml)
        ],
        "requesters": [("class", c) for c in classes] + [("teacher", t) for t in teachers],
        "result": None,
        "problems": [],
    }


def _page(request: Request, session: Session, user: User, **shown: Any) -> Response:
    return render(request, "school/sources.html", {**sources_context(session, user), **shown})


@router.get("/app/school/sources")
def sources_page(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """The school's sources with their last import and report."""
    return _page(request, session, user)


def _attempt(request: Request, session: Session, user: User, action: Any) -> Response:
    """Run an import; show its report, or every problem when it was refused."""
    try:
        report = action()
    except ServiceError as error:
        session.rollback()
        return _page(request, session, user, problems=refused(error))
    return _page(request, session, user, result=report)


@router.post("/app/school/sources/add", dependencies=[Csrf])
def add_source(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    requester: Annotated[str, Form()],
    url: Annotated[str, Form()],
) -> Response:
    """Add a calendar link of one class or teacher ("class:3KB-A")."""
    kind, _, code = requester.partition(":")
    body = ImportSourceBase(
        kind=SourceKind.ical,
        requester_kind="teacher" if kind == "teacher" else "class",
        requester_code=code,
        url=url,
    )
    try:
        sources.create_source(session, user, None, body)
    except ServiceError as error:
        session.rollback()
        return _page(request, session, user, problems=refused(error))
    return RedirectResponse("/app/school/sources", status_code=303)


@router.post("/app/school/sources/{source_id}/switch", dependencies=[Csrf])
def switch_source(
    source_id: int,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    enabled: Annotated[Literal["on", "off"], Form()],
    version: Annotated[int, Form()],
) -> Response:
    """Switch a source on or off (a stale form is refused on the page)."""
    try:
        sources.switch_source(session, user, source_id, enabled == "on", version)
    except ServiceError as error:
        session.rollback()
        return _page(request, session, user, problems=refused(error))
    return RedirectResponse("/app/school/sources", status_code=303)


@router.post("/app/school/sources/{source_id}/delete", dependencies=[Csrf])
def delete_source(source_id: int, session: SessionDep, user: SchoolPage) -> Response:
    """Remove a source; what it imported stays."""
    sources.delete_source(session, user, source_id)
    return RedirectResponse("/app/school/sources", status_code=303)


@router.post("/app/school/sources/import", dependencies=[Csrf])
def import_feeds(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    settings: SettingsDep,
    runner: RunnerDep,
    engine: EngineDep,
) -> Response:
    """Start fetching and importing every switched-on calendar link, all or nothing; the page
    shows the run's progress, then its report."""
    try:
        run, linked = timetable_imports.start_feed_import(session, user, None)
    except ServiceError as error:
        session.rollback()
        return _page(request, session, user, problems=refused(error))
    run_id, user_id = saved_id(run), saved_id(user)
    import_runs.launch(
        runner,
        f"import-feeds-{run_id}",
        lambda: timetable_imports.run_feed_import(engine, settings, run_id, user_id, linked),
    )
    return RedirectResponse(f"{PAGE}#run-{run_id}", status_code=303)


@router.post("/app/school/sources/ical", dependencies=[Csrf])
def upload_calendar(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    settings: SettingsDep,
    requester: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    """Import one class's or teacher's timetable from an `.ics` file."""
    kind, _, code = requester.partition(":")
    requester_kind: Literal["class", "teacher"] = "teacher" if kind == "teacher" else "class"
    return _attempt(
        request, session, user,
        lambda: timetable_imports.import_calendar_file(
            session, user, None, requester_kind, code, file.filename or "", file.file,
            settings.import_max_bytes,
        ),
    )  # fmt: skip


@router.post("/app/school/sources/edexml", dependencies=[Csrf])
def upload_edexml(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    settings: SettingsDep,
    runner: RunnerDep,
    engine: EngineDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Start importing pupils, classes and teachers from an EDEXML file, all or nothing."""
    try:
        source, content = pupil_imports.start_edexml_import(
            session, user, None, file.filename or "", file.file, settings.import_max_bytes
        )
    except ServiceError as error:
        session.rollback()
        return _page(request, session, user, problems=refused(error))
    source_id, user_id = saved_id(source), saved_id(user)
    import_runs.launch(
        runner,
        f"import-edexml-{source_id}",
        lambda: pupil_imports.run_edexml_import(engine, source_id, user_id, content),
    )
    return RedirectResponse(f"{PAGE}#run-{source_id}", status_code=303)
