"""Data minimisation at the door: of all a school system offers about a pupil, keep only what
the platform uses.

Pupils are minors (SPEC section 7). EDEXML, Zermelo and Somtoday offer surnames, birth dates,
addresses, citizen service numbers (BSN) and e-mail addresses; the platform needs the pupil's
code, first name, class, profile, track and year, and for travel times a home point. The home
point is the centroid of the pupil's 4-digit postcode area (PC4, a few thousand people), never
the street address: travel minutes barely change, and no one can find the house from it.

An adapter hands `minimise` everything its source offered as a flat mapping (its own field
names for what is not used); what comes back is the record to store and the names of the fields
left out, which the import report counts.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# What the platform stores of a pupil, named as `PupilCreate` (plus the class's code).
KEPT = ("code", "first_name", "class", "profile", "track", "year")
POSTCODE = "postcode"  # read for its PC4 centroid, itself never stored
PC4 = re.compile(r"^\s*(\d{4})")
PC4_CENTROIDS = Path(__file__).resolve().parent.parent / "data" / "pc4_centroids.csv"


@dataclass(frozen=True)
class Minimised:
    """A pupil as it is stored: the kept fields, `home_lat`/`home_lon` from the PC4 centroid."""

    kept: dict[str, Any]
    left_out: tuple[str, ...]


@cache
def pc4_centroids() -> dict[str, tuple[float, float]]:
    """The centroid of every Dutch 4-digit postcode area (GeoNames, CC-BY 4.0), shipped with
    the package so production needs no data directory."""
    text = PC4_CENTROIDS.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {row["pc4"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(lines)}


def home_point(postcode: str) -> tuple[float, float] | None:
    """The PC4 centroid of a postcode ("7511 AB", "7511"), None when unknown."""
    match = PC4.match(postcode or "")
    return pc4_centroids().get(match.group(1)) if match else None


def minimise(offered: Mapping[str, Any]) -> Minimised:
    """Keep the fields the platform uses; a postcode becomes its PC4 centroid (module doc)."""
    kept = {k: offered[k] for k in KEPT if offered.get(k) not in (None, "")}
    left_out = [k for k, v in offered.items() if k not in KEPT and v not in (None, "", [], {})]
    point = home_point(str(offered.get(POSTCODE) or ""))
    if point is not None:
        kept["home_lat"], kept["home_lon"] = point
    return Minimised(kept=kept, left_out=tuple(sorted(left_out)))


def tally(records: list[Minimised]) -> dict[str, int]:
    """Field left out -> how many records offered it: the report's `left_out`."""
    counted: Counter[str] = Counter(name for r in records for name in r.left_out)
    return dict(sorted(counted.items()))
