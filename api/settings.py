"""The platform's one configuration object, read from the environment (SPEC section 7).

Everything deployment-specific lives here so the rest of `api` takes it as a parameter: tests and
the demo build their own `Settings` instead of patching module globals.
"""

from __future__ import annotations

from functools import lru_cache

from limits import parse
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """`DATABASE_URL`, `REDIS_URL`, ... each field from the variable of its upper-case name."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    # SQLite file by default so a laptop needs nothing installed; PostgreSQL in production.
    database_url: str = "sqlite:///stagebureau.db"
    # With a Redis URL, solves go to Celery workers; without, an in-process worker serves.
    redis_url: str | None = None
    # EUR per in-kind company hour: the rate STO regions use for an hour of supervision.
    cofinancing_hourly_rate: float = Field(default=60.0, ge=0)
    # Share of the regional plan that companies cofinance (the STO subsidy's 10% rule).
    cofinancing_target_share: float = Field(default=0.10, ge=0, le=1)
    # Bearer tokens expire so a leaked one does not open a region for ever.
    token_ttl_hours: int = Field(default=24 * 14, ge=1)
    # Per solve job; the exact flows finish far sooner, CP-SAT parts stop here.
    solve_time_limit: float = Field(default=30.0, gt=0)
    solve_workers: int = Field(default=2, ge=1)
    # The time limit counts CP-SAT work units on one worker instead of seconds: the same answer
    # however busy the machine is (tests, and reproducing a bureau's run).
    solve_deterministic: bool = False
    # Days a company has to confirm or decline what a publication assigns it, unless the bureau
    # sets the deadline itself when it publishes.
    answer_days: int = Field(default=14, ge=1)
    # argon2 cost of new password hashes: the library's defaults, lower only in tests.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    # Absolute base of subscribable calendar URLs handed to companies and schools, when the
    # address people reach the server by differs from what it sees (a proxy that does not pass
    # X-Forwarded-Host); unset, the address of the request that asks for the URL is used.
    public_base_url: str | None = None
    # Failed sign-ins allowed per account and per client address (the `limits` notation), kept
    # in Redis with a Redis URL so every server process counts together. The per-address limit
    # is higher: a school's staff may all sign in from one address.
    login_limit_per_account: str = "10 per 15 minutes"
    login_limit_per_address: str = "100 per 15 minutes"
    # Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed ("*" any, or a comma
    # list). Unset: none, so a client cannot claim https or another address for itself.
    forwarded_allow_ips: str | None = None
    # Timetable feeds a school links (api/imports/fetch.py): the most one may weigh and take,
    # and whether a feed on a loopback or private address is fetched: never in production (a
    # school could make the server read its own network), only in tests and closed networks.
    import_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    import_timeout_s: float = Field(default=15.0, gt=0)
    import_allow_private_hosts: bool = False
    # Fernet key (`cryptography.fernet.Fernet.generate_key()`) that encrypts the credentials a
    # school gives for its Zermelo or Somtoday connection. Unset: no school can connect one.
    # Rotating it means every school connects again (old credentials no longer decrypt).
    school_source_key: str | None = None
    # Where the school administration systems answer; `{portal}` is the school's Zermelo portal
    # name. Tests point these at a local server with recorded answers.
    zermelo_api_url: str = "https://{portal}.zportal.nl/api/v3"
    somtoday_token_url: str = "https://inloggen.somtoday.nl/oauth2/token"
    somtoday_api_url: str = "https://api.somtoday.nl/rest/v1"
    # How often a read of Zermelo or Somtoday (never a token request) is tried again after a
    # timeout, a 429 or a 5xx; each request may take `import_timeout_s`.
    school_source_retries: int = Field(default=2, ge=0, le=5)
    # Outgoing mail (api.services.outbox). Without `smtp_host` no mail is sent: messages stay in
    # the outbox until a mail server is configured. Port 587 with STARTTLS is the usual submission.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    mail_from: str = "stagebureau@localhost"
    # How often the server's own sender looks for due mail when no Celery beat does.
    outbox_interval_s: float = Field(default=60.0, gt=0)
    # Days before a round's answer deadline that a company with unanswered pupils or visits gets
    # its one reminder.
    reminder_days: int = Field(default=3, ge=0, le=60)

    @field_validator("login_limit_per_account", "login_limit_per_address")
    @classmethod
    def _readable_limit(cls, value: str) -> str:
        """A limit the throttle cannot read fails at start, not at the first sign-in."""
        parse(value)
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once; the app factory accepts an explicit one instead."""
    return Settings()
