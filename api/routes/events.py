"""Event days (problem D) over HTTP beyond their records' routes (`/events`, `/event-sessions`,
`/event-requests`): the schools' choices by file, and the carrousel's outcome and programmes
in each role's scope (the bureau all, a school its own pupils, a company its own sessions'
lists), as JSON, CSV, XLSX and iCalendar.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from api.deps import CurrentUser, SchoolOrBureau, SessionDep
from api.models import Role
from api.routes.uploads import REFUSED
from api.services import event_days
from api.services.event_calendar import event_calendar
from api.services.event_uploads import upload_event_requests

router = APIRouter(tags=["event days"])


@router.post("/events/{event_id}/uploads/requests", responses=REFUSED)
def upload_requests(
    event_id: int,
    session: SessionDep,
    user: SchoolOrBureau,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one pupil per row")],
    school_id: Annotated[int | None, Query(description="the bureau names the school")] = None,
) -> dict[str, int]:
    """Add or update a school's pupils' session choices at the event from a file, all or
    nothing. Columns: pupil, choice_1, choice_2, ... (or choices), count, distinct_sectors."""
    return upload_event_requests(session, user, event_id, file.filename or "", file.file, school_id)


@router.get("/events/{event_id}/outcome")
def read_outcome(event_id: int, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Who attends which session in which round, and the requests granted fewer sessions than
    asked with the reason; in your scope (a company: first name, school and profile only)."""
    result = event_days.outcome(session, user, event_id)
    body: dict[str, Any] = {
        "event": result.event.code,
        "round_id": result.round.id,
        "version_id": result.version.id,
        "sessions": event_days.programme_rows(user, result),
    }
    if user.role != Role.company:
        body["unassigned"] = [asdict(s) for s in result.shortfalls]
    return body


# Before `programme.{fmt}`, which would otherwise take ".ics" and refuse it.
@router.get("/events/{event_id}/programme.ics")
def programme_calendar(
    event_id: int,
    session: SessionDep,
    user: CurrentUser,
    student: Annotated[str | None, Query(description="one pupil's programme")] = None,
) -> Response:
    """The programme in your scope as an iCalendar file, or one pupil's (bureau and school)."""
    result = event_days.outcome(session, user, event_id)
    lines, title = result.lines, "Programma"
    if student is not None and user.role != Role.company:
        lines, title = event_days.pupil_lines(result, student), f"Programma {student}"
    return Response(event_calendar(result.event, lines, title), media_type="text/calendar")


@router.get("/events/{event_id}/programme.{fmt}")
def download_programme(
    event_id: int, fmt: Literal["csv", "xlsx"], session: SessionDep, user: CurrentUser
) -> Response:
    """The programme in your scope as a table: per pupil and round (a company: its lists)."""
    result = event_days.outcome(session, user, event_id)
    body, media, name = event_days.programme_file(user, result, fmt)
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
