"""Rounds: open one, find it in the user's region, read its versions, publish a proposal, and
show each role the published assignments it may see.

Life cycle (SPEC section 7): draft -> solving -> proposed -> published, and from proposed or
published back to solving for a re-solve or a repair (`api.services.solves`). The last
published version stays readable throughout; a publication is a new immutable version.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from api import audit, version_index
from api.converters import region_document
from api.db import saved_id
from api.models import (
    Pupil,
    Region,
    Round,
    RoundPublic,
    RoundStatus,
    SolutionVersion,
    SolutionVersionPublic,
    User,
    VersionState,
    utcnow,
)
from api.services import placement_requests
from api.services.errors import Conflict, Invalid, NotFound
from api.services.notifications import notify_publication
from api.services.records import commit
from api.settings import Settings
from scheduler.validation import InvalidRound, parse_round


def round_public(round_: Round) -> RoundPublic:
    return RoundPublic(
        **round_.model_dump(exclude={"document"}),
        students=len(round_.document.get("students", [])),
        placements=len(round_.document.get("placements", [])),
    )


def version_public(version: SolutionVersion) -> SolutionVersionPublic:
    solution = version.solution
    return SolutionVersionPublic(
        **version.model_dump(exclude={"round_document", "solution"}),
        status=solution.get("status", ""),
        objective=solution.get("objective", {}),
        placed=len(solution.get("assignments", [])),
        unplaced=len(solution.get("unassigned", [])),
    )


def list_rounds(session: Session, user: User) -> list[Round]:
    """The rounds of the user's region, oldest first."""
    return list(
        session.exec(
            select(Round).where(Round.region_id == user.region_id).order_by(col(Round.id))
        ).all()
    )


def get_round(session: Session, user: User, round_id: int) -> Round:
    """A round of the user's region; any other is not found (its existence stays hidden)."""
    round_ = session.get(Round, round_id)
    if round_ is None or round_.region_id != user.region_id:
        raise NotFound(
            f"no round {round_id} in your region",
            code="round.not_found",
            params={"round": round_id},
        )
    return round_


def published_version(session: Session, round_: Round) -> SolutionVersion:
    version = _version(session, round_.published_version_id)
    if version is None:
        raise Conflict("this round has no published version yet", code="round.not_published")
    return version


def proposal_version(session: Session, round_: Round) -> SolutionVersion:
    version = _version(session, round_.proposal_version_id)
    if version is None:
        raise Conflict("no proposal yet: start a solve", code="round.no_proposal")
    return version


def _version(session: Session, version_id: int | None) -> SolutionVersion | None:
    """The round's version `version_id` points at, if there is one."""
    return session.get(SolutionVersion, version_id) if version_id is not None else None


def current_document(session: Session, round_: Round) -> dict[str, Any]:
    """The round document the next re-solve starts from (with earlier repairs applied)."""
    if round_.proposal_version_id is not None:
        version = session.get(SolutionVersion, round_.proposal_version_id)
        if version is not None:
            return version.round_document
    return round_.document


def list_versions(session: Session, user: User, round_id: int) -> list[SolutionVersion]:
    """Every proposal and publication of the round, in order."""
    get_round(session, user, round_id)
    return list(
        session.exec(
            select(SolutionVersion)
            .where(SolutionVersion.round_id == round_id)
            .order_by(col(SolutionVersion.number))
        ).all()
    )


def open_round(session: Session, region: Region, name: str, user: User | None) -> Round:
    """Freeze the region into a new draft round; a region that is not a valid round is
    refused naming each record and field at fault, and nothing is stored."""
    document = region_document(session, region, name)
    try:
        parse_round(document)
    except InvalidRound as error:
        raise Invalid(
            [
                {"loc": [p.record, p.field], "msg": p.message, "type": p.code or "invalid_round"}
                | ({"ctx": dict(p.params)} if p.code else {})
                for p in error.problems
            ]
        ) from None
    round_ = Round(
        region_id=saved_id(region),
        name=name,
        document=document,
        created_by_id=user.id if user else None,
    )
    session.add(round_)
    session.flush()
    audit.record(
        session,
        user,
        "create",
        "round",
        round_.id,
        after={"name": name, "students": len(document["students"])},
        region_id=region.id,
    )
    commit(session)
    return round_


def publish(
    session: Session,
    round_: Round,
    user: User | None,
    answer_deadline: date,
    reviewed: int | None = None,
) -> SolutionVersion:
    """Publish the round's current proposal as a new immutable version; the companies answer
    what it assigns them by `answer_deadline`. `reviewed` is the proposal number the bureau
    looked at: a re-solve that finished since must not be published unseen."""
    if round_.status == RoundStatus.solving:
        raise Conflict("a solve job is running for this round", code="round.solving")
    proposal = (
        session.get(SolutionVersion, round_.proposal_version_id)
        if round_.proposal_version_id
        else None
    )
    if proposal is None or (
        round_.published_version_id is not None
        and proposal.id is not None
        and proposal.id <= round_.published_version_id
    ):
        raise Conflict("there is no new proposal to publish", code="round.nothing_to_publish")
    if reviewed is not None and proposal.number != reviewed:
        raise Conflict(
            f"proposal {reviewed} is no longer the current one: version {proposal.number} "
            "took its place; review it before publishing",
            code="round.stale_proposal",
            params={"reviewed": reviewed, "current": proposal.number},
        )
    number = max(
        session.exec(
            select(SolutionVersion.number).where(SolutionVersion.round_id == round_.id)
        ).all()
    )
    previous = (
        session.get(SolutionVersion, round_.published_version_id)
        if round_.published_version_id is not None
        else None
    )
    published = SolutionVersion(
        round_id=saved_id(round_),
        number=number + 1,
        state=VersionState.published,
        kind=proposal.kind,
        round_document=proposal.round_document,
        solution=proposal.solution,
        changes=proposal.changes,
        based_on_id=proposal.id,
        job_id=proposal.job_id,
        published_at=utcnow(),
        published_by_id=user.id if user else None,
    )
    session.add(published)
    session.flush()
    version_index.copy(session, saved_id(proposal), saved_id(published))
    round_.published_version_id = published.id
    round_.proposal_version_id = published.id
    round_.status = RoundStatus.published
    round_.answer_deadline = answer_deadline
    round_.version += 1
    session.add(round_)
    placement_requests.after_publication(session, round_, published, user)
    audit.record(
        session,
        user,
        "publish",
        "round",
        round_.id,
        after={
            "version_id": published.id,
            "number": published.number,
            "answer_deadline": answer_deadline.isoformat(),
        },
        region_id=round_.region_id,
    )
    # Told in the publication's own transaction: every school and company hears of it or none.
    notify_publication(session, round_, published, previous)
    commit(session)
    return published


def default_deadline(settings: Settings, today: date) -> date:
    """The answer deadline of a publication whose bureau names none."""
    return today + timedelta(days=settings.answer_days)


def pupils_by_code(session: Session, region_id: int, codes: list[str]) -> dict[str, Pupil]:
    if not codes:
        return {}
    rows = session.exec(
        select(Pupil).where(Pupil.region_id == region_id, col(Pupil.code).in_(codes))
    ).all()
    return {p.code: p for p in rows}
