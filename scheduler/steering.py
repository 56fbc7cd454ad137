"""Fresh solves, re-solves and repairs of a round, and the pins a round cannot hold.

A re-solve or a repair is solved by `scheduler.solve.solve_round` on the real round with
`Steering(pinned, previous)`: pins stay, then as few pupils of the previous proposal as possible
move or drop out, then least cost (SPEC section 7, "the rest changes as little as possible").
The stored solution is the solver's own, status and bound included, and its
`stats.placements.changes` (pupils of `previous` moved or dropped) is the version's `changes`.

- A **re-solve** solves the round document of the version it starts from, with the bureau's pins
  and that version's assignments as `previous`.
- A **repair** after companies declined solves that document with each declining company in
  its pupil's `excluded` list (SPEC sections 7 and 8: "not this pupil at this company"; the
  seat stays open to every other pupil); confirmed assignments and the bureau's pins are
  pinned, the published assignments are `previous`. A declined pupil's previous seat is gone
  for it (`GONE`), so it counts as one change wherever it lands.
- A **company that stops** hosting from a date (`scheduler.company_stops`) loses its seats of
  every period that may run from then and its offers' dayparts from then, in every plan of the
  region while the stop stands; a pin or kept activity it ends no longer counts, so a repair
  re-places exactly the pupils and visits it displaced.
- Every plan, fresh solves included, carries the region's standing `exclusions` (declines the
  bureau has not lifted): they replace each pupil's `excluded` list, so a decline made after a
  round was opened is honoured by its next solve, and a lifted one no longer is.

Activities (problem B) are a published year calendar that companies and schools plan by, so a
re-solve or repair keeps every activity of the version it starts from (`kept_activities`) and
plans only the demand left open around them. A company's decline of a class or teacher is
written into the effective round as the offer's `declined` entry: that offer no longer hosts
the requester, nor is it open on that daypart (not this class, and not then). The declined
activity is not kept, nor is any other visit of that requester to that offer (the company's
newest word about the class), so its requester is planned again elsewhere if anything fits.

`check_pins` runs before a job is created, so a pin the round cannot hold (an unknown pupil, a
placement and period no longer eligible, more pins than seats, two pins against a together or
apart rule) is refused with a `SteeringError` naming the pupils at fault, and nothing changes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.company_stops import (
    CompanyStop,
    stopped_activity,
    stopped_placement_period,
    stopped_round,
    stops_by_company,
)
from scheduler.contract.solution import (
    ActivityKey,
    Slot,
    Solution,
    activity_key,
    assignment_map,
)
from scheduler.domain import Round, SteeringError
from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.steer import Steer, Steering
from scheduler.progress import ProgressFn, ignore
from scheduler.solve import solve_round
from scheduler.validation import parse_round

# The previous seat of a declined pupil: no placement has it, so the pupil cannot "stay".
GONE: Slot = ("", "")

# What problem A needs of a round document: pins are checked on these and the pinned pupils.
PLACEMENT_KEYS = (
    "format", "name", "travel", "weights", "defaults", "travel_matrix", "schools", "companies",
    "placements",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What a job solves: the round document its solution must satisfy, that round validated
    once, and how to steer it."""

    document: dict[str, Any]
    round_: Round
    steering: Steering | None = None
    kept_activities: tuple[ActivityKey, ...] = ()

    @classmethod
    def of(cls, document: Mapping[str, Any], **steering: Any) -> Plan:
        """A plan of `document`, validated here once (`InvalidRound` if it breaks the SPEC)."""
        return cls(dict(document), parse_round(document), **steering)


