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
from api.services.import_codes import platform_code
from api.services.uploads import (
    BOOL_WORDS,
    all_or_nothing,
    cell_number,
    own_party,
    problems_of,
    read_upload,
    refuse,
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
    header_of = _header_of(list(rows[0]) if rows else [])
    for number, raw in enumerate(rows, start=2):
        row = {column: raw.get(header) for column, header in header_of.items()}
        code = str(row.get("pupil") or "").strip()
        # A school system's number ("Leerlingnummer") came in as the imports' code scheme.
        pupil = pupils.get(code) or (pupils.get(platform_code(school, code)) if code else None)
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
        chosen = _choices(row)
        choices = [choice for _, choice in chosen]
        for column, choice in chosen:
            if choice not in sessions:
                problems.append({"row": number, "column": column,
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


def _header_of(headers: list[str]) -> dict[str, str]:
    """Column -> the file's header that holds it, whatever the language or spelling; two
    headers for one column ("Keuze 1" and "choice_1") refuse the file, naming both."""
    header_of: dict[str, str] = {}
    for header in headers:
        key = normal(header)
        numbered = _NUMBERED.fullmatch(key)
        column = f"choice_{numbered[1]}" if numbered else _NAMES.get(key, header)
        if column in header_of:
            twice = [header_of[column], header]
            refuse([{"row": 1, "column": header,
                     "reason": f"columns {twice[0]!r} and {twice[1]!r} both hold {column}",
                     "type": "upload.column_twice",
                     "ctx": {"first": twice[0], "second": twice[1]}}])  # fmt: skip
        header_of[column] = header
    return header_of


def _choices(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The row's choices in order with the column each came from: `choice_1`, `choice_2`, ...
    then any in a `choices` cell."""
    numbered = sorted(
        (int(k.removeprefix("choice_")), k, str(v).strip())
        for k, v in row.items()
        if k.startswith("choice_") and k.removeprefix("choice_").isdigit() and v not in ("", None)
    )
    listed = str(row.get("choices") or "").replace(",", " ").replace(";", " ").split()
    return [(column, code) for _, column, code in numbered] + [("choices", c) for c in listed]
