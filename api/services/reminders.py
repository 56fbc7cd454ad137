"""Reminders before a round's answer deadline: each company that still owes answers gets one.

Run by the worker's mail loop (`api.services.outbox.run_outbox`) as often as it likes: the
reminder of a publication carries a key (round, version, deadline), so a company is reminded
once per deadline, and again only when the bureau publishes anew or moves the deadline.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.db import session_scope
from api.mail_queue import enqueue, users_of
from api.mail_words import mail_text
from api.models import Company, NotificationKind, Role, Round, RoundStatus, SolutionVersion
from api.services.answers import Answers
from api.services.declines import unanswered
from api.settings import Settings


def remind_deadlines(engine: Engine, settings: Settings, today: date) -> int:
    """Queue the reminders due `today` (from `reminder_days` before a deadline until the
    deadline itself); returns how many mails were queued."""
    with session_scope(engine) as session:
        return sum(
            remind_round(session, round_, version, today)
            for round_, version in session.exec(
                select(Round, SolutionVersion)
                .join(SolutionVersion, col(SolutionVersion.id) == col(Round.published_version_id))
                .where(
                    col(Round.answer_deadline).is_not(None),
                    col(Round.answer_deadline) >= today,
                    col(Round.answer_deadline) <= today + timedelta(days=settings.reminder_days),
                    col(Round.status).in_([RoundStatus.published, RoundStatus.proposed]),
                )
                .order_by(col(Round.id))
            ).all()
        )


def remind_round(session: Session, round_: Round, version: SolutionVersion, today: date) -> int:
    """Remind each company of the round's publication with unanswered pupils or visits."""
    standing = Answers(session, round_, version)
    waiting = unanswered(
        session, round_, version, set(standing.pupils), set(standing.activities), today
    )
    owed = Counter(item.company_id for item in waiting.items)
    deadline = round_.answer_deadline.isoformat() if round_.answer_deadline else ""
    queued = 0
    for company_id, count in sorted(owed.items()):
        company = session.get(Company, company_id)
        if company is None:
            continue
        params = {
            "round": round_.name,
            "company": company.name,
            "count": count,
            "deadline": deadline,
        }

        def mail(lang: str, params: dict[str, object] = params) -> tuple[str, str]:
            return (
                mail_text(lang, "deadline.subject", **params),
                mail_text(lang, "deadline.body", **params),
            )

        queued += enqueue(
            session,
            users_of(session, round_.region_id, Role.company, company_id=company_id),
            NotificationKind.answer_deadline,
            mail,
            "/app/company/pupils",
            once_key=f"deadline:{round_.id}:{version.id}:{deadline}",
        )
    return queued
