"""Placement agreements (stageovereenkomst, issue 16): one per confirmed placement, filled in by
the company (days, hours, breaks, supervisor) and the school (contact, lesson hours, the
pupil's birth date), checked against the working-time rules for minors
(`scheduler.working_time`) and signed per party: school, company, pupil, and a parent when the
pupil is under 16 on the first day. The pupil and parent have no account: the school records
their signatures. A change to the working hours after a signature clears every signature.

Scope: the bureau reads the region's agreements, a school those of its pupils, a company its
own; nobody but the school ever gets the birth date (an agreement does not hold it).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import audit
from api.agreement_pdf import AgreementSheet, Signature, agreement_pdf
from api.agreement_words import clock, dutch_date
from api.db import saved_id
from api.mail_queue import enqueue, users_of
from api.mail_words import mail_text
from api.models import (
    WEEKDAY_CODES,
    Agreement,
    AgreementParty,
    AgreementProblem,
    AgreementPublic,
    AgreementSchedule,
    AgreementSchoolPart,
    AgreementStatus,
    AgreementUpdate,
    Company,
    NotificationKind,
    Pupil,
    Role,
    Round,
    School,
    SignatureBody,
    SolutionVersion,
    User,
    utcnow,
)
from api.services import placement_requests
from api.services.birth_dates import birth_date_of, remove_birth_date
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import commit, guard_version
from api.services.rounds import pupils_by_code
from scheduler.calendar import TIMEZONE
from scheduler.contract.solution import Assignment
from scheduler.said import Said, listed, said
from scheduler.working_time import WorkDay, age_on, check_working_time, iso_week

ENTITY = "agreement"
# The parties each role signs for: the school records the pupil's and the parent's signature.
SIGNS_FOR: dict[Role, tuple[AgreementParty, ...]] = {
    Role.company: (AgreementParty.company,),
    Role.school: (AgreementParty.school, AgreementParty.pupil, AgreementParty.parent),
}
FIELDS_OF: dict[Role, frozenset[str]] = {
    Role.company: frozenset(AgreementSchedule.model_fields),
    Role.school: frozenset(AgreementSchoolPart.model_fields),
}
# What the working-time check reads: a change to any of them after a signature clears them all.
SCHEDULE_FIELDS = frozenset(
    {
        "first_day",
        "last_day",
        "weekdays",
        "day_start",
        "day_end",
        "break_minutes",
        "school_hours_per_day",
        "school_hours_per_week",
    }
)
DEFAULT_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
MAX_SPAN_DAYS = 366  # a school year's placement: keeps every day list (and check) small


# --- opening and withdrawing, from the companies' answers -----------------------------------


def open_agreement(
    session: Session,
    user: User,
    round_: Round,
    version: SolutionVersion,
    slot: Assignment,
    company: Company,
) -> Agreement | None:
    """The agreement of a placement the company confirmed: its dates from the period when the
    round dates it (SPEC section 8), else left for the company to enter. A confirmation after a
    withdrawal opens the same agreement again, unsigned. Not committed: the answer's
    transaction holds it."""
    pupil = pupils_by_code(session, round_.region_id, [slot["student"]]).get(slot["student"])
    if pupil is None:  # erased since the publication
        return None
    existing = session.exec(
        select(Agreement).where(
            Agreement.round_id == round_.id,
            Agreement.pupil_id == pupil.id,
            Agreement.placement == slot["placement"],
            Agreement.period == slot["period"],
        )
    ).first()
    if existing is not None:
        if existing.status == AgreementStatus.withdrawn:
            before = snapshot(existing)
            existing.status, existing.signatures = AgreementStatus.open, {}
            existing.version += 1
            session.add(existing)
            audit.record(
                session,
                user,
                "reopen",
                ENTITY,
                existing.id,
                before=before,
                after=snapshot(existing),
            )
            ask_for_signatures(session, existing)
        return existing
    document = version.round_document
    period = next((p for p in document.get("periods", []) if p["id"] == slot["period"]), None)
    agreement = Agreement(
        region_id=round_.region_id,
        round_id=saved_id(round_),
        version_id=saved_id(version),
        school_id=pupil.school_id,
        company_id=saved_id(company),
        pupil_id=saved_id(pupil),
        student=pupil.code,
        placement=slot["placement"],
        period=slot["period"],
        first_day=date.fromisoformat(period["start"]) if period else None,
        last_day=date.fromisoformat(period["end"]) if period else None,
        weekdays=list(period.get("weekdays") or DEFAULT_WEEKDAYS) if period else DEFAULT_WEEKDAYS,
        holidays=[list(h) for h in (document.get("calendar") or {}).get("holidays", [])],
        supervisor_name=company.contact,
    )
    session.add(agreement)
    try:
        session.flush()
    except IntegrityError:  # the same confirmation made at the same moment by another request
        session.rollback()
        raise Conflict(
            f"pupil {pupil.code} at {slot['placement']}: confirmed at the same moment by "
            "another request; read the answers again",
            code="answer.confirmed_meanwhile",
            params={"pupil": pupil.code, "placement": slot["placement"]},
        ) from None
    audit.record(session, user, "create", ENTITY, agreement.id, after=snapshot(agreement))
    ask_for_signatures(session, agreement)
    return agreement


def withdraw_agreements(
    session: Session, user: User, round_id: int, student: str, company_id: int
) -> None:
    """A company that declines a pupil it confirmed: that pupil's agreement with it lapses."""
    for agreement in session.exec(
        select(Agreement).where(
            Agreement.round_id == round_id,
            Agreement.student == student,
            Agreement.company_id == company_id,
            col(Agreement.status) != AgreementStatus.withdrawn,
        )
    ).all():
        before = snapshot(agreement)
        agreement.status = AgreementStatus.withdrawn
        agreement.version += 1
        session.add(agreement)
        audit.record(
            session,
            user,
            "withdraw",
            ENTITY,
            agreement.id,
            before=before,
            after=snapshot(agreement),
        )


