"""A pupil's home as the centroid of its four-digit postcode (PC4), never its address.

The platform's travel times need only roughly where a pupil lives; a PC4 area holds thousands
of addresses, so the centroid identifies no household. Centroids: GeoNames postal codes
(CC-BY 4.0, geonames.org), as in `../shared/data/pc4_centroids.csv`, trimmed to the columns
used and shipped with the package (`api/data/pc4_centroids.csv`).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

CENTROIDS = Path(__file__).resolve().parent.parent / "data" / "pc4_centroids.csv"
POSTCODE = re.compile(r"^\s*(\d{4})\s*[A-Za-z]{0,2}\s*$")


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    with CENTROIDS.open(encoding="utf-8", newline="") as file:
        return {row["pc4"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(file)}


def pc4_centroid(postcode: str | None) -> tuple[float, float] | None:
    """(lat, lon) of the postcode's PC4 area; None for no, a foreign or an unknown postcode."""
    match = POSTCODE.match(postcode or "")
    return _centroids().get(match.group(1)) if match else None
