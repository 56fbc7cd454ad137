"""A school imports its classes' and teachers' timetables from calendar feeds served over HTTP,
sees the derived free dayparts, and a re-import after a change lists the planned activities
that now clash; every refusal names the record and changes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from api_world import MARCH, activity_world, ok
from school_system_files import AFTERNOONS, MORNINGS, TUESDAY_AFTERNOONS, ics
from sqlmodel import Session, select

from api.models import AuditEntry

FEEDS: dict[str, bytes] = {}
RELEASE = threading.Event()  # `/slow.ics` answers (with `/k1.ics`'s calendar) once it is set


@pytest.fixture
def settings(database_url: str):
    """The suite's settings, with feeds on 127.0.0.1 allowed (production refuses them)."""
    from api.settings import Settings

    return Settings(
        database_url=database_url,
        redis_url=None,
        solve_time_limit=10.0,
        solve_deterministic=True,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        import_allow_private_hosts=True,
    )


class _Feeds(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.ics":
            RELEASE.wait(timeout=60)
        body = FEEDS.get("/k1.ics" if self.path == "/slow.ics" else self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/calendar")
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        """Quiet: the test output is the report."""


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    FEEDS.clear()


SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def timetable_world(world) -> None:
    """The March calendar and classes K1, K2 at S1 free on Tuesday afternoons; no round."""
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "calendar": MARCH}))
    for code in ("K1", "K2"):
        body = {"code": code, "year": 3, "size": 20, "free": ["tue-pm"]}
        ok(c.post("/classes", headers=world.school, json=body), 201)


def add_source(world, headers, kind: str, code: str, url: str) -> dict:
    body = {"kind": "ical", "requester_kind": kind, "requester_code": code, "url": url}
    return ok(
        world.client.post(f"/schools/{world.ids['S1']}/sources", headers=headers, json=body), 201
    )


def import_feeds(world) -> dict:
    """Start the school's feed import: 202 with its run (inline in tests: already ended)."""
    url = f"/schools/{world.ids['S1']}/sources/import"
    return ok(world.client.post(url, headers=world.school), 202)


def imported(world) -> dict:
    run = import_feeds(world)
    assert run["last_status"] == "imported", run["last_report"]
    return run["last_report"]


def free_of(world, code: str) -> list[str]:
    timetable = ok(world.client.get(f"/timetables/{world.ids['S1']}", headers=world.school))
    return next(e["free"] for e in timetable["entries"] if e["code"] == code)


def test_feeds_import_free_dayparts_and_a_changed_feed_lists_the_clashes(
    world, engine, feed_server
):
    c, school = world.client, world.school
    rid = activity_world(world)
    ok(c.post("/teachers", headers=school, json={"code": "T1", "name": "Docent"}), 201)
    FEEDS["/k1.ics"] = ics(MORNINGS, AFTERNOONS)
    FEEDS["/t1.ics"] = ics(MORNINGS)
    add_source(world, school, "class", "K1", f"{feed_server}/k1.ics")
    add_source(world, school, "teacher", "T1", f"{feed_server}/t1.ics")

    report = imported(world)
    assert free_of(world, "K1") == ["tue-pm"]  # as before: unchanged
    assert free_of(world, "T1") == ["mon-pm", "tue-pm", "wed-pm", "thu-pm", "fri-pm"]
    changes = {r["code"]: r for r in report["records"]}
    assert changes["K1"]["action"] == "unchanged" and changes["T1"]["action"] == "updated"
    assert report["clashes"] == []

    # K1 now has a test every Tuesday afternoon: its planned excursion clashes.
    FEEDS["/k1.ics"] = ics(MORNINGS, AFTERNOONS, TUESDAY_AFTERNOONS)
    report = imported(world)
    assert free_of(world, "K1") == []
    assert changes_of(report, "K1") == ([], ["tue-pm"])
    published = ok(c.get(f"/rounds/{rid}/published", headers=world.bureau))
    planned = {(a["offer"], a["date"]) for a in published["activities"] if a["requester"] == "K1"}
    assert planned and {(k["offer"], k["date"]) for k in report["clashes"]} == planned

    # The bureau sees the clashes at the round and repairs: K1's excursion is released (K1 is
    # never free now), every other activity stays as published.
    assert len(ok(c.get(f"/rounds/{rid}/timetable-clashes", headers=world.bureau))) == len(planned)
    job = ok(c.post(f"/rounds/{rid}/repair-timetables", headers=world.bureau), 202)
    assert job["status"] == "succeeded", job["message"]
    proposal = ok(c.get(f"/rounds/{rid}/proposal", headers=world.bureau))
    others = [a for a in published["activities"] if a["requester"] != "K1"]
    assert [a for a in proposal["activities"] if a["requester"] != "K1"] == others
    assert not [a for a in proposal["activities"] if a["requester"] == "K1"]
    assert any(u["requester"] == "K1" for u in proposal["unplanned"])
    assert ok(c.get(f"/rounds/{rid}/timetable-clashes", headers=world.bureau)) == []

    sources = ok(c.get(f"/schools/{world.ids['S1']}/sources", headers=school))
    k1 = next(s for s in sources if s["requester_code"] == "K1")
    assert k1["last_status"] == "imported" and k1["last_report"]["clashes"]
    with Session(engine) as session:
        imports = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        created = session.exec(select(AuditEntry).where(AuditEntry.action == "create")).all()
    assert len(imports) == 6  # two links and the school's feed run, imported twice
    link = next(e.after for e in created if e.entity == "import_source")
    assert link["url"] == "http://127.0.0.1/..."  # a link's secret path stays out of the audit


