"""Solve jobs run in worker processes: the API answers meanwhile, a killed worker or a restart
leaves a visibly failed job and consistent rounds, and the last publication stays readable."""

from __future__ import annotations

import os
import signal
import time

from api_world import ok, wait_for_job
from sqlmodel import Session, select

from api.app import create_app
from api.converters import import_document
from api.db import session_scope
from api.models import Job, JobKind, JobStatus, Region, Round, RoundStatus, SolutionVersion
from fixtures.region import generate_region


def add_slow_data(engine, region_id: int) -> None:
    """A region's worth of pupils with min_students rules: CP-SAT runs to its time limit."""
    document = generate_region(students=2000, schools=4, region="Twente", seed=3,
                               side_constraints=True)  # fmt: skip
    for s in document["schools"]:
        s["id"] = f"X{s['id']}"
    for s in document["students"]:
        s["school"] = f"X{s['school']}"
    with session_scope(engine) as session:
        import_document(session, session.get(Region, region_id), document)


def wait_until_solving(client, headers, job_id: int) -> dict:
    deadline = time.monotonic() + 30
    while True:
        job = ok(client.get(f"/jobs/{job_id}", headers=headers))
        if job["status"] == "running" and job["phase"] != "reading the round":
            return job
        assert job["status"] in ("queued", "running"), job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_killed_worker_fails_job_and_keeps_every_round_consistent(process_world, engine):
    w = process_world
    c, b = w.client, w.bureau
    # A first round, solved and published.
    first = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert (
        wait_for_job(c, b, ok(c.post(f"/rounds/{first}/solve", headers=b), 202))["status"]
        == "succeeded"
    )
    published = ok(c.post(f"/rounds/{first}/publish", headers=b))
    # A second, slow round: its worker is killed mid-solve.
    add_slow_data(engine, w.region_id)
    second = ok(c.post("/rounds", headers=b, json={"name": "r2"}), 201)["id"]
    job = ok(c.post(f"/rounds/{second}/solve", headers=b), 202)
    wait_until_solving(c, b, job["id"])
    started = time.monotonic()
    assert ok(c.get(f"/rounds/{second}", headers=b))["status"] == "solving"
    assert time.monotonic() - started < 1.0, "the API must answer while a solve runs"
    pid = c.app.state.runner.pid(job["id"])
    os.kill(pid, signal.SIGKILL)
    job = wait_for_job(c, b, job, timeout=15)
    assert job["status"] == "failed" and "exit code -9" in job["message"]
    assert ok(c.get(f"/rounds/{second}", headers=b))["status"] == "draft"
    with Session(engine) as session:
        assert not session.exec(
            select(SolutionVersion).where(SolutionVersion.round_id == second)
        ).all()
    # The first round's publication is untouched and readable.
    assert ok(c.get(f"/rounds/{first}", headers=b))["status"] == "published"
    assert ok(c.get(f"/rounds/{first}/published", headers=b))["version"]["id"] == published["id"]

    # A cancel ends the next attempt the same clean way.
    job = ok(c.post(f"/rounds/{second}/solve", headers=b), 202)
    wait_until_solving(c, b, job["id"])
    ok(c.post(f"/jobs/{job['id']}/cancel", headers=b))
    job = wait_for_job(c, b, job, timeout=15)
    assert job["status"] == "cancelled"
    assert ok(c.get(f"/rounds/{second}", headers=b))["status"] == "draft"


def test_restart_marks_running_job_failed(world, engine, settings):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    with session_scope(engine) as session:  # a job whose worker died with its API process
        round_ = session.get(Round, rid)
        round_.status = RoundStatus.solving
        job = Job(region_id=world.region_id, round_id=rid, kind=JobKind.solve,
                  status=JobStatus.running, runner="local")  # fmt: skip
        session.add_all([round_, job])
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, runner="local")) as restarted:
        jobs = ok(restarted.get(f"/rounds/{rid}/jobs", headers=b))
        assert jobs[-1]["status"] == "failed" and "restart" in jobs[-1]["message"]
        assert ok(restarted.get(f"/rounds/{rid}", headers=b))["status"] == "draft"


def test_second_solve_while_one_runs_conflicts(world, engine):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    with session_scope(engine) as session:
        session.add(Job(region_id=world.region_id, round_id=rid, kind=JobKind.solve,
                        status=JobStatus.running, runner="local"))  # fmt: skip
    assert c.post(f"/rounds/{rid}/solve", headers=b).status_code == 409