def excluding(
    document: Mapping[str, Any],
    exclusions: Mapping[str, Iterable[str]],
    declines: Iterable[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """`document` with each pupil's `excluded` list set to its standing `exclusions` (company
    ids), plus the company of each of `declines` (pupil, placement) for its pupil."""
    result = copy.deepcopy(dict(document))
    company = {p["id"]: p["company"] for p in result.get("placements", [])}
    excluded = {pupil: set(companies) for pupil, companies in exclusions.items()}
    for decline in declines:
        if decline["placement"] in company:
            excluded.setdefault(decline["student"], set()).add(company[decline["placement"]])
    for student in result.get("students", []):
        listed = excluded.get(student["id"])
        if listed:
            student["excluded"] = sorted(listed)
        else:
            student.pop("excluded", None)
    return result


def declined_round(document: Mapping[str, Any], declines: Iterable[Mapping[str, Any]]) -> dict:
    """`document` with each declined activity written into its offer's `declined` list."""
    result = copy.deepcopy(dict(document))
    offers = {o["id"]: o for o in result.get("offers", [])}
    for decline in declines:
        offer = offers.get(decline["offer"])
        if offer is not None:
            entry = {k: decline[k] for k in ("requester", "date", "daypart")}
            if entry not in offer.setdefault("declined", []):
                offer["declined"].append(entry)
    return result


def plan(
    document: Mapping[str, Any],
    base_solution: Mapping[str, Any] | None = None,
    pins: Iterable[Mapping[str, str]] = (),
    declines: Iterable[Mapping[str, str]] = (),
    activity_declines: Iterable[Mapping[str, Any]] = (),
    exclusions: Mapping[str, Iterable[str]] | None = None,
    stops: Iterable[CompanyStop] = (),
    original: Mapping[str, Any] | None = None,
) -> Plan:
    """A fresh solve of `document` (no `base_solution`), else a re-solve or, with `declines` of
    pupils or `activity_declines` of classes and teachers, a repair of `base_solution`, keeping
    `pins` (a declined pupil's pin no longer counts) and every activity not declined.
    `exclusions` (pupil -> company ids), when given, are the region's standing declines.
    `stops` are the region's companies that stop hosting (`scheduler.company_stops`), written
    over the capacities and dayparts of `original` (the round as opened, so a lifted stop gives
    them back); a pin or kept activity the stops end no longer counts."""
    declines = tuple(declines)
    if exclusions is not None or declines:
        document = excluding(document, exclusions or {}, declines)
    stops = tuple(stops)
    stopped = stops_by_company(stops)
    if stops or original is not None:
        document = stopped_round(document, stops, original)
    if base_solution is None:
        return Plan.of(document)
    activity_declines = tuple(activity_declines)
    refused = {(d["requester"], d["offer"]) for d in activity_declines}
    kept = tuple(
        activity_key(a)
        for a in base_solution.get("activities", [])
        if (a["requester"], a["offer"]) not in refused and not stopped_activity(stopped, a)
    )
    company = {p["id"]: p["company"] for p in document.get("placements", [])}
    declined = {d["student"] for d in declines}
    pinned = {
        p["student"]: (p["placement"], p["period"])
        for p in pins
        if p["student"] not in declined
        and not stopped_placement_period(
            document, stopped, company.get(p["placement"], ""), p["period"]
        )
    }
    previous = {
        s: GONE if s in declined else slot for s, slot in assignment_map(base_solution).items()
    }
    effective = declined_round(document, activity_declines) if activity_declines else document
    return Plan.of(
        effective,
        steering=Steering(pinned=pinned, previous=previous),
        kept_activities=kept,
    )


def solve_plan(
    job: Plan,
    *,
    time_limit: float,
    workers: int,
    deterministic: bool = False,
    progress: ProgressFn = ignore,
) -> Solution:
    """The solution of a plan, in the round it was planned on."""
    return solve_round(
        job.round_,
        time_limit=time_limit,
        workers=workers,
        progress=progress,
        steering=job.steering,
        kept_activities=job.kept_activities,
        deterministic=deterministic,
    )


def check_pins(document: Mapping[str, Any], pins: Mapping[str, Slot]) -> None:
    """Raise `SteeringError` naming the pupils at fault when `pins` cannot hold in `document`.

    Eligibility and seats (per placement and period, and a company's `max_students`) are the
    solver core's own `Steer` over the eligible pairs of the pinned pupils alone: found in
    milliseconds, without a solve. A together or apart rule between two pins is checked here.
    Whether pins leave a min_students or together rule satisfiable with other pupils, only the
    full solve can tell; its job then fails with the solver's reason and stores nothing.
    """
    if not pins:
        return
    students = {s["id"]: s for s in document.get("students", [])}
    for student in pins:
        if student not in students:
            raise SteeringError(f"pin of {student}: no such pupil in this round", [student])
    sub_round = {key: document[key] for key in PLACEMENT_KEYS if key in document}
    sub_round["students"] = [students[s] for s in students if s in pins]
    Steer.of(eligible_pairs(parse_round(sub_round)), Steering(pinned=dict(pins)))
    company = {p["id"]: p["company"] for p in document.get("placements", [])}
    for a, b in document.get("apart", []):
        if a in pins and b in pins and company[pins[a][0]] == company[pins[b][0]]:
            raise SteeringError(
                f"pins {a} and {b} are both at company {company[pins[a][0]]}, "
                "but the two must be apart",
                [a, b],
            )
    for a, b in document.get("together", []):
        if a in pins and b in pins and company[pins[a][0]] != company[pins[b][0]]:
            raise SteeringError(
                f"pins {a} (company {company[pins[a][0]]}) and {b} (company "
                f"{company[pins[b][0]]}) split a pair that must be together",
                [a, b],
            )
