"""The round page's lists at region size: placed and unplaced pupils a page at a time with
filters (school, reason, profile, company, a search on the pupil code), the companies with load,
and one pupil's pin choices fetched when the bureau opens its pin control.

Each list is a part of the round page that htmx swaps in place; the same address without htmx
gives a page of its own, so every filter, page link and pin works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import SessionDep
from api.models import User, VersionSummary
from api.services import round_pages
from api.services.errors import Conflict, Invalid, NotFound
from api.web.i18n import language_of, translator
from api.web.render import render
from api.web.session import BureauPage

router = APIRouter(include_in_schema=False)


def is_htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


def refusal(request: Request, error: Invalid | NotFound) -> list[str]:
    """A refusal of the query in the user's language, naming the field and the value given."""
    t = translator(language_of(request))
    items = error.detail if isinstance(error.detail, list) else []
    return [f"{t('rp.' + item['type'])}: {item['msg']}" for item in items]


def pupil_list(
    session: Session,
    user: User,
    round_id: int,
    summary: VersionSummary,
    placed: bool,
    filters: round_pages.PupilFilters,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """The context of one pupil list (`bureau/_pupil_list.html`)."""
    kind = "placed" if placed else "unplaced"
    found = round_pages.pupil_page(session, user, summary.version_id, placed, filters)
    url = f"/app/bureau/rounds/{round_id}/{kind}"
    shown = found.filters

    def link(page: int) -> str:
        query = urlencode(shown.query(page=page))
        return f"{url}?{query}" if query else url

    return {
        "kind": kind,
        "url": url,
        "rows": found.rows,
        "total": found.total,
        "all": summary.placed if placed else summary.unplaced,
        "filters": shown,
        "page": shown.page,
        "pages": found.pages,
        "previous": link(shown.page - 1) if shown.page > 1 else "",
        "next": link(shown.page + 1) if shown.page < found.pages else "",
        "facets": summary.facets,
        "errors": errors or [],
    }


def company_list(round_id: int, summary: VersionSummary, page: int) -> dict[str, Any]:
    """The context of the companies' load (`bureau/_companies.html`)."""
    rows, page, pages = round_pages.company_page(summary.load, page)
    url = f"/app/bureau/rounds/{round_id}/companies"
    return {
        "url": url,
        "rows": rows,
        "total": len(summary.load),
        "page": page,
        "pages": pages,
        "previous": f"{url}?page={page - 1}" if page > 1 else "",
        "next": f"{url}?page={page + 1}" if page < pages else "",
        "errors": [],
    }


def part(request: Request, round_: dict[str, Any], name: str, context: dict[str, Any],
         status: int = 200) -> Response:  # fmt: skip
    """The list alone for htmx; else a page of its own around it, with the way back."""
    if is_htmx(request):
        # htmx swaps only a 2xx answer; the refusal is shown inside the list it replaces.
        return render(request, f"bureau/_{name}.html", {"list": context, "round": round_})
    page = {"list": context, "round": round_, "part": name}
    return render(request, "bureau/round_part.html", page, status)


def pupils(round_id: int, request: Request, session: Session, user: User, placed: bool) -> Response:
    """A page of the proposal's placed or unplaced pupils, filtered; a filter the proposal
    cannot match is refused naming its field, and the list shows unfiltered."""
    try:
        round_, summary = round_pages.proposal_summary(session, user, round_id)
    except Conflict:
        return no_proposal(request)
    try:
        filters = round_pages.read_filters(summary.facets, dict(request.query_params), placed)
        errors: list[str] = []
    except Invalid as error:
        filters, errors = round_pages.PupilFilters(), refusal(request, error)
    context = pupil_list(session, user, round_id, summary, placed, filters, errors)
    header = round_pages.round_header(round_, summary)
    return part(request, header, "pupil_list", context, 422 if errors else 200)


@router.get("/app/bureau/rounds/{round_id}/unplaced")
def unplaced(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """A page of the unplaced pupils (filters: school, reason, profile, code)."""
    return pupils(round_id, request, session, user, placed=False)


@router.get("/app/bureau/rounds/{round_id}/placed")
def placed(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """A page of the placed pupils (filters: school, profile, company, code)."""
    return pupils(round_id, request, session, user, placed=True)


@router.get("/app/bureau/rounds/{round_id}/companies")
def companies(
    round_id: int, request: Request, session: SessionDep, user: BureauPage, page: str = "1"
) -> Response:
    """A page of the companies with load, fullest first."""
    try:
        round_, summary = round_pages.proposal_summary(session, user, round_id)
    except Conflict:
        return no_proposal(request)
    valid = page.strip().isdigit() and int(page) >= 1
    context = company_list(round_id, summary, int(page) if valid else 1)
    if not valid:
        t = translator(language_of(request))
        context["errors"] = [f"{t('rp.bad_page')}: {page[:20]}"]
    header = round_pages.round_header(round_, summary)
    return part(request, header, "companies", context, 200 if valid else 422)


@router.get("/app/bureau/rounds/{round_id}/pin-choices/{student}")
def pin_choices(
    round_id: int, student: str, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """Where one pupil may be pinned: fetched when the bureau opens the pupil's pin control."""
    try:
        round_, summary = round_pages.proposal_summary(session, user, round_id)
        choices = round_pages.pin_choices(session, user, round_id, student)
        errors: list[str] = []
    except Conflict:
        return no_proposal(request)
    except NotFound as error:
        choices, errors = [], refusal(request, error)
    context = {"round_id": round_id, "student": student, "choices": choices, "errors": errors}
    header = round_pages.round_header(round_, summary)
    return part(request, header, "pin_choices", context, 404 if errors else 200)


def no_proposal(request: Request) -> Response:
    message = translator(language_of(request))("rp.no_proposal")
    return render(request, "error.html", {"message": message}, 409)
