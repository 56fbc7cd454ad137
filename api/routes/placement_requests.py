"""Placement requests over HTTP: a school drafts and submits its pupils' requests, a mentor
approves or sends them back, the school closes them when the placement is over; the bureau sees
and may do all of it in its region, a company nothing (`api.services.placement_requests`)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import SchoolOrBureau, SessionDep
from api.models import (
    PlacementRequestCreate,
    PlacementRequestPublic,
    PlacementRequestUpdate,
    RequestOverview,
    RequestStatus,
    RequestStep,
)
from api.services import placement_requests as service

router = APIRouter(tags=["placement requests"])
StuckDays = Query(service.STUCK_DAYS, ge=0, le=365, description="days in draft or submitted")


@router.get("/requests", response_model=list[PlacementRequestPublic])
def list_requests(
    session: SessionDep,
    user: SchoolOrBureau,
    round_id: int | None = None,
    status: RequestStatus | None = None,
    stuck: bool = False,
    stuck_days: int = StuckDays,
) -> list[PlacementRequestPublic]:
    """The placement requests you may see (a school: its own pupils'); `stuck` keeps those
    waiting longer than `stuck_days` in draft or submitted, unplaced or declined."""
    return service.list_requests(session, user, round_id, status, stuck, stuck_days)


@router.post("/requests", response_model=PlacementRequestPublic, status_code=201)
def create_request(
    body: PlacementRequestCreate, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """Draft a pupil's request for a round that has not started solving; without
    `preferences` it takes the pupil's wishes as stored now. One per pupil and round."""
    return service.create_request(session, user, body)


@router.get("/requests/{record_id}", response_model=PlacementRequestPublic)
def read_request(
    record_id: int, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """One placement request."""
    return service.read_request(session, user, record_id)


@router.patch("/requests/{record_id}", response_model=PlacementRequestPublic)
def update_request(
    record_id: int, body: PlacementRequestUpdate, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """Change a draft's wishes (refused once its round started solving)."""
    return service.update_request(session, user, record_id, body)


@router.post("/requests/{record_id}/submit", response_model=PlacementRequestPublic)
def submit_request(
    record_id: int, body: RequestStep, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """Hand a draft to the mentor."""
    return service.take_step(session, user, record_id, "submit", body)


@router.post("/requests/{record_id}/approve", response_model=PlacementRequestPublic)
def approve_request(
    record_id: int, body: RequestStep, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """The mentor approves a submitted request: it enters the round's next solve."""
    return service.take_step(session, user, record_id, "approve", body)


@router.post("/requests/{record_id}/return", response_model=PlacementRequestPublic)
def return_request(
    record_id: int, body: RequestStep, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """The mentor sends a submitted or approved request back to draft, with a `note`."""
    return service.take_step(session, user, record_id, "return", body)


@router.post("/requests/{record_id}/withdraw", response_model=PlacementRequestPublic)
def withdraw_request(
    record_id: int, body: RequestStep, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """Take a request back before its round solves; the pupil may get a new one."""
    return service.take_step(session, user, record_id, "withdraw", body)


@router.post("/requests/{record_id}/done", response_model=PlacementRequestPublic)
def close_request(
    record_id: int, body: RequestStep, session: SessionDep, user: SchoolOrBureau
) -> PlacementRequestPublic:
    """Close a request whose agreement is signed: the placement is over."""
    return service.take_step(session, user, record_id, "done", body)


@router.get("/rounds/{round_id}/request-overview", response_model=RequestOverview)
def request_overview(
    round_id: int, session: SessionDep, user: SchoolOrBureau, stuck_days: int = StuckDays
) -> RequestOverview:
    """Per school (a school: its own) the round's requests per status, and how many are stuck."""
    return service.overview(session, user, round_id, stuck_days)
