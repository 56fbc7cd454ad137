"""A refusal's problems in the page's language, from their codes.

Each problem of a refusal carries a machine `type` (pydantic's own, such as `missing`, or an
upload's, such as `upload.no_header`) and its parameters in `ctx`, as FastAPI's 422 items do;
the API answers the English `msg`, the pages say `invalid.<type>` or the upload's words from
the catalogs. A problem with no words of its own (a service's sentence) keeps its `msg`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def field_label(name: str, t: Callable[[str], str]) -> str:
    """`field.<name>` from the catalog, else the name as the file or form spells it."""
    words = t(f"field.{name}")
    return name if words == f"field.{name}" else words


def why(item: Mapping[str, Any], t: Callable[[str], str]) -> str:
    """What is wrong, said by the problem's type; its English `msg` when the catalog has none."""
    kind = str(item.get("type", ""))
    ctx = {k: _plain(v) for k, v in (item.get("ctx") or {}).items()}
    key = kind if "." in kind else f"invalid.{kind}"  # upload.*, pin.*: the platform's own
    words = t(key)
    if words == key:
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


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value
