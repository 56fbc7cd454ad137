"""What the region's companies offer (placements with seats, visits, guest lessons, teacher
internships), filterable by sector and profile: the bureau's overview and the list schools take
placement codes from for their pupils' wishes."""

from __future__ import annotations

from collections import defaultdict
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
    count and the seats are those of every company that matches."""
    companies = session.exec(
        select(Company).where(Company.region_id == region_id).order_by(col(Company.name))
    ).all()
    placements: dict[int | None, list[Placement]] = defaultdict(list)
    for p in session.exec(select(Placement).where(Placement.region_id == region_id)).all():
        if not profile or not p.profiles or profile in p.profiles:
            placements[p.company_id].append(p)
    offers: dict[int | None, list[Offer]] = defaultdict(list)
    for o in session.exec(select(Offer).where(Offer.region_id == region_id)).all():
        if not profile or not o.profiles or profile in o.profiles:
            offers[o.company_id].append(o)
    sectors = sorted({s for c in companies for s in c.sectors})
    needle = search.strip().casefold()
    entries = []
    seats = 0
    for company in companies:
        if sector and sector not in company.sectors:
            continue
        if needle and needle not in f"{company.code} {company.name}".casefold():
            continue
        own_placements, own_offers = placements[company.id], offers[company.id]
        if profile and not own_placements and not own_offers:
            continue
        entries.append({"company": company, "placements": own_placements, "offers": own_offers})
        seats += sum(sum(p.capacity.values()) for p in own_placements)
    pages = max(1, -(-len(entries) // MENU_PAGE))
    page = min(max(1, page), pages)
    query = {"sector": sector, "profile": profile, "q": search}

    def link(number: int) -> str:
        return f"{url}?{urlencode({k: v for k, v in {**query, 'page': number}.items() if v})}"

    return {
        "entries": entries[(page - 1) * MENU_PAGE : page * MENU_PAGE],
        "total": len(entries),
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
