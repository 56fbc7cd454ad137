"""The audit trail, and a pupil's data exported or erased (pupils are minors: AVG/GDPR).

Erasure deletes the pupil's record and wishes, blanks its first name in the audit trail and its
home in every stored round document; the pupil code stays in solutions as a pseudonym. The
erasure itself is audited, without the erased data.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import or_
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from api import audit
from api.crud import Kind, commit, get_scoped
from api.deps import BureauUser, SchoolOrBureau, SessionDep
from api.models import (
    AuditEntry,
    AuditEntryPublic,
    ElectiveRequest,
    Pupil,
    PupilPair,
    Round,
    SolutionVersion,
)
from api.routes.records import KINDS

router = APIRouter()
PUPILS: Kind = next(k for k in KINDS if k.entity == "pupil")
ERASED = "[erased]"


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
    order = AuditEntry.id.desc()  # type: ignore[union-attr]
    return list(session.exec(query.order_by(order).offset(offset).limit(limit)).all())


def pupil_audit(session: SessionDep, pupil: Pupil) -> list[AuditEntry]:
    return list(
        session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "pupil", AuditEntry.entity_id == str(pupil.id)
            )
        ).all()
    )


@router.get("/pupils/{pupil_id}/export", tags=["privacy"])
def export_pupil(pupil_id: int, session: SessionDep, user: SchoolOrBureau) -> dict[str, Any]:
    """Everything stored about one pupil: record, wishes, placements and audit trail."""
    pupil: Pupil = get_scoped(session, PUPILS, user, pupil_id, write=False)
    requests = session.exec(select(ElectiveRequest).where(ElectiveRequest.pupil_id == pupil.id))
    rounds = session.exec(select(Round).where(Round.region_id == pupil.region_id)).all()
    placements = []
    for round_ in rounds:
        if round_.published_version_id is None:
            continue
        version = session.get(SolutionVersion, round_.published_version_id)
        for a in version.solution.get("assignments", []) if version else []:
            if a["student"] == pupil.code:
                placements.append({"round": round_.name, **a})
    audit.record(session, user, "export", "pupil", pupil.id)
    commit(session)
    return {
        "pupil": audit.snapshot(pupil),
        "elective_requests": [audit.snapshot(r) for r in requests],
        "published_placements": placements,
        "audit": [
            AuditEntryPublic.model_validate(e).model_dump(mode="json")
            for e in pupil_audit(session, pupil)
        ],
    }


@router.post("/pupils/{pupil_id}/erase", tags=["privacy"])
def erase_pupil(pupil_id: int, session: SessionDep, user: SchoolOrBureau) -> dict[str, Any]:
    """Erase a pupil: record and wishes deleted, name and home scrubbed everywhere."""
    pupil: Pupil = get_scoped(session, PUPILS, user, pupil_id, write=True)
    code, region_id = pupil.code, pupil.region_id
    for request in session.exec(
        select(ElectiveRequest).where(ElectiveRequest.pupil_id == pupil.id)
    ):
        session.delete(request)
    # The database would take the pupil's together/apart pairs along by its cascade; they go
    # here instead, each with its audit entry, so the audit trail shows every one that went.
    for pair in session.exec(
        select(PupilPair).where(
            or_(PupilPair.pupil_a_id == pupil.id, PupilPair.pupil_b_id == pupil.id)
        )
    ).all():
        audit.record(session, user, "delete", "pupil_pair", pair.id, before=audit.snapshot(pair))
        session.delete(pair)
    for entry in pupil_audit(session, pupil):
        entry.before = _scrubbed(entry.before)
        entry.after = _scrubbed(entry.after)
        session.add(entry)
    scrubbed_documents = 0
    for round_ in session.exec(select(Round).where(Round.region_id == region_id)).all():
        scrubbed_documents += _scrub_home(session, round_, "document", code)
        versions = session.exec(
            select(SolutionVersion).where(SolutionVersion.round_id == round_.id)
        )
        for version in versions:
            scrubbed_documents += _scrub_home(session, version, "round_document", code)
    session.delete(pupil)
    audit.record(
        session, user, "erase", "pupil", pupil_id,
        after={"code": code, "documents_scrubbed": scrubbed_documents},
    )  # fmt: skip
    commit(session)
    return {"erased": code, "documents_scrubbed": scrubbed_documents}


def _scrub_home(session: Session, record: Round | SolutionVersion, column: str, code: str) -> int:
    """Drop pupil `code`'s home from the round document in `record.column`: 1 if it had one."""
    document = copy.deepcopy(getattr(record, column))
    if not _drop_home(document, code):
        return 0
    setattr(record, column, document)
    flag_modified(record, column)
    session.add(record)
    return 1


def _scrubbed(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {
        k: (ERASED if k in {"first_name", "home_lat", "home_lon"} and v is not None else v)
        for k, v in data.items()
    }


def _drop_home(document: dict[str, Any], code: str) -> bool:
    """Remove the pupil's home from a round document in place; True if there was one."""
    for student in document.get("students", []):
        if student.get("id") == code and "home" in student:
            del student["home"]
            return True
    return False
