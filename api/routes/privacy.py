"""The audit trail, and a pupil's data exported or erased (pupils are minors: AVG/GDPR).

Erasure deletes the pupil's record, wishes and pairs and replaces its code everywhere else
(round documents, solutions, pins, jobs, answers, audit) by a random token, blanking what
would single the child out (see `api.pupil_data`). The erasure itself is audited, without the
erased data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlmodel import Session, col, or_, select

from api import audit, pupil_data
from api.db import saved_id
from api.deps import BureauUser, SchoolOrBureau, SessionDep
from api.models import (
    AuditEntry,
    AuditEntryPublic,
    Decline,
    ElectiveRequest,
    EventRequest,
    Pupil,
    PupilFeedback,
    PupilPair,
    Role,
    SolutionVersion,
    User,
)
from api.services import agreements, birth_dates, intake
from api.services.placement_requests import pupil_requests
from api.services.records import KIND_OF, Kind, access_of, commit, get_scoped, scoped_select

router = APIRouter()
PUPILS: Kind = KIND_OF["pupil"]


@router.get("/audit", response_model=list[AuditEntryPublic], tags=["audit"])
def list_audit(
    session: SessionDep,
    user: BureauUser,
    entity: str | None = None,
    entity_id: str | None = None,
    offset: int = Query(0, ge=0),
    limit: int = Query(500, ge=1, le=5000),
) -> list[AuditEntry]:
    """Who changed what, when, with before and after, newest first."""
    query = select(AuditEntry).where(AuditEntry.region_id == user.region_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    order = col(AuditEntry.id).desc()
    return list(session.exec(query.order_by(order).offset(offset).limit(limit)).all())


PAIRS: Kind = KIND_OF["pupil_pair"]


def pupil_pairs(session: Session, user: User, pupil: Pupil) -> list[PupilPair]:
    """The pupil's together/apart pairs this user may see (a pair across schools: the bureau)."""
    query = scoped_select(PAIRS, user, access_of(PAIRS, user, write=False))
    query = query.where(or_(PupilPair.pupil_a_id == pupil.id, PupilPair.pupil_b_id == pupil.id))
    return list(session.exec(query).all())


def pupil_declines(session: Session, pupil: Pupil) -> list[Decline]:
    """The companies' declines of the pupil, standing or lifted."""
    return list(session.exec(select(Decline).where(Decline.pupil_id == pupil.id)).all())


@router.get("/pupils/{pupil_id}/export", tags=["privacy"])
def export_pupil(pupil_id: int, session: SessionDep, user: SchoolOrBureau) -> dict[str, Any]:
    """Everything stored about one pupil: record, wishes, pairs, placements published and
    proposed, the companies' answers about it, its feedback answers and those about its
    placements, every audit entry and every mail line that concerns it."""
    pupil: Pupil = get_scoped(session, PUPILS, user, pupil_id, write=False)
    requests = session.exec(select(ElectiveRequest).where(ElectiveRequest.pupil_id == pupil.id))
    event_requests = session.exec(select(EventRequest).where(EventRequest.pupil_id == pupil.id))
    placements = []
    for round_ in pupil_data.region_rounds(session, pupil.region_id):
        version = session.get(SolutionVersion, round_.published_version_id or -1)
        for a in pupil_data.places_in(version.solution, pupil.code) if version else []:
            if "placement" in a:
                placements.append({"round": round_.name, **a})
    audit.record(session, user, "export", "pupil", pupil.id)
    commit(session)
    birth_date = birth_dates.birth_date_of(session, saved_id(pupil))
    return {
        "pupil": audit.snapshot(pupil),
        "elective_requests": [audit.snapshot(r) for r in requests],
        "event_requests": [audit.snapshot(r) for r in event_requests],
        "placement_requests": [audit.snapshot(r) for r in pupil_requests(session, pupil_id)],
        "pairs": [audit.snapshot(p) for p in pupil_pairs(session, user, pupil)],
        "published_placements": placements,
        "unpublished_proposals": pupil_data.unpublished_places(session, pupil),
        "company_answers": [audit.snapshot(r) for r in pupil_data.company_answers(session, pupil)],
        "declines": [audit.snapshot(d) for d in pupil_declines(session, pupil)],
        "feedback": [audit.snapshot(f) for f in pupil_data.feedback_about(session, pupil)],
        "agreements": [
            agreements.public(session, a, user).model_dump(mode="json")
            for a in agreements.pupil_agreements(session, pupil)
        ],
        # Only its school reads a pupil's birth date (issue 16), in the export too.
        "birth_date": birth_date.isoformat() if birth_date and user.role == Role.school else None,
        "audit": [
            AuditEntryPublic.model_validate(e).model_dump(mode="json")
            for e in pupil_data.audit_about(session, pupil)
        ],
        "mail": pupil_data.mail_about(session, pupil),
    }


@router.post("/pupils/{pupil_id}/erase", tags=["privacy"])
def erase_pupil(pupil_id: int, session: SessionDep, user: SchoolOrBureau) -> dict[str, Any]:
    """Erase a pupil: record, wishes and pairs deleted, its code replaced everywhere else by a
    random token and its name, home and wishes blanked (AVG/GDPR article 17)."""
    pupil: Pupil = get_scoped(session, PUPILS, user, pupil_id, write=True)
    code = pupil.code
    for request in session.exec(
        select(ElectiveRequest).where(ElectiveRequest.pupil_id == pupil.id)
    ):
        session.delete(request)
    for event_request in session.exec(
        select(EventRequest).where(EventRequest.pupil_id == pupil.id)
    ).all():
        audit.record(session, user, "delete", "event_request", event_request.id,
                     before=audit.snapshot(event_request))  # fmt: skip
        session.delete(event_request)
    # The database would take the pupil's together/apart pairs along by its cascade; they go
    # here instead, each with its audit entry, so the audit trail shows every one that went.
    for pair in session.exec(
        select(PupilPair).where(
            or_(PupilPair.pupil_a_id == pupil.id, PupilPair.pupil_b_id == pupil.id)
        )
    ).all():
        audit.record(session, user, "delete", "pupil_pair", pair.id, before=audit.snapshot(pair))
        session.delete(pair)
    for placement_request in pupil_requests(session, pupil_id):
        audit.record(session, user, "delete", "placement_request", placement_request.id,
                     before=audit.snapshot(placement_request))  # fmt: skip
        session.delete(placement_request)
    for decline in pupil_declines(session, pupil):
        audit.record(session, user, "delete", "decline", decline.id, before=audit.snapshot(decline))
        session.delete(decline)
    for answers in session.exec(
        select(PupilFeedback).where(PupilFeedback.pupil_id == pupil.id)
    ).all():
        audit.record(session, user, "delete", "pupil_feedback", answers.id,
                     before=audit.snapshot(answers))  # fmt: skip
        session.delete(answers)
    agreements.erase_pupil_agreements(session, user, pupil)
    intake.drop_school_drafts(session, pupil.school_id)  # a waiting file may name the pupil
    session.flush()  # the pair and decline entries above are unlinked with the rest
    token = pupil_data.erasure_token()
    scrubbed_documents = pupil_data.unlink_everywhere(session, pupil, token)
    session.delete(pupil)
    # The token is not written here: the entry must not tie the code to it.
    audit.record(
        session, user, "erase", "pupil", pupil_id,
        after={"documents_scrubbed": scrubbed_documents},
    )  # fmt: skip
    commit(session)
    return {"erased": code, "documents_scrubbed": scrubbed_documents}
