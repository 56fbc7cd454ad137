"""The sender of the mail outbox: due rows out through SMTP, none lost, none sent twice.

Rows are written by `api.services.notifications` in the transactions of the changes they tell
about; `deliver_outbox` runs from the worker (a Celery beat task with Redis, a thread of the
server without, or `stagebureau outbox send` from cron). It claims due rows with a lease (on
PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, elsewhere a conditional UPDATE), so two
senders never take the same row; it talks to the mail server outside any transaction, marks
what went out as sent and gives what failed its error and a later try (exponential backoff,
without end: a row waits as long as the mail server stays away). Without `smtp_host` nothing is
sent and every row waits.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import ColumnElement, Engine, and_, or_, update
from sqlmodel import Session, col, select

from api.mail_queue import LOCAL, as_utc, preferences
from api.mail_words import mail_text
from api.models import NotifyMode, OutboxMessage, OutboxMessagePublic, User, utcnow
from api.services.intake import drop_expired_drafts
from api.services.reminders import remind_deadlines
from api.settings import Settings

log = logging.getLogger(__name__)

BATCH = 100
# A claimed row is another sender's again after this: its sender died while sending.
LEASE = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)


@dataclass(frozen=True)
class Delivery:
    """What one run of the sender did: mails sent and failed, and the rows they held."""

    mails_sent: int = 0
    mails_failed: int = 0
    rows_sent: int = 0
    mail_off: bool = False


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes after the `attempts`-th failure, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LAST_RETRY)


def due(now: datetime) -> ColumnElement[bool]:
    """The condition of a row a sender may take at `now`: unsent, due, and held by nobody."""
    return and_(
        col(OutboxMessage.sent_at).is_(None),
        col(OutboxMessage.next_attempt_at) <= now,
        or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
    )


def claim(engine: Engine, token: str, now: datetime, limit: int = BATCH) -> list[OutboxMessage]:
    """Take up to `limit` due rows for the sender `token` and return them, oldest first."""
    lease = {"claim": token, "claimed_until": now + LEASE}
    with Session(engine, expire_on_commit=False) as session:
        ids = select(OutboxMessage.id).where(due(now)).order_by(col(OutboxMessage.id)).limit(limit)
        if engine.dialect.name == "postgresql":
            # Rows another sender holds are skipped, not waited for: each goes to one sender.
            taken = list(session.exec(ids.with_for_update(skip_locked=True)).all())
            session.exec(
                update(OutboxMessage).where(col(OutboxMessage.id).in_(taken)).values(**lease)
            )
        else:
            # One UPDATE that re-checks the row is still due: of two senders one changes it.
            session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids.scalar_subquery()), due(now))
                .values(**lease)
            )
        session.commit()
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.claim == token)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def deliver_outbox(engine: Engine, settings: Settings, now: datetime | None = None) -> Delivery:
    """Send every due row: instant ones one mail each, a user's due digest rows as one mail."""
    if not settings.smtp_host:
        return Delivery(mail_off=True)
    now = as_utc(now or utcnow())
    token = secrets.token_hex(8)
    rows = claim(engine, token, now)
    if not rows:
        return Delivery()
    with Session(engine) as session:
        users = {
            u.id: u
            for u in session.exec(
                select(User).where(col(User.id).in_({r.user_id for r in rows}))
            ).all()
        }
        languages = {
            user_id: p.language for user_id, p in preferences(session, users.values()).items()
        }
    mails: list[list[OutboxMessage]] = []
    digests: dict[int, list[OutboxMessage]] = {}
    for row in rows:
        if row.digest:
            digests.setdefault(row.user_id, []).append(row)
        else:
            mails.append([row])
    mails += digests.values()
    sent = failed = rows_sent = 0
    try:
        connection = connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        for group in mails:
            settle(engine, token, group, now, error)
        return Delivery(mails_failed=len(mails))
    with connection:
        for group in mails:
            user = users.get(group[0].user_id)
            try:
                if user is None:
                    raise LookupError(f"user {group[0].user_id} is gone")
                message = compose(settings, user, group, languages.get(user.id or 0, "nl"))
                connection.send_message(message)
            except (OSError, smtplib.SMTPException, LookupError) as error:
                settle(engine, token, group, now, error)
                failed += 1
            else:
                settle(engine, token, group, now)
                sent, rows_sent = sent + 1, rows_sent + len(group)
    return Delivery(mails_sent=sent, mails_failed=failed, rows_sent=rows_sent)


