"""Why a service refused: a status and a `detail` that names the record and field at fault.

The status speaks the API's language (404, 403, 409, 422) because the API answers it as is
(`api.app`), and the pages show the detail as their message (`api.web.actions.problems`); no
service raises anything of HTTP itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import ValidationError


class ServiceError(Exception):
    """A refused operation: nothing was changed. `detail` is a sentence or FastAPI-style list
    of `{"loc", "msg", "type"}` items, so clients find the field the same way everywhere.

    `detail` is the API's English; `code` and `params` say the same for a page, which shows
    `refusal.<code>` of its catalog filled with `params` (`api.web.refusals`), as `field_error`'s
    `type` and `ctx` do for one field. The API's body never carries them: its `detail` is the
    contract."""

    status: ClassVar[int] = 400

    def __init__(
        self, detail: Any, *, code: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.code = code
        self.params: dict[str, Any] = dict(params or {})


class NotFound(ServiceError):
    """Not there, or not in the user's scope: its existence stays hidden."""

    status = 404


class Forbidden(ServiceError):
    """The user's role or party may not do this."""

    status = 403


class Conflict(ServiceError):
    """The stored state does not allow it now: a stale version, a running job, a taken code."""

    status = 409


class Invalid(ServiceError):
    """The input is wrong: the detail names each field and why."""

    status = 422


def field_error(
    field_name: str, message: str, kind: str = "value_error", ctx: dict[str, Any] | None = None
) -> Invalid:
    """A refusal of one field of the request body, in FastAPI's own 422 shape; `kind` and `ctx`
    let a page say it in its own language (`api.web.refusals`)."""
    item: dict[str, Any] = {"loc": ["body", *field_name.split(".")], "msg": message, "type": kind}
    if ctx is not None:
        item["ctx"] = ctx
    return Invalid([item])


def validation_error(error: ValidationError) -> Invalid:
    """A pydantic error as FastAPI's own 422 body, each problem located in the request body."""
    return Invalid(
        [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
            | ({"ctx": plain_ctx(e["ctx"])} if "ctx" in e else {})
            for e in error.errors()
        ]
    )


def plain_ctx(ctx: dict[str, Any]) -> dict[str, Any]:
    """pydantic's `ctx` as JSON: an exception in it becomes its message."""
    return {k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in ctx.items()}
