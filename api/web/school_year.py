"""The bureau's school-year page: the calendar new rounds take (SPEC section 4: start, end,
holidays, minimum gap), with the holidays of a holiday region filled in from `api.school_year`.

Every change goes through the region service `PATCH /region` also uses, so the solver's checks,
the version check and the audit entry are the API's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from api import school_year
from api.deps import SessionDep
from api.models import Region, RegionUpdate, User
from api.services import region as region_service
from api.services.errors import Conflict, ServiceError
from api.web.actions import problems
from api.web.bureau import Form, with_message
from api.web.common import see_other
from api.web.i18n import language_of, translator
from api.web.render import render
from api.web.session import BureauPage, Csrf
from scheduler.calendar import is_school_day
from scheduler.contract.round import HOURS_PER_DAY
from scheduler.contract.round import WEEKDAYS as PERIOD_WEEKDAYS
from scheduler.domain import Calendar
from scheduler.validation import InvalidRound, parse_calendar, parse_periods

router = APIRouter(include_in_schema=False)

SCHOOL_YEAR = "/app/bureau/calendar"
SCHOOL_YEAR_DONE = ("saved", "added", "removed", "filled", "period_added", "period_removed")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def school_year_page(
    request: Request,
    session: Session,
    user: User,
    errors: list[str] | None = None,
    entered: dict[str, str] | None = None,
    invalid: set[str] | None = None,
) -> Response:
    """The region's calendar as stored, with `errors` of a refused change, the `invalid` fields
    among start, end and min_gap_days, and the values that were `entered` (so a typo is fixed,
    not typed again)."""
    region = session.get(Region, user.region_id)
    assert region is not None
    stored: dict[str, Any] = dict(region.calendar or {})
    try:
        parsed = parse_calendar(stored) if stored else None
    except InvalidRound:  # stored before calendars were checked: shown as it is
        parsed = None
    names = school_year.holiday_names(parsed.start, parsed.end) if parsed else {}
    holidays = []
    for index, pair in enumerate(stored.get("holidays") or []):
        first, last = [*pair, "", ""][:2] if isinstance(pair, list) else (str(pair), "")
        name = names.get((first, last), "") if names else ""  # names: every pair is two dates
        holidays.append(
            {
                "index": index,
                "first": first,
                "last": last,
                "name": name,
                "days": (weekday_key(first), weekday_key(last)),
            }
        )
    school_days = 0
    if parsed is not None:
        day = parsed.start
        while day <= parsed.end:
            school_days += is_school_day(parsed, day)
            day += timedelta(days=1)
    values = {
        "start": str(stored.get("start", "")),
        "end": str(stored.get("end", "")),
        "min_gap_days": str(stored.get("min_gap_days", 0)),
        **(entered or {}),
    }
    done = request.query_params.get("done", "")
    try:
        period_days = {
            t: len(p.days) for t, p in parse_periods(region.periods or [], stored or None).items()
        }
    except InvalidRound:  # stored before periods were checked: shown without their days
        period_days = {}
    context = {
        "periods": [
            {**period, "days": period_days.get(str(period.get("id")))}
            for period in region.periods or []
        ],
        "period_weekdays": PERIOD_WEEKDAYS,
        "hours_per_day": HOURS_PER_DAY,
        "region": region,
        "calendar": stored,
        "valid": parsed is not None,
        "values": values,
        "holidays": holidays,
        "school_days": school_days,
        "regions": school_year.REGIONS,
        "unknown_years": {
            r: school_year.years_without_school_holidays(r, parsed.start, parsed.end)
            for r in school_year.REGIONS
        }
        if parsed
        else {},
        "errors": errors or [],
        "invalid": invalid or set(),
        "done": done if done in SCHOOL_YEAR_DONE else "",
    }
    return render(request, "bureau/calendar.html", context)


def weekday_key(text: Any) -> str:
    """'mon' .. 'sun' of an ISO date, '' for anything else."""
    try:
        return WEEKDAYS[date.fromisoformat(str(text)).weekday()]
    except ValueError:
        return ""


@router.get(SCHOOL_YEAR)
def school_year_calendar(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The school year new rounds take: start, end, holidays and the minimum gap."""
    return school_year_page(request, session, user)


def form_version(form: FormData) -> int:
    text = str(form.get("version", "")).strip()
    return int(text) if text.isdigit() else -1


