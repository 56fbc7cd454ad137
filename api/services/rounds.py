"""Rounds: open one, find it in the user's region, read its versions, publish a proposal, and
show each role the published assignments it may see.

Life cycle (SPEC section 7): draft -> solving -> proposed -> published, and from proposed or
published back to solving for a re-solve or a repair (`api.services.solves`). The last
published version stays readable throughout; a publication is a new immutable version.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from api import audit
from api.converters import region_document
from api.models import (
    AssignmentPublic,
    Company,
    Pupil,
    PupilMinimal,
    Region,
    Role,
    Round,
    RoundPublic,
    RoundStatus,
    School,
    SolutionVersion,
    SolutionVersionPublic,
    User,
    VersionState,
    utcnow,
)
from api.services.errors import Conflict, Invalid, NotFound
from api.services.records import commit
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
            select(Round).where(Round.region_id == user.region_id).order_by(Round.id)  # type: ignore[arg-type]
        ).all()
    )


def get_round(session: Session, user: User, round_id: int) -> Round:
    """A round of the user's region; any other is not found (its existence stays hidden)."""
    round_ = session.get(Round, round_id)
    if round_ is None or round_.region_id != user.region_id:
        raise NotFound(f"no round {round_id} in your region")
    return round_


def published_version(session: Session, round_: Round) -> SolutionVersion:
    if round_.published_version_id is None:
        raise Conflict("this round has no published version yet")
    version = session.get(SolutionVersion, round_.published_version_id)
    assert version is not None
    return version


def proposal_version(session: Session, round_: Round) -> SolutionVersion:
    if round_.proposal_version_id is None:
        raise Conflict("no proposal yet: start a solve")
    version = session.get(SolutionVersion, round_.proposal_version_id)
    assert version is not None
    return version


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
            .order_by(SolutionVersion.number)  # type: ignore[arg-type]
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
                {"loc": [p.record, p.field], "msg": p.message, "type": "invalid_round"}
                for p in error.problems
            ]
        ) from None
    round_ = Round(
        region_id=region.id,  # type: ignore[arg-type]
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


def publish(session: Session, round_: Round, user: User | None) -> SolutionVersion:
    """Publish the round's current proposal as a new immutable version."""
    if round_.status == RoundStatus.solving:
        raise Conflict("a solve job is running for this round")
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
        raise Conflict("there is no new proposal to publish")
    number = max(
        session.exec(
            select(SolutionVersion.number).where(SolutionVersion.round_id == round_.id)
        ).all()
    )
    published = SolutionVersion(
        round_id=round_.id,  # type: ignore[arg-type]
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
    round_.published_version_id = published.id
    round_.proposal_version_id = published.id
    round_.status = RoundStatus.published
    round_.version += 1
    session.add(round_)
    audit.record(
        session,
        user,
        "publish",
        "round",
        round_.id,
        after={"version_id": published.id, "number": published.number},
        region_id=round_.region_id,
    )
    commit(session)
    return published


def published_assignments(
    session: Session, user: User, version: SolutionVersion
) -> list[PupilMinimal] | list[AssignmentPublic]:
    """The published assignments a user may see, with only the fields their role needs: a
    company sees its own pupils minimally (pupils are minors), a school its own pupils, the
    bureau every one."""
    document = version.round_document
    company_name = {c["id"]: c.get("name", "") for c in document.get("companies", [])}
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    assignments = version.solution.get("assignments", [])
    if user.role == Role.company:
        return company_pupils(session, user, document, assignments)
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        assert school is not None
        assignments = [a for a in assignments if school_of.get(a["student"]) == school.code]
    return [
        AssignmentPublic(**a, company_name=company_name.get(a["company"], "")) for a in assignments
    ]


def company_pupils(
    session: Session, user: User, document: dict[str, Any], assignments: list[dict[str, Any]]
) -> list[PupilMinimal]:
    """A company's published pupils as `PupilMinimal`: first name, school, profile, slot."""
    company = session.get(Company, user.company_id)
    assert company is not None
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    school_name = {s["id"]: s.get("name", "") for s in document.get("schools", [])}
    mine = [a for a in assignments if a["company"] == company.code]
    pupils = pupils_by_code(session, user.region_id, [a["student"] for a in mine])
    return [
        PupilMinimal(
            student=a["student"],
            first_name=pupils[a["student"]].first_name if a["student"] in pupils else "",
            school=school_name.get(school_of.get(a["student"], ""), ""),
            profile=pupils[a["student"]].profile if a["student"] in pupils else "",
            placement=a["placement"],
            period=a["period"],
        )
        for a in mine
    ]


def pupils_by_code(session: Session, region_id: int, codes: list[str]) -> dict[str, Pupil]:
    if not codes:
        return {}
    rows = session.exec(
        select(Pupil).where(Pupil.region_id == region_id, Pupil.code.in_(codes))  # type: ignore[attr-defined]
    ).all()
    return {p.code: p for p in rows}
