"""The holidays of a Dutch school year, for the `holidays` list of a region's calendar.

SPEC section 4 counts school days as Monday to Friday between the calendar's `start` and `end`
outside every `holidays` range, and the round lists public holidays there too: a Koningsdag or
a Hemelvaartsdag that is left out is a day the solver may plan a company visit on. So the list
has to hold both the school holidays (herfst-, kerst-, voorjaars-, mei- and zomervakantie), which
the Ministry of Education sets per holiday region (Noord, Midden, Zuid), and the public holidays.

Both come from the `holidays` package (https://github.com/vacanza/holidays, MIT), which knows
the Dutch school holidays per region as its `school` category; nothing here is typed in by hand.
Its days are merged into tidy inclusive ranges that only ever start and end on a weekday: the
solver ignores weekends anyway, so a weekend between two holiday weekdays is folded into one
range, and a weekend alone (Eerste paasdag, a Saturday that starts the summer) is left out.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

REGIONS = ("Noord", "Midden", "Zuid")
COUNTRY = "NL"


@cache
def _package(region: str, years: range, categories: tuple[str, ...]) -> holidays.HolidayBase:
    """The package's holidays, built once per region, years and categories: the school-year
    page asks for all three regions on every view."""
    if region not in REGIONS:
        raise ValueError(f"unknown holiday region {region!r}: one of {', '.join(REGIONS)}")
    return holidays.country_holidays(
        COUNTRY, subdiv=region, years=years, categories=categories, language="nl"
    )


def _days(region: str, start: date, end: date) -> dict[date, str]:
    """Every school- or public-holiday day from `start` to `end`, with its name(s) ("; ")."""
    found = _package(region, range(start.year, end.year + 1), ("public", "school"))
    return {day: name for day, name in found.items() if start <= day <= end}


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def holidays_between(region: str, start: date, end: date) -> list[tuple[date, date, str]]:
    """The school and public holidays of holiday region `region` from `start` to `end`.

    Inclusive ranges (first, last, Dutch names) in date order: each holiday weekday belongs to
    one range, two holiday weekdays with no school day between them (only a weekend) share a
    range, every range starts and ends on a weekday, and the names are those of the holiday
    days from first to last ("Meivakantie, Koningsdag"), each once.
    """
    days = _days(region, start, end)
    ranges: list[tuple[date, date, str]] = []
    first = last = None
    for day in sorted(d for d in days if d.weekday() < 5):
        if last is not None and day == _next_weekday(last):
            last = day
            continue
        if first is not None and last is not None:
            ranges.append((first, last, _names(days, first, last)))
        first = last = day
    if first is not None and last is not None:
        ranges.append((first, last, _names(days, first, last)))
    return ranges


def _names(days: dict[date, str], first: date, last: date) -> str:
    names: list[str] = []
    day = first
    while day <= last:
        for name in days.get(day, "").split("; "):
            if name and name not in names:
                names.append(name)
        day += timedelta(days=1)
    return ", ".join(names)


def holiday_names(start: date, end: date) -> dict[tuple[str, str], str]:
    """The name of every range `holidays_between` gives for any region from `start` to `end`,
    keyed by its ISO dates: what a page can show next to a stored [first, last] pair (the
    calendar itself keeps pairs only)."""
    names: dict[tuple[str, str], str] = {}
    for region in REGIONS:
        for first, last, name in holidays_between(region, start, end):
            names.setdefault((first.isoformat(), last.isoformat()), name)
    return names


def years_without_school_holidays(region: str, start: date, end: date) -> list[int]:
    """The years from `start` to `end` for which the package knows no school holidays of
    `region` yet (the Ministry publishes them a few years ahead), so a page can warn that
    filling in gives only the public holidays there."""
    years = range(start.year, end.year + 1)
    known = {day.year for day in _package(region, years, ("school",))}
    return [year for year in years if year not in known]
