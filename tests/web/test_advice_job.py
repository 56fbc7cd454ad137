"""The one-more-seat advice as a background job (issue 14): the page's request queues it and
answers at once; the dashboard shows it being counted, in Dutch, then its result; a second
request joins the running count; a cancelled or failed count, or a worker given up on, leaves
the advice the version had. The count is an exact flow, so it is the same every time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import Session, col, select

from api import jobs, seat_advice
from api.converters import import_document
from api.db import make_engine
from api.models import Job, JobKind, JobStatus, Region, Role, Round, VersionDashboard
from api.provision import create_user
from fixtures.region import generate_region
from tests.web.web_helpers import PASSWORD, Browser

HX = {"HX-Request": "true"}
SENTENCE = re.compile(
    r"Eén plek extra bij [^<]+ \(PL\d+\) in periode P\d plaatst 1 leerling meer\."
)


class HeldRunner:
    """Keeps the jobs it is given, as a busy worker pool would: the test runs them."""

    name = "inline"

    def __init__(self) -> None:
        self.submitted: list[int] = []
        self.cancelled: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)

    def cancel(self, job_id: int) -> None:
        self.cancelled.append(job_id)


@pytest.fixture
def advised(web_client, web_settings):
    """A bureau with a solved 120-pupil round and jobs held for the test to run:
    (browser, round id, engine, runner)."""
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        region = Region(name="Krap")
        session.add(region)
        session.flush()
        import_document(session, region, generate_region(students=120, schools=2, seed=3))
        session.commit()
    create_user(engine, email="bureau@krap.nl", password=PASSWORD, role=Role.bureau,
                region="Krap")  # fmt: skip
    bureau = Browser(web_client.app, "bureau@krap.nl")
    page = bureau.post("/app/bureau/rounds", {"name": "Krap 2027"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    bureau.post(f"/app/bureau/rounds/{round_id}/solve")  # solved inline
    runner = HeldRunner()
    web_client.app.state.runner = runner
    yield bureau, round_id, engine, runner
    engine.dispose()


def advice_jobs(engine) -> list[Job]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        query = select(Job).where(Job.kind == JobKind.advice).order_by(col(Job.id))
        return list(session.exec(query).all())


def stored_advice(engine, round_id: int) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None
        dashboard = session.get(VersionDashboard, round_.proposal_version_id)
        assert dashboard is not None
        return dashboard.advice


def advice_section(html: str) -> str:
    return html.split('id="h-advice"', 1)[1].split("</section>", 1)[0]


def test_the_advice_is_queued_shown_counting_joined_and_then_shown(advised, web_settings):
    bureau, round_id, engine, runner = advised
    base = f"/app/bureau/rounds/{round_id}"
    page = bureau.post(f"{base}/advice")
    [job] = advice_jobs(engine)
    assert job.status == JobStatus.queued and runner.submitted == [job.id]
    section = advice_section(page.text)
    assert "Het advies wordt uitgerekend" in section and "in de wachtrij" in section
    assert 'id="advise"' not in section and not SENTENCE.search(section)
    # The round is not solving: its actions stay (a solve may run beside the advice).
    assert 'id="resolve"' in page.text and 'id="job-progress"' not in page.text
    # Asking again while it counts joins it: no second job, no second count.
    again = bureau.post(f"{base}/advice")
    assert again.status_code == 200 and len(advice_jobs(engine)) == 1
    assert runner.submitted == [job.id]

    assert jobs.execute_job(web_settings.database_url, job.id) == JobStatus.succeeded
    done = bureau.get(f"/app/bureau/jobs/{job.id}/progress", headers=HX)
    assert done.headers["HX-Redirect"] == f"{base}?done=advice_succeeded#h-advice"
    page = bureau.get(f"{base}?done=advice_succeeded")
    assert "Advies berekend." in page.text
    assert len(SENTENCE.findall(advice_section(page.text))) == seat_advice.ADVICE_SEATS
    first = stored_advice(engine, round_id)
    assert first is not None and len(first["seats"]) == seat_advice.ADVICE_SEATS

    # Counted again, the same version gives the same advice.
    bureau.post(f"{base}/advice")
    second = advice_jobs(engine)[-1]
    assert jobs.execute_job(web_settings.database_url, second.id) == JobStatus.succeeded
    assert stored_advice(engine, round_id) == first


def test_the_progress_names_the_phase_in_dutch(advised, monkeypatch, web_settings):
    bureau, round_id, engine, _ = advised
    bureau.post(f"/app/bureau/rounds/{round_id}/advice")
    [job] = advice_jobs(engine)
    seen: list[str] = []
    real = seat_advice.advice_of

    def watched(document, *, time_limit, progress):  # type: ignore[no-untyped-def]
        def phase(name: str) -> None:
            progress(name)
            part = bureau.get(f"/app/bureau/jobs/{job.id}/progress", headers=HX).text
            seen.append(part.split('class="phase">', 1)[1].split("<", 1)[0])

        return real(document, time_limit=time_limit, progress=phase)

    monkeypatch.setattr(seat_advice, "advice_of", watched)
    assert jobs.execute_job(web_settings.database_url, job.id) == JobStatus.succeeded
    assert seen == ["de ronde inlezen", "de plaatsing opnieuw oplossen en per plek de winst tellen"]


def test_a_cancelled_or_failed_count_keeps_the_advice_before_it(advised, monkeypatch, web_settings):
    bureau, round_id, engine, runner = advised
    base = f"/app/bureau/rounds/{round_id}"
    bureau.post(f"{base}/advice")
    assert jobs.execute_job(web_settings.database_url, advice_jobs(engine)[0].id) == "succeeded"
    before = stored_advice(engine, round_id)
    assert before and before["seats"]

    # Cancelled while queued: ended at once, the worker that picks it up later does nothing.
    page = bureau.post(f"{base}/advice")
    cancelled = advice_jobs(engine)[-1]
    page = bureau.post(f"/app/bureau/jobs/{cancelled.id}/cancel")
    assert advice_jobs(engine)[-1].status == JobStatus.cancelled
    assert runner.cancelled == [cancelled.id]
    assert jobs.execute_job(web_settings.database_url, cancelled.id) == JobStatus.cancelled
    assert stored_advice(engine, round_id) == before
    section = advice_section(bureau.get(base).text)
    assert "is gestopt; het advies hierboven is dat van daarvoor" in section
    assert len(SENTENCE.findall(section)) == len(before["seats"]) and 'id="advise"' in section

    # Failed while counting: the job says why, the advice and the round stay as they were.
    def broken(document, *, time_limit, progress):  # type: ignore[no-untyped-def]
        progress(seat_advice.PHASES[0])
        raise RuntimeError("the solver ran out of memory")

    monkeypatch.setattr(seat_advice, "advice_of", broken)
    bureau.post(f"{base}/advice")
    failed = advice_jobs(engine)[-1]
    assert jobs.execute_job(web_settings.database_url, failed.id) == JobStatus.failed
    assert "ran out of memory" in advice_jobs(engine)[-1].message
    assert stored_advice(engine, round_id) == before
    page = bureau.get(base)
    assert "mislukte; het advies hierboven is dat van daarvoor" in advice_section(page.text)
    assert "De laatste berekening mislukte" not in page.text  # that line is the solves'
    with Session(engine) as session:
        assert session.get(Round, round_id).status == "proposed"  # type: ignore[union-attr]


def test_a_worker_given_up_on_writes_no_advice(advised, web_settings):
    bureau, round_id, engine, _ = advised
    bureau.post(f"/app/bureau/rounds/{round_id}/advice")
    [job] = advice_jobs(engine)
    with Session(engine) as session:  # claimed by another attempt (a redelivered task)
        row = session.get(Job, job.id)
        assert row is not None
        row.status, row.attempt = JobStatus.running, "the-new-attempt"
        session.add(row)
        session.commit()
    status = jobs.execute_advice(engine, job.id, "the-old-attempt", job.params)
    assert status == JobStatus.running and stored_advice(engine, round_id) is None


def test_an_advice_still_counting_for_an_earlier_proposal_is_refused_in_dutch(advised):
    bureau, round_id, engine, runner = advised
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None and round_.proposal_version_id is not None
        earlier = Job(region_id=round_.region_id, round_id=round_id, kind=JobKind.advice,
                      params={"version_id": round_.proposal_version_id - 1})  # fmt: skip
        session.add(earlier)
        session.commit()
        earlier_id = earlier.id
    page = bureau.post(f"/app/bureau/rounds/{round_id}/advice")
    assert f"Het advies van een eerder voorstel wordt nog uitgerekend (taak {earlier_id})" in (
        page.text
    )
    assert len(advice_jobs(engine)) == 1 and runner.submitted == []
