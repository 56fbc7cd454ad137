"""The menu of demand over HTTP (`api.services.menu`, `api.services.menu_sign_ups`): the bureau
generates, edits and publishes items; schools and companies read the published menu; companies
sign up (each sign-up an offer) and withdraw; the bureau reads demand against capacity."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from api.deps import BureauUser, CompanyOrBureau, CurrentUser, SessionDep
from api.models import MenuItemPublic, MenuItemUpdate, MenuSignUpCreate, MenuSignUpPublic
from api.services import menu, menu_sign_ups

router = APIRouter(tags=["menu"])


@router.post("/menu/generate", response_model=list[MenuItemPublic])
def generate_menu(session: SessionDep, user: BureauUser) -> list[MenuItemPublic]:
    """Count the classes' and teachers' demand into menu items (kind x profile or sectors x
    window): new demand becomes draft items, items made before get fresh counts, drafts nobody
    asks for any more go."""
    return menu.generate(session, user)


@router.post("/menu/publish", response_model=list[MenuItemPublic])
def publish_menu(session: SessionDep, user: BureauUser) -> list[MenuItemPublic]:
    """Publish every draft item: companies may sign up for it, schools read it."""
    return menu.publish(session, user)


@router.get("/menu/items", response_model=list[MenuItemPublic])
def list_menu_items(session: SessionDep, user: CurrentUser) -> list[MenuItemPublic]:
    """The menu: the bureau's drafts too, the published items for schools and companies (demand
    as counts only: no school or class is named)."""
    return menu.list_items(session, user)


@router.get("/menu/items/{item_id}", response_model=MenuItemPublic)
def read_menu_item(item_id: int, session: SessionDep, user: CurrentUser) -> MenuItemPublic:
    """One item of the menu in your scope."""
    return menu.read_item(session, user, item_id)


@router.patch("/menu/items/{item_id}", response_model=MenuItemPublic)
def update_menu_item(
    item_id: int, body: MenuItemUpdate, session: SessionDep, user: BureauUser
) -> MenuItemPublic:
    """Change an item's title, description, window, wanted count or sectors (the window
    stays while companies are signed up on it)."""
    return menu.update_item(session, user, item_id, body)


@router.post("/menu/items/{item_id}/sign-ups", response_model=MenuSignUpPublic, status_code=201)
def sign_up(
    item_id: int, body: MenuSignUpCreate, session: SessionDep, user: CompanyOrBureau
) -> MenuSignUpPublic:
    """Sign a company up for a published item: the sign-up becomes an offer of the item's kind
    and profile on the dated dayparts of the window, checked like any offer (a duplicate is
    409)."""
    return menu_sign_ups.sign_up(session, user, item_id, body)


@router.get("/menu/sign-ups", response_model=list[MenuSignUpPublic])
def list_sign_ups(
    session: SessionDep, user: CompanyOrBureau, withdrawn: bool = False
) -> list[MenuSignUpPublic]:
    """Sign-ups: a company's own, every one of the region for the bureau."""
    return menu_sign_ups.list_sign_ups(session, user, withdrawn=withdrawn)


@router.delete("/menu/sign-ups/{sign_up_id}", response_model=MenuSignUpPublic)
def withdraw_sign_up(
    sign_up_id: int, session: SessionDep, user: CompanyOrBureau
) -> MenuSignUpPublic:
    """Withdraw a sign-up and remove its offer; refused (409) once a round holds the offer."""
    return menu_sign_ups.withdraw(session, user, sign_up_id)


@router.get("/menu/report.{fmt}")
def download_menu_report(
    fmt: Literal["csv", "xlsx"], session: SessionDep, user: BureauUser
) -> Response:
    """Per item: demand, wanted, capacity signed up, the shortfall and the companies; items
    nobody took first."""
    body, media, name = menu_sign_ups.report_file(session, user, fmt)
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip
