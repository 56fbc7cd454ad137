"""HTTP to a school administration system: timeouts on every request, reads retried only where
that is safe, and every failure turned into one sentence a school coordinator can act on.

Reads (GET) are idempotent, so a timeout, a dropped connection, a 429 or a 5xx is tried again
(`Settings.school_source_retries` times, backing off); a token request (POST) is never repeated,
since an authorisation code is single-use. A 401 or 403 means the token or the school's
permission is wrong, which no retry mends.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from api.imports.errors import CodedError

RETRY_STATUSES = {429, 500, 502, 503, 504}


class SourceError(CodedError):
    """The source could not be read as documented; nothing of this import is stored."""


class Transport:
    """One HTTP client for one import (connection reuse), with the platform's limits."""

    def __init__(
        self,
        system: str,
        *,
        timeout_s: float,
        retries: int,
        transport: httpx.BaseTransport | None = None,
        backoff_s: float = 0.5,
    ) -> None:
        self.system, self.retries, self.backoff_s = system, retries, backoff_s
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout_s), transport=transport, follow_redirects=False
        )

    def close(self) -> None:
        self.client.close()

    def post_token(
        self, url: str, data: dict[str, str], params: dict[str, str] | None = None
    ) -> str:
        """The `access_token` of an OAuth 2 token answer; one attempt only."""
        try:
            response = self.client.post(url, data=data, params=params)
        except httpx.HTTPError as error:
            raise SourceError(
                f"{self.system} could not be reached for a token: {error}",
                code="import.unreachable_token",
                params={"system": self.system, "error": str(error)},
            ) from None
        if response.status_code != 200:
            reason = _reason(response)
            raise SourceError(
                f"{self.system} refused the credentials ({response.status_code}): {reason}",
                code="import.credentials_refused",
                params={"system": self.system, "status": response.status_code, "reason": reason},
            )
        body = self._json(response, "oauth/token")
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise SourceError(
                f"{self.system}'s token answer has no access_token",
                code="import.no_access_token",
                params={"system": self.system},
            )
        return token

    def get_json(self, url: str, what: str, token: str, params: Any = None) -> Any:
        """A GET with the bearer token, retried on transient failures; its JSON body."""
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.client.get(url, params=params, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                if last:
                    raise SourceError(
                        f"{self.system} did not answer {what}: {error}",
                        code="import.no_answer",
                        params={"system": self.system, "what": what, "error": str(error)},
                    ) from None
                self._wait(attempt)
                continue
            if response.status_code in RETRY_STATUSES and not last:
                self._wait(attempt)
                continue
            if response.status_code in (401, 403):
                reason = _reason(response)
                raise SourceError(
                    f"{self.system} refused the token for {what} ({response.status_code}): "
                    f"{reason}; connect the source again",
                    code="import.token_refused",
                    params={"system": self.system, "what": what,
                            "status": response.status_code, "reason": reason},
                )  # fmt: skip
            if response.status_code != 200:
                reason = _reason(response)
                raise SourceError(
                    f"{self.system} answered {what} with {response.status_code}: {reason}",
                    code="import.answered_status",
                    params={"system": self.system, "what": what,
                            "status": response.status_code, "reason": reason},
                )  # fmt: skip
            return self._json(response, what)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, attempt: int) -> None:
        time.sleep(self.backoff_s * 2**attempt)

    def _json(self, response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise SourceError(
                f"{self.system}'s answer to {what} is not JSON",
                code="import.not_json",
                params={"system": self.system, "what": what},
            ) from None


def _reason(response: httpx.Response) -> str:
    """The source's own explanation of a refusal, short; its body may be JSON or text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        inner = body.get("response", body)
        if isinstance(inner, dict):
            for key in ("message", "error_description", "error", "problem"):
                if inner.get(key):
                    return str(inner[key])[:200]
    return str(body)[:200]
