"""The pages change data through the API's own route functions, never around them.

The record routes are built by `api.crud.add_crud_routes` as closures; they are found here by
their OpenAPI operation id, so a page that creates a placement runs the very scoping, version
check, validation and audit of `POST /placements`. Refusals come back as `HTTPException`s whose
detail `problems` turns into lines a page can show.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fastapi import HTTPException
from fastapi.routing import APIRoute
from pydantic import ValidationError

from api.routes import records


@cache
def _endpoints() -> dict[str, Callable[..., Any]]:
    return {
        route.operation_id: route.endpoint
        for route in records.router.routes
        if isinstance(route, APIRoute) and route.operation_id
    }


def record_endpoint(operation_id: str) -> Callable[..., Any]:
    """The function behind a record route, e.g. `create_placement` or `update_company`."""
    return _endpoints()[operation_id]


def problems(error: HTTPException | ValidationError) -> list[str]:
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
