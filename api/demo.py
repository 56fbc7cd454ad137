"""`stagebureau demo`: a whole placement round of an example region, end to end, in seconds.

It goes the way a bureau would on the platform: the region and its data into the database, a
round opened as a frozen snapshot, a solve job run through the very code the API's workers run,
the proposal verified against its round, published, and summarised in plain words.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from api.auth import configure_hashing, hash_password
from api.db import create_db, make_engine, saved_id, session_scope
from api.demo_records import import_school_year
from api.jobs import InlineRunner
from api.models import (
    Company,
    Job,
    JobKind,
    JobStatus,
    Region,
    Role,
    Round,
    School,
    SolutionVersion,
    User,
    utcnow,
)
from api.school_year import holidays_between
from api.services import rounds, solves
from api.settings import Settings
from api.teardown import delete_region
from fixtures.activities import add_activities
from fixtures.data import school_addresses
from fixtures.electives import add_electives
from fixtures.events import event_day
from fixtures.region import RecruitedSupply, generate_region
from scheduler.contract.round import ROUND_FORMAT
from scheduler.explain import explain_student
from scheduler.validation import parse_round
from scheduler.verify import verify

DEMO_REGION = "Twente (demo)"
DEMO_FILE = "stagebureau-demo.db"
DEMO_SCHOOLS = 8
EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "examples" / "twente-small.json"
# Fixed passwords only ever go into a local demo file (README lists them); any other database
# gets random ones, printed once.
DEMO_LOGINS = {
    Role.bureau: ("bureau@twente.example", "demo-bureau"),
    Role.school: ("school@twente.example", "demo-school"),
    Role.company: ("company@twente.example", "demo-company"),
}
# What regions see: seats for every profile near its pupils, short in one. `--scarce` keeps
# the generator's default supply, the hard case of a bureau that has recruited nothing yet.
DEMO_SUPPLY = RecruitedSupply(seats_per_pupil=1.3, scarce={"PIE": 0.8})
SCARCITY_WHY = {
    "PIE": "the demo's scarce profile: installers, busy with the energy transition, host few",
}
SCARCE_WHY = "--scarce: companies where the population is, sectors by the economy's shares"
HOLIDAY_REGION = "Noord"  # Twente's holiday region
ELECTIVE_SHARE = 0.10  # of the pupils ask for a cross-school elective
EVENT_YEAR, EVENT_COMPANIES, EVENT_ROUNDS = 3, 12, 3  # the techniekdag of the year-3 pupils
SEED = 1
SOLVE_SECONDS = 1.0  # deterministic work units: the same plan on any machine, in seconds


def example_round(
    students: int, *, schools: int = DEMO_SCHOOLS, scarce: bool = False
) -> dict[str, Any]:
    """The example region with its school year (calendar, classes, teachers, offers, electives,
    a techniekdag), generated from the real data in `../shared/data`; without that data, the
    stored example round."""
    supply = None if scarce else DEMO_SUPPLY
    try:
        document = generate_region(
            students=students, schools=schools, region="Twente", seed=SEED, supply=supply
        )
    except OSError:  # the data directory is not there (an installed package)
        if EXAMPLE.exists():
            stored: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
            return stored
        return _tiny_round()
    return _with_school_year(document)


def _with_school_year(document: dict[str, Any]) -> dict[str, Any]:
    """Activities on the calendar of holiday region Noord, electives for a tenth of the pupils
    and a techniekdag for those of year 3."""
    document = add_activities(document, seed=SEED)
    calendar = document["calendar"]
    start, end = date.fromisoformat(calendar["start"]), date.fromisoformat(calendar["end"])
    calendar["holidays"] = [
        [first.isoformat(), last.isoformat()]
        for first, last, _ in holidays_between(HOLIDAY_REGION, start, end)
    ]
    requests = max(1, round(ELECTIVE_SHARE * len(document["students"])))
    document = add_electives(document, requests=requests, seed=SEED)
    del document["timetables"]  # every school free in every elective slot
    pupils = [s for s in document["students"] if s["year"] == EVENT_YEAR] or document["students"]
    hosts = min(EVENT_COMPANIES, len(document["companies"]))
    day = event_day(
        document, pupils, companies=hosts, rounds=EVENT_ROUNDS, rng=np.random.default_rng(SEED)
    )
    return {
        **document,
        "events": day["events"],
        "sessions": day["sessions"],
        "event_requests": day["event_requests"],
    }


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


def run_demo(
    *,
    database_url: str | None,
    students: int,
    schools: int = DEMO_SCHOOLS,
    scarce: bool = False,
    solve_seconds: float = SOLVE_SECONDS,
) -> int:
    """Run the example region's round end to end, print a summary with a login per role and
    return the exit status (0; 1 when the solve failed or its proposal breaks a rule).
    `solve_seconds` bounds the activity plan's search in deterministic work units."""
    url = demo_database_url(database_url)
    sqlite_file = _fresh_sqlite_file(url)
    engine = make_engine(url)
    create_db(engine)
    settings = Settings(database_url=url, solve_time_limit=solve_seconds, solve_deterministic=True)
    configure_hashing(settings.argon2_time_cost, settings.argon2_memory_kib)
    document = example_round(students, schools=schools, scarce=scarce)
    passwords = _passwords(known=sqlite_file is not None)

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
        _school_addresses(session, region)
        import_school_year(session, region, document)
        bureau = _user(session, region, Role.bureau, passwords[Role.bureau])
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
        region = session.exec(select(Region).where(Region.name == DEMO_REGION)).one()
        bureau = session.exec(select(User).where(User.region_id == region.id)).one()
        deadline = rounds.default_deadline(settings, utcnow().date())
        published = rounds.publish(session, round_, bureau, deadline)
        logins = _accounts(session, region, published, passwords)
        print(_summary(region, counts, published, scarce))
        print(_logins(logins, url, sqlite_file))
    engine.dispose()
    return 0


