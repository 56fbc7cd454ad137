"""The school's page of sources: calendar links per class and teacher, `.ics` and EDEXML files,
each switched on and off, with its last import and what that import reported (in Dutch).

A face over `api.services.sources`, `timetable_imports` and `pupil_imports`: every import is
all or nothing, and a refusal is shown as a table of record, field and problem.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from api.deps import SessionDep, SettingsDep
from api.imports.report import ImportReport, problems_of
from api.models import ImportSourceBase, SchoolClass, SourceKind, Teacher, User
from api.services import pupil_imports, sources, timetable_imports
from api.services.errors import ServiceError
from api.web.render import render
from api.web.session import Csrf, SchoolPage

router = APIRouter(include_in_schema=False)


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
        return _page(request, session, user, problems=problems_of(error.detail))
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
        return _page(request, session, user, problems=problems_of(error.detail))
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
        return _page(request, session, user, problems=problems_of(error.detail))
    return RedirectResponse("/app/school/sources", status_code=303)


@router.post("/app/school/sources/{source_id}/delete", dependencies=[Csrf])
def delete_source(source_id: int, session: SessionDep, user: SchoolPage) -> Response:
    """Remove a source; what it imported stays."""
    sources.delete_source(session, user, source_id)
    return RedirectResponse("/app/school/sources", status_code=303)


@router.post("/app/school/sources/import", dependencies=[Csrf])
def import_feeds(
    request: Request, session: SessionDep, user: SchoolPage, settings: SettingsDep
) -> Response:
    """Fetch and import every switched-on calendar link, all or nothing."""
    return _attempt(
        request, session, user,
        lambda: timetable_imports.import_school_feeds(session, user, settings, None),
    )  # fmt: skip


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
    file: Annotated[UploadFile, File()],
) -> Response:
    """Import pupils, classes and teachers from an EDEXML file, all or nothing."""
    return _attempt(
        request, session, user,
        lambda: pupil_imports.import_edexml(
            session, user, None, file.filename or "", file.file, settings.import_max_bytes
        ),
    )  # fmt: skip
