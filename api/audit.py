"""The audit trail: every write says who did it, when, to what, and how the record looked.

Entries are added in the same transaction as the write they describe, so there is never a
change without its entry nor an entry for a change that was rolled back.
"""

from __future__ import annotations

from datetime import date
from typing import Any, overload

from sqlmodel import Session, SQLModel

from api.models import AuditEntry, User


@overload
def snapshot(record: SQLModel) -> dict[str, Any]: ...


@overload
def snapshot(record: None) -> None: ...


def snapshot(record: SQLModel | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a row for the before/after columns (secrets, sealed credentials
    of a school source included, left out)."""
    if record is None:
        return None
    data = record.model_dump(exclude={"hashed_password", "token_hash", "document", "credentials"})
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def record(
    session: Session,
    user: User | None,
    action: str,
    entity: str,
    entity_id: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    region_id: int | None = None,
) -> None:
    """Add one audit entry to the session's transaction."""
    session.add(
        AuditEntry(
            user_id=user.id if user is not None else None,
            region_id=region_id if region_id is not None else getattr(user, "region_id", None),
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )
