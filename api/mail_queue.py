"""Writing mail into the outbox: one row per recipient, in the caller's transaction.

A change and the mail that tells about it commit together or not at all; the sender
(`api.services.outbox`) delivers later, so a mail server that is down delays mail and loses
none. This module sits below the services and the job code, which both write mail here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.models import (
    NotificationKind,
    NotificationPreference,
    NotifyMode,
    OutboxMessage,
    Role,
    User,
    utcnow,
)

# Digests go out at 07:00 in the Netherlands, where the bureau, schools and companies are:
# before the working day, so yesterday's news is read with the morning's first look.
LOCAL = ZoneInfo("Europe/Amsterdam")
DIGEST_HOUR = 7

# (subject, body) of a mail in the language asked for ("nl" or "en").
Compose = Callable[[str], tuple[str, str]]


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one is taken to be UTC already (the stored columns are aware)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def next_digest_at(now: datetime, hour: int = DIGEST_HOUR) -> datetime:
    """The next digest moment after `now`: `hour` o'clock in the Netherlands, in UTC."""
    local = as_utc(now).astimezone(LOCAL)
    moment = datetime.combine(local.date(), time(hour), tzinfo=LOCAL)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=LOCAL)
    return as_utc(moment)


def preferences(session: Session, users: Iterable[User]) -> dict[int, NotificationPreference]:
    """Each user's stored preference; a user without one has the defaults (instant, Dutch)."""
    ids = [u.id for u in users if u.id is not None]
    if not ids:
        return {}
    rows = session.exec(
        select(NotificationPreference).where(col(NotificationPreference.user_id).in_(ids))
    ).all()
    return {p.user_id: p for p in rows}


def enqueue(
    session: Session,
    users: Iterable[User],
    kind: NotificationKind,
    compose: Compose,
    link: str | None = None,
    *,
    once_key: str | None = None,
    now: datetime | None = None,
) -> int:
    """Add one outbox row per active user (each once), in each user's language and mode;
    returns how many. With `once_key`, a user who has that message already gets none."""
    now = now or utcnow()
    recipients = list({u.id: u for u in users if u.id is not None and u.is_active}.values())
    if once_key is not None and recipients:
        had = set(
            session.exec(
                select(OutboxMessage.user_id).where(
                    OutboxMessage.once_key == once_key,
                    col(OutboxMessage.user_id).in_([u.id for u in recipients]),
                )
            ).all()
        )
        recipients = [u for u in recipients if u.id not in had]
    chosen = preferences(session, recipients)
    for user in recipients:
        preference = chosen.get(user.id or 0) or NotificationPreference(user_id=user.id or 0)
        subject, body = compose(preference.language)
        digest = preference.notify_mode == NotifyMode.digest
        session.add(
            OutboxMessage(
                region_id=user.region_id,
                user_id=user.id or 0,
                kind=kind,
                subject=subject[:300],
                body=body,
                link=link,
                digest=digest,
                once_key=once_key,
                created_at=now,
                next_attempt_at=next_digest_at(now) if digest else as_utc(now),
            )
        )
    return len(recipients)


def users_of(
    session: Session,
    region_id: int,
    role: Role,
    *,
    school_id: int | None = None,
    company_id: int | None = None,
) -> list[User]:
    """The active users of a region's bureau, or of one school or company in it."""
    query = select(User).where(User.region_id == region_id, User.role == role, User.is_active)
    if role == Role.school:
        query = query.where(User.school_id == school_id)
    elif role == Role.company:
        query = query.where(User.company_id == company_id)
    return list(session.exec(query.order_by(col(User.id))).all())
