"""`stagebureau demo`: a whole placement round of an example region, end to end, in seconds.

It goes the way a bureau would on the platform: the region and its data into the database, a
round opened as a frozen snapshot, a solve job run through the very code the API's workers run,
the proposal verified against its round, published, and summarised in plain words.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from api.auth import hash_password
from api.db import create_db, make_engine, saved_id, session_scope
from api.jobs import InlineRunner
from api.models import (
    Job,
    JobKind,
    JobStatus,
    Region,
    Role,
    Round,
    SolutionVersion,
    User,
    utcnow,
)
from api.services import rounds, solves
from api.settings import Settings
from api.teardown import delete_region
from scheduler.contract.round import ROUND_FORMAT
from scheduler.explain import explain_student
from scheduler.validation import parse_round
from scheduler.verify import verify

DEMO_REGION = "Twente (demo)"
DEMO_FILE = "stagebureau-demo.db"
DEMO_USER, DEMO_PASSWORD = "bureau@twente.example", "demo-password"
EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "examples" / "twente-small.json"


def example_round(students: int) -> dict[str, Any]:
    """The example region: generated when the fixtures package is there, else a stored one."""
    try:
        from fixtures.region import generate_region

        return generate_region(students=students, schools=8, region="Twente", seed=1)
    except Exception:
        if EXAMPLE.exists():
            return json.loads(EXAMPLE.read_text(encoding="utf-8"))
        return _tiny_round()


def _tiny_round() -> dict[str, Any]:
    school = {"id": "S1", "name": "Vmbo Enschede", "lat": 52.22, "lon": 6.89, "periods": ["P3"]}
    company = {"id": "C1", "name": "Jansen", "lat": 52.23, "lon": 6.88, "sectors": ["energie"]}
    return {
        "format": ROUND_FORMAT,
        "name": "Enschede tiny (built in)",
        "schools": [school],
        "companies": [company],
        "placements": [{"id": "PL1", "company": "C1", "capacity": {"P3": 2}, "profiles": ["PIE"]}],
        "students": [
            {"id": f"st{i}", "school": "S1", "profile": "PIE", "track": "kb", "year": 3}
            for i in range(1, 4)
        ],
    }


def demo_database_url(database_url: str | None) -> str:
    """The URL given, else DATABASE_URL, else a SQLite file in the current directory."""
    return database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEMO_FILE}"


def run_demo(*, database_url: str | None, students: int) -> int:
    """Run the example round end to end, print a summary and return the exit status (0)."""
    url = demo_database_url(database_url)
    sqlite_file = _fresh_sqlite_file(url)
    engine = make_engine(url)
    create_db(engine)
    settings = Settings(database_url=url, solve_time_limit=20.0)
    document = example_round(students)

    with session_scope(engine) as session:
        old = session.exec(select(Region).where(Region.name == DEMO_REGION)).first()
        if old is not None:  # a shared database: only the demo's own region is replaced
            delete_region(session, saved_id(old))
    with session_scope(engine) as session:
        from api.converters import import_document

        region = Region(name=DEMO_REGION, plan_budget_eur=250_000.0)
        session.add(region)
        session.flush()
        counts = import_document(session, region, document)
        bureau = None
        if sqlite_file is not None:  # a known password only ever goes into a local demo file
            bureau = User(
                email=DEMO_USER,
                role=Role.bureau,
                region_id=saved_id(region),
                hashed_password=hash_password(DEMO_PASSWORD),
            )
            session.add(bureau)
            session.flush()
        opened = rounds.open_round(session, region, document.get("name", "demo"), bureau)
        solve = solves.create_job(session, opened, JobKind.solve, settings, "inline", bureau)
        job_id, round_id = saved_id(solve), saved_id(opened)

    InlineRunner(url, engine).submit(job_id)

    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        if job.status != JobStatus.succeeded:
            print(f"demo: the solve job ended {job.status}: {job.message}")
            return 1
        round_ = session.get(Round, round_id)
        assert round_ is not None
        proposal = session.get(SolutionVersion, round_.proposal_version_id)
        assert proposal is not None
        violations = verify(parse_round(proposal.round_document), proposal.solution)
        if violations:
            print(f"demo: the proposal breaks {len(violations)} rule(s): {violations[0]}")
            return 1
        deadline = rounds.default_deadline(settings, utcnow().date())
        published = rounds.publish(session, round_, bureau, deadline)
        print(_summary(session, region, counts, published, url, sqlite_file))
    engine.dispose()
    return 0


def _fresh_sqlite_file(url: str) -> Path | None:
    """For a SQLite file URL, delete the file (and its WAL) so each demo starts clean."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    path = Path(parsed.database).resolve()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def _summary(
    session: Session,
    region: Region,
    counts: dict[str, int],
    version: SolutionVersion,
    url: str,
    sqlite_file: Path | None,
) -> str:
    document, solution = version.round_document, version.solution
    round_ = parse_round(document)
    placed_by_school: Counter[str] = Counter()
    for a in solution["assignments"]:
        placed_by_school[round_.students[a["student"]].school] += 1
    pupils_by_school = Counter(s.school for s in round_.students.values())
    total = len(round_.students)
    placed = len(solution["assignments"])
    lines = [
        f"Region {region.name}: {counts['schools']} schools, {counts['companies']} companies, "
        f"{counts['placements']} placements, {total} pupils",
        f"Round {document.get('name')!r}: {solution['status']}, placed {placed}/{total} "
        f"({placed / max(total, 1):.0%}), cost {solution['objective'].get('cost')}, "
        f"solved in {solution['stats'].get('solve_seconds')}s; published as version "
        f"{version.number}",
        "Placed per school:",
    ]
    for code, school in round_.schools.items():
        n = pupils_by_school[code]
        if n:
            share = placed_by_school[code] / n
            lines.append(
                f"  {code} {school.name[:50]:<50} {placed_by_school[code]:>4}/{n:<4} {share:.0%}"
            )
    reasons = Counter(u["reason"] for u in solution["unassigned"])
    if reasons:
        lines.append(
            "Top reasons for the unplaced: "
            + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common(3))
        )
    example = (solution["unassigned"] or solution["assignments"])[0]["student"]
    lines.append("One pupil explained:")
    lines += ["  " + line for line in explain_student(round_, solution, example).splitlines()]
    where = f"SQLite file {sqlite_file}" if sqlite_file else make_url(url).render_as_string()
    lines.append(f"Stored in {where}")
    if sqlite_file:
        lines.append(
            f"Browse it: DATABASE_URL=sqlite:///{sqlite_file} {_command()} serve, "
            f"log in as {DEMO_USER} / {DEMO_PASSWORD}"
        )
    return "\n".join(lines)


def _command() -> str:
    """How to call `stagebureau` from here: by name when it is on the PATH (an active venv),
    else the virtual environment's script, relative to the current directory when inside it."""
    script = Path(sys.executable).with_name("stagebureau")
    if shutil.which("stagebureau") == str(script):
        return "stagebureau"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)