# --- reading ---------------------------------------------------------------------------------


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """The audit copy: who signed and when, without the typed names (a parent's name must
    not outlive the pupil's erasure in the trail)."""
    data = audit.snapshot(agreement)
    data["signatures"] = {
        party: {k: v for k, v in sig.items() if k != "name"}
        for party, sig in agreement.signatures.items()
    }
    return data


def in_scope(user: User) -> Any:
    query = select(Agreement).where(Agreement.region_id == user.region_id)
    if user.role == Role.school:
        query = query.where(Agreement.school_id == user.school_id)
    elif user.role == Role.company:
        query = query.where(Agreement.company_id == user.company_id)
    return query


def list_agreements(session: Session, user: User) -> list[Agreement]:
    return list(session.exec(in_scope(user).order_by(col(Agreement.id))).all())


def get_agreement(session: Session, user: User, agreement_id: int) -> Agreement:
    """An agreement in the user's scope; any other is not found."""
    agreement = session.exec(in_scope(user).where(Agreement.id == agreement_id)).first()
    if agreement is None:
        raise NotFound(
            f"no agreement {agreement_id} in your scope",
            code="agreement.not_found",
            params={"agreement": agreement_id},
        )
    return agreement


def placement_days(agreement: Agreement) -> list[date]:
    """The working days: the agreement's weekdays from first to last day, outside the
    holidays."""
    if agreement.first_day is None or agreement.last_day is None:
        return []
    allowed = {WEEKDAY_CODES.index(w) for w in agreement.weekdays}
    holidays = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in agreement.holidays]
    days, day = [], agreement.first_day
    while day <= agreement.last_day:
        if day.weekday() in allowed and not any(a <= day <= b for a, b in holidays):
            days.append(day)
        day += timedelta(days=1)
    return days