def save_calendar(
    request: Request,
    session: Session,
    user: User,
    form: FormData,
    calendar: dict[str, Any],
    done: str,
    entered: dict[str, str] | None = None,
) -> Response:
    """Store `calendar` through the region service (the solver's checks, the version check and
    the audit entry); a refusal shows the page again with why, changing nothing."""
    try:
        body = RegionUpdate(version=form_version(form), calendar=calendar)
        region_service.update_region(session, user, body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        lines = problems(error)
        invalid = set()
        if isinstance(error, Conflict):
            t = translator(language_of(request))
            lines = [t("school_year.stale")]  # says the stale version in its own words
        elif isinstance(error, ServiceError) and isinstance(error.detail, list):
            invalid = {
                str(item["loc"][2])
                for item in error.detail
                if isinstance(item, dict)
                and item.get("loc", [])[:2] == ["body", "calendar"]
                and len(item["loc"]) > 2
            }
        return school_year_page(request, session, user, lines, entered, invalid)
    return see_other(with_message(SCHOOL_YEAR, done=done))


def current_calendar(session: Session, user: User) -> dict[str, Any]:
    region = session.get(Region, user.region_id)
    assert region is not None
    return dict(region.calendar or {})


def whole_number(raw: Any) -> int | str:
    """A form's number as an int; anything else as typed, for the solver's check to name."""
    text = str(raw or "").strip()
    if not text:
        return 0
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


@router.post(SCHOOL_YEAR, dependencies=[Csrf])
def save_school_year(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """First and last day of the school year and the minimum gap between two activities."""
    entered = {k: str(form.get(k, "")).strip() for k in ("start", "end", "min_gap_days")}
    calendar = {
        "holidays": [],
        **current_calendar(session, user),
        "start": entered["start"],
        "end": entered["end"],
        "min_gap_days": whole_number(entered["min_gap_days"]),
    }
    return save_calendar(request, session, user, form, calendar, "saved", entered)


def stored_school_year(session: Session, user: User) -> Calendar | None:
    """The region's calendar if the solver accepts it as it is stored."""
    try:
        return parse_calendar(current_calendar(session, user))
    except InvalidRound:
        return None


def dates_first(request: Request, session: Session, user: User) -> Response:
    """The holiday forms change a valid school year only: say to save one first."""
    t = translator(language_of(request))
    return school_year_page(request, session, user, [t("school_year.dates_first")])


@router.post(SCHOOL_YEAR + "/holidays", dependencies=[Csrf])
def add_holiday(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """One more holiday range (a single day when `last` is empty), kept in date order."""
    if stored_school_year(session, user) is None:
        return dates_first(request, session, user)
    first = str(form.get("first", "")).strip()
    last = str(form.get("last", "")).strip() or first
    calendar = current_calendar(session, user)
    holidays = [list(pair) for pair in calendar.get("holidays") or []]
    if [first, last] not in holidays:
        holidays.append([first, last])
    calendar["holidays"] = sorted(holidays, key=str)
    return save_calendar(request, session, user, form, calendar, "added")


@router.post(SCHOOL_YEAR + "/holidays/{index}/delete", dependencies=[Csrf])
def remove_holiday(
    index: int, request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Remove the holiday range at `index` of the list the page showed (at its version)."""
    region = session.get(Region, user.region_id)
    assert region is not None
    calendar = current_calendar(session, user)
    holidays = list(calendar.get("holidays") or [])
    if 0 <= index < len(holidays):
        del holidays[index]
    elif form_version(form) == region.version:  # not a list this version ever had
        raise HTTPException(404, detail="not_found")
    calendar["holidays"] = holidays
    return save_calendar(request, session, user, form, calendar, "removed")


@router.post(SCHOOL_YEAR + "/fill", dependencies=[Csrf])
def fill_holidays(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Replace the holidays by the school and public holidays of one holiday region between the
    calendar's start and end (from the `holidays` package, see `api.school_year`)."""
    year = stored_school_year(session, user)
    if year is None:
        return dates_first(request, session, user)
    region = str(form.get("holiday_region", ""))
    if region not in school_year.REGIONS:
        t = translator(language_of(request))
        line = f"holiday_region: {t('school_year.pick_region')}"
        return school_year_page(request, session, user, [line], invalid={"holiday_region"})
    calendar = current_calendar(session, user)
    calendar["holidays"] = [
        [first.isoformat(), last.isoformat()]
        for first, last, _ in school_year.holidays_between(region, year.start, year.end)
    ]
    return save_calendar(request, session, user, form, calendar, "filled")


def save_periods(
    request: Request, session: Session, user: User, form: FormData, periods: list[Any], done: str
) -> Response:
    """Store the region's dated periods through the region service (the solver's checks, the
    version check and the audit entry); a refusal shows the page again with why."""
    try:
        body = RegionUpdate(version=form_version(form), periods=periods)
        region_service.update_region(session, user, body)
    except (ServiceError, ValidationError) as error:
        session.rollback()
        lines = problems(error)
        if isinstance(error, Conflict):
            lines = [translator(language_of(request))("school_year.stale"), *lines]
        return school_year_page(request, session, user, lines)
    return see_other(with_message(SCHOOL_YEAR, done=done) + "#periods")


def stored_periods(session: Session, user: User) -> list[dict[str, Any]]:
    region = session.get(Region, user.region_id)
    assert region is not None
    return [dict(period) for period in region.periods or []]


@router.post(SCHOOL_YEAR + "/periods", dependencies=[Csrf])
def add_period(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """A placement period with dates (SPEC section 8); one with the same code is replaced."""
    code = str(form.get("id", "")).strip()
    period: dict[str, Any] = {
        "id": code,
        "start": str(form.get("start", "")).strip(),
        "end": str(form.get("end", "")).strip(),
        "hours_per_day": whole_number(form.get("hours_per_day") or HOURS_PER_DAY),
    }
    weekdays = [w for w in form.getlist("weekdays") if isinstance(w, str)]
    if weekdays:
        period["weekdays"] = weekdays
    periods = [p for p in stored_periods(session, user) if p.get("id") != code]
    periods = sorted([*periods, period], key=lambda p: str(p.get("start", "")))
    return save_periods(request, session, user, form, periods, "period_added")


@router.post(SCHOOL_YEAR + "/periods/{index}/delete", dependencies=[Csrf])
def remove_period(
    index: int, request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Remove the period at `index` of the list the page showed (at its version)."""
    region = session.get(Region, user.region_id)
    assert region is not None
    periods = stored_periods(session, user)
    if 0 <= index < len(periods):
        del periods[index]
    elif form_version(form) == region.version:
        raise HTTPException(404, detail="not_found")
    return save_periods(request, session, user, form, periods, "period_removed")
