"""Notifications through the outbox: a publication mails each school and company what concerns
it, through a real SMTP server; with the server down nothing is lost and every mail goes out
exactly once when it returns; daily digests; deadline reminders once; two senders never take
the same row (PostgreSQL); the to-do lists of the roles."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from api_world import ok
from fastapi.testclient import TestClient
from mail_server import MailServer
from sqlmodel import Session, col, select

from api.app import create_app
from api.cli import main
from api.db import session_scope
from api.models import NotificationKind, OutboxMessage, Role, User, utcnow
from api.provision import create_region, create_user
from api.services.notifications import notify
from api.services.outbox import claim, deliver_outbox
from api.services.reminders import remind_deadlines

SCHOOL, OTHER_SCHOOL = "school@testregio.nl", "other_school@testregio.nl"
COMPANY, OTHER_COMPANY = "company@testregio.nl", "other_company@testregio.nl"
BUREAU = "bureau@testregio.nl"


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings, mail_server):
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_server.port,
            "smtp_starttls": False,
            "mail_from": "stagebureau@testregio.nl",
            "public_base_url": "https://stage.test",
        }
    )


def publish(world, **body) -> int:
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "Voorjaar"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b, json=body or None))
    return rid


def rows(engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def text(message) -> str:
    return message.get_content()


def test_a_published_round_mails_each_school_and_company_what_concerns_it(
    world, engine, database_url, mail_server, monkeypatch, capsys
):
    rid = publish(world, answer_deadline="2027-02-01")
    published = ok(world.client.get(f"/rounds/{rid}/published", headers=world.bureau))
    placed = {a["student"]: a for a in published["assignments"]}
    # Sent as cron does it, with the settings from the environment.
    assert main(["outbox", "send", "--database", database_url]) == 1, "SMTP_HOST unset"
    assert "SMTP_HOST" in capsys.readouterr().err and mail_server.inbox.messages == []
    for name, value in (
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", str(mail_server.port)),
        ("SMTP_STARTTLS", "false"),
        ("PUBLIC_BASE_URL", "https://stage.test"),
    ):
        monkeypatch.setenv(name, value)
    assert main(["outbox", "send", "--database", database_url]) == 0
    assert "4 mails sent, 0 failed" in capsys.readouterr().out
    inbox = mail_server.inbox
    assert sorted(m["To"] for m in inbox.messages) == sorted(
        [SCHOOL, OTHER_SCHOOL, COMPANY, OTHER_COMPANY]
    ), "one mail per school and company user, none to the bureau or pupils"

    (school_mail,) = inbox.to(SCHOOL)
    own = ["st1", "st2", "st3"]
    own_placed = sum(1 for s in own if s in placed)
    assert school_mail["Subject"] == (
        f"Ronde Voorjaar is gepubliceerd: {own_placed} van uw 3 leerlingen geplaatst"
    )
    body = text(school_mail)
    assert "https://stage.test/app/school/results" in body
    for pupil in own:
        assert (pupil in body) == (pupil not in placed), "only the unplaced are named"
    assert "st4" not in body and "st5" not in body, "another school's pupils stay out"
    assert "Kind" not in body, "no first names in mail"

    (company_mail,) = inbox.to(COMPANY)
    mine = sorted(s for s, a in placed.items() if a["company"] == "C1")
    assert "2027-02-01" in company_mail["Subject"]
    for pupil in mine:
        assert f"- {pupil} (PL1, periode P3)" in text(company_mail)
    assert "PL2" not in text(company_mail)
    assert all(m.sent_at is not None for m in rows(engine))
    assert {m.kind for m in rows(engine)} == {NotificationKind.round_published}


def test_with_the_mail_server_down_nothing_is_lost_and_each_mail_goes_out_once(
    world, engine, mail_settings, mail_server
):
    mail_server.stop()
    publish(world)
    now = utcnow()
    failed = deliver_outbox(engine, mail_settings, now)
    assert failed.mails_sent == 0 and failed.mails_failed == 4
    pending = rows(engine)
    assert len(pending) == 4
    assert all(r.sent_at is None and r.attempts == 1 and r.last_error for r in pending)
    assert all(r.next_attempt_at > now for r in pending), "backoff before the next try"

    # The bureau sees the failed mail on its to-do list; a company does not.
    todo = ok(world.client.get("/todo", headers=world.bureau))
    assert sorted(i["detail"]["email"] for i in todo if i["kind"] == "mail_failed") == sorted(
        [SCHOOL, OTHER_SCHOOL, COMPANY, OTHER_COMPANY]
    )
    assert not [
        i
        for i in ok(world.client.get("/todo", headers=world.company))
        if i["kind"] == "mail_failed"
    ]

    mail_server.start()
    assert deliver_outbox(engine, mail_settings, now).mails_sent == 0, "not due before backoff"
    later = now + timedelta(minutes=2)
    assert deliver_outbox(engine, mail_settings, later).mails_sent == 4
    assert deliver_outbox(engine, mail_settings, later + timedelta(hours=1)).mails_sent == 0
    assert sorted(m["To"] for m in mail_server.inbox.messages) == sorted(
        [SCHOOL, OTHER_SCHOOL, COMPANY, OTHER_COMPANY]
    ), "each mail exactly once"
    assert all(r.sent_at is not None for r in rows(engine))


def test_a_digest_user_gets_one_mail_a_day_with_every_message(
    world, engine, mail_settings, mail_server
):
    c = world.client
    bad = c.patch("/users/me/notifications", headers=world.school, json={"notify_mode": "weekly"})
    assert bad.status_code == 422 and "notify_mode" in bad.text
    misspelt = c.patch("/users/me/notifications", headers=world.school, json={"mode": "digest"})
    assert misspelt.status_code == 422 and "mode" in misspelt.text
    assert ok(c.get("/users/me/notifications", headers=world.school))["notify_mode"] == "instant"
    chosen = ok(
        c.patch("/users/me/notifications", headers=world.school, json={"notify_mode": "digest"})
    )
    assert chosen == {"notify_mode": "digest", "language": "nl"}
    ok(c.patch("/users/me/notifications", headers=world.company, json={"language": "en"}))
    audit = ok(c.get("/audit", headers=world.bureau))
    assert [e["entity"] for e in audit].count("notification_preference") == 2

    rid = publish(world)
    declined = next(
        a["student"]
        for a in ok(c.get(f"/rounds/{rid}/published", headers=world.bureau))["assignments"]
        if a["company"] == "C1"
    )
    body = {"student": declined, "status": "declined", "reason": "past niet"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=body), 201)

    now = utcnow()
    deliver_outbox(engine, mail_settings, now)
    inbox = mail_server.inbox
    assert inbox.to(SCHOOL) == [], "a digest waits for its hour"
    (english,) = inbox.to(COMPANY)
    assert english["Subject"].startswith("Round Voorjaar:") and "Confirm or decline" in text(
        english
    )
    # The bureau hears of the decline, and of the repair it set off once its proposal is stored.
    to_bureau = [m["Subject"] for m in inbox.to(BUREAU)]
    assert f"Bedrijf C1 heeft leerling {declined} afgewezen" in to_bureau
    assert any(s.startswith("Herstel van ronde Voorjaar klaar") for s in to_bureau)

    deliver_outbox(engine, mail_settings, now + timedelta(days=1))
    (digest,) = inbox.to(SCHOOL)
    assert digest["Subject"] == "Stagebureau: 2 berichten van vandaag"
    assert "Ronde Voorjaar is gepubliceerd" in text(digest)
    assert f"Bedrijf C1 heeft leerling {declined} afgewezen" in text(digest)
    assert "als dagelijks overzicht" in text(digest)

    # Publishing the repair tells the declined pupil's school and its companies what moved.
    ok(c.post(f"/rounds/{rid}/publish", headers=world.bureau))
    deliver_outbox(engine, mail_settings, now + timedelta(days=2))
    moved = [m for m in inbox.to(SCHOOL) if m is not digest]
    assert len(moved) == 1 and f"{declined} van PL1 (C1, P3) naar" in text(moved[0])
    assert any(m["Subject"].startswith("Round Voorjaar was changed") for m in inbox.to(COMPANY))
    assert all(r.sent_at is not None for r in rows(engine))

    # The pupil's export shows the mail lines that name it; erasing it takes its code out of
    # every stored mail.
    export = ok(c.get(f"/pupils/{world.ids[declined]}/export", headers=world.school))
    assert any(f"{declined} van PL1" in line for m in export["mail"] for line in m["lines"])
    assert all(declined in line for m in export["mail"] for line in m["lines"])
    ok(c.post(f"/pupils/{world.ids[declined]}/erase", headers=world.school))
    assert not [r.id for r in rows(engine) if declined in r.body or declined in r.subject]


def test_a_deadline_reminder_goes_to_each_company_that_owes_answers_once(world, engine, settings):
    today = date(2027, 1, 29)
    publish(world, answer_deadline="2027-02-01")
    ok(
        world.client.post(
            "/rounds/1/responses",
            headers=world.other_company,
            json={
                "student": next(
                    a["student"]
                    for a in ok(world.client.get("/rounds/1/published", headers=world.bureau))[
                        "assignments"
                    ]
                    if a["company"] == "C2"
                ),
                "status": "confirmed",
            },
        ),
        201,
    )
    assert remind_deadlines(engine, settings, today - timedelta(days=1)) == 0, "too early"
    assert remind_deadlines(engine, settings, today) == 1, "C2 answered everything"
    assert remind_deadlines(engine, settings, today + timedelta(days=1)) == 0, "only once"
    reminders = [r for r in rows(engine) if r.kind == NotificationKind.answer_deadline]
    assert len(reminders) == 1 and "2027-02-01" in reminders[0].subject
    assert remind_deadlines(engine, settings, date(2027, 2, 2)) == 0, "past the deadline"


def test_the_to_do_lists_of_each_role(world):
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "Voorjaar"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    assert [i["kind"] for i in ok(c.get("/todo", headers=b))] == ["proposal"]
    assert ok(c.get("/todo", headers=world.company)) == []
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    bureau = ok(c.get("/todo", headers=b))
    assert [(i["kind"], i["count"]) for i in bureau] == [("unplaced", 2)]
    published = ok(c.get(f"/rounds/{rid}/published", headers=b))
    unplaced = {u["student"] for u in published["unassigned"]}
    school = ok(c.get("/todo", headers=world.school))
    own = sorted(unplaced & {"st1", "st2", "st3"})
    assert [(i["kind"], i["detail"]["pupils"]) for i in school] == (
        [("school_unplaced", ", ".join(own))] if own else []
    )
    company = ok(c.get("/todo", headers=world.company))
    assert [(i["kind"], i["count"]) for i in company] == [("company_waiting", 2)]


def test_two_senders_never_claim_the_same_row(world, engine):
    """On PostgreSQL a sender skips the rows another holds locked (SKIP LOCKED); on any database
    a claimed row is leased, and only an expired lease lets another sender take it."""
    publish(world)
    now = utcnow()
    every = [r.id for r in rows(engine)]
    locked: list[int] = []
    if engine.dialect.name == "postgresql":
        with engine.connect() as first:
            locked = [
                row[0]
                for row in first.execute(
                    select(OutboxMessage.id)
                    .order_by(col(OutboxMessage.id))
                    .limit(2)
                    .with_for_update(skip_locked=True)
                )
            ]
            second = claim(engine, "second", now)
            assert sorted(r.id for r in second) == sorted(set(every) - set(locked))
            first.rollback()
    else:
        assert claim(engine, "second", now) != []
    third = claim(engine, "third", now)
    assert sorted(r.id for r in third) == sorted(locked), "leased rows are not taken again"
    assert claim(engine, "fourth", now) == []
    assert len(claim(engine, "fifth", now + timedelta(hours=1))) == 4, "an expired lease frees"


def test_the_server_sends_the_outbox_from_its_own_thread(settings, engine, mail_server):
    """Without Celery, `stagebureau serve` runs the mail loop itself (api.mail_worker)."""
    create_region(engine, "Salland")
    user_id = create_user(
        engine,
        email="bureau@salland.nl",
        password="correct horse battery",
        role=Role.bureau,
        region="Salland",
    )
    served = settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_server.port,
            "smtp_starttls": False,
            "outbox_interval_s": 0.05,
        }
    )
    with TestClient(create_app(served, runner="local")):
        with session_scope(engine) as session:
            users = notifications_users(session, [user_id])
            notify(
                session,
                users=users,
                kind=NotificationKind.agreement_to_sign,
                subject="Overeenkomst te tekenen",
                body="Teken de overeenkomst.",
                link="/app/todo",
            )
        deadline = time.monotonic() + 30
        while not mail_server.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    (mail,) = mail_server.inbox.messages
    assert mail["Subject"] == "Overeenkomst te tekenen" and "Teken de overeenkomst." in text(mail)
    assert rows(engine)[0].sent_at is not None


def notifications_users(session: Session, ids: list[int]) -> list[User]:
    return list(session.exec(select(User).where(col(User.id).in_(ids))).all())
