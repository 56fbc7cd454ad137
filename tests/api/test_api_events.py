"""Event days (problem D) on the platform: the bureau's event, the companies' sessions, the
schools' choices (by hand and by file), the round document, the solve and every role's
programme, each confined to its own records."""

from __future__ import annotations

import csv
import io

from api_world import ok
from event_world import event_world
from sqlmodel import Session

from api.converters import import_document, region_document
from api.models import Region
from api.services.uploads import read_table
from scheduler.validation import parse_round
from scheduler.verify import verify


def test_each_role_enters_its_part_and_the_round_holds_problem_d(world, engine):
    event_world(world)
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "dag"}), 201)["id"]
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    assert document["events"] == [
        {"id": "EV1", "name": "Techniekdag Twente", "date": "2027-04-14", "rounds": 3,
         "lat": 52.22, "lon": 6.89}
    ]  # fmt: skip
    sessions = {s["id"]: s for s in document["sessions"]}
    assert sessions["SE2"] == {"id": "SE2", "event": "EV1", "company": "C1", "capacity": 1,
                               "sectors": ["maken"], "profiles": [], "rounds": [1, 2]}  # fmt: skip
    assert "rounds" not in sessions["SE1"]  # every round of the event
    requests = {r["student"]: r for r in document["event_requests"]}
    assert requests["st2"] == {"student": "st2", "event": "EV1", "choices": ["SE2", "SE1"],
                               "distinct_sectors": False}  # fmt: skip
    assert len(requests) == 5

    # A bureau moving from files: the document imported into another region says the same.
    with Session(engine) as session:
        region = Region(name="Uit bestand")
        session.add(region)
        session.flush()
        import_document(session, region, document)
        again = region_document(session, region, "dag")
        session.commit()
    for key in ("events", "sessions", "event_requests"):
        assert again[key] == document[key]


def test_a_school_and_a_company_each_see_and_change_only_their_own(world):
    event_world(world)
    c = world.client
    mine = ok(c.get("/event-requests", headers=world.school))
    assert sorted(r["pupil_id"] for r in mine) == sorted(
        world.ids[s] for s in ("st1", "st2", "st3")
    )
    assert (
        c.get(f"/event-requests/{world.ids['request-st4']}", headers=world.school).status_code
        == 404
    )
    body = {"pupil_id": world.ids["st4"], "event_id": world.ids["EV1"], "choices": ["SE1"]}
    assert c.post("/event-requests", headers=world.school, json=body).status_code == 403
    assert c.get("/event-requests", headers=world.company).status_code == 403
    assert c.post("/events", headers=world.school, json={}).status_code == 403

    own = ok(c.get("/event-sessions", headers=world.company))
    assert sorted(s["code"] for s in own) == ["SE1", "SE2"]
    patch = {"version": 1, "capacity": 99}
    theirs = f"/event-sessions/{world.ids['SE3']}"
    assert c.patch(theirs, headers=world.company, json=patch).status_code == 404
    assert ok(c.get(theirs, headers=world.bureau))["capacity"] == 2


def test_sessions_and_choices_are_refused_naming_the_field(world):
    event_world(world)
    c = world.client
    body = {"code": "SE9", "event_id": world.ids["EV1"], "capacity": 5, "rounds": [2, 4]}
    refused = c.post("/event-sessions", headers=world.company, json=body)
    assert refused.status_code == 422 and "EV1 has 3 rounds" in refused.text
    assert refused.json()["detail"][0]["loc"][-2:] == ["rounds", "1"]

    body = {"pupil_id": world.ids["st1"], "event_id": world.ids["EV1"], "choices": ["SE1", "SE7"]}
    refused = c.post("/event-requests", headers=world.school, json=body)
    assert refused.status_code == 422 and "SE7" in refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "choices", "1"]
    body["choices"] = ["SE1"]
    again = c.post("/event-requests", headers=world.school, json=body)
    assert again.status_code == 409 and "st1" in again.text
    too_many = {"version": 1, "count": 4}
    url = f"/event-requests/{world.ids['request-st1']}"
    refused = c.patch(url, headers=world.school, json=too_many)
    assert refused.status_code == 422 and "count" in refused.text
    assert ok(c.get(url, headers=world.school))["count"] is None


def upload(world, headers, text: str, name: str = "keuzes.csv"):
    url = f"/events/{world.ids['EV1']}/uploads/requests"
    return world.client.post(
        url, headers=headers, files={"file": (name, text.encode(), "text/csv")}
    )


