"""A company that leaves, over HTTP: the bureau marks it stopped from a date, lifts a stop
marked in error, repairs a published round, and each party reads who moved
(`api.services.company_stops`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import BureauUser, CurrentUser, RunnerDep, SessionDep, SettingsDep
from api.models import CompanyStopCreate, CompanyStopPublic, Job, JobPublic, StopMovesPublic
from api.services import company_stops

router = APIRouter(tags=["company stops"])


@router.post("/company-stops", response_model=CompanyStopPublic, status_code=201)
def mark_stop(body: CompanyStopCreate, session: SessionDep, user: BureauUser) -> CompanyStopPublic:
    """Mark a company as stopped from `stopped_from` (bankrupt, SBB recognition withdrawn, no
    longer hosting, other): every later solve and repair gives it no seats in the periods that
    may still run then and no visits from then on."""
    return company_stops.mark_stop(session, user, body)


@router.get("/company-stops", response_model=list[CompanyStopPublic])
def list_stops(session: SessionDep, user: CurrentUser, lifted: bool = False) -> list:
    """The region's company stops: a company's own, every one for the bureau and the schools.
    With `lifted`, the lifted ones too."""
    return company_stops.list_stops(session, user, lifted=lifted)


@router.delete("/company-stops/{stop_id}", response_model=CompanyStopPublic)
def lift_stop(stop_id: int, session: SessionDep, user: BureauUser) -> CompanyStopPublic:
    """Lift a stop marked in error; refused once a repair that honoured it is published."""
    return company_stops.lift_stop(session, user, stop_id)


@router.post("/rounds/{round_id}/stop-repair", response_model=JobPublic, status_code=202)
def repair_after_stop(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Re-place the published pupils and visits of stopped companies; every other assignment
    and activity stays as published."""
    return company_stops.repair_after_stop(session, user, round_id, settings, runner)


@router.get(
    "/rounds/{round_id}/stop-moves",
    response_model=StopMovesPublic,
    response_model_exclude_unset=True,
)
def read_stop_moves(round_id: int, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Who a company stop moved and where (or why nowhere): the bureau the newest proposal's
    whole report, a school its own pupils, classes and teachers, a company the moves away
    from and to it, in the published version."""
    return company_stops.stop_moves(session, user, round_id)
