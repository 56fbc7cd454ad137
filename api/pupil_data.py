"""Where one pupil's data lives in the stored records: gathered for its export, unlinked at its
erasure (pupils are minors: AVG/GDPR articles 15 and 17).

A pupil is named by its code in round documents (its student record, together/apart pairs,
elective and event requests, travel rows), in solution versions, pins, job parameters, company
answers and audit entries (an answer's entry even carries the code as its `entity_id`), and by
its database id in pairs, elective and event requests, its feedback answers and their audit
entries (a placement's feedback is keyed by its code). Erasure replaces
the code by one random token everywhere, so every document still adds up (each pupil once, pairs
intact) but nothing leads back from the token to the child.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

from sqlalchemy import String, cast
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, SQLModel, col, or_, select

from api import version_index
from api.db import saved_id
from api.models import (
    ActivityResponse,
    AuditEntry,
    CompanyResponse,
    Feedback,
    FeedbackKind,
    Job,
    OutboxMessage,
    Pin,
    Pupil,
    PupilFeedback,
    Round,
    SolutionVersion,
    VersionState,
)

ERASED = "[erased]"
# What an erased pupil's student record in a round document keeps: what the solver's rules need
# to place it (school, admission, periods), none of what singles out a child (home, wishes,
# priority, travel needs). A list of what stays, so a field added later is dropped by default.
KEPT_IN_DOCUMENT = ("id", "school", "profile", "track", "year", "periods")
# The same for the pupil snapshots in its audit entries: the rest is blanked to ERASED.
KEPT_IN_AUDIT = ("id", "code", "profile", "track", "year", "periods", "class_id", "school_id",
                 "region_id", "version")  # fmt: skip
PUPIL_ID_FIELDS = ("pupil_id", "pupil_a_id", "pupil_b_id")


def erasure_token() -> str:
    """A code for an erased pupil: random, so nothing about the pupil can be derived from it."""
    return f"erased-{secrets.token_hex(8)}"


def mentions_code(code: str) -> re.Pattern[str]:
    """`code` as a whole word: in a text, but never inside another pupil's longer code."""
    return re.compile(rf"(?<![A-Za-z0-9_.:-]){re.escape(code)}(?![A-Za-z0-9_.:-])")


# --- finding ------------------------------------------------------------------------------------


def region_rounds(session: Session, region_id: int) -> list[Round]:
    return list(session.exec(select(Round).where(Round.region_id == region_id)).all())


def round_versions(session: Session, round_: Round) -> list[SolutionVersion]:
    query = select(SolutionVersion).where(SolutionVersion.round_id == round_.id)
    return list(session.exec(query.order_by(col(SolutionVersion.number))).all())


def places_in(solution: dict[str, Any], code: str) -> list[dict[str, Any]]:
    """The pupil's assignment or its unassigned entry in a solution document."""
    return [
        entry
        for key in ("assignments", "unassigned")
        for entry in solution.get(key, [])
        if entry.get("student") == code
    ]


def unpublished_proposals(session: Session, round_: Round) -> list[SolutionVersion]:
    """The round's proposals never published (publishing copies a proposal to a new row)."""
    versions = round_versions(session, round_)
    published = {v.based_on_id for v in versions if v.state == VersionState.published}
    return [v for v in versions if v.state == VersionState.proposal and v.id not in published]


def unpublished_places(session: Session, pupil: Pupil) -> list[dict[str, Any]]:
    """The pupil in every proposal not (yet) published: placed or unplaced, per version."""
    return [
        {"round": round_.name, "version": version.number, **entry}
        for round_ in region_rounds(session, pupil.region_id)
        for version in unpublished_proposals(session, round_)
        for entry in places_in(version.solution, pupil.code)
    ]


def company_answers(session: Session, pupil: Pupil) -> list[CompanyResponse]:
    """The companies' confirmations and declines of the pupil's assignments."""
    rounds = select(col(Round.id)).where(Round.region_id == pupil.region_id)
    query = select(CompanyResponse).where(
        CompanyResponse.student == pupil.code,
        col(CompanyResponse.round_id).in_(rounds),
    )
    return list(session.exec(query.order_by(col(CompanyResponse.id))).all())


def feedback_about(session: Session, pupil: Pupil) -> list[SQLModel]:
    """The pupil's own answers (filled in by its school) and the company's and school's
    answers about its placements."""
    rounds = select(col(Round.id)).where(Round.region_id == pupil.region_id)
    about = select(Feedback).where(
        Feedback.kind == FeedbackKind.placement,
        Feedback.item == pupil.code,
        col(Feedback.round_id).in_(rounds),
    )
    own = select(PupilFeedback).where(PupilFeedback.pupil_id == pupil.id)
    return [*session.exec(own.order_by(col(PupilFeedback.id))).all(),
            *session.exec(about.order_by(col(Feedback.id))).all()]  # fmt: skip


def audit_about(session: Session, pupil: Pupil) -> list[AuditEntry]:
    """Every audit entry about the pupil, of any kind: its record, its pairs and requests (by
    id), and whatever names its code (answers, pins, jobs).

    The database narrows the trail first (by entity and by the code's text), so a region's whole
    trail is not read into Python for one pupil."""
    code_pattern = mentions_code(pupil.code)
    query = select(AuditEntry).where(
        AuditEntry.region_id == pupil.region_id,
        or_(
            AuditEntry.entity_id == pupil.code,
            (col(AuditEntry.entity) == "pupil") & (col(AuditEntry.entity_id) == str(pupil.id)),
            col(AuditEntry.entity).in_(
                (
                    "pupil_pair",
                    "elective_request",
                    "event_request",
                    "decline",
                    "pupil_feedback",
                    "placement_request",
                    "agreement",
                    "pupil_birth_date",
                )
            ),
            *(
                cast(column, String).contains(pupil.code, autoescape=True)
                for column in (AuditEntry.before, AuditEntry.after)
            ),
        ),
    )
    return [
        entry
        for entry in session.exec(query.order_by(col(AuditEntry.id))).all()
        if entry.entity_id == pupil.code
        or (entry.entity == "pupil" and entry.entity_id == str(pupil.id))
        or any(_names_pupil(data, pupil, code_pattern) for data in (entry.before, entry.after))
    ]


