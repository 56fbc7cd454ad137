"""A school's pages: upload pupils, classes and timetables (CSV or XLSX, with templates and
every refused row shown), and what the published round gave each pupil and class, and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session, col, select

from api import spreadsheets
from api.db import saved_id
from api.deps import SessionDep
from api.models import Placement, Pupil, School, SchoolClass, Teacher, User
from api.services import answers, company_stops, uploads
from api.services.errors import ServiceError
from api.web import views
from api.web.i18n import language_of, translator
from api.web.refusals import why
from api.web.render import render
from api.web.session import Csrf, SchoolPage
from api.web.stories import detail_text, pupil_story
from scheduler.validation import parse_round

router = APIRouter(include_in_schema=False)

UploadKind = Literal["pupils", "classes", "timetables"]
COLUMNS: dict[str, list[str]] = {
    "pupils": ["code", "first_name", "profile", "track", "year", "class", "preferences",
               "periods", "mode", "max_travel_min", "accept_unranked", "priority"],
    "classes": ["code", "year", "profile", "size", "free", "excursion", "guest_lesson",
                "teacher_internship", "distinct_sectors"],
    "timetables": ["code", "free"],
}  # fmt: skip


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
        "kinds": ("pupils", "classes", "timetables"),
        "result": None,
    }


@router.get("/app/school")
def school_data(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """The school's pupils, classes and timetables, with the upload forms."""
    return render(request, "school/data.html", school_context(session, user))


def template_rows(session: Session, user: User, kind: str) -> list[list[Any]]:
    """An example row per kind; the timetable template is the school's own current one."""
    if kind == "pupils":
        wishes = session.exec(
            select(Placement.code).where(Placement.region_id == user.region_id).limit(2)
        ).all()
        return [["st101", "Daan", "PIE", "kb", 3, "", " ".join(wishes or []), "", "bike", 45,
                 "ja", 1]]  # fmt: skip
    if kind == "classes":
        return [["3KB-A", 3, "PIE", 24, "tue-pm thu-am", 1, 1, 0, "nee"]]
    school = own_school(session, user)
    rows = _free_dayparts(session, SchoolClass, school) + _free_dayparts(session, Teacher, school)
    return rows or [["3KB-A", "tue-pm thu-am"]]


# A table with a timetable; a TypeVar, as `select` over a union of tables loses the columns.
Timetabled = TypeVar("Timetabled", SchoolClass, Teacher)


def _free_dayparts(session: Session, table: type[Timetabled], school: School) -> list[list[Any]]:
    """The code and free dayparts of each of the school's classes or teachers."""
    rows = session.exec(select(table).where(table.school_id == school.id)).all()
    return [[row.code, " ".join(row.free)] for row in rows]


@router.get("/app/school/templates/{kind}.{fmt}")
def download_template(
    kind: UploadKind, fmt: Literal["csv", "xlsx"], session: SessionDep, user: SchoolPage
) -> Response:
    """An empty file with the right columns (and an example row) to fill in."""
    columns, rows = COLUMNS[kind], template_rows(session, user, kind)
    if fmt == "csv":
        body, media = spreadsheets.csv_bytes(columns, rows), "text/csv; charset=utf-8"
    else:
        body, media = spreadsheets.xlsx_bytes(kind, columns, rows), spreadsheets.XLSX
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt}"'},
    )


UPLOADS = {
    "pupils": uploads.upload_pupils,
    "classes": uploads.upload_classes,
    "timetables": uploads.upload_timetable,
}


@router.post("/app/school/upload/{kind}", dependencies=[Csrf])
def upload(
    kind: UploadKind,
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
        detail = error.detail if isinstance(error.detail, list) else [{"reason": error.detail}]
        t = translator(language_of(request))
        result["problems"] = [
            {"row": p.get("row", ""), "column": p.get("column", ""), "reason": why(p, t)}
            for p in detail
        ]  # fmt: skip
    context = {**school_context(session, user), "result": result}
    return render(request, "school/data.html", context)


# --- what the published round gave --------------------------------------------------------------


@router.get("/app/school/results")
def results(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """Per pupil and per class: the published outcome and, for the unplaced, the reason."""
    school = own_school(session, user)
    published = views.latest_published(session, user.region_id)
    context: dict[str, Any] = {"school": school, "round": None, "pupils": [], "classes": []}
    if published is not None:
        round_, version = published
        document, solution = version.round_document, version.document
        codes = [s["id"] for s in document.get("students", []) if s["school"] == school.code]
        names = views.first_names(session, user.region_id, codes)
        companies = {c["id"]: c.get("name") or c["id"] for c in document.get("companies", [])}
        outcome: dict[str, Mapping[str, Any]] = {a["student"]: a for a in solution["assignments"]}
        parsed, t = parse_round(document), translator(language_of(request))
        for u in solution["unassigned"]:
            outcome[u["student"]] = {**u, "detail": detail_text(parsed, u, t)}
        # A pupil its company declined is not placed, from the moment of the decline on.
        for declined in answers.Answers(session, round_, version).declined_pupils:
            company = outcome.get(declined["student"], {}).get("company", "")
            outcome[declined["student"]] = {"student": declined["student"], "reason": "DECLINED",
                                            "detail": companies.get(company, company)}  # fmt: skip
        pupils = [
            {"student": code, "first_name": names.get(code, ""), **outcome.get(code, {}),
             "company_name": companies.get(outcome.get(code, {}).get("company", ""), "")}
            for code in codes
        ]  # fmt: skip
        requesters = [
            r["id"]
            for r in document.get("classes", []) + document.get("teachers", [])
            if r["school"] == school.code
        ]
        classes = [
            {
                "code": code,
                "activities": [
                    {**a, "company_name": companies.get(a["company"], a["company"])}
                    for a in solution.get("activities", [])
                    # a teacher's own activities and the excursions it escorts (SPEC 8)
                    if a["requester"] == code or code in a.get("escorts", [])
                ],
                "unplanned": [u for u in solution.get("unplanned", []) if u["requester"] == code],
            }
            for code in requesters
        ]
        context.update(round=round_, version=version, pupils=pupils, classes=classes)
        context["moves"] = company_stops.stop_moves(session, user, saved_id(round_))
    return render(request, "school/results.html", context)


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
    story = pupil_story(
        parse_round(document), published[1].solution, student, translator(language_of(request))
    )
    names = views.first_names(session, user.region_id, [student])
    context = {"student": student, "first_name": names.get(student, ""), "story": story,
               "round": published[0]}  # fmt: skip
    return render(request, "school/pupil.html", context)
