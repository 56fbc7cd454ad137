"""Re-solve steering of problem A: pins that must stay and an earlier proposal to stay close to.

`Steering` is what a bureau asks for by pupil id; `Steer` is the same resolved against the
eligible pairs, with the seats the pins leave and the objective terms a change costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scheduler.domain import SteeringError
from scheduler.placements.concurrency import use_per_set
from scheduler.placements.eligibility import EligiblePairs


@dataclass(frozen=True, slots=True)
class Steering:
    """A re-solve of an earlier proposal: pins that must stay, and the proposal to stay close to.

    Both map a pupil id to (placement id, period). With `previous`, the objective becomes: most
    placed priority, then fewest changes (a pupil of `previous` moved or dropped), then least
    cost; so a decline or a pin moves nobody else without need.
    """

    pinned: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    previous: Mapping[str, tuple[str, str]] = field(default_factory=dict)


class Steer:
    """A `Steering` resolved against the eligible pairs, and the objective terms it adds."""

    def __init__(
        self,
        pinned: NDArray[np.int64],
        stay: NDArray[np.bool_],
        had_previous: NDArray[np.bool_],
        change_weight: int,
        capacity: NDArray[np.int64],
        company_limit: NDArray[np.int64],
    ) -> None:
        self.pinned = pinned  # pair indices that must be chosen
        self.stay = stay  # per pair: the pupil's previous (placement, period)
        self.had_previous = had_previous  # per pupil
        self.change_weight = change_weight  # above any total cost, so changes come first
        self.capacity = capacity  # seats left by the pins, per (placement, period)
        self.company_limit = company_limit  # max_students left by the pins, -1 unlimited

    @classmethod
    def of(cls, pairs: EligiblePairs, steering: Steering) -> Steer:
        index = {s.id: i for i, s in enumerate(pairs.students)}
        placement_index = {p.id: i for i, p in enumerate(pairs.placements)}
        placements = {p.id: p for p in pairs.placements}
        period_index = {t: i for i, t in enumerate(pairs.periods)}
        n_periods = max(1, len(pairs.periods))
        order = sorted_keys = None
        if steering.pinned or steering.previous:  # the plain solve needs no lookup
            key = (
                pairs.student.astype(np.int64) * len(pairs.placements) + pairs.placement
            ) * n_periods + pairs.period
            order = np.argsort(key, kind="stable")
            sorted_keys = key[order]

        def pair_of(student: str, slot: tuple[str, str]) -> int | None:
            assert order is not None and sorted_keys is not None  # built when steering asks
            placement, period = slot
            if placement not in placement_index or period not in period_index:
                return None
            wanted = (index[student] * len(pairs.placements) + placement_index[placement]) * (
                n_periods
            ) + period_index[period]
            at = int(np.searchsorted(sorted_keys, wanted))
            found = at < len(sorted_keys) and sorted_keys[at] == wanted
            return int(order[at]) if found else None

        pinned = []
        for student, slot in steering.pinned.items():
            if student not in index:
                raise SteeringError(f"pin of unknown pupil {student!r}", [student])
            target = placements.get(slot[0])
            if target is not None and pairs.students[index[student]].excludes(target):
                raise SteeringError(
                    f"pin {student} -> {slot[0]}/{slot[1]}: {slot[0]} of {target.company} is "
                    "excluded for this pupil",
                    [student],
                )
            at = pair_of(student, slot)
            if at is None:
                raise SteeringError(
                    f"pin {student} -> {slot[0]}/{slot[1]}: not an eligible placement and "
                    "period for this pupil (profile, track, year, period, travel, preferences)",
                    [student],
                )
            pinned.append(at)
        pinned_arr = np.array(sorted(pinned), dtype=np.int64)
        capacity = pairs.capacity.copy()
        np.subtract.at(capacity, (pairs.placement[pinned_arr], pairs.period[pinned_arr]), 1)
        company_limit = pairs.company_limit.copy()
        pinned_companies = pairs.placement_company[pairs.placement[pinned_arr]]
        limited = company_limit >= 0
        company_limit[limited] -= np.bincount(pinned_companies, minlength=len(company_limit))[
            limited
        ]
        full_slots = list(zip(*np.nonzero((capacity < 0) & (pairs.capacity >= 0)), strict=True))
        full_companies = np.flatnonzero(limited & (company_limit < 0))
        if full_slots or len(full_companies):
            over = [f"{pairs.placements[p].id}/{pairs.periods[t]}" for p, t in full_slots]
            over += [pairs.company_ids[c] for c in full_companies]
            crowded = np.isin(pinned_companies, full_companies)
            for p, t in full_slots:
                crowded |= (pairs.placement[pinned_arr] == p) & (pairs.period[pinned_arr] == t)
            raise SteeringError(
                f"more pins than seats at {', '.join(over)}",
                sorted(pairs.students[i].id for i in pairs.student[pinned_arr[crowded]].tolist()),
            )
        _pins_within_max_concurrent(pairs, pinned_arr)
        stay = np.zeros(len(pairs), dtype=bool)
        had_previous = np.zeros(len(pairs.students), dtype=bool)
        for student, slot in steering.previous.items():
            if student in index:
                had_previous[index[student]] = True
                at = pair_of(student, slot)
                if at is not None:
                    stay[at] = True
        weight = (
            int(pairs.cost.max(initial=0)) * len(pairs.students) + 1 if had_previous.any() else 0
        )
        return cls(pinned_arr, stay, had_previous, weight, capacity, company_limit)

    def arc_cost(self, pairs: EligiblePairs) -> NDArray[np.int64]:
        """Per pair: its cost, plus the change weight when it moves a pupil of the proposal."""
        moves = self.had_previous[pairs.student] & ~self.stay
        return pairs.cost + self.change_weight * moves

    def bypass_cost(self) -> NDArray[np.int64]:
        """Per pupil: what leaving it unplaced adds besides its priority (dropping is a change)."""
        return self.change_weight * self.had_previous.astype(np.int64)

    def changes(self, pairs: EligiblePairs, chosen: NDArray[np.int64]) -> int | None:
        if not self.had_previous.any():
            return None
        return int(self.had_previous.sum() - self.stay[chosen].sum())


def _pins_within_max_concurrent(pairs: EligiblePairs, pinned: NDArray[np.int64]) -> None:
    """More pins on one day at a company than its `max_concurrent` cannot stay (SPEC 8)."""
    sets = pairs.concurrency.sets
    if not sets or not len(pinned):
        return
    company = pairs.placement_company[pairs.placement[pinned]].astype(np.int64)
    period = pairs.period[pinned].astype(np.int64)
    use = use_per_set(pairs.concurrency, company, period)
    for k in np.flatnonzero(use > np.array([s.limit for s in sets])).tolist():
        over = sets[k]
        crowded = (company == over.company) & np.isin(period, list(over.periods))
        raise SteeringError(
            f"more pins than {pairs.company_ids[over.company]} takes on one day: "
            f"{use[k]} on {over.day.isoformat()}, max_concurrent {over.limit}",
            sorted(pairs.students[i].id for i in pairs.student[pinned[crowded]].tolist()),
        )
