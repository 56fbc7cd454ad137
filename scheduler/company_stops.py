"""A company that stops hosting from a date (bankrupt, recognition withdrawn, no longer hosting):
what it no longer offers, who it leaves without a place or a visit, and where they went.

A stop is written into the round the honest way, not as an exclusion (which means "not this
pupil", a company's standing decline): every placement period of the company that may still run
on or after the date gets capacity 0 (eligible but full, SPEC section 3, so a pupil left without
a place reads `CAPACITY` naming the seat), and each of its offers keeps only the dayparts before
the date (a weekly pattern becomes the dated school dayparts it covered until then). Whether a
period still runs is decided in one place, `period_reaches`: a period the round dates (SPEC
section 8, `periods`) and that ends before the stop keeps its seats; an undated one counts as
running, since nothing says it is over.

The document transform starts from `original`, the round as it was opened, so lifting a stop
gives the seats and dayparts back on the next solve instead of keeping the zeros of the last one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from scheduler.calendar import Pattern, is_school_day
from scheduler.contract.round import DAYPARTS
from scheduler.contract.solution import Activity, Assignment, Solution, activity_key
from scheduler.validation import parse_calendar


@dataclass(frozen=True, slots=True)
class CompanyStop:
    """`company` (its id in the round) hosts no pupil and no visit from `stopped_from` on."""

    company: str
    stopped_from: date


def stops_by_company(stops: Iterable[CompanyStop]) -> dict[str, date]:
    """The earliest stop of each company (a company stopped twice stops at the first date)."""
    earliest: dict[str, date] = {}
    for stop in stops:
        known = earliest.get(stop.company)
        earliest[stop.company] = (
            stop.stopped_from if known is None else min(known, stop.stopped_from)
        )
    return earliest


def period_reaches(document: Mapping[str, Any], period: str, day: date) -> bool:
    """Whether a placement period may still run on or after `day`: unless the round dates the
    period and it ends before `day`, it does (an undated period is not known to be over)."""
    for dated in document.get("periods", []) or []:
        if dated.get("id") == period and dated.get("end"):
            return date.fromisoformat(dated["end"]) >= day
    return True


def stopped_placement_period(
    document: Mapping[str, Any], stopped: Mapping[str, date], company: str, period: str
) -> bool:
    """Whether a placement period of `company` is lost to its stop."""
    stopped_from = stopped.get(company)
    return stopped_from is not None and period_reaches(document, period, stopped_from)


def stopped_activity(stopped: Mapping[str, date], activity: Mapping[str, Any]) -> bool:
    """Whether a planned visit falls on or after its company's stop."""
    stopped_from = stopped.get(activity.get("company", ""))
    return stopped_from is not None and date.fromisoformat(activity["date"]) >= stopped_from


