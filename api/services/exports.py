"""The rows of a round's downloads per school and per company, shared by the API's exports
(`api.routes.outputs`) and the bureau's download links on the round page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sqlmodel import Session

from api import spreadsheets
from api.models import Company, Round, School, SolutionVersion
from api.services import answers
from api.services.rounds import pupils_by_code

Format = Literal["csv", "xlsx"]

SCHOOL_COLUMNS = [
    "student", "first_name", "placement", "company", "company_name", "period", "rank",
    "travel_min", "reason", "detail",
]  # fmt: skip
COMPANY_COLUMNS = ["student", "first_name", "school", "profile", "placement", "period"]


def table_bytes(
    rows: list[dict[str, Any]],
    columns: list[str],
    fmt: Format,
    name: str,
    label: Callable[[str], str] = str,
) -> tuple[bytes, str]:
    """Rows as CSV or XLSX bytes and their media type, user text made inert. `label` names
    each column in the header: the API's exports keep the keys, a page's its language."""
    cells = [[row.get(c) for c in columns] for row in rows]
    header = [label(c) for c in columns]
    if fmt == "csv":
        return spreadsheets.csv_bytes(header, cells), "text/csv; charset=utf-8"
    return spreadsheets.xlsx_bytes(name, header, cells), spreadsheets.XLSX


def school_rows(
    session: Session, round_: Round, version: SolutionVersion, school: School
) -> list[dict[str, Any]]:
    """A school's pupils with their placement or the reason they have none."""
    document = version.round_document
    codes = [s["id"] for s in document.get("students", []) if s["school"] == school.code]
    names = pupils_by_code(session, school.region_id, codes)
    company_names = {c["id"]: c.get("name", "") for c in document.get("companies", [])}
    # A pupil its company declined is exported as not placed, as the results page shows it.
    outcome = answers.school_outcomes(session, round_, version)
    rows = []
    for code in codes:
        row = {"student": code, "first_name": names[code].first_name if code in names else ""}
        row.update(outcome.get(code, {}))
        row["company_name"] = company_names.get(row.get("company", ""), "")
        rows.append(row)
    return rows


def company_rows(
    session: Session, version: SolutionVersion, company: Company
) -> list[dict[str, Any]]:
    """A company's assigned pupils, minimally: first name, school, profile, period."""
    document = version.round_document
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    profile_of = {s["id"]: s["profile"] for s in document.get("students", [])}
    school_names = {s["id"]: s.get("name", "") for s in document.get("schools", [])}
    mine = [a for a in version.document["assignments"] if a["company"] == company.code]
    names = pupils_by_code(session, company.region_id, [a["student"] for a in mine])
    return [
        {
            "student": a["student"],
            "first_name": names[a["student"]].first_name if a["student"] in names else "",
            "school": school_names.get(school_of.get(a["student"], ""), ""),
            "profile": profile_of.get(a["student"], ""),
            "placement": a["placement"],
            "period": a["period"],
        }
        for a in mine
    ]
