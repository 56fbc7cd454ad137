"""The refusals each operation declares in the OpenAPI document, derived once for all routes.

FastAPI documents a route's success and the 422 of what it validates itself; the 401, 403, 404
and 409 answers come from dependencies and checks it cannot see. They follow from what an
operation is, so they are declared by that rule in one place rather than on each route (where a
new route would forget them): an operation that needs a token answers 401 without one and 403
to a role or party it does not serve; one that names a record in its path answers 404 for a
record outside the caller's scope; a write carrying a `version` answers 409 when it is stale.
A refusal a route declares itself keeps its own description and body.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

REFUSALS = {
    "401": "not authenticated: no valid bearer token",
    "403": "your role or party may not do this",
    "404": "no such record in your scope",
    "409": "stale version, or in conflict with existing records",
    "422": "invalid request: the problems name their fields",
}
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}


class ErrorBody(BaseModel):
    """Every refusal's body: a sentence, or problems each located by `loc` (FastAPI's shape)."""

    detail: str | list[dict[str, Any]]


def declare_refusals(app: FastAPI) -> None:
    """Make `app.openapi()` declare every operation's refusals (see the module docstring)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas["ErrorBody"] = ErrorBody.model_json_schema()
            for operations in document["paths"].values():
                for operation in operations.values():
                    declare(operation, schemas)
            app.openapi_schema = document
        return app.openapi_schema

    # FastAPI's documented way to extend its document is replacing this method on the app.
    app.openapi = openapi  # type: ignore[method-assign]


def declare(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for code in refusals_of(operation, schemas):
        responses.setdefault(code, {"description": REFUSALS[code]})
    for code, response in responses.items():
        if code in REFUSALS:  # a route's own refusal without a body schema gets the shared one
            response.setdefault("content", ERROR_BODY)


def refusals_of(operation: dict[str, Any], schemas: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    codes = []
    if operation.get("security"):
        codes += ["401", "403"]
    if any(p["in"] == "path" for p in parameters):
        codes.append("404")
    body = operation.get("requestBody", {}).get("content", {})
    if any(p["name"] == "version" for p in parameters) or any(
        names_version(media.get("schema", {}), schemas) for media in body.values()
    ):
        codes.append("409")
    if parameters or body:
        codes.append("422")
    return codes


def names_version(
    schema: dict[str, Any], schemas: dict[str, Any], seen: frozenset = frozenset()
) -> bool:
    """Whether a body schema has a `version` anywhere (a timetable's entries each carry one)."""
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        return name not in seen and names_version(schemas.get(name, {}), schemas, seen | {name})
    properties = schema.get("properties", {})
    if "version" in properties:
        return True
    parts = [*properties.values(), *schema.get("anyOf", []), *schema.get("allOf", [])]
    if "items" in schema:
        parts.append(schema["items"])
    return any(names_version(part, schemas, seen) for part in parts if isinstance(part, dict))
