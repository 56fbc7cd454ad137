"""Removing a whole region, child tables first: the demo replaces its own region this way."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session

from api.models import (
    ApiToken,
    AuditEntry,
    CalendarFeed,
    Company,
    CompanyResponse,
    Elective,
    ElectiveRequest,
    Job,
    Offer,
    Pin,
    Placement,
    Pupil,
    Region,
    Round,
    School,
    SchoolClass,
    SolutionVersion,
    Teacher,
    User,
)


def delete_region(session: Session, region_id: int) -> None:
    """Delete the region and everything that belongs to it, in foreign-key order."""
    rounds = select(Round.id).where(Round.region_id == region_id)  # type: ignore[call-overload]
    users = select(User.id).where(User.region_id == region_id)  # type: ignore[call-overload]
    session.execute(delete(CompanyResponse).where(CompanyResponse.round_id.in_(rounds)))  # type: ignore[attr-defined]
    session.execute(delete(Pin).where(Pin.round_id.in_(rounds)))  # type: ignore[attr-defined]
    session.execute(delete(Job).where(Job.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(SolutionVersion).where(SolutionVersion.round_id.in_(rounds)))  # type: ignore[attr-defined]
    session.execute(delete(Round).where(Round.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(ApiToken).where(ApiToken.user_id.in_(users)))  # type: ignore[attr-defined]
    session.execute(delete(User).where(User.region_id == region_id))  # type: ignore[arg-type]
    for table in (ElectiveRequest, Elective, Pupil, SchoolClass, Teacher, Offer, Placement):
        session.execute(delete(table).where(table.region_id == region_id))  # type: ignore[attr-defined]
    session.execute(delete(School).where(School.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(Company).where(Company.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(CalendarFeed).where(CalendarFeed.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(AuditEntry).where(AuditEntry.region_id == region_id))  # type: ignore[arg-type]
    session.execute(delete(Region).where(Region.id == region_id))  # type: ignore[arg-type]
