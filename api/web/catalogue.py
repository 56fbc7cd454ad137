"""What the region's companies offer (placements with seats, visits, guest lessons, teacher
internships), filterable by sector and profile: the bureau's overview and the list schools take
placement codes from for their pupils' wishes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from api.models import Company, Offer, Placement
from scheduler.contract.round import PROFILES

MENU_PAGE = 50  # companies a page: a region has thousands


def catalogue(
    session: Session,
    region_id: int,
    sector: str,
    profile: str,
    *,
    page: int = 1,
    search: str = "",
    url: str = "/app/bureau/menu",
) -> dict[str, Any]:
    """The companies in `sector` (any when empty) whose code or name holds `search`, with
    their placements and offers that admit `profile` (any when empty), `MENU_PAGE` a page; the
    count and the seats are those of every company that matches. Whole records are read for
    the page's companies only: a region has thousands."""

    def admits(profiles: Sequence[str] | None) -> bool:
        return not profile or not profiles or profile in profiles

    # Plain rows, not the ORM's, for the passes over every company and placement.
    rows = session.connection().execute
    companies = rows(
        select(col(Company.id), col(Company.code), col(Company.name), col(Company.sectors))
        .where(Company.region_id == region_id)
        .order_by(col(Company.name))
    ).all()
    seats_of: dict[int | None, int] = defaultdict(int)
    offering: set[int | None] = set()
    for company_id, profiles, capacity in rows(
        select(col(Placement.company_id), col(Placement.profiles), col(Placement.capacity)).where(
            Placement.region_id == region_id
        )
    ).all():
        if admits(profiles):
            seats_of[company_id] += sum(capacity.values())
            offering.add(company_id)
    for company_id, profiles in rows(
        select(col(Offer.company_id), col(Offer.profiles)).where(Offer.region_id == region_id)
    ).all():
        if admits(profiles):
            offering.add(company_id)
    sectors = sorted({s for *_, company_sectors in companies for s in company_sectors})
    needle = search.strip().casefold()
    matching = [
        company_id
        for company_id, code, name, company_sectors in companies
        if (not sector or sector in company_sectors)
        and (not needle or needle in f"{code} {name}".casefold())
        and (not profile or company_id in offering)
    ]
    pages = max(1, -(-len(matching) // MENU_PAGE))
    page = min(max(1, page), pages)
    shown = matching[(page - 1) * MENU_PAGE : page * MENU_PAGE]
    records = {c.id: c for c in session.exec(select(Company).where(col(Company.id).in_(shown)))}
    placements: dict[int | None, list[Placement]] = defaultdict(list)
    for p in session.exec(select(Placement).where(col(Placement.company_id).in_(shown))).all():
        if admits(p.profiles):
            placements[p.company_id].append(p)
    offers: dict[int | None, list[Offer]] = defaultdict(list)
    for o in session.exec(select(Offer).where(col(Offer.company_id).in_(shown))).all():
        if admits(o.profiles):
            offers[o.company_id].append(o)
    entries = [{"company": records[i], "placements": placements[i], "offers": offers[i]}
               for i in shown]  # fmt: skip
    seats = sum(seats_of[i] for i in matching)
    query = {"sector": sector, "profile": profile, "q": search}

    def link(number: int) -> str:
        return f"{url}?{urlencode({k: v for k, v in {**query, 'page': number}.items() if v})}"

    return {
        "entries": entries,
        "total": len(matching),
        "page": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else "",
        "next": link(page + 1) if page < pages else "",
        "sectors": sectors,
        "profiles": PROFILES,
        "sector": sector,
        "profile": profile,
        "search": search,
        "seats": seats,
    }
