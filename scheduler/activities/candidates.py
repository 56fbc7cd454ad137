"""The feasible (requester, offer, date, daypart) candidates of problem B, before any model.

Everything that rules a candidate out on its own is applied here, as numpy masks, so no solver
ever sees a variable that could not be part of a plan: per kind, the (requester, offer) pairs
whose kind is demanded, group size, profile, teacher sectors and travel pass; per pair, the
dated dayparts both are free and available on school days. What is left couples requesters and
offers only through the capacity rules (dayparts, months, hours), demand, sectors and gaps.

Along the way it counts, per demanded (requester, kind), how many offers fall at each filter,
which is what an unplanned demand's reason (NO_OFFER, TOO_FAR, NO_COMMON_DAYPART) rests on, and
it computes the demand that passes every per-requester filter: the simplest upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from scheduler.activities.escorts import EscortPool, escort_need, escort_pool
from scheduler.arrays import positions_by_value
from scheduler.calendar import DaypartGrid
from scheduler.contract.round import ACTIVITY_KINDS, ACTIVITY_MODE
from scheduler.domain import Offer, Round
from scheduler.travel import school_travel_minutes


@dataclass(frozen=True, slots=True)
class Requester:
    """A class or a teacher, as the activity rules see it."""

    id: str
    school: str
    is_class: bool
    size: int  # a teacher counts 1
    profile: str | None  # teachers have none
    sectors: tuple[str, ...]  # a teacher's; empty = any offer
    free: tuple[str, ...]
    demand: dict[str, int]
    distinct_sectors: bool


_EXCURSION = ACTIVITY_KINDS.index("excursion")


def requesters_of(round_: Round) -> tuple[Requester, ...]:
    """Classes, then teachers, in round order."""
    classes = tuple(
        Requester(
            k.id, k.school, True, k.size, k.profile, (), k.free, dict(k.demand), k.distinct_sectors
        )
        for k in round_.classes.values()
    )
    teachers = tuple(
        Requester(t.id, t.school, False, 1, None, t.sectors, t.free, dict(t.demand), False)
        for t in round_.teachers.values()
    )
    return classes + teachers


@dataclass(frozen=True)
class FilterCounts:
    """Per demanded (requester, kind): how many offers survive each filter in turn."""

    of_kind: int
    admitting: int  # group size, profile, sectors
    reachable: int  # ... and travel
    nearest_min: int | None  # travel to the nearest admitting offer
    with_daypart: int  # ... and a common school daypart
    with_escort: int  # ... on which, for an excursion, the school has enough escorts (SPEC 8)


@dataclass(frozen=True)
class Candidates:
    """Parallel arrays: one entry per (requester, offer) pair, one per dated candidate."""

    round: Round
    grid: DaypartGrid
    requesters: tuple[Requester, ...]
    offers: tuple[Offer, ...]
    companies: tuple[str, ...]
    offer_company: NDArray[np.int64]
    offer_hours: NDArray[np.int64]
    offer_kind: NDArray[np.int64]  # index into ACTIVITY_KINDS
    # Index of the first sector, which `distinct_sectors` compares. A company without sectors
    # has -1, equal to itself: two such companies do not count as different sectors.
    company_sector: NDArray[np.int64]
    pair_requester: NDArray[np.int64]
    pair_offer: NDArray[np.int64]
    pair_travel: NDArray[np.int64]
    cand_pair: NDArray[np.int64]
    cand_slot: NDArray[np.int64]
    filters: dict[tuple[int, int], FilterCounts]  # (requester, kind) with demand > 0
    # Escorts (SPEC section 8): what an activity of [requester, kind] takes of its school's
    # escorts at its daypart (a class's excursion its escorts, an own activity of a teacher who
    # may escort 1, else 0; all 0 without `escort_ratio`), and who may escort when.
    escort_load: NDArray[np.int64]
    requester_school: NDArray[np.int64]  # index into escorts.schools
    escorts: EscortPool

    def __len__(self) -> int:
        return len(self.cand_pair)

    def restricted(self, pairs: NDArray[np.int64]) -> tuple[Candidates, NDArray[np.int64]]:
        """The same round over only `pairs` (ascending pair indices), and the index here of
        every candidate kept there. Filter counts stay those of the whole round."""
        kept = np.isin(self.cand_pair, pairs)
        renumber = np.full(len(self.pair_requester), -1, dtype=np.int64)
        renumber[pairs] = np.arange(len(pairs))
        sub = replace(
            self,
            pair_requester=self.pair_requester[pairs],
            pair_offer=self.pair_offer[pairs],
            pair_travel=self.pair_travel[pairs],
            cand_pair=renumber[self.cand_pair[kept]],
            cand_slot=self.cand_slot[kept],
        )
        return sub, np.flatnonzero(kept)

    @cached_property
    def pair_dates(self) -> NDArray[np.int64]:
        """Dated candidates per pair."""
        return np.bincount(self.cand_pair, minlength=len(self.pair_requester))

    @cached_property
    def cand_requester(self) -> NDArray[np.int64]:
        return self.pair_requester[self.cand_pair]

    @cached_property
    def cand_offer(self) -> NDArray[np.int64]:
        return self.pair_offer[self.cand_pair]

    @cached_property
    def cand_escort_load(self) -> NDArray[np.int64]:
        return self.escort_load[self.cand_requester, self.offer_kind[self.cand_offer]]

    @cached_property
    def cand_school(self) -> NDArray[np.int64]:
        return self.requester_school[self.cand_requester]

    @cached_property
    def cand_month(self) -> NDArray[np.int64]:
        return self.grid.day_month[self.cand_slot // 2]

    @cached_property
    def cand_ordinal(self) -> NDArray[np.int64]:
        return self.grid.day_ordinal[self.cand_slot // 2]

    @cached_property
    def demand(self) -> NDArray[np.int64]:
        """[requester, kind] demanded activities."""
        table = np.zeros((len(self.requesters), len(ACTIVITY_KINDS)), dtype=np.int64)
        for r, requester in enumerate(self.requesters):
            for kind, count in requester.demand.items():
                table[r, ACTIVITY_KINDS.index(kind)] = count
        return table

    @cached_property
    def filter_room(self) -> NDArray[np.int64]:
        """Per requester, the activities that pass every per-requester filter: per kind at most
        the demand and the most candidate dates `min_gap_days` apart, in all at most the most
        such dates over all its candidates."""
        gap = self.round.calendar.min_gap_days if self.round.calendar else 0
        room = np.zeros(len(self.requesters), dtype=np.int64)
        for own in positions_by_value(self.cand_requester):
            r = int(self.cand_requester[own[0]])
            kinds = self.offer_kind[self.cand_offer[own]]
            per_kind = 0
            for k in np.unique(kinds).tolist():
                mine = own[kinds == k]
                per_kind += min(
                    int(self.demand[r, k]), spaced_count(self.cand_slot[mine], gap, self.grid)
                )
            room[r] = min(per_kind, spaced_count(self.cand_slot[own], gap, self.grid))
        return room

    @property
    def filter_bound(self) -> int:
        """The demand that passes every per-requester filter: the simplest upper bound."""
        return int(self.filter_room.sum())


def escorts_taken(cands: Candidates, chosen: NDArray[np.int64]) -> NDArray[np.int64]:
    """[school, slot]: the escorts the activities `chosen` take (see `Candidates`)."""
    taken = np.zeros_like(cands.escorts.capacity)
    np.add.at(
        taken,
        (cands.cand_school[chosen], cands.cand_slot[chosen]),
        cands.cand_escort_load[chosen],
    )
    return taken


class CandidateIndex:
    """The candidate of an activity as the solution document names it, by pair and then by
    slot (candidates are sorted by pair, then slot): a kept activity's (`kept_candidates`), a
    published one's (`reasons.solution_ledger`)."""

    def __init__(self, cands: Candidates) -> None:
        self.cands = cands
        self.requester = {r.id: i for i, r in enumerate(cands.requesters)}
        self.offer = {o.id: i for i, o in enumerate(cands.offers)}
        self.pair = {
            (int(r), int(o)): p
            for p, (r, o) in enumerate(zip(cands.pair_requester, cands.pair_offer, strict=True))
        }
        self.first = np.searchsorted(cands.cand_pair, np.arange(len(cands.pair_requester) + 1))

    def find(self, requester: str, offer: str, day: date, part: str) -> int | None:
        """The index of that candidate, None if the round has no such candidate."""
        cands = self.cands
        slot = cands.grid.slot(day, part)
        p = self.pair.get((self.requester.get(requester, -1), self.offer.get(offer, -1)))
        if p is None or slot is None:
            return None
        begin, end = int(self.first[p]), int(self.first[p + 1])
        at = begin + int(np.searchsorted(cands.cand_slot[begin:end], slot))
        return at if at < end and int(cands.cand_slot[at]) == slot else None


