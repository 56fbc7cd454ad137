"""Companies sign up for published menu items (intekenlijst); each sign-up becomes an offer.

A sign-up says what the company can offer for the item: the dayparts within the item's window
(a weekly one, `tue-pm`, stands for every school Tuesday afternoon of the window; each dated
daypart hosts at most one group, as for every offer), at most how many groups a month, the
largest group and the hours. It is stored with an `Offer` of the item's kind and profile made
by the records' own create (`api.services.records.add_record`), in one transaction: the offer
obeys every rule an offer entered by hand obeys, a duplicate offer included, and either both
are stored or neither. The planner then uses the offer like any other.

A company withdraws a sign-up (its offer goes) as long as no round has taken the offer into
its document; after that the offer is part of a plan and the company answers that plan
instead. The bureau reads per item the demand against the capacity signed up, the items
nobody took first, and which companies signed up, also as CSV or XLSX.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api import audit, spreadsheets
from api.db import saved_id
from api.models import (
    Company,
    MenuItem,
    MenuItemPublic,
    MenuItemStatus,
    MenuSignUp,
    MenuSignUpCreate,
    MenuSignUpPublic,
    Offer,
    OfferCreate,
    Region,
    Role,
    Round,
    User,
    utcnow,
)
from api.services import menu, records
from api.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ServiceError,
    field_error,
    validation_error,
)
from scheduler.calendar import Pattern, month_key


def holidays_of(session: Session, region_id: int) -> list[tuple[date, date]]:
    region = session.get(Region, region_id)
    calendar = (region.calendar if region is not None else None) or {}
    return [
        (date.fromisoformat(first), date.fromisoformat(last))
        for first, last in calendar.get("holidays", [])
    ]


def school_days(item: MenuItem, holidays: list[tuple[date, date]]) -> list[date]:
    """The weekdays of the item's window outside the region's holidays."""
    days, day = [], item.window_start
    while day <= item.window_end:
        if day.weekday() < 5 and not any(a <= day <= b for a, b in holidays):
            days.append(day)
        day += timedelta(days=1)
    return days


def dated_dayparts(
    item: MenuItem, dayparts: list[str], holidays: list[tuple[date, date]]
) -> list[str]:
    """The sign-up's dayparts as the dated ones of the window they stand for; a dated daypart
    outside the window or on no school day is refused naming it."""
    days = school_days(item, holidays)
    open_days = set(days)
    dated: set[tuple[date, str]] = set()
    for i, text in enumerate(dayparts):
        pattern = Pattern.parse(text)
        if pattern.day is None:
            dated |= {(d, pattern.part) for d in days if d.weekday() == pattern.weekday}
        elif not item.window_start <= pattern.day <= item.window_end:
            raise field_error(
                f"dayparts.{i}",
                f"{text} lies outside menu item {item.code}'s window "
                f"{item.window_start}–{item.window_end}",
                kind="signup.outside_window",
                ctx={"value": text, "item": item.code},
            )
        elif pattern.day not in open_days:
            raise field_error(
                f"dayparts.{i}",
                f"{text} is not a school day (weekend or holiday)",
                kind="signup.not_school_day",
                ctx={"value": text},
            )
        else:
            dated.add((pattern.day, pattern.part))
    if not dated:
        raise field_error(
            "dayparts",
            f"no school day of menu item {item.code}'s window matches these dayparts",
            kind="signup.no_school_day",
            ctx={"item": item.code},
        )
    return [f"{d.isoformat()}/{part}" for d, part in sorted(dated)]


def capacity_of(dated: list[str], max_per_month: int | None) -> int:
    """The groups an offer can host: one per dated daypart, at most `max_per_month` a month."""
    per_month = Counter(month_key(date.fromisoformat(text.split("/")[0])) for text in dated)
    cap = max_per_month if max_per_month is not None else len(dated)
    return sum(min(cap, n) for n in per_month.values())


def signing_company(session: Session, user: User, body: MenuSignUpCreate) -> Company:
    """A company signs up for itself; the bureau names the company it signs up for."""
    if user.role == Role.company:
        if body.company_id not in (None, user.company_id):
            raise Forbidden(
                "company_id: you may only sign up your own company", code="signup.own_company"
            )
        company_id = user.company_id
    elif user.role == Role.bureau:
        if body.company_id is None:
            raise field_error(
                "company_id", "required: which company signs up", kind="signup.which_company"
            )
        company_id = body.company_id
    else:
        raise Forbidden(
            f"role {user.role} may not sign up for menu items", code="signup.not_your_role"
        )
    company = session.get(Company, company_id) if company_id is not None else None
    if company is None or company.region_id != user.region_id:
        raise field_error(
            "company_id",
            f"no company {company_id} in your region",
            kind="company.unknown",
            ctx={"company": company_id},
        )
    return company


def offer_code(session: Session, region_id: int, item: MenuItem, company: Company) -> str:
    taken = set(session.exec(select(Offer.code).where(Offer.region_id == region_id)).all())
    base = f"{item.code}-{company.code}"[:60]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def sign_up(session: Session, user: User, item_id: int, body: MenuSignUpCreate) -> MenuSignUpPublic:
    """Sign a company up for a published item: the sign-up and its offer, or nothing."""
    company = signing_company(session, user, body)
    item = menu.get_item(session, user, item_id)
    if item.status != MenuItemStatus.published:
        raise Conflict(
            f"menu item {item.code} is a draft: publish the menu first",
            code="signup.item_draft",
            params={"item": item.code},
        )
    standing = session.exec(
        select(MenuSignUp).where(
            MenuSignUp.item_id == item_id,
            MenuSignUp.company_id == company.id,
            col(MenuSignUp.withdrawn_at).is_(None),
            col(MenuSignUp.offer_id).is_not(None),
        )
    ).first()
    if standing is not None:
        raise Conflict(
            [{"loc": ["body", "company_id"],
              "msg": f"{company.code} is signed up for menu item {item.code} already (sign-up "
                     f"{standing.id}): withdraw that one to sign up anew"}],
          code="signup.taken",
          params={"company": company.code, "item": item.code},
        )  # fmt: skip
    dated = dated_dayparts(item, body.dayparts, holidays_of(session, user.region_id))
    sectors = body.sectors
    if sectors is None:
        sectors = [s for s in item.sectors if s in company.sectors] or company.sectors
    try:
        offer_body = OfferCreate.model_validate(
            {
                "code": offer_code(session, user.region_id, item, company),
                "kind": item.kind,
                "sectors": sectors,
                "profiles": [item.profile] if item.profile else [],
                "available": dated,
                "max_group_size": body.max_group_size,
                "hours": body.hours,
                "max_per_month": body.max_per_month,
                "company_id": company.id,
            }
        )
    except ValidationError as error:
        raise validation_error(error) from None
    try:
        offer = records.add_record(session, records.KIND_OF["offer"], user, offer_body)
        row = MenuSignUp(
            region_id=user.region_id,
            item_id=item_id,
            company_id=saved_id(company),
            offer_id=offer.id,
            dayparts=list(body.dayparts),
            capacity=capacity_of(dated, body.max_per_month),
            created_by_id=user.id,
        )
        session.add(row)
        session.flush()
        audit.record(session, user, "sign_up", "menu_sign_up", row.id, after=audit.snapshot(row))
        records.commit(session)
    except IntegrityError:  # a sign-up of the same company and item raced this one in
        session.rollback()
        raise Conflict(
            f"{company.code} is signed up for menu item {item.code} already",
            code="signup.taken",
            params={"company": company.code, "item": item.code},
        ) from None
    except ServiceError:
        session.rollback()
        raise
    return sign_up_public(row, item, company, offer)


def sign_up_public(
    row: MenuSignUp, item: MenuItem, company: Company, offer: Offer | None
) -> MenuSignUpPublic:
    return MenuSignUpPublic.model_validate(
        {
            **row.model_dump(),
            "item": item.code,
            "company": company.code,
            "company_name": company.name,
            "offer": offer.code if offer is not None else None,
        }
    )


def scoped_sign_ups(session: Session, user: User) -> list[MenuSignUp]:
    """A company's own sign-ups; every sign-up of the region for the bureau."""
    query = select(MenuSignUp).where(MenuSignUp.region_id == user.region_id)
    if user.role == Role.company:
        query = query.where(MenuSignUp.company_id == user.company_id)
    elif user.role != Role.bureau:
        raise Forbidden(f"role {user.role} may not read sign-ups", code="signup.not_your_role_read")
    return list(session.exec(query.order_by(col(MenuSignUp.id))).all())


