"""Standing declines of the region and the answers a published round still waits for.

A company's decline of a pupil is "not this pupil at this company" (SPEC section 7): it is kept
as a record of the region, and every later solve and repair puts the company in the pupil's
`excluded` list (SPEC section 8), so the seat stays open to other pupils. It stands until the
bureau lifts it. A published round carries an answer deadline, and the bureau sees which
pupils and activities no company has answered yet.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.models import (
    Company,
    Decline,
    DeclinePublic,
    Pupil,
    Role,
    Round,
    SolutionVersion,
    Unanswered,
    UnansweredPublic,
    User,
    utcnow,
)
from api.services.errors import Conflict, Forbidden, NotFound
from api.services.records import commit
from scheduler.contract.solution import activity_key


def record_decline(
    session: Session, user: User, round_: Round, pupil_code: str, company: Company, reason: str
) -> Decline | None:
    """The standing decline of a pupil by a company (audited), unless one stands already.

    None when the pupil is no longer in the region (erased since the publication): there is
    nobody left to keep away."""
    pupil = session.exec(
        select(Pupil).where(Pupil.region_id == round_.region_id, Pupil.code == pupil_code)
    ).first()
    if pupil is None:
        return None
    standing = session.exec(
        select(Decline).where(
            Decline.pupil_id == pupil.id,
            Decline.company_id == company.id,
            col(Decline.lifted_at).is_(None),
        )
    ).first()
    if standing is not None:
        return standing
    decline = Decline(
        region_id=round_.region_id,
        pupil_id=saved_id(pupil),
        company_id=saved_id(company),
        round_id=round_.id,
        reason=reason,
        created_by_id=user.id,
    )
    session.add(decline)
    session.flush()
    audit.record(session, user, "create", "decline", decline.id, after=audit.snapshot(decline))
    return decline


def list_declines(session: Session, user: User, *, lifted: bool = False) -> list[DeclinePublic]:
    """The region's standing declines (with `lifted`, the lifted ones too): every one for the
    bureau, its own for a company, those of its pupils for a school."""
    query = (
        select(Decline, Pupil.code, Company.code)
        .join(Pupil, col(Decline.pupil_id) == col(Pupil.id))
        .join(Company, col(Decline.company_id) == col(Company.id))
        .where(Decline.region_id == user.region_id)
    )
    if not lifted:
        query = query.where(col(Decline.lifted_at).is_(None))
    if user.role == Role.company:
        query = query.where(Decline.company_id == user.company_id)
    elif user.role == Role.school:
        query = query.where(Pupil.school_id == user.school_id)
    rows = session.exec(query.order_by(col(Decline.id))).all()
    return [
        DeclinePublic(**decline.model_dump(), student=pupil, company=company)
        for decline, pupil, company in rows
    ]


def lift_decline(session: Session, user: User, decline_id: int) -> DeclinePublic:
    """The bureau lifts a decline: the next solve or repair may place the pupil there again."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau lifts a decline", code="decline.bureau_only")
    decline = session.get(Decline, decline_id)
    if decline is None or decline.region_id != user.region_id:
        raise NotFound(
            f"no decline {decline_id} in your region",
            code="decline.not_found",
            params={"decline": decline_id},
        )
    if decline.lifted_at is not None:
        raise Conflict(
            f"decline {decline_id} was lifted already",
            code="decline.lifted_already",
            params={"decline": decline_id},
        )
    before = audit.snapshot(decline)
    decline.lifted_at, decline.lifted_by_id = utcnow(), user.id
    session.add(decline)
    audit.record(
        session, user, "lift", "decline", decline.id, before=before, after=audit.snapshot(decline)
    )
    commit(session)
    lifted = list_declines(session, user, lifted=True)
    return next(d for d in lifted if d.id == decline_id)


def unanswered(
    session: Session,
    round_: Round,
    version: SolutionVersion,
    answered_pupils: set[str],
    answered_activities: set[tuple[str, str, str, str]],
    today: date,
) -> UnansweredPublic:
    """The published pupils and activities no company has answered yet, and whether the
    round's answer deadline has passed."""
    companies = {
        c.code: saved_id(c)
        for c in session.exec(select(Company).where(Company.region_id == round_.region_id)).all()
    }
    items = [
        Unanswered(
            kind="pupil",
            company_id=companies.get(a["company"], 0),
            company=a["company"],
            student=a["student"],
            placement=a["placement"],
            period=a["period"],
        )
        for a in version.document["assignments"]
        if a["student"] not in answered_pupils
    ] + [
        Unanswered(
            kind="activity",
            company_id=companies.get(a["company"], 0),
            company=a["company"],
            requester=a["requester"],
            offer=a["offer"],
            date=a["date"],
            daypart=a["daypart"],
        )
        for a in version.document.get("activities", [])
        if activity_key(a) not in answered_activities
    ]
    deadline = round_.answer_deadline
    return UnansweredPublic(
        answer_deadline=deadline,
        overdue=bool(items) and deadline is not None and today > deadline,
        items=items,
    )
