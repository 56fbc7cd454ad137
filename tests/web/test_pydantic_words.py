"""Every error pydantic can answer a form or an upload with has words on the pages (issue 14).

A page says a pydantic problem by its `type` (`invalid.<type>`, `api.web.refusals.why`); a
type without words would show pydantic's English `msg`. Which types are reachable is not
listed by hand: every request body of the platform (the `*Create`, `*Update` and `*Body`
models of `api.models` and the services, and an upload's rows made of them) is validated
with deliberately wrong values for each field, and every type that comes back must have words
in both catalogs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

from pydantic import BaseModel, ValidationError

import api.services
from api.locale import LANGUAGES, catalog

BODY = re.compile(r"(Create|Update|Body)$")
# Wrong in some way for every kind of field: absent, empty, of another type, out of range, too
# long, a time where a date belongs, a date that does not exist.
WRONG: list[Any] = [
    None, "", "x", "1.5", 1.5, -1, 0, 10**12, "9" * 5000, [], {}, ["x"], [1, 1],
    "2027-01-01T10:30", "2027-13-45", True, "99:99", "a@", "http://x",
]  # fmt: skip


def bodies() -> list[type[BaseModel]]:
    """The request bodies: those models of `api.models` and of the services' modules."""
    modules = [importlib.import_module("api.models")] + [
        importlib.import_module(f"api.services.{m.name}")
        for m in pkgutil.iter_modules(api.services.__path__)
    ]
    return [
        c for module in modules for c in vars(module).values()
        if inspect.isclass(c) and issubclass(c, BaseModel) and c.__module__ == module.__name__
        and (BODY.search(c.__name__) or (c.__name__.endswith("Row")
             and any(BODY.search(k.__name__) for k in c.__mro__)))  # an upload's row of a body
    ]  # fmt: skip


def reachable_types() -> dict[str, str]:
    """Each error type a wrong body gives -> the first model field that gave it."""
    found: dict[str, str] = {}
    for model in bodies():
        for name in model.model_fields:
            for value in WRONG:
                try:
                    model.model_validate({name: value})
                except ValidationError as error:
                    for e in error.errors():
                        where = ".".join(map(str, e["loc"]))
                        found.setdefault(e["type"], f"{model.__name__}.{where}")
    return found


def test_every_pydantic_error_a_body_can_give_has_words_in_both_catalogs() -> None:
    found = reachable_types()
    # the enumeration reaches what forms and uploads commonly meet
    assert {"missing", "int_parsing", "string_too_long", "greater_than_equal", "literal_error",
            "enum", "list_type", "date_from_datetime_parsing", "bool_parsing",
            "string_pattern_mismatch"} <= set(found)  # fmt: skip
    for lang in LANGUAGES:
        known = {str(m.id) for m in catalog(lang) if m.id and m.string}
        without = {t: at for t, at in found.items() if f"invalid.{t}" not in known}
        assert without == {}, f"{lang}: no invalid.<type> words for {without}"


def test_a_validator_of_our_own_has_a_type_of_its_own() -> None:
    """A bare `value_error` says only "wrong" on a page: the platform's own validators raise
    a type of their own, with its words."""
    assert "value_error" not in reachable_types()
