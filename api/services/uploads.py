"""Bulk upload of CSV and XLSX files: pupils, classes and timetables per school, capacity
(placements) per company; the one pipeline of the API's upload routes and the school's page.

All or nothing: every row is checked first, and one bad row refuses the whole file with a list
of every problem as (row number, column, reason), the header being row 1. Only a clean file
writes anything; a row whose code exists already updates that record (bumping its version).

The file is read from its spooled copy in the caller's thread: the routes and the page are plain
functions, not coroutines, which FastAPI runs in its thread pool, so parsing and storing a file
of thousands of rows never holds up other users' requests on the event loop.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, BinaryIO

import charset_normalizer
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session, select

from api import audit
from api.db import row_of, saved_id
from api.imports.columns import ColumnMap, mapped_row, normal, recognise
from api.imports.minimise import home_point
from api.models import (
    Company,
    EventRequest,
    EventRequestCreate,
    Placement,
    PlacementCreate,
    Pupil,
    PupilCreate,
    Role,
    School,
    SchoolClass,
    SchoolClassCreate,
    Teacher,
    TeacherCreate,
    User,
)
from api.services import timetables
from api.services.errors import Forbidden, Invalid, plain_ctx
from api.services.import_codes import platform_code
from api.services.records import check_pupil_class, commit
from scheduler.contract.round import ACTIVITY_KINDS

MAX_BYTES = 5 * 1024 * 1024
LEGACY_ENCODINGS = ["cp1252", "latin_1"]
LIST_FIELDS = {"preferences", "periods", "profiles", "tracks"}
BOOL_WORDS = {"true": True, "yes": True, "ja": True, "1": True,
              "false": False, "no": False, "nee": False, "0": False}  # fmt: skip


class UploadProblems(Exception):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems


def read_table(name: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV (comma or semicolon) or XLSX file as dicts keyed by lower-case header."""
    if content[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    text = decode_text(content)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": the csv module splits lines itself, so a lone carriage return is a line end.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if reader.fieldnames is None:
        raise UploadProblems(
            [
                {
                    "row": 1,
                    "column": "",
                    "reason": "the file has no header row",
                    "type": "upload.no_header",
                }
            ]
        )
    try:
        return [
            {
                (k or "").strip().lower(): (v.strip() if isinstance(v, str) else v)
                for k, v in r.items()
            }
            for r in reader
        ]
    except csv.Error as error:  # a cell beyond the reader's limit, say: the file's fault
        raise UploadProblems(
            [
                {
                    "row": reader.line_num,
                    "column": "",
                    "reason": f"not a readable CSV file: {error}",
                    "type": "upload.not_csv",
                }
            ]
        ) from None


def decode_text(content: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), else what older Dutch Excel writes.

    Detection is limited to Windows-1252 and Latin-1 because a free guess misreads short Dutch
    files ("Hélène" came out as big5); it still refuses bytes that are no text at all.
    """
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(content, cp_isolation=LEGACY_ENCODINGS).best()
    if guess is None:
        raise UploadProblems(
            [
                {
                    "row": 0,
                    "column": "",
                    "reason": "not text in UTF-8 or Windows-1252",
                    "type": "upload.encoding",
                }
            ]
        )
    return str(guess)


def _read_xlsx(content: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as error:
        raise UploadProblems(
            [
                {
                    "row": 0,
                    "column": "",
                    "reason": f"not a readable XLSX file: {error}",
                    "type": "upload.not_xlsx",
                }
            ]
        ) from None
    if not rows:
        raise UploadProblems(
            [{"row": 1, "column": "", "reason": "the sheet is empty", "type": "upload.empty_sheet"}]
        )
    header = [str(h or "").strip().lower() for h in rows[0]]
    return [
        {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row, strict=False) if h}
        for row in rows[1:]
        if any(v not in (None, "") for v in row)
    ]


def cell_values(row: dict[str, Any], int_fields: set[str], float_fields: set[str]) -> dict:
    """Cells to the types the models expect; empty cells are left out (defaults apply)."""
    values: dict[str, Any] = {}
    for key, raw in row.items():
        if raw in ("", None):
            continue
        if key in LIST_FIELDS:
            values[key] = [p for p in str(raw).replace(",", " ").replace(";", " ").split() if p]
        elif key == "accept_unranked":
            values[key] = BOOL_WORDS.get(str(raw).lower(), raw)
        elif key in int_fields:
            values[key] = cell_number(raw, int)
        elif key in float_fields:
            values[key] = cell_number(raw, float)
        else:
            values[key] = raw
    return values


def cell_number(raw: Any, kind: type) -> Any:
    try:
        value = float(raw)
        return int(value) if kind is int and value.is_integer() else kind(value)
    except (TypeError, ValueError):
        return raw  # the model names the column and says why


def problems_of(error: ValidationError, row_number: int) -> list[dict[str, Any]]:
    return [
        {
            "row": row_number,
            "column": ".".join(str(p) for p in e["loc"]) or "",
            "reason": e["msg"],
            "type": e["type"],
            "ctx": plain_ctx(e.get("ctx", {})),
        }
        for e in error.errors()
    ]


class UploadProblem(BaseModel):
    """One reason a file was refused, in FastAPI's own shape (`loc`, `msg`, `type`) so clients
    read every 422 alike; a problem in the file also gives its row, column and reason."""

    loc: list[str | int]
    msg: str
    type: str
    row: int | None = Field(default=None, description="the header is row 1; 0: the whole file")
    column: str | None = None
    reason: str | None = None
    ctx: dict[str, Any] | None = Field(
        default=None, description="the parameters of `type`, as FastAPI's own 422 items give"
    )


def refuse(problems: list[dict[str, Any]]) -> None:
    """422 with every problem, each also as a FastAPI-style `loc` naming row and column."""
    detail = [
        UploadProblem(
            loc=["file", f"row {p['row']}", p["column"]],
            msg=p["reason"],
            **{"type": "value_error", **p},
        ).model_dump()
        for p in problems
    ]
    raise Invalid(detail, code="upload.bad_row")


def read_upload(name: str, stream: BinaryIO) -> list[dict[str, Any]]:
    """The rows of an uploaded file, read from its spooled copy in the calling worker thread."""
    return data_rows(name, upload_content(stream))


def upload_content(stream: BinaryIO) -> bytes:
    """An upload's bytes, refused past `MAX_BYTES` before more is read."""
    content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        refuse([{"row": 0, "column": "", "reason": "the file is larger than 5 MB",
                 "type": "upload.too_large"}])  # fmt: skip
    return content


def data_rows(name: str, content: bytes) -> list[dict[str, Any]]:
    """A file's rows below its header; a file without any is refused."""
    try:
        rows = read_table(name, content)
    except UploadProblems as error:
        refuse(error.problems)
    if not rows:
        refuse([{"row": 2, "column": "", "reason": "the file has no data rows",
                 "type": "upload.no_rows"}])  # fmt: skip
    return rows


def own_party(session: Session, user: User, kind: str, given: int | None) -> Any:
    """The school or company an upload is for: the user's own, or the bureau's choice."""
    table: type[School | Company] = School if kind == "school" else Company
    own = user.school_id if kind == "school" else user.company_id
    if user.role != Role.bureau:
        if given not in (None, own):
            raise Forbidden(
                f"{kind}_id: you may upload for your own {kind} only", code="upload.own_party"
            )
        given = own
    row = row_of(session, table, given) if given is not None else None
    if row is None or row.region_id != user.region_id:
        raise Invalid([{"loc": ["query", f"{kind}_id"], "msg": f"name a {kind} of your region",
              "type": "value_error"}], code="upload.unknown_party",
        )  # fmt: skip
    return row


def upload_pupils(
    session: Session,
    user: User,
    name: str,
    stream: BinaryIO,
    school_id: int | None,
    chosen: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Add or update a school's pupils from a CSV or XLSX file, all or nothing; the columns
    may be the template's or a Somtoday or Magister export's (`api.imports.columns`)."""
    school = own_party(session, user, "school", school_id)
    checked = check_pupils(session, user, school, read_upload(name, stream), chosen)
    return all_or_nothing(
        session, user, checked.problems, "pupil", Pupil, checked.valid, checked.existing,
        ("pupils", school.id, name),
    )  # fmt: skip


@dataclass
class Checked:
    """A file read and checked but not stored: what a preview shows and an import writes."""

    mapping: ColumnMap
    valid: list[Any]
    existing: Mapping[Any, Any]
    problems: list[dict[str, Any]]

    @property
    def counts(self) -> dict[str, int]:
        updated = sum(1 for r in self.valid if r.code in self.existing)
        return {"created": len(self.valid) - updated, "updated": updated}


def imported_code(school: School, mapping: ColumnMap, raw: Any) -> Any:
    """A code as the platform stores it: the template's as written, a school system's number
    ("Leerlingnummer", "Docentcode") in the one code scheme of imports (`05FB00-450003`)."""
    header = mapping.columns.get("code", "code")
    if raw in (None, "") or normal(header) == "code":
        return raw
    return platform_code(school, str(raw))


def labelled(mapping: ColumnMap, problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problems naming the file's own header beside the field ("Leerweg (track)")."""
    out = []
    for p in problems:
        header = mapping.columns.get(p["column"].split(".")[0])  # "free.0": free's first
        if header is not None and header != p["column"]:
            p = {**p, "column": f"{header} ({p['column']})"}
        out.append(p)
    return out


def check_pupils(
    session: Session,
    user: User,
    school: School,
    rows: list[dict[str, Any]],
    chosen: Mapping[str, str] | None = None,
) -> Checked:
    """Every row of a pupils file mapped, minimised and checked; nothing is written."""
    mapping = recognise("pupils", list(rows[0]) if rows else [], chosen)
    existing = {
        p.code: p
        for p in session.exec(select(Pupil).where(Pupil.region_id == user.region_id)).all()
    }
    if mapping.missing:
        return Checked(mapping, [], existing, mapping.problems())
    placements = set(
        session.exec(select(Placement.code).where(Placement.region_id == user.region_id)).all()
    )
    classes = {
        k.code: k.id
        for k in session.exec(select(SchoolClass).where(SchoolClass.school_id == school.id)).all()
    }
    problems: list[dict[str, Any]] = []
    valid: list[PupilCreate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        fields = mapped_row(mapping, row)
        postcode = str(fields.pop("postcode", "") or "").strip()
        values = cell_values(
            fields, {"year", "max_travel_min", "priority"}, {"home_lat", "home_lon"}
        )
        if "code" in values:
            values["code"] = imported_code(school, mapping, values["code"])
        if postcode:
            point = home_point(postcode)
            if point is None:
                area = postcode[:4]
                problems.append(
                    {"row": number, "column": "postcode", "type": "upload.unknown_postcode",
                     "reason": f"unknown postcode area {area!r}", "ctx": {"area": area}}
                )  # fmt: skip
            else:
                values["home_lat"], values["home_lon"] = point
        klass = values.pop("class", None)
        if klass is not None:
            known = classes.get(klass) or classes.get(platform_code(school, str(klass)))
            if known is None:
                problems.append(
                    {
                        "row": number,
                        "column": "class",
                        "reason": f"no class {klass!r} at this school",
                        "type": "upload.unknown_class",
                        "ctx": {"code": str(klass)},
                    }
                )
            else:
                values["class_id"] = known
        try:
            pupil = PupilCreate.model_validate({**values, "school_id": school.id})
        except ValidationError as error:
            problems += problems_of(error, number)
            continue
        problems += _class_problems(session, pupil, number)
        for i, code in enumerate(pupil.preferences):
            if code not in placements:
                problems.append(
                    {
                        "row": number,
                        "column": "preferences",
                        "reason": f"wish {i + 1}: no placement {code!r} in the region",
                        "type": "upload.unknown_wish",
                        "ctx": {"wish": i + 1, "code": code},
                    }
                )
        old = existing.get(pupil.code)
        problems += _code_problems(
            number, pupil.code, seen, old is not None and old.school_id != school.id, "school"
        )
        seen.add(pupil.code)
        valid.append(pupil)
    return Checked(mapping, valid, existing, labelled(mapping, problems))


def upload_teachers(
    session: Session,
    user: User,
    name: str,
    stream: BinaryIO,
    school_id: int | None,
    chosen: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Add or update a school's teachers from a CSV or XLSX file, all or nothing."""
    school = own_party(session, user, "school", school_id)
    checked = check_teachers(session, user, school, read_upload(name, stream), chosen)
    return all_or_nothing(
        session, user, checked.problems, "teacher", Teacher, checked.valid, checked.existing,
        ("teachers", school.id, name),
    )  # fmt: skip


def check_teachers(
    session: Session,
    user: User,
    school: School,
    rows: list[dict[str, Any]],
    chosen: Mapping[str, str] | None = None,
) -> Checked:
    """Every row of a teachers file mapped and checked; nothing is written."""
    mapping = recognise("teachers", list(rows[0]) if rows else [], chosen)
    existing = {
        t.code: t
        for t in session.exec(select(Teacher).where(Teacher.region_id == user.region_id)).all()
    }
    if mapping.missing:
        return Checked(mapping, [], existing, mapping.problems())
    problems: list[dict[str, Any]] = []
    valid: list[TeacherCreate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        values = cell_values(mapped_row(mapping, row), set(DEMAND_COLUMNS), set())
        if "code" in values:
            values["code"] = imported_code(school, mapping, values["code"])
        demand = {k: values.pop(k) for k in DEMAND_COLUMNS if k in values}
        values["free"] = dayparts(values.pop("free", ""))
        values["sectors"] = [s.strip() for s in re.split(r"[,;]", str(values.pop("sectors", "")))
                             if s.strip()]  # fmt: skip
        try:
            teacher = TeacherCreate.model_validate(
                {**values, "demand": demand, "school_id": school.id}
            )
        except ValidationError as error:
            problems += problems_of(error, number)
            continue
        old = existing.get(teacher.code)
        problems += _code_problems(
            number, teacher.code, seen, old is not None and old.school_id != school.id, "school"
        )
        seen.add(teacher.code)
        valid.append(teacher)
    return Checked(mapping, valid, existing, labelled(mapping, problems))


def _class_problems(session: Session, pupil: PupilCreate, number: int) -> list[dict[str, Any]]:
    """The JSON create's class check, so a `class_id` column cannot name another school's class."""
    try:
        check_pupil_class(session, pupil)
    except Invalid as error:
        return [{"row": number, "column": "class_id", "reason": p["msg"], "type": p["type"]}
                for p in error.detail]  # fmt: skip
    return []


def _code_problems(
    number: int, code: str, seen: set[str], owned_elsewhere: bool, owner: str
) -> list[dict[str, Any]]:
    """A code may stand once in a file and may not take over another school's or company's."""
    problems = []
    if code in seen:
        problems.append(
            {
                "row": number,
                "column": "code",
                "reason": f"code {code!r} twice in the file",
                "type": "upload.code_twice",
                "ctx": {"code": code},
            }
        )
    if owned_elsewhere:
        problems.append(
            {
                "row": number,
                "column": "code",
                "reason": f"code {code!r} belongs to another {owner}",
                "type": f"upload.code_of_another_{owner}",
                "ctx": {"code": code},
            }
        )
    return problems


# What an upload stores: the table and the rows (create bodies) of one record kind.
Table = type[Pupil] | type[Placement] | type[SchoolClass] | type[EventRequest] | type[Teacher]
Row = PupilCreate | PlacementCreate | SchoolClassCreate | EventRequestCreate | TeacherCreate
# How a row finds the record it updates: by its code, or (an event request) by its pupil.
RowKey = Callable[[Any], Any]
BY_CODE: RowKey = attrgetter("code")


def all_or_nothing(
    session: Session,
    user: User,
    problems: list[dict[str, Any]],
    entity: str,
    table: Table,
    valid: Sequence[Row],
    existing: Mapping[Any, Any],
    upload: tuple[str, int | None, str | None],
    key_of: RowKey = BY_CODE,
) -> dict[str, int]:
    """Refuse the whole file if any row has a problem; else store every row and audit the
    upload (`upload`: what, whose, the file's name if there was a file) in one transaction."""
    if problems:
        refuse(problems)
    created, updated = _store(session, user, entity, table, valid, existing, key_of)
    what, party, name = upload
    after: dict[str, Any] = {"rows": len(valid)} | ({"file": name} if name else {})
    audit.record(session, user, "upload", what, party, after=after)
    commit(session)
    return {"created": created, "updated": updated}


def _store(
    session: Session,
    user: User,
    entity: str,
    table: Table,
    valid: Sequence[Row],
    existing: Mapping[Any, Any],
    key_of: RowKey,
) -> tuple[int, int]:
    """Create new codes and update known ones, each write audited: (created, updated)."""
    created = updated = 0
    for record in valid:
        old = existing.get(key_of(record))
        if old is None:
            row = table(**record.model_dump(), region_id=user.region_id)
            session.add(row)
            session.flush()
            audit.record(session, user, "create", entity, row.id, after=audit.snapshot(row))
            created += 1
        else:
            before = audit.snapshot(old)
            for key, value in record.model_dump(exclude_unset=True).items():
                setattr(old, key, value)
            old.version += 1
            session.add(old)
            audit.record(
                session, user, "update", entity, old.id, before=before, after=audit.snapshot(old)
            )
            updated += 1
    return created, updated


def upload_capacity(
    session: Session, user: User, name: str, stream: BinaryIO, company_id: int | None
) -> dict[str, int]:
    """Add or update a company's placements from a CSV or XLSX file, all or nothing.

    Columns: code, title, profiles, tracks, min_year, min_students, hours_per_pupil, and the
    seats either per period column (P1, P2, ...) or as capacity "P3:2 P4:1".
    """
    company = own_party(session, user, "company", company_id)
    rows = read_upload(name, stream)
    existing = {
        p.code: p
        for p in session.exec(select(Placement).where(Placement.region_id == user.region_id)).all()
    }
    problems: list[dict[str, Any]] = []
    valid: list[PlacementCreate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        capacity: dict[str, Any] = {}
        for key in [k for k in row if k.startswith("p") and k[1:].isdigit()]:
            raw = row.pop(key)
            if raw not in ("", None):
                capacity[key.upper()] = cell_number(raw, int)
        spec = row.pop("capacity", "")
        for part in str(spec or "").replace(",", " ").replace(";", " ").split():
            period, _, seats = part.partition(":")
            capacity[period] = cell_number(seats, int)
        values = cell_values(row, {"min_year", "min_students"}, {"hours_per_pupil"})
        if not capacity:
            problems.append(
                {
                    "row": number,
                    "column": "capacity",
                    "reason": "no seats given for any period",
                    "type": "upload.no_seats",
                }
            )
        try:
            placement = PlacementCreate.model_validate(
                {**values, "capacity": capacity, "company_id": company.id}
            )
        except ValidationError as error:
            problems += problems_of(error, number)
            continue
        old = existing.get(placement.code)
        problems += _code_problems(
            number,
            placement.code,
            seen,
            old is not None and old.company_id != company.id,
            "company",
        )
        seen.add(placement.code)
        valid.append(placement)
    return all_or_nothing(
        session, user, problems, "placement", Placement, valid, existing,
        ("capacity", company.id, name),
    )  # fmt: skip


DEMAND_COLUMNS = ACTIVITY_KINDS  # a class's demand, one column per activity kind


def dayparts(raw: Any) -> list[str]:
    return [p for p in str(raw or "").replace(",", " ").replace(";", " ").split() if p]


def import_classes(
    session: Session, user: User, school: School, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Classes from table rows, all or nothing, as for pupils."""
    existing = {
        k.code: k
        for k in session.exec(
            select(SchoolClass).where(SchoolClass.region_id == user.region_id)
        ).all()
    }
    mapping = recognise("classes", list(rows[0]) if rows else [])
    if mapping.missing:
        refuse(mapping.problems())
    problems: list[dict[str, Any]] = []
    valid: list[SchoolClassCreate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        values = cell_values(mapped_row(mapping, row), {"year", "size", *DEMAND_COLUMNS}, set())
        demand = {k: values.pop(k) for k in DEMAND_COLUMNS if k in values}
        values["free"] = dayparts(values.pop("free", ""))
        if "distinct_sectors" in values:
            values["distinct_sectors"] = BOOL_WORDS.get(
                str(values["distinct_sectors"]).lower(), values["distinct_sectors"]
            )
        try:
            klass = SchoolClassCreate.model_validate(
                {**values, "demand": demand, "school_id": school.id}
            )
        except ValidationError as error:
            problems += problems_of(error, number)
            continue
        if klass.code in seen:
            problems.append({"row": number, "column": "code",
                             "reason": f"code {klass.code!r} twice in the file",
                             "type": "upload.code_twice", "ctx": {"code": klass.code}})  # fmt: skip
        old = existing.get(klass.code)
        if old is not None and old.school_id != school.id:
            reason = f"code {klass.code!r} belongs to another school"
            problems.append({"row": number, "column": "code", "reason": reason,
                             "type": "upload.code_of_another_school",
                             "ctx": {"code": klass.code}})  # fmt: skip
        seen.add(klass.code)
        valid.append(klass)
    return all_or_nothing(
        session, user, labelled(mapping, problems), "school_class", SchoolClass, valid, existing,
        ("classes", school.id, None),
    )  # fmt: skip


def import_timetable(
    session: Session, user: User, school: School, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Free dayparts per class or teacher code, written whole as `PUT /timetables/{id}` does."""
    current = timetables.read_timetable(session, user, saved_id(school))
    by_code = {e.code: e for e in current.entries}
    mapping = recognise("timetables", list(rows[0]) if rows else [])
    if mapping.missing:
        refuse(mapping.problems())
    problems: list[dict[str, Any]] = []
    entries: list[timetables.TimetableEntry] = []
    for number, row in enumerate(rows, start=2):
        row = mapped_row(mapping, row)
        code = str(row.get("code", "")).strip()
        entry = by_code.get(code)
        if entry is None:
            problems.append({"row": number, "column": "code",
                             "reason": f"no class or teacher {code!r} at this school",
                             "type": "upload.unknown_requester",
                             "ctx": {"code": code}})  # fmt: skip
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
            problems += [{**p, "column": "free"} for p in problems_of(error, number)]
    if problems:
        refuse(labelled(mapping, problems))
    body = timetables.Timetable(school_id=saved_id(school), entries=entries)
    timetables.write_timetable(session, user, body.school_id, body)
    return {"created": 0, "updated": len(entries)}


def upload_classes(
    session: Session, user: User, name: str, stream: BinaryIO, school_id: int | None
) -> dict[str, int]:
    """Add or update a school's classes from a CSV or XLSX file, all or nothing."""
    school = own_party(session, user, "school", school_id)
    return import_classes(session, user, school, read_upload(name, stream))


def upload_timetable(
    session: Session, user: User, name: str, stream: BinaryIO, school_id: int | None
) -> dict[str, int]:
    """Replace the free dayparts of a school's classes and teachers from a file, all or
    nothing."""
    school = own_party(session, user, "school", school_id)
    return import_timetable(session, user, school, read_upload(name, stream))
