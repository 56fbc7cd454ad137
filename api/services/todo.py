"""Each role's to-do list: what waits for the user now, each line with the page where it is done.

A role's list is the items of its sources, in order. A source is a plain function of the
session, the user and today; another workflow adds its own (agreements waiting for a
signature, requests waiting for approval) by appending it to `TODO_SOURCES`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from api.db import saved_id
from api.models import (
    RequestStatus,
    Role,
    Round,
    School,
    SolutionVersion,
    TodoItem,
    UnansweredPublic,
    User,
)
from api.services.agreements import agreements_to_sign
from api.services.answers import Answers
from api.services.declines import unanswered
from api.services.feedback import feedback_to_give
from api.services.menu import menu_items_open
from api.services.outbox import failed_mail
from api.services.placement_requests import list_requests
from api.version_index import summary, unread

TodoSource = Callable[[Session, User, date], list[TodoItem]]


def published_rounds(session: Session, user: User) -> list[tuple[Round, SolutionVersion]]:
    """The region's rounds with a publication, each with its published version; their
    documents are read only by the items that use them (megabytes each in a region)."""
    return list(
        session.exec(
            select(Round, SolutionVersion)
            .join(SolutionVersion, col(SolutionVersion.id) == col(Round.published_version_id))
            .where(Round.region_id == user.region_id)
            .options(*unread(Round.document, SolutionVersion.round_document))
            .options(*unread(SolutionVersion.solution))
            .order_by(col(Round.id))
        ).all()
    )


def proposals_to_publish(session: Session, user: User, today: date) -> list[TodoItem]:
    """Rounds whose newest proposal is not published yet."""
    rounds = session.exec(
        select(Round)
        .where(Round.region_id == user.region_id, col(Round.proposal_version_id).is_not(None))
        .options(*unread(Round.document))
        .order_by(col(Round.id))
    ).all()
    return [
        TodoItem(
            kind="proposal", count=1, link=f"/app/bureau/rounds/{r.id}", detail={"round": r.name}
        )
        for r in rounds
        if r.published_version_id is None or (r.proposal_version_id or 0) > r.published_version_id
    ]


def overdue_companies(session: Session, user: User, today: date) -> list[TodoItem]:
    """Companies past a round's answer deadline with pupils or visits still unanswered."""
    items = []
    for round_, version in published_rounds(session, user):
        if round_.answer_deadline is None or today <= round_.answer_deadline:
            continue  # not overdue whatever is unanswered: the publication stays unread
        waiting = _unanswered(session, round_, version, today)
        if not waiting.overdue:
            continue
        owed = Counter(item.company for item in waiting.items)
        items += [
            TodoItem(
                kind="overdue",
                count=count,
                link=f"/app/bureau/rounds/{round_.id}",
                detail={
                    "round": round_.name,
                    "company": company,
                    "deadline": str(waiting.answer_deadline),
                },
            )
            for company, count in sorted(owed.items())
        ]
    return items


def unplaced_pupils(session: Session, user: User, today: date) -> list[TodoItem]:
    """How many pupils each published round left without a placement."""
    counted = [
        (round_, summary(session, saved_id(version)).unplaced)  # from the version's index
        for round_, version in published_rounds(session, user)
    ]
    return [
        TodoItem(
            kind="unplaced",
            count=unplaced,
            link=f"/app/bureau/rounds/{round_.id}",
            detail={"round": round_.name},
        )
        for round_, unplaced in counted
        if unplaced
    ]


def failed_mails(session: Session, user: User, today: date) -> list[TodoItem]:
    """Mail the server has refused at least once and that still waits (with its last error)."""
    return [
        TodoItem(
            kind="mail_failed",
            count=m.attempts,
            link="/app/todo",
            detail={
                "email": m.email,
                "subject": m.subject,
                "error": m.last_error,
                "next": m.next_attempt_at.strftime("%Y-%m-%d %H:%M UTC"),
            },
        )
        for m in failed_mail(session, user.region_id)
    ]


