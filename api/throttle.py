"""Login throttling: failed sign-ins counted per account and per client address (`limits`).

Only failures count, so people who type their password right are never slowed down. The
account is keyed by a digest of its e-mail address, known or not, so a 429 tells no more about
which accounts exist than a 400 does. While an account is throttled every attempt on it is
refused unchecked, its owner's too: otherwise the guess that hits would still get in. Other
accounts sign in as usual, from the same address too, until that address's own (higher) limit
is reached. The counters live in Redis when the platform has a Redis URL (all server processes
count together), else in this process's memory. Should Redis be unreachable, each process counts
in its own memory until it is back: signing in keeps working and guessing stays throttled.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlmodel import Session

from api.auth import authenticate
from api.models import User
from api.settings import Settings


class TooManyAttempts(Exception):
    """Sign-in refused unchecked: too many failures; `retry_after` seconds until the next try."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins: try again in {retry_after} s")
        self.retry_after = retry_after


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoginThrottle:
    limiter: MovingWindowRateLimiter
    per_account: RateLimitItem
    per_address: RateLimitItem
    # This process's own counters, for when the shared ones cannot be reached.
    fallback: MovingWindowRateLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        storage = storage_from_string(settings.redis_url or "memory://", wrap_exceptions=True)
        return cls(
            MovingWindowRateLimiter(storage),
            parse(settings.login_limit_per_account),
            parse(settings.login_limit_per_address),
            MovingWindowRateLimiter(MemoryStorage()),
        )

    def sign_in(self, session: Session, email: str, password: str, address: str) -> User | None:
        """The user of these credentials (None: wrong), unless failures before stop the try."""
        try:
            return self._sign_in(self.limiter, session, email, password, address)
        except StorageError as error:
            log.warning("sign-in counters unreachable, counting in memory: %s", error)
            return self._sign_in(self.fallback, session, email, password, address)

    def _sign_in(
        self,
        limiter: MovingWindowRateLimiter,
        session: Session,
        email: str,
        password: str,
        address: str,
    ) -> User | None:
        counters = self._counters(email, address)
        blocked = [(item, key) for item, key in counters if not limiter.test(item, key)]
        if blocked:
            resets = (limiter.get_window_stats(item, key).reset_time for item, key in blocked)
            raise TooManyAttempts(max(1, math.ceil(max(resets) - time.time())))
        user = authenticate(session, email, password)
        if user is None:
            for item, key in counters:
                limiter.hit(item, key)
        return user

    def _counters(self, email: str, address: str) -> list[tuple[RateLimitItem, str]]:
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return [(self.per_account, f"login-account:{account}"),
                (self.per_address, f"login-address:{address}")]  # fmt: skip
