"""Which column of a school's spreadsheet holds which field, and what its Dutch values mean.

Schools upload what their administration exports (Somtoday's and Magister's lists of pupils:
"Leerlingnummer;Roepnaam;Achternaam;Klas;Leerweg;Postcode;Vervoer"), not the platform's
template. Headers are recognised whatever their case, spacing or punctuation; values in the
words schools use ("Basisberoepsgerichte leerweg", "vmbo-k", "fiets", "Produceren, installeren
en energie") become the SPEC's codes. A value no rule recognises is passed on as it is, so the
model's own check names the column and lists what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from api.imports.snapshot import profile_in, track_in, year_in
from scheduler.contract.round import MODES

# Platform field -> the headers that mean it, normalised (`normal`). The template's own names
# come first, then the names of Somtoday and Magister exports and of hand-made lists.
PUPIL_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "leerlingnummer", "stamnummer", "llnr", "leerling nummer", "studentnummer",
             "leerlingcode", "leerling id", "id"),
    "first_name": ("first name", "roepnaam", "voornaam", "voornamen", "naam roepnaam",
                   "roep naam", "name"),
    "class": ("class", "klas", "stamgroep", "stamklas", "basisgroep", "groep", "klas groep",
              "mentorgroep"),
    "class_id": ("class id",),
    "profile": ("profile", "profiel", "profielcode", "profiel code", "beroepsgericht profiel",
                "sector", "afdeling"),
    "track": ("track", "leerweg", "leerwegcode", "niveau"),
    # Read for the profile, track and year it names ("vmbo kb PIE 3"), itself not stored.
    "education": ("opleiding", "opleidingscode", "opleidingsnaam", "studie", "studiecode",
                  "onderwijstype"),
    "year": ("year", "leerjaar", "jaarlaag", "jaar"),
    "postcode": ("postcode", "postcode woonadres", "woonpostcode", "pc", "pc4", "postal code",
                 "zip"),
    "mode": ("mode", "vervoer", "vervoermiddel", "vervoerswijze", "reist met", "reiswijze"),
    "max_travel_min": ("max travel min", "max reistijd", "maximale reistijd", "reistijd"),
    "preferences": ("preferences", "wensen", "voorkeuren", "stagewensen", "voorkeur"),
    "periods": ("periods", "perioden", "periodes", "stageperiode", "stageperioden"),
    "accept_unranked": ("accept unranked", "ook andere plekken", "andere plek mag"),
    "priority": ("priority", "prioriteit"),
    "home_lat": ("home lat",),
    "home_lon": ("home lon",),
}  # fmt: skip
TEACHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "docentcode", "afkorting", "docent afkorting", "medewerkercode",
             "personeelscode"),
    "name": ("name", "naam", "volledige naam", "weergavenaam", "roepnaam"),
    "free": ("free", "vrij", "vrije dagdelen", "beschikbaar", "beschikbaarheid"),
    "escort": ("escort", "begeleider", "mag begeleiden", "begeleiding", "begeleidt"),
    "sectors": ("sectors", "sectoren", "vakgebied", "vakken", "sector"),
    "excursion": ("excursion", "bedrijfsbezoek", "excursie"),
    "guest_lesson": ("guest lesson", "gastles"),
    "teacher_internship": ("teacher internship", "docentenstage"),
}  # fmt: skip
CLASS_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "klas", "klascode", "stamgroep", "stamklas", "basisgroep", "groep"),
    "year": ("year", "leerjaar", "jaarlaag", "jaar"),
    "profile": ("profile", "profiel", "profielcode", "beroepsgericht profiel", "sector",
                "afdeling"),
    "size": ("size", "aantal leerlingen", "leerlingen", "grootte", "klasgrootte", "aantal"),
    "free": TEACHER_COLUMNS["free"],
    "excursion": (*TEACHER_COLUMNS["excursion"], "bedrijfsbezoeken"),
    "guest_lesson": (*TEACHER_COLUMNS["guest_lesson"], "gastlessen"),
    "teacher_internship": TEACHER_COLUMNS["teacher_internship"],
    "distinct_sectors": ("distinct sectors", "verschillende sectoren", "elk een andere sector"),
}  # fmt: skip
TIMETABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "klas of docent", "klas", "docent", "docentcode", "afkorting", "groep"),
    "free": TEACHER_COLUMNS["free"],
}
REQUIRED = {
    "pupils": ("code", "first_name", "profile", "track", "year"),
    "teachers": ("code", "name"),
    "classes": ("code",),
    "timetables": ("code", "free"),
}
COLUMNS = {
    "pupils": PUPIL_COLUMNS,
    "teachers": TEACHER_COLUMNS,
    "classes": CLASS_COLUMNS,
    "timetables": TIMETABLE_COLUMNS,
}
# A template's headers on a Dutch page, each one of its field's names above, so that a template
# filled in comes back as it went out; an English page keeps the fields' own names. A pupil's
# and a teacher's stay "code": the platform's own codes, not a school system's numbers, which
# `api.services.uploads.imported_code` would put in the imports' code scheme.
DUTCH_HEADERS: dict[str, dict[str, str]] = {
    "pupils": {"code": "code", "first_name": "roepnaam", "profile": "profiel",
               "track": "leerweg", "year": "leerjaar", "class": "klas", "preferences": "wensen",
               "periods": "periodes", "mode": "vervoer", "max_travel_min": "max reistijd",
               "accept_unranked": "ook andere plekken", "priority": "prioriteit"},
    "classes": {"code": "klas", "year": "leerjaar", "profile": "profiel",
                "size": "aantal leerlingen", "free": "vrije dagdelen",
                "excursion": "bedrijfsbezoek", "guest_lesson": "gastles",
                "teacher_internship": "docentenstage",
                "distinct_sectors": "verschillende sectoren"},
    "timetables": {"code": "klas of docent", "free": "vrije dagdelen"},
    "teachers": {"code": "code", "name": "naam", "free": "vrije dagdelen",
                 "escort": "begeleider", "sectors": "sectoren", "excursion": "bedrijfsbezoek",
                 "guest_lesson": "gastles", "teacher_internship": "docentenstage"},
}  # fmt: skip
# Fields a pupil's class or education name (`3KB-PIE`, "vmbo-k PIE leerjaar 3") may give.
DERIVABLE = ("profile", "track", "year")
DERIVED_FROM = ("education", "class", "track", "profile")
READ_ONLY = ("education",)  # fields read for others, never stored


def normal(text: Any) -> str:
    """A header or value as compared: lower case, punctuation and runs of space as one space."""
    return " ".join(re.sub(r"[\s_\-./:()&,]+", " ", str(text or "").lower()).split())


@dataclass(frozen=True)
class ColumnMap:
    """How a file's headers were read: field -> header, what was left out and what is missing."""

    kind: str
    headers: tuple[str, ...]
    columns: dict[str, str]
    derived: tuple[str, ...] = ()  # fields read from the class or education name
    ignored: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    by_hand: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[dict[str, Any]]:
        """One problem per required field no column gives, naming the headers the file has."""
        seen = ", ".join(repr(h) for h in self.headers) or "none"
        return [
            {"row": 1, "column": name,
             "reason": f"no column for {name!r} (required); the file's headers are {seen}",
             "type": "upload.no_column", "ctx": {"field": name, "headers": seen}}
            for name in self.missing
        ]  # fmt: skip


