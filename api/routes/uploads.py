"""Bulk upload of CSV and XLSX files over HTTP: pupils per school, capacity (placements) per
company, through the one upload pipeline (`api.services.uploads`).

All or nothing: every row is checked first, and one bad row refuses the whole file with a list
of every problem as (row number, column, reason), the header being row 1. Only a clean file
writes anything; a row whose code exists already updates that record (bumping its version).

The routes are plain functions, not coroutines: FastAPI runs them in its thread pool, so parsing
and storing a file of thousands of rows never holds up other users' requests on the event loop.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from pydantic import BaseModel

from api.deps import CompanyOrBureau, SchoolOrBureau, SessionDep
from api.services import intake, uploads
from api.services.errors import field_error
from api.services.intake import IntakePreview
from api.services.uploads import UploadProblem

router = APIRouter(tags=["uploads"])


class UploadRefusal(BaseModel):
    """Why an upload stored nothing: every problem found, not just the first."""

    detail: list[UploadProblem]


REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": UploadRefusal, "description": "the file refused; nothing stored"}
}
ColumnsForm = Annotated[
    str | None,
    Form(description='JSON {"field": "header"}: columns picked by hand; "" = not in the file'),
]


def chosen(columns: str | None) -> dict[str, str] | None:
    """The hand-picked columns of a request, or None to recognise them all."""
    if not columns:
        return None
    try:
        picked = json.loads(columns)
    except ValueError:
        picked = None
    if not isinstance(picked, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in picked.items()
    ):
        raise field_error("columns", 'give a JSON object {"field": "header"}')
    return picked


@router.post("/uploads/pupils", responses=REFUSED)
def upload_pupils(
    session: SessionDep,
    user: SchoolOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one pupil per row")],
    school_id: Annotated[int | None, Query(description="the bureau names the school")] = None,
    columns: ColumnsForm = None,
) -> dict[str, int]:
    """Add or update a school's pupils from a CSV or XLSX file, all or nothing.

    The columns may be the template's or those of a Somtoday or Magister export (Leerlingnummer,
    Roepnaam, Klas, Leerweg, Profiel, Leerjaar, Postcode, Vervoer); a postcode is stored only as
    the centroid of its 4-digit area."""
    return uploads.upload_pupils(
        session, user, file.filename or "", file.file, school_id, chosen(columns)
    )


@router.post("/uploads/capacity", responses=REFUSED)
def upload_capacity(
    session: SessionDep,
    user: CompanyOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one placement per row")],
    company_id: Annotated[int | None, Query(description="the bureau names the company")] = None,
) -> dict[str, int]:
    """Add or update a company's placements from a CSV or XLSX file, all or nothing.

    Columns: code, title, profiles, tracks, min_year, min_students, hours_per_pupil, and the
    seats either per period column (P1, P2, ...) or as capacity "P3:2 P4:1".
    """
    return uploads.upload_capacity(session, user, file.filename or "", file.file, company_id)


@router.post("/uploads/pupils/preview", responses=REFUSED)
def preview_pupils(
    session: SessionDep,
    user: SchoolOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one pupil per row")],
    school_id: Annotated[int | None, Query(description="the bureau names the school")] = None,
    columns: ColumnsForm = None,
) -> IntakePreview:
    """What `POST /uploads/pupils` would store (columns read, first rows, counts, problems);
    stores nothing."""
    return intake.dry_run(
        session, user, "pupils", file.filename or "", file.file, school_id, chosen(columns)
    )


@router.post("/uploads/teachers", responses=REFUSED)
def upload_teachers(
    session: SessionDep,
    user: SchoolOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one teacher per row")],
    school_id: Annotated[int | None, Query(description="the bureau names the school")] = None,
    columns: ColumnsForm = None,
) -> dict[str, int]:
    """Add or update a school's teachers (code, name, free dayparts, escort, sectors, demand
    per activity kind) from a CSV or XLSX file, all or nothing."""
    return uploads.upload_teachers(
        session, user, file.filename or "", file.file, school_id, chosen(columns)
    )


@router.post("/uploads/teachers/preview", responses=REFUSED)
def preview_teachers(
    session: SessionDep,
    user: SchoolOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one teacher per row")],
    school_id: Annotated[int | None, Query(description="the bureau names the school")] = None,
    columns: ColumnsForm = None,
) -> IntakePreview:
    """What `POST /uploads/teachers` would store; stores nothing."""
    return intake.dry_run(
        session, user, "teachers", file.filename or "", file.file, school_id, chosen(columns)
    )
