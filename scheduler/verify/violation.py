"""One broken rule of a solution, as `verify` reports it, and how a check reads the document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.record}: {self.message}"


def text(record: Mapping[str, Any], field: str) -> str | None:
    """`record[field]` if it is text: a solution document is untrusted JSON, whose ids may be
    missing, numbers or lists, and only text names a record (a list would not even hash)."""
    value = record.get(field)
    return value if isinstance(value, str) else None


def referenced(rows: Mapping[str, Row], record: Mapping[str, Any], field: str) -> Row | None:
    """The row of `rows` that `record[field]` names, or None when it names none."""
    name = text(record, field)
    return None if name is None else rows.get(name)
