"""A school's credentials for its administration system, sealed with Fernet (AES and an HMAC,
from the maintained `cryptography` package) under `Settings.school_source_key`.

Only the sealed token is stored, so a copy of the database opens no school's administration;
the key lives in the deployment's environment. A token sealed under another key, or altered,
does not open: the school connects again.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from api.imports.errors import CodedError


class CredentialsError(CodedError):
    """No key configured, or sealed credentials that do not open under it."""


def check_key(key: str | None) -> None:
    """Refuse at once when no credentials could be sealed, before any source is contacted."""
    _fernet(key)


def _fernet(key: str | None) -> Fernet:
    if not key:
        raise CredentialsError(
            "the platform has no SCHOOL_SOURCE_KEY: ask the bureau to set one before "
            "connecting Zermelo or Somtoday",
            code="import.no_key",
        )
    try:
        return Fernet(key.encode())
    except ValueError as error:
        raise CredentialsError(
            f"SCHOOL_SOURCE_KEY is not a Fernet key: {error}", code="import.bad_key"
        ) from None


def seal(key: str | None, credentials: dict[str, Any]) -> str:
    """The credentials as one encrypted, authenticated token."""
    return _fernet(key).encrypt(json.dumps(credentials).encode()).decode()


def unseal(key: str | None, token: str) -> dict[str, Any]:
    """The credentials a token holds; refused when the key differs or the token was altered."""
    try:
        return dict(json.loads(_fernet(key).decrypt(token.encode())))
    except InvalidToken:
        raise CredentialsError(
            "the stored credentials do not open with this SCHOOL_SOURCE_KEY: connect again",
            code="import.sealed_elsewhere",
        ) from None