def parties(session: Session, agreement: Agreement) -> list[AgreementParty]:
    """Who signs: school, company, pupil, and a parent unless the pupil is known to be 16 or
    older on the first day."""
    birth = birth_date_of(session, agreement.pupil_id)
    first = agreement.first_day
    adult_enough = birth is not None and first is not None and age_on(birth, first) >= 16
    return [p for p in AgreementParty if p != AgreementParty.parent or not adult_enough]


def problems(session: Session, agreement: Agreement) -> list[AgreementProblem]:
    """What stands in the way of signing: missing entries, then every working-time violation."""
    missing = [
        name
        for name, value in (
            ("first_day", agreement.first_day),
            ("last_day", agreement.last_day),
            ("supervisor_name", agreement.supervisor_name),
            ("school_contact_name", agreement.school_contact_name),
        )
        if not value
    ]
    days = placement_days(agreement)
    if agreement.first_day and agreement.last_day and not days:
        missing.append("days")
    birth = birth_date_of(session, agreement.pupil_id)
    if birth is None:
        missing.append("birth_date")
    found = [AgreementProblem(rule="missing", field=name) for name in missing]
    start, end = time.fromisoformat(agreement.day_start), time.fromisoformat(agreement.day_end)
    if end <= start:
        return [*found, AgreementProblem(rule="times", field="day_end")]
    if birth is None:
        return found
    schedule = [WorkDay(day, start, end, agreement.break_minutes) for day in days]
    school_days = dict.fromkeys(days, agreement.school_hours_per_day)
    school_weeks = {iso_week(day): agreement.school_hours_per_week for day in days}
    for v in check_working_time(birth, schedule, school_days, school_weeks):
        found.append(
            AgreementProblem(
                rule=v.rule.value,
                day=v.day,
                week=v.week,
                hours=round(v.hours, 2),
                limit=round(v.limit, 2),
            )
        )
    return found


# The parties whose typed names a company never reads: the pupil's full name, and a parent's,
# are for the school (pupils are minors; the platform keeps only first names for companies).
SCHOOL_ONLY_NAMES = (AgreementParty.pupil.value, AgreementParty.parent.value)


def signatures_for(agreement: Agreement, reader: User) -> dict[str, Any]:
    """The signatures as `reader` may see them: who and when, and the typed name unless the
    reader is a company and the party the pupil or a parent."""
    if reader.role != Role.company:
        return dict(agreement.signatures)
    return {
        party: {k: v for k, v in signed.items() if k != "name"}
        if party in SCHOOL_ONLY_NAMES
        else signed
        for party, signed in agreement.signatures.items()
    }


def public(session: Session, agreement: Agreement, reader: User) -> AgreementPublic:
    """The agreement as `reader` gets it: with its days, who signs and what is in the way."""
    return AgreementPublic.model_validate(
        {
            # Read attribute by attribute: a row expired by a rollback loads itself again.
            **{name: getattr(agreement, name) for name in Agreement.model_fields},
            "signatures": signatures_for(agreement, reader),
            "days": placement_days(agreement),
            "parties": parties(session, agreement),
            "problems": problems(session, agreement),
        }
    )


def agreements_to_sign(session: Session, user: User) -> list[Agreement]:
    """The open agreements where the user's role still has a party to sign (for the to-do
    page): a company its own signature, a school its own and the pupil's and parent's."""
    own = SIGNS_FOR.get(user.role, ())
    query = in_scope(user).where(Agreement.status == AgreementStatus.open)
    return [
        a
        for a in session.exec(query.order_by(col(Agreement.id))).all()
        if any(p in own and p.value not in a.signatures for p in parties(session, a))
    ]


def status_counts(session: Session, user: User) -> dict[str, int]:
    """How many agreements in the user's scope stand at each status."""
    counts = Counter(a.status.value for a in list_agreements(session, user))
    return {status.value: counts.get(status.value, 0) for status in AgreementStatus}


