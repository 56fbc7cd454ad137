"""A school's pages: upload pupils, classes and timetables (CSV or XLSX, with templates and
every refused row shown), and what the published round gave each pupil and class, and why."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, select

from api import audit, spreadsheets
from api.crud import commit
from api.deps import SessionDep
from api.models import Placement, Pupil, School, SchoolClass, SchoolClassCreate, Teacher, User
from api.routes import timetables, uploads
from api.web import views
from api.web.render import render
from api.web.session import Csrf, SchoolPage
from scheduler.explain import explain_student
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
DEMAND_COLUMNS = ("excursion", "guest_lesson", "teacher_internship")


def own_school(session: Session, user: User) -> School:
    school = session.get(School, user.school_id)
    assert school is not None  # a school user always has one
    return school


def school_context(session: Session, user: User) -> dict[str, Any]:
    school = own_school(session, user)
    pupils = session.exec(
        select(Pupil).where(Pupil.school_id == school.id).order_by(Pupil.code)  # type: ignore[arg-type]
    ).all()
    classes = session.exec(
        select(SchoolClass).where(SchoolClass.school_id == school.id).order_by(SchoolClass.code)  # type: ignore[arg-type]
    ).all()
    teachers = session.exec(
        select(Teacher).where(Teacher.school_id == school.id).order_by(Teacher.code)  # type: ignore[arg-type]
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
    rows: list[list[Any]] = []
    for table in (SchoolClass, Teacher):
        for row in session.exec(select(table).where(table.school_id == school.id)).all():  # type: ignore[attr-defined]
            rows.append([row.code, " ".join(row.free)])
    return rows or [["3KB-A", "tue-pm thu-am"]]


@router.get("/app/school/templates/{kind}.{fmt}")
def download_template(
    kind: UploadKind, fmt: Literal["csv", "xlsx"], session: SessionDep, user: SchoolPage
) -> Response:
    """An empty file with the right columns (and an example row) to fill in."""
    columns, rows = COLUMNS[kind], template_rows(session, user, kind)
    if fmt == "csv":
        body, media = spreadsheets.csv_bytes(columns, rows, ";"), "text/csv; charset=utf-8"
    else:
        body, media = spreadsheets.xlsx_bytes(kind, columns, rows), spreadsheets.XLSX
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt}"'},
    )


def dayparts(raw: Any) -> list[str]:
    return [p for p in str(raw or "").replace(",", " ").replace(";", " ").split() if p]


def import_classes(
    session: Session, user: User, school: School, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Classes from table rows, all or nothing, as `api.routes.uploads` does for pupils."""
    existing = {
        k.code: k
        for k in session.exec(
            select(SchoolClass).where(SchoolClass.region_id == user.region_id)
        ).all()
    }
    problems: list[dict[str, Any]] = []
    valid: list[SchoolClassCreate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        values = uploads.cell_values(row, {"year", "size", *DEMAND_COLUMNS}, set())
        demand = {k: values.pop(k) for k in DEMAND_COLUMNS if k in values}
        values["free"] = dayparts(values.pop("free", ""))
        if "distinct_sectors" in values:
            values["distinct_sectors"] = uploads.BOOL_WORDS.get(
                str(values["distinct_sectors"]).lower(), values["distinct_sectors"]
            )
        try:
            klass = SchoolClassCreate.model_validate(
                {**values, "demand": demand, "school_id": school.id}
            )
        except ValidationError as error:
            problems += uploads.problems_of(error, number)
            continue
        if klass.code in seen:
            problems.append({"row": number, "column": "code",
                             "reason": f"code {klass.code!r} twice in the file"})  # fmt: skip
        old = existing.get(klass.code)
        if old is not None and old.school_id != school.id:
            reason = f"code {klass.code!r} belongs to another school"
            problems.append({"row": number, "column": "code", "reason": reason})
        seen.add(klass.code)
        valid.append(klass)
    if problems:
        uploads.refuse(problems)
    created = updated = 0
    for klass in valid:
        old = existing.get(klass.code)
        if old is None:
            new = SchoolClass(**klass.model_dump(), region_id=user.region_id)
            session.add(new)
            session.flush()
            audit.record(session, user, "create", "school_class", new.id,
                         after=audit.snapshot(new))  # fmt: skip
            created += 1
        else:
            before = audit.snapshot(old)
            for key, value in klass.model_dump(exclude_unset=True).items():
                setattr(old, key, value)
            old.version += 1
            session.add(old)
            audit.record(session, user, "update", "school_class", old.id, before=before,
                         after=audit.snapshot(old))  # fmt: skip
            updated += 1
    audit.record(session, user, "upload", "classes", school.id, after={"rows": len(valid)})
    commit(session)
    return {"created": created, "updated": updated}


def import_timetable(
    session: Session, user: User, school: School, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Free dayparts per class or teacher code, written whole by `PUT /timetables/{id}`."""
    current = timetables.read_timetable(school.id, session, user)  # type: ignore[arg-type]
    by_code = {e.code: e for e in current.entries}
    problems: list[dict[str, Any]] = []
    entries: list[timetables.TimetableEntry] = []
    for number, row in enumerate(rows, start=2):
        code = str(row.get("code", "")).strip()
        entry = by_code.get(code)
        if entry is None:
            problems.append({"row": number, "column": "code",
                             "reason": f"no class or teacher {code!r} at this school"})  # fmt: skip
            continue
        try:
            entries.append(
                timetables.TimetableEntry(
                    kind=entry.kind,
                    id=entry.id,
                    code=code,
                    free=dayparts(row.get("free")),
                    version=entry.version,
                )
            )
        except ValidationError as error:
            problems += [{**p, "column": "free"} for p in uploads.problems_of(error, number)]
    if problems:
        uploads.refuse(problems)
    body = timetables.Timetable(school_id=school.id, entries=entries)  # type: ignore[arg-type]
    timetables.write_timetable(school.id, body, session, user)  # type: ignore[arg-type]
    return {"created": 0, "updated": len(entries)}


@router.post("/app/school/upload/{kind}", dependencies=[Csrf])
def upload(
    kind: UploadKind,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Take a filled-in template; show what was added, or every row that was refused."""
    school = own_school(session, user)
    result: dict[str, Any] = {"kind": kind, "file": file.filename, "problems": []}
    try:
        if kind == "pupils":
            counts = uploads.upload_pupils(session, user, file, None)
        else:
            rows = uploads.read_upload(file)
            importer = import_classes if kind == "classes" else import_timetable
            counts = importer(session, user, school, rows)
        result.update(counts)
    except HTTPException as error:
        session.rollback()
        detail = error.detail if isinstance(error.detail, list) else [{"reason": error.detail}]
        result["problems"] = [
            {"row": p.get("row", ""), "column": p.get("column", ""),
             "reason": p.get("reason", p.get("msg", ""))}
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
        document, solution = version.round_document, version.solution
        codes = [s["id"] for s in document.get("students", []) if s["school"] == school.code]
        names = views.first_names(session, user.region_id, codes)
        companies = {c["id"]: c.get("name") or c["id"] for c in document.get("companies", [])}
        outcome = {a["student"]: a for a in solution.get("assignments", [])}
        outcome.update({u["student"]: u for u in solution.get("unassigned", [])})
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
                    if a["requester"] == code
                ],
                "unplanned": [u for u in solution.get("unplanned", []) if u["requester"] == code],
            }
            for code in requesters
        ]
        context.update(round=round_, version=version, pupils=pupils, classes=classes)
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
    story = explain_student(parse_round(document), published[1].solution, student)
    names = views.first_names(session, user.region_id, [student])
    context = {"student": student, "first_name": names.get(student, ""), "story": story,
               "round": published[0]}  # fmt: skip
    return render(request, "school/pupil.html", context)
