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
from api.web.refusals import where, why


def problems(error: ServiceError | ValidationError) -> list[str]:
    """Readable lines from a refusal, '<field>: <why>' per problem, in the page's language."""
    if isinstance(error, ValidationError):
        items: Any = error.errors()
    else:
        items = error.detail
    if isinstance(items, str):
        return [items]
    t = page_translator()
    lines = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            lines.append(f"{where(item, t)}: {why(item, t)}".strip(": "))
        else:
            lines.append(str(item))
    return lines
