"""The demo runs a whole round through the job code path and leaves a verifiable publication,
with a working login for each role and a region calibrated to what bureaus see."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.demo import DEMO_REGION, DEMO_SUPPLY, SEED, run_demo
from api.models import (
    Job,
    JobStatus,
    Region,
    Round,
    RoundStatus,
    School,
    SolutionVersion,
    VersionState,
)
from fixtures.region import generate_region
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify
from tests.web.web_helpers import CSRF, login_csrf

LOGIN_LINE = re.compile(r"^  (bureau|school|company) +(\S+@\S+) +(\S+) ", re.MULTILINE)
MAIN_PAGE = {"bureau": "/app/bureau", "school": "/app/school/results", "company": "/app/company"}


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo hashes its passwords as the environment says; here cheaply."""
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "1024")


def test_demo_publishes_a_verified_school_year_with_a_login_per_role(
    database_url, engine, settings, capsys
):
    assert run_demo(database_url=database_url, students=120, schools=2, solve_seconds=0.2) == 0
    out = capsys.readouterr().out
    assert "Region Twente (demo)" in out and "One pupil explained" in out
    assert "Activities planned: excursion" in out and "Techniekdag:" in out
    with Session(engine) as session:
        region = session.exec(select(Region).where(Region.name == DEMO_REGION)).one()
        round_ = session.exec(select(Round).where(Round.region_id == region.id)).one()
        assert round_.status == RoundStatus.published
        published = session.get(SolutionVersion, round_.published_version_id)
        assert published is not None and published.state == VersionState.published
        document, solution = published.round_document, published.solution
        assert verify(parse_round(document), solution) == []
        assert len(solution["assignments"]) + len(solution["unassigned"]) == 120
        # Every problem of the platform has data and answers: a school year to try each role on.
        assert document["calendar"]["holidays"] and document["classes"] and document["teachers"]
        assert solution["activities"] and solution["electives"] and solution["event_sessions"]
        job = session.exec(select(Job).where(Job.round_id == round_.id)).one()
        assert job.status == JobStatus.succeeded
        # The schools are real locations: their DUO street address puts a calendar on the map.
        schools = session.exec(select(School).where(School.region_id == region.id)).all()
        assert schools and all(re.search(r", \d{4} [A-Z]{2} \S", s.address or "") for s in schools)
    # Each printed login works on the API and opens its role's main page.
    logins = LOGIN_LINE.findall(out)
    assert sorted(role for role, _, _ in logins) == ["bureau", "company", "school"]
    with TestClient(create_app(settings, runner="inline")) as client:
        for role, email, password in logins:
            token = client.post(
                "/login/access-token", data={"username": email, "password": password}
            )
            assert token.status_code == 200, (role, token.text)
            me = client.get(
                "/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
            )
            assert me.status_code == 200 and me.json()["role"] == role
            page = TestClient(client.app, follow_redirects=True)
            form = {"email": email, "password": password, "next": MAIN_PAGE[role]}
            signed_in = page.post("/app/login", data={**form, "csrf": login_csrf(page)})
            assert signed_in.status_code == 200 and CSRF.search(signed_in.text), role
            assert signed_in.url.path == MAIN_PAGE[role]


def test_the_demo_region_places_90_to_98_percent_with_one_scarce_profile():
    """The default demo's region at its real size (1,500 pupils, 8 schools): the placements
    alone, which is what the share is about (the demo itself also plans a school year)."""
    document = generate_region(
        students=1500, schools=8, region="Twente", seed=SEED, supply=DEMO_SUPPLY
    )
    solution = solve_round(parse_round(document), deterministic=True)
    school_of = {s["id"]: s["school"] for s in document["students"]}
    profile_of = {s["id"]: s["profile"] for s in document["students"]}
    placed = Counter(school_of[a["student"]] for a in solution["assignments"])
    pupils = Counter(school_of.values())
    shares = [placed[school] / n for school, n in pupils.items()]
    assert 0.90 <= len(solution["assignments"]) / 1500 <= 0.98
    assert sum(0.90 <= share <= 0.98 for share in shares) >= len(shares) * 3 / 4
    assert min(shares) >= 0.90
    unplaced = Counter(profile_of[u["student"]] for u in solution["unassigned"])
    assert unplaced.most_common(1)[0][0] == "PIE"
    assert unplaced["PIE"] > sum(unplaced.values()) / 2


def test_the_scarce_demo_keeps_the_hard_case():
    document = generate_region(students=1500, schools=8, region="Twente", seed=SEED)
    solution = solve_round(parse_round(document), deterministic=True)
    assert len(solution["assignments"]) / 1500 < 0.75


def test_demo_run_twice_replaces_its_region(database_url, engine, capsys):
    assert run_demo(database_url=database_url, students=50, schools=1, solve_seconds=0.2) == 0
    assert run_demo(database_url=database_url, students=60, schools=1, solve_seconds=0.2) == 0
    with Session(engine) as session:
        regions = session.exec(select(Region).where(Region.name == DEMO_REGION)).all()
        assert len(regions) == 1


def test_demo_default_file_is_in_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert run_demo(database_url=None, students=40, schools=1, solve_seconds=0.2) == 0
    assert (tmp_path / "stagebureau-demo.db").exists()
    out = capsys.readouterr().out
    assert "stagebureau-demo.db" in out
    # The command it tells you to run is one that exists from where you are.
    command = out.split("Open it: ")[1].split()[0]
    assert shutil.which(command, path=os.environ["PATH"]) or (tmp_path / command).exists()
    # A local file gets the documented passwords.
    assert "bureau@twente.example    demo-bureau" in out