def list_sign_ups(session: Session, user: User, withdrawn: bool = False) -> list[MenuSignUpPublic]:
    """The sign-ups in the user's scope: standing ones; with `withdrawn`, the withdrawn ones
    and those whose offer was deleted by hand too."""
    rows = [
        r
        for r in scoped_sign_ups(session, user)
        if withdrawn or (r.withdrawn_at is None and r.offer_id is not None)
    ]
    return [public_of(session, row) for row in rows]


def public_of(session: Session, row: MenuSignUp) -> MenuSignUpPublic:
    item = session.get(MenuItem, row.item_id)
    company = session.get(Company, row.company_id)
    assert item is not None and company is not None  # foreign keys hold them
    offer = session.get(Offer, row.offer_id) if row.offer_id is not None else None
    return sign_up_public(row, item, company, offer)


def round_using(session: Session, region_id: int, code: str) -> Round | None:
    """The first round whose document holds offer `code`: a plan may rely on it."""
    for round_ in session.exec(
        select(Round).where(Round.region_id == region_id).order_by(col(Round.id))
    ).all():
        if any(o.get("id") == code for o in round_.document.get("offers", [])):
            return round_
    return None


def withdraw(session: Session, user: User, sign_up_id: int) -> MenuSignUpPublic:
    """Withdraw a sign-up and remove its offer, while no round has taken the offer in."""
    row = next((r for r in scoped_sign_ups(session, user) if r.id == sign_up_id), None)
    if row is None:
        raise NotFound(
            f"no sign-up {sign_up_id} in your scope",
            code="signup.not_found",
            params={"sign_up": sign_up_id},
        )
    if row.withdrawn_at is not None:
        raise Conflict(
            f"sign-up {sign_up_id} was withdrawn on {row.withdrawn_at:%Y-%m-%d}",
            code="signup.withdrawn",
            params={"sign_up": sign_up_id, "date": f"{row.withdrawn_at:%Y-%m-%d}"},
        )
    offer = session.get(Offer, row.offer_id) if row.offer_id is not None else None
    if offer is not None:
        used = round_using(session, user.region_id, offer.code)
        if used is not None:
            raise Conflict(
                f"sign-up {sign_up_id}: offer {offer.code} is in round {used.id} ({used.name}); "
                "answer the visits planned there instead",
                code="signup.in_round",
                params={"sign_up": sign_up_id, "offer": offer.code, "round": used.name},
            )
    before = audit.snapshot(row)
    row.withdrawn_at, row.offer_id = utcnow(), None
    session.add(row)
    session.flush()
    if offer is not None:
        audit.record(session, user, "delete", "offer", offer.id, before=audit.snapshot(offer))
        session.delete(offer)
    audit.record(
        session, user, "withdraw", "menu_sign_up", row.id, before=before, after=audit.snapshot(row)
    )
    records.commit(session)
    return public_of(session, row)


