"""The region's own settings: plan budget, travel defaults and the school year new rounds take.

A change goes through the record rules of `api.services.records` (version check, the create
model's validation, audit), and a calendar through the solver's own rules first, so a bad school
year is refused when it is entered, not when the next round is opened.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from api import audit
from api.models import Region, RegionCreate, RegionPublic, RegionUpdate, User
from api.services.errors import Invalid
from api.services.records import Kind, apply_update, commit
from scheduler.validation import InvalidRound, parse_calendar, parse_periods

REGION = Kind("region", "region", Region, RegionCreate, RegionUpdate, RegionPublic, None, {}, {})


def check_calendar(calendar: dict[str, Any] | None) -> None:
    """Refuse every field of `calendar` that the solver would refuse (its own rules, see
    `scheduler.validation.parse_calendar`), each named under `calendar`. No calendar (null) is
    fine: it clears the school year."""
    if calendar is None:
        return
    try:
        parse_calendar(calendar)
    except InvalidRound as error:
        raise Invalid(
            [
                {
                    "loc": ["body", "calendar", *filter(None, p.field.split("."))],
                    "msg": p.message,
                    "type": p.code or "value_error",
                    "ctx": dict(p.params),
                }
                for p in error.problems
            ],
            code="region.calendar_invalid",
        ) from None


def check_periods(periods: list[dict[str, Any]] | None, calendar: dict[str, Any] | None) -> None:
    """Refuse dated periods the solver would refuse (end before start, a `sat`, a duplicate
    id, ...), each named under `periods` by its position and field."""
    if not periods:
        return
    try:
        parse_periods(periods, calendar)
    except InvalidRound as error:
        problems = []
        for p in error.problems:
            at = re.match(r"periods\[(\d+)\]", p.record)
            where: list[Any] = [int(at.group(1))] if at else []
            if not at and p.record != "round":  # the calendar: checked on its own above
                continue
            problems.append(
                {
                    "loc": ["body", "periods", *where, *filter(None, p.field.split("."))],
                    "msg": p.message,
                    "type": p.code or "value_error",
                    "ctx": dict(p.params),
                }
            )
        if problems:
            raise Invalid(problems, code="region.period_invalid") from None


def update_region(session: Session, user: User, body: RegionUpdate) -> Region:
    """Change the user's region at the version the body names; nothing changes on a refusal."""
    if "calendar" in body.model_fields_set:
        check_calendar(body.calendar)
    region = session.get(Region, user.region_id)
    assert region is not None
    if "periods" in body.model_fields_set or "calendar" in body.model_fields_set:
        calendar = body.calendar if "calendar" in body.model_fields_set else region.calendar
        periods = body.periods if "periods" in body.model_fields_set else region.periods
        check_periods(periods, calendar)
    before = apply_update(session, REGION, region, body, user)
    session.add(region)
    audit.record(
        session, user, "update", "region", region.id, before=before, after=audit.snapshot(region)
    )
    commit(session)
    return region