def recognise(
    kind: str, headers: Sequence[str], chosen: Mapping[str, str] | None = None
) -> ColumnMap:
    """Match a file's headers to the fields of `kind`; `chosen` (field -> header, from the
    preview's selects) wins over recognition, and an empty choice means "not in this file"."""
    names = COLUMNS[kind]
    headers = [h for h in headers if h]  # an empty header (a trailing ";") names nothing
    columns: dict[str, str] = {}
    for name, aliases in names.items():  # the earlier alias wins: "roepnaam" over "voornaam"
        for alias in aliases:
            header = next((h for h in headers if normal(h) == alias), None)
            if header is not None and header not in columns.values():
                columns[name] = header
                break
    by_hand = {k: v for k, v in (chosen or {}).items() if k in names and v in (*headers, "")}
    for name, header in by_hand.items():
        columns = {k: v for k, v in columns.items() if v != header or k == name}
        if header:
            columns[name] = header
        else:
            columns.pop(name, None)
    derived: list[str] = []
    missing = [n for n in REQUIRED[kind] if n not in columns]
    if kind == "pupils" and any(s in columns for s in DERIVED_FROM):
        derived = [n for n in missing if n in DERIVABLE]
        missing = [n for n in missing if n not in DERIVABLE]
    used = set(columns.values())
    return ColumnMap(
        kind=kind,
        headers=tuple(headers),
        columns=columns,
        derived=tuple(derived),
        ignored=tuple(h for h in headers if h and h not in used),
        missing=tuple(missing),
        by_hand=by_hand,
    )


