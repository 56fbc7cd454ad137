"""Event days (SPEC section 9): verify holds, the optimum is the brute force, exact cases are
OPTIMAL, the order of the records decides nothing, bad input names record and field."""

import copy
import random

import pytest
from event_rounds import brute_force_events, tiny_event_rounds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rounds import round_doc, school, shuffled, student, without_stats

from scheduler.contract.solution import SOLUTION
from scheduler.events.layout import bipartite_edge_colouring
from scheduler.events.model import improve_layout
from scheduler.events.plan import Plan
from scheduler.events.problem import event_problems
from scheduler.search_clock import SearchClock
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def solved(doc: dict) -> dict:
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, workers=1, deterministic=True)
    assert verify(round_, solution) == []
    SOLUTION.validate_python(solution)
    return solution


@SETTINGS
@given(tiny_event_rounds(every_round=True))
def test_every_round_sessions_reach_the_brute_force_optimum(doc):
    solution = solved(doc)
    objective = solution["objective"]
    assert solution["status"] == "OPTIMAL"
    best = brute_force_events(parse_round(doc))
    assert (objective["event_sessions_granted"], objective["event_rank_sum"]) == best
    assert objective["event_sessions_bound"] == best[0]


@SETTINGS
@given(tiny_event_rounds(every_round=False))
def test_partial_rounds_reach_the_brute_force_optimum_within_their_bounds(doc):
    solution = solved(doc)
    objective = solution["objective"]
    best = brute_force_events(parse_round(doc))
    assert solution["status"] == "OPTIMAL"  # tiny: CP-SAT proves it
    assert (objective["event_sessions_granted"], objective["event_rank_sum"]) == best
    assert objective["event_sessions_bound"] >= best[0]


@SETTINGS
@given(tiny_event_rounds(every_round=False))
def test_cp_sat_alone_reaches_the_brute_force_optimum(doc):
    """The CP-SAT layout from an empty plan, not only as the greedy layout's improver."""
    round_ = parse_round(doc)
    granted = rank_sum = 0
    for problem in event_problems(round_):
        outcome = improve_layout(
            problem, Plan(problem), seconds=5, workers=1, clock=SearchClock(deterministic=True)
        )
        assert outcome.optimal
        granted += outcome.plan.granted
        rank_sum += outcome.plan.rank_sum
    assert (granted, rank_sum) == brute_force_events(round_)


@SETTINGS
@given(
    st.one_of(tiny_event_rounds(every_round=True), tiny_event_rounds(every_round=False)),
    st.randoms(use_true_random=False),
)
def test_event_answer_ignores_record_order(doc, rnd):
    reordered = copy.deepcopy(shuffled(doc, rnd))
    for key in ("events", "sessions", "event_requests"):
        rnd.shuffle(reordered[key])
    first, second = solved(doc), solved(reordered)
    assert without_stats(first) == without_stats(second)


@pytest.mark.parametrize("rounds", [2, 3, 4])
def test_edge_colouring_uses_max_degree_colours(rounds):
    rnd = random.Random(rounds)
    left_degree = [0] * 30
    right_degree = [0] * 12
    edges = set()
    for _ in range(2000):
        u, v = rnd.randrange(30), rnd.randrange(12)
        if (u, v) not in edges and left_degree[u] < rounds and right_degree[v] < 3 * rounds:
            edges.add((u, v))
            left_degree[u] += 1
            right_degree[v] += 1
    # Right vertices of degree up to 3 x rounds, split into seats as the layout does.
    split = []
    dealt = [0] * 12
    for u, v in sorted(edges):
        split.append((u, v * 3 + dealt[v] % 3))
        dealt[v] += 1
    colours = bipartite_edge_colouring(30, 36, split, rounds)
    seen = set()
    for (u, v), c in zip(split, colours, strict=True):
        assert 0 <= c < rounds
        assert ("L", u, c) not in seen and ("R", v, c) not in seen
        seen |= {("L", u, c), ("R", v, c)}


