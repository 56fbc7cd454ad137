"""Notifications: who is told what, in the transaction of the change that causes it.

`notify` is the one call the rest of the platform makes (a publication, a decline, an agreement
that waits for a signature): it writes one outbox row per user, which the sender
(`api.services.outbox`) mails instantly or in the user's daily digest. Each school and company
is told only what concerns it: a school the counts of its own pupils and the codes of those not
placed, a company its own pupils and visits and the answer deadline. Pupils get no mail (no
pupil's address is stored) and mail names a pupil by its code only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from sqlmodel import Session, select

from api import audit
from api.mail_queue import enqueue, preferences, users_of
from api.mail_words import mail_text
from api.models import (
    Company,
    NotificationKind,
    NotificationPreference,
    NotificationPreferencePublic,
    NotificationPreferenceUpdate,
    Role,
    Round,
    School,
    SolutionVersion,
    User,
)
from api.services.records import commit
from scheduler.contract.solution import assignment_map

__all__ = ["NotificationKind", "notify"]

SCHOOL_LINK = "/app/school/results"
COMPANY_LINK = "/app/company/pupils"


def notify(
    session: Session,
    *,
    users: Iterable[User],
    kind: NotificationKind,
    subject: str,
    body: str,
    link: str | None = None,
) -> None:
    """Queue one mail per user about a change, in the session's transaction: it is sent only
    if the change commits, and kept until the mail server takes it."""
    enqueue(session, users, kind, lambda _language: (subject, body), link)


# --- a user's own choice ------------------------------------------------------------------------


def preference_of(session: Session, user: User) -> NotificationPreferencePublic:
    """How mail reaches the user: instant (the default) or a daily digest, and in which language."""
    stored = preferences(session, [user]).get(user.id or 0)
    return NotificationPreferencePublic.model_validate(
        stored.model_dump() if stored else NotificationPreference(user_id=user.id or 0)
    )


def set_preference(
    session: Session, user: User, body: NotificationPreferenceUpdate
) -> NotificationPreferencePublic:
    """The user changes their own choice (audited); fields left out stay as they were."""
    stored = preferences(session, [user]).get(user.id or 0)
    before = audit.snapshot(stored)
    row = stored or NotificationPreference(user_id=user.id or 0)
    for name, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(row, name, value)
    session.add(row)
    audit.record(
        session,
        user,
        "update",
        "notification_preference",
        user.id,
        before=before,
        after=audit.snapshot(row),
    )
    commit(session)
    return preference_of(session, user)


# --- what a publication tells each school and company ------------------------------------------


def notify_publication(
    session: Session, round_: Round, published: SolutionVersion, previous: SolutionVersion | None
) -> None:
    """Tell each school and company of the region what the publication means for it: the first
    publication of a round its results, a later one (a repair, a re-solve) what changed."""
    if previous is None:
        _first_publication(session, round_, published)
    else:
        _changed_publication(session, round_, published, previous)


def _parties(session: Session, region_id: int) -> tuple[dict[str, School], dict[str, Company]]:
    schools = session.exec(select(School).where(School.region_id == region_id)).all()
    companies = session.exec(select(Company).where(Company.region_id == region_id)).all()
    return {s.code: s for s in schools}, {c.code: c for c in companies}


def _school_of(document: Mapping[str, Any]) -> dict[str, str]:
    """Pupil, class and teacher code -> the code of their school."""
    return {
        r["id"]: r["school"]
        for key in ("students", "classes", "teachers")
        for r in document.get(key, [])
        if "school" in r
    }


def _deadline(round_: Round) -> str:
    return round_.answer_deadline.isoformat() if round_.answer_deadline else "-"


def _first_publication(session: Session, round_: Round, published: SolutionVersion) -> None:
    document, solution = published.round_document, published.solution
    schools, companies = _parties(session, round_.region_id)
    school_of = _school_of(document)
    placed = assignment_map(solution)
    activities = solution.get("activities", [])
    for code, school in schools.items():
        pupils = sorted(s["id"] for s in document.get("students", []) if s["school"] == code)
        visits = sum(1 for a in activities if school_of.get(a["requester"]) == code)
        if not pupils and not visits:
            continue
        unplaced = [p for p in pupils if p not in placed]
        params = {
            "round": round_.name,
            "school": school.name,
            "pupils": len(pupils),
            "placed": len(pupils) - len(unplaced),
            "unplaced": len(unplaced),
        }
        users = users_of(session, round_.region_id, Role.school, school_id=school.id)
        mail = partial(_school_results, params, unplaced, visits)
        enqueue(session, users, NotificationKind.round_published, mail, SCHOOL_LINK)
    for code, company in companies.items():
        mine = sorted(
            (a for a in solution.get("assignments", []) if a["company"] == code),
            key=lambda a: a["student"],
        )
        visits = sum(1 for a in activities if a.get("company") == code)
        if not mine and not visits:
            continue
        params = {
            "round": round_.name,
            "company": company.name,
            "pupils": len(mine),
            "activities": visits,
            "deadline": _deadline(round_),
        }

        users = users_of(session, round_.region_id, Role.company, company_id=company.id)
        mail = partial(_company_assignments, params, mine)
        enqueue(session, users, NotificationKind.round_published, mail, COMPANY_LINK)


def _school_results(
    params: dict[str, Any], unplaced: list[str], visits: int, lang: str
) -> tuple[str, str]:
    """A school's mail about a first publication: its counts and its pupils not placed."""
    lines = [mail_text(lang, "published.school.body", **params)]
    if unplaced:
        lines.append(mail_text(lang, "published.school.unplaced", codes=", ".join(unplaced)))
    if visits:
        lines.append(mail_text(lang, "published.school.activities", count=visits))
    return mail_text(lang, "published.school.subject", **params), "\n\n".join(lines)


