"""With REDIS_URL, solves run on Celery workers; a worker process killed mid-solve has its job
redelivered and resumed by another, and the round ends up proposed, never half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from api_world import build_world, ok, wait_for_job
from fastapi.testclient import TestClient
from test_api_jobs import add_slow_data

from api.app import create_app

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def celery_queue():
    if not REDIS_URL:
        pytest.skip("Celery run needs REDIS_URL=redis://... (CI sets it)")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {error}")
    from api.celery_app import celery

    queue = f"stagebureau-test-{uuid.uuid4().hex[:8]}"
    previous = celery.conf.task_default_queue
    celery.conf.task_default_queue = queue
    yield queue
    celery.conf.task_default_queue = previous


@pytest.fixture
def celery_worker(celery_queue):
    """A Celery worker with one pool process on a queue of its own; stopped afterwards."""
    env = {**os.environ, "REDIS_URL": REDIS_URL, "STAGEBUREAU_QUEUE": celery_queue}
    celery_bin = str(Path(sys.executable).with_name("celery"))
    worker = subprocess.Popen(
        [celery_bin, "-A", "api.celery_app", "worker", "-c", "1", "--pool", "prefork",
         "-Q", celery_queue, "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        env=env,
    )  # fmt: skip
    yield worker
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:  # pragma: no cover
        worker.kill()
        worker.wait()


def pool_children(worker: subprocess.Popen) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def test_solve_runs_on_celery_and_resumes_after_worker_loss(settings, engine, celery_worker):
    settings = settings.model_copy(update={"redis_url": REDIS_URL, "solve_time_limit": 3.0})
    with TestClient(create_app(settings)) as client:
        assert client.app.state.runner.name == "celery"
        world = build_world(client, engine)
        b = world.bureau
        add_slow_data(engine, world.region_id)  # CP-SAT runs to its limit: time to kill it
        rid = ok(client.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
        job = ok(client.post(f"/rounds/{rid}/solve", headers=b), 202)
        # Kill the pool process as soon as it runs the job: Redis hands the task back.
        deadline = time.monotonic() + 60
        while ok(client.get(f"/jobs/{job['id']}", headers=b))["status"] == "queued":
            assert time.monotonic() < deadline, "no Celery worker picked the job up"
            time.sleep(0.05)
        time.sleep(0.5)
        for pid in pool_children(celery_worker):
            os.kill(pid, signal.SIGKILL)
        job = wait_for_job(client, b, job, timeout=90)
        assert job["status"] == "succeeded", job
        assert "restarted after its worker" in job["message"]
        assert ok(client.get(f"/rounds/{rid}", headers=b))["status"] == "proposed"
        versions = ok(client.get(f"/rounds/{rid}/versions", headers=b))
        assert len(versions) == 1  # the lost attempt left nothing behind