def stopped_round(
    document: Mapping[str, Any],
    stops: Iterable[CompanyStop],
    original: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`document` with every placement's capacity and offer's dayparts taken from `original`
    (the round as opened; default `document` itself), then the stopped companies' periods that
    may run on or after the stop at 0 seats and their offers open only before it."""
    # Only placements and offers change: copied one level deep, the rest of a large round shared.
    result = dict(document)
    for key in ("placements", "offers"):
        if key in document:
            result[key] = [dict(record) for record in document[key]]
    source = original if original is not None else document
    capacity = {p["id"]: p["capacity"] for p in source.get("placements", [])}
    available = {o["id"]: o["available"] for o in source.get("offers", [])}
    stopped = stops_by_company(stops)
    for placement in result.get("placements", []):
        placement["capacity"] = dict(capacity.get(placement["id"], placement["capacity"]))
        for period in placement["capacity"]:
            if stopped_placement_period(result, stopped, placement["company"], period):
                placement["capacity"][period] = 0
    calendar = result.get("calendar")
    for offer in result.get("offers", []):
        offer["available"] = list(available.get(offer["id"], offer["available"]))
        stopped_from = stopped.get(offer["company"])
        if stopped_from is not None:
            offer["available"] = dayparts_before(offer["available"], stopped_from, calendar)
    return result


def dayparts_before(
    patterns: Sequence[str], stopped_from: date, calendar: Mapping[str, Any] | None
) -> list[str]:
    """The dayparts of `patterns` before `stopped_from`, as dated dayparts where a weekly pattern
    has to end (without a calendar there are no school days, so a weekly pattern ends)."""
    kept: set[str] = set()
    weekly = []
    for text in patterns:
        pattern = Pattern.parse(text)
        if pattern.day is None:
            weekly.append(pattern)
        elif pattern.day < stopped_from:
            kept.add(text)
    if weekly and calendar is not None:
        school_year = parse_calendar(dict(calendar))
        day = school_year.start
        while day < stopped_from and day <= school_year.end:
            if is_school_day(school_year, day):
                for part in DAYPARTS:
                    if any(p.matches(day, part) for p in weekly):
                        kept.add(f"{day.isoformat()}/{part}")
            day += timedelta(days=1)
    return sorted(kept)


@dataclass(frozen=True)
class Displaced:
    """What the stops take away from a solution: its pupils and visits at a stopped company."""

    pupils: tuple[Assignment, ...]
    visits: tuple[Activity, ...]

    @property
    def empty(self) -> bool:
        return not self.pupils and not self.visits


def displaced(
    document: Mapping[str, Any], solution: Solution, stops: Iterable[CompanyStop]
) -> Displaced:
    """The assignments and activities of `solution` (solving `document`) that the stops end."""
    stopped = stops_by_company(stops)
    return Displaced(
        pupils=tuple(
            a
            for a in solution.get("assignments", [])
            if stopped_placement_period(document, stopped, a["company"], a["period"])
        ),
        visits=tuple(a for a in solution.get("activities", []) if stopped_activity(stopped, a)),
    )


def stop_report(
    document: Mapping[str, Any],
    before: Solution,
    after: Solution,
    stops: Iterable[CompanyStop],
) -> dict[str, Any]:
    """Who the stops displaced from `before` and where `after` put them: each pupil's new
    placement or its reason for none, each class's or teacher's new visit of the same kind or
    its reason for none. `school` names the pupil's or requester's school, so each school can
    be shown its own."""
    stops = tuple(stops)
    gone = displaced(document, before, stops)
    school = {s["id"]: s["school"] for s in document.get("students", [])}
    for key in ("classes", "teachers"):
        school.update({r["id"]: r["school"] for r in document.get(key, [])})
    placed = {a["student"]: a for a in after.get("assignments", [])}
    unplaced = {u["student"]: u for u in after.get("unassigned", [])}
    pupils = []
    for old in gone.pupils:
        new = placed.get(old["student"])
        why = unplaced.get(old["student"])
        pupils.append(
            {
                "student": old["student"],
                "school": school.get(old["student"], ""),
                "from": _seat(old),
                "to": _seat(new) if new is not None else None,
                "reason": why["reason"] if why else "",
                "detail": why["detail"] if why else "",
            }
        )
    earlier = {activity_key(a) for a in before.get("activities", [])}
    new_visits: dict[tuple[str, str], list[Activity]] = {}
    for activity in after.get("activities", []):
        if activity_key(activity) not in earlier:
            new_visits.setdefault((activity["requester"], activity["kind"]), []).append(activity)
    short = {(u["requester"], u["kind"]): u for u in after.get("unplanned", [])}
    visits = []
    for old_visit in gone.visits:
        wanted = (old_visit["requester"], old_visit["kind"])
        options = new_visits.get(wanted, [])
        moved = options.pop(0) if options else None
        missing = short.get(wanted) if moved is None else None
        visits.append(
            {
                "requester": old_visit["requester"],
                "school": school.get(old_visit["requester"], ""),
                "kind": old_visit["kind"],
                "from": _slot(old_visit),
                "to": _slot(moved) if moved is not None else None,
                "reason": missing["reason"] if missing else "",
                "detail": missing["detail"] if missing else "",
            }
        )
    return {
        "stops": [
            {"company": company, "stopped_from": day.isoformat()}
            for company, day in sorted(stops_by_company(stops).items())
        ],
        "pupils": pupils,
        "visits": visits,
    }


def _seat(assignment: Assignment) -> dict[str, str]:
    return {
        "placement": assignment["placement"],
        "company": assignment["company"],
        "period": assignment["period"],
    }


def _slot(activity: Activity) -> dict[str, str]:
    return {
        "offer": activity["offer"],
        "company": activity["company"],
        "date": activity["date"],
        "daypart": activity["daypart"],
    }
