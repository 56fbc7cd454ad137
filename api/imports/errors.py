"""Why a school system, a calendar link or a file could not be read, as a code a page can say.

A source's refusal reaches a school coordinator as a row of the import report: the record, the
field and why. The API keeps the English message; a page says `refusal.<code>` of its catalog
filled with `params` (`api.web.refusals`), so every exception raised here carries both, as a
service's `ServiceError` does (`tests/web/test_refusal_codes.py` scans for them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CodedError(Exception):
    """A refusal of a source with its English message, its `code` and the `params` the words
    of the code name."""

    def __init__(self, message: str, *, code: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