# --- the bureau's view: demand against capacity -------------------------------------------------


@dataclass(frozen=True)
class ItemReport:
    """One item as the bureau weighs it: demand, what is wanted, what companies signed up."""

    item: MenuItemPublic
    companies: list[MenuSignUpPublic]

    @property
    def untaken(self) -> bool:
        return self.item.status == MenuItemStatus.published and not self.companies

    @property
    def short(self) -> int:
        return max(0, self.item.wanted - self.item.capacity)


def report(session: Session, user: User) -> list[ItemReport]:
    """Every item with its sign-ups; published items nobody took come first."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau reads the menu's sign-ups", code="signup.bureau_report")
    items = menu.list_items(session, user)
    by_item: dict[int, list[MenuSignUpPublic]] = {}
    for entry in list_sign_ups(session, user):
        by_item.setdefault(entry.item_id, []).append(entry)
    rows = [ItemReport(i, by_item.get(i.id, [])) for i in items]
    return sorted(rows, key=lambda r: not r.untaken)


REPORT_HEADER = [
    "item", "title", "status", "kind", "profile", "sectors", "window_start", "window_end",
    "requesters", "activities", "schools", "wanted", "capacity", "short", "companies",
]  # fmt: skip


def report_file(
    session: Session,
    user: User,
    fmt: Literal["csv", "xlsx"],
    labels: Callable[[str], str] = str,
) -> tuple[bytes, str, str]:
    """The report as a spreadsheet: (body, media type, file name); `labels` names the columns
    (a page's language; the API keeps the column keys)."""
    header = [labels(c) for c in REPORT_HEADER]
    rows: list[list[Any]] = [
        [
            r.item.code, r.item.title, r.item.status.value, r.item.kind, r.item.profile or "",
            ", ".join(r.item.sectors), r.item.window_start.isoformat(),
            r.item.window_end.isoformat(), r.item.requesters, r.item.activities, r.item.schools,
            r.item.wanted, r.item.capacity, r.short,
            ", ".join(f"{c.company_name} ({c.company}, {c.capacity})" for c in r.companies),
        ]
        for r in report(session, user)
    ]  # fmt: skip
    if fmt == "csv":
        return spreadsheets.csv_bytes(header, rows), "text/csv", "menukaart.csv"
    body = spreadsheets.xlsx_bytes("Menukaart", header, rows)
    return body, spreadsheets.XLSX, "menukaart.xlsx"