def test_a_choices_file_is_stored_whole_or_not_at_all(world):
    event_world(world)
    c = world.client
    before = ok(c.get("/event-requests", headers=world.school))
    text = ("pupil;choice_1;choice_2;count\n"
            "st1;SE3;SE1;2\n"
            "st4;SE1;;\n"  # another school's pupil
            "st2;SE1;SE404;\n"
            "st3;SE1;SE1;9\n")  # fmt: skip
    refused = upload(world, world.school, text)
    assert refused.status_code == 422
    problems = {(p["row"], p["column"]) for p in refused.json()["detail"]}
    assert problems == {(3, "pupil"), (4, "choice_2"), (5, "choices"), (5, "count")}
    assert ok(c.get("/event-requests", headers=world.school)) == before

    gone = c.delete(f"/event-requests/{world.ids['request-st3']}?version=1", headers=world.school)
    assert gone.status_code == 204
    text = "pupil,choices,distinct_sectors\nst1,SE3 SE1,ja\nst3,SE2,\n"
    assert ok(upload(world, world.school, text)) == {"created": 1, "updated": 1}
    mine = {r["pupil_id"]: r for r in ok(c.get("/event-requests", headers=world.school))}
    first = mine[world.ids["st1"]]
    assert (first["choices"], first["distinct_sectors"], first["version"]) == (
        ["SE3", "SE1"],
        True,
        2,
    )
    assert mine[world.ids["st3"]]["choices"] == ["SE2"]
    entries = ok(c.get("/audit?entity=event_request", headers=world.bureau))
    assert {e["action"] for e in entries} >= {"create", "update", "delete"}
    uploads = ok(c.get("/audit?entity=event_requests", headers=world.bureau))
    assert [e["action"] for e in uploads] == ["upload"]

    # Erasing a pupil takes its choices along (pupils are minors), each with its audit entry.
    exported = ok(c.get(f"/pupils/{world.ids['st2']}/export", headers=world.school))
    assert [r["choices"] for r in exported["event_requests"]] == [["SE2", "SE1"]]
    ok(c.post(f"/pupils/{world.ids['st2']}/erase", headers=world.school))
    left = {r["pupil_id"] for r in ok(c.get("/event-requests", headers=world.school))}
    assert left == {world.ids["st1"], world.ids["st3"]}


def test_the_solve_gives_every_role_its_programme(world):
    event_id = event_world(world)
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "dag"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    solution = ok(c.get(f"/rounds/{rid}/export/solution.json", headers=b))
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    assert verify(parse_round(document), solution) == []
    granted = solution["event_sessions"]
    assert solution["objective"]["event_sessions_granted"] == len(granted) > 0
    # Before publication only the bureau sees the proposal.
    assert c.get(f"/events/{event_id}/outcome", headers=world.school).status_code == 409
    ok(c.post(f"/rounds/{rid}/publish", headers=b))

    everything = ok(c.get(f"/events/{event_id}/outcome", headers=b))
    assert len(everything["sessions"]) == len(granted)
    school = ok(c.get(f"/events/{event_id}/outcome", headers=world.school))
    assert {s["student"] for s in school["sessions"]} <= {"st1", "st2", "st3"}
    assert {u["student"] for u in school["unassigned"]} <= {"st1", "st2", "st3"}
    company = ok(c.get(f"/events/{event_id}/outcome", headers=world.company))
    assert {s["session"] for s in company["sessions"]} <= {"SE1", "SE2"}
    assert all(set(s) == {"session", "title", "round", "start", "end", "first_name",
                          "school_name", "profile"} for s in company["sessions"])  # fmt: skip
    assert "unassigned" not in company
    first_round = [s for s in everything["sessions"] if s["round"] == 2]
    assert all((s["start"], s["end"]) == ("10:00", "10:45") for s in first_round)

    table = c.get(f"/events/{event_id}/programme.csv", headers=world.company)
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == len(company["sessions"]) and "student" not in rows[0]
    st1 = [s for s in everything["sessions"] if s["student"] == "st1"]
    ics = c.get(f"/events/{event_id}/programme.ics?student=st1", headers=world.school)
    assert ics.status_code == 200 and ics.text.count("BEGIN:VEVENT") == len(st1)
    assert (
        c.get(f"/events/{event_id}/programme.ics?student=st4", headers=world.school).status_code
        == 404
    )

    report = ok(c.get(f"/rounds/{rid}/cofinancing", headers=world.company))
    ran = {(s["session"], s["round"]) for s in company["sessions"]}
    assert report["companies"][0]["hours"]["event_session"] == round(len(ran) * 45 / 60, 2)


def test_a_csv_with_bare_carriage_returns_reads_as_lines():
    """Found by fuzzing the choices upload: a lone CR (old Mac line ends, or inside a quoted
    cell) made the csv module fail with a server error instead of reading the file."""
    rows = read_table("keuzes.csv", b'pupil;choice_1\rst1;SE1\r\nst2;"SE\r2"\n')
    assert rows == [{"pupil": "st1", "choice_1": "SE1"}, {"pupil": "st2", "choice_1": "SE\r2"}]
