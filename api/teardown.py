"""Removing a whole region, child tables first: the demo replaces its own region this way."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session, col

from api.models import (
    ApiToken,
    AuditEntry,
    CalendarFeed,
    Company,
    CompanyResponse,
    Elective,
    ElectiveRequest,
    Event,
    EventRequest,
    EventSession,
    Job,
    Offer,
    Pin,
    Placement,
    PlacementRequest,
    Pupil,
    Region,
    Round,
    School,
    SchoolClass,
    SolutionVersion,
    Teacher,
    User,
    VersionDashboard,
    VersionPupil,
    VersionSummary,
)


def delete_region(session: Session, region_id: int) -> None:
    """Delete the region and everything that belongs to it, in foreign-key order."""
    rounds = select(col(Round.id)).where(col(Round.region_id) == region_id)
    users = select(col(User.id)).where(col(User.region_id) == region_id)
    session.execute(delete(CompanyResponse).where(col(CompanyResponse.round_id).in_(rounds)))
    session.execute(delete(Pin).where(col(Pin.round_id).in_(rounds)))
    session.execute(delete(Job).where(col(Job.region_id) == region_id))
    versions = select(col(SolutionVersion.id)).where(col(SolutionVersion.round_id).in_(rounds))
    # The round page's index and dashboard of each version.
    for index_table in (VersionPupil, VersionSummary, VersionDashboard):
        session.execute(delete(index_table).where(col(index_table.version_id).in_(versions)))
    session.execute(delete(SolutionVersion).where(col(SolutionVersion.round_id).in_(rounds)))
    for event_table in (EventRequest, EventSession, Event):  # events name rounds
        session.execute(delete(event_table).where(col(event_table.region_id) == region_id))
    # Placement requests name rounds, pupils and users.
    session.execute(delete(PlacementRequest).where(col(PlacementRequest.region_id) == region_id))
    session.execute(delete(Round).where(col(Round.region_id) == region_id))
    session.execute(delete(ApiToken).where(col(ApiToken.user_id).in_(users)))
    session.execute(delete(User).where(col(User.region_id) == region_id))
    for table in (ElectiveRequest, Elective, Pupil, SchoolClass, Teacher, Offer, Placement):
        session.execute(delete(table).where(col(table.region_id) == region_id))
    session.execute(delete(School).where(col(School.region_id) == region_id))
    session.execute(delete(Company).where(col(Company.region_id) == region_id))
    session.execute(delete(CalendarFeed).where(col(CalendarFeed.region_id) == region_id))
    session.execute(delete(AuditEntry).where(col(AuditEntry.region_id) == region_id))
    session.execute(delete(Region).where(col(Region.id) == region_id))
