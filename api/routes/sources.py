"""A school's import sources over HTTP: calendar links per class or teacher, uploaded `.ics`
and EDEXML files, switched on and off, each import all or nothing with its report
(`api.services.sources`, `api.services.timetable_imports`, `api.services.pupil_imports`).

Importing a school's feeds and an EDEXML file answer 202 at once with the source the import
runs on (`api.services.import_runs`); `GET /sources/{id}` shows its progress, then its report
(a refusal included). A single `.ics` file of one class or teacher is small: it is imported
in the request and answers with its report, or 422."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel

from api.db import saved_id
from api.deps import (
    BureauUser,
    EngineDep,
    RunnerDep,
    SchoolOrBureau,
    SessionDep,
    SettingsDep,
)
from api.imports.report import Clash, ImportProblem, ImportReport
from api.models import ImportSource, ImportSourceBase, ImportSourcePublic, Job, JobPublic
from api.services import import_runs, pupil_imports, sources, timetable_imports

router = APIRouter(tags=["sources"])


class SourceSwitch(BaseModel):
    enabled: bool
    version: int


class ImportRefusal(BaseModel):
    """Why an import stored nothing: every problem, naming the record and the field."""

    detail: list[ImportProblem]


REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": ImportRefusal, "description": "the import refused; nothing stored"}
}


@router.get("/schools/{school_id}/sources", response_model=list[ImportSourcePublic])
def list_sources(school_id: int, session: SessionDep, user: SchoolOrBureau) -> list[ImportSource]:
    """The school's sources with their last import and report."""
    return sources.list_sources(session, user, school_id)


@router.post("/schools/{school_id}/sources", response_model=ImportSourcePublic, status_code=201)
def create_source(
    school_id: int, body: ImportSourceBase, session: SessionDep, user: SchoolOrBureau
) -> ImportSource:
    """Add a source: a calendar link (`kind` ical) names its class or teacher."""
    return sources.create_source(session, user, school_id, body)


@router.patch("/sources/{source_id}", response_model=ImportSourcePublic)
def switch_source(
    source_id: int, body: SourceSwitch, session: SessionDep, user: SchoolOrBureau
) -> ImportSource:
    """Switch a source on or off."""
    return sources.switch_source(session, user, source_id, body.enabled, body.version)


@router.delete("/sources/{source_id}", status_code=204)
def delete_source(source_id: int, session: SessionDep, user: SchoolOrBureau) -> None:
    """Remove a source (what it imported stays)."""
    sources.delete_source(session, user, source_id)


@router.get("/sources/{source_id}", response_model=ImportSourcePublic)
def get_source(source_id: int, session: SessionDep, user: SchoolOrBureau) -> ImportSource:
    """One source: poll it while its import runs (`last_status` "running", its phase and
    share done), then read its report."""
    return sources.get_source(session, user, source_id)


@router.post(
    "/schools/{school_id}/sources/import",
    response_model=ImportSourcePublic,
    status_code=202,
    responses=REFUSED,
)
def import_feeds(
    school_id: int,
    session: SessionDep,
    user: SchoolOrBureau,
    settings: SettingsDep,
    runner: RunnerDep,
    engine: EngineDep,
) -> ImportSource:
    """Start importing every enabled calendar link of the school, all or nothing: the answer
    is the school's record of its feed imports, running; poll `GET /sources/{id}`."""
    run, linked = timetable_imports.start_feed_import(session, user, school_id)
    run_id, user_id = saved_id(run), saved_id(user)
    import_runs.launch(
        runner,
        f"import-feeds-{run_id}",
        lambda: timetable_imports.run_feed_import(engine, settings, run_id, user_id, linked),
    )
    session.refresh(run)
    return run


@router.post("/schools/{school_id}/timetables/ical", responses=REFUSED)
def import_calendar_file(
    school_id: int,
    session: SessionDep,
    user: SchoolOrBureau,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="an .ics calendar of one class or teacher")],
    kind: Annotated[Literal["class", "teacher"], Query()],
    code: Annotated[str, Query(description="the class's or teacher's code")],
) -> ImportReport:
    """Import one class's or teacher's timetable from an `.ics` file."""
    return timetable_imports.import_calendar_file(
        session, user, school_id, kind, code, file.filename or "", file.file,
        settings.import_max_bytes,
    )  # fmt: skip


@router.post(
    "/schools/{school_id}/edexml",
    response_model=ImportSourcePublic,
    status_code=202,
    responses=REFUSED,
)
def import_edexml(
    school_id: int,
    session: SessionDep,
    user: SchoolOrBureau,
    settings: SettingsDep,
    runner: RunnerDep,
    engine: EngineDep,
    file: Annotated[UploadFile, File(description="an EDEXML 2.1 file of the school")],
) -> ImportSource:
    """Start importing pupils, classes and teachers from an EDEXML file, all or nothing: the
    answer is the school's EDEXML source, running; poll `GET /sources/{id}` for its report."""
    source, content = pupil_imports.start_edexml_import(
        session, user, school_id, file.filename or "", file.file, settings.import_max_bytes
    )
    source_id, user_id = saved_id(source), saved_id(user)
    import_runs.launch(
        runner,
        f"import-edexml-{source_id}",
        lambda: pupil_imports.run_edexml_import(engine, source_id, user_id, content),
    )
    session.refresh(source)
    return source


@router.get("/rounds/{round_id}/timetable-clashes", response_model=list[Clash])
def timetable_clashes(round_id: int, session: SessionDep, user: BureauUser) -> list[Clash]:
    """The round's planned activities that today's imported timetables no longer allow."""
    return timetable_imports.round_clashes(session, user, round_id)


@router.post("/rounds/{round_id}/repair-timetables", response_model=JobPublic, status_code=202)
def repair_timetables(
    round_id: int, session: SessionDep, user: BureauUser, settings: SettingsDep, runner: RunnerDep
) -> Job:
    """Repair the round with today's timetables: the clashing activities are planned anew,
    every other activity kept."""
    return timetable_imports.repair_clashes(session, user, round_id, settings, runner)
