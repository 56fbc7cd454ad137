"""Problem A with dated periods and `max_concurrent` (SPEC section 8), next to the bare round.

    python -m benchmarks.dated_periods [--sizes 1000 5000 20000] [--time-limit 30]
        [--layouts aligned staggered lint]

For each size a 35-school region is generated (`fixtures.region.generate_region`, seed 1) and
dated in the three layouts of `fixtures.dated` (aligned blocks, blocks staggered a week apart
between school groups, and staggered blocks crossed by lint periods), with half the companies
given a `max_concurrent`. Measured in this process, in the same run, one after the other:

- `bare`: the generated round as it is (no dates, no daily limits): the exact min-cost flow;
- each layout: `solve_round` (eligible pairs, the day sets, the flow or the side-rule MIP,
  reasons), then `verify` on its answer.

Printed per row: the method, status, placed priority, cost and bound, the solve's seconds and
its ratio to `bare` of the same size, and the day sets the flow holds / all day sets.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from fixtures.dated import LAYOUTS, with_dated_periods
from fixtures.region import generate_region
from scheduler.placements.eligibility import eligible_pairs
from scheduler.solve import solve_round
from scheduler.validation import parse_round
from scheduler.verify import verify


def measure(document: dict[str, Any], time_limit: float) -> dict[str, Any]:
    round_ = parse_round(document)
    started = time.perf_counter()
    solution = solve_round(round_, time_limit=time_limit, workers=1)
    seconds = time.perf_counter() - started
    sets = eligible_pairs(round_).concurrency.sets
    violations = verify(round_, solution)
    return {
        "seconds": seconds,
        "solution": solution,
        "in_flow": sum(s.in_flow for s in sets),
        "sets": len(sets),
        "verified": not violations,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    arguments = parser.parse_args(argv)
    print("| pupils | layout | method | status | placed priority | cost | bound | seconds "
          "| x bare | day sets in flow | verify |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in arguments.sizes:
        base = generate_region(students=size, schools=35, seed=1)
        rows = [("bare", base)] + [
            (layout, with_dated_periods(base, layout, seed=1)) for layout in arguments.layouts
        ]
        reference = None
        for name, document in rows:
            found = measure(document, arguments.time_limit)
            reference = reference or found["seconds"]
            solution = found["solution"]
            objective = solution["objective"]
            print(
                f"| {size:,} | {name} | {solution['stats']['placements']['method']} "
                f"| {solution['status']} | {objective['placed_priority']:,} "
                f"| {objective['cost']:,} | {objective['bound']:,} | {found['seconds']:.2f} "
                f"| {found['seconds'] / reference:.1f} | {found['in_flow']}/{found['sets']} "
                f"| {'ok' if found['verified'] else 'VIOLATED'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
