"""A company that stops hosting from a date: its seats and dayparts from then on are gone, a
repair moves only the pupils and visits it displaced, and the report names where they went."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rounds import brute_force_placement, company, placement, round_doc, student, tiny_rounds

from scheduler import steering
from scheduler.company_stops import (
    CompanyStop,
    dayparts_before,
    displaced,
    period_reaches,
    stop_report,
    stopped_round,
)
from scheduler.contract.solution import assignment_map
from scheduler.verify import verify

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARCH_8 = date(2027, 3, 8)
CALENDAR = {"start": "2027-03-01", "end": "2027-03-19", "holidays": [["2027-03-03", "2027-03-03"]]}


def solve(plan: steering.Plan) -> dict:
    return dict(steering.solve_plan(plan, time_limit=5.0, workers=1, deterministic=True))


def test_a_stopped_company_keeps_only_the_periods_known_to_end_before_the_stop():
    doc = round_doc(
        companies=[company("C1"), company("C2")],
        placements=[
            placement("PL1", "C1", {"P1": 2, "P2": 3}),
            placement("PL2", "C2", {"P1": 1}),
        ],
        periods=[{"id": "P1", "start": "2027-02-01", "end": "2027-02-26"}],
    )
    assert not period_reaches(doc, "P1", MARCH_8)  # dated, over before the stop
    assert period_reaches(doc, "P2", MARCH_8)  # undated: not known to be over
    stopped = stopped_round(doc, [CompanyStop("C1", MARCH_8)])
    assert [p["capacity"] for p in stopped["placements"]] == [{"P1": 2, "P2": 0}, {"P1": 1}]
    assert doc["placements"][0]["capacity"] == {"P1": 2, "P2": 3}  # the round is not changed
    # Lifted: the next plan starts from the round as opened and gets the seats back.
    assert stopped_round(stopped, [], original=doc)["placements"] == doc["placements"]


def test_an_offer_keeps_only_its_dayparts_before_the_stop_as_dated_ones():
    kept = dayparts_before(
        ["tue-pm", "wed-am", "2027-03-09/am", "2027-03-05/pm"], MARCH_8, CALENDAR
    )
    # Wednesday 3 March is a holiday; 9 March is on the stop's side.
    assert kept == ["2027-03-02/pm", "2027-03-05/pm"]
    assert dayparts_before(["tue-pm"], MARCH_8, None) == []


def test_the_repair_moves_only_the_stopped_company_s_pupils_and_says_where():
    doc = round_doc(
        companies=[company("C1"), company("C2"), company("C3")],
        placements=[
            placement("PL1", "C1", {"P1": 2}),
            placement("PL2", "C2", {"P1": 1}),
            placement("PL3", "C3", {"P1": 1}),
        ],
        students=[student(s, preferences=["PL1", "PL2", "PL3"]) for s in ("a", "b", "c", "d")],
    )
    before = solve(steering.plan(doc))
    at_c1 = sorted(s for s, (p, _) in assignment_map(before).items() if p == "PL1")
    assert len(at_c1) == 2 and len(before["assignments"]) == 4
    stop = CompanyStop("C1", MARCH_8)
    gone = displaced(doc, before, [stop])
    assert sorted(a["student"] for a in gone.pupils) == at_c1
    others = [a for a in before["assignments"] if a["student"] not in at_c1]
    plan = steering.plan(doc, before, pins=others, stops=[stop], original=doc)
    after = solve(plan)
    assert verify(plan.round_, after) == []
    assert all(assignment_map(after)[a["student"]] == (a["placement"], a["period"]) for a in others)
    assert not any(a["company"] == "C1" for a in after["assignments"])
    assert after["stats"]["placements"]["changes"] == 2  # the two displaced, nobody else
    report = stop_report(doc, before, after, [stop])
    assert [p["student"] for p in report["pupils"]] == at_c1
    assert all(p["to"] is None and p["reason"] == "CAPACITY" for p in report["pupils"])
    assert report["stops"] == [{"company": "C1", "stopped_from": "2027-03-08"}]


@SETTINGS
@given(tiny_rounds(), st.integers(0, 2))
def test_a_stop_repair_keeps_everyone_it_did_not_displace_and_is_optimal(doc, which):
    companies = [c["id"] for c in doc["companies"]]
    stop = CompanyStop(companies[which % len(companies)], MARCH_8)
    before = solve(steering.plan(doc))
    leaving = {a["student"] for a in displaced(doc, before, [stop]).pupils}
    others = [a for a in before["assignments"] if a["student"] not in leaving]
    plan = steering.plan(doc, before, pins=others, stops=[stop], original=doc)
    after = solve(plan)
    assert verify(plan.round_, after) == []
    placed = assignment_map(after)
    assert all(placed[a["student"]] == (a["placement"], a["period"]) for a in others)
    assert not any(a["company"] == stop.company for a in after["assignments"])
    # The displaced are re-placed as well as any assignment keeping the others could: the
    # optimum (placed priority, fewest changes, least cost) of a brute force agrees.
    assert plan.steering is not None
    optimum = brute_force_placement(plan.round_, plan.steering.pinned, plan.steering.previous)
    objective = after["objective"]
    changes = after["stats"]["placements"].get("changes")  # none when nobody was placed
    found = (objective["placed_priority"], objective["cost"])
    assert (found if changes is None else (found[0], changes, found[1])) == optimum
    report = stop_report(doc, before, after, [stop])
    assert {p["student"] for p in report["pupils"]} == leaving
    assert all((p["to"] is None) == (p["student"] not in placed) for p in report["pupils"])
