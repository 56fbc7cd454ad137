"""Student-proposing deferred acceptance from the `matching` package (StudentAllocation).

Projects are seats (placement, period) with their capacities, supervisors are companies with
`max_students` (unlimited: the sum of their seats). Pupils rank every eligible seat: by their
preference list, then unranked ones, ties broken by travel minutes; that is the strict list DA
needs. Companies rank pupils the way the Amsterdam secondary-school match breaks ties: by
priority, then a single seeded lottery number per pupil (one lottery for all, so the result is
also the serial dictatorship in that order). The result is stable, hence free of justified envy,
but DA does not look for the largest match.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import numpy as np
from matching.games import StudentAllocation

from benchmarks.peers.common import Answer, Problem

LOTTERY_SEED = 2027
# The package deep-copies its web of players recursively: a deep stack for large rounds.
RECURSION_LIMIT, STACK_BYTES = 1_000_000, 1 << 30


def solve(problem: Problem, time_limit: float) -> Answer:
    del time_limit  # DA has no search to stop; the runner kills it past the limit
    pupils = np.unique(problem.student)
    lottery = np.random.default_rng(LOTTERY_SEED).permutation(len(problem.priority))
    master = sorted(pupils.tolist(), key=lambda s: (-problem.priority[s], lottery[s]))
    minutes = problem.pairs.minutes[problem.usable]
    order = np.lexsort((problem.seat, minutes, problem.key, problem.student))
    student_prefs: dict[str, list[str]] = {}
    seat_pair: dict[tuple[int, int], int] = {}
    for i in order.tolist():
        s, seat = int(problem.student[i]), int(problem.seat[i])
        student_prefs.setdefault(f"s{s}", []).append(f"q{seat}")
        seat_pair[(s, seat)] = i
    seats = np.unique(problem.seat)
    company_of_seat = {int(q): int(c) for q, c in zip(problem.seat, problem.company, strict=True)}
    applicants: dict[int, set[int]] = {}
    for s, c in zip(problem.student.tolist(), problem.company.tolist(), strict=True):
        applicants.setdefault(c, set()).add(s)
    rank_in_master = {s: k for k, s in enumerate(master)}
    supervisor_prefs = {
        f"c{c}": [f"s{s}" for s in sorted(members, key=rank_in_master.__getitem__)]
        for c, members in applicants.items()
    }
    seat_capacity = {f"q{q}": int(problem.seat_capacity[q]) for q in seats.tolist()}
    company_capacity = {}
    for c in applicants:
        total = sum(cap for q, cap in seat_capacity.items() if company_of_seat[int(q[1:])] == c)
        limit = int(problem.company_limit[c])
        company_capacity[f"c{c}"] = total if limit < 0 else min(limit, total)
    started = time.perf_counter()
    matching = _in_deep_stack(
        lambda: StudentAllocation.create_from_dictionaries(
            student_prefs,
            supervisor_prefs,
            {f"q{q}": f"c{company_of_seat[q]}" for q in seats.tolist()},
            seat_capacity,
            company_capacity,
        ).solve(optimal="student")
    )
    chosen = [
        seat_pair[(int(student.name[1:]), int(project.name[1:]))]
        for project, students in matching.items()
        for student in students
    ]
    return Answer(
        np.array(sorted(chosen), dtype=np.int64),
        False,
        len(problem.usable),
        f"matching {time.perf_counter() - started:.1f}s",
    )


def _in_deep_stack(work: Any) -> Any:
    """Run `work()` in a thread with a deep stack and recursion limit; return its result."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as error:  # handed back to the caller's thread
            errors.append(error)

    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]
