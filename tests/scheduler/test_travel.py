"""Travel minutes as SPEC section 2 fixes them."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rounds import company, placement, round_doc, school, student

from scheduler.domain import Point, TravelSettings
from scheduler.travel import (
    haversine_km,
    reach_km,
    school_travel_minutes,
    student_travel_minutes,
    travel_minutes,
    travel_minutes_array,
)
from scheduler.validation import parse_round

SETTINGS = TravelSettings()
MODES = ["walk", "bike", "public_transport", "car", "coach"]
lats = st.floats(50.7, 53.6)
lons = st.floats(3.3, 7.3)


def test_one_degree_of_latitude_by_bike():
    km = haversine_km(Point(52.0, 5.0), Point(53.0, 5.0))
    assert math.isclose(km, 6371.0088 * math.pi / 180, rel_tol=1e-12)
    assert travel_minutes(SETTINGS, Point(52.0, 5.0), Point(53.0, 5.0), "bike") == math.ceil(
        km * 1.3 / 15 * 60
    )


def test_public_transport_pays_its_overhead_even_next_door():
    here = Point(52.0, 5.0)
    assert travel_minutes(SETTINGS, here, here, "public_transport") == 10
    assert travel_minutes(SETTINGS, here, here, "bike") == 0


@given(lats, lons, lats, lons, st.sampled_from(MODES))
def test_vectorised_minutes_equal_the_scalar_formula(lat1, lon1, lat2, lon2, mode):
    scalar = travel_minutes(SETTINGS, Point(lat1, lon1), Point(lat2, lon2), mode)
    vector = travel_minutes_array(
        SETTINGS,
        np.array([lat1]),
        np.array([lon1]),
        np.array([lat2]),
        np.array([lon2]),
        SETTINGS.speed_kmh[mode],
        SETTINGS.overhead_min[mode],
    )
    assert vector.tolist() == [scalar]


@given(st.integers(0, 120), st.sampled_from(MODES), st.floats(0.5, 0.999))
def test_reach_is_the_largest_distance_within_the_limit(minutes, mode, fraction):
    km = reach_km(SETTINGS, minutes, mode)
    origin = Point(52.0, 5.0)
    inside = Point(52.0 + km * fraction / 111.19492664, 5.0)
    outside = Point(52.0 + (km + 0.05) / 111.19492664, 5.0)
    assert travel_minutes(SETTINGS, origin, inside, mode) <= max(
        minutes, math.ceil(SETTINGS.overhead_min[mode])
    )
    assert travel_minutes(SETTINGS, origin, outside, mode) > minutes


def test_matrix_entry_of_the_pupil_wins_over_its_school():
    doc = round_doc(
        schools=[school()],
        companies=[company("C1", 52.1, 5.0)],
        students=[student("a"), student("b", home={"lat": 52.0, "lon": 5.0}), student("c")],
        travel_matrix={"a": {"C1": 7}, "S1": {"C1": 3}},
    )
    r = parse_round(doc)
    minutes = {s: student_travel_minutes(r, r.students[s], "C1") for s in ("a", "b", "c")}
    computed = travel_minutes(r.travel, Point(52.0, 5.0), Point(52.1, 5.0), "bike")
    # b has a home, so the school's row does not apply to it.
    assert minutes == {"a": 7, "b": computed, "c": 3}


def test_school_row_wins_over_company_row_between_school_and_company():
    doc = round_doc(
        companies=[company("C1", 52.1, 5.0)],
        placements=[placement()],
        travel_matrix={"S1": {"C1": 11}, "C1": {"S1": 99}},
    )
    r = parse_round(doc)
    assert school_travel_minutes(r, "S1", "C1", "coach") == 11
    del doc["travel_matrix"]["S1"]
    assert school_travel_minutes(parse_round(doc), "S1", "C1", "coach") == 99
