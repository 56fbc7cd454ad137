"""Elective invariants over generated tiny rounds: verify holds, the optimum is the brute force."""

import copy
import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rounds import KM, round_doc, school, student

from scheduler.contract.reasons import ElectiveReason
from scheduler.domain import Round
from scheduler.solve import solve_round
from scheduler.travel import school_travel_minutes
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


def brute_force_electives(round_: Round) -> tuple[int, int, int]:
    """(max granted, min rank sum at it, min travel at both) over every feasible grant: the spec."""
    options = []
    for request in round_.elective_requests:
        pupil = round_.students[request.student]
        grid = round_.timetables.get(pupil.school)
        eligible = []
        for rank, choice in enumerate(request.choices, start=1):
            e = round_.electives[choice]
            minutes = (
                0
                if e.school == pupil.school
                else school_travel_minutes(round_, pupil.school, e.school, "bike")
            )
            if (
                (not e.profiles or pupil.profile in e.profiles)
                and minutes <= round_.defaults.max_switch_min
                and (grid is None or e.slot in grid)
            ):
                eligible.append((e, rank, minutes))
        mine = [
            subset
            for size in range(min(request.count, len(eligible)) + 1)
            for subset in itertools.combinations(eligible, size)
            if len({e.slot for e, _, _ in subset}) == size
        ]
        options.append(mine)
    best = (0, 0, 0)
    for combo in itertools.product(*options):
        grants = [g for subset in combo for g in subset]
        use: dict[str, int] = {}
        for e, _, _ in grants:
            use[e.id] = use.get(e.id, 0) + 1
        if any(n > round_.electives[e].capacity for e, n in use.items()):
            continue
        value = (len(grants), sum(r - 1 for _, r, _ in grants), sum(m for _, _, m in grants))
        if (value[0], -value[1], -value[2]) > (best[0], -best[1], -best[2]):
            best = value
    return best


@SETTINGS
@given(tiny_elective_rounds())
def test_solutions_verify_and_match_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_)
    assert verify(round_, solution) == []
    assert solution["status"] == "OPTIMAL"
    objective = solution["objective"]
    found = (
        objective["electives_granted"],
        objective["elective_rank_sum"],
        objective["elective_travel_min"],
    )
    assert found == brute_force_electives(round_)


@SETTINGS
@given(tiny_elective_rounds(), st.data())
def test_verify_rejects_a_broken_solution(doc, data):
    round_ = parse_round(doc)
    solution = solve_round(round_)
    broken = copy.deepcopy(solution)
    if broken["electives"]:
        entry = data.draw(st.sampled_from(broken["electives"]))
        field = data.draw(st.sampled_from(["rank", "travel_min"]))
        entry[field] += 1
    elif broken["elective_unassigned"]:
        entry = data.draw(st.sampled_from(broken["elective_unassigned"]))
        entry["missing"] += 1
    else:
        broken["objective"]["electives_granted"] += 1
    assert verify(round_, broken) != []


@SETTINGS
@given(tiny_elective_rounds())
def test_every_reason_is_the_one_that_holds(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_)
    # Rounds where every request is met have no reason to check: they do not count as passing.
    assume(solution["elective_unassigned"])
    for i in range(len(solution["elective_unassigned"])):
        for wrong in ElectiveReason:
            if wrong == solution["elective_unassigned"][i]["reason"]:
                continue
            broken = copy.deepcopy(solution)
            broken["elective_unassigned"][i]["reason"] = wrong
            assert any(v.rule == "reason" for v in verify(round_, broken))
