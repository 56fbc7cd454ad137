"""Dated periods and a company's `max_concurrent` (SPEC section 8): days, checks, the solver."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rounds import KM, brute_force_placement, company, placement, round_doc, school, student

from scheduler.calendar import period_days
from scheduler.domain import SteeringError
from scheduler.explain import explain_student
from scheduler.placements.concurrency import maximal_day_sets
from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.steer import Steering
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Dates of January 2027 (Monday the 4th to Friday the 29th): blocks of one to two weeks that
# overlap, a lint period of Wednesdays across them, and a block on its own.
SHAPES = {
    "weeks 1-2": {"start": "2027-01-04", "end": "2027-01-15"},
    "weeks 2-3": {"start": "2027-01-11", "end": "2027-01-22"},
    "week 4": {"start": "2027-01-25", "end": "2027-01-29"},
    "wednesdays": {"start": "2027-01-04", "end": "2027-01-29", "weekdays": ["wed"]},
}
PERIODS = ("P1", "P2", "P3")


@st.composite
def dated_rounds(draw: st.DrawFn, side_rules: bool = False) -> dict:
    """Tiny rounds over three periods, each dated by one of `SHAPES` (or undated), at one or two
    companies with a daily limit, all within reach: overlapping (a lint period across two
    blocks), identical and disjoint periods all occur, and the daily limit binds."""
    n_companies = draw(st.integers(1, 2))
    companies = [
        company(f"C{i}", 52.0 + i * KM, 5.0, max_concurrent=draw(st.sampled_from([1, 1, 2])))
        for i in range(n_companies)
    ]
    if draw(st.booleans()):
        companies[0]["max_students"] = draw(st.integers(1, 4))
    placements = []
    for i in range(draw(st.integers(1, 3))):
        offered = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True))
        extra = {"min_students": draw(st.integers(0, 2))} if side_rules else {}
        placements.append(
            placement(
                f"PL{i}",
                f"C{draw(st.integers(0, n_companies - 1))}",
                {t: draw(st.sampled_from([0, 1, 2, 2])) for t in sorted(offered)},
                **extra,
            )
        )
    students = [
        student(
            f"st{i}",
            preferences=draw(
                st.lists(st.sampled_from([p["id"] for p in placements]), max_size=2, unique=True)
            ),
            accept_unranked=draw(st.sampled_from([True, True, False])),
            priority=draw(st.integers(1, 3)),
            periods=draw(st.lists(st.sampled_from(PERIODS), min_size=2, max_size=3, unique=True)),
        )
        for i in range(draw(st.integers(2, 4)))
    ]
    doc = round_doc([school(periods=PERIODS)], companies, placements, students)
    # P1 mostly a lint period, P2 and P3 mostly blocks: a lint period across two blocks (no
    # flow), nested and identical periods (a flow) and undated ones (no daily limit) all occur.
    shapes = {
        "P1": ["wednesdays", "wednesdays", None],
        "P2": ["weeks 1-2", "weeks 2-3", None],
        "P3": ["week 4", "weeks 1-2", "wednesdays"],
    }
    doc["periods"] = []
    for t in PERIODS:
        shape = draw(st.sampled_from(shapes[t]))
        if shape is not None:
            doc["periods"].append({"id": t, **SHAPES[shape]})
    if draw(st.booleans()):  # a holiday week may take days off a period, or all of them
        doc["calendar"] = {
            "start": "2026-08-31",
            "end": "2027-07-16",
            "holidays": [["2027-01-18", "2027-01-22"]],
        }
    if side_rules and len(students) >= 2:
        ids = [s["id"] for s in students]
        pairs = st.lists(
            st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1]),
            max_size=1,
        )
        doc["together"] = [list(p) for p in draw(pairs)]
        doc["apart"] = [list(p) for p in draw(pairs)]
    return doc


@SETTINGS
@given(dated_rounds())
def test_dated_rounds_verify_and_match_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    assert (objective["placed_priority"], objective["cost"]) == brute_force_placement(round_)
    assert solution["status"] == "OPTIMAL"
    if eligible_pairs(round_).concurrency.exact_as_flow:
        assert solution["stats"]["placements"]["method"] == "min_cost_flow"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dated_rounds(side_rules=True))
def test_dated_rounds_with_side_rules_match_brute_force(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    assert (objective["placed_priority"], objective["cost"]) == brute_force_placement(round_)


def _lint_and_blocks(max_concurrent: int, blocks: tuple[str, ...], pupils: int) -> dict:
    """One company; a lint period L (Wednesdays) and block periods; `pupils` pupils free in all."""
    periods = ("L", *blocks)
    shapes = {"L": SHAPES["wednesdays"], "B1": SHAPES["weeks 1-2"], "B2": SHAPES["week 4"]}
    shapes["B3"] = SHAPES["weeks 2-3"]
    return round_doc(
        schools=[school(periods=periods)],
        companies=[company(max_concurrent=max_concurrent)],
        placements=[placement(capacity=dict.fromkeys(periods, 3))],
        students=[student(f"st{i}", preferences=["PL1"]) for i in range(pupils)],
        periods=[{"id": t, **shapes[t]} for t in periods],
    )


def test_disjoint_and_identical_periods_stay_an_exact_flow():
    doc = _lint_and_blocks(2, ("B1",), 6)
    doc["periods"][0] = {"id": "L", **SHAPES["week 4"]}  # L now day-disjoint from B1
    doc["periods"].append({"id": "B1b", **SHAPES["weeks 1-2"]})  # identical to B1
    doc["schools"][0]["periods"].append("B1b")
    doc["placements"][0]["capacity"]["B1b"] = 3
    round_ = parse_round(doc)
    assert eligible_pairs(round_).concurrency.exact_as_flow
    solution = solve_round(round_)
    assert solution["status"] == "OPTIMAL"
    assert solution["stats"]["placements"]["method"] == "min_cost_flow"
    # L holds 2 on its days, B1 and B1b 2 together on theirs.
    assert solution["objective"]["placed_priority"] == 4
    assert verify(round_, solution) == []


def test_a_lint_period_across_two_blocks_goes_to_the_side_rule_mip():
    round_ = parse_round(_lint_and_blocks(2, ("B1", "B2"), 6))
    assert not eligible_pairs(round_).concurrency.exact_as_flow
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert solution["stats"]["placements"]["method"] == "mip"
    assert solution["status"] == "OPTIMAL"
    # L + B1 <= 2 on the Wednesdays of weeks 1-2, L + B2 <= 2 on that of week 4: both blocks
    # full and the lint period empty places 4.
    assert solution["objective"]["placed_priority"] == 4
    assert verify(round_, solution) == []


def test_maximal_day_sets_of_a_lint_period_and_two_blocks():
    days = {
        t: period_days(
            **{k: _date(v) for k, v in shape.items() if k != "weekdays"},
            weekdays=shape.get("weekdays", ()),
        )
        for t, shape in (
            ("L", SHAPES["wednesdays"]),
            ("B1", SHAPES["weeks 1-2"]),
            ("B2", SHAPES["week 4"]),
        )
    }
    sets = maximal_day_sets(days)
    assert {members for members, _, _ in sets} == {frozenset({"L", "B1"}), frozenset({"L", "B2"})}
    assert sorted(in_flow for *_, in_flow in sets) == [False, True]


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def test_period_days_leave_out_weekends_other_weekdays_and_holidays():
    days = period_days(
        _date("2027-01-04"),
        _date("2027-01-29"),
        ["wed"],
        [(_date("2027-01-18"), _date("2027-01-22"))],
    )
    assert [d.isoformat() for d in days] == ["2027-01-06", "2027-01-13", "2027-01-27"]
    assert len(period_days(_date("2027-01-04"), _date("2027-01-10"))) == 5


def test_calendar_holidays_take_days_off_a_period():
    doc = _lint_and_blocks(1, ("B1",), 1)
    doc["calendar"] = {
        "start": "2026-09-01",
        "end": "2027-07-16",
        "holidays": [["2027-01-11", "2027-01-15"]],
    }
    round_ = parse_round(doc)
    assert [d.day for d in round_.periods["B1"].days] == [4, 5, 6, 7, 8]
    assert round_.periods["L"].hours_per_day == 7


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"end": "2027-01-01"}, "end", "before it starts"),
        ({"weekdays": ["wed", "sat"]}, "weekdays[1]", "unknown weekday 'sat'"),
        ({"hours_per_day": 0}, "hours_per_day", "out of range"),
        ({"hours_per_day": 13}, "hours_per_day", "out of range"),
        ({"start": "2027-02-30"}, "start", "not a calendar date"),
    ],
)
def test_a_bad_period_is_named_with_its_field(change, field, words):
    doc = _lint_and_blocks(1, ("B1",), 1)
    doc["periods"][1].update(change)
    with pytest.raises(InvalidRound) as refused:
        parse_round(doc)
    (problem,) = refused.value.problems
    assert (problem.record, problem.field) == ("periods[1] (id 'B1')", field)
    assert words in problem.message


def test_duplicate_period_ids_and_a_max_concurrent_below_one_are_refused():
    doc = _lint_and_blocks(0, ("B1",), 1)
    doc["periods"].append(copy.deepcopy(doc["periods"][0]))
    with pytest.raises(InvalidRound) as refused:
        parse_round(doc)
    found = {(p.record, p.field) for p in refused.value.problems}
    assert found == {("periods[2] (id 'L')", "id"), ("companies[0] (id 'C1')", "max_concurrent")}


def test_verify_catches_a_crowded_day_and_a_false_capacity_reason():
    round_ = parse_round(_lint_and_blocks(1, ("B1",), 2))
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    (placed,) = solution["assignments"]
    (left,) = solution["unassigned"]
    assert left["reason"] == "CAPACITY"
    assert "C1 at max_concurrent 1 on 2027-01-" in left["detail"]
    crowded = copy.deepcopy(solution)
    crowded["assignments"].append(
        {**placed, "student": left["student"], "period": "B1" if placed["period"] == "L" else "L"}
    )
    crowded["unassigned"] = []
    crowded["objective"]["placed_priority"] += 1
    crowded["objective"]["cost"] += placed["cost"]
    rules = {v.rule for v in verify(round_, crowded)}
    assert rules == {"max_concurrent"}
    roomy = parse_round({**_lint_and_blocks(2, ("B1",), 2)})
    assert {v.rule for v in verify(roomy, solution)} == {"reason"}


def test_explain_names_the_crowded_day():
    round_ = parse_round(_lint_and_blocks(1, ("B1",), 2))
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    (left,) = solution["unassigned"]
    story = explain_student(round_, solution, left["student"])
    assert "C1 at max_concurrent 1 on 2027-01-" in story


def test_pins_count_towards_the_daily_limit():
    round_ = parse_round(_lint_and_blocks(1, ("B1",), 3))
    one = Steering(pinned={"st2": ("PL1", "L")})
    solution = solve_round(round_, steering=one)
    assert [(a["student"], a["period"]) for a in solution["assignments"]] == [("st2", "L")]
    assert verify(round_, solution) == []
    two = Steering(pinned={"st1": ("PL1", "B1"), "st2": ("PL1", "L")})
    with pytest.raises(SteeringError, match="max_concurrent 1") as refused:
        solve_round(round_, steering=two)
    assert refused.value.students == ("st1", "st2")