def mapped_row(mapping: ColumnMap, row: Mapping[str, Any]) -> dict[str, Any]:
    """A file's row as the platform's fields, with Dutch values turned into codes; cells of
    ignored columns never leave this function."""
    values = {name: row.get(header, "") for name, header in mapping.columns.items()}
    texts = [str(values.get(n) or "") for n in DERIVED_FROM]
    if "profile" in values or "profile" in mapping.derived:
        values["profile"] = profile_value(values.get("profile"), texts)
    if "track" in values or "track" in mapping.derived:
        values["track"] = track_value(values.get("track"), texts)
    if "year" in values or "year" in mapping.derived:
        values["year"] = year_value(values.get("year"), texts)
    if "profile" in mapping.derived and values["profile"] is None and values.get("track") == "tl":
        values["profile"] = "TECH"  # the theoretical track's one profile (SPEC section 1)
    if values.get("mode") not in (None, ""):
        values["mode"] = mode_value(values["mode"])
    for flag in ("accept_unranked", "escort", "distinct_sectors"):
        if values.get(flag) not in (None, ""):
            values[flag] = yes_no(values[flag])
    if values.get("free") not in (None, ""):
        values["free"] = " ".join(dayparts_value(values["free"]))
    return {k: v for k, v in values.items() if k not in READ_ONLY}


# --- Dutch values ---------------------------------------------------------------------------

PROFILE_NAMES = {
    "BWI": "bouwen wonen interieur",
    "PIE": "produceren installeren energie",
    "MT": "mobiliteit transport",
    "MVI": "media vormgeving ict",
    "MaT": "maritiem techniek",
    "ZW": "zorg welzijn",
    "EO": "economie ondernemen",
    "HBR": "horeca bakkerij recreatie",
    "GR": "groen",
    "DP": "dienstverlening producten",
    "TECH": "technologie",
}
_FILLERS = {"en", "and", "profiel", "vmbo"}
_BY_NAME = {name: code for code, name in PROFILE_NAMES.items()}
# "vmbo-b", "vmbo k", "VMBO-GL": the letter after vmbo is the track.
_VMBO_LETTER = re.compile(r"\bvmbo[\s-]*([bkgt])")
_LETTER_TRACK = {"b": "bb", "k": "kb", "g": "gl", "t": "tl"}
MODE_WORDS = {
    "fiets": "bike", "fietsen": "bike", "e bike": "bike", "ebike": "bike",
    "elektrische fiets": "bike",
    "lopen": "walk", "lopend": "walk", "te voet": "walk", "voet": "walk",
    "ov": "public_transport", "openbaar vervoer": "public_transport", "bus": "public_transport",
    "trein": "public_transport", "tram": "public_transport", "metro": "public_transport",
    "bus trein": "public_transport",
    # A moped (45 km/h) and being driven are nearer the car's 40 km/h than the bike's 15.
    "auto": "car", "brommer": "car", "scooter": "car", "gebracht": "car", "taxi": "car",
    "leerlingenvervoer": "car",
    "touringcar": "coach",
}  # fmt: skip
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}
_DAYS = {"ma": "mon", "maandag": "mon", "di": "tue", "dinsdag": "tue", "wo": "wed",
         "woensdag": "wed", "do": "thu", "donderdag": "thu", "vr": "fri", "vrijdag": "fri",
         **{d: d for d in ("mon", "tue", "wed", "thu", "fri")}}  # fmt: skip
