"""Every refusal a service or a page raises has words in both catalogs (issue 14).

The API answers a `ServiceError`'s English `detail`; a page says `refusal.<code>` filled with its
`params` (`api.web.refusals`). This scan reads the source, so a new `raise Conflict("...")`
without a code, a code without words, or words naming a parameter the raise does not give
fails here before any page shows English.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from api.locale import LANGUAGES, catalog
from api.services.errors import Conflict
from api.web.refusals import refusal_items, why

API = Path(__file__).resolve().parents[2] / "api"
REFUSALS = {"ServiceError", "NotFound", "Forbidden", "Conflict", "Invalid"}
SOURCES = sorted(
    p for p in [*API.joinpath("services").glob("*.py"), *API.joinpath("web").glob("*.py")]
    if p.name != "errors.py"  # where the classes and field_error's own shape live
)  # fmt: skip


def words(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog(lang) if m.id}


def refusal_calls(source: Path) -> list[ast.Call]:
    def name(call: ast.Call) -> str | None:
        f = call.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None

    tree = ast.parse(source.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and name(n) in REFUSALS]


def typed_items(detail: ast.expr) -> bool:
    """A detail written out as problems that each carry their own `type` (pin.*, ...)."""
    element = detail.elt if isinstance(detail, ast.ListComp) else None
    if isinstance(detail, ast.List) and len(detail.elts) == 1:
        element = detail.elts[0]
    while isinstance(element, ast.BinOp):  # {"loc": ...} | {"ctx": ...}
        element = element.left
    return isinstance(element, ast.Dict) and any(
        isinstance(k, ast.Constant) and k.value == "type" for k in element.keys
    )


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def problems_of(at: str, call: ast.Call, catalogs: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with one raise at `at` (file:line): no code, or no words that fit it."""
    keywords = {k.arg: k.value for k in call.keywords}
    code = keywords.get("code")
    if code is None:
        if call.args and typed_items(call.args[0]):
            return []
        return [f"{at}: no code="]
    if not (isinstance(code, ast.Constant) and isinstance(code.value, str) and "." in code.value):
        return [f"{at}: code must be a literal 'area.what'"]
    params = keywords.get("params")
    given: set[str] = set()
    if isinstance(params, ast.Dict):
        given = {k.value for k in params.keys if isinstance(k, ast.Constant)}
    elif params is not None:
        return [f"{at}: params must be a dict literal"]
    found = []
    for lang, known in catalogs.items():
        key = f"refusal.{code.value}"
        if key not in known:
            found.append(f"{at}: {key} missing from the {lang} catalog")
        elif not placeholders(known[key]) <= given:
            found.append(f"{at}: {key} ({lang}) needs {sorted(placeholders(known[key]) - given)}")
    return found


def test_every_refusal_raised_has_a_code_with_words_in_both_catalogs() -> None:
    catalogs = {lang: words(lang) for lang in LANGUAGES}
    calls = [(source, call) for source in SOURCES for call in refusal_calls(source)]
    assert len(calls) > 120  # the scan sees the services' raise sites
    found = [
        p
        for source, call in calls
        for p in problems_of(f"{source.relative_to(API.parent)}:{call.lineno}", call, catalogs)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ('raise Conflict("stale")', "no code="),
        ('raise Conflict("stale", code="no.such_words")', "refusal.no.such_words missing"),
        ('raise Conflict("x", code="round.not_found")', "needs ['round']"),
        ('raise Conflict("x", code="round.not_found", params={"round": 1})', None),
        ('raise Conflict([{"loc": ["body"], "msg": "m", "type": "pin.x"}])', None),
    ],
)
def test_the_scan_refuses_a_refusal_without_words(
    tmp_path: Path, snippet: str, problem: str | None
) -> None:
    source = tmp_path / "service.py"
    source.write_text(snippet + "\n", encoding="utf-8")
    catalogs = {lang: words(lang) for lang in LANGUAGES}
    found = [p for call in refusal_calls(source) for p in problems_of("snippet", call, catalogs)]
    if problem is None:
        assert found == []
    else:
        assert len(found) == 2 if "missing" in problem or "needs" in problem else len(found) == 1
        assert problem in found[0]


def test_a_page_says_the_code_and_the_api_keeps_its_sentence() -> None:
    error = Conflict(
        "stale version 3: agreement 7 is at 4",
        code="agreement.stale_version",
        params={"agreement": 7},
    )
    assert error.detail == "stale version 3: agreement 7 is at 4"
    (item,) = refusal_items(error)
    nl = words("nl")
    said = why(item, lambda key: nl.get(key, key))
    assert "Overeenkomst 7" in said and "opnieuw" in said and "stale" not in said
    uncoded = Conflict("plain sentence")
    assert [why(i, lambda key: nl.get(key, key)) for i in refusal_items(uncoded)] == [
        "plain sentence"
    ]
