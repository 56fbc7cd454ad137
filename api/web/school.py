"""A school's pages: upload pupils, classes and timetables (CSV or XLSX, with templates and
every refused row shown), and what the published round gave each pupil and class, and why."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api import dashboard_index, spreadsheets, version_index
from api.db import saved_id
from api.deps import SessionDep
from api.imports.columns import DUTCH_HEADERS, dutch_daypart
from api.models import (
    JobKind,
    Placement,
    Pupil,
    Region,
    ResponseStatus,
    School,
    SchoolClass,
    SchoolUpdate,
    SolutionVersion,
    Teacher,
    User,
    VersionPupil,
)
from api.services import answers, company_stops, records, round_pages, uploads
from api.services.errors import ServiceError
from api.version_index import unread
from api.web import views
from api.web.actions import problems
from api.web.common import see_other
from api.web.i18n import language_of, translator
from api.web.refusals import refusal_items, why
from api.web.render import render
from api.web.session import Csrf, SchoolPage
from api.web.stories import pairs_named, pupil_story, without_others
from scheduler.said import said, to_json
from scheduler.validation import parse_round

router = APIRouter(include_in_schema=False)

UploadKind = Literal["pupils", "classes", "timetables", "teachers"]
COLUMNS: dict[str, list[str]] = {
    "pupils": ["code", "first_name", "profile", "track", "year", "class", "preferences",
               "periods", "mode", "max_travel_min", "accept_unranked", "priority"],
    "classes": ["code", "year", "profile", "size", "free", "excursion", "guest_lesson",
                "teacher_internship", "distinct_sectors"],
    "timetables": ["code", "free"],
    "teachers": ["code", "name", "free", "escort", "sectors", "excursion", "guest_lesson",
                 "teacher_internship"],
}  # fmt: skip
# The order of the upload forms on the page: classes before the pupils that name them.
KINDS = ("classes", "pupils", "teachers", "timetables")
PREVIEWED = ("pupils", "teachers")  # uploaded through a preview (`api.web.intake`)


def own_school(session: Session, user: User) -> School:
    school = session.get(School, user.school_id)
    assert school is not None  # a school user always has one
    return school


def school_context(session: Session, user: User) -> dict[str, Any]:
    school = own_school(session, user)
    pupils = session.exec(
        select(Pupil).where(Pupil.school_id == school.id).order_by(col(Pupil.code))
    ).all()
    classes = session.exec(
        select(SchoolClass)
        .where(SchoolClass.school_id == school.id)
        .order_by(col(SchoolClass.code))
    ).all()
    teachers = session.exec(
        select(Teacher).where(Teacher.school_id == school.id).order_by(col(Teacher.code))
    ).all()
    class_code = {k.id: k.code for k in classes}
    return {
        "school": school,
        "pupils": pupils[:500],
        "pupil_count": len(pupils),
        "class_code": class_code,
        "classes": classes,
        "teachers": teachers,
        "kinds": KINDS,
        "previewed": PREVIEWED,
        "school_year": _school_year(session, user),
        "result": None,
        "saved": "",
        "profile_errors": [],
    }


def _school_year(session: Session, user: User) -> bool:
    """Whether the bureau has set the region's school year, which classes' visits need."""
    region = session.get(Region, user.region_id)
    return region is not None and bool(region.calendar)


@router.get("/app/school")
def school_data(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """The school's address, pupils, classes and timetables, with the upload forms."""
    context = school_context(session, user)
    context["saved"] = request.query_params.get("saved", "")
    return render(request, "school/data.html", context)