def changes_of(report: dict, code: str) -> tuple[list[str], list[str]]:
    record = next(r for r in report["records"] if r["code"] == code)
    return record["now_free"], record["no_longer_free"]


@SQLITE_ONLY
def test_one_unreadable_feed_refuses_the_whole_import_naming_it(world, feed_server):
    school = world.school
    timetable_world(world)
    FEEDS["/k1.ics"] = ics(MORNINGS)  # would free every afternoon
    add_source(world, school, "class", "K1", f"{feed_server}/k1.ics")
    add_source(world, school, "class", "K2", f"{feed_server}/missing.ics")
    run = import_feeds(world)
    assert run["last_status"] == "refused"
    (problem,) = run["last_report"]["problems"]
    assert (problem["record"], problem["field"]) == ("class K2", "url")
    assert "404" in problem["reason"]
    assert free_of(world, "K1") == ["tue-pm"]  # nothing written


@SQLITE_ONLY
def test_a_running_feed_import_shows_its_progress_until_its_report(world, feed_server):
    """The import runs in a thread of the server: K2's feed answers only when released, so the
    run is seen half done (K1 fetched), then imported."""
    timetable_world(world)
    FEEDS["/k1.ics"] = ics(MORNINGS)
    add_source(world, world.school, "class", "K1", f"{feed_server}/k1.ics")
    add_source(world, world.school, "class", "K2", f"{feed_server}/slow.ics")
    app = world.client.app
    inline, app.state.runner = app.state.runner, SimpleNamespace(name="thread")
    RELEASE.clear()
    try:
        run = import_feeds(world)
        assert run["last_status"] == "running"
        run = poll(world, run["id"], lambda r: r["import_phase"] != "queued")
        assert (run["last_status"], run["import_phase"]) == ("running", "feeds fetched: 1 of 2")
        assert run["import_progress"] == 0.5
        assert free_of(world, "K1") == ["tue-pm"]  # nothing stored while the run reads
    finally:
        RELEASE.set()
        app.state.runner = inline
    run = poll(world, run["id"], lambda r: r["last_status"] != "running")
    assert (run["last_status"], run["import_progress"]) == ("imported", 1.0)
    assert run["last_report"]["updated"] == 2
    assert free_of(world, "K2") == ["mon-pm", "tue-pm", "wed-pm", "thu-pm", "fri-pm"]


def poll(world, source_id: int, done: Callable[[dict], bool]) -> dict:
    """The source once `done` holds (checked every 50 ms, for at most a minute)."""
    for _ in range(1200):
        source = ok(world.client.get(f"/sources/{source_id}", headers=world.school))
        if done(source):
            return source
        time.sleep(0.05)
    raise AssertionError(f"source {source_id} never got there: {source}")


@SQLITE_ONLY
def test_a_school_sees_and_imports_only_its_own_sources(world, feed_server):
    timetable_world(world)
    source = add_source(world, world.school, "class", "K1", f"{feed_server}/k1.ics")
    other = world.other_school
    assert world.client.get(f"/schools/{world.ids['S1']}/sources", headers=other).status_code == 403
    body = {"enabled": False, "version": source["version"]}
    assert (
        world.client.patch(f"/sources/{source['id']}", headers=other, json=body).status_code == 403
    )
    body_k1 = {"kind": "ical", "requester_kind": "class", "requester_code": "K1",
               "url": "https://x.nl/k1.ics"}  # fmt: skip
    response = world.client.post(f"/schools/{world.ids['S2']}/sources", headers=other, json=body_k1)
    assert response.status_code == 422  # K1 is S1's class
    switched = ok(world.client.patch(f"/sources/{source['id']}", headers=world.school, json=body))
    assert switched["enabled"] is False
    response = world.client.post(f"/schools/{world.ids['S1']}/sources/import", headers=world.school)
    assert response.status_code == 422  # no link switched on


@SQLITE_ONLY
def test_an_ics_file_upload_imports_one_class(world):
    timetable_world(world)
    files = {"file": ("k2.ics", ics(MORNINGS, AFTERNOONS, TUESDAY_AFTERNOONS))}
    url = f"/schools/{world.ids['S1']}/timetables/ical?kind=class&code=K2"
    report = ok(world.client.post(url, headers=world.school, files=files))
    assert free_of(world, "K2") == []
    assert report["left_out"]
    bad = world.client.post(url, headers=world.school, files={"file": ("k2.ics", b"nonsense")})
    assert bad.status_code == 422 and bad.json()["detail"][0]["record"] == "class K2"
    # Lessons only in a holiday week: no school day to read a rule from, so nothing is written.
    region = ok(world.client.get("/region", headers=world.bureau))
    holiday = {**MARCH, "holidays": [["2027-03-08", "2027-03-12"]]}
    body = {"version": region["version"], "calendar": holiday}
    ok(world.client.patch("/region", headers=world.bureau, json=body))
    week = ics("UID:vak\r\nDTSTART:20270309T090000Z\r\nDTEND:20270309T100000Z")
    bad = world.client.post(url, headers=world.school, files={"file": ("k2.ics", week)})
    assert bad.status_code == 422 and "without a school day" in bad.json()["detail"][0]["reason"]
    assert free_of(world, "K2") == []
