"""How a school is told apart: its name, its place and its BRIN code.

One school board often runs several locations under one name (four "Het Stedelijk" locations
in Enschede); the round document names a school only by code, name and coordinates. The BRIN
code is the first four characters of a location's code when it is a vestigingscode (two digits,
two letters, two digits for the location), and the place is the nearest named place of the
Netherlands (GeoNames, shipped with the package), preferring a town over a hamlet beside it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

PLACES_CSV = Path(__file__).resolve().parent / "data" / "places.csv"
VESTIGING = re.compile(r"^(\d{2}[A-Z]{2})(\d{2})?$")
TOWN = 20000  # inhabitants: a place at least this big names the schools close to it
TOWN_KM = 5.0  # ... when no nearer place is more than a few hundred metres away
NEAR_KM = 0.3


@dataclass(frozen=True, slots=True)
class Places:
    names: list[str]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    town: NDArray[np.bool_]


@cache
def places() -> Places:
    text = PLACES_CSV.read_text(encoding="utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return Places(
        [r["name"] for r in rows],
        np.array([float(r["lat"]) for r in rows]),
        np.array([float(r["lon"]) for r in rows]),
        np.array([int(r["population"] or 0) >= TOWN for r in rows]),
    )


def place_of(lat: float, lon: float) -> str:
    """The place a point lies in or next to: the nearest town within `TOWN_KM`, unless a
    smaller place lies within `NEAR_KM`; else the nearest place at all."""
    found = places()
    km = np.hypot((found.lat - lat) * 111.2, (found.lon - lon) * 111.2 * np.cos(np.radians(lat)))
    nearest = int(np.argmin(km))
    if km[nearest] > NEAR_KM and found.town.any():
        towns = np.where(found.town, km, np.inf)
        town = int(np.argmin(towns))
        if towns[town] <= TOWN_KM:
            return found.names[town]
    return found.names[nearest]


def brin_of(code: str) -> str:
    """The BRIN code in a school's code, or "" when the code is not a vestigingscode."""
    match = VESTIGING.match(code.strip().upper())
    return match.group(1) if match else ""


def school_label(school: Mapping[str, Any]) -> dict[str, str]:
    """A school record (`id` or `code`, `name`, `lat`, `lon`) with its place and BRIN code."""
    code = str(school.get("id") or school.get("code") or "")
    lat, lon = school.get("lat"), school.get("lon")
    place = place_of(lat, lon) if isinstance(lat, float) and isinstance(lon, float) else ""
    return {
        "code": code,
        "name": str(school.get("name") or code),
        "place": place,
        "brin": brin_of(code),
    }
