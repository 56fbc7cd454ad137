"""Each hard rule of problem A alone (`scheduler.placements.rules`): the most placed pupils a
model of only that rule allows, on a tiny round built to need it, against the same without it.
One test per rule, named after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from ortools.sat.python import cp_model
from rounds import company, placement, round_doc, student

from scheduler.placements import rules
from scheduler.placements.eligibility import eligible_pairs
from scheduler.validation import parse_round

Rule = Callable[[rules.Usable], Iterator[rules.Row]]


def most_placed(doc: dict, rule: Rule | None) -> int:
    round_ = parse_round(doc)
    pairs = eligible_pairs(round_)
    usable = rules.Usable(round_, pairs, np.arange(len(pairs), dtype=np.int64))
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{k}") for k in range(len(pairs))]
    columns = x + [model.new_bool_var(f"open{p}") for p in usable.opened]
    for row in rule(usable) if rule else ():
        expression = cp_model.LinearExpr.weighted_sum(
            [columns[k] for k in row.columns.tolist()], row.coefficients.astype(int).tolist()
        )
        if row.lower > -np.inf:
            model.add(expression >= int(row.lower))
        if row.upper < np.inf:
            model.add(expression <= int(row.upper))
    model.maximize(sum(x))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_one_placement_per_pupil():
    doc = round_doc(placements=[placement("PL1"), placement("PL2")], students=[student("st1")])
    assert (most_placed(doc, None), most_placed(doc, rules.one_placement_per_pupil)) == (2, 1)


def test_seats():
    doc = round_doc(placements=[placement("PL1", capacity={"P1": 1})],
                    students=[student("st1"), student("st2")])  # fmt: skip
    assert (most_placed(doc, None), most_placed(doc, rules.seats)) == (2, 1)


def test_company_limit():
    doc = round_doc(
        companies=[company("C1", max_students=1)],
        placements=[placement("PL1"), placement("PL2")],
        students=[student("st1"), student("st2")],
    )
    assert (most_placed(doc, None), most_placed(doc, rules.company_limit)) == (4, 1)


def test_min_students():
    # Two seats, a minimum of three: the placement stays closed.
    doc = round_doc(placements=[placement("PL1", capacity={"P1": 2}, min_students=3)],
                    students=[student("st1"), student("st2")])  # fmt: skip
    assert (most_placed(doc, None), most_placed(doc, rules.min_students)) == (2, 0)


def test_together():
    # Each wants only its own company: together, neither can be placed.
    doc = round_doc(
        companies=[company("C1"), company("C2")],
        placements=[placement("PL1", "C1"), placement("PL2", "C2")],
        students=[student("st1", preferences=["PL1"], accept_unranked=False),
                  student("st2", preferences=["PL2"], accept_unranked=False)],
        together=[["st1", "st2"]],
    )  # fmt: skip
    assert (most_placed(doc, None), most_placed(doc, rules.together)) == (2, 0)


def test_apart():
    doc = round_doc(placements=[placement("PL1", capacity={"P1": 2})],
                    students=[student("st1"), student("st2")], apart=[["st1", "st2"]])  # fmt: skip
    assert (most_placed(doc, None), most_placed(doc, rules.apart)) == (2, 1)


def test_max_concurrent():
    # A lint period (Wednesdays) across two blocks, one seat a day: two pupils at most, one in
    # each block, where the seats alone would take six.
    periods = [
        {"id": "L", "start": "2027-01-04", "end": "2027-01-29", "weekdays": ["wed"]},
        {"id": "B1", "start": "2027-01-04", "end": "2027-01-15"},
        {"id": "B2", "start": "2027-01-25", "end": "2027-01-29"},
    ]
    doc = round_doc(
        companies=[company("C1", max_concurrent=1)],
        placements=[placement("PL1", capacity={"L": 1, "B1": 1, "B2": 1})],
        students=[student(f"st{i}", periods=["L", "B1", "B2"]) for i in range(2)],
        periods=periods,
    )
    assert (most_placed(doc, None), most_placed(doc, rules.max_concurrent)) == (6, 2)


def test_the_rules_are_every_hard_rule_of_the_spec():
    spec = [rules.one_placement_per_pupil, rules.seats, rules.company_limit]
    spec += [rules.min_students, rules.together, rules.apart, rules.max_concurrent]
    assert list(rules.RULES) == spec
