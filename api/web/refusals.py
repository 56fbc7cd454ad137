"""A refusal's problems in the page's language, from their codes.

Each problem of a refusal carries a machine `type` (pydantic's own, such as `missing`, or an
upload's, such as `upload.no_header`) and its parameters in `ctx`, as FastAPI's 422 items do;
the API answers the English `msg`, the pages say `invalid.<type>` or the upload's words from
the catalogs. A service's own sentence comes with a `code` and `params` on its `ServiceError`
(`api.services.errors`): the page says `refusal.<code>` with them. A problem with no words of
its own keeps its `msg`. A parameter may itself be words to say (a `scheduler.said.Said`: a
request's status, an agreement's problems), said in the page's language too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from api.services.errors import ServiceError
from api.web.stories import Words
from scheduler.said import Said, render


def field_label(name: str, t: Callable[[str], str]) -> str:
    """`field.<name>` from the catalog, else the name as the file or form spells it."""
    words = t(f"field.{name}")
    return name if words == f"field.{name}" else words


def refusal_items(error: ServiceError) -> list[Mapping[str, Any]]:
    """A refusal's problems as the pages read them: its detail's items, or its sentence as one
    item; an item without a type of its own (none, or pydantic's bare `value_error`) says the
    refusal's `code` with its `params`."""
    detail: list[Any] = error.detail if isinstance(error.detail, list) else [error.detail]
    coded: dict[str, Any] = {"type": error.code, "ctx": error.params} if error.code else {}
    found = [dict(item) if isinstance(item, Mapping) else {"msg": str(item)} for item in detail]
    return [item | coded if item.get("type", "value_error") == "value_error" else item
            for item in found]  # fmt: skip


def why(item: Mapping[str, Any], t: Callable[[str], str]) -> str:
    """What is wrong, said by the problem's type; its English `msg` when the catalog has none."""
    kind = str(item.get("type", ""))
    ctx = {k: _plain(v, t) for k, v in (item.get("ctx") or {}).items()}
    # a service's code (refusal.*), or upload.*, pin.*: the platform's own; else pydantic's
    keys = [f"refusal.{kind}", kind] if "." in kind else [f"invalid.{kind}"]
    words = next((t(key) for key in keys if t(key) != key), "")
    if not words:
        return str(item.get("msg", item.get("reason", "")))
    try:
        return words.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return t("invalid.value")


def where(item: Mapping[str, Any], t: Callable[[str], str]) -> str:
    """Row and column of an upload's problem, or the field of a form's in the page's words."""
    if "row" in item:
        column = item.get("column") or ""
        row = t("problem.row").format(row=item["row"])
        return f"{row} {column}" if column else row  # the column as the file names it
    loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query") and p != ""]
    path = ".".join(loc)
    label = field_label(path, t)
    return label if label != path else " ".join(loc)


def problem_text(t: Callable[[str], str]) -> Callable[[Any], str]:
    """What a template says of one problem of an import's report (`api.imports.report`, a
    model or as stored): its type's words, else its English `reason`."""

    def text(problem: Any) -> str:
        # dict(model), not model_dump(): a `Said` param must stay one to be said
        return why(dict(problem) if isinstance(problem, BaseModel) else problem, t)

    return text


def _plain(value: Any, t: Callable[[str], str]) -> Any:
    if isinstance(value, Said) or (
        isinstance(value, list) and value and all(isinstance(v, Said) for v in value)
    ):
        return render(value, Words(t))
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value