@router.post("/app/school/profile", dependencies=[Csrf])
def save_profile(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    version: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
) -> Response:
    """The school's street address: its calendar events and visits' LOCATION point there."""
    school = own_school(session, user)
    try:
        body = SchoolUpdate.model_validate({"version": version, "address": address.strip() or None})
        records.update_record(session, records.KIND_OF["school"], user, saved_id(school), body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        context = school_context(session, user)
        context["profile_errors"] = problems(error)
        status = error.status if isinstance(error, ServiceError) else 422
        return render(request, "school/data.html", context, status=status)
    return see_other("/app/school?saved=profile#h-profile")


def template_rows(session: Session, user: User, kind: str, lang: str) -> list[list[Any]]:
    """An example row per kind, in the words of the page's language (the upload reads both);
    the timetable template is the school's own current one."""
    dutch = lang == "nl"
    free = "di-middag do-ochtend" if dutch else "tue-pm thu-am"
    yes, no = ("ja", "nee") if dutch else ("yes", "no")
    if kind == "pupils":
        wishes = session.exec(
            select(Placement.code).where(Placement.region_id == user.region_id).limit(2)
        ).all()
        return [["st101", "Daan", "PIE", "kb", 3, "", " ".join(wishes or []), "",
                 "fiets" if dutch else "bike", 45, yes, 1]]  # fmt: skip
    if kind == "classes":
        return [["3KB-A", 3, "PIE", 24, free, 1, 1, 0, no]]
    if kind == "teachers":
        return [["JAN", "J. Jansen", free, yes, "bouw, energie", 0, 0, 1]]
    school = own_school(session, user)
    rows = _free_dayparts(session, SchoolClass, school) + _free_dayparts(session, Teacher, school)
    if dutch:
        rows = [[code, " ".join(map(dutch_daypart, parts.split()))] for code, parts in rows]
    return rows or [["3KB-A", free]]


# A table with a timetable; a TypeVar, as `select` over a union of tables loses the columns.
Timetabled = TypeVar("Timetabled", SchoolClass, Teacher)


def _free_dayparts(session: Session, table: type[Timetabled], school: School) -> list[list[Any]]:
    """The code and free dayparts of each of the school's classes or teachers."""
    rows = session.exec(select(table).where(table.school_id == school.id)).all()
    return [[row.code, " ".join(row.free)] for row in rows]


@router.get("/app/school/templates/{kind}.{fmt}")
def download_template(
    kind: UploadKind,
    fmt: Literal["csv", "xlsx"],
    request: Request,
    session: SessionDep,
    user: SchoolPage,
) -> Response:
    """An empty file with the right columns (and an example row) to fill in; from a Dutch page
    its headers are Dutch names the upload recognises (`api.imports.columns.DUTCH_HEADERS`)."""
    lang = language_of(request)
    columns = COLUMNS[kind]
    if lang == "nl":
        columns = [DUTCH_HEADERS[kind][c] for c in columns]
    rows = template_rows(session, user, kind, lang)
    if fmt == "csv":
        body, media = spreadsheets.csv_bytes(columns, rows), "text/csv; charset=utf-8"
    else:
        body, media = spreadsheets.xlsx_bytes(kind, columns, rows), spreadsheets.XLSX
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt}"'},
    )


# Pupils and teachers come in through the preview (`api.web.intake`): a school checks what a
# file of its administration system becomes before anything is stored.
DirectKind = Literal["classes", "timetables"]
UPLOADS = {"classes": uploads.upload_classes, "timetables": uploads.upload_timetable}


