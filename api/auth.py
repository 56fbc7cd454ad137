"""Passwords (argon2) and bearer tokens (random, stored as SHA-256).

Passwords are slow-hashed because people reuse them; tokens are 256 random bits, so a fast hash
is enough to make a stolen database useless while keeping the per-request lookup cheap.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from api.db import saved_id
from api.models import ApiToken, User, utcnow

_hasher = PasswordHasher()


def configure_hashing(time_cost: int, memory_kib: int) -> None:
    """Set argon2's cost for new hashes (old hashes carry their own and still verify)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _unknown_user_hash(time_cost: int, memory_cost: int) -> str:
    """A hash of no one's password at the current cost, so an unknown e-mail address costs a
    sign-in as much as a known one and the answer's timing does not tell which accounts exist."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(
        secrets.token_urlsafe(16)
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail address and password, or None.

    Exactly one argon2 verification happens whatever the outcome (unknown address, inactive
    user, wrong password), for the same reason as `_unknown_user_hash`."""
    user = session.exec(select(User).where(User.email == email.strip())).first()
    if user is None:
        verify_password(password, _unknown_user_hash(_hasher.time_cost, _hasher.memory_cost))
        return None
    verified = verify_password(password, user.hashed_password)
    return user if verified and user.is_active else None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, ttl_hours: int) -> tuple[str, ApiToken]:
    """A new bearer token for `user`; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=saved_id(user),
        token_hash=token_digest(token),
        expires_at=utcnow() + timedelta(hours=ttl_hours),
    )
    session.add(row)
    return token, row


def revoke_token(session: Session, token: str) -> None:
    """Forget a bearer token (a sign-out); the caller commits."""
    session.exec(delete(ApiToken).where(col(ApiToken.token_hash) == token_digest(token)))