def event_doc(**changes) -> dict:
    doc = round_doc(
        [school()],
        None,
        [],
        [student("st1"), student("st2", profile="BWI")],
        events=[{"id": "EV1", "rounds": 2}],
        sessions=[
            {"id": "SE1", "event": "EV1", "company": "C1", "capacity": 1, "sectors": ["ict"]},
            {
                "id": "SE2",
                "event": "EV1",
                "company": "C1",
                "capacity": 1,
                "rounds": [2],
                "sectors": ["ict"],
                "profiles": ["PIE"],
            },
        ],
        event_requests=[
            {"student": "st1", "event": "EV1", "choices": ["SE1", "SE2"]},
            {"student": "st2", "event": "EV1", "choices": ["SE1", "SE2"], "count": 1},
        ],
    )
    for key, value in changes.items():
        doc[key] = value
    return doc


def test_reasons_name_capacity_profile_and_sectors():
    doc = event_doc()
    doc["event_requests"][0]["distinct_sectors"] = True
    solution = solved(doc)
    short = {u["student"]: u["reason"] for u in solution["event_unassigned"]}
    # st1 (PIE) would take SE1 and SE2, both ict: one at most; st2 (BWI) only SE1, full or not.
    assert short["st1"] in ("SECTORS", "CAPACITY")
    assert solution["objective"]["event_sessions_granted"] == 2


@pytest.mark.parametrize(
    ("change", "record", "field", "words"),
    [
        (
            lambda d: d["sessions"][0].update(event="EV9"),
            "sessions[0] (id 'SE1')",
            "event",
            "unknown event 'EV9'",
        ),
        (
            lambda d: d["sessions"][1].update(rounds=[3]),
            "sessions[1] (id 'SE2')",
            "rounds[0]",
            "outside 1..2",
        ),
        (
            lambda d: d["event_requests"][0].update(choices=["SE7"]),
            "event_requests[0] (student 'st1')",
            "choices[0]",
            "unknown session 'SE7'",
        ),
        (
            lambda d: d["event_requests"][0].update(event="EV2"),
            "event_requests[0] (student 'st1')",
            "choices[0]",
            "belongs to event 'EV1', not 'EV2'",
        ),
        (
            lambda d: d["event_requests"].append(dict(d["event_requests"][0])),
            "event_requests[2] (student 'st1')",
            "event",
            "second request",
        ),
        (
            lambda d: d["event_requests"][1].update(student="st9"),
            "event_requests[1] (student 'st9')",
            "student",
            "unknown student 'st9'",
        ),
        (
            lambda d: d["sessions"][0].update(company="C9"),
            "sessions[0] (id 'SE1')",
            "company",
            "unknown company 'C9'",
        ),
        (
            lambda d: d["sessions"][0].update(capacity=-1),
            "sessions[0] (id 'SE1')",
            "capacity",
            "greater than or equal to 0",
        ),
        (
            lambda d: d["event_requests"][0].update(choices=["SE1", "SE1"]),
            "event_requests[0] (student 'st1')",
            "choices",
            "listed twice",
        ),
    ],
)
def test_bad_event_input_names_record_and_field(change, record, field, words):
    doc = event_doc()
    doc["events"].append({"id": "EV2", "rounds": 1})
    change(doc)
    with pytest.raises(InvalidRound) as caught:
        parse_round(doc)
    assert any(
        p.record == record and p.field == field and words in p.message
        for p in caught.value.problems
    ), caught.value.problems


def test_verify_catches_a_wrong_reason_a_full_seat_and_a_round_the_session_skips():
    doc = event_doc()
    doc["event_requests"][1]["count"] = 2  # st2 (BWI): only SE1 admits it
    round_ = parse_round(doc)
    solution = solved(doc)
    assert [u["reason"] for u in solution["event_unassigned"]] == ["NO_CHOICE_ADMITS"]
    broken = copy.deepcopy(solution)
    broken["event_unassigned"][0]["reason"] = "ROUNDS"
    assert [v.rule for v in verify(round_, broken)] == ["reason"]
    broken = copy.deepcopy(solution)
    # SE2 runs only in round 2 and admits only PIE: st1 (PIE) in round 1 breaks the rounds.
    broken["event_sessions"].append(
        {"student": "st1", "event": "EV1", "session": "SE2", "company": "C1", "round": 1, "rank": 2}
    )
    rules = {v.rule for v in verify(round_, broken)}
    assert "rounds" in rules and "objective" in rules
    broken = copy.deepcopy(solution)
    for entry in broken["event_sessions"]:
        entry["round"] = 1  # SE1 has one seat per round
    assert "capacity" in {v.rule for v in verify(round_, broken)}
