"""The pages change data through the same services as the API (`api.services`), never around
them: a page that creates a placement runs the very scoping, version check, validation and
audit of `POST /placements`. A refusal (`ServiceError`, or a form the body model refuses)
becomes lines the page can show with `problems`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from api.services.errors import ServiceError


def problems(error: ServiceError | ValidationError) -> list[str]:
    """Readable lines from a refusal: '<field>: <why>' per problem."""
    if isinstance(error, ValidationError):
        items: Any = error.errors()
    else:
        items = error.detail
    if isinstance(items, str):
        return [items]
    lines = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query")]
            if "row" in item:
                loc = [f"row {item['row']}", str(item.get("column", ""))]
            where = " ".join(p for p in loc if p)
            lines.append(f"{where}: {item.get('msg', item.get('reason', ''))}".strip(": "))
        else:
            lines.append(str(item))
    return lines
