"""The school's intake pages: a pupils or teachers file is previewed (columns read, first rows,
counts, every problem) and stored only when the school presses "Importeren" (`api.services.
intake`); the columns may be picked by hand on the preview when recognition fails."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from api.deps import SessionDep
from api.models import User
from api.services import intake
from api.services.errors import ServiceError
from api.services.intake import IntakeKind, IntakePreview
from api.web.i18n import language_of, translator
from api.web.refusals import why
from api.web.render import render
from api.web.school import refused_problems, school_context
from api.web.session import Csrf, SchoolPage

router = APIRouter(include_in_schema=False)
PICK = "column-"  # the preview's select per field: name="column-<field>"


def _preview_page(request: Request, preview: IntakePreview) -> Response:
    """The preview, each problem in the page's language (`api.web.refusals`)."""
    t = translator(language_of(request))
    problems = [{**p, "reason": why(p, t)} for p in preview.problems]
    context = {"preview": preview.model_copy(update={"problems": problems}), "pick": PICK}
    return render(request, "school/intake.html", context)


def _refused(request: Request, session: SessionDep, user: User, kind: str, name: str,
             error: ServiceError) -> Response:  # fmt: skip
    """The data page with the refusal of a file that could not even be previewed."""
    session.rollback()
    t = translator(language_of(request))
    result = {"kind": kind, "file": name, "problems": refused_problems(error, t)}
    return render(request, "school/data.html", {**school_context(session, user), "result": result})


@router.post("/app/school/intake/{kind}", dependencies=[Csrf])
def preview(
    kind: IntakeKind,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Read an uploaded file and show what an import would store; nothing is stored yet."""
    name = file.filename or ""
    try:
        return _preview_page(request, intake.start(session, user, kind, name, file.file))
    except ServiceError as error:
        return _refused(request, session, user, kind, name, error)


async def picked(request: Request) -> dict[str, str]:
    """The preview form's fields: the action and a select per field (`column-<field>`)."""
    form = await request.form()
    return {str(k): str(v) for k, v in form.items() if isinstance(v, str)}


@router.post("/app/school/intake/draft/{token}", dependencies=[Csrf])
def review_or_import(
    token: str,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    form: Annotated[dict[str, str], Depends(picked)],
) -> Response:
    """Check the draft again with the columns picked by hand, or store it ("Importeren")."""
    chosen = {k.removeprefix(PICK): v for k, v in form.items() if k.startswith(PICK)}
    if form.get("action") != "import":
        try:
            return _preview_page(request, intake.review(session, user, token, chosen))
        except ServiceError as error:
            return _refused(request, session, user, "pupils", "", error)
    try:
        kind, counts = intake.confirm(session, user, token, chosen)
    except ServiceError as error:
        session.rollback()
        try:
            again = intake.review(session, user, token, chosen)
        except ServiceError:
            return _refused(request, session, user, "pupils", "", error)
        return _preview_page(request, again)
    result = {"kind": kind, "file": "", "problems": [], **counts}
    return render(request, "school/data.html", {**school_context(session, user), "result": result})
