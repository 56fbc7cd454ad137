"""Eligible (pupil, placement, period) triples: the size of the placement problem.

Built without looping over every pupil x placement: per profile, a k-d tree over the companies
that have a placement admitting that profile finds the companies within each pupil's reach
(the travel formula inverted to a distance), exact minutes are computed for those pairs only,
and the rules of SPEC section 3 filter the expanded triples as numpy masks. A pupil's
`excluded` companies and placements (SPEC 8) are one more mask over (pupil, placement) keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from scheduler.domain import Placement, Round, Student
from scheduler.lottery import tickets
from scheduler.placements.concurrency import Concurrency, concurrency_of
from scheduler.travel import EARTH_RADIUS_KM, reach_km, travel_minutes_array

# The k-d tree finds candidates by chord length; a hair of slack so that floating-point noise
# never drops a pair that the exact minutes filter would keep.
_CHORD_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class EligiblePairs:
    """Parallel arrays, one entry per eligible (pupil, placement, period) triple."""

    students: tuple[Student, ...]
    placements: tuple[Placement, ...]
    periods: tuple[str, ...]
    placement_company: NDArray[np.int32]  # company index per placement
    company_ids: tuple[str, ...]
    student: NDArray[np.int32]
    placement: NDArray[np.int32]
    period: NDArray[np.int32]
    minutes: NDArray[np.int32]
    rank: NDArray[np.int32]  # 0 when unranked
    cost: NDArray[np.int64]
    capacity: NDArray[np.int64]  # [placement, period] capacity, -1 where the period is not offered
    company_limit: NDArray[np.int64]  # max_students per company, -1 when unlimited
    # Per pupil, preferences aside: an admitting placement in a common period within reach...
    reachable: NDArray[np.bool_]
    # ...and at any distance. Together they tell NO_ELIGIBLE, TOO_FAR and NOT_PREFERRED apart.
    admitted_somewhere: NDArray[np.bool_]
    # Per pair, its lottery ticket: breaks ties between equally good answers (`scheduler.lottery`).
    tickets: NDArray[np.int64]
    # Per pupil: a placement would be eligible but for the pupil's `excluded` list (SPEC 8).
    excluded_eligible: NDArray[np.bool_]
    # Companies' `max_concurrent` as limits on sets of their dated periods (SPEC 8).
    concurrency: Concurrency = field(default_factory=Concurrency)

    def __len__(self) -> int:
        return len(self.student)


def _unit_vectors(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    rlat, rlon = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(rlat) * np.cos(rlon), np.cos(rlat) * np.sin(rlon), np.sin(rlat)))


def _chord(km: NDArray[np.float64] | float) -> NDArray[np.float64]:
    return 2 * np.sin(np.minimum(np.asarray(km) / EARTH_RADIUS_KM, np.pi) / 2) + _CHORD_SLACK


def eligible_pairs(round_: Round) -> EligiblePairs:
    """Every eligible triple of the round, with its travel minutes, rank and cost."""
    students = tuple(round_.students.values())
    placements = tuple(round_.placements.values())
    company_ids = tuple(round_.companies)
    company_index = {c: i for i, c in enumerate(company_ids)}
    placement_company = np.array([company_index[p.company] for p in placements], dtype=np.int32)
    periods = tuple(sorted({t for p in placements for t in p.capacity}))
    capacity = np.full((len(placements), len(periods)), -1, dtype=np.int64)
    period_index = {t: i for i, t in enumerate(periods)}
    for i, p in enumerate(placements):
        for t, cap in p.capacity.items():
            capacity[i, period_index[t]] = cap

    student_periods = np.zeros((len(students), len(periods)), dtype=bool)
    for i, s in enumerate(students):
        for t in s.periods:
            if t in period_index:
                student_periods[i, period_index[t]] = True
    offered = capacity >= 0
    admission = _Admission(students, placements)

    travellers = _Travellers.of(round_, students)
    s_idx, p_idx, fixed = _candidate_placements(
        round_, students, placements, placement_company, travellers
    )
    keep = admission.admits(s_idx, p_idx) & (student_periods[s_idx] & offered[p_idx]).any(axis=1)
    s_idx, p_idx, fixed = s_idx[keep], p_idx[keep], fixed[keep]
    closed = _excluded_keys(students, placements)
    n_placements = len(placements)
    excluded = _excluded(s_idx, p_idx, closed, len(students), n_placements)
    minutes = fixed.copy()
    computed = fixed < 0
    minutes[computed] = travellers.minutes(
        round_, s_idx[computed], placement_company[p_idx[computed]].astype(np.int64)
    )
    keep = minutes <= travellers.limit[s_idx]
    s_idx, p_idx, minutes, excluded = s_idx[keep], p_idx[keep], minutes[keep], excluded[keep]
    reachable = np.zeros(len(students), dtype=bool)
    reachable[s_idx[~excluded]] = True
    rank = _ranks(round_, students, s_idx, p_idx)
    accepts_unranked = np.array([s.accept_unranked for s in students], dtype=bool)
    keep = (rank > 0) | accepts_unranked[s_idx]
    excluded_eligible = np.zeros(len(students), dtype=bool)
    excluded_eligible[s_idx[keep & excluded]] = True
    keep &= ~excluded
    s_idx, p_idx, minutes, rank = s_idx[keep], p_idx[keep], minutes[keep], rank[keep]
    pair, t_idx = np.nonzero(student_periods[s_idx] & offered[p_idx])

    weights = round_.weights
    rank_cost = np.array(
        [weights.unranked_cost]
        + [weights.preference_cost(r) for r in range(1, rank.max(initial=0) + 1)],
        dtype=np.int64,
    )
    rank = rank[pair]
    minutes = minutes[pair]
    student, placement = s_idx[pair], p_idx[pair]
    return EligiblePairs(
        students=students,
        placements=placements,
        periods=periods,
        placement_company=placement_company,
        company_ids=company_ids,
        student=student.astype(np.int32),
        placement=placement.astype(np.int32),
        period=t_idx.astype(np.int32),
        minutes=minutes.astype(np.int32),
        rank=rank.astype(np.int32),
        cost=rank_cost[rank] + weights.travel_minute_cost * minutes.astype(np.int64),
        capacity=capacity,
        reachable=reachable,
        admitted_somewhere=admission.somewhere(
            student_periods, offered, closed // max(1, n_placements), closed % max(1, n_placements)
        ),
        excluded_eligible=excluded_eligible,
        company_limit=np.array(
            [-1 if c.max_students is None else c.max_students for c in round_.companies.values()],
            dtype=np.int64,
        ),
        concurrency=concurrency_of(round_, company_ids, periods),
        # Students and placements are in id order, so a ticket belongs to the pair, not to a
        # place in the document.
        tickets=tickets(
            round_.seed,
            (student.astype(np.int64) * len(placements) + placement) * max(1, len(periods)) + t_idx,
        ),
    )


@dataclass(frozen=True, slots=True)
class _Travellers:
    """Per pupil: origin, speed, overhead and limit as arrays; per company: location."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    speed: NDArray[np.float64]
    overhead: NDArray[np.float64]
    limit: NDArray[np.int64]
    company_lat: NDArray[np.float64]
    company_lon: NDArray[np.float64]

    @classmethod
    def of(cls, round_: Round, students: tuple[Student, ...]) -> _Travellers:
        travel = round_.travel
        origin = [round_.origin(s) for s in students]
        return cls(
            lat=np.array([o.lat for o in origin], dtype=np.float64),
            lon=np.array([o.lon for o in origin], dtype=np.float64),
            speed=np.array([travel.speed_kmh[s.mode] for s in students], dtype=np.float64),
            overhead=np.array([travel.overhead_min[s.mode] for s in students], dtype=np.float64),
            limit=np.array([s.max_travel_min for s in students], dtype=np.int64),
            company_lat=np.array([c.location.lat for c in round_.companies.values()]),
            company_lon=np.array([c.location.lon for c in round_.companies.values()]),
        )

    def minutes(
        self, round_: Round, s_idx: NDArray[np.int64], c_idx: NDArray[np.int64]
    ) -> NDArray[np.int64]:
        return travel_minutes_array(
            round_.travel,
            self.lat[s_idx],
            self.lon[s_idx],
            self.company_lat[c_idx],
            self.company_lon[c_idx],
            self.speed[s_idx],
            self.overhead[s_idx],
        )