def spaced_count(slots: NDArray[np.int64], gap: int, grid: DaypartGrid) -> int:
    """The most of these dayparts one requester can hold: pairwise distinct and, with a gap,
    at least `gap` days apart. Taking the earliest that fits is optimal on a line."""
    unique = np.unique(slots)
    if gap <= 0:
        return len(unique)
    count, last = 0, None
    for ordinal in np.unique(grid.day_ordinal[unique // 2]).tolist():
        if last is None or ordinal - last >= gap:
            count, last = count + 1, ordinal
    return count


def nearest_pairs(cands: Candidates, plan: NDArray[np.int64], nearest: int, rare: int) -> NDArray:
    """The pairs worth a variable at scale: per (requester, kind) the `nearest` offers by
    travel among those with many dates and among those with at most `rare` (a requester may
    need either), for a class with distinct sectors also the nearest offer of each first sector,
    and every pair `plan` uses. Travel is the second objective, so an optimal plan rarely goes
    further; the caller re-plans any requester left short over all its pairs."""
    kind = cands.offer_kind[cands.pair_offer]
    few = cands.pair_dates <= rare
    order = np.lexsort((np.arange(len(kind)), cands.pair_travel, few, kind, cands.pair_requester))
    group = np.stack((cands.pair_requester, kind, few))[:, order]
    starts = np.flatnonzero(np.r_[True, (np.diff(group, axis=1) != 0).any(axis=0)])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(kind), dtype=bool)
    keep[order[rank < nearest]] = True
    keep[cands.cand_pair[plan]] = True
    distinct = np.array(
        [cands.requesters[r].distinct_sectors for r in cands.pair_requester.tolist()]
    )
    sector = cands.company_sector[cands.offer_company[cands.pair_offer]]
    seen: set[tuple[int, int]] = set()
    for p in order[
        distinct[order].astype(bool) & (kind[order] == ACTIVITY_KINDS.index("excursion"))
    ]:
        key = (int(cands.pair_requester[p]), int(sector[p]))
        if key not in seen:
            seen.add(key)
            keep[p] = True
    return np.flatnonzero(keep)


def build_candidates(round_: Round) -> Candidates:
    """Every dated candidate of the round and the filter counts of every demanded kind."""
    assert round_.calendar is not None, "activity planning needs a calendar"
    grid = DaypartGrid.of(round_.calendar)
    requesters = requesters_of(round_)
    offers = tuple(round_.offers.values())
    companies = tuple(round_.companies)
    company_index = {c: i for i, c in enumerate(companies)}
    sectors = sorted({s for c in round_.companies.values() for s in c.sectors[:1]})
    offer_company = np.array([company_index[o.company] for o in offers], dtype=np.int64)
    offer_kind = np.array([ACTIVITY_KINDS.index(o.kind) for o in offers], dtype=np.int64)
    free = np.array([grid.mask(r.free) for r in requesters], dtype=bool).reshape(
        len(requesters), grid.slots
    )
    available = np.array([grid.mask(o.available) for o in offers], dtype=bool).reshape(
        len(offers), grid.slots
    )
    for j, offer in enumerate(offers):
        closed = [grid.slot(day, part) for day, part in offer.closed]
        available[j, [slot for slot in closed if slot is not None]] = False
    travel = _travel_table(round_, requesters, offers)
    escorts = escort_pool(round_, grid)
    requester_school = np.array(
        [escorts.schools.index(r.school) for r in requesters], dtype=np.int64
    )
    escort_load = _escort_load(round_, requesters)
    # Per requester, the slots its school has escorts enough for one of its excursions then.
    escorted = escorts.capacity[requester_school] >= escort_load[:, [_EXCURSION]]
    pair_r, pair_o, filters = [], [], {}
    for k, kind in enumerate(ACTIVITY_KINDS):
        rs = np.array(
            [i for i, r in enumerate(requesters) if r.demand.get(kind, 0) > 0], dtype=np.int64
        )
        os = np.flatnonzero(offer_kind == k)
        if len(rs) == 0:
            continue
        admitted = _admitted([requesters[i] for i in rs], [offers[j] for j in os])
        minutes = travel[k][np.ix_(rs, os)]
        limit = np.array([offers[j].max_travel_min for j in os], dtype=np.int64)
        reachable = admitted & (minutes <= limit)
        common = (
            (free[rs][:, None, :] & available[os][None, :, :]).any(axis=2) if len(os) else reachable
        )
        if k == _EXCURSION and len(os) and round_.defaults.escort_ratio is not None:
            with_escort = ((free[rs] & escorted[rs])[:, None, :] & available[os][None]).any(axis=2)
        else:
            with_escort = common
        kept = reachable & with_escort
        for a, r in enumerate(rs.tolist()):
            nearest = minutes[a][admitted[a]]
            filters[(r, k)] = FilterCounts(
                of_kind=len(os),
                admitting=int(admitted[a].sum()),
                reachable=int(reachable[a].sum()),
                nearest_min=int(nearest.min()) if len(nearest) else None,
                with_daypart=int((reachable[a] & common[a]).sum()),
                with_escort=int(kept[a].sum()),
            )
        kept_r, kept_o = np.nonzero(kept)
        pair_r.append(rs[kept_r])
        pair_o.append(os[kept_o])
    pair_requester = np.concatenate(pair_r) if pair_r else np.zeros(0, dtype=np.int64)
    pair_offer = np.concatenate(pair_o) if pair_o else np.zeros(0, dtype=np.int64)
    order = np.lexsort((pair_offer, pair_requester))
    pair_requester, pair_offer = pair_requester[order], pair_offer[order]
    pair_travel = np.array(
        [
            travel[offer_kind[o]][r, o]
            for r, o in zip(pair_requester.tolist(), pair_offer.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    common = free[pair_requester] & available[pair_offer]
    if round_.defaults.escort_ratio is not None:
        excursion = offer_kind[pair_offer] == _EXCURSION
        common[excursion] &= escorted[pair_requester[excursion]]
    cand_pair, cand_slot = np.nonzero(common)
    return Candidates(
        round=round_,
        grid=grid,
        requesters=requesters,
        offers=offers,
        companies=companies,
        offer_company=offer_company,
        offer_hours=np.array([o.hours for o in offers], dtype=np.int64),
        offer_kind=offer_kind,
        company_sector=np.array(
            [sectors.index(c.sectors[0]) if c.sectors else -1 for c in round_.companies.values()],
            dtype=np.int64,
        ),
        pair_requester=pair_requester,
        pair_offer=pair_offer,
        pair_travel=pair_travel,
        cand_pair=cand_pair.astype(np.int64),
        cand_slot=cand_slot.astype(np.int64),
        filters=filters,
        escort_load=escort_load,
        requester_school=requester_school,
        escorts=escorts,
    )


def _escort_load(round_: Round, requesters: tuple[Requester, ...]) -> NDArray[np.int64]:
    """[requester, kind]: the escorts an activity takes at its daypart (see `Candidates`)."""
    load = np.zeros((len(requesters), len(ACTIVITY_KINDS)), dtype=np.int64)
    ratio = round_.defaults.escort_ratio
    if ratio is None:
        return load
    for r, requester in enumerate(requesters):
        if requester.is_class:
            load[r, _EXCURSION] = escort_need(requester.size, ratio)
        elif round_.teachers[requester.id].escort:
            load[r, :] = 1
    return load


def _travel_table(
    round_: Round, requesters: tuple[Requester, ...], offers: tuple[Offer, ...]
) -> list[NDArray[np.int64]]:
    """Per kind, [requester, offer] minutes between school and company by the kind's mode;
    computed once per (school, company, mode) with the shared formula and matrix precedence."""
    schools = sorted({r.school for r in requesters})
    companies = sorted({o.company for o in offers})
    r_school = np.array([schools.index(r.school) for r in requesters], dtype=np.int64)
    o_company = np.array([companies.index(o.company) for o in offers], dtype=np.int64)
    tables = []
    for kind in ACTIVITY_KINDS:
        mode = ACTIVITY_MODE[kind]
        minutes = np.array(
            [[school_travel_minutes(round_, s, c, mode) for c in companies] for s in schools],
            dtype=np.int64,
        ).reshape(len(schools), len(companies))
        tables.append(minutes[np.ix_(r_school, o_company)])
    return tables


def _admitted(requesters: list[Requester], offers: list[Offer]) -> NDArray[np.bool_]:
    """[requester, offer]: group size, the class's profile, the teacher's sectors, and no
    decline of the requester by the offer's company."""
    table = np.zeros((len(requesters), len(offers)), dtype=bool)
    for j, offer in enumerate(offers):
        sectors = set(offer.sectors)
        for i, r in enumerate(requesters):
            table[i, j] = (
                (offer.max_group_size is None or r.size <= offer.max_group_size)
                and (not r.is_class or not offer.profiles or r.profile in offer.profiles)
                and (not r.sectors or bool(sectors.intersection(r.sectors)))
                and r.id not in offer.refused
            )
    return table
