"""What a school administration system said about one school, minimised and in the platform's
terms but not yet validated: the neutral shape between a client (`zermelo`, `somtoday`) and the
all-or-nothing store (`api.services.school_sources`).

Each record remembers how its source names it (`record`), and `source_fields` maps each
platform field to the source's own field, so a refusal points the school at the record and
field to correct in its own system. A pupil arrives minimised (`api.imports.minimise`): the
fields the platform uses and a PC4 centroid, with only the names of what was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from api.imports.dayparts import Busy
from api.imports.minimise import Minimised
from scheduler.contract.round import PROFILES, TRACKS


@dataclass(frozen=True)
class SourcePupil:
    record: str  # e.g. "leerlingen[12] (leerlingnummer 450012)"
    pupil: Minimised  # code, first_name, class, profile, track, year, home_lat/home_lon


@dataclass(frozen=True)
class SourceTeacher:
    record: str
    code: str
    name: str
    lessons: tuple[Busy, ...]


@dataclass(frozen=True)
class SourceGroup:
    """A class (stamgroep, main group) and the lessons that keep it busy."""

    record: str
    name: str
    lessons: tuple[Busy, ...]


@dataclass(frozen=True)
class SchoolSnapshot:
    pupils: tuple[SourcePupil, ...]
    groups: tuple[SourceGroup, ...]
    teachers: tuple[SourceTeacher, ...]
    source_fields: dict[str, str]  # platform field -> the source's field, for refusals
    system: str = ""  # "Zermelo", "Somtoday": for the report's notes
    # Which fields of each pupil the source was asked for (the report notes it), if it was asked.
    asked: tuple[str, ...] = field(default=())


_WORDS = re.compile(r"[A-Za-z]+|\d+")
# Words Dutch schools use for the four vmbo tracks (leerwegen), besides their codes.
TRACK_WORDS = {
    "basis": "bb",
    "bbl": "bb",
    "kader": "kb",
    "kbl": "kb",
    "gemengd": "gl",
    "theoretisch": "tl",
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
