"""What a school administration system said about one school, in the platform's terms but not
yet validated: the neutral shape between a source's client and the all-or-nothing store.

Each record remembers how its source names it (`record`), and `source_fields` maps each
platform field to the source's field, so a refusal points the school at the record and field
to correct in its own system. Only fields the platform uses are carried at all; what the source
offered beyond them is listed by name (never by value) in `left_out`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scheduler.contract.round import PROFILES, TRACKS

Lesson = tuple[datetime, datetime]


@dataclass(frozen=True)
class SourcePupil:
    record: str  # e.g. "leerlingen[12] (leerlingnummer 450012)"
    code: str
    first_name: str | None
    group: str | None  # the class (stamgroep, main group) by name
    profile: str | None
    track: str | None
    year: int | None
    home: tuple[float, float] | None  # PC4 centroid, never the address


@dataclass(frozen=True)
class SourceTeacher:
    record: str
    code: str
    name: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class SourceGroup:
    """A class (stamgroep, main group) and the lessons that keep it busy."""

    record: str
    name: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class SchoolSnapshot:
    pupils: tuple[SourcePupil, ...]
    groups: tuple[SourceGroup, ...]
    teachers: tuple[SourceTeacher, ...]
    source_fields: dict[str, str]  # platform field -> the source's field, for refusals
    left_out: dict[str, list[str]] = field(default_factory=dict)  # source entity -> fields
    requested_fields: dict[str, list[str]] = field(default_factory=dict)
    weeks: tuple[str, ...] = ()  # the Mondays of the timetable weeks read


def fields_left_out(rows: Iterable[dict[str, Any]], used: set[str]) -> list[str]:
    """The names of every field some row carries beyond `used` (nested as `adres.straat`)."""
    names: set[str] = set()
    for row in rows:
        for key, value in row.items():
            if key in used:
                continue
            nested = {f"{key}.{k}" for k in value} if isinstance(value, dict) else set()
            if nested and nested & used:
                names |= nested - used
            else:
                names.add(key)
    return sorted(names)


_WORDS = re.compile(r"[A-Za-z]+|\d+")
# Words Dutch schools use for the four vmbo tracks (leerwegen), besides their codes.
TRACK_WORDS = {
    "basis": "bb",
    "bbl": "bb",
    "kader": "kb",
    "kbl": "kb",
    "gemengde": "gl",
    "gemengd": "gl",
    "theoretische": "tl",
    "mavo": "tl",
}
_PROFILES = {p.lower(): p for p in PROFILES}


def profile_in(*texts: str | None) -> str | None:
    """The first SPEC profile code standing as a word in the texts (`3KB-PIE-a` -> PIE)."""
    for text in texts:
        for word in _WORDS.findall(text or ""):
            if word.lower() in _PROFILES:
                return _PROFILES[word.lower()]
    return None


def track_in(*texts: str | None) -> str | None:
    """The first vmbo track code or word in the texts (`kb3` -> kb, `Kaderberoeps...` -> kb)."""
    for text in texts:
        for word in _WORDS.findall(text or ""):
            lower = word.lower()
            if lower in TRACKS:
                return lower
            for prefix, track in TRACK_WORDS.items():
                if lower.startswith(prefix):
                    return track
    return None


def year_in(*texts: str | None) -> int | None:
    """The first school year 1 to 6 standing alone as a number in the texts (`kb3` -> 3)."""
    for text in texts:
        for word in _WORDS.findall(text or ""):
            if word.isdigit() and 1 <= int(word) <= 6:
                return int(word)
    return None
