"""Every bureau page of a region at size (issue 14): server time and weight of each view.

    python -m benchmarks.round_page [--students 20000] [--schools 35] [--seed 1] [--repeat 5]
                                    [--reuse FILE]

Builds a region with `fixtures.region.generate_region` into a fresh SQLite file (`--reuse FILE`
builds it into FILE once and measures a copy of it on every run), opens a round, stores the
scheduler's own solution of it as the proposal (solved once, deterministic, no job), then asks
the pages through the app in this process (FastAPI's TestClient, a bureau signed in through the
sign-in page): `first` is a view's first answer in the process, `median` the median of the next
`--repeat`. In order: the rounds list; the round page with its dashboard and its lists' parts
(placed and unplaced pupils filtered by school, reason, profile and company, a code search, the
companies' load); one pupil's pin choices (the first in the process: its version's offer not
yet decoded) and those of 20 other pupils once each; the one-more-seat advice asked by its
button and counted by a worker process as `stagebureau serve` runs one (the button's answer,
the page and the progress while it counts, the page with the advice); the map (of the round and
of the region), the menu, a company's page, the stop moves, the school year, event days,
feedback, placement requests, agreements and the to-do; then the proposal published (the round
page, which now lists what the companies have not answered, and the company's page again); a
re-solve with one pin and the versions' diff; last the results page of the school with the most
pupils and the pupils page of the company with the most pupils, each signed in as its own user.
`bytes` is the HTML sent. The reference, measured in the same run, is the time it takes to read
the stored version's two JSON documents with `json.loads`: what any view costs that touches the
whole solution; `ratio` is each view's median over it. Target (issue 14): every view, its first
answer included, under 1 s and 1 MB at 20,000 pupils.

It is the one benchmark that imports the platform (`api`): the pages are what it measures.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api import version_index
from api.app import create_app
from api.auth import hash_password
from api.converters import import_document
from api.db import create_db, make_engine, saved_id
from api.jobs import InlineRunner, LocalRunner
from api.models import (
    Company,
    Job,
    JobKind,
    JobStatus,
    PinCreate,
    Region,
    Role,
    Round,
    RoundStatus,
    School,
    SolutionVersion,
    User,
    VersionPupil,
)
from api.services import pins, round_pages, rounds, solves
from api.settings import Settings
from fixtures.region import generate_region
from scheduler.solve import solve_round
from scheduler.validation import parse_round

EMAIL, PASSWORD = "bureau@benchmark.example", "benchmark-password"
SCHOOL_EMAIL = "school@benchmark.example"
COMPANY_EMAIL = "company@benchmark.example"
TARGET_SECONDS, TARGET_BYTES = 1.0, 1_000_000
PIN_PUPILS = 20  # pupils whose pin choices are each asked once
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def build_region(database_url: str, students: int, schools: int, seed: int) -> int:
    """A region with one round whose proposal is the scheduler's solution; returns the round id."""
    document = generate_region(students=students, schools=schools, seed=seed)
    engine = make_engine(database_url)
    create_db(engine)
    with Session(engine) as session:
        region = Region(name="Benchmark")
        session.add(region)
        session.flush()
        import_document(session, region, document)
        bureau = User(email=EMAIL, role=Role.bureau, region_id=saved_id(region),
                      hashed_password=hash_password(PASSWORD))  # fmt: skip
        # The coordinator of the school with the most pupils: its results page is measured too.
        biggest = Counter(s["school"] for s in document["students"]).most_common(1)[0][0]
        school = session.exec(select(School).where(School.code == biggest)).one()
        coordinator = User(
            email=SCHOOL_EMAIL,
            role=Role.school,
            region_id=saved_id(region),
            school_id=school.id,
            hashed_password=hash_password(PASSWORD),
        )
        session.add_all([bureau, coordinator])
        session.commit()
        round_ = rounds.open_round(session, region, "Benchmark", bureau)
        frozen = round_.document
        solution = solve_round(parse_round(frozen), deterministic=True, workers=1)
        # The contact of the company with the most pupils: its pupils page is measured too.
        busiest = Counter(a["company"] for a in solution["assignments"]).most_common(1)
        company = session.exec(select(Company).where(Company.code == busiest[0][0])).one()
        contact = User(
            email=COMPANY_EMAIL,
            role=Role.company,
            region_id=saved_id(region),
            company_id=company.id,
            hashed_password=hash_password(PASSWORD),
        )
        session.add(contact)
        version = SolutionVersion(round_id=saved_id(round_), number=1, kind=JobKind.solve,
                                  round_document=frozen, solution=dict(solution))  # fmt: skip
        session.add(version)
        session.flush()
        started = time.perf_counter()
        version_index.build(session, version)  # as `api.jobs.store_result` does
        print(f"index of the version built in {time.perf_counter() - started:.2f} s")
        round_.proposal_version_id = version.id
        round_.status = RoundStatus.proposed
        session.add(round_)
        session.commit()
        round_id = saved_id(round_)
    engine.dispose()
    return round_id


