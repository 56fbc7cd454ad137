"""The solution document's English `detail` is the English rendering of the structured detail
(`scheduler.said.Said`) that `scheduler.explain` re-derives from the round and
the solution alone: one derivation for the command line, the document and the pages."""

import pytest
from activity_rounds import (
    activity_round,
    klass,
    offer,
    teacher,
    tiny_activity_rounds,
    tiny_escort_rounds,
)
from elective_rounds import tiny_elective_rounds
from event_rounds import tiny_event_rounds
from hypothesis import HealthCheck, given, settings
from rounds import KM, company, placement, round_doc, student, tiny_rounds

from scheduler.contract.reasons import ActivityReason
from scheduler.explain import activity_details, placement_details, shortfall_details
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


@SETTINGS
@given(tiny_activity_rounds() | tiny_escort_rounds())
def test_activity_details_are_the_documents_english(doc):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    details = activity_details(doc, solution)
    expected = {(u["requester"], u["kind"]): u["detail"] for u in solution.get("unplanned", [])}
    assert english_of(details) == expected
    assert_round_trip(details)


FREE = ["tue-pm", "thu-pm"]
DECLINED = [{"requester": "K1", "date": "2027-03-02", "daypart": "pm"}]
# One round per reason code, and the English its entry has said since the code was written.
SHORTFALLS = [
    (
        activity_round(classes=[klass(size=26)], offers=[offer(max_group_size=25,
                                                                declined=DECLINED)]),
        "NO_OFFER",
        "1 excursion offer(s), none admits this class (size 26, profile PIE); declined at O1",
    ),
    (
        activity_round(classes=[], teachers=[teacher(sectors=["bouw"])],
                       offers=[offer(kind="teacher_internship", sectors=["energie"])]),
        "NO_OFFER",
        "1 teacher_internship offer(s), none admits this teacher (sectors bouw)",
    ),
    (
        activity_round(companies=[company("C1", 52.0 + 25 * KM, 5.0)],
                       offers=[offer(max_travel_min=45)]),
        "TOO_FAR",
        "1 excursion offer(s) admit it, the nearest 49 min away, beyond each offer's "
        "max_travel_min",
    ),
    (
        activity_round(classes=[klass(free=["wed-am"])]),
        "NO_COMMON_DAYPART",
        "1 reachable excursion offer(s), none available on a school daypart the requester is "
        "free (wed-am)",
    ),
    (
        activity_round(classes=[klass(demand={"excursion": 2})],
                       calendar={"start": "2027-03-01", "end": "2027-03-12", "min_gap_days": 8}),
        "GAP",
        "2 candidate dayparts at 1 offer(s), each too close to the requester's own activities",
    ),
    (
        activity_round(
            classes=[klass(free=FREE, demand={"excursion": 2}, distinct_sectors=True)],
            companies=[company("C1", sectors=["bouw"]), company("C2", sectors=["bouw"])],
            offers=[offer("O1", "C1"), offer("O2", "C2", available=["thu-pm"])],
        ),
        "SECTORS",
        "4 candidate dayparts at 2 offer(s), each at a first sector the class already visits",
    ),
    (
        activity_round(
            classes=[klass("K1"), klass("K2", free=["thu-am"])],
            companies=[company(hours_per_month=7)],
            offers=[offer("O1", hours=4), offer("O2", hours=4, available=["thu-am"])],
        ),
        "HOURS_EXHAUSTED",
        "2 candidate dayparts at 1 offer(s), each over the company's hours that month",
    ),
    (
        activity_round(classes=[klass("K1"), klass("K2")], offers=[offer(max_per_month=1)]),
        "OFFER_FULL",
        "2 candidate dayparts at 1 offer(s), each the offer is taken then or full that month",
    ),
    (
        {
            **activity_round([klass(size=31)], [teacher("T1", demand={}),
                                                teacher("T2", demand={})]),
            "defaults": {"escort_ratio": 15},
        },
        "NO_ESCORT",
        "1 excursion offer(s) share a daypart with the class, but on none are 3 teacher(s) of "
        "its school free who may escort",
    ),
    (
        activity_round(
            classes=[klass("K1", free=FREE), klass("K2", free=FREE), klass("K3", free=FREE)],
            companies=[company("C1"), company("C2", hours_per_month=3)],
            offers=[offer("O1", "C1", max_per_month=1),
                    offer("O2", "C2", available=["thu-pm"], hours=3)],
        ),
        "COMBINED",
        "4 candidate dayparts at 2 offer(s): 2 over the company's hours that month; 3 the offer "
        "is taken then or full that month",
    ),
]  # fmt: skip


def test_every_activity_reason_code_keeps_its_english_from_the_said():
    assert {code for _, code, _ in SHORTFALLS} == set(ActivityReason)


@pytest.mark.parametrize("doc, code, english", SHORTFALLS, ids=[c for _, c, _ in SHORTFALLS])
def test_an_activity_shortfall_says_its_english_from_the_said(doc, code, english):
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    (entry,) = solution["unplanned"]
    assert (entry["reason"], entry["detail"]) == (code, english)
    detail = activity_details(doc, solution)[(entry["requester"], entry["kind"])]
    assert render(detail, ENGLISH) == english
    assert from_json(to_json(detail)) == detail


def test_a_plan_the_solver_did_not_make_gets_no_activity_details():
    doc = activity_round(classes=[klass("K1"), klass("K2")], offers=[offer(max_per_month=1)])
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=1)
    assert activity_details(doc, solution) != {}
    moved = [{**a, "date": "2027-03-03"} for a in solution["activities"]]  # a Wednesday
    assert activity_details(doc, {**solution, "activities": moved}) == {}
    relabelled = [{**u, "reason": "GAP"} for u in solution["unplanned"]]
    assert activity_details(doc, {**solution, "unplanned": relabelled}) == {}