# --- changing --------------------------------------------------------------------------------


def update_agreement(
    session: Session, user: User, agreement_id: int, body: AgreementUpdate
) -> Agreement:
    """The company's or the school's part of the agreement; a change to the working hours after
    a signature clears every signature (audited)."""
    agreement = get_agreement(session, user, agreement_id)
    allowed = FIELDS_OF.get(user.role)
    if allowed is None:
        raise Forbidden(
            "only the school and the company fill in an agreement", code="agreement.not_your_role"
        )
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name, value in changes.items():
        if name not in allowed:
            raise field_error(
                name,
                f"agreement {agreement_id}: {name} is not yours to enter",
                kind="agreement.not_your_field",
            )
        if value is None and name not in ("first_day", "last_day"):
            raise field_error(
                name,
                f"agreement {agreement_id}: {name} must have a value",
                kind="agreement.needs_value",
            )
    if agreement.status == AgreementStatus.withdrawn:
        raise Conflict(
            f"agreement {agreement_id} of pupil {agreement.student} was withdrawn",
            code="agreement.withdrawn",
            params={"agreement": agreement_id, "pupil": agreement.student},
        )
    if body.version != agreement.version:
        raise Conflict(
            f"stale version {body.version}: agreement {agreement_id} is at {agreement.version}",
            code="agreement.stale_version",
            params={"agreement": agreement_id},
        )
    start = changes.get("first_day", agreement.first_day)
    end = changes.get("last_day", agreement.last_day)
    if start is not None and end is not None and end < start:
        raise field_error(
            "last_day",
            f"agreement {agreement_id}: the last day {end} is before the first day {start}",
            kind="agreement.end_before_start",
            ctx={"first": str(start)},
        )
    if start is not None and end is not None and (end - start).days > MAX_SPAN_DAYS:
        raise field_error(
            "last_day",
            f"agreement {agreement_id}: a placement lasts at most a year ({start} to {end})",
            kind="agreement.too_long",
        )
    day_start = changes.get("day_start", agreement.day_start)
    day_end = changes.get("day_end", agreement.day_end)
    if time.fromisoformat(day_end) <= time.fromisoformat(day_start):
        raise field_error(
            "day_end",
            f"agreement {agreement_id}: the end time {day_end} is not "
            f"after the start time {day_start}",
            kind="agreement.end_not_after_start",
            ctx={"start": str(day_start)},
        )
    before = snapshot(agreement)
    schedule_changed = any(
        getattr(agreement, name) != value
        for name, value in changes.items()
        if name in SCHEDULE_FIELDS
    )
    for name, value in changes.items():
        setattr(agreement, name, list(value) if isinstance(value, list) else value)
    cleared = schedule_changed and bool(agreement.signatures)
    if cleared:
        agreement.signatures, agreement.signed_at = {}, None
        agreement.status = AgreementStatus.open
        audit.record(
            session,
            user,
            "clear_signatures",
            ENTITY,
            agreement_id,
            before={"signatures": before["signatures"]},
        )
    guard_version(session, agreement, agreement.version, f"agreement {agreement.id}")
    session.add(agreement)
    audit.record(
        session, user, "update", ENTITY, agreement_id, before=before, after=snapshot(agreement)
    )
    if cleared:
        ask_for_signatures(session, agreement)
    commit(session)
    session.refresh(agreement)
    return agreement


