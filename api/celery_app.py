"""Solves on Celery workers over Redis, so many regions can solve on many machines.

Used when `REDIS_URL` is set. A task carries only the database URL and the job id: the job row
holds everything else, so any worker on any machine can run it. Tasks are acknowledged late and
rejected when their worker is lost, so Redis hands a job whose worker died to another worker,
which starts it over (`execute_job(resume=True)`): the job resumes instead of hanging.

Start a worker with: `REDIS_URL=redis://... celery -A api.celery_app worker -c 2`, and one
beat (`celery -A api.celery_app beat`, or `worker -B` on a single machine) for the mail loop.
"""

from __future__ import annotations

import os

from celery import Celery

from api.db import make_engine
from api.jobs import execute_job
from api.services.outbox import run_outbox
from api.settings import Settings

QUEUE = os.environ.get("STAGEBUREAU_QUEUE", "stagebureau")

celery = Celery("stagebureau", broker=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
celery.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=True,  # a task is done when its job is stored, not when it was received
    task_reject_on_worker_lost=True,  # a killed worker's task goes back to the queue
    worker_prefetch_multiplier=1,  # one long solve per worker process at a time
    task_ignore_result=True,  # results live in the job table, not in Redis
    broker_connection_retry_on_startup=True,
)


# The mail loop (`api.services.outbox.run_outbox`) every `OUTBOX_INTERVAL_S`, from beat.
celery.conf.beat_schedule = {
    "send-outbox": {"task": "stagebureau.send_outbox", "schedule": Settings().outbox_interval_s},
}


@celery.task(name="stagebureau.send_outbox")
def send_outbox() -> str:
    """Queue due deadline reminders and send due mail; an overlapping run sends nothing twice."""
    settings = Settings()
    engine = make_engine(settings.database_url)
    try:
        delivery = run_outbox(engine, settings)
    finally:
        engine.dispose()
    return f"{delivery.mails_sent} sent, {delivery.mails_failed} failed"


@celery.task(name="stagebureau.solve_job")
def solve_job(database_url: str, job_id: int) -> str:
    """Run one stored job; a redelivered task (its worker was lost) starts the job over."""
    request = solve_job.request
    worker = f"celery {request.hostname} {request.id}"
    return str(execute_job(database_url, job_id, resume=True, worker=worker))


class CeleryRunner:
    """Sends jobs to Celery workers; cancelling revokes the task and ends the job at once."""

    name = "celery"
    observes_exit = False  # nobody here sees a worker die: Redis redelivers instead

    def __init__(self, settings: Settings) -> None:
        self.database_url = settings.database_url
        if settings.redis_url:
            celery.conf.broker_url = settings.redis_url

    def submit(self, job_id: int) -> None:
        solve_job.apply_async(args=(self.database_url, job_id), task_id=self.task_id(job_id))

    def cancel(self, job_id: int) -> None:
        celery.control.revoke(self.task_id(job_id), terminate=True, signal="SIGTERM")

    @staticmethod
    def task_id(job_id: int) -> str:
        return f"stagebureau-job-{job_id}"