def reference_seconds(database_url: str, round_id: int, repeat: int) -> float:
    """Median time to `json.loads` the stored round document and solution of the proposal."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        query = select(SolutionVersion).where(SolutionVersion.round_id == round_id)
        version = session.exec(query).one()
        texts = [json.dumps(version.round_document), json.dumps(version.solution)]
    engine.dispose()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            json.loads(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def signed_in(client: TestClient, email: str = EMAIL) -> None:
    form = CSRF.search(client.get("/app/login").text)
    assert form is not None
    page = client.post("/app/login", data={"email": email, "password": PASSWORD, "next": "/app",
                                           "csrf": form.group(1)})  # fmt: skip
    assert page.status_code == 200, page.text[:300]


def views(database_url: str, round_id: int) -> list[tuple[str, str]]:
    """(label, url) of each view of the proposal measured, its filters taken from the round's
    own index."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None and round_.proposal_version_id is not None
        facets = version_index.summary(session, round_.proposal_version_id).facets
        pupil = capacity_pupil(session, round_.proposal_version_id)
    engine.dispose()
    school, company = facets["schools"][0][0], facets["companies"][0][0]
    base = f"/app/bureau/rounds/{round_id}"
    return [
        ("rounds", "/app/bureau"),
        ("round page", base),
        ("unplaced, page 3", f"{base}/unplaced?page=3"),
        ("unplaced, school + reason", f"{base}/unplaced?school={school}&reason=CAPACITY"),
        ("placed, page 40", f"{base}/placed?page=40"),
        ("placed, school + profile", f"{base}/placed?school={school}&profile=PIE"),
        ("placed, company", f"{base}/placed?company={company}"),
        ("placed, code search", f"{base}/placed?q={(pupil or 'st1')[:-1]}"),
        ("companies, page 2", f"{base}/companies?page=2"),
        ("pin choices", f"{base}/pin-choices/{pupil}"),
    ]


def capacity_pupil(session: Session, version_id: int) -> str:
    """A pupil left out for capacity that takes any placement: its pin choices are many."""
    candidates = session.exec(
        select(VersionPupil).where(
            VersionPupil.version_id == version_id, VersionPupil.reason == "CAPACITY"
        )
    ).all()
    return next(
        (p.student for p in candidates if p.record.get("accept_unranked", True)),
        candidates[0].student if candidates else "",
    )


