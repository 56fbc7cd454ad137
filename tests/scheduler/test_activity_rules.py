"""Each hard rule of problem B alone (`scheduler.activities.rules`): on a tiny round where two
candidates are both wanted, the rule by itself lets only one of them be planned, and without
it both are. One test per rule, named after it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from activity_rounds import activity_round, klass, offer
from ortools.sat.python import cp_model
from rounds import company

from scheduler.activities import rules
from scheduler.activities.candidates import Candidates, build_candidates
from scheduler.validation import parse_round


def most_planned(cands: Candidates, rule: Callable[[rules.Dated], object] | None) -> int:
    """The most candidates one model of `rule` alone plans."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(cands))]
    if rule is not None:
        rule(rules.Dated(model, x, cands, np.arange(len(cands), dtype=np.int64)))
    model.maximize(sum(x))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def candidates(**round_: object) -> Candidates:
    return build_candidates(parse_round(activity_round(**round_)))  # type: ignore[arg-type]


def only_one_of_two(cands: Candidates, rule: Callable[[rules.Dated], object]) -> None:
    assert most_planned(cands, None) == 2
    assert most_planned(cands, rule) == 1


ONE_DAY = {"start": "2027-03-02", "end": "2027-03-02", "holidays": [], "min_gap_days": 0}


def test_offer_once_per_daypart():
    cands = candidates(classes=[klass("K1"), klass("K2")], calendar=ONE_DAY)
    only_one_of_two(cands, rules.offer_once_per_daypart)


def test_requester_once_per_daypart():
    cands = candidates(
        classes=[klass(demand={"excursion": 2})], offers=[offer("O1"), offer("O2")],
        calendar=ONE_DAY,
    )  # fmt: skip
    only_one_of_two(cands, rules.requester_once_per_daypart_and_gap)


def test_requester_gap_between_activities():
    # Tuesday 2 and Tuesday 9 March: a week apart, closer than the ten days asked for.
    calendar = {"start": "2027-03-01", "end": "2027-03-12", "holidays": [], "min_gap_days": 10}
    cands = candidates(classes=[klass(demand={"excursion": 2})], calendar=calendar)
    only_one_of_two(cands, rules.requester_once_per_daypart_and_gap)


def test_demand():
    cands = candidates(classes=[klass(demand={"excursion": 1})], offers=[offer("O1")])
    only_one_of_two(cands, lambda d: rules.demand(d, d.cands.demand))


def test_offer_per_month():
    cands = candidates(classes=[klass("K1"), klass("K2")], offers=[offer(max_per_month=1)],
                       calendar=dict(ONE_DAY, end="2027-03-09"))  # fmt: skip
    fixed = np.zeros((len(cands.offers), len(cands.grid.months)), dtype=np.int64)
    assert most_planned(cands, rules.offer_once_per_daypart) == 2
    assert most_planned(cands, lambda d: rules.offer_per_month(d, fixed)) == 1


def test_company_hours():
    cands = candidates(
        classes=[klass("K1"), klass("K2")], companies=[company(hours_per_month=4)],
        offers=[offer(hours=4)], calendar=dict(ONE_DAY, end="2027-03-09"),
    )  # fmt: skip
    fixed = np.zeros((len(cands.companies), len(cands.grid.months)), dtype=np.int64)
    assert most_planned(cands, rules.offer_once_per_daypart) == 2
    assert most_planned(cands, lambda d: rules.company_hours(d, fixed)) == 1


def test_distinct_sectors():
    cands = candidates(
        classes=[klass(demand={"excursion": 2}, distinct_sectors=True, free=["tue-pm", "thu-am"])],
        companies=[company("C1", sectors=["energie"]), company("C2", sectors=["energie"])],
        offers=[offer("O1", "C1"), offer("O2", "C2", available=["thu-am"])],
        calendar=ONE_DAY | {"end": "2027-03-04"},
    )  # fmt: skip
    only_one_of_two(cands, rules.distinct_sectors)


def test_pair_caps():
    cands = candidates(classes=[klass(demand={"excursion": 2})],
                       calendar=dict(ONE_DAY, end="2027-03-09"))  # fmt: skip
    only_one_of_two(cands, lambda d: rules.pair_caps(d, {0: 1}))
