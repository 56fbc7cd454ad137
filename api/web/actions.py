"""The pages change data through the same services as the API (`api.services`), never around
them: a page that creates a placement runs the very scoping, version check, validation and
audit of `POST /placements`. A refusal (`ServiceError`, or a form the body model refuses)
becomes lines the page can show with `problems`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from api.services.errors import ServiceError
from api.web.i18n import page_translator
from api.web.refusals import refusal_items, where, why


def problems(error: ServiceError | ValidationError) -> list[str]:
    """Readable lines from a refusal, '<field>: <why>' per problem, in the page's language."""
    found: list[Any] = (
        list(error.errors()) if isinstance(error, ValidationError) else refusal_items(error)
    )
    t = page_translator()
    return [f"{where(item, t)}: {why(item, t)}".strip(": ") for item in found]