def school_pupils_to_place(session: Session, user: User, today: date) -> list[TodoItem]:
    """The school's pupils a published round left unplaced, and those a company declined who
    wait for a new placement."""
    school = session.get(School, user.school_id)
    if school is None:
        return []
    items = []
    for round_, version in published_rounds(session, user):
        mine = {
            s["id"]
            for s in version.round_document.get("students", [])
            if s["school"] == school.code
        }
        unplaced = sorted(
            u["student"] for u in version.solution.get("unassigned", []) if u["student"] in mine
        )
        declined = sorted(
            d["student"]
            for d in Answers(session, round_, version).declined_pupils
            if d["student"] in mine
        )
        for kind, codes in (("school_unplaced", unplaced), ("school_declined", declined)):
            if codes:
                items.append(
                    TodoItem(
                        kind=kind,
                        count=len(codes),
                        link="/app/school/results",
                        detail={"round": round_.name, "pupils": ", ".join(codes)},
                    )
                )
    return items


def company_answers_waiting(session: Session, user: User, today: date) -> list[TodoItem]:
    """The company's published pupils and visits it has not confirmed or declined yet."""
    items = []
    for round_, version in published_rounds(session, user):
        waiting = _unanswered(session, round_, version, today)
        count = sum(1 for i in waiting.items if i.company_id == user.company_id)
        if count:
            kind = "company_overdue" if waiting.overdue else "company_waiting"
            items.append(
                TodoItem(
                    kind=kind,
                    count=count,
                    link="/app/company/pupils",
                    detail={"round": round_.name, "deadline": str(waiting.answer_deadline or "-")},
                )
            )
    return items


def feedback_owed(session: Session, user: User, today: date) -> list[TodoItem]:
    """Visits, lessons, placements and sessions that took place without this party's feedback.
    An undated placement may be answered from its publication, but nobody is asked before its
    days are known to be over."""
    owed = Counter(item.kind for item in feedback_to_give(session, user, today) if item.date)
    page = f"/app/{user.role}/feedback"
    return [
        TodoItem(kind=f"feedback_{kind}", count=count, link=page, detail={})
        for kind, count in sorted(owed.items())
    ]


def menu_items_waiting(session: Session, user: User, today: date) -> list[TodoItem]:
    """The bureau: published menu items nobody signed up for; a company: items it could take."""
    items = menu_items_open(session, user)
    if not items:
        return []
    page = "/app/bureau/menu/demand" if user.role == Role.bureau else "/app/company/menu"
    return [TodoItem(kind=f"menu_{user.role}", count=len(items), link=page, detail={})]


def requests_to_act_on(session: Session, user: User, today: date) -> list[TodoItem]:
    """The school's placement requests a mentor has to approve, and those stuck for a week."""
    requests = list_requests(session, user)
    waiting = [r for r in requests if r.status == RequestStatus.submitted]
    stuck = [r for r in requests if r.stuck]
    page = "/app/school/requests"
    return [
        TodoItem(kind=kind, count=len(rows), link=page, detail={})
        for kind, rows in (("requests_to_approve", waiting), ("requests_stuck", stuck))
        if rows
    ]


def agreements_waiting(session: Session, user: User, today: date) -> list[TodoItem]:
    """Placement agreements where the user's side still has a party to sign."""
    waiting = agreements_to_sign(session, user)
    return (
        [TodoItem(kind="agreements", count=len(waiting), link="/app/agreements", detail={})]
        if waiting
        else []
    )


def _unanswered(
    session: Session, round_: Round, version: SolutionVersion, today: date
) -> UnansweredPublic:
    standing = Answers(session, round_, version)
    return unanswered(
        session, round_, version, set(standing.pupils), set(standing.activities), today
    )


TODO_SOURCES: dict[Role, list[TodoSource]] = {
    Role.bureau: [
        proposals_to_publish,
        overdue_companies,
        unplaced_pupils,
        menu_items_waiting,
        failed_mails,
    ],
    Role.school: [requests_to_act_on, school_pupils_to_place, agreements_waiting, feedback_owed],
    Role.company: [company_answers_waiting, agreements_waiting, menu_items_waiting, feedback_owed],
}


def todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """The user's to-do list: the items of every source of their role, in order."""
    return [
        item for source in TODO_SOURCES.get(user.role, []) for item in source(session, user, today)
    ]
