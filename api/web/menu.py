"""The menu of demand on the pages: the bureau generates, edits and publishes it and weighs the
sign-ups against the demand (items nobody took first, exports); a company reads the published
menu and signs up or withdraws; a school reads it beside what the companies offer (the codes
its pupils' wishes name). Every change goes through `api.services.menu` and
`api.services.menu_sign_ups`, the API's own workflows (roles, validation, audit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import col, select
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.models import Company, MenuItemUpdate, MenuSignUpCreate
from api.services import menu, menu_sign_ups
from api.services.errors import ServiceError
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.catalogue import catalogue
from api.web.common import see_other
from api.web.company import int_or_none
from api.web.i18n import column_labels, language_of
from api.web.render import render
from api.web.session import BureauPage, CompanyPage, Csrf, SchoolPage
from scheduler.contract.round import DAYPARTS, WEEKDAYS

router = APIRouter(include_in_schema=False)

DEMAND = "/app/bureau/menu/demand"
COMPANY_MENU = "/app/company/menu"
WEEKLY = [f"{day}-{part}" for day in WEEKDAYS for part in DAYPARTS]


def messages(request: Request) -> dict[str, str]:
    return {
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
    }


def attempt(session: Any, url: str, change: Callable[[], object], done: str) -> Response:
    """Run a change; back to `url` saying it was done, or with the refusal's lines."""
    try:
        change()
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message(url, error="; ".join(problems(error))))
    return see_other(with_message(url, done=done))


# --- the bureau -------------------------------------------------------------------------------


@router.get(DEMAND)
def demand_page(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Every item: demand, wanted, capacity signed up and by whom; items nobody took first."""
    context = {"rows": menu_sign_ups.report(session, user), **messages(request)}
    return render(request, "bureau/menu_demand.html", context)


@router.post(f"{DEMAND}/generate", dependencies=[Csrf])
def generate(session: SessionDep, user: BureauPage) -> Response:
    """Count the demand into items (drafts for new demand, fresh counts for the rest)."""
    return attempt(session, DEMAND, lambda: menu.generate(session, user), "generated")


@router.post(f"{DEMAND}/publish", dependencies=[Csrf])
def publish(session: SessionDep, user: BureauPage) -> Response:
    """Publish the draft items to the companies and schools."""
    return attempt(session, DEMAND, lambda: menu.publish(session, user), "published")


@router.get("/app/bureau/menu/report.{fmt}")
def report_file(
    fmt: Literal["csv", "xlsx"], request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """The demand against the sign-ups as a spreadsheet, its headers in the page's language."""
    labels = column_labels(language_of(request))
    body, media, name = menu_sign_ups.report_file(session, user, fmt, labels)
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


def item_url(item_id: int) -> str:
    return f"/app/bureau/menu/items/{item_id}"


@router.get("/app/bureau/menu/items/{item_id}")
def item_page(item_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """One item: its words, window and wanted count to edit, and the companies signed up."""
    item = menu.read_item(session, user, item_id)
    signed = [s for s in menu_sign_ups.list_sign_ups(session, user) if s.item_id == item_id]
    companies = session.exec(
        select(Company).where(Company.region_id == user.region_id).order_by(col(Company.name))
    ).all()
    context = {
        "item": item,
        "signed": signed,
        "companies": companies,
        "weekly": WEEKLY,
        **messages(request),
    }
    return render(request, "bureau/menu_item.html", context)


@router.post("/app/bureau/menu/items/{item_id}", dependencies=[Csrf])
def edit_item(
    item_id: int, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Save the bureau's words for an item."""

    def change() -> None:
        body = MenuItemUpdate.model_validate(
            {
                "version": int_or_none(form.get("version")),
                "title": str(form.get("title", "")).strip(),
                "description": str(form.get("description", "")).strip(),
                "window_start": str(form.get("window_start", "")),
                "window_end": str(form.get("window_end", "")),
                "wanted": int_or_none(form.get("wanted")),
                "sectors": str(form.get("sectors", "")).replace(",", " ").split(),
            }
        )
        menu.update_item(session, user, item_id, body)

    return attempt(session, item_url(item_id), change, "saved")


@router.post("/app/bureau/menu/items/{item_id}/sign-up", dependencies=[Csrf])
def sign_up_for_company(
    item_id: int, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """The bureau's company contact signs a company up, as it agreed with the company."""

    def change() -> None:
        menu_sign_ups.sign_up(session, user, item_id, sign_up_body(form))

    return attempt(session, item_url(item_id), change, "signed_up")


@router.post("/app/bureau/menu/sign-ups/{sign_up_id}/withdraw", dependencies=[Csrf])
def withdraw_for_company(sign_up_id: int, session: SessionDep, user: BureauPage) -> Response:
    """Withdraw a company's sign-up on its behalf, while no round holds its offer."""
    signed = menu_sign_ups.list_sign_ups(session, user)
    item_id = next((s.item_id for s in signed if s.id == sign_up_id), None)
    url = item_url(item_id) if item_id is not None else DEMAND

    def change() -> None:
        menu_sign_ups.withdraw(session, user, sign_up_id)

    return attempt(session, url, change, "withdrawn")


# --- the company ------------------------------------------------------------------------------


@router.get(COMPANY_MENU)
def company_menu(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The published menu, with a sign-up form per item and the company's own sign-ups."""
    own = menu_sign_ups.list_sign_ups(session, user)
    context = {
        "items": menu.list_items(session, user),
        "own": {s.item_id: s for s in own},
        "weekly": WEEKLY,
        **messages(request),
    }
    return render(request, "company/menu.html", context)


def sign_up_body(form: FormData) -> MenuSignUpCreate:
    """The form's dayparts (weekly boxes and dated ones typed) and numbers, as the API's body;
    a value the model refuses is passed on as typed so the refusal names its field."""
    dated = str(form.get("dates", "")).replace(",", " ").split()
    return MenuSignUpCreate.model_validate(
        {
            "company_id": int_or_none(form.get("company_id")),  # the bureau's choice
            "dayparts": [*form.getlist("dayparts"), *dated],
            "max_per_month": int_or_none(form.get("max_per_month")),
            "max_group_size": int_or_none(form.get("max_group_size")),
        }
    )


@router.post(f"{COMPANY_MENU}/{{item_id}}/sign-up", dependencies=[Csrf])
def sign_up(
    item_id: int, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Sign the company up for an item: it becomes an offer on those dayparts."""

    def change() -> None:
        menu_sign_ups.sign_up(session, user, item_id, sign_up_body(form))

    return attempt(session, COMPANY_MENU, change, "signed_up")


@router.post(f"{COMPANY_MENU}/sign-ups/{{sign_up_id}}/withdraw", dependencies=[Csrf])
def withdraw(sign_up_id: int, session: SessionDep, user: CompanyPage) -> Response:
    """Withdraw a sign-up (and its offer) while no round holds the offer."""

    def change() -> None:
        menu_sign_ups.withdraw(session, user, sign_up_id)

    return attempt(session, COMPANY_MENU, change, "withdrawn")


# --- the school -------------------------------------------------------------------------------


@router.get("/app/school/menu")
def school_menu(
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    sector: str = "",
    profile: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    """The published menu of demand and what the companies offer, with the placement codes a
    pupil's wishes name (the pupils' template asks for them), a page of companies at a time."""
    context = {
        "items": menu.list_items(session, user),
        **catalogue(
            session, user.region_id, sector, profile, page=page, search=q, url="/app/school/menu"
        ),
    }
    return render(request, "school/menu.html", context)
