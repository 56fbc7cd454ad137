"""Year calendars and their subscribable feeds: whose calendar a user may read, the iCalendar
of one party, and the secret feed addresses (shown once, stored hashed) that can be rotated
and revoked, one at a time or all of a party's at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel
from sqlmodel import Session, col, select

from api import audit
from api.auth import token_digest
from api.calendars import ENGLISH, year_calendar
from api.db import row_of, saved_id
from api.models import (
    CalendarFeed,
    Company,
    Pupil,
    Role,
    Round,
    School,
    SchoolClass,
    SolutionVersion,
    Teacher,
    User,
)
from api.services.errors import Forbidden, NotFound, ServiceError
from api.services.records import commit
from scheduler.validation import parse_round

PartyKind = Literal["company", "school", "class", "teacher", "pupil"]
EMPTY_FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
Party = Company | School | SchoolClass | Teacher | Pupil
PARTY_TABLES: dict[str, type[Party]] = {
    "company": Company,
    "school": School,
    "class": SchoolClass,
    "teacher": Teacher,
    "pupil": Pupil,  # its placement days (SPEC section 8), read by its school and the bureau
}


def party_code(
    session: Session, user: User | None, region_id: int, kind: str, party_id: int
) -> str:
    """The SPEC id of a calendar's party, after checking the user may see its calendar."""
    row = row_of(session, PARTY_TABLES[kind], party_id)
    if row is None or row.region_id != region_id:
        raise NotFound(
            f"no {kind} {party_id} in your region", code="feed.no_party", params={"party": party_id}
        )
    if (
        user is not None
        and user.role == Role.company
        and (kind != "company" or party_id != user.company_id)
    ):
        raise Forbidden("a company reads its own calendar only", code="feed.company_own")
    if user is not None and user.role == Role.school:
        own = row.id if kind == "school" else getattr(row, "school_id", None)
        if kind == "company" or own != user.school_id:
            raise Forbidden("a school reads its own calendars only", code="feed.school_own")
    return row.code


def render_calendar(
    session: Session,
    version: SolutionVersion,
    kind: str,
    code: str,
    words: Mapping[str, str] = ENGLISH,
) -> bytes:
    """The year calendar of one party in a published version, in `words` (a feed: English),
    with the stored street addresses of the schools and companies where events take place."""
    round_ = parse_round(version.round_document)
    stored = session.get(Round, version.round_id)
    found = addresses(session, stored.region_id) if stored is not None else {}
    return year_calendar(round_, version.solution, (kind, code), words=words, addresses=found)


def addresses(session: Session, region_id: int) -> dict[tuple[str, str], str]:
    """(kind, code) -> street address of the region's schools and companies that have one
    stored (the round document, the solver's contract, holds none)."""
    found: dict[tuple[str, str], str] = {}
    for kind, table in (("school", School), ("company", Company)):
        rows = session.exec(
            select(table.code, table.address).where(
                table.region_id == region_id, col(table.address).is_not(None)
            )
        ).all()
        found.update({(kind, code): address for code, address in rows if address})
    return found


class FeedCreate(BaseModel):
    kind: PartyKind
    party_id: int


class FeedPublic(BaseModel):
    id: int
    url: str


def create_feed(session: Session, user: User, base_url: str, body: FeedCreate) -> FeedPublic:
    """A subscribable calendar URL under `base_url` with a secret token (shown once; stored
    hashed)."""
    party_code(session, user, user.region_id, body.kind, body.party_id)
    token = secrets.token_urlsafe(24)
    feed = CalendarFeed(
        region_id=user.region_id,
        party_kind=body.kind,
        party_id=body.party_id,
        token_hash=token_digest(token),
    )
    session.add(feed)
    session.flush()
    audit.record(session, user, "create", "calendar_feed", feed.id, after=body.model_dump())
    commit(session)
    return FeedPublic(id=saved_id(feed), url=f"{base_url}/feeds/{token}.ics")


def own_feed(session: Session, user: User, feed_id: int) -> CalendarFeed:
    """The feed if its calendar is the user's own (any of its region's for the bureau); 404
    otherwise, so another party's feed cannot even be told to exist."""
    feed = session.get(CalendarFeed, feed_id)
    if feed is not None and feed.region_id == user.region_id:
        try:
            party_code(session, user, feed.region_id, feed.party_kind, feed.party_id)
            return feed
        except ServiceError:
            pass
    raise NotFound(
        f"no calendar feed {feed_id} of yours", code="feed.not_found", params={"feed": feed_id}
    )


def rotate_feed(session: Session, user: User, base_url: str, feed_id: int) -> FeedPublic:
    """A new secret URL for the feed (shown once); the old URL is unknown from now on."""
    feed = own_feed(session, user, feed_id)
    token = secrets.token_urlsafe(24)
    feed.token_hash = token_digest(token)
    session.add(feed)
    audit.record(session, user, "rotate", "calendar_feed", feed.id, after=feed_party(feed))
    commit(session)
    return FeedPublic(id=feed_id, url=f"{base_url}/feeds/{token}.ics")


def revoke_feed(session: Session, user: User, feed_id: int) -> None:
    """Revoke the feed: its URL is unknown from now on."""
    feed = own_feed(session, user, feed_id)
    audit.record(session, user, "delete", "calendar_feed", feed.id, before=feed_party(feed))
    session.delete(feed)
    commit(session)


def revoke_party_feeds(session: Session, user: User, kind: PartyKind, party_id: int) -> int:
    """Revoke every feed of one party's calendar (an address lost or shared too widely);
    returns how many there were."""
    feeds = session.exec(
        select(CalendarFeed).where(
            CalendarFeed.region_id == user.region_id,
            CalendarFeed.party_kind == kind,
            CalendarFeed.party_id == party_id,
        )
    ).all()
    for feed in feeds:
        revoke_feed(session, user, saved_id(feed))
    return len(feeds)


def feed_party(feed: CalendarFeed) -> dict[str, Any]:
    """What the audit trail says of a feed: whose calendar it is (never its token)."""
    return {"kind": feed.party_kind, "party_id": feed.party_id}


def feed_calendar(session: Session, token: str) -> bytes:
    """The calendar a feed address subscribes to: its party's in the newest published round
    of the feed's region (an empty calendar before the first publication)."""
    feed = session.exec(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_digest(token))
    ).first()
    if feed is None:
        raise NotFound("unknown calendar feed", code="feed.unknown")
    round_ = session.exec(
        select(Round)
        .where(Round.region_id == feed.region_id, col(Round.published_version_id).is_not(None))
        .order_by(col(Round.id).desc())
    ).first()
    if round_ is None:
        return EMPTY_FEED
    code = party_code(session, None, feed.region_id, feed.party_kind, feed.party_id)
    version = session.get(SolutionVersion, round_.published_version_id)
    assert version is not None
    return render_calendar(session, version, feed.party_kind, code)