def other_pupils(database_url: str, round_id: int, count: int) -> list[str]:
    """`count` pupils spread over the proposal, half placed and half not: each one's pin
    choices are a first view of that pupil."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None
        chosen = []
        for placed in (False, True):
            codes = session.exec(
                select(VersionPupil.student)
                .where(
                    VersionPupil.version_id == round_.proposal_version_id,
                    VersionPupil.placed == placed,
                )
                .order_by(col(VersionPupil.student))
            ).all()
            step = max(1, len(codes) // (count // 2))
            chosen += list(codes[::step][: count // 2])
    engine.dispose()
    return chosen


def measure(client: TestClient, url: str, repeat: int) -> tuple[float, float, int, int]:
    """(first, median, bytes, status) of `repeat` GETs of `url`."""
    times, size, status = [], 0, 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        partial = "?" in url or "pin-choices" in url or "/progress" in url  # what htmx asks for
        answer = client.get(url, headers={"HX-Request": "true"} if partial else {})
        times.append(time.perf_counter() - started)
        size, status = len(answer.content), answer.status_code
    return times[0], statistics.median(times[1:]), size, status


class Table:
    """The printed rows, and whether every one met the target."""

    def __init__(self, reference: float) -> None:
        self.reference, self.met = reference, True
        print(f"{'view':<34}{'first':>9}{'median':>9}{'ratio':>7}{'bytes':>11}  status")

    def row(self, label: str, first: float, median: float, size: int, status: int) -> None:
        ok = status in (200, 303) and max(first, median) < TARGET_SECONDS and size < TARGET_BYTES
        self.met = self.met and ok
        flag = "" if ok else "  OVER"
        print(f"{label:<34}{1000 * first:>7.0f}ms{1000 * median:>7.0f}ms"
              f"{median / self.reference:>7.2f}{size:>11,}  {status}{flag}")  # fmt: skip

    def view(self, client: TestClient, label: str, url: str, repeat: int) -> None:
        self.row(label, *measure(client, url, repeat))


def run(
    students: int, schools: int, seed: int, repeat: int, folder: Path, reuse: Path | None
) -> bool:
    """Print one row per view; True when every view met the target (first view included)."""
    url = f"sqlite:///{folder / 'round_page.db'}"
    started = time.perf_counter()
    if reuse is not None and not reuse.exists():
        build_region(f"sqlite:///{reuse}", students, schools, seed)
    if reuse is not None:
        shutil.copyfile(reuse, folder / "round_page.db")
        round_id = first_round(url)
    else:
        round_id = build_region(url, students, schools, seed)
    print(f"{students:,} pupils, {schools} schools: region, round and solution stored in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    reference = reference_seconds(url, round_id, repeat)
    print(f"reference: json.loads of the stored round and solution {1000 * reference:.0f} ms")
    settings = Settings(database_url=url, redis_url=None, argon2_time_cost=1,
                        argon2_memory_kib=1024, solve_deterministic=True,
                        solve_workers=1)  # fmt: skip
    app = create_app(settings, runner="inline")
    base = f"/app/bureau/rounds/{round_id}"
    with TestClient(app) as client:
        signed_in(client)
        table = Table(reference)
        for label, path in views(url, round_id):
            table.view(client, label, path, repeat)
        times, size, status = [], 0, 200
        for pupil in other_pupils(url, round_id, PIN_PUPILS):
            asked = time.perf_counter()
            answer = client.get(f"{base}/pin-choices/{pupil}", headers={"HX-Request": "true"})
            times.append(time.perf_counter() - asked)
            size = max(size, len(answer.content))
            status = max(status, answer.status_code)
        table.row(f"pin choices, {PIN_PUPILS} pupils (max)", max(times),
                  statistics.median(times), size, status)  # fmt: skip
        advise(client, app, url, round_id, table, repeat)
        for label, path in bureau_pages(url, round_id):
            table.view(client, label, path, repeat)
        table.view(client, "round page, published", publish(url, round_id), repeat)
        table.view(client, "company page, published", company_page(url), repeat)
        resolve_with_pin(url, round_id, settings)
        table.view(client, "round page, re-solved", base, repeat)
        table.view(client, "versions: diff", f"{base}/diff", repeat)
        for label, email, path in (
            ("school results", SCHOOL_EMAIL, "/app/school/results"),
            ("school results, page 2", "", "/app/school/results?page=2"),
            ("company pupils", COMPANY_EMAIL, "/app/company/pupils"),
        ):
            if email:
                client.cookies.clear()
                signed_in(client, email)
            table.view(client, label, path, repeat)
    return table.met


def advise(
    client: TestClient, app: Any, url: str, round_id: int, table: Table, repeat: int
) -> None:
    """The one-more-seat advice asked as the page asks it, counted by a worker process as
    `stagebureau serve` runs one: the answer to the button, the page while it counts, its
    progress, and the page with the advice."""
    base = f"/app/bureau/rounds/{round_id}"
    inline, app.state.runner = app.state.runner, LocalRunner(url, app.state.engine)
    form = CSRF.search(client.get(base).text)
    assert form is not None
    started = time.perf_counter()
    answer = client.post(f"{base}/advice", data={"csrf": form.group(1)}, follow_redirects=False)
    asked = time.perf_counter() - started
    table.row("advice: the button's answer", asked, asked, len(answer.content), answer.status_code)
    engine = make_engine(url)
    with Session(engine) as session:
        job_id = session.exec(
            select(Job.id).where(Job.kind == JobKind.advice).order_by(col(Job.id).desc())
        ).first()
    table.view(client, "round page, advice counting", base, 1)
    table.view(client, "advice progress", f"/app/bureau/jobs/{job_id}/progress", 1)
    while True:
        with Session(engine) as session:
            job = session.get(Job, job_id)
            assert job is not None
            if job.status not in ("queued", "running"):
                break
        time.sleep(0.2)
    engine.dispose()
    counted = (job.finished_at - job.created_at).total_seconds() if job.finished_at else 0.0
    print(f"  advice job {job.status} in {counted:.1f} s after the button ({job.message})")
    app.state.runner = inline
    table.view(client, "round page, with advice", base, repeat)


def bureau_pages(url: str, round_id: int) -> list[tuple[str, str]]:
    """The bureau's other pages of a region this size."""
    return [
        ("map of the round", f"/app/bureau/map?round_id={round_id}"),
        ("map of the region", "/app/bureau/map"),
        ("menu", "/app/bureau/menu"),
        ("company page", company_page(url)),
        ("stop moves", f"/app/bureau/rounds/{round_id}/stop-moves"),
        ("school year", "/app/bureau/calendar"),
        ("event days", "/app/bureau/events"),
        ("feedback", "/app/bureau/feedback"),
        ("placement requests", "/app/bureau/requests"),
        ("agreements", "/app/agreements"),
        ("to-do", "/app/todo"),
    ]


