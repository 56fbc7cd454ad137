"""The activity fixtures: real holidays, realistic timetables and budgets, rounds that solve."""

import copy

from rounds import company, round_doc, school

from fixtures.activities import LITTLE_TIME_HOURS, add_activities
from fixtures.region import generate_region
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify


def test_a_region_gets_classes_teachers_offers_and_budgets():
    region = generate_region(students=400, schools=4, seed=3)
    before = copy.deepcopy(region)
    doc = add_activities(region, seed=3)
    assert region == before, "the input round is left alone"
    round_ = parse_round(doc)
    assert 8 * 4 <= len(round_.classes) <= 12 * 4
    assert 3 * 4 <= len(round_.teachers) <= 5 * 4
    assert len(round_.offers) == round(500 / 35 * 4)
    assert {o.kind for o in round_.offers.values()} == {
        "excursion",
        "guest_lesson",
        "teacher_internship",
    }
    budgets = [
        round_.companies[c].hours_per_month for c in {o.company for o in round_.offers.values()}
    ]
    assert all(b is not None for b in budgets)
    assert any(b <= LITTLE_TIME_HOURS[1] for b in budgets) and any(b >= 8 for b in budgets)
    assert all(12 <= k.size <= 28 for k in round_.classes.values())
    assert add_activities(region, seed=3) == doc


def test_holidays_are_the_regions_school_holidays_and_public_holidays():
    doc = add_activities(
        round_doc(schools=[school("S1", 52.09, 5.12)], companies=[company()]), seed=1
    )
    holidays = {tuple(h) for h in doc["calendar"]["holidays"]}
    assert (doc["calendar"]["start"], doc["calendar"]["end"]) == ("2027-01-01", "2027-06-30")
    assert ("2027-02-20", "2027-02-28") in holidays  # Utrecht: voorjaarsvakantie Midden
    assert ("2027-02-13", "2027-02-21") not in holidays  # that of Zuid
    assert ("2027-04-27", "2027-04-27") in holidays  # Koningsdag
    assert ("2027-05-06", "2027-05-06") in holidays  # Hemelvaartsdag
    autumn = add_activities(
        round_doc(schools=[school("S1", 52.09, 5.12)]), seed=1, half_year="2026-08"
    )
    assert ("2026-10-17", "2026-10-25") in {tuple(h) for h in autumn["calendar"]["holidays"]}


def test_a_generated_region_plans_and_verifies():
    doc = add_activities(generate_region(students=200, schools=2, seed=5), seed=5)
    doc["students"], doc["placements"] = [], []
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=5, deterministic=True, workers=2)
    assert verify(round_, solution) == []
    objective = solution["objective"]
    assert objective["activities_planned"] >= 0.9 * objective["activities_bound"]


def test_escorts_add_a_ratio_mentors_and_flags_and_leave_the_rest_alone():
    region = generate_region(students=100, schools=2, seed=5)
    plain = add_activities(region, seed=5)
    doc = add_activities(region, seed=5, escorts=True)
    assert 12 <= doc["defaults"]["escort_ratio"] <= 15
    assert {k: v for k, v in doc.items() if k not in ("defaults", "teachers")} == {
        k: v for k, v in plain.items() if k not in ("defaults", "teachers")
    }
    mentors = [t for t in doc["teachers"] if "-M" in t["id"]]
    assert 2 * 2 <= len(mentors) <= 5 * 2 and all(t["demand"] == {} for t in mentors)
    assert [{k: v for k, v in t.items() if k != "escort"} for t in doc["teachers"]][
        : len(plain["teachers"])
    ] == plain["teachers"]
    doc["students"], doc["placements"] = [], []
    first = doc["classes"][0]["school"]  # one school's first classes: a quick solve
    doc["classes"] = [k for k in doc["classes"] if k["school"] == first][:4]
    doc["teachers"] = [t for t in doc["teachers"] if t["school"] == first]
    round_ = parse_round(doc)
    solution = solve_round(round_, time_limit=0.3, deterministic=True, workers=1)
    assert verify(round_, solution) == []
    assert all(a["escorts"] for a in solution["activities"] if a["kind"] == "excursion")
