"""Every refusal a service, a page or an import raises has words in both catalogs (issue 14).

The API answers a `ServiceError`'s English `detail`; a page says `refusal.<code>` filled with its
`params` (`api.web.refusals`), and `refusal.<kind>` for a `field_error`'s kind. This scan reads
the source, so a new `raise Conflict("...")` without a code, a `field_error` without a kind, a
code without words, or words naming a parameter the raise does not give fails here before any
page shows English. The imports (`api/imports/`) are read the same way: every problem of an
import report (`ImportProblem`) names its `type` and `ctx`, and every exception a school system,
a calendar link or a file refuses with (`api.imports.errors.CodedError`) its `code` and `params`.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from api.locale import LANGUAGES, catalog
from api.services.errors import Conflict
from api.web.refusals import refusal_items, why

API = Path(__file__).resolve().parents[2] / "api"
REFUSALS = {"ServiceError", "NotFound", "Forbidden", "Conflict", "Invalid"}
# The imports' refusals: coded exceptions, and the problems of a report.
CODED = {"CodedError", "SourceError", "FeedRefused", "UnreadableCalendar", "CredentialsError"}
PROBLEM = "ImportProblem"
SOURCES = sorted(
    p for p in [*API.joinpath("services").glob("*.py"), *API.joinpath("web").glob("*.py"),
                *API.joinpath("imports").glob("*.py")]
    if p.name != "errors.py"  # where the classes and field_error's own shape live
)  # fmt: skip
# A type or kind not written as a literal, taken whole from where it was checked: a coded
# error's `.code` (its raise is scanned), pydantic's `e["type"]` (`invalid.<type>`, see
# `test_pydantic_words.py`), or a module's table of literal types (`REQUIRED[f][1]`).
AREA_WHAT = re.compile(r"^[a-z_]+\.[a-z_]+$")


def words(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog(lang) if m.id}


def refusal_calls(source: Path) -> list[ast.Call]:
    def name(call: ast.Call) -> str | None:
        f = call.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None

    tree = ast.parse(source.read_text(encoding="utf-8"))
    return [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Call) and name(n) in REFUSALS | CODED | {"field_error", PROBLEM}
    ]  # fmt: skip


def module_tables(tree: ast.Module) -> dict[str, list[str]]:
    """Each module-level dict's literal `area.what` strings: the types a table gives."""
    tables: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                tables[target.id] = [
                    c.value for v in node.value.values for c in ast.walk(v)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    and AREA_WHAT.match(c.value)
                ]  # fmt: skip
    return tables


def taken_whole(value: ast.expr, tables: dict[str, list[str]]) -> list[str] | None:
    """The literal types a non-literal type stands for ([] when checked elsewhere), or None
    when nothing says it has words."""
    if isinstance(value, ast.Attribute) and value.attr == "code":
        return []
    if isinstance(value, ast.Subscript):
        inner = value.slice
        if isinstance(inner, ast.Constant) and inner.value == "type":
            return []
        root: ast.expr = value
        while isinstance(root, ast.Subscript):
            root = root.value
        if isinstance(root, ast.Name) and tables.get(root.id):
            return tables[root.id]
    return None


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


def problems_of(
    at: str,
    call: ast.Call,
    catalogs: dict[str, dict[str, str]],
    tables: dict[str, list[str]] | None = None,
) -> list[str]:
    """What is wrong with one raise at `at` (file:line): no code, or no words that fit it."""
    keywords = {k.arg: k.value for k in call.keywords}
    if isinstance(call.func, ast.Name) and call.func.id == "field_error":
        return field_problems(at, call, keywords, catalogs, tables or {})
    if isinstance(call.func, ast.Name) and call.func.id == PROBLEM:
        return import_problems(at, keywords, catalogs, tables or {})
    code = keywords.get("code")
    if code is None:
        if call.args and typed_items(call.args[0]):
            return []
        return [f"{at}: no code="]
    if not (isinstance(code, ast.Constant) and isinstance(code.value, str) and "." in code.value):
        return [f"{at}: code must be a literal 'area.what'"]
    return words_problems(at, [f"refusal.{code.value}"], keywords.get("params"), catalogs)


def import_problems(
    at: str,
    keywords: dict[str | None, ast.expr],
    catalogs: dict[str, dict[str, str]],
    tables: dict[str, list[str]],
) -> list[str]:
    """A problem of an import report: a `type` with words naming only what its `ctx` gives."""
    kind = keywords.get("type")
    if kind is None:
        return [f"{at}: ImportProblem without a type="]
    if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
        keys = [f"refusal.{kind.value}"] if "." in kind.value else [f"invalid.{kind.value}"]
        return words_problems(at, keys, keywords.get("ctx"), catalogs)
    stands_for = taken_whole(kind, tables)
    if stands_for is None:
        return [f"{at}: ImportProblem type must be a literal, an error's .code or pydantic's"]
    ctx = keywords.get("ctx")
    return [p for k in stands_for for p in words_problems(at, [f"refusal.{k}"], ctx, catalogs)]


