"""What an import from a school system did, or why it was refused: one shape for every source.

An `.ics` feed, an EDEXML file, Zermelo and Somtoday all end in the same report, stored on the
school's source record (its last report) and shown on the school's page, so a coordinator reads
every import alike: how many records were added and updated, what changed in each timetable,
which fields the source offered that were left out (data minimisation), and which planned
activities the new timetables clash with.

A refusal lists every problem at once, each naming the record and the field, in FastAPI's 422
shape (`loc`, `msg`, `type`, `ctx`) like the CSV uploads, plus `record`, `field` and `reason`
(`refusal_detail`; the services raise it with `api.services.sources.refuse`). `reason` is the
API's English; a page says the problem's `type` with its `ctx` from the catalogs
(`refusal.import.*`, or pydantic's `invalid.<type>`), as it does an upload's problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.imports.errors import CodedError
from api.models import utcnow

RecordKind = Literal["class", "teacher", "pupil"]


class ImportProblem(BaseModel):
    """One reason a source was refused: the record as the source names it, and the field."""

    record: str = Field(description='"leerling 1234", "klas 3KB-A", "bestand"')
    field: str = ""
    reason: str
    # What a page says instead of `reason` (`api.web.refusals.why`); a report stored before
    # problems had a type keeps its English reason.
    type: str = "value_error"
    ctx: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, record: str, error: CodedError, field: str = "") -> ImportProblem:
        """The problem a coded source refusal (a token refused, a feed not fetched) makes."""
        return cls(record=record, field=field, reason=str(error), type=error.code,
                   ctx=error.params)  # fmt: skip


class RecordChange(BaseModel):
    """What an import did to one class, teacher or pupil."""

    kind: RecordKind
    code: str
    action: Literal["created", "updated", "unchanged"]
    # For timetables: the `free` entries the import added and removed.
    now_free: list[str] = Field(default_factory=list)
    no_longer_free: list[str] = Field(default_factory=list)
    # Dated deviations from the weekly rule, readable ("2027-03-09/pm bezet: Toets wiskunde").
    exceptions: list[str] = Field(default_factory=list)


class Clash(BaseModel):
    """A planned activity of the published or proposed round its requester is no longer free
    for: the repair releases it."""

    round_id: int
    version_id: int
    requester: str
    offer: str
    company: str
    kind: str
    date: str
    daypart: str


class ReportNote(BaseModel):
    """A note of a report as a page says it: `type` names its words (`sources.note.*`)."""

    type: str
    ctx: dict[str, Any] = Field(default_factory=dict)


class ImportReport(BaseModel):
    """The outcome of one import, stored as the source's last report."""

    source: str = Field(description="ical | edexml | zermelo | somtoday")
    at: datetime = Field(default_factory=utcnow)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    records: list[RecordChange] = Field(default_factory=list)
    # Field the source offered -> how many records offered it; none of it was stored.
    left_out: dict[str, int] = Field(default_factory=dict)
    clashes: list[Clash] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # the API's English
    # The same notes for a page, said in its language (a report stored before has none).
    said_notes: list[ReportNote] = Field(default_factory=list)
    # Why an import that ran in the background stored nothing (a refused token, a paging error,
    # a record the platform cannot take); a request-bound import answers 422 with them instead.
    problems: list[ImportProblem] = Field(default_factory=list)

    def note(self, text: str, type: str, **ctx: Any) -> None:
        """A note in the API's English, and as its type and parameters for a page."""
        self.notes.append(text)
        self.said_notes.append(ReportNote(type=type, ctx=ctx))

    def count(self, changes: Iterable[RecordChange]) -> None:
        """Add record changes and their tallies."""
        for change in changes:
            self.records.append(change)
            if change.action == "created":
                self.created += 1
            elif change.action == "updated":
                self.updated += 1
            else:
                self.unchanged += 1


def free_changes(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    """(now free, no longer free): the `free` entries added and removed, sorted."""
    old, new = set(before), set(after)
    return sorted(new - old), sorted(old - new)


def refusal_detail(problems: Iterable[ImportProblem]) -> list[dict[str, Any]]:
    """Every problem in FastAPI's 422 shape, for `api.services.sources.refuse`."""
    return [
        {"loc": ["source", p.record, p.field], "msg": p.reason, "type": "value_error"}
        | p.model_dump()
        for p in problems
    ]


def problems_of(
    detail: Any, code: str | None = None, params: Mapping[str, Any] | None = None
) -> list[ImportProblem]:
    """The problems of a service's refusal (its `detail`, `code` and `params`), for a report or
    a page that shows them as a table; an item without a type of its own takes the code, as
    `api.web.refusals.refusal_items` reads it."""
    coded = {"type": code, "ctx": dict(params or {})} if code else {}
    if not isinstance(detail, list):
        return [ImportProblem.model_validate({"record": "", "reason": str(detail)} | coded)]
    return [
        ImportProblem.model_validate(
            {
                "record": str(p.get("record", "")),
                "field": str(p.get("field", "")),
                "reason": str(p.get("reason", p.get("msg", ""))),
                "type": p.get("type", "value_error"),
                "ctx": p.get("ctx") or {},
            }
            | (coded if p.get("type", "value_error") == "value_error" else {})
        )
        for p in detail
        if isinstance(p, Mapping)
    ]