def sign(session: Session, user: User, agreement_id: int, body: SignatureBody) -> Agreement:
    """One party's signature: who (the user and the name typed) and when. Refused while
    anything is missing or a working-time rule is broken; the last signature completes it."""
    agreement = get_agreement(session, user, agreement_id)
    if body.party not in SIGNS_FOR.get(user.role, ()):
        raise Forbidden(
            f"a {user.role} user does not sign for the {body.party}",
            code="agreement.not_your_signature",
        )
    if agreement.status != AgreementStatus.open:
        raise Conflict(
            f"agreement {agreement_id} of pupil {agreement.student} is {agreement.status.value}",
            code="agreement.not_open",
            params={"agreement": agreement_id, "pupil": agreement.student},
        )
    if body.version != agreement.version:
        raise Conflict(
            f"stale version {body.version}: agreement {agreement_id} is at {agreement.version}",
            code="agreement.stale_version",
            params={"agreement": agreement_id},
        )
    required = parties(session, agreement)
    if body.party not in required:
        raise field_error(
            "party",
            f"agreement {agreement_id}: pupil {agreement.student} is 16 "
            "or older on the first day, no parent signs",
            kind="agreement.no_parent",
            ctx={"pupil": agreement.student},
        )
    if body.party.value in agreement.signatures:
        raise Conflict(
            f"agreement {agreement_id}: the {body.party.value} has signed already",
            code="agreement.signed_already",
            params={"agreement": agreement_id},
        )
    in_the_way = problems(session, agreement)
    if in_the_way:
        raise Conflict(
            f"agreement {agreement_id} of pupil {agreement.student} cannot be signed: "
            + "; ".join(problem_text(p) for p in in_the_way),
            code="agreement.cannot_sign",
            params={
                "agreement": agreement_id,
                "pupil": agreement.student,
                "problems": listed([problem_said(p) for p in in_the_way], join="join.semicolon"),
            },
        )
    before = snapshot(agreement)
    signature = {"user_id": user.id, "name": body.name, "at": utcnow().isoformat()}
    agreement.signatures = {**agreement.signatures, body.party.value: signature}
    guard_version(session, agreement, agreement.version, f"agreement {agreement.id}")
    session.add(agreement)
    audit.record(
        session,
        user,
        "sign",
        ENTITY,
        agreement_id,
        before=before,
        after={**snapshot(agreement), "party": body.party.value},
    )
    if all(p.value in agreement.signatures for p in required):
        complete_signing(session, user, agreement)
    else:
        ask_for_signatures(session, agreement)
    commit(session)
    session.refresh(agreement)
    return agreement


def complete_signing(session: Session, user: User, agreement: Agreement) -> None:
    """The one place an agreement becomes fully signed (in the signature's transaction): what
    else follows a signed agreement (a request's status, notifications) is called from here."""
    agreement.status = AgreementStatus.signed
    agreement.signed_at = utcnow()
    session.add(agreement)
    audit.record(session, user, "signed", ENTITY, agreement.id, after=snapshot(agreement))
    placement_requests.mark_agreement_signed(session, agreement.pupil_id, agreement.round_id)


def ask_for_signatures(session: Session, agreement: Agreement) -> None:
    """Mail the company's and the school's users while their side still has a party to sign,
    once per version of the agreement (it opened, a party signed, the hours changed)."""
    required = parties(session, agreement)
    waiting = [p for p in required if p.value not in agreement.signatures]
    signed = [p for p in required if p.value in agreement.signatures]
    company = session.get(Company, agreement.company_id)

    def compose(language: str) -> tuple[str, str]:
        def names(found: list[AgreementParty]) -> str:
            return ", ".join(mail_text(language, f"party.{p.value}") for p in found)

        params = {"student": agreement.student, "company": company.name if company else "",
                  "placement": agreement.placement, "period": agreement.period}  # fmt: skip
        body = mail_text(
            language,
            "agreement.body",
            **params,
            parties=names(waiting),
            signed=names(signed) or mail_text(language, "party.none"),
        )
        return mail_text(language, "agreement.subject", **params), body

    once = f"agreement-{agreement.id}-v{agreement.version}"
    for role, own in SIGNS_FOR.items():
        if any(p in own for p in waiting):
            users = users_of(
                session,
                agreement.region_id,
                role,
                school_id=agreement.school_id,
                company_id=agreement.company_id,
            )
            kind = NotificationKind.agreement_to_sign
            enqueue(session, users, kind, compose, "/app/agreements", once_key=once)


