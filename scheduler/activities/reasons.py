"""Why a demanded activity is not planned, and the ledger of a partial plan that decides it.

Reason codes of an `unplanned` entry (requester, kind, missing):

- `NO_OFFER`: no offer of that kind admits the requester (none of the kind, or the class is
  larger than every `max_group_size`, its profile is not admitted, the teacher's sectors match
  no offer, or the company declined it there); travel aside.
- `TOO_FAR`: offers admit it, but every one is beyond its own `max_travel_min` from the school.
- `NO_COMMON_DAYPART`: admitting offers are within reach, but none is available on a school
  daypart the requester is free.
- `GAP`: candidates exist, and every one falls on a daypart the requester already has an
  activity or within `min_gap_days` of one.
- `SECTORS`: every candidate is an excursion at a company whose first sector the class, with
  `distinct_sectors`, already visits.
- `HOURS_EXHAUSTED`: every candidate's company has no room left in that month's
  `hours_per_month`.
- `OFFER_FULL`: every candidate's offer is taken on that daypart or at `max_per_month`.
- `NO_ESCORT` (SPEC section 8, with `defaults.escort_ratio`): the demand could be planned but
  for escorts. Statically: candidates share a daypart with the requester, but on none of them
  has the school enough teachers who may escort and are free. Or every candidate falls on a
  daypart whose escorts the school's other excursions and its escorting teachers' own
  activities already take (for a teacher's own activity: no other teacher is left to take its
  place as escort).
- `COMBINED`: every candidate is blocked by one of the five rules above, no single one blocks
  all; `detail` counts them.

Each holds of the plan as published: `verify` re-derives the candidates and checks it. The plan
is completed greedily before reasons are given (`Ledger.fits` is false for every candidate of a
short demand), so a dynamic reason never hides an activity that could simply be added.

Each reason's detail is a `Said` (`unplanned_reasons`): the document's English `detail` is its
`render(..., ENGLISH)`, and `solution_ledger` rebuilds the published plan's ledger from the
solution's `activities`, so a stored solution's details are derived again by this same code
(`scheduler.explain.activity_details`) instead of being read back from the English.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np

from scheduler.activities.candidates import CandidateIndex, Candidates
from scheduler.contract.reasons import BLOCKING_RULES, ActivityReason
from scheduler.contract.round import ACTIVITY_KINDS
from scheduler.contract.solution import Unplanned
from scheduler.said import ENGLISH, Said, render, said

_EXCURSION = ACTIVITY_KINDS.index("excursion")
# The parts of a round document problem B reads (`scheduler.explain.activity_details`).
ACTIVITY_KEYS = ("format", "name", "seed", "travel", "weights", "defaults", "travel_matrix",
                 "schools", "companies", "calendar", "classes", "teachers", "offers")  # fmt: skip
# (requester index, kind index, missing, reason code, detail) of a short demand
Shortfall = tuple[int, int, int, str, Said]


class Ledger:
    """What a partial plan uses of every rule's room, candidate by candidate.

    `pair_cap` limits activities per (requester, offer) pair, for models that fix the pairs.
    """

    def __init__(self, cands: Candidates, pair_cap: dict[int, int] | None = None) -> None:
        self.cands = cands
        self.gap = cands.round.calendar.min_gap_days if cands.round.calendar else 0
        self.pair_cap = pair_cap
        self.chosen: list[int] = []
        self.req_slots: defaultdict[int, set[int]] = defaultdict(set)
        self.req_days: defaultdict[int, list[int]] = defaultdict(list)
        self.req_kind: Counter[tuple[int, int]] = Counter()
        self.req_sectors: defaultdict[int, set[int]] = defaultdict(set)
        self.offer_slots: set[tuple[int, int]] = set()
        self.offer_month: Counter[tuple[int, int]] = Counter()
        self.company_hours: Counter[tuple[int, int]] = Counter()
        self.escorts_taken: Counter[tuple[int, int]] = Counter()  # (school, slot)
        self.pair_used: Counter[int] = Counter()
        self.max_per_month = [o.max_per_month for o in cands.offers]
        self.hours_per_month = [cands.round.companies[c].hours_per_month for c in cands.companies]

    def blockers(self, i: int) -> list[str]:
        """The rules of BLOCKING_RULES that forbid adding candidate `i` to the plan."""
        c = self.cands
        r, o, slot = int(c.cand_requester[i]), int(c.cand_offer[i]), int(c.cand_slot[i])
        month, ordinal = int(c.cand_month[i]), int(c.cand_ordinal[i])
        company = int(c.offer_company[o])
        found: list[str] = []
        if slot in self.req_slots[r] or any(abs(d - ordinal) < self.gap for d in self.req_days[r]):
            found.append(ActivityReason.GAP)
        if self._sector_taken(r, o):
            found.append(ActivityReason.SECTORS)
        limit = self.hours_per_month[company]
        if limit is not None and self.company_hours[(company, month)] + c.offer_hours[o] > limit:
            found.append(ActivityReason.HOURS_EXHAUSTED)
        cap = self.max_per_month[o]
        if (o, slot) in self.offer_slots or (
            cap is not None and self.offer_month[(o, month)] >= cap
        ):
            found.append(ActivityReason.OFFER_FULL)
        load = int(c.cand_escort_load[i])
        school = int(c.cand_school[i])
        if load and self.escorts_taken[(school, slot)] + load > c.escorts.capacity[school, slot]:
            found.append(ActivityReason.NO_ESCORT)
        return found

    def fits(self, i: int) -> bool:
        """Whether candidate `i` can join the plan: demand left, room under every rule."""
        c = self.cands
        r, o, pair = int(c.cand_requester[i]), int(c.cand_offer[i]), int(c.cand_pair[i])
        kind = int(c.offer_kind[o])
        if self.req_kind[(r, kind)] >= c.demand[r, kind]:
            return False
        if self.pair_cap is not None and self.pair_used[pair] >= self.pair_cap.get(pair, 0):
            return False
        return not self.blockers(i)

    def add(self, i: int) -> None:
        c = self.cands
        r, o, slot = int(c.cand_requester[i]), int(c.cand_offer[i]), int(c.cand_slot[i])
        month, company = int(c.cand_month[i]), int(c.offer_company[o])
        kind = int(c.offer_kind[o])
        self.chosen.append(i)
        self.req_slots[r].add(slot)
        self.req_days[r].append(int(c.cand_ordinal[i]))
        self.req_kind[(r, kind)] += 1
        if kind == _EXCURSION and c.requesters[r].distinct_sectors:
            self.req_sectors[r].add(int(c.company_sector[company]))
        self.offer_slots.add((o, slot))
        self.offer_month[(o, month)] += 1
        self.company_hours[(company, month)] += int(c.offer_hours[o])
        self.pair_used[int(c.cand_pair[i])] += 1
        self.escorts_taken[(int(c.cand_school[i]), slot)] += int(c.cand_escort_load[i])

    def _sector_taken(self, r: int, o: int) -> bool:
        c = self.cands
        if int(c.offer_kind[o]) != _EXCURSION or not c.requesters[r].distinct_sectors:
            return False
        return int(c.company_sector[c.offer_company[o]]) in self.req_sectors[r]


def unplanned(cands: Candidates, ledger: Ledger) -> list[Unplanned]:
    """One entry per (requester, kind) planned below its demand, in requester and kind order."""
    return [
        {
            "requester": cands.requesters[r].id,
            "kind": ACTIVITY_KINDS[k],
            "missing": missing,
            "reason": reason,
            "detail": render(detail, ENGLISH),
        }
        for r, k, missing, reason, detail in unplanned_reasons(cands, ledger)
    ]


def unplanned_reasons(cands: Candidates, ledger: Ledger) -> list[Shortfall]:
    """Every (requester, kind) planned below its demand, with its reason, in requester and
    kind order: the entries of `unplanned` before their detail is put into words."""
    planned = ledger.req_kind
    room = cands.demand.copy()
    for (r, k), used in planned.items():
        room[r, k] -= used
    # Only the candidates of short demands, found with numpy: a region has some 400,000.
    kinds = cands.offer_kind[cands.cand_offer]
    short = np.flatnonzero(room[cands.cand_requester, kinds] > 0)
    by_requester_kind: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for i, r, k in zip(
        short.tolist(),
        cands.cand_requester[short].tolist(),
        kinds[short].tolist(),
        strict=True,
    ):
        by_requester_kind[(r, k)].append(i)
    found: list[Shortfall] = []
    for r in range(len(cands.requesters)):
        for k in range(len(ACTIVITY_KINDS)):
            missing = int(room[r, k])
            if missing <= 0:
                continue
            own = by_requester_kind.get((r, k), [])
            reason, detail = (
                _blocked_reason(cands, ledger, own) if own else _static_reason(cands, r, k)
            )
            found.append((r, k, missing, reason, detail))
    return found


def solution_ledger(cands: Candidates, activities: Iterable[Mapping[str, Any]]) -> Ledger | None:
    """The ledger of a published plan, from the solution's `activities`: what the reasons were
    judged against when the solver wrote them (a ledger depends only on the set of activities
    it holds, not on the order they joined). None if an activity is no candidate of the round
    (the plan was not the solver's, so its reasons cannot be derived again)."""
    index = CandidateIndex(cands)
    ledger = Ledger(cands)
    for a in activities:
        try:
            found = index.find(
                a["requester"], a["offer"], date.fromisoformat(a["date"]), a["daypart"]
            )
        except (KeyError, TypeError, ValueError):
            return None
        if found is None:
            return None
        ledger.add(found)
    return ledger


def _kind(k: int) -> Said:
    return said(f"detail.kind.{ACTIVITY_KINDS[k]}")


def _static_reason(cands: Candidates, r: int, k: int) -> tuple[str, Said]:
    f = cands.filters[(r, k)]
    kind, requester = ACTIVITY_KINDS[k], cands.requesters[r]
    if f.admitting == 0:
        declined = [o.id for o in cands.offers if o.kind == kind and requester.id in o.refused]
        return ActivityReason.NO_OFFER, said(
            "detail.activity_no_offer",
            offers=f.of_kind,
            kind=_kind(k),
            what=said("detail.activity_class" if requester.is_class else "detail.activity_teacher"),
            size=said("detail.activity_size", size=requester.size, profile=requester.profile)
            if requester.is_class
            else "",
            sectors=said("detail.activity_sectors", sectors=", ".join(requester.sectors))
            if requester.sectors
            else "",
            declined=said("detail.activity_declined", offers=", ".join(declined))
            if declined
            else "",
        )
    if f.reachable == 0:
        return ActivityReason.TOO_FAR, said(
            "detail.activity_too_far", offers=f.admitting, kind=_kind(k), minutes=f.nearest_min
        )
    if f.with_escort == 0 and f.with_daypart > 0:
        return ActivityReason.NO_ESCORT, said(
            "detail.activity_no_escort",
            offers=f.with_daypart,
            kind=_kind(k),
            escorts=int(cands.escort_load[r, k]),
        )
    return ActivityReason.NO_COMMON_DAYPART, said(
        "detail.activity_no_daypart",
        offers=f.reachable,
        kind=_kind(k),
        free=", ".join(requester.free) or said("detail.activity_no_free"),
    )


def _blocked_reason(cands: Candidates, ledger: Ledger, own: list[int]) -> tuple[str, Said]:
    blocked = [set(ledger.blockers(i)) for i in own]
    offers = len(np.unique(cands.cand_offer[own]))
    where = said("detail.activity_where", candidates=len(own), offers=offers)
    for rule in BLOCKING_RULES:
        if all(rule in b for b in blocked):
            return rule, said(
                "detail.activity_each", where=where, what=said(f"detail.blocks.{rule}")
            )
    counts = Counter(rule for b in blocked for rule in b)
    return ActivityReason.COMBINED, said(
        "detail.activity_combined",
        where=where,
        counts=said(
            "join.semicolon",
            items=[
                said(
                    "detail.activity_blocked",
                    count=counts[rule],
                    what=said(f"detail.blocks.{rule}"),
                )
                for rule in BLOCKING_RULES
                if counts[rule]
            ],
        ),
    )
