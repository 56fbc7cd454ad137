"""The Zermelo API client (REST v3 of a school's portal, https://{portal}.zportal.nl/api/v3).

The school grants the platform partner access in its portal (Koppelingen > koppel externe
applicatie) and pastes the code shown there; `exchange_code` trades it once for a bearer token
(`POST oauth/token`, `grant_type=authorization_code`). Every read answers in Zermelo's envelope
`{"response": {"status", "message", "startRow", "endRow", "totalRows", "data": [...]}}` and is
paged by asking `startRow` and `endRow`; an envelope that does not line up with the rows asked
is a paging error, not a short school.

Reads, each asking only the `fields` the platform uses (the school's data stays in Zermelo):
`branchesofschools` (which branch), `groupindepartments` (main groups: the classes),
`studentsindepartments` (pupils: code, first name, main group, department code such as `kb3`),
`employees` (the staff who teach in the weeks read become teachers) and
`appointments?start=&end=` (unix times): a lesson that is `valid` and not `cancelled` keeps its
main groups and teachers busy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from api.imports.dayparts import Busy
from api.imports.minimise import minimise
from api.imports.snapshot import (
    SchoolSnapshot,
    SourceGroup,
    SourcePupil,
    SourceTeacher,
    profile_in,
    track_in,
    year_in,
)
from api.imports.transport import SourceError, Transport

Progress = Callable[[str, float], None]
PAGE_ROWS = 1000

# Only these are asked for; Zermelo leaves every other field of the school in Zermelo.
FIELDS = {
    "branchesofschools": ["id", "schoolInSchoolYear", "branch", "name"],
    "groupindepartments": ["id", "name", "isMainGroup", "departmentOfBranch"],
    "studentsindepartments": ["student", "firstName", "mainGroupName", "departmentOfBranchCode"],
    "employees": ["userCode", "firstName", "prefix", "lastName"],
    "appointments": ["start", "end", "valid", "cancelled", "groups", "teachers"],
}
SOURCE_FIELDS = {
    "code": "student",
    "first_name": "firstName",
    "class": "mainGroupName",
    "profile": "mainGroupName/departmentOfBranchCode",
    "track": "departmentOfBranchCode",
    "year": "departmentOfBranchCode",
}


class _Response(BaseModel):
    status: int
    message: str = ""
    startRow: int
    endRow: int
    totalRows: int
    data: list[dict[str, Any]]


class _Envelope(BaseModel):
    response: _Response


class ZermeloClient:
    def __init__(self, transport: Transport, api_url: str, page_rows: int = PAGE_ROWS) -> None:
        self.transport, self.api_url, self.page_rows = transport, api_url.rstrip("/"), page_rows

    def exchange_code(self, code: str) -> str:
        """The bearer token for the authorisation code the school pasted (single use)."""
        data = {"grant_type": "authorization_code", "code": code.replace(" ", "")}
        return self.transport.post_token(f"{self.api_url}/oauth/token", data)

    def rows(self, token: str, endpoint: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every row of an endpoint, page by page, each page checked against the rows asked."""
        rows: list[dict[str, Any]] = []
        total: int | None = None
        while total is None or len(rows) < total:
            start = len(rows)
            asked = {
                **params,
                "fields": ",".join(FIELDS[endpoint]),
                "startRow": start,
                "endRow": start + self.page_rows,
            }
            body = self.transport.get_json(f"{self.api_url}/{endpoint}", endpoint, token, asked)
            try:
                page = _Envelope.model_validate(body).response
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise SourceError(
                    f"Zermelo's answer to {endpoint} is malformed: {where}: {first['msg']}",
                    code="import.malformed",
                    params={"system": "Zermelo", "what": endpoint, "where": where},
                ) from None
            if page.status != 200:
                raise SourceError(
                    f"Zermelo answered {endpoint} with {page.status}: {page.message}",
                    code="import.answered_status",
                    params={"system": "Zermelo", "what": endpoint, "status": page.status,
                            "reason": page.message},
                )  # fmt: skip
            if page.startRow != start or page.endRow != start + len(page.data):
                raise SourceError(
                    f"Zermelo's paging of {endpoint} does not line up: asked rows from {start}, "
                    f"got rows {page.startRow} to {page.endRow} ({len(page.data)} rows)",
                    code="import.paging_rows",
                    params={"system": "Zermelo", "what": endpoint, "start": start,
                            "first": page.startRow, "last": page.endRow,
                            "count": len(page.data)},
                )  # fmt: skip
            if total is not None and page.totalRows != total:
                raise SourceError(
                    f"Zermelo's paging of {endpoint} changed its total from {total} to "
                    f"{page.totalRows} while reading: try again",
                    code="import.paging_total",
                    params={"system": "Zermelo", "what": endpoint, "before": total,
                            "now": page.totalRows},
                )  # fmt: skip
            total = page.totalRows
            if not page.data and len(rows) < total:
                raise SourceError(
                    f"Zermelo's paging of {endpoint} stopped at row {start} of {total}",
                    code="import.paging_stopped",
                    params={"system": "Zermelo", "what": endpoint, "row": start, "total": total},
                )
            rows += page.data
        return rows

    def read(
        self,
        token: str,
        branch: str | None,
        window: tuple[datetime, datetime],
        progress: Progress,
    ) -> SchoolSnapshot:
        """The branch's main groups, pupils, teachers and lessons in `window`."""
        progress("branchesofschools", 0.05)
        branches = self.rows(token, "branchesofschools", {})
        chosen = [b for b in branches if branch in (None, "", b.get("branch"))]
        if len(chosen) != 1:
            codes = ", ".join(repr(b.get("branch")) for b in branches)
            raise SourceError(
                "choose the Zermelo branch to read (setting 'branch'): the portal has "
                + (codes or "none"),
                code="import.choose_branch",
                params={"codes": codes or "-"},
            )
        school_year = {"schoolInSchoolYear": chosen[0]["schoolInSchoolYear"]}
        progress("groupindepartments", 0.15)
        groups = [
            g for g in self.rows(token, "groupindepartments", school_year) if g.get("isMainGroup")
        ]
        progress("studentsindepartments", 0.3)
        students = self.rows(token, "studentsindepartments", school_year)
        progress("employees", 0.5)
        employees = self.rows(token, "employees", school_year)
        progress("appointments", 0.65)
        start, end = window
        appointments = self.rows(
            token,
            "appointments",
            {
                "start": int(start.timestamp()),
                "end": int(end.timestamp()),
                "branchOfSchool": chosen[0]["id"],
                "valid": "true",
            },
        )
        return _snapshot(groups, students, employees, appointments)


