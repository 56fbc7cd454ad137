"""The demo region's school year: what `import_document` leaves out of a round document.

A bureau enters its calendar on the school-year page, schools their classes, teachers and
elective wishes, companies their offers; the demo stores the same records from its generated
document, so every page of every role has something to show.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from api.db import saved_id
from api.models import (
    Company,
    Elective,
    ElectiveRequest,
    Offer,
    Pupil,
    Region,
    School,
    SchoolClass,
    Teacher,
)


def import_school_year(session: Session, region: Region, document: dict[str, Any]) -> None:
    """Store the document's calendar on `region` and its classes, teachers, offers, electives
    and elective requests as the region's records (after `import_document` stored its schools,
    companies and pupils). The caller commits."""
    rid = saved_id(region)
    if "calendar" in document:
        region.calendar = dict(document["calendar"])
        session.add(region)
    school = _ids(session, School, rid)
    company = _ids(session, Company, rid)
    for k in document.get("classes", []):
        session.add(
            SchoolClass(
                region_id=rid,
                school_id=school[k["school"]],
                code=k["id"],
                year=k["year"],
                profile=k.get("profile"),
                size=k["size"],
                free=list(k.get("free", [])),
                demand=dict(k.get("demand", {})),
                distinct_sectors=k.get("distinct_sectors", False),
            )
        )
    for t in document.get("teachers", []):
        session.add(
            Teacher(
                region_id=rid,
                school_id=school[t["school"]],
                code=t["id"],
                name=f"Docent {t['id'].rsplit('-', 1)[-1]}",
                free=list(t.get("free", [])),
                demand=dict(t.get("demand", {})),
                sectors=list(t.get("sectors", [])),
                escort=t.get("escort", True),
            )
        )
    for o in document.get("offers", []):
        session.add(
            Offer(
                region_id=rid,
                company_id=company[o["company"]],
                code=o["id"],
                kind=o["kind"],
                sectors=list(o.get("sectors", [])),
                profiles=list(o.get("profiles", [])),
                available=list(o.get("available", [])),
                max_group_size=o.get("max_group_size"),
                hours=o.get("hours"),
                max_per_month=o.get("max_per_month"),
                max_travel_min=o.get("max_travel_min"),
            )
        )
    for e in document.get("electives", []):
        session.add(
            Elective(
                region_id=rid,
                school_id=school[e["school"]],
                code=e["id"],
                name=e.get("name", ""),
                slot=e["slot"],
                capacity=e["capacity"],
                profiles=list(e.get("profiles", [])),
            )
        )
    pupils = {p.code: p for p in session.exec(select(Pupil).where(Pupil.region_id == rid)).all()}
    for r in document.get("elective_requests", []):
        pupil = pupils[r["student"]]
        session.add(
            ElectiveRequest(
                region_id=rid,
                school_id=pupil.school_id,
                pupil_id=saved_id(pupil),
                choices=list(r["choices"]),
                count=r.get("count", 1),
            )
        )
    session.flush()


def _ids(session: Session, table: Any, region_id: int) -> dict[str, int]:
    """Code -> id of the region's schools or companies."""
    rows = session.exec(select(table).where(table.region_id == region_id)).all()
    return {row.code: saved_id(row) for row in rows}