def company_page(url: str) -> str:
    """The bureau's page of the company with the most pupils."""
    engine = make_engine(url)
    with Session(engine) as session:
        contact = session.exec(select(User).where(User.email == COMPANY_EMAIL)).one()
    engine.dispose()
    return f"/app/bureau/companies/{contact.company_id}"


def first_round(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        round_id = session.exec(select(Round.id).order_by(col(Round.id))).first()
    engine.dispose()
    assert round_id is not None
    return round_id


def resolve_with_pin(url: str, round_id: int, settings: Settings) -> None:
    """A new proposal after the publication: one pupil left out for capacity pinned to its
    first choice and the round re-solved (as the page's job does), so the diff has changes."""
    engine = make_engine(url)
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None and round_.proposal_version_id is not None
        bureau = session.exec(select(User).where(User.email == EMAIL)).one()
        pupil = capacity_pupil(session, round_.proposal_version_id)
        choice = round_pages.pin_choices(session, bureau, round_id, pupil)[0]
        pins.create_pin(session, bureau, round_id, PinCreate(student=pupil,
                        placement=choice["placement"], period=choice["period"]))  # fmt: skip
        started = time.perf_counter()
        job = solves.resolve(session, bureau, round_id, settings, InlineRunner(url, engine))
        print(f"  re-solve with one pin: {job.status} in {time.perf_counter() - started:.1f} s"
              f" ({job.message[:120]})")  # fmt: skip
        if job.status != JobStatus.succeeded:
            raise SystemExit(f"the re-solve ended {job.status}: {job.message}")
    engine.dispose()


def publish(database_url: str, round_id: int) -> str:
    """Publish the proposal (its index is copied, as on the platform); the round page's URL."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        assert round_ is not None
        bureau = session.exec(select(User).where(User.email == EMAIL)).one()
        rounds.publish(session, round_, bureau, date.today() + timedelta(days=14))
    engine.dispose()
    return f"/app/bureau/rounds/{round_id}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.round_page")
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--schools", type=int, default=35)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", type=Path, help="build the region into this SQLite file "
                        "once and measure a copy of it on every run")  # fmt: skip
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        met = run(arguments.students, arguments.schools, arguments.seed, arguments.repeat,
                  Path(folder), arguments.reuse)  # fmt: skip
    print("target (every view under 1 s and 1 MB):", "met" if met else "NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
