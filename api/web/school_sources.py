"""The school's Zermelo and Somtoday page (beside `api.web.sources`, the page of every source):
connect Zermelo or Somtoday, switch each on and off, revoke it, start an import and read the
last import's report (over `api.services.school_sources`).

An import reads a school administration over the network, which takes a while and waits on
another system rather than on the CPU: it runs in the background (`api.services.import_runs`),
writing its progress and report to the source's row.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from api.db import saved_id
from api.deps import EngineDep, RunnerDep, SessionDep, SettingsDep
from api.services import import_runs, school_sources, sources
from api.services.errors import ServiceError
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.common import see_other
from api.web.render import render
from api.web.session import Csrf, SchoolPage

router = APIRouter(include_in_schema=False)
SOURCES = "/app/school/systems"
DONE = ("connected", "imported", "switched")


@router.get(SOURCES)
def sources_page(request: Request, session: SessionDep, user: SchoolPage) -> Response:
    """Each source: connected or not, on or off, its last import and that import's report."""
    assert user.school_id is not None  # a school user always has one
    connected = {s.kind: s for s in school_sources.school_systems(session, user, user.school_id)}
    done = request.query_params.get("done", "")
    context: dict[str, Any] = {
        "sources": [(kind.value, connected.get(kind)) for kind in school_sources.SYSTEMS],
        "error": request.query_params.get("error", ""),
        "done": done if done in DONE else "",
    }
    return render(request, "school/systems.html", context)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()


def _weeks(form: FormData) -> int:
    text = _text(form, "weeks")
    return int(text) if text.isdigit() else 0


@router.post(f"{SOURCES}/zermelo", dependencies=[Csrf])
def connect_zermelo(
    session: SessionDep, user: SchoolPage, settings: SettingsDep, form: FormData = Form
) -> Response:
    """Trade the partner code from the Zermelo portal for a token."""
    assert user.school_id is not None
    try:
        school_sources.connect_zermelo(
            session,
            user,
            settings,
            user.school_id,
            portal=_text(form, "portal"),
            code=_text(form, "code"),
            branch=_text(form, "branch"),
            weeks=_weeks(form),
        )
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(SOURCES, error="; ".join(problems(error))))
    return see_other(with_message(SOURCES, done="connected"))


@router.post(f"{SOURCES}/somtoday", dependencies=[Csrf])
def connect_somtoday(
    session: SessionDep, user: SchoolPage, settings: SettingsDep, form: FormData = Form
) -> Response:
    """Check and store the Somtoday Connect client credentials."""
    assert user.school_id is not None
    try:
        school_sources.connect_somtoday(
            session,
            user,
            settings,
            user.school_id,
            organisation=_text(form, "organisation"),
            client_id=_text(form, "client_id"),
            client_secret=_text(form, "client_secret"),
            location=_text(form, "location"),
            weeks=_weeks(form),
        )
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(SOURCES, error="; ".join(problems(error))))
    return see_other(with_message(SOURCES, done="connected"))


@router.post(SOURCES + "/{source_id}/switch", dependencies=[Csrf])
def switch(
    source_id: int, session: SessionDep, user: SchoolPage, form: FormData = Form
) -> Response:
    """Switch a source on or off."""
    try:
        version = int(_text(form, "version") or 0)
        sources.switch_source(session, user, source_id, _text(form, "enabled") == "true", version)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(SOURCES, error="; ".join(problems(error))))
    return see_other(with_message(SOURCES, done="switched"))


@router.post(SOURCES + "/{source_id}/revoke", dependencies=[Csrf])
def revoke(source_id: int, session: SessionDep, user: SchoolPage) -> Response:
    """Forget the credentials and switch the source off."""
    try:
        school_sources.revoke(session, user, source_id)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(SOURCES, error="; ".join(problems(error))))
    return see_other(with_message(SOURCES, done="switched"))


@router.post(SOURCES + "/{source_id}/import", dependencies=[Csrf])
def start_import(
    source_id: int,
    session: SessionDep,
    user: SchoolPage,
    settings: SettingsDep,
    runner: RunnerDep,
    engine: EngineDep,
) -> Response:
    """Start an import; the page shows its progress and, when done, its report."""
    try:
        school_sources.start_import(session, user, source_id)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message(SOURCES, error="; ".join(problems(error))))
    user_id = saved_id(user)
    import_runs.launch(
        runner,
        f"import-source-{source_id}",
        lambda: school_sources.run_import(engine, settings, source_id, user_id),
    )
    return see_other(with_message(SOURCES, done="imported"))
