"""Elective invariants over generated tiny rounds: verify holds, the optimum is the brute force."""

import copy
import itertools

from elective_rounds import tiny_elective_rounds
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduler.contract.reasons import ElectiveReason
from scheduler.domain import Round
from scheduler.solve import solve_round
from scheduler.travel import school_travel_minutes
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