def problem_said(problem: AgreementProblem) -> Said:
    """A problem as the words a page says in its own language (`agreements.problem.<rule>`),
    for a refusal's params: the Dutch names what the English names."""
    hours, limit = problem.hours or 0, problem.limit or 0
    return said(
        f"agreements.problem.{problem.rule}",
        day=problem.day.isoformat() if problem.day else "",
        week=problem.week,
        hours=clock(hours) if problem.rule == "night" else f"{hours:g}",
        limit=clock(limit) if problem.rule == "night" else f"{limit:g}",
        field=said(f"agreements.field.{problem.field}") if problem.field else "",
    )


def problem_text(problem: AgreementProblem) -> str:
    """A problem in the API's own language, for a refusal's detail (pages use their words)."""
    where = problem.week or (problem.day.isoformat() if problem.day else "")
    if problem.rule in ("missing", "times"):
        return f"{problem.rule} {problem.field}"
    return f"{problem.rule} on {where}: {problem.hours} against {problem.limit}"


# --- a pupil's data ----------------------------------------------------------------------------


def pupil_agreements(session: Session, pupil: Pupil) -> list[Agreement]:
    query = select(Agreement).where(Agreement.pupil_id == pupil.id)
    return list(session.exec(query.order_by(col(Agreement.id))).all())


def erase_pupil_agreements(session: Session, user: User, pupil: Pupil) -> None:
    """With the pupil go its agreements (signatures and typed names) and its birth date, each
    audited; not committed: the erasure's transaction holds it."""
    for agreement in pupil_agreements(session, pupil):
        audit.record(session, user, "delete", ENTITY, agreement.id, before=snapshot(agreement))
        session.delete(agreement)
    remove_birth_date(session, user, saved_id(pupil))


# --- the printed agreement ---------------------------------------------------------------------


def agreement_sheet(session: Session, user: User, agreement_id: int) -> AgreementSheet:
    """What the printed agreement shows, gathered in the user's scope (no birth date)."""
    agreement = get_agreement(session, user, agreement_id)
    school = session.get(School, agreement.school_id)
    company = session.get(Company, agreement.company_id)
    pupil = session.get(Pupil, agreement.pupil_id)
    signatures = []
    seen = signatures_for(agreement, user)
    for party in parties(session, agreement):
        signed = seen.get(party.value, {})
        at = signed.get("at", "")
        if at:
            local = datetime.fromisoformat(at).astimezone(ZoneInfo(TIMEZONE))
            at = f"{dutch_date(local.date())} om {local:%H:%M}"
        signatures.append(Signature(party.value, signed.get("name", ""), at))

    def contact(name: str, phone: str, email: str) -> str:
        return ", ".join(part for part in (name, phone, email) if part)

    return AgreementSheet(
        number=saved_id(agreement),
        school_name=school.name if school else "",
        school_contact=contact(
            agreement.school_contact_name,
            agreement.school_contact_phone,
            agreement.school_contact_email,
        ),
        company_name=company.name if company else "",
        supervisor=contact(
            agreement.supervisor_name, agreement.supervisor_phone, agreement.supervisor_email
        ),
        pupil_code=agreement.student,
        pupil_first_name=pupil.first_name if pupil else "",
        placement=agreement.placement,
        period=agreement.period,
        days=placement_days(agreement),
        weekdays=agreement.weekdays,
        day_start=agreement.day_start,
        day_end=agreement.day_end,
        break_minutes=agreement.break_minutes,
        school_hours_per_day=agreement.school_hours_per_day,
        school_hours_per_week=agreement.school_hours_per_week,
        problems=problems(session, agreement),
        signatures=signatures,
    )


def agreement_document(session: Session, user: User, agreement_id: int) -> bytes:
    """The agreement as a PDF, in the user's scope."""
    return agreement_pdf(agreement_sheet(session, user, agreement_id))
