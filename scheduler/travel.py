"""Travel minutes exactly as SPEC section 2, one formula for every problem.

`travel_minutes` is the scalar reference; `travel_minutes_array` is the same arithmetic in the
same order on numpy arrays, for eligibility over many pairs at once. Matrix entries replace the
computed figure, with the precedence the SPEC gives.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scheduler.domain import Point, Round, Student, TravelSettings

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon) - math.radians(a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def minutes_for_km(settings: TravelSettings, km: float, mode: str) -> int:
    return math.ceil(
        km * settings.circuity / settings.speed_kmh[mode] * 60 + settings.overhead_min[mode]
    )


def travel_minutes(settings: TravelSettings, origin: Point, destination: Point, mode: str) -> int:
    return minutes_for_km(settings, haversine_km(origin, destination), mode)


def travel_minutes_array(
    settings: TravelSettings,
    lat1: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat2: NDArray[np.float64],
    lon2: NDArray[np.float64],
    speed_kmh: NDArray[np.float64] | float,
    overhead_min: NDArray[np.float64] | float,
) -> NDArray[np.int64]:
    """Vectorised `travel_minutes`; speed and overhead per element (the pupil's mode) or scalar."""
    rlat1, rlat2 = np.radians(lat1), np.radians(lat2)
    dlat = rlat2 - rlat1
    dlon = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(rlat1) * np.cos(rlat2) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
    return np.ceil(km * settings.circuity / speed_kmh * 60 + overhead_min).astype(np.int64)


def reach_km(settings: TravelSettings, minutes: int, mode: str) -> float:
    """The longest great-circle distance whose travel time stays within `minutes`.

    ceil(x) <= m  <=>  x <= m for integer m, so this inverts the formula without rounding loss.
    """
    budget = minutes - settings.overhead_min[mode]
    return max(0.0, budget * settings.speed_kmh[mode] / (60 * settings.circuity))


def student_matrix_minutes(round_: Round, student: Student, company: str) -> int | None:
    """The travel_matrix entry for a pupil and a company, if any (pupil id first, then school)."""
    row = round_.travel_matrix.get(student.id)
    if row is not None and company in row:
        return row[company]
    if student.home is None:
        row = round_.travel_matrix.get(student.school)
        if row is not None and company in row:
            return row[company]
    return None


def student_travel_minutes(round_: Round, student: Student, company: str) -> int:
    """Minutes from a pupil's origin to a company, by the pupil's own mode."""
    fixed = student_matrix_minutes(round_, student, company)
    if fixed is not None:
        return fixed
    return travel_minutes(
        round_.travel, round_.origin(student), round_.companies[company].location, student.mode
    )


def school_travel_minutes(round_: Round, school: str, destination: str, mode: str) -> int:
    """Minutes between a school and a company or another school (problems B and C).

    A matrix entry under the school's id wins, else one under the destination's id.
    """
    for origin, target in ((school, destination), (destination, school)):
        row = round_.travel_matrix.get(origin)
        if row is not None and target in row:
            return row[target]
    place = (
        round_.companies[destination].location
        if destination in round_.companies
        else round_.schools[destination].location
    )
    return travel_minutes(round_.travel, round_.schools[school].location, place, mode)
