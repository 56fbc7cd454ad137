"""A school's session choices for one event day from a CSV or XLSX file, all or nothing, through
the uploads' one ending (`api.services.uploads`): every row checked first, one bad row refuses
the file naming each row and column, a clean file stores every row with its audit entry.

Columns: `pupil` (the pupil's code), the choices either as `choice_1`, `choice_2`, ... or as
one `choices` cell ("SE4 SE1 SE9"), first choice first, and optionally `count` and
`distinct_sectors`; or their Dutch names (`DUTCH_COLUMNS`: "leerling", "keuze 1", ...), which
the template downloaded from a Dutch page uses. A pupil with a request for the event already
has it updated.
"""

from __future__ import annotations

import re
from operator import attrgetter
from typing import Any, BinaryIO

from pydantic import ValidationError
from sqlmodel import Session, select

from api.imports.columns import normal
from api.models import EventRequest, EventRequestCreate, EventSession, Pupil, User
from api.services.event_days import get_event
from api.services.uploads import (
    BOOL_WORDS,
    all_or_nothing,
    cell_number,
    own_party,
    problems_of,
    read_upload,
)

COLUMNS = ["pupil", "first_name", "choice_1", "choice_2", "choice_3", "count", "distinct_sectors"]
DUTCH_COLUMNS = ["leerling", "roepnaam", "keuze 1", "keuze 2", "keuze 3", "aantal",
                 "verschillende sectoren"]  # fmt: skip
# A header as `normal` reads it -> its column; "keuze 2" and "choice 2" are `_NUMBERED`.
_NAMES = {"pupil": "pupil", "leerling": "pupil", "leerlingnummer": "pupil", "code": "pupil",
          "first name": "first_name", "roepnaam": "first_name", "voornaam": "first_name",
          "choices": "choices", "keuzes": "choices", "count": "count", "aantal": "count",
          "distinct sectors": "distinct_sectors",
          "verschillende sectoren": "distinct_sectors"}  # fmt: skip
_NUMBERED = re.compile(r"(?:choice|keuze) (\d+)")


class EventRequestRow(EventRequestCreate):
    """A request as a file row makes it: for the school the file is for."""

    school_id: int


def upload_event_requests(
    session: Session,
    user: User,
    event_id: int,
    name: str,
    stream: BinaryIO,
    school_id: int | None,
) -> dict[str, int]:
    """Add or replace a school's pupils' choices at an event from a file, all or nothing."""
    school = own_party(session, user, "school", school_id)
    event = get_event(session, user, event_id)
    rows = read_upload(name, stream)
    pupils = {
        p.code: p for p in session.exec(select(Pupil).where(Pupil.school_id == school.id)).all()
    }
    sessions = set(
        session.exec(select(EventSession.code).where(EventSession.event_id == event.id)).all()
    )
    existing = {
        r.pupil_id: r
        for r in session.exec(
            select(EventRequest).where(
                EventRequest.event_id == event.id, EventRequest.school_id == school.id
            )
        ).all()
    }
    problems: list[dict[str, Any]] = []
    valid: list[EventRequestRow] = []
    seen: set[str] = set()
    header_of: dict[str, str] = {}  # column -> the file's own header, to name it in problems
    for number, raw in enumerate(rows, start=2):
        row = _columns(raw, header_of)
        code = str(row.get("pupil", "")).strip()
        pupil = pupils.get(code)
        if pupil is None:
            reason = f"no pupil {code!r} at this school" if code else "give the pupil's code"
            problems.append({"row": number, "column": "pupil", "reason": reason,
                             "type": "upload.unknown_pupil" if code else "upload.no_pupil",
                             "ctx": {"code": code}})  # fmt: skip
            continue
        if code in seen:
            reason = f"pupil {code!r} twice in the file"
            problems.append({"row": number, "column": "pupil", "reason": reason,
                             "type": "upload.pupil_twice", "ctx": {"code": code}})  # fmt: skip
        seen.add(code)
        choices = _choices(row)
        for i, choice in enumerate(choices):
            if choice not in sessions:
                problems.append({"row": number, "column": f"choice_{i + 1}",
                                 "reason": f"no session {choice!r} at {event.code}",
                                 "type": "upload.unknown_session",
                                 "ctx": {"code": choice, "event": event.code}})  # fmt: skip
        if len(set(choices)) != len(choices):
            problems.append({"row": number, "column": "choices",
                             "reason": "a session is chosen twice",
                             "type": "upload.session_twice"})  # fmt: skip
        values: dict[str, Any] = {"pupil_id": pupil.id, "event_id": event.id,
                                  "choices": choices, "school_id": school.id}  # fmt: skip
        if row.get("count") not in ("", None):
            values["count"] = cell_number(row["count"], int)
        if row.get("distinct_sectors") not in ("", None):
            flag = str(row["distinct_sectors"]).lower()
            values["distinct_sectors"] = BOOL_WORDS.get(flag, row["distinct_sectors"])
        try:
            request = EventRequestRow.model_validate(values)
        except ValidationError as error:
            problems += problems_of(error, number)
            continue
        if request.count is not None and request.count > event.rounds:
            problems.append({"row": number, "column": "count",
                             "reason": f"{event.code} has {event.rounds} rounds",
                             "type": "upload.event_rounds",
                             "ctx": {"event": event.code, "rounds": event.rounds}})  # fmt: skip
        valid.append(request)
    problems = [{**p, "column": header_of.get(p["column"], p["column"])} for p in problems]
    return all_or_nothing(
        session, user, problems, "event_request", EventRequest, valid, existing,
        ("event_requests", school.id, name), key_of=attrgetter("pupil_id"),
    )  # fmt: skip


def _columns(row: dict[str, Any], header_of: dict[str, str]) -> dict[str, Any]:
    """A file's row keyed by column, whatever the language or spelling of its headers."""
    named = {}
    for header, value in row.items():
        key = normal(header)
        numbered = _NUMBERED.fullmatch(key)
        column = f"choice_{numbered[1]}" if numbered else _NAMES.get(key, header)
        header_of.setdefault(column, header)
        named[column] = value
    return named


def _choices(row: dict[str, Any]) -> list[str]:
    """The row's choices in order: `choice_1`, `choice_2`, ... then any in a `choices` cell."""
    numbered = sorted(
        (int(k.removeprefix("choice_")), str(v).strip())
        for k, v in row.items()
        if k.startswith("choice_") and k.removeprefix("choice_").isdigit() and v not in ("", None)
    )
    listed = str(row.get("choices") or "").replace(",", " ").replace(";", " ").split()
    return [code for _, code in numbered] + listed
