"""A school's timetable over HTTP: the free dayparts of its classes and teachers, read and
written whole at the versions read (`api.services.timetables`)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SchoolOrBureau, SessionDep
from api.services import timetables
from api.services.timetables import Timetable

router = APIRouter(tags=["timetables"])


@router.get("/timetables/{school_id}", response_model=Timetable)
def read_timetable(school_id: int, session: SessionDep, user: SchoolOrBureau) -> Timetable:
    """The free dayparts of every class and teacher of a school."""
    return timetables.read_timetable(session, user, school_id)


@router.put("/timetables/{school_id}", response_model=Timetable)
def write_timetable(
    school_id: int, body: Timetable, session: SessionDep, user: SchoolOrBureau
) -> Timetable:
    """Replace the free dayparts of the listed classes and teachers, all or nothing."""
    return timetables.write_timetable(session, user, school_id, body)
