"""A hypothesis strategy for tiny elective rounds (SPEC section 5), shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st
from rounds import KM, round_doc, school, student

SLOTS = ("tue-pm", "thu-pm", "wed-pm")


@st.composite
def tiny_elective_rounds(draw: st.DrawFn) -> dict:
    """Rounds small enough to brute-force, dense enough to make every rule and reason bite."""
    coords = st.tuples(st.floats(-4 * KM, 4 * KM), st.floats(-4 * KM, 4 * KM))
    schools = []
    for i in range(draw(st.integers(1, 3))):
        dlat, dlon = draw(coords)
        schools.append(school(f"S{i}", 52.0 + dlat, 5.0 + dlon))
    school_ids = [s["id"] for s in schools]
    electives = [
        {
            "id": f"E{i}",
            "school": draw(st.sampled_from(school_ids)),
            "slot": draw(st.sampled_from(SLOTS)),
            "capacity": draw(st.integers(0, 2)),
            "profiles": draw(st.sampled_from([[], [], ["PIE"], ["BWI"], ["PIE", "BWI"]])),
        }
        for i in range(draw(st.integers(1, 5)))
    ]
    students = [
        student(
            f"st{i}",
            school=draw(st.sampled_from(school_ids)),
            profile=draw(st.sampled_from(["PIE", "BWI"])),
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    elective_ids = [e["id"] for e in electives]
    requests = [
        {
            "student": s["id"],
            "choices": draw(
                st.lists(st.sampled_from(elective_ids), min_size=1, max_size=3, unique=True)
            ),
            "count": draw(st.sampled_from([0, 1, 1, 2, 2, 3])),
        }
        for s in students
        if draw(st.booleans()) or s is students[0]
    ]
    extra: dict = {"defaults": {"max_switch_min": draw(st.sampled_from([10, 30, 30]))}}
    timetabled = draw(st.lists(st.sampled_from(school_ids), max_size=1))
    if timetabled:
        extra["timetables"] = {
            s: draw(st.lists(st.sampled_from(SLOTS), max_size=2, unique=True)) for s in timetabled
        }
    if len(school_ids) > 1 and draw(st.booleans()):
        extra["travel_matrix"] = {school_ids[1]: {school_ids[0]: draw(st.integers(0, 40))}}
    return round_doc(
        schools, [], [], students, electives=electives, elective_requests=requests, **extra
    )
