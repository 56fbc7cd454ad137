"""Sign-in hardening of `POST /login/access-token`: failed attempts throttled per account and
per client address (429 with Retry-After), in Redis when the platform has a Redis URL, and an
unknown e-mail address costing exactly one argon2 verification, as a known one does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import argon2
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api import auth
from api.app import create_app
from api.models import Role, User
from api.provision import create_region, create_user
from api.settings import Settings

PASSWORD = "correct horse battery"
OWNER, NEIGHBOUR = "owner@testregio.nl", "neighbour@testregio.nl"
REDIS_URL = "redis://127.0.0.1:6379/2"  # this suite's own Redis database number


@pytest.fixture
def accounts(engine: Engine) -> None:
    create_region(engine, "Testregio")
    for email in (OWNER, NEIGHBOUR):
        create_user(engine, email=email, password=PASSWORD, role=Role.bureau, region="Testregio")


def sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/login/access-token", data={"username": email, "password": password})


def guess_until_refused(client: TestClient, email: str, most: int = 25) -> int:
    """Wrong passwords for `email` until a 429; the number of the refused attempt."""
    for attempt in range(1, most + 1):
        response = sign_in(client, email, f"guess-{attempt}")
        if response.status_code == 429:
            return attempt
        assert response.status_code == 400, response.text
    raise AssertionError(f"{most} wrong passwords for {email} and no 429")


def test_wrong_passwords_for_one_account_are_answered_429_with_retry_after(client, accounts):
    assert guess_until_refused(client, OWNER) == 11  # the default: 10 failures per 15 minutes
    refused = sign_in(client, OWNER, "one more")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "try again in" in refused.json()["detail"]


def test_a_throttled_account_refuses_even_its_right_password_but_others_sign_in(client, accounts):
    """The owner waits out the window (else the guess that hits would get in); a colleague at
    the same address signs in as usual, as long as the address's own limit is not reached."""
    guess_until_refused(client, OWNER)
    assert sign_in(client, OWNER).status_code == 429
    assert sign_in(client, NEIGHBOUR).status_code == 200
    elsewhere = TestClient(client.app, client=("192.0.2.7", 50000))
    assert sign_in(elsewhere, OWNER).status_code == 429  # the account, not the address


def test_one_address_guessing_many_accounts_is_throttled(settings, accounts):
    settings = settings.model_copy(update={"login_limit_per_address": "5 per 15 minutes"})
    with TestClient(create_app(settings, runner="inline")) as client:
        for n in range(5):
            assert sign_in(client, f"nobody{n}@testregio.nl", "guess").status_code == 400
        assert sign_in(client, NEIGHBOUR).status_code == 429
        assert "Retry-After" in sign_in(client, f"nobody{n}@testregio.nl").headers
        elsewhere = TestClient(client.app, client=("192.0.2.7", 50000))
        assert sign_in(elsewhere, NEIGHBOUR).status_code == 200


def test_unknown_address_and_inactive_user_cost_one_verification_like_a_known_one(
    client, accounts, engine: Engine, monkeypatch
):
    """Equal work instead of a timing measurement: one argon2 verify per attempt, against a
    hash of the same parameters as the real users' hashes."""
    verified: list[str] = []

    class SpyHasher(argon2.PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            verified.append(str(hash))
            return super().verify(hash, password)

    hasher = auth._hasher  # the app's, configured from its settings
    monkeypatch.setattr(auth, "_hasher", SpyHasher(hasher.time_cost, hasher.memory_cost))
    with Session(engine) as session:
        neighbour = session.exec(select(User).where(User.email == NEIGHBOUR)).one()
        neighbour.is_active = False
        session.add(neighbour)
        session.commit()
    for email, password in (("nobody@testregio.nl", PASSWORD), (NEIGHBOUR, PASSWORD),
                            (OWNER, "wrong")):  # fmt: skip
        verified.clear()
        assert sign_in(client, email, password).status_code == 400
        assert len(verified) == 1, email
        assert argon2.extract_parameters(verified[0]) == argon2.extract_parameters(hasher.hash("x"))


@pytest.fixture
def redis_settings(settings) -> Iterator[Settings]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_URL} unreachable, its throttle storage untested: {error}")
    yield settings.model_copy(update={"redis_url": REDIS_URL})


def test_failures_are_counted_in_redis_across_server_processes(redis_settings, engine):
    """Two apps (two server processes) count one account's failures together."""
    email = f"{uuid.uuid4().hex}@testregio.nl"  # fresh counters in a Redis that outlives tests
    first = TestClient(create_app(redis_settings, runner="inline"))
    second = TestClient(create_app(redis_settings, runner="inline"))
    with first, second:
        for _ in range(5):
            assert sign_in(first, email, "guess").status_code == 400
            assert sign_in(second, email, "guess").status_code == 400
        assert sign_in(first, email, "guess").status_code == 429
        assert sign_in(second, email, "guess").status_code == 429


def test_sign_in_works_and_guessing_stays_throttled_while_redis_is_down(settings, accounts):
    """Regression: an unreachable Redis made every sign-in a 500."""
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})  # nothing listens
    with TestClient(create_app(down, runner="inline")) as client:
        assert sign_in(client, NEIGHBOUR).status_code == 200
        assert guess_until_refused(client, OWNER) == 11
