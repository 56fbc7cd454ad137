"""What the region's companies offer (placements with seats, visits, guest lessons, teacher
internships), filterable by sector and profile: the bureau's overview and the list schools take
placement codes from for their pupils' wishes."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from api.models import Company, Offer, Placement
from scheduler.contract.round import PROFILES


def catalogue(session: Session, region_id: int, sector: str, profile: str) -> dict[str, Any]:
    """Every company with its placements and offers that admit `profile` (any when empty),
    of companies in `sector` (any when empty), and the seats they hold."""
    companies = session.exec(
        select(Company).where(Company.region_id == region_id).order_by(col(Company.name))
    ).all()
    placements = session.exec(select(Placement).where(Placement.region_id == region_id)).all()
    offers = session.exec(select(Offer).where(Offer.region_id == region_id)).all()
    sectors = sorted({s for c in companies for s in c.sectors})
    entries = []
    seats = 0
    for company in companies:
        if sector and sector not in company.sectors:
            continue
        own_placements = [
            p
            for p in placements
            if p.company_id == company.id
            and (not profile or not p.profiles or profile in p.profiles)
        ]
        own_offers = [
            o
            for o in offers
            if o.company_id == company.id
            and (not profile or not o.profiles or profile in o.profiles)
        ]
        if profile and not own_placements and not own_offers:
            continue
        entries.append({"company": company, "placements": own_placements, "offers": own_offers})
        seats += sum(sum(p.capacity.values()) for p in own_placements)
    return {
        "entries": entries,
        "sectors": sectors,
        "profiles": PROFILES,
        "sector": sector,
        "profile": profile,
        "seats": seats,
    }