def mail_about(session: Session, pupil: Pupil) -> list[dict[str, Any]]:
    """The mail that names the pupil: when, of what kind, and only its lines that name it (a
    company's mail also lists pupils of other schools)."""
    pattern = mentions_code(pupil.code)
    found = []
    for mail in session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.region_id == pupil.region_id)
        .order_by(col(OutboxMessage.id))
    ):
        lines = [
            line for line in f"{mail.subject}\n{mail.body}".splitlines() if pattern.search(line)
        ]
        if lines:
            found.append(
                {"kind": str(mail.kind), "created_at": mail.created_at.isoformat(),
                 "sent_at": mail.sent_at.isoformat() if mail.sent_at else None, "lines": lines}
            )  # fmt: skip
    return found


def _names_pupil(value: Any, pupil: Pupil, code_pattern: re.Pattern[str]) -> bool:
    if isinstance(value, dict):
        return any(value.get(name) == pupil.id for name in PUPIL_ID_FIELDS) or any(
            _names_pupil(v, pupil, code_pattern) for v in value.values()
        )
    if isinstance(value, list):
        return any(_names_pupil(v, pupil, code_pattern) for v in value)
    return isinstance(value, str) and code_pattern.search(value) is not None


# --- unlinking ----------------------------------------------------------------------------------


class Unlinker:
    """Replaces one pupil's code by `token` in a JSON value, dropping its personal attributes
    where a round document keeps its student record."""

    def __init__(self, code: str, token: str) -> None:
        self.code, self.token, self.pattern = code, token, mentions_code(code)

    def text(self, value: str) -> str:
        return self.pattern.sub(self.token, value)

    def document(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.text(k): self.document(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.document(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def round_document(self, document: dict[str, Any]) -> dict[str, Any]:
        students = [
            {k: s[k] for k in KEPT_IN_DOCUMENT if k in s} if s.get("id") == self.code else s
            for s in document.get("students", [])
        ]
        return self.document({**document, "students": students} if students else document)

    def pupil_snapshot(self, data: dict[str, Any] | None) -> dict[str, Any] | None:
        if data is None:
            return None
        return {
            k: self.document(v) if k in KEPT_IN_AUDIT or v is None else ERASED
            for k, v in data.items()
        }


def unlink_everywhere(session: Session, pupil: Pupil, token: str) -> int:
    """Replace the pupil by `token` in every stored record of its region; returns how many
    stored documents (round documents, solutions, job parameters) changed."""
    unlink = Unlinker(pupil.code, token)
    documents = 0
    for round_ in region_rounds(session, pupil.region_id):
        documents += _rewrite(session, round_, "document", unlink.round_document)
        for version in round_versions(session, round_):
            documents += _rewrite(session, version, "round_document", unlink.round_document)
            documents += _rewrite(session, version, "solution", unlink.document)
        version_index.drop(session, [saved_id(v) for v in round_versions(session, round_)])
        for answer in _rows(session, CompanyResponse, round_):
            _rewrite(session, answer, "student", unlink.text)
            _rewrite(session, answer, "reason", unlink.text)
        for visit_answer in _rows(session, ActivityResponse, round_):
            _rewrite(session, visit_answer, "reason", unlink.text)
        for pin in _rows(session, Pin, round_):
            _rewrite(session, pin, "student", unlink.text)
        for feedback in _rows(session, Feedback, round_):  # a placement's is keyed by its pupil
            _rewrite(session, feedback, "item", unlink.text)
            _rewrite(session, feedback, "remark", unlink.text)
    for job in session.exec(select(Job).where(Job.region_id == pupil.region_id)):
        documents += _rewrite(session, job, "params", unlink.document)
        _rewrite(session, job, "message", unlink.text)  # a refused pin names its pupil
    for entry in audit_about(session, pupil):
        own = entry.entity == "pupil" and entry.entity_id == str(pupil.id)
        scrub = unlink.pupil_snapshot if own else unlink.document
        for column in ("before", "after"):
            _rewrite(session, entry, column, scrub)
        _rewrite(session, entry, "entity_id", unlink.text)
    # Mail not yet sent, and the copies of mail sent, name pupils by code.
    for mail in session.exec(
        select(OutboxMessage).where(OutboxMessage.region_id == pupil.region_id)
    ):
        _rewrite(session, mail, "subject", unlink.text)
        _rewrite(session, mail, "body", unlink.text)
    return documents


def _rows(session: Session, table: type[Any], round_: Round) -> Iterator[Any]:
    yield from session.exec(select(table).where(table.round_id == round_.id)).all()


def _rewrite(session: Session, record: SQLModel, column: str, change: Any) -> int:
    """Apply `change` to `record.column`: 1 if that changed it (the row is then saved)."""
    old = getattr(record, column)
    if old is None:
        return 0
    new = change(old)
    if new == old:
        return 0
    setattr(record, column, new)
    flag_modified(record, column)
    session.add(record)
    return 1