def _snapshot(
    groups: list[dict[str, Any]],
    students: list[dict[str, Any]],
    employees: list[dict[str, Any]],
    appointments: list[dict[str, Any]],
) -> SchoolSnapshot:
    by_group: dict[str, list[Busy]] = {}
    by_teacher: dict[str, list[Busy]] = {}
    for i, appointment in enumerate(appointments):
        if not appointment.get("valid", False) or appointment.get("cancelled", False):
            continue  # a cancelled lesson keeps nobody busy
        try:
            lesson = Busy(_moment(appointment["start"]), _moment(appointment["end"]))
        except (KeyError, TypeError, ValueError, OverflowError):
            raise SourceError(
                f"Zermelo's appointments[{i}] has no readable start and end (unix seconds)",
                code="import.unreadable_times",
                params={"system": "Zermelo", "record": f"appointments[{i}]",
                        "fields": "start, end"},
            ) from None  # fmt: skip
        for name in appointment.get("groups") or []:
            by_group.setdefault(str(name), []).append(lesson)
        for code in appointment.get("teachers") or []:
            by_teacher.setdefault(str(code), []).append(lesson)
    pupils = tuple(
        SourcePupil(
            record=f"studentsindepartments[{i}] (student {s.get('student')!r})",
            pupil=minimise(_offered(s)),
        )
        for i, s in enumerate(students)
    )
    classes = tuple(
        SourceGroup(
            record=f"groupindepartments[{i}] ({g.get('name')!r})",
            name=str(g["name"]),
            lessons=tuple(by_group.get(str(g["name"]), ())),
        )
        for i, g in enumerate(groups)
        if g.get("name")
    )
    teachers = tuple(
        SourceTeacher(
            record=f"employees[{i}] (userCode {e.get('userCode')!r})",
            code=str(e.get("userCode") or ""),
            name=" ".join(str(e[k]) for k in ("firstName", "prefix", "lastName") if e.get(k))
            or str(e.get("userCode") or ""),
            lessons=tuple(by_teacher.get(str(e.get("userCode")), ())),
        )
        for i, e in enumerate(employees)
        if by_teacher.get(str(e.get("userCode")))  # staff who teach in the weeks read
    )
    return SchoolSnapshot(
        pupils=pupils,
        groups=classes,
        teachers=teachers,
        source_fields=SOURCE_FIELDS,
        system="Zermelo",
        asked=tuple(FIELDS["studentsindepartments"]),
    )


def _offered(student: dict[str, Any]) -> dict[str, Any]:
    """A student row as `minimise` takes it: the platform's names for what it uses (profile,
    track and year read from the main group and department code), the source's for the rest."""
    used = {"student", "firstName", "mainGroupName", "departmentOfBranchCode"}
    group, department = student.get("mainGroupName"), student.get("departmentOfBranchCode")
    return {
        "code": str(student.get("student") or ""),
        "first_name": student.get("firstName"),
        "class": group,
        "profile": profile_in(group, department),
        "track": track_in(department, group),
        "year": year_in(department, group),
        **{k: v for k, v in student.items() if k not in used},
    }


def _moment(unix: Any) -> datetime:
    return datetime.fromtimestamp(int(unix), tz=UTC)