def field_problems(
    at: str,
    call: ast.Call,
    keywords: dict[str | None, ast.expr],
    catalogs: dict[str, dict[str, str]],
    tables: dict[str, list[str]],
) -> list[str]:
    """A `field_error`: its `kind` is a literal with words (`refusal.<kind>`, an `upload.*` key
    itself, or pydantic's `invalid.<kind>`), unless the arguments come whole from a helper
    that gives them (`field_error(*problem)`)."""
    if any(isinstance(a, ast.Starred) for a in call.args):
        return []
    kind = call.args[2] if len(call.args) > 2 else keywords.get("kind")
    if kind is not None and taken_whole(kind, tables) == []:
        return []  # an import's coded error, said by its own code
    if not (isinstance(kind, ast.Constant) and isinstance(kind.value, str)):
        return [f"{at}: field_error without a literal kind"]
    keys = [f"refusal.{kind.value}", kind.value] if "." in kind.value else [f"invalid.{kind.value}"]
    ctx = call.args[3] if len(call.args) > 3 else keywords.get("ctx")
    return words_problems(at, keys, ctx, catalogs)


def words_problems(
    at: str, keys: list[str], params: ast.expr | None, catalogs: dict[str, dict[str, str]]
) -> list[str]:
    """The first of `keys` each catalog holds must exist, naming only parameters `params` gives."""
    given: set[str] = set()
    if isinstance(params, ast.Dict):
        given = {k.value for k in params.keys if isinstance(k, ast.Constant)}
    elif params is not None:
        return [f"{at}: params must be a dict literal"]
    found = []
    for lang, known in catalogs.items():
        key = next((k for k in keys if k in known), None)
        if key is None:
            found.append(f"{at}: {keys[0]} missing from the {lang} catalog")
        elif not placeholders(known[key]) <= given:
            found.append(f"{at}: {key} ({lang}) needs {sorted(placeholders(known[key]) - given)}")
    return found


def test_every_refusal_raised_has_a_code_with_words_in_both_catalogs() -> None:
    catalogs = {lang: words(lang) for lang in LANGUAGES}
    calls = [(source, call) for source in SOURCES for call in refusal_calls(source)]
    assert len(calls) > 180  # the scan sees the services' raise sites
    imports = [c for s, c in calls if s.parent.name == "imports"]
    assert len(imports) > 40  # and the imports' refusals
    tables = {s: module_tables(ast.parse(s.read_text(encoding="utf-8"))) for s in SOURCES}
    found = [
        p
        for source, call in calls
        for p in problems_of(
            f"{source.relative_to(API.parent)}:{call.lineno}", call, catalogs, tables[source]
        )
    ]
    assert found == []


def test_every_note_of_an_import_report_has_words_in_both_catalogs() -> None:
    """`report.note(english, "sources.note.x", **ctx)`: the page says the type's words."""
    catalogs = {lang: words(lang) for lang in LANGUAGES}
    notes = [
        (f"{source.relative_to(API.parent)}:{n.lineno}", n)
        for source in SOURCES
        for n in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "note"
    ]
    assert len(notes) >= 4
    found = []
    for at, call in notes:
        kind = call.args[1] if len(call.args) > 1 else None
        if not (isinstance(kind, ast.Constant) and isinstance(kind.value, str)):
            found.append(f"{at}: a note's type must be a literal")
            continue
        ctx = ast.Dict(keys=[ast.Constant(k.arg) for k in call.keywords], values=[])
        found += words_problems(at, [kind.value], ctx, catalogs)
    assert found == []


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ('raise Conflict("stale")', "no code="),
        ('raise Conflict("stale", code="no.such_words")', "refusal.no.such_words missing"),
        ('raise Conflict("x", code="round.not_found")', "needs ['round']"),
        ('raise Conflict("x", code="round.not_found", params={"round": 1})', None),
        ('raise Conflict([{"loc": ["body"], "msg": "m", "type": "pin.x"}])', None),
        ('raise field_error("day", "bad day")', "field_error without a literal kind"),
        ('raise field_error("day", "x", kind="no.such_words")', "refusal.no.such_words missing"),
        ('raise field_error("x", "y", kind="event.too_many_rounds", ctx={"event": 1})', "needs"),
        ('raise field_error("x", "y", kind="missing")', None),
        ('ImportProblem(record="bestand", reason="missing")', "ImportProblem without a type="),
        ('ImportProblem(record="b", reason="r", type=kind)', "must be a literal"),
        ('ImportProblem(record="b", reason="r", type="import.nothing_here")', "missing"),
        ('ImportProblem(record="b", reason="r", type="import.edex_root")', "needs ['root']"),
        ('ImportProblem(record="b", reason="r", type="import.edex_root", ctx={"root": "x"})', None),
        ('ImportProblem(record="b", reason="r", type=e["type"])', None),
        (
            'T = {"f": ("r", "import.no_such")}\n'
            'ImportProblem(record="b", reason="r", type=T["f"][1])',
            "refusal.import.no_such missing",
        ),
        ('raise SourceError("the token is refused")', "no code="),
        ('raise FeedRefused("x", code="import.host_private", params={"host": "h"})', "needs"),
        ('raise SourceError("x", code="import.no_key")', None),
        ('raise field_error("code", str(error), kind=error.code, ctx=error.params)', None),
    ],
)
def test_the_scan_refuses_a_refusal_without_words(
    tmp_path: Path, snippet: str, problem: str | None
) -> None:
    source = tmp_path / "service.py"
    source.write_text(snippet + "\n", encoding="utf-8")
    catalogs = {lang: words(lang) for lang in LANGUAGES}
    tables = module_tables(ast.parse(source.read_text(encoding="utf-8")))
    found = [
        p for call in refusal_calls(source) for p in problems_of("snippet", call, catalogs, tables)
    ]
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
