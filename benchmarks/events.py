"""Problem D, event days of 3,000 and 12,000 pupils: exact when sessions run every round,
bounded when they do not.

    python -m benchmarks.events [--sizes 3000 12000] [--seed 1] [--time-limit 20]

For each size an event day from `fixtures.events.generate_event_day` (3 rounds, 40 companies
for 3,000 pupils and 60 for 12,000, sessions of 15-30 seats, 5 choices per pupil), once with
every session in every round and once with partial rounds (40% of the sessions skip a round)
and `distinct_sectors` on 30% of the requests. `whole` is the process a bureau runs: parse the
JSON text, validate, solve, write the section with every reason, and the independent `verify`.
`flow` is the reference measured in the same run: the bare min-cost flow that chooses the
sessions (`scheduler.events.flow.choose_sessions`), so the ratio is what layout, CP-SAT,
reasons, parsing and `verify` cost on top. Targets (issue 15): the exact cases OPTIMAL and
verified, whole process under 10 s; the bounded cases verified and granting at least 99% of
the flow's bound within 30 s.
"""

from __future__ import annotations

import argparse
import json
import time

from fixtures.events import generate_event_day
from scheduler.events.flow import choose_sessions
from scheduler.events.problem import event_problems
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify

COMPANIES = {3000: 40, 12000: 60}
EXACT_TARGET_SECONDS = 10.0
BOUNDED_TARGET_SECONDS = 30.0
BOUNDED_TARGET_SHARE = 0.99


def measure(pupils: int, seed: int, partial: bool, time_limit: float) -> str:
    document = generate_event_day(
        pupils=pupils,
        companies=COMPANIES.get(pupils, 40),
        rounds=3,
        seed=seed,
        partial_rounds=partial,
        distinct_sectors=0.3 if partial else 0.0,
    )
    text = json.dumps(document)
    started = time.perf_counter()
    round_ = parse_round(json.loads(text))
    solution = solve_round(round_, time_limit=time_limit, workers=2)
    violations = verify(round_, solution)
    whole = time.perf_counter() - started
    started = time.perf_counter()
    for problem in event_problems(round_):
        choose_sessions(problem)
    flow = time.perf_counter() - started
    objective = solution["objective"]
    granted, bound = objective["event_sessions_granted"], objective["event_sessions_bound"]
    share = granted / bound if bound else 1.0
    target = BOUNDED_TARGET_SECONDS if partial else EXACT_TARGET_SECONDS
    met = (
        not violations
        and whole < target
        and (share >= BOUNDED_TARGET_SHARE if partial else solution["status"] == "OPTIMAL")
    )
    greedy = sum(e["greedy_granted"] for e in solution["stats"]["events"].values())
    return (
        f"{pupils:>7,} {'partial' if partial else 'every':>8} {len(round_.sessions):>8,} "
        f"{whole:>8.2f}s {flow:>7.2f}s {whole / flow:>7.1f} {solution['status']:>9} "
        f"{granted:>8,} {bound:>8,} {share:>7.2%} {greedy:>8,} {len(violations):>4} "
        f"{'yes' if met else 'NO':>4}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.events")
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 12000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=20.0)
    arguments = parser.parse_args(argv)
    print(
        f"{'pupils':>7} {'rounds':>8} {'sessions':>8} {'whole':>9} {'flow':>8} {'ratio':>7} "
        f"{'status':>9} {'granted':>8} {'bound':>8} {'share':>7} {'greedy':>8} "
        f"{'viol':>4} {'met':>4}"
    )
    for pupils in arguments.sizes:
        for partial in (False, True):
            print(measure(pupils, arguments.seed, partial, arguments.time_limit), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
