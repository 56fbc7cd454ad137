"""Outputs of a round: SPEC JSON, CSV and XLSX per school and per company, iCalendar year
calendars (also as a subscribable URL with a secret token) and the cofinancing report.

Exports read a stored version (the published one unless another is asked for), never a round
being solved, so what a school or company downloads is always a finished, consistent version.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from sqlmodel import Session

from api.deps import (
    BureauUser,
    CompanyOrBureau,
    CurrentUser,
    PublicBase,
    SchoolOrBureau,
    SessionDep,
    SettingsDep,
)
from api.models import (
    Company,
    Region,
    Role,
    Round,
    School,
    SolutionVersion,
)
from api.services import exports, feeds
from api.services.cofinancing import report as cofinancing_report
from api.services.errors import Conflict, Forbidden, NotFound
from api.services.feeds import FeedCreate, FeedPublic, PartyKind
from api.services.rounds import get_round

router = APIRouter(tags=["exports"])

Format = Literal["csv", "xlsx"]


def chosen_version(session: Session, round_: Round, version_id: int | None) -> SolutionVersion:
    """The version asked for, else the published one, else the current proposal."""
    wanted = version_id or round_.published_version_id or round_.proposal_version_id
    version = session.get(SolutionVersion, wanted) if wanted else None
    if version is None or version.round_id != round_.id:
        raise (NotFound if version_id else Conflict)("no such solution version for this round")
    return version


@router.get("/rounds/{round_id}/export/round.json")
def export_round(
    round_id: int, session: SessionDep, user: BureauUser, version_id: int | None = None
) -> dict[str, Any]:
    """The SPEC round document a version solves (with any repairs applied)."""
    round_ = get_round(session, user, round_id)
    if version_id is None and round_.proposal_version_id is None:
        return round_.document
    return chosen_version(session, round_, version_id).round_document


@router.get("/rounds/{round_id}/export/solution.json")
def export_solution(
    round_id: int, session: SessionDep, user: BureauUser, version_id: int | None = None
) -> dict[str, Any]:
    """The SPEC solution document of a version: `stagebureau verify` accepts the pair."""
    round_ = get_round(session, user, round_id)
    return chosen_version(session, round_, version_id).solution


def table_response(
    rows: list[dict[str, Any]], columns: list[str], fmt: Format, name: str
) -> Response:
    """Rows as a CSV or an XLSX download, user text made inert by `api.spreadsheets`."""
    body, media = exports.table_bytes(rows, columns, fmt, name)
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


SCHOOL_COLUMNS = exports.SCHOOL_COLUMNS
COMPANY_COLUMNS = exports.COMPANY_COLUMNS


@router.get("/rounds/{round_id}/export/schools/{school_id}.{fmt}")
def export_school(
    round_id: int,
    school_id: int,
    fmt: Format,
    session: SessionDep,
    user: SchoolOrBureau,
    version_id: int | None = None,
) -> Response:
    """A school's pupils with their placement or the reason they have none."""
    if user.role == Role.school and user.school_id != school_id:
        raise Forbidden("a school exports its own pupils only")
    round_ = get_round(session, user, round_id)
    school = session.get(School, school_id)
    if school is None or school.region_id != user.region_id:
        raise NotFound(f"no school {school_id} in your region")
    version = chosen_version(session, round_, version_id)
    rows = exports.school_rows(session, round_, version, school)
    return table_response(rows, SCHOOL_COLUMNS, fmt, f"school-{school.code}")


@router.get("/rounds/{round_id}/export/companies/{company_id}.{fmt}")
def export_company(
    round_id: int,
    company_id: int,
    fmt: Format,
    session: SessionDep,
    user: CompanyOrBureau,
    version_id: int | None = None,
) -> Response:
    """A company's assigned pupils, minimally: first name, school, profile, period."""
    if user.role == Role.company and user.company_id != company_id:
        raise Forbidden("a company exports its own assignments only")
    round_ = get_round(session, user, round_id)
    company = session.get(Company, company_id)
    if company is None or company.region_id != user.region_id:
        raise NotFound(f"no company {company_id} in your region")
    version = chosen_version(session, round_, version_id)
    rows = exports.company_rows(session, version, company)
    return table_response(rows, COMPANY_COLUMNS, fmt, f"company-{company.code}")


# --- calendars ----------------------------------------------------------------------------------


@router.get("/rounds/{round_id}/calendar/{kind}/{party_id}.ics")
def read_calendar(
    round_id: int, kind: PartyKind, party_id: int, session: SessionDep, user: CurrentUser
) -> Response:
    """The iCalendar year calendar of a company, school, class or teacher."""
    round_ = get_round(session, user, round_id)
    code = feeds.party_code(session, user, user.region_id, kind, party_id)
    version = chosen_version(session, round_, None)
    ics = feeds.render_calendar(session, version, kind, code)
    return Response(ics, media_type="text/calendar")


@router.post("/calendar-feeds", response_model=FeedPublic, status_code=201)
def create_feed(
    body: FeedCreate, session: SessionDep, user: CurrentUser, base_url: PublicBase
) -> FeedPublic:
    """A subscribable calendar URL with a secret token (shown once; stored hashed)."""
    return feeds.create_feed(session, user, base_url, body)


@router.post("/calendar-feeds/{feed_id}/rotate", response_model=FeedPublic)
def rotate_feed(
    feed_id: int, session: SessionDep, user: CurrentUser, base_url: PublicBase
) -> FeedPublic:
    """A new secret URL for the feed (shown once); the old URL answers 404 from now on."""
    return feeds.rotate_feed(session, user, base_url, feed_id)


@router.delete("/calendar-feeds/{feed_id}", status_code=204)
def revoke_feed(feed_id: int, session: SessionDep, user: CurrentUser) -> Response:
    """Revoke the feed: its URL answers 404 from now on."""
    feeds.revoke_feed(session, user, feed_id)
    return Response(status_code=204)


@router.get("/feeds/{token}.ics", tags=["exports"])
def read_feed(token: str, session: SessionDep) -> Response:
    """A subscribed calendar: the newest published round of the feed's region (no login)."""
    return Response(feeds.feed_calendar(session, token), media_type="text/calendar")


# --- cofinancing ---------------------------------------------------------------------------------


@router.get("/rounds/{round_id}/cofinancing", tags=["cofinancing"])
def cofinancing(
    round_id: int, session: SessionDep, user: CompanyOrBureau, settings: SettingsDep
) -> dict[str, Any]:
    """Each company's in-kind hours valued at the hourly rate, against the region's target."""
    round_ = get_round(session, user, round_id)
    version = chosen_version(session, round_, None)
    region = session.get(Region, user.region_id)
    assert region is not None
    report = cofinancing_report(session, region, version, settings.cofinancing_hourly_rate,
                                settings.cofinancing_target_share)  # fmt: skip
    if user.role == Role.company:
        company = session.get(Company, user.company_id)
        assert company is not None
        report["companies"] = [c for c in report["companies"] if c["company"] == company.code]
    return report