def _company_assignments(
    params: dict[str, Any], mine: list[dict[str, Any]], lang: str
) -> tuple[str, str]:
    """A company's mail about a first publication: its pupils, visits and answer deadline."""
    lines = [mail_text(lang, "published.company.body", **params)]
    lines += [mail_text(lang, "published.company.pupil", **a) for a in mine]
    return mail_text(lang, "published.company.subject", **params), "\n".join(lines)


def _changed_publication(
    session: Session, round_: Round, published: SolutionVersion, previous: SolutionVersion
) -> None:
    """Only the schools of pupils who moved, and the companies they moved from or to."""
    before = {a["student"]: a for a in previous.solution.get("assignments", [])}
    after = {a["student"]: a for a in published.solution.get("assignments", [])}
    school_of = _school_of(published.round_document) | _school_of(previous.round_document)
    moved = sorted(
        s for s in set(before) | set(after) if _slot(before.get(s)) != _slot(after.get(s))
    )
    if not moved:
        return
    schools, companies = _parties(session, round_.region_id)
    by_school: dict[str, list[str]] = {}
    by_company: dict[str, list[str]] = {}
    for student in moved:
        by_school.setdefault(school_of.get(student, ""), []).append(student)
        for slot in (before.get(student), after.get(student)):
            if slot is not None and student not in by_company.get(slot["company"], []):
                by_company.setdefault(slot["company"], []).append(student)

    def lines(lang: str, students: list[str]) -> list[str]:
        none = mail_text(lang, "moved.none")
        return [
            mail_text(
                lang,
                "moved.line",
                student=s,
                old=_where(before.get(s)) or none,
                new=_where(after.get(s)) or none,
            )
            for s in students
        ]

    for code, students in sorted(by_school.items()):
        school = schools.get(code)
        if school is None:
            continue

        def school_mail(lang: str, students: list[str] = students) -> tuple[str, str]:
            subject = mail_text(
                lang, "moved.school.subject", round=round_.name, count=len(students)
            )
            body = [mail_text(lang, "moved.body", round=round_.name), *lines(lang, students)]
            return subject, "\n".join(body)

        users = users_of(session, round_.region_id, Role.school, school_id=school.id)
        enqueue(session, users, NotificationKind.repair_moved, school_mail, SCHOOL_LINK)
    for code, students in sorted(by_company.items()):
        company = companies.get(code)
        if company is None:
            continue

        def company_mail(
            lang: str, students: list[str] = students, name: str = company.name
        ) -> tuple[str, str]:
            subject = mail_text(lang, "moved.company.subject", round=round_.name, company=name)
            body = [
                mail_text(lang, "moved.body", round=round_.name),
                *lines(lang, students),
                "",
                mail_text(lang, "moved.company.deadline", deadline=_deadline(round_)),
            ]
            return subject, "\n".join(body)

        users = users_of(session, round_.region_id, Role.company, company_id=company.id)
        enqueue(session, users, NotificationKind.repair_moved, company_mail, COMPANY_LINK)


def _slot(assignment: Mapping[str, Any] | None) -> tuple[str, str] | None:
    return (assignment["placement"], assignment["period"]) if assignment else None


def _where(assignment: Mapping[str, Any] | None) -> str:
    if assignment is None:
        return ""
    return f"{assignment['placement']} ({assignment['company']}, {assignment['period']})"


# --- a company declines -------------------------------------------------------------------------


def notify_decline(
    session: Session,
    round_: Round,
    version: SolutionVersion,
    company: Company,
    item: Mapping[str, str],
) -> None:
    """Tell the bureau and the school concerned that a company declined a pupil (`student`,
    `placement`, `period`) or a visit (`requester`, `offer`, `date`, `daypart`)."""
    school_code = _school_of(version.round_document).get(item.get("student") or item["requester"])
    school = (
        session.exec(
            select(School).where(School.region_id == round_.region_id, School.code == school_code)
        ).first()
        if school_code
        else None
    )
    key = "declined" if "student" in item else "declined_visit"
    params = {**item, "company": company.name, "round": round_.name}

    def mail(lang: str) -> tuple[str, str]:
        return mail_text(lang, f"{key}.subject", **params), mail_text(lang, f"{key}.body", **params)

    bureau = users_of(session, round_.region_id, Role.bureau)
    enqueue(
        session, bureau, NotificationKind.company_declined, mail, f"/app/bureau/rounds/{round_.id}"
    )
    if school is not None:
        staff = users_of(session, round_.region_id, Role.school, school_id=school.id)
        enqueue(session, staff, NotificationKind.company_declined, mail, SCHOOL_LINK)
