"""Re-solves: pinned assignments stay, and the rest moves as little as possible."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rounds import brute_force_placement, placement, round_doc, student, tiny_rounds

from scheduler.domain import SteeringError
from scheduler.placements.solve import solve_placements
from scheduler.placements.steer import Steering
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assignment_map(solution: dict) -> dict[str, tuple[str, str]]:
    return {a["student"]: (a["placement"], a["period"]) for a in solution["assignments"]}


def test_a_pin_holds_even_when_it_costs_the_round():
    doc = round_doc(
        placements=[placement("PL1"), placement("PL2")],
        students=[student("a", preferences=["PL1", "PL2"]), student("b", preferences=["PL1"])],
    )
    round_ = parse_round(doc)
    free = assignment_map(solve_round(round_))
    assert free == {"a": ("PL2", "P1"), "b": ("PL1", "P1")}
    pinned = solve_round(round_, steering=Steering(pinned={"b": ("PL2", "P1")}))
    assert verify(round_, pinned) == []
    assert assignment_map(pinned) == {"a": ("PL1", "P1"), "b": ("PL2", "P1")}


def test_a_decline_moves_only_whom_it_must():
    # Four pupils, four seats; c declines at PL3. Re-solving from scratch may reshuffle, but with
    # the previous proposal only c moves, to the spare seat at PL5.
    doc = round_doc(
        placements=[placement(f"PL{i}") for i in range(1, 6)],
        students=[student(s) for s in "abcd"],
    )
    previous = {"a": ("PL1", "P1"), "b": ("PL2", "P1"), "c": ("PL3", "P1"), "d": ("PL4", "P1")}
    doc["placements"][2]["capacity"] = {"P1": 0}  # the declined seat
    repaired = parse_round(doc)
    solution = solve_round(repaired, steering=Steering(previous=previous))
    assert verify(repaired, solution) == []
    assert assignment_map(solution) == previous | {"c": ("PL5", "P1")}
    assert solution["stats"]["placements"]["changes"] == 1


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ({"ghost": ("PL1", "P1")}, "unknown pupil 'ghost'"),
        ({"a": ("PL9", "P1")}, "not an eligible placement"),
        ({"a": ("PL1", "P1"), "b": ("PL1", "P1")}, "more pins than seats at PL1/P1"),
    ],
)
def test_impossible_pins_are_refused(pins, message):
    round_ = parse_round(round_doc(students=[student("a"), student("b")]))
    with pytest.raises(SteeringError, match=message):
        solve_placements(round_, steering=Steering(pinned=pins))


def test_pins_against_a_rule_are_refused():
    doc = round_doc(
        placements=[placement("PL1"), placement("PL2", "C1")],
        students=[student("a"), student("b")],
        apart=[["a", "b"]],
    )
    pins = {"a": ("PL1", "P1"), "b": ("PL2", "P1")}
    with pytest.raises(SteeringError, match="break a min_students, together or apart rule"):
        solve_placements(
            parse_round(doc), steering=Steering(pinned=pins), time_limit=5, deterministic=True
        )


@st.composite
def steered_rounds(draw: st.DrawFn, side_rules: bool) -> tuple[dict, dict, dict]:
    doc = draw(tiny_rounds(side_rules=side_rules, max_students=4))
    first = solve_round(parse_round(doc), time_limit=5, deterministic=True, workers=1)
    assigned = assignment_map(first)
    pinned = (
        {s: assigned[s] for s in draw(st.lists(st.sampled_from(sorted(assigned)), max_size=2))}
        if assigned
        else {}
    )
    previous = {s: slot for s, slot in assigned.items() if draw(st.booleans())}
    # Take a seat away, as a decline would.
    if doc["placements"] and draw(st.booleans()):
        target = draw(st.sampled_from(doc["placements"]))
        period = draw(st.sampled_from(sorted(target["capacity"])))
        target["capacity"][period] = max(0, target["capacity"][period] - 1)
    return doc, pinned, previous


def check_against_brute_force(case: tuple[dict, dict, dict]) -> None:
    """Pins hold and (placed priority, changes, cost) is the brute-force optimum."""
    doc, pinned, previous = case
    round_ = parse_round(doc)
    try:
        result = solve_placements(
            round_, steering=Steering(pinned, previous), time_limit=5, deterministic=True
        )
    except SteeringError:
        assume(False)
    pairs = result.pairs
    chosen = {
        pairs.students[pairs.student[c]].id: (
            pairs.placements[pairs.placement[c]].id,
            pairs.periods[pairs.period[c]],
        )
        for c in result.chosen
    }
    assert all(chosen.get(s) == slot for s, slot in pinned.items())
    assert result.status == "OPTIMAL"
    assert result.bound is not None and result.bound <= result.cost
    got = (result.placed_priority, result.cost)
    if previous:
        got = (result.placed_priority, result.changes, result.cost)
    assert got == brute_force_placement(round_, pinned, previous)


@SETTINGS
@given(steered_rounds(side_rules=False))
def test_flow_re_solve_equals_brute_force(case):
    check_against_brute_force(case)


@SETTINGS
@given(steered_rounds(side_rules=True))
def test_side_rule_re_solve_equals_brute_force(case):
    check_against_brute_force(case)


@pytest.mark.parametrize("priority", [5 * 10**10, 7 * 10**10, 10**11, 2 * 10**12, 10**14])
def test_a_re_solve_with_costs_near_int64_still_finds_the_optimum(priority):
    """A re-solve's change weight makes costs large (at 20,000 pupils they reach OR-Tools'
    limits). Where OR-Tools overflows while solving (BAD_COST_RANGE), the flow retries with
    smaller costs instead of failing: these priorities failed so before."""
    doc = round_doc(
        placements=[placement("PL1", capacity={"P1": 1}), placement("PL2", capacity={"P1": 1})],
        students=[student("a", priority=priority), student("b"), student("c", priority=2)],
    )
    round_ = parse_round(doc)
    solution = solve_round(round_, steering=Steering(previous={"a": ("PL1", "P1")}))
    assert verify(round_, solution) == []
    assert {a["student"] for a in solution["assignments"]} == {"a", "c"}
    assert solution["objective"]["placed_priority"] == priority + 2


def test_priorities_beyond_an_exact_flow_are_refused_plainly():
    doc = round_doc(students=[student("a", priority=10**16), student("b")])
    with pytest.raises(OverflowError, match="priorities too large"):
        solve_round(parse_round(doc), steering=Steering(previous={"a": ("PL1", "P1")}))