def _candidate_placements(
    round_: Round,
    students: tuple[Student, ...],
    placements: tuple[Placement, ...],
    placement_company: NDArray[np.int32],
    travellers: _Travellers,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(pupil, placement, fixed minutes) for every placement for its profile it may reach.

    Per profile, a k-d tree over the companies with a placement for that profile returns those
    within the distance the pupil's limit allows. Exact minutes come later, for the pairs that
    survive the cheaper filters; `fixed` holds a travel_matrix figure, -1 where none.
    """
    travel = round_.travel
    empty = np.zeros(0, dtype=np.int64)
    if not students or not placements:
        return empty, empty, empty
    c_xyz = _unit_vectors(travellers.company_lat, travellers.company_lon)
    s_xyz = _unit_vectors(travellers.lat, travellers.lon)
    open_to_all = [i for i, p in enumerate(placements) if not p.profiles]
    listing: dict[str, list[int]] = {}
    for i, p in enumerate(placements):
        for profile in p.profiles:
            listing.setdefault(profile, []).append(i)
    groups: dict[tuple[str, float], list[int]] = {}
    for i, s in enumerate(students):
        groups.setdefault((s.profile, reach_km(travel, s.max_travel_min, s.mode)), []).append(i)
    found_s, found_p = [empty], [empty]
    searches: dict[str, tuple[cKDTree, NDArray[np.int64], NDArray[np.int64], int] | None] = {}
    for (profile, km), members in groups.items():
        if profile not in searches:
            subset = np.array(sorted(open_to_all + listing.get(profile, [])), dtype=np.int64)
            companies, local = np.unique(placement_company[subset], return_inverse=True)
            searches[profile] = (
                (cKDTree(c_xyz[companies]), subset, local.ravel(), len(companies))
                if len(subset)
                else None
            )
        search = searches[profile]
        if search is None:
            continue
        tree, subset, local, n_local = search
        members_arr = np.array(members, dtype=np.int64)
        hits = cKDTree(s_xyz[members_arr]).sparse_distance_matrix(
            tree, float(_chord(km)), output_type="ndarray"
        )
        row, p_local = _expand_to_placements(hits["j"].astype(np.int64), local, n_local)
        found_s.append(members_arr[hits["i"][row]])
        found_p.append(subset[p_local])
    return _with_matrix(
        round_, students, np.concatenate(found_s), np.concatenate(found_p), placement_company
    )


def _with_matrix(
    round_: Round,
    students: tuple[Student, ...],
    s_idx: NDArray[np.int64],
    p_idx: NDArray[np.int64],
    placement_company: NDArray[np.int32],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Add the travel_matrix entries as fixed figures; they replace (or add) pairs."""
    matrix = round_.travel_matrix
    unfixed = np.full(len(s_idx), -1, dtype=np.int64)
    if not matrix:
        return s_idx, p_idx, unfixed
    company_index = {c: i for i, c in enumerate(round_.companies)}
    fixed: dict[tuple[int, int], int] = {}
    for i, s in enumerate(students):
        rows = [matrix.get(s.id)]
        if s.home is None:
            rows.append(matrix.get(s.school))
        for figures in reversed(rows):  # the pupil's own row is applied last, so it wins
            for company, value in (figures or {}).items():
                if company in company_index:
                    fixed[(i, company_index[company])] = value
    if not fixed:
        return s_idx, p_idx, unfixed
    n_companies = len(company_index)
    keys = np.fromiter((s * n_companies + c for s, c in fixed), dtype=np.int64, count=len(fixed))
    values = np.fromiter(fixed.values(), dtype=np.int64, count=len(fixed))
    keep = ~np.isin(s_idx * n_companies + placement_company[p_idx], keys)
    row, p_fixed = _expand_to_placements(keys % n_companies, placement_company, n_companies)
    return (
        np.concatenate((s_idx[keep], (keys // n_companies)[row])),
        np.concatenate((p_idx[keep], p_fixed)),
        np.concatenate((unfixed[keep], values[row])),
    )


def _expand_to_placements(
    c_idx: NDArray[np.int64], placement_company: NDArray[np.integer[Any]], n_companies: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each company of `c_idx` to each of its placements: (position in c_idx, placement)."""
    order = np.argsort(placement_company, kind="stable")
    per_company = np.bincount(placement_company, minlength=n_companies)
    start = np.concatenate(([0], np.cumsum(per_company)[:-1]))
    counts = per_company[c_idx]
    offsets = np.repeat(start[c_idx] - (np.cumsum(counts) - counts), counts)
    row = np.repeat(np.arange(len(c_idx), dtype=np.int64), counts)
    return row, order[offsets + np.arange(int(counts.sum()))].astype(np.int64)


class _Admission:
    """Profile, track and year rules as lookup tables, applied to many pairs at once."""

    def __init__(self, students: tuple[Student, ...], placements: tuple[Placement, ...]) -> None:
        profiles = sorted({s.profile for s in students})
        tracks = sorted({s.track for s in students})
        profile_code = {v: i for i, v in enumerate(profiles)}
        track_code = {v: i for i, v in enumerate(tracks)}
        self.admits_profile = np.array(
            [[not p.profiles or v in p.profiles for v in profiles] for p in placements], dtype=bool
        ).reshape(len(placements), len(profiles))
        self.admits_track = np.array(
            [[not p.tracks or v in p.tracks for v in tracks] for p in placements], dtype=bool
        ).reshape(len(placements), len(tracks))
        self.profile = np.array([profile_code[s.profile] for s in students], dtype=np.int64)
        self.track = np.array([track_code[s.track] for s in students], dtype=np.int64)
        self.year = np.array([s.year for s in students], dtype=np.int64)
        self.min_year = np.array([p.min_year for p in placements], dtype=np.int64)

    def admits(self, s_idx: NDArray[np.int64], p_idx: NDArray[np.int64]) -> NDArray[np.bool_]:
        return (
            self.admits_profile[p_idx, self.profile[s_idx]]
            & self.admits_track[p_idx, self.track[s_idx]]
            & (self.year[s_idx] >= self.min_year[p_idx])
        )

    def somewhere(
        self,
        student_periods: NDArray[np.bool_],
        offered: NDArray[np.bool_],
        closed_student: NDArray[np.int64],
        closed_placement: NDArray[np.int64],
    ) -> NDArray[np.bool_]:
        """Per pupil: does any placement it does not exclude admit it in a common period,
        distance aside?

        Computed once per distinct (profile, track, year, periods), not per pupil, then again
        for the few pupils whose exclusions (`closed_student`, `closed_placement`) could
        change the answer.
        """
        if len(self.profile) == 0:
            return np.zeros(0, dtype=bool)
        keys = np.column_stack((self.profile, self.track, self.year, student_periods))
        signatures, pupil_signature = np.unique(keys, axis=0, return_inverse=True)
        found = np.zeros(len(signatures), dtype=np.int64)  # admitting placements
        for k, (profile, track, year, *periods) in enumerate(signatures.tolist()):
            found[k] = int(
                np.sum(
                    self.admits_profile[:, profile]
                    & self.admits_track[:, track]
                    & (year >= self.min_year)
                    & (offered & np.array(periods, dtype=bool)).any(axis=1)
                )
            )
        admitting = found[pupil_signature.ravel()]
        result = admitting > 0
        pupils, closed_count = np.unique(closed_student, return_counts=True)
        for s, count in zip(pupils.tolist(), closed_count.tolist(), strict=True):
            if 0 < admitting[s] <= count:  # with more admitting than closed, one stays open
                open_ = np.ones(len(self.min_year), dtype=bool)
                open_[closed_placement[closed_student == s]] = False
                result[s] = bool(
                    np.any(
                        open_
                        & self.admits_profile[:, self.profile[s]]
                        & self.admits_track[:, self.track[s]]
                        & (self.year[s] >= self.min_year)
                        & (offered & student_periods[s]).any(axis=1)
                    )
                )
        return result


def _excluded(
    s_idx: NDArray[np.int64],
    p_idx: NDArray[np.int64],
    closed: NDArray[np.int64],
    n_students: int,
    n_placements: int,
) -> NDArray[np.bool_]:
    """Per candidate pair: is it among the `closed` keys? Only the pairs of pupils with
    exclusions are looked up, so a national round with a few pays for those only."""
    excluded = np.zeros(len(s_idx), dtype=bool)
    if len(closed) == 0:
        return excluded
    has = np.zeros(n_students, dtype=bool)
    has[closed // n_placements] = True
    mine = np.flatnonzero(has[s_idx])
    excluded[mine] = np.isin(s_idx[mine] * n_placements + p_idx[mine], closed)
    return excluded


def _excluded_keys(
    students: tuple[Student, ...], placements: tuple[Placement, ...]
) -> NDArray[np.int64]:
    """Sorted (pupil x placements + placement) keys of every pair a pupil's `excluded` closes.

    Only pupils with exclusions are looped over; a national round has few.
    """
    n = len(placements)
    own = {p.id: [i] for i, p in enumerate(placements)}
    of_company: dict[str, list[int]] = {}
    for i, p in enumerate(placements):
        of_company.setdefault(p.company, []).append(i)
    keys = [
        s * n + p
        for s, student in enumerate(students)
        for ref in student.excluded
        for p in own.get(ref, []) + of_company.get(ref, [])
    ]
    return np.unique(np.array(keys, dtype=np.int64))


def _ranks(
    round_: Round, students: tuple[Student, ...], s_idx: NDArray[np.int64], p_idx: NDArray[np.int64]
) -> NDArray[np.int64]:
    """1-based preference rank of each pair, 0 when the placement is not among the pupil's list."""
    placement_index = {p: i for i, p in enumerate(round_.placements)}
    n = len(placement_index)
    keys, ranks = [], []
    for i, s in enumerate(students):
        for r, p in enumerate(s.preferences, start=1):
            keys.append(i * n + placement_index[p])
            ranks.append(r)
    if not keys:
        return np.zeros(len(s_idx), dtype=np.int64)
    pref_keys = np.array(keys, dtype=np.int64)
    pref_ranks = np.array(ranks, dtype=np.int64)
    order = np.argsort(pref_keys)
    pref_keys, pref_ranks = pref_keys[order], pref_ranks[order]
    pair_keys = s_idx * n + p_idx
    at = np.minimum(np.searchsorted(pref_keys, pair_keys), len(pref_keys) - 1)
    return np.where(pref_keys[at] == pair_keys, pref_ranks[at], 0)
