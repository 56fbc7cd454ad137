"""The bureau's page of one company: mark it stopped from a date (bankrupt, SBB recognition
withdrawn, no longer hosting, other), lift a stop marked in error, repair each published round
it leaves pupils or visits in, and read who moved where. Every change goes through
`api.services.company_stops`, the API's own workflow (role check, validation, audit)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import col, select
from starlette.datastructures import FormData

from api import dashboard_index
from api.converters import standing_stops
from api.deps import SessionDep
from api.models import Company, CompanyStopCreate, Round, SolutionVersion, StopReason
from api.services import company_stops, round_pages
from api.services.errors import NotFound, ServiceError
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.common import see_other
from api.web.render import render
from api.web.session import BureauPage, Csrf
from scheduler.company_stops import displaced

router = APIRouter(include_in_schema=False)


def company_url(company_id: int) -> str:
    return f"/app/bureau/companies/{company_id}"


@router.get("/app/bureau/companies/{company_id}")
def company_page(
    company_id: int, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """One company: its stops, the form to mark one, and the published rounds a stop leaves
    pupils or visits in, each with its repair."""
    company = session.get(Company, company_id)
    if company is None or company.region_id != user.region_id:
        raise NotFound(
            f"no company {company_id} in your region",
            code="company.not_found",
            params={"company": company_id},
        )
    stops = [
        s
        for s in company_stops.list_stops(session, user, lifted=True)
        if s.company_id == company_id
    ]
    # Only this company's own stops displace anyone from it: without one, no publication
    # (megabytes each in a region) is read.
    standing = [
        stop for _, stop in standing_stops(session, user.region_id) if stop.company == company.code
    ]
    affected: list[dict[str, Any]] = []
    published = (
        session.exec(
            select(Round, SolutionVersion)
            .join(SolutionVersion, col(SolutionVersion.id) == col(Round.published_version_id))
            .where(Round.region_id == user.region_id)
            .order_by(col(Round.id))
        ).all()
        if standing
        else []
    )
    for round_, version in published:
        gone = displaced(version.round_document, version.document, standing)
        mine = [a for a in gone.pupils if a["company"] == company.code]
        visits = [a for a in gone.visits if a["company"] == company.code]
        if mine or visits:
            affected.append({"round": round_, "pupils": len(mine), "visits": len(visits)})
    context = {
        "company": company,
        "stops": stops,
        "standing": any(s.lifted_at is None for s in stops),
        "reasons": list(StopReason),
        "affected": affected,
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
    }
    return render(request, "bureau/company.html", context)


@router.post("/app/bureau/companies/{company_id}/stop", dependencies=[Csrf])
def mark_stop(
    company_id: int, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Mark the company as stopped from the date the form names."""
    try:
        body = CompanyStopCreate.model_validate(
            {
                "company_id": company_id,
                "stopped_from": str(form.get("stopped_from", "")),
                "reason": str(form.get("reason", "")),
                "note": str(form.get("note", "")),
            }
        )
        company_stops.mark_stop(session, user, body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message(company_url(company_id), error="; ".join(problems(error))))
    return see_other(with_message(company_url(company_id), done="stop_marked"))


@router.post("/app/bureau/company-stops/{stop_id}/lift", dependencies=[Csrf])
def lift_stop(stop_id: int, session: SessionDep, user: BureauPage, company_id: int = 0) -> Response:
    """Lift a stop marked in error, while no repair that honoured it is published."""
    try:
        company_stops.lift_stop(session, user, stop_id)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(company_url(company_id), error="; ".join(problems(error))))
    return see_other(with_message(company_url(company_id), done="stop_lifted"))


@router.post("/app/bureau/rounds/{round_id}/stop-repair", dependencies=[Csrf])
def repair(
    round_id: int, request: Request, session: SessionDep, user: BureauPage, company_id: int = 0
) -> Response:
    """Start the repair of a published round after a company stop; the dashboard shows it."""
    state = request.app.state
    try:
        company_stops.repair_after_stop(session, user, round_id, state.settings, state.runner)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(company_url(company_id), error="; ".join(problems(error))))
    return see_other(with_message(f"/app/bureau/rounds/{round_id}", done="repair"))


@router.get("/app/bureau/rounds/{round_id}/stop-moves")
def moves(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The report of the round's newest repair after a company stop: who moved where, and why
    a visit found no new date with its detail as the solver derived it (`api.dashboard_index`)."""
    report = company_stops.stop_moves(session, user, round_id)
    if report["version_id"] is not None and any(v["reason"] for v in report["visits"]):
        said_of = {
            (u["requester"], u["kind"]): u["said"]
            for u in dashboard_index.read(session, report["version_id"]).unplanned or []
        }
        visits = [{**v, "said": said_of.get((v["requester"], v["kind"]))} for v in report["visits"]]
        report = {**report, "visits": visits}
    round_ = round_pages.light_round(session, user, round_id)  # its document stays unread
    return render(request, "bureau/stop_moves.html", {"round": round_, "report": report})