_PARTS = {"ochtend": "am", "o": "am", "vm": "am", "am": "am",
          "middag": "pm", "m": "pm", "nm": "pm", "pm": "pm"}  # fmt: skip
_DAYPART = re.compile(
    r"(\d{4}-\d{2}-\d{2}/(?:am|pm))|(" + "|".join(sorted(_DAYS, key=len, reverse=True)) + r")"
    r"\s*-?\s*(" + "|".join(sorted(_PARTS, key=len, reverse=True)) + r")\b"
)


def profile_value(raw: Any, texts: Sequence[str] = ()) -> Any:
    """A profile code from its code or Dutch name, else from the class or education name."""
    text = str(raw or "").strip()
    words = [w for w in normal(text).split() if w not in _FILLERS]
    named = _BY_NAME.get(" ".join(words))
    if named:
        return named
    found = profile_in(text) or (None if text else profile_in(*texts))
    return found or text or None


def track_value(raw: Any, texts: Sequence[str] = ()) -> Any:
    """A track code from a leerweg's code, name or education ("vmbo-k"), else from the class."""
    text = str(raw or "").strip()
    letter = _VMBO_LETTER.search(text.lower())
    if letter:
        return _LETTER_TRACK[letter.group(1)]
    found = track_in(text) or (None if text else _track_of_class(texts))
    return found or text or None


def _track_of_class(texts: Sequence[str]) -> str | None:
    """A class name's track: "3KB-PIE" and "3 kb a" hold it as letters glued to the year."""
    for text in texts:
        letter = _VMBO_LETTER.search(text.lower())
        if letter:
            return _LETTER_TRACK[letter.group(1)]
        found = track_in(text) or track_in(re.sub(r"\d", " ", text))
        if found:
            return found
    return None


def year_value(raw: Any, texts: Sequence[str] = ()) -> Any:
    """A school year from "3", "3.0", "leerjaar 3", else from the class name ("3KB-PIE")."""
    text = str(raw or "").strip()
    try:
        number = float(text)
        return int(number) if number.is_integer() else text
    except ValueError:
        pass
    found = year_in(text) or (None if text else year_in(*(re.sub(r"\D", " ", t) for t in texts)))
    return found or text or None


def mode_value(raw: Any) -> Any:
    """A SPEC travel mode from Dutch words ("fiets", "OV", "bus"); unknown words pass on."""
    text = normal(raw)
    if text in MODES:
        return text
    if text.replace(" ", "_") in MODES:
        return text.replace(" ", "_")
    return MODE_WORDS.get(text, str(raw).strip())


def yes_no(raw: Any) -> Any:
    text = normal(raw)
    return True if text in YES else False if text in NO else raw


_DUTCH_DAYS = {"mon": "ma", "tue": "di", "wed": "wo", "thu": "do", "fri": "vr"}
_DUTCH_PARTS = {"am": "ochtend", "pm": "middag"}


def dutch_daypart(code: str) -> str:
    """A weekly daypart as a Dutch file writes it ("tue-pm" -> "di-middag", which
    `dayparts_value` reads back); a dated one stays as it is."""
    day, _, part = code.partition("-")
    if day in _DUTCH_DAYS and part in _DUTCH_PARTS:
        return f"{_DUTCH_DAYS[day]}-{_DUTCH_PARTS[part]}"
    return code


def dayparts_value(raw: Any) -> list[str]:
    """Free dayparts from codes ("tue-pm") or Dutch ("di middag", "ma-o", "woensdagochtend");
    a word that is neither is kept, so the model refuses it by name."""
    text = str(raw or "").lower()
    found: list[str] = []
    rest = text
    for match in _DAYPART.finditer(text):
        dated, day, part = match.groups()
        found.append(dated or f"{_DAYS[day]}-{_PARTS[part]}")
        rest = rest.replace(match.group(0), " ", 1)
    return found + [w for w in re.split(r"[\s,;]+", rest) if w]
