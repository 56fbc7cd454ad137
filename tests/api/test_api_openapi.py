"""The OpenAPI document declares the refusals the operations give: 401 and 403 where a token is
needed, 404 where a path names a record, 409 where a write carries a `version`, 422 where a
request has a body or parameters; each refusal with a body schema a client can read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

METHODS = ("get", "post", "put", "patch", "delete")


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def carries_version(operation: dict[str, Any], document: dict[str, Any]) -> bool:
    """A `version` in the query or anywhere in the body, nested entries included (a timetable)."""
    if any(p["name"] == "version" for p in operation.get("parameters", [])):
        return True
    return mentions_version(operation.get("requestBody", {}), document, set())


def mentions_version(node: Any, document: dict[str, Any], seen: set[str]) -> bool:
    """Whether a `version` property occurs in `node`, following schema references once each."""
    if isinstance(node, list):
        return any(mentions_version(item, document, seen) for item in node)
    if not isinstance(node, dict):
        return False
    if "version" in node.get("properties", {}):
        return True
    ref = node.get("$ref")
    if ref and ref not in seen:
        seen.add(ref)
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        return mentions_version(schema, document, seen)
    return any(mentions_version(value, document, seen) for value in node.values())


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_needing_a_token_declares_401_and_403(client, document) -> None:
    """Asked without a token, an operation that answers 401 must say so, and 403 with it."""
    missing = []
    for method, path, operation in operations(document):
        url = re.sub(r"\{[^}]+\}", "1", path)
        anonymous = client.request(method.upper(), url).status_code
        needs_token = anonymous == 401 or "security" in operation
        if needs_token and not {"401", "403"} <= set(operation["responses"]):
            missing.append(f"{method.upper()} {path} (anonymous: {anonymous})")
    assert missing == []


def test_every_path_with_an_id_declares_404(document) -> None:
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in operations(document)
        if "{" in path and "404" not in operation["responses"]
    ]
    assert missing == []


def test_every_write_with_a_version_declares_409(document) -> None:
    writes = [
        (method, path, operation)
        for method, path, operation in operations(document)
        if method != "get" and carries_version(operation, document)
    ]
    assert {f"{m.upper()} {p}" for m, p, _ in writes} >= {
        "PATCH /pupils/{record_id}",
        "DELETE /pupils/{record_id}",
        "PATCH /region",
        "PUT /timetables/{school_id}",
    }
    assert [f"{m.upper()} {p}" for m, p, o in writes if "409" not in o["responses"]] == []


def test_every_body_declares_422(document) -> None:
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in operations(document)
        if "requestBody" in operation and "422" not in operation["responses"]
    ]
    assert missing == []


def test_refusals_have_a_body_schema(document) -> None:
    """A client generated from the document can read `detail` of every refusal."""
    assert "detail" in document["components"]["schemas"]["ErrorBody"]["properties"]
    bare = [
        f"{method.upper()} {path} {code}"
        for method, path, operation in operations(document)
        for code, response in operation["responses"].items()
        if code in {"401", "403", "404", "409"} and not response.get("content")
    ]
    assert bare == []
