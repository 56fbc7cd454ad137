"""Solve jobs run in worker processes: the API answers meanwhile, a killed worker or a restart
leaves a visibly failed job and consistent rounds, and the last publication stays readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from api_world import ok, wait_for_job
from sqlmodel import Session, select

from api.app import create_app
from api.converters import import_document
from api.db import session_scope
from api.jobs import store_result
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


class _HeldRunner:
    """Leaves submitted jobs queued, so they stay active while the test looks."""

    name = "held"

    def submit(self, job_id: int) -> None:
        pass

    def cancel(self, job_id: int) -> None:
        pass


def test_two_concurrent_starts_one_succeeds_the_other_conflicts(world, engine, monkeypatch):
    """Both requests pass the application's "no active job" check at the same moment (held at
    a barrier there), so only the database's unique index on active jobs can tell them apart."""
    import threading

    from api.services import solves

    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    c.app.state.runner = _HeldRunner()
    barrier = threading.Barrier(2, timeout=20)
    check = solves.active_job

    def raced(session, round_id):
        found = check(session, round_id)
        barrier.wait()
        return found

    monkeypatch.setattr(solves, "active_job", raced)
    answers: list = []

    def start() -> None:
        answers.append(c.post(f"/rounds/{rid}/solve", headers=b))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [202, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert "another job was started for this round meanwhile" in refused.text
    with Session(engine) as session:
        jobs = session.exec(select(Job).where(Job.round_id == rid)).all()
        assert [j.status for j in jobs] == [JobStatus.queued]
        assert session.get(Round, rid).status == RoundStatus.solving


def test_database_refuses_a_second_active_job_of_a_round(world, engine):
    from sqlalchemy.exc import IntegrityError

    rid = ok(world.client.post("/rounds", headers=world.bureau, json={"name": "r1"}), 201)["id"]

    def job(status: JobStatus) -> Job:
        return Job(region_id=world.region_id, round_id=rid, kind=JobKind.solve, status=status)

    with session_scope(engine) as session:  # ended jobs are not limited
        session.add_all([job(JobStatus.failed), job(JobStatus.succeeded), job(JobStatus.running)])
    try:
        with session_scope(engine) as session:
            session.add(job(JobStatus.queued))
    except IntegrityError:
        pass
    else:
        raise AssertionError("a second active job of one round was stored")


def restart_after_orphan(world, engine, settings, rid: int, orphan: subprocess.Popen) -> None:
    """Leave `orphan` as the running worker of a job of round `rid`, as an API process killed
    with -9 does, then start the API again: the orphan's process group must be ended."""
    with session_scope(engine) as session:
        round_ = session.get(Round, rid)
        round_.status = RoundStatus.solving
        job = Job(region_id=world.region_id, round_id=rid, kind=JobKind.solve,
                  status=JobStatus.running, runner="local", attempt="orphan",
                  process_group=orphan.pid)  # fmt: skip
        session.add_all([round_, job])
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, runner="local")):
        pass
    assert orphan.wait(timeout=60) == -signal.SIGKILL


def test_restart_ends_an_orphaned_worker_and_its_late_result_changes_nothing(
    world, engine, settings
):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    with session_scope(engine) as session:
        good = session.get(Round, rid).proposal_version_id
        version = session.get(SolutionVersion, good)
        document, solution = version.round_document, version.solution
    # The API process died with -9 while a worker of its own process group was solving: the
    # orphan runs on, its job row still says running.
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                              start_new_session=True)  # fmt: skip
    try:
        restart_after_orphan(world, engine, settings, rid, orphan)
    finally:
        orphan.kill()
    # Its result, had it got one in, is refused: the last good proposal stays.
    job_id = ok(c.get(f"/rounds/{rid}/jobs", headers=b))[-1]["id"]
    assert store_result(engine, job_id, "orphan", document, solution) == JobStatus.failed
    with Session(engine) as session:
        assert session.get(Round, rid).proposal_version_id == good
        assert session.get(Round, rid).status == RoundStatus.proposed
        assert len(session.exec(select(SolutionVersion)).all()) == 1


def test_a_worker_shut_out_by_a_newer_attempt_writes_nothing(world, engine):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    with session_scope(engine) as session:  # redelivered: another worker holds the job now
        job = Job(region_id=world.region_id, round_id=rid, kind=JobKind.solve, runner="celery",
                  status=JobStatus.running, attempt="newer", phase="solving")  # fmt: skip
        session.add(job)
        session.flush()
        job_id = job.id
    document = ok(c.get(f"/rounds/{rid}/export/round.json", headers=b))
    assert store_result(engine, job_id, "older", document, {"assignments": []}) == "running"
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert (job.status, job.phase, job.result_version_id) == ("running", "solving", None)
        assert session.exec(select(SolutionVersion)).all() == []


def test_a_local_worker_leads_its_own_process_group(process_world, engine):
    c, b = process_world.client, process_world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    job = wait_for_job(c, b, ok(c.post(f"/rounds/{rid}/solve", headers=b), 202))
    assert job["status"] == "succeeded"
    with Session(engine) as session:
        stored = session.get(Job, job["id"])
    assert stored.worker == f"pid {stored.process_group}"
    assert stored.process_group != os.getpgid(0)
