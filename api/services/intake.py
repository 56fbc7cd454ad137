"""School intake: a pupils or teachers file is previewed before anything is stored.

The school sees how its columns were read (and may pick them by hand), the first rows as they
will be stored, how many records are new or updated and every problem by row and field; only
its "Importeren" stores the file, all or nothing, through the same checks as the upload API.
Between the two the file waits server-side as an `IntakeDraft` under a random token (stored as
its hash), for at most `DRAFT_TTL`, visible to the user who uploaded it only.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, BinaryIO, Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete, select

from api.db import saved_id
from api.imports.columns import COLUMNS, REQUIRED
from api.models import IntakeDraft, Pupil, Role, School, Teacher, User, utcnow
from api.services import uploads
from api.services.errors import NotFound
from api.services.records import commit
from api.services.uploads import Checked

IntakeKind = Literal["pupils", "teachers"]
DRAFT_TTL = timedelta(minutes=30)
PREVIEW_ROWS = 10
Check = Callable[[Session, User, School, list[dict[str, Any]], Mapping[str, str] | None], Checked]
CHECKS: dict[str, Check] = {"pupils": uploads.check_pupils, "teachers": uploads.check_teachers}
# What the preview shows of a row: the stored fields, never more than the platform keeps.
SHOWN = {
    "pupils": ("code", "first_name", "profile", "track", "year", "class_id", "mode", "home_lat",
               "home_lon"),
    "teachers": ("code", "name", "free", "escort", "sectors", "demand"),
}  # fmt: skip


class IntakePreview(BaseModel):
    """What an import of the file would do; nothing of it is stored yet."""

    kind: IntakeKind
    file: str
    headers: list[str] = Field(description="the file's header row, lower case")
    columns: dict[str, str] = Field(description="platform field -> the file's header read for it")
    derived: list[str] = Field(description="fields read from the class or education name")
    ignored: list[str] = Field(description="headers not read (their cells are never stored)")
    missing: list[str] = Field(description="required fields no column gives")
    required: list[str]
    fields: list[str] = Field(description="every field a column may give")
    rows: list[dict[str, Any]] = Field(description=f"the first {PREVIEW_ROWS} rows as stored")
    created: int
    updated: int
    problems: list[dict[str, Any]] = Field(description="row, column and reason of each problem")
    token: str | None = Field(default=None, description="the page's draft; None on the API")


def preview_of(kind: str, name: str, checked: Checked, token: str | None) -> IntakePreview:
    mapping = checked.mapping
    rows = [
        {k: v for k, v in r.model_dump().items() if k in SHOWN[kind]}
        for r in checked.valid[:PREVIEW_ROWS]
    ]
    return IntakePreview(
        kind=kind,  # type: ignore[arg-type]  # a key of CHECKS, so an IntakeKind
        file=name,
        headers=list(mapping.headers),
        columns=mapping.columns,
        derived=list(mapping.derived),
        ignored=list(mapping.ignored),
        missing=list(mapping.missing),
        required=list(REQUIRED[kind]),
        fields=list(COLUMNS[kind]),
        rows=rows,
        problems=checked.problems,
        token=token,
        **checked.counts,
    )


def _check(
    session: Session,
    user: User,
    kind: str,
    school: School,
    name: str,
    content: bytes,
    chosen: Mapping[str, str] | None,
) -> Checked:
    rows = uploads.data_rows(name, content)
    return CHECKS[kind](session, user, school, rows, chosen)


def dry_run(
    session: Session,
    user: User,
    kind: str,
    name: str,
    stream: BinaryIO,
    school_id: int | None,
    chosen: Mapping[str, str] | None = None,
) -> IntakePreview:
    """The API's preview: the file checked as an upload would be, nothing stored or kept."""
    school = uploads.own_party(session, user, "school", school_id)
    content = uploads.upload_content(stream)
    return preview_of(kind, name, _check(session, user, kind, school, name, content, chosen), None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User, kind: str, name: str, stream: BinaryIO) -> IntakePreview:
    """The page's preview: the file kept as a draft for the confirmation, and checked."""
    school = uploads.own_party(session, user, "school", None)
    content = uploads.upload_content(stream)
    checked = _check(session, user, kind, school, name, content, None)
    drop_expired_drafts(session, utcnow())
    token = secrets.token_urlsafe(24)
    session.add(IntakeDraft(token_hash=_hash(token), user_id=saved_id(user),
                            school_id=saved_id(school), kind=kind, file_name=name,
                            content=content))  # fmt: skip
    commit(session)
    return preview_of(kind, name, checked, token)


def drop_expired_drafts(session: Session, now: datetime) -> None:
    """A draft holds the school's whole file, columns never read included (surnames, birth
    dates, addresses): gone once it can no longer be imported. The worker's loop calls this
    too (`api.services.outbox.run_outbox`), so an abandoned preview does not stay."""
    session.exec(delete(IntakeDraft).where(col(IntakeDraft.created_at) < now - DRAFT_TTL))


def drop_school_drafts(session: Session, school_id: int) -> None:
    """Every pending draft of a school: a pupil's erasure takes the files that may name it."""
    session.exec(delete(IntakeDraft).where(col(IntakeDraft.school_id) == school_id))


def draft(session: Session, user: User, token: str) -> IntakeDraft:
    """The user's own draft under `token`, while it lasts."""
    found = session.exec(select(IntakeDraft).where(IntakeDraft.token_hash == _hash(token))).first()
    if found is None or found.user_id != user.id or found.created_at < utcnow() - DRAFT_TTL:
        raise NotFound(
            "token: this preview has expired; upload the file again", code="intake.expired"
        )
    return found


def review(session: Session, user: User, token: str, chosen: Mapping[str, str]) -> IntakePreview:
    """The draft checked again with the columns the school picked by hand."""
    kept = draft(session, user, token)
    school = _school(session, user, kept)
    checked = _check(session, user, kept.kind, school, kept.file_name, kept.content, chosen)
    return preview_of(kept.kind, kept.file_name, checked, token)


def confirm(
    session: Session, user: User, token: str, chosen: Mapping[str, str]
) -> tuple[str, dict[str, int]]:
    """Store the draft, all or nothing, and forget it: (kind, created and updated counts)."""
    kept = draft(session, user, token)
    school = _school(session, user, kept)
    checked = _check(session, user, kept.kind, school, kept.file_name, kept.content, chosen)
    table = Pupil if kept.kind == "pupils" else Teacher
    entity = "pupil" if kept.kind == "pupils" else "teacher"
    kind, name = kept.kind, kept.file_name
    session.delete(kept)
    counts = uploads.all_or_nothing(
        session, user, checked.problems, entity, table, checked.valid, checked.existing,
        (kind, school.id, name),
    )  # fmt: skip
    return kind, counts


def _school(session: Session, user: User, kept: IntakeDraft) -> School:
    school = session.get(School, kept.school_id)
    if school is None or (user.role == Role.school and user.school_id != school.id):
        raise NotFound(
            "token: this preview has expired; upload the file again", code="intake.expired"
        )
    return school
