"""The solution document's English `detail` is the English rendering of the structured detail
(`scheduler.said.Said`) that `scheduler.explain` re-derives from the round and
the solution alone: one derivation for the command line, the document and the pages."""

from elective_rounds import tiny_elective_rounds
from event_rounds import tiny_event_rounds
from hypothesis import HealthCheck, given, settings
from rounds import company, placement, round_doc, student, tiny_rounds

from scheduler.explain import placement_details, shortfall_details
from scheduler.said import ENGLISH, Said, from_json, render, to_json
from scheduler.solve import solve_round
from scheduler.validation import parse_round

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def english_of(details: dict) -> dict:
    return {k: render(v, ENGLISH) for k, v in details.items()}


def assert_round_trip(details: dict) -> None:
    for value in details.values():
        assert isinstance(value, Said)
        assert from_json(to_json(value)) == value


@SETTINGS
@given(tiny_rounds(side_rules=True))
def test_placement_details_are_the_documents_english(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    details = placement_details(doc, solution)
    assert english_of(details) == {u["student"]: u["detail"] for u in solution["unassigned"]}
    assert_round_trip(details)


@SETTINGS
@given(tiny_elective_rounds())
def test_elective_details_are_the_documents_english(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_)
    details = shortfall_details(round_, solution).electives
    expected = {u["student"]: u["detail"] for u in solution.get("elective_unassigned", [])}
    assert english_of(details) == expected
    assert_round_trip(details)


@SETTINGS
@given(tiny_event_rounds(every_round=False))
def test_event_details_are_the_documents_english(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    details = shortfall_details(round_, solution).events
    expected = {
        (u["student"], u["event"]): u["detail"] for u in solution.get("event_unassigned", [])
    }
    assert english_of(details) == expected
    assert_round_trip(details)


def test_capacity_names_each_slots_cause_and_how_many_more():
    """Seven one-seat slots all taken by others: five causes named, then "and 2 more"."""
    placements = [placement(f"PL{i}", capacity={"P1": 1}) for i in range(7)]
    pupils = [
        student(f"a{i}", preferences=[f"PL{i}"], accept_unranked=False, priority=2)
        for i in range(7)
    ]
    pupils.append(student("z"))
    doc = round_doc(companies=[company()], placements=placements, students=pupils)
    round_ = parse_round(doc)
    solution = solve_round(round_)
    (entry,) = solution["unassigned"]
    assert entry["student"] == "z" and entry["reason"] == "CAPACITY"
    assert entry["detail"] == (
        "every reachable eligible placement is taken: PL0/P1 full (1); PL1/P1 full (1); "
        "PL2/P1 full (1); PL3/P1 full (1); PL4/P1 full (1) and 2 more"
    )
    detail = placement_details(doc, solution)["z"]
    assert detail.key == "detail.capacity"
    assert render(detail, ENGLISH) == entry["detail"]


def test_an_entry_the_solver_did_not_write_gets_no_derived_detail():
    doc = round_doc(companies=[company()], placements=[placement()], students=[student()])
    round_ = parse_round(doc)
    solution = solve_round(round_)
    assert solution["unassigned"] == []
    edited = {**solution, "assignments": [], "unassigned": [
        {"student": "st1", "reason": "TOO_FAR", "detail": "typed by hand"}
    ]}  # fmt: skip
    # With the seat free the derivation finds CONSTRAINT, not the hand-written TOO_FAR.
    assert placement_details(doc, edited) == {}


def test_a_pupil_in_two_rules_is_blocked_by_the_same_one_however_the_document_lists_them():
    """st9 must go with st3 and with st2, neither of whom any placement admits: the solver and
    the re-derivation name the rule in id order (st2), not the document's first (st3)."""
    pupils = [student("st9"), student("st3", profile="ZW"), student("st2", profile="ZW")]
    doc = round_doc(
        students=pupils, together=[["st3", "st9"], ["st2", "st9"]], placements=[placement()]
    )
    solution = solve_round(parse_round(doc), time_limit=5, deterministic=True, workers=1)
    [entry] = [u for u in solution["unassigned"] if u["student"] == "st9"]
    assert (entry["reason"], entry["detail"]) == (
        "CONSTRAINT",
        "room at PL1/P1 but together with st2 blocked it",
    )
    assert render(placement_details(doc, solution)["st9"], ENGLISH) == entry["detail"]
