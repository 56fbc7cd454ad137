"""`api.db.saved_id` and `api.db.row_of`: the typed ways to a stored row's id and to a row of a
table picked at run time, used instead of `# type: ignore`s."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.db import row_of, saved_id
from api.models import Company, Region, School


def test_saved_id_of_a_stored_row_is_its_database_id(engine: Engine) -> None:
    with Session(engine) as session:
        region = Region(name="Noord")
        session.add(region)
        session.flush()
        assert region.id is not None
        assert saved_id(region) == region.id


def test_saved_id_of_an_unsaved_row_names_its_table() -> None:
    with pytest.raises(ValueError, match="Region has no id: it is not stored yet"):
        saved_id(Region(name="Noord"))


def test_row_of_reads_from_the_table_it_is_given(engine: Engine) -> None:
    with Session(engine) as session:
        region = Region(name="Noord")
        session.add(region)
        session.flush()
        school = School(code="S1", name="Een", region_id=saved_id(region), lat=52.0, lon=5.0)
        session.add(school)
        session.flush()
        table: type[School | Company] = School
        assert row_of(session, table, saved_id(school)) is school
        assert row_of(session, Company, saved_id(school)) is None
