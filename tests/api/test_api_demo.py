"""The demo runs a whole round through the job code path and leaves a verifiable publication."""

from __future__ import annotations

import os
import shutil

from sqlmodel import Session, select

from api.demo import DEMO_REGION, run_demo
from api.models import Job, JobStatus, Region, Round, RoundStatus, SolutionVersion, VersionState
from scheduler.validation import parse_round
from scheduler.verify import verify


def test_demo_publishes_a_verified_solution(database_url, engine, capsys):
    assert run_demo(database_url=database_url, students=300) == 0
    out = capsys.readouterr().out
    assert "Region Twente (demo)" in out and "One pupil explained" in out
    with Session(engine) as session:
        region = session.exec(select(Region).where(Region.name == DEMO_REGION)).one()
        round_ = session.exec(select(Round).where(Round.region_id == region.id)).one()
        assert round_.status == RoundStatus.published
        published = session.get(SolutionVersion, round_.published_version_id)
        assert published is not None and published.state == VersionState.published
        assert verify(parse_round(published.round_document), published.solution) == []
        assert len(published.solution["assignments"]) + len(published.solution["unassigned"]) == 300
        job = session.exec(select(Job).where(Job.round_id == round_.id)).one()
        assert job.status == JobStatus.succeeded


def test_demo_run_twice_replaces_its_region(database_url, engine, capsys):
    assert run_demo(database_url=database_url, students=50) == 0
    assert run_demo(database_url=database_url, students=60) == 0
    with Session(engine) as session:
        regions = session.exec(select(Region).where(Region.name == DEMO_REGION)).all()
        assert len(regions) == 1


def test_demo_default_file_is_in_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert run_demo(database_url=None, students=40) == 0
    assert (tmp_path / "stagebureau-demo.db").exists()
    out = capsys.readouterr().out
    assert "stagebureau-demo.db" in out
    # The command it tells you to run is one that exists from where you are.
    command = out.split("Browse it: ")[1].split()[1]
    assert shutil.which(command, path=os.environ["PATH"]) or (tmp_path / command).exists()
