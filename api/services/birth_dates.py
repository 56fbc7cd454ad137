"""A pupil's birth date: what the working-time rules for minors need, and nothing more.

Pupils are minors, so the platform keeps a birth date only for a pupil with a confirmed
placement (an open or signed agreement), only its own school reads or writes it, and it goes
with the pupil's erasure. The audit trail records that it was set or removed, never the date:
the bureau reads the trail.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from api import audit
from api.models import (
    Agreement,
    AgreementStatus,
    BirthDateBody,
    Pupil,
    PupilBirthDate,
    Role,
    User,
)
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import commit, guard_version

ENTITY = "pupil_birth_date"


def school_pupil(session: Session, user: User, pupil_id: int) -> Pupil:
    """A pupil of the user's own school; only a school may touch a birth date."""
    if user.role != Role.school:
        raise Forbidden(
            "only the pupil's school reads or writes its birth date",
            code="birth_date.not_your_role",
        )
    pupil = session.get(Pupil, pupil_id)
    if pupil is None or pupil.school_id != user.school_id:
        raise NotFound(
            f"no pupil {pupil_id} at your school",
            code="birth_date.no_pupil",
            params={"pupil": pupil_id},
        )
    return pupil


def has_confirmed_placement(session: Session, pupil_id: int) -> bool:
    query = select(Agreement.id).where(
        Agreement.pupil_id == pupil_id, col(Agreement.status) != AgreementStatus.withdrawn
    )
    return session.exec(query).first() is not None


def birth_date_of(session: Session, pupil_id: int) -> date | None:
    """The stored birth date, for the working-time check (never shown outside the school)."""
    row = session.get(PupilBirthDate, pupil_id)
    return row.birth_date if row is not None else None


def read_birth_date(session: Session, user: User, pupil_id: int) -> PupilBirthDate:
    pupil = school_pupil(session, user, pupil_id)
    row = session.get(PupilBirthDate, pupil_id)
    if row is None:
        raise NotFound(
            f"no birth date stored for pupil {pupil.code}",
            code="birth_date.none",
            params={"pupil": pupil.code},
        )
    return row


def set_birth_date(
    session: Session, user: User, pupil_id: int, body: BirthDateBody
) -> PupilBirthDate:
    """Store or change the birth date of a pupil with a confirmed placement."""
    pupil = school_pupil(session, user, pupil_id)
    if not has_confirmed_placement(session, pupil_id):
        raise Conflict(
            f"pupil {pupil.code} has no confirmed placement: a birth date is only kept for "
            "a pupil whose placement agreement is being made",
            code="birth_date.not_confirmed",
            params={"pupil": pupil.code},
        )
    if body.birth_date >= date.today():
        raise field_error(
            "birth_date",
            f"pupil {pupil.code}: {body.birth_date} is not in the past",
            kind="birth_date.not_past",
        )
    row = session.get(PupilBirthDate, pupil_id)
    if row is None:
        row = PupilBirthDate(
            pupil_id=pupil_id,
            region_id=pupil.region_id,
            school_id=pupil.school_id,
            birth_date=body.birth_date,
        )
        # Signatures made on a birth date since deleted were made on other rules, perhaps.
        clear_signatures(session, user, pupil_id)
        action = "create"
    else:
        if body.version != row.version:
            raise Conflict(
                f"birth date of pupil {pupil.code}: stale version {body.version}, "
                f"it is at {row.version}",
                code="birth_date.stale_version",
                params={"pupil": pupil.code},
            )
        if row.birth_date != body.birth_date:
            clear_signatures(session, user, pupil_id)
        row.birth_date = body.birth_date
        guard_version(session, row, row.version, f"birth date of pupil {pupil.code}")
        action = "update"
    session.add(row)
    audit.record(
        session,
        user,
        action,
        ENTITY,
        pupil_id,
        after={"pupil_id": pupil_id, "version": row.version},
    )
    commit(session)
    session.refresh(row)
    return row


def clear_signatures(session: Session, user: User, pupil_id: int) -> None:
    """Another birth date may bring other rules: the pupil's agreements are signed again."""
    for agreement in session.exec(
        select(Agreement).where(
            Agreement.pupil_id == pupil_id, col(Agreement.status) != AgreementStatus.withdrawn
        )
    ).all():
        if not agreement.signatures:
            continue
        parties = sorted(agreement.signatures)
        agreement.signatures, agreement.signed_at = {}, None
        agreement.status = AgreementStatus.open
        agreement.version += 1
        session.add(agreement)
        audit.record(
            session,
            user,
            "clear_signatures",
            "agreement",
            agreement.id,
            before={"signatures": parties, "reason": "birth_date"},
        )


def remove_birth_date(session: Session, user: User | None, pupil_id: int) -> bool:
    """Delete the birth date (erasure, or the school's own choice); audited without the date.
    Not committed: the caller's transaction holds it."""
    row = session.get(PupilBirthDate, pupil_id)
    if row is None:
        return False
    session.delete(row)
    audit.record(session, user, "delete", ENTITY, pupil_id, before={"pupil_id": pupil_id})
    return True


def delete_birth_date(session: Session, user: User, pupil_id: int) -> None:
    pupil = school_pupil(session, user, pupil_id)
    if not remove_birth_date(session, user, pupil_id):
        raise NotFound(
            f"no birth date stored for pupil {pupil.code}",
            code="birth_date.none",
            params={"pupil": pupil.code},
        )
    # Without a birth date no rule can be checked: what was signed on it is signed again.
    clear_signatures(session, user, pupil_id)
    commit(session)
