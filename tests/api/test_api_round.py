"""A whole round over HTTP: uploads, solve job, pin, re-solve, publish, confirm and decline,
repair, and every export, on SQLite and PostgreSQL, with jobs in worker processes."""

from __future__ import annotations

import csv
import io

from api_world import ok, wait_for_job
from openpyxl import Workbook, load_workbook

from scheduler.validation import parse_round
from scheduler.verify import verify


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_whole_round_over_http(process_world):
    w = process_world
    c, b = w.client, w.bureau
    # Uploads: two more pupils by the school (CSV), a third placement by the company (XLSX).
    pupils_csv = (
        "code;first_name;profile;track;year;preferences\nst6;Lot;PIE;kb;3;PL1\nst7;Sem;PIE;bb;3;\n"
    )
    assert ok(
        c.post("/uploads/pupils", headers=w.school, files={"file": ("p.csv", pupils_csv)})
    ) == {"created": 2, "updated": 0}
    capacity = xlsx([["code", "P3", "profiles"], ["PL3", 2, "PIE"]])
    assert ok(
        c.post("/uploads/capacity", headers=w.company, files={"file": ("c.xlsx", capacity)})
    ) == {"created": 1, "updated": 0}

    round_ = ok(c.post("/rounds", headers=b, json={"name": "Testregio 2027 r1"}), 201)
    assert round_["status"] == "draft" and round_["students"] == 7
    rid = round_["id"]

    job = wait_for_job(c, b, ok(c.post(f"/rounds/{rid}/solve", headers=b), 202))
    assert job["status"] == "succeeded", job
    assert ok(c.get(f"/rounds/{rid}", headers=b))["status"] == "proposed"
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    assert len(proposal["assignments"]) == 5  # 5 seats for 7 pupils
    assert {u["reason"] for u in proposal["unassigned"]} == {"CAPACITY"}
    first = {a["student"]: (a["placement"], a["period"]) for a in proposal["assignments"]}

    # Pin an unplaced pupil to PL3: it must be placed there, the rest moves as little as possible.
    unplaced = proposal["unassigned"][0]["student"]
    ok(c.post(f"/rounds/{rid}/pins", headers=b,
              json={"student": unplaced, "placement": "PL3", "period": "P3"}), 201)  # fmt: skip
    job = wait_for_job(c, b, ok(c.post(f"/rounds/{rid}/resolve", headers=b), 202))
    assert job["status"] == "succeeded", job
    resolved = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    second = {a["student"]: (a["placement"], a["period"]) for a in resolved["assignments"]}
    assert second[unplaced] == ("PL3", "P3")
    # One pupil of the proposal had to leave PL3 for the pinned one: exactly one change (the
    # solver's count: pupils of the previous proposal moved or dropped), and two pupils whose
    # assignment differs (that one and the pinned one). The solver's proof is kept.
    assert resolved["version"]["changes"] == 1
    assert resolved["stats"]["placements"]["changes"] == 1
    assert resolved["status"] == "OPTIMAL"
    assert resolved["objective"]["bound"] == resolved["objective"]["cost"]
    assert sum(first.get(s) != second.get(s) for s in first.keys() | second.keys()) == 2

    published = ok(c.post(f"/rounds/{rid}/publish", headers=b))
    assert published["state"] == "published"
    assert ok(c.get(f"/rounds/{rid}", headers=b))["status"] == "published"

    # The company sees its pupils minimally, then confirms one and declines another.
    mine = ok(c.get(f"/rounds/{rid}/assignments", headers=w.company))
    assert mine and set(mine[0]) == {
        "student",
        "first_name",
        "school",
        "profile",
        "placement",
        "period",
    }
    confirmed, declined = mine[0]["student"], mine[1]["student"]
    ok(c.post(f"/rounds/{rid}/responses", headers=w.company,
              json={"student": confirmed, "status": "confirmed"}), 201)  # fmt: skip
    decline = {"student": declined, "status": "declined", "reason": "te jong"}
    ok(c.post(f"/rounds/{rid}/responses", headers=w.company, json=decline), 201)
    # The decline started a repair; meanwhile the published version stays readable.
    assert ok(c.get(f"/rounds/{rid}/published", headers=b))["version"]["id"] == published["id"]
    jobs = ok(c.get(f"/rounds/{rid}/jobs", headers=b))
    assert jobs[-1]["kind"] == "repair"
    job = wait_for_job(c, b, jobs[-1])
    assert job["status"] == "succeeded", job
    repaired = ok(c.get(f"/rounds/{rid}/proposal", headers=b))
    third = {a["student"]: (a["placement"], a["period"]) for a in repaired["assignments"]}
    assert third.get(confirmed) == second[confirmed]
    assert third.get(declined, ("",))[0] != second[declined][0]
    assert third[unplaced] == ("PL3", "P3")  # pins hold in repairs too
    # Every seat is taken, so the declined pupil leaves the round and nobody else moves.
    assert repaired["version"]["changes"] == 1
    republished = ok(c.post(f"/rounds/{rid}/publish", headers=b))
    assert republished["number"] > published["number"]

    # Exports: the SPEC pair verifies; CSV per school; XLSX per company; cofinancing.
    doc = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    solution = ok(c.get(f"/rounds/{rid}/export/solution.json", headers=b))
    assert verify(parse_round(doc), solution) == []
    school_csv = c.get(f"/rounds/{rid}/export/schools/{w.ids['S1']}.csv", headers=w.school)
    rows = list(csv.DictReader(io.StringIO(school_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["student"] for r in rows} == {"st1", "st2", "st3", "st6", "st7"}
    company_xlsx = c.get(f"/rounds/{rid}/export/companies/{w.ids['C1']}.xlsx", headers=w.company)
    sheet = load_workbook(io.BytesIO(company_xlsx.content)).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header == ["student", "first_name", "school", "profile", "placement", "period"]
    report = ok(c.get(f"/rounds/{rid}/cofinancing", headers=b))
    assert report["target_eur"] == 10_000.0
    placed = len(solution["assignments"])
    assert report["total_value_eur"] == placed * 16 * 60.0
    own = ok(c.get(f"/rounds/{rid}/cofinancing", headers=w.company))
    assert [row["company"] for row in own["companies"]] == ["C1"]
    versions = ok(c.get(f"/rounds/{rid}/versions", headers=b))
    assert [v["state"] for v in versions].count("published") == 2


def test_publishing_a_proposal_the_bureau_did_not_review_is_refused(world):
    """A re-solve that finished after the bureau looked must not be published unseen."""
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    ok(c.post(f"/rounds/{rid}/resolve", headers=b), 202)  # proposal 2 replaces proposal 1
    stale = c.post(f"/rounds/{rid}/publish", headers=b, json={"proposal": 1})
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    assert ok(c.get(f"/rounds/{rid}", headers=b))["status"] == "proposed"
    published = ok(c.post(f"/rounds/{rid}/publish", headers=b, json={"proposal": 2}))
    assert (published["number"], published["state"]) == (3, "published")