def connect(settings: Settings) -> smtplib.SMTP:
    """A connection to the configured mail server, secured and signed in as configured."""
    assert settings.smtp_host is not None
    connection = smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s
    )
    try:
        if settings.smtp_starttls:
            connection.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            connection.login(settings.smtp_username, settings.smtp_password or "")
    except BaseException:
        connection.close()
        raise
    return connection


def settle(
    engine: Engine,
    token: str,
    group: Sequence[OutboxMessage],
    now: datetime,
    error: BaseException | None = None,
) -> None:
    """Mark a mail's rows sent, or failed with the error and the time of the next try; only
    while this sender's claim holds them."""
    ids = [r.id for r in group]
    held = update(OutboxMessage).where(
        col(OutboxMessage.id).in_(ids), col(OutboxMessage.claim) == token
    )
    with Session(engine) as session:
        if error is None:
            session.exec(held.values(sent_at=now, claim=None, claimed_until=None))
        else:
            attempts = group[0].attempts + 1
            log.warning("mail %s not sent (attempt %s): %s", ids, attempts, error)
            session.exec(
                held.values(
                    attempts=OutboxMessage.attempts + 1,
                    last_error=f"{type(error).__name__}: {error}"[:1000],
                    next_attempt_at=now + retry_after(attempts),
                    claim=None,
                    claimed_until=None,
                )
            )
        session.commit()


def compose(
    settings: Settings, user: User, group: Sequence[OutboxMessage], language: str
) -> EmailMessage:
    """The mail of one row, or the digest of several, with links made absolute when the
    platform knows its address (`public_base_url`)."""
    base = (settings.public_base_url or "").rstrip("/")

    def part(row: OutboxMessage) -> str:
        link = f"\n\n{mail_text(language, 'link', url=base + row.link)}" if row.link else ""
        return row.body + link

    if len(group) == 1 and not group[0].digest:
        subject, text = group[0].subject, part(group[0])
        mode = NotifyMode.instant
    else:
        subject = mail_text(language, "digest.subject", count=len(group))
        items = [f"== {r.subject} ==\n\n{part(r)}" for r in group]
        text = "\n\n\n".join([mail_text(language, "digest.intro"), *items])
        mode = NotifyMode.digest
    footer = mail_text(
        language, "preferences", mode=mail_text(language, f"mode.{mode}"), url=f"{base}/app/todo"
    )
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = user.email
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message.set_content(f"{text}\n\n{mail_text(language, 'signature')}\n\n-- \n{footer}\n")
    return message


def run_outbox(engine: Engine, settings: Settings, now: datetime | None = None) -> Delivery:
    """One turn of the worker's loop: queue due deadline reminders, drop the school files of
    intake previews nobody confirmed in time, then send."""
    now = now or utcnow()
    remind_deadlines(engine, settings, as_utc(now).astimezone(LOCAL).date())
    with Session(engine) as session:
        drop_expired_drafts(session, as_utc(now))
        session.commit()
    return deliver_outbox(engine, settings, now)


def failed_mail(session: Session, region_id: int) -> list[OutboxMessagePublic]:
    """The region's mail that has failed at least once and is not sent yet, for the bureau."""
    rows = session.exec(
        select(OutboxMessage, User.email)
        .join(User, col(User.id) == col(OutboxMessage.user_id))
        .where(
            OutboxMessage.region_id == region_id,
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.attempts) > 0,
        )
        .order_by(col(OutboxMessage.id))
    ).all()
    return [OutboxMessagePublic(**row.model_dump(), email=email) for row, email in rows]