def _school_addresses(session: Session, region: Region) -> None:
    """The demo's schools are real vbo locations: give them the address DUO lists, so their
    calendar events carry a LOCATION a phone can route to."""
    addresses = school_addresses()
    for school in session.exec(select(School).where(School.region_id == region.id)).all():
        school.address = addresses.get(school.code)
        session.add(school)


def _passwords(*, known: bool) -> dict[Role, str]:
    """The documented demo passwords for a local file, else a random one per role."""
    if known:
        return {role: password for role, (_, password) in DEMO_LOGINS.items()}
    return {role: secrets.token_urlsafe(12) for role in DEMO_LOGINS}


def _user(
    session: Session,
    region: Region,
    role: Role,
    password: str,
    *,
    school_id: int | None = None,
    company_id: int | None = None,
) -> User:
    user = User(
        email=DEMO_LOGINS[role][0],
        role=role,
        region_id=saved_id(region),
        school_id=school_id,
        company_id=company_id,
        hashed_password=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _busiest(version: SolutionVersion) -> tuple[str, str]:
    """The school with the most pupils and the company with the most placed pupils and
    planned activities: the accounts whose pages show the most."""
    document, solution = version.round_document, version.solution
    pupils = Counter(s["school"] for s in document["students"])
    company_of = {p["id"]: p["company"] for p in document["placements"]}
    work = Counter(company_of[a["placement"]] for a in solution["assignments"])
    work.update(a["company"] for a in solution.get("activities", []))
    school = min(pupils, key=lambda code: (-pupils[code], code))
    company = min(work or {document["companies"][0]["id"]: 0}, key=lambda c: (-work[c], c))
    return school, company


def _accounts(
    session: Session, region: Region, version: SolutionVersion, passwords: dict[Role, str]
) -> list[tuple[Role, str, str]]:
    """Add the school and company accounts (the bureau's opened the round); each role's
    password and whom it signs in as."""
    school_code, company_code = _busiest(version)
    school = session.exec(
        select(School).where(School.region_id == region.id, School.code == school_code)
    ).one()
    company = session.exec(
        select(Company).where(Company.region_id == region.id, Company.code == company_code)
    ).one()
    _user(session, region, Role.school, passwords[Role.school], school_id=saved_id(school))
    _user(session, region, Role.company, passwords[Role.company], company_id=saved_id(company))
    return [
        (Role.bureau, passwords[Role.bureau], f"region {region.name}"),
        (Role.school, passwords[Role.school], f"school {school.code} {school.name}"),
        (Role.company, passwords[Role.company], f"company {company.code} {company.name}"),
    ]


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


def _summary(region: Region, counts: dict[str, int], version: SolutionVersion, scarce: bool) -> str:
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
        *_school_year_lines(document),
        f"Round {document.get('name')!r}: {solution['status']}, placed {placed}/{total} "
        f"({placed / max(total, 1):.0%}), cost {solution['objective'].get('cost')}, "
        f"solved in {solution['stats'].get('solve_seconds')}s; published as version "
        f"{version.number}",
        *_scarcity_lines(document, scarce),
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
    lines += _activity_lines(document, solution)
    example = (solution["unassigned"] or solution["assignments"])[0]["student"]
    lines.append("One pupil explained:")
    lines += ["  " + line for line in explain_student(round_, solution, example).splitlines()]
    return "\n".join(lines)


def _school_year_lines(document: dict[str, Any]) -> list[str]:
    calendar = document.get("calendar")
    if not calendar:
        return []
    return [
        f"Calendar {calendar['start']} to {calendar['end']} (holiday region "
        f"{HOLIDAY_REGION}, {len(calendar['holidays'])} holiday ranges); "
        f"{len(document.get('classes', []))} classes, {len(document.get('teachers', []))} "
        f"teachers, {len(document.get('offers', []))} offers, "
        f"{len(document.get('electives', []))} electives, "
        f"{len(document.get('events', []))} event day(s)"
    ]


def _scarcity_lines(document: dict[str, Any], scarce: bool) -> list[str]:
    """The profiles with fewer places of their own than pupils, and why. A place open to
    every profile is shared by all of them, so it is counted apart."""
    pupils = Counter(s["profile"] for s in document["students"])
    own: Counter[str] = Counter()
    shared = 0
    for p in document["placements"]:
        seats = sum(p["capacity"].values())
        shared += 0 if p.get("profiles") else seats
        own.update({profile: seats for profile in p.get("profiles", [])})
    short = [p for p in sorted(pupils) if own[p] < pupils[p]]
    lines = [_period_line(document)]
    if not short:
        return [*lines, "Scarce: no profile has fewer places than pupils"]
    lines += [f"Scarce profiles ({SCARCE_WHY if scarce else 'places of their own'}):"]
    for profile in short:
        why = "" if scarce else f" ({SCARCITY_WHY.get(profile, 'few companies')})"
        also = f", {shared} more open to every profile" if shared else ""
        lines.append(f"  {profile}: {pupils[profile]} pupils, {own[profile]} places{also}{why}")
    return lines


def _period_line(document: dict[str, Any]) -> str:
    """Places per period against the pupils whose school uses it: where periods go short."""
    periods = {s["id"]: s.get("periods", []) for s in document["schools"]}
    pupils: Counter[str] = Counter()
    for student in document["students"]:
        pupils.update(student.get("periods") or periods[student["school"]])
    seats: Counter[str] = Counter()
    for p in document["placements"]:
        seats.update(p["capacity"])
    return "Places per period (pupils whose school uses it): " + ", ".join(
        f"{period} {seats[period]} ({pupils[period]})" for period in sorted(seats | pupils)
    )


def _activity_lines(document: dict[str, Any], solution: dict[str, Any]) -> list[str]:
    lines = []
    if document.get("classes") or document.get("teachers"):
        planned = Counter(a["kind"] for a in solution.get("activities", []))
        asked: Counter[str] = Counter()
        for requester in document.get("classes", []) + document.get("teachers", []):
            asked.update(requester.get("demand", {}))
        lines.append(
            "Activities planned: "
            + ", ".join(f"{kind} {planned[kind]}/{asked[kind]}" for kind in sorted(asked))
        )
        unplanned = Counter(u["reason"] for u in solution.get("unplanned", []))
        if unplanned:
            lines.append(
                "  not planned: " + ", ".join(f"{r} {n}" for r, n in unplanned.most_common())
            )
    if document.get("elective_requests"):
        asked_electives = sum(r.get("count", 1) for r in document["elective_requests"])
        lines.append(
            f"Electives granted: {solution['objective'].get('electives_granted', 0)}/"
            f"{asked_electives} asked by {len(document['elective_requests'])} pupils"
        )
        short = Counter(u["reason"] for u in solution.get("elective_unassigned", []))
        if short:
            lines.append("  not granted: " + ", ".join(f"{r} {n}" for r, n in short.most_common()))
    if document.get("event_requests"):
        rounds_of = {e["id"]: e["rounds"] for e in document.get("events", [])}
        asked_sessions = sum(
            r.get("count") or rounds_of[r["event"]] for r in document["event_requests"]
        )
        lines.append(
            f"Techniekdag: {solution['objective'].get('event_sessions_granted', 0)}/"
            f"{asked_sessions} sessions for {len(document['event_requests'])} pupils"
        )
    return lines


def _logins(logins: list[tuple[Role, str, str]], url: str, sqlite_file: Path | None) -> str:
    """Where it is stored, how to open it, and a working login per role."""
    where = f"SQLite file {sqlite_file}" if sqlite_file else make_url(url).render_as_string()
    database = f"sqlite:///{sqlite_file}" if sqlite_file else "$DATABASE_URL"
    lines = [
        f"Stored in {where}",
        f"Open it: {_command()} serve --database {database}",
        "  then http://127.0.0.1:8000/app and log in as",
    ]
    for role, password, who in logins:
        lines.append(f"  {role:<8} {DEMO_LOGINS[role][0]:<24} {password:<18} {who}")
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