@router.post("/app/school/upload/{kind}", dependencies=[Csrf])
def upload(
    kind: DirectKind,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Take a filled-in template; show what was added, or every row that was refused."""
    upload_file = UPLOADS[kind]
    result: dict[str, Any] = {"kind": kind, "file": file.filename, "problems": []}
    try:
        result.update(upload_file(session, user, file.filename or "", file.file, None))
    except ServiceError as error:
        session.rollback()
        result["problems"] = refused_problems(error, translator(language_of(request)))
    context = {**school_context(session, user), "result": result}
    return render(request, "school/data.html", context)


def refused_problems(error: ServiceError, t: Callable[[str], str]) -> list[dict[str, Any]]:
    """A refusal as the page's rows of (row, column, problem), the problem in the page's
    language (`api.web.refusals`)."""
    return [
        {"row": p.get("row", ""), "column": p.get("column", ""), "reason": why(p, t)}
        for p in refusal_items(error)
    ]  # fmt: skip


# --- what the published round gave --------------------------------------------------------------


@router.get("/app/school/results")
def results(
    request: Request, session: SessionDep, user: SchoolPage, q: str = "", page: str = "1"
) -> Response:
    """Per pupil (50 a page, searchable by code) and per class: the published outcome and, for
    the unplaced, the reason. The pupils come from the version's index (`api.version_index`);
    the documents are read only for a round with classes or teachers, or a repair's moves."""
    school = own_school(session, user)
    context: dict[str, Any] = {"school": school, "round": None, "pupils": [], "classes": []}
    round_ = round_pages.latest_published_round(session, user.region_id)
    if round_ is None or round_.published_version_id is None:
        return render(request, "school/results.html", context)
    version_id = round_.published_version_id
    summary = version_index.summary(session, version_id)
    filters = round_pages.PupilFilters(
        school=school.code, search=q.strip()[:64], page=int(page) if page.isdigit() else 1
    )
    found = round_pages.pupil_page(session, user, version_id, None, filters)
    companies = dict(map(tuple, summary.facets.get("companies", [])))
    # A pupil its company declined is not placed, from the moment of the decline on.
    declined = {
        student
        for student, answer in round_pages.standing_pupil_answers(
            session, saved_id(round_), version_id
        ).items()
        if answer.status == ResponseStatus.declined
    }
    named = set().union(*(pairs_named(row.get("said")) for row in found.rows))
    own = set(
        session.exec(
            select(VersionPupil.student).where(
                VersionPupil.version_id == version_id,
                VersionPupil.school == school.code,
                col(VersionPupil.student).in_(named),
            )
        ).all()
    )
    pupils = []
    for row in found.rows:
        row = {**row, "said": without_others(row.get("said"), own)}
        name = companies.get(row["company"], row["company"])
        if row["student"] in declined:
            row = {
                "student": row["student"],
                "first_name": row["first_name"],
                "reason": "DECLINED",
                "detail": name,
                "said": to_json(said("detail.declined", company=name)),
                "declined_placement": row["placement"],
                "declined_period": row["period"],
            }
        pupils.append({**row, "company_name": name})
    shown = found.filters

    def link(number: int) -> str:
        query = urlencode({k: v for k, v in shown.query(page=number).items() if k != "school"})
        return f"/app/school/results?{query}" if query else "/app/school/results"

    version = session.exec(
        select(SolutionVersion)
        .where(SolutionVersion.id == version_id)
        .options(*unread(SolutionVersion.round_document, SolutionVersion.solution))
    ).one()
    context.update(
        round=round_,
        version=version,
        pupils=pupils,
        total=found.total,
        search=shown.search,
        page=shown.page,
        pages=found.pages,
        previous=link(shown.page - 1) if shown.page > 1 else "",
        next=link(shown.page + 1) if shown.page < found.pages else "",
        classes=school_classes(
            version, school.code, companies, dashboard_index.read(session, version_id).unplanned
        )
        if summary.requesters
        else [],
        moves=company_stops.stop_moves(session, user, saved_id(round_))
        if version.kind == JobKind.repair
        else None,
    )
    return render(request, "school/results.html", context)


def school_classes(
    version: SolutionVersion,
    school: str,
    companies: Mapping[str, str],
    shortfalls: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """Per class and teacher of `school`: its planned activities and what stayed unplanned,
    from the version's `shortfalls` (`api.dashboard_index`: each with its detail as derived)."""
    document, solution = version.round_document, version.document
    requesters = [
        r["id"]
        for r in document.get("classes", []) + document.get("teachers", [])
        if r["school"] == school
    ]
    return [
        {
            "code": code,
            "activities": [
                {**a, "company_name": companies.get(a["company"], a["company"])}
                for a in solution.get("activities", [])
                # a teacher's own activities and the excursions it escorts (SPEC 8)
                if a["requester"] == code or code in a.get("escorts", [])
            ],
            "unplanned": [u for u in shortfalls or [] if u["requester"] == code],
        }
        for code in requesters
    ]


@router.get("/app/school/results/{student}")
def pupil_result(student: str, request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """One pupil's outcome explained: each better wish and why it did not work out."""
    school = own_school(session, user)
    published = views.latest_published(session, user.region_id)
    if published is None:
        raise HTTPException(404, detail="no_published")
    document = published[1].round_document
    mine = {s["id"] for s in document.get("students", []) if s["school"] == school.code}
    if student not in mine:
        raise HTTPException(404, detail="not_found")
    version_id = saved_id(published[1])
    story = pupil_story(
        parse_round(document),
        published[1].solution,
        student,
        translator(language_of(request)),
        without_others(version_index.pupil_said(session, version_id, student), mine),
    )
    names = views.first_names(session, user.region_id, [student])
    outcome = answers.school_outcomes(session, *published).get(student, {})
    declined = outcome if outcome.get("reason") == "DECLINED" else None
    context = {"student": student, "first_name": names.get(student, ""), "story": story,
               "round": published[0], "declined": declined}  # fmt: skip
    return render(request, "school/pupil.html", context)
