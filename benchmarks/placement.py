"""Problem A: whole-process time and peak memory of `stagebureau solve`, next to a bare flow.

    python -m benchmarks.placement [--sizes 1000 5000 50000] [--national 100000] [--side 1500]

For each size a 35-school region is generated (`fixtures.region.generate_region`, seed 1) and
written to a temporary file. Measured in the same run, each in its own process (wall clock and
peak resident memory from `os.wait4`):

- `stagebureau solve ROUND -o SOLUTION`: reading, validation, eligible pairs, the certified
  flow, reasons for every unplaced pupil and writing the solution;
- a bare min-cost flow: a process that imports OR-Tools, loads the very same arcs (eligible
  pairs, slots, companies, bypass arcs with the always-exact weight) from a .npz file and solves
  them once: what a hand-written flow would cost, without reading a round or writing a solution.

`--side N` also solves a round of N pupils with min_students, together and apart under a
30-second limit and prints the proven gap between its cost and the best bound.

`--ties N` measures neutrality (SPEC section 8) on a region of N pupils: how many pupils get
another placement when the records are listed in another order, and, at each of `--sizes` (and
`--national`), the exact flow's seconds with the seeded lottery that breaks ties and with it
off, both in this process, alternating.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from unittest.mock import patch

import numpy as np

from fixtures.region import generate_national, generate_region
from scheduler.lottery import LOTTERY_BITS, TieBreak
from scheduler.placements import flow
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.flow import FlowNetwork
from scheduler.solve import solve_round
from scheduler.validation import parse_round

BARE_FLOW = """
import sys, numpy as np
from ortools.graph.python import min_cost_flow
a = np.load(sys.argv[1])
flow = min_cost_flow.SimpleMinCostFlow()
flow.add_arcs_with_capacity_and_unit_cost(a["tails"], a["heads"], a["capacities"], a["costs"])
flow.set_nodes_supplies(np.arange(len(a["supplies"]), dtype=np.int32), a["supplies"])
assert flow.solve() == flow.OPTIMAL
print(flow.optimal_cost())
"""


# A small process starts the measured one: a child forked straight from this (large) process
# would report this process's memory as its own peak.
MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if int(out[2]) != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    return float(out[0]), float(out[1])


def write_bare_flow_arcs(round_path: Path, arcs_path: Path) -> int:
    """The arcs `stagebureau` would solve, with the always-exact bypass weight."""
    pairs = eligible_pairs(parse_round(json.loads(round_path.read_text())))
    network = FlowNetwork(pairs)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    unit = int(pairs.cost[network.usable].max(initial=0)) * network.n_pupils + 1
    supplies = np.zeros(network.sink + 1, dtype=np.int64)
    supplies[: network.n_pupils] = 1
    supplies[network.sink] = -network.n_pupils
    n_other = len(network.tails) - len(network.usable)
    np.savez(
        arcs_path,
        tails=np.concatenate((network.tails, np.arange(network.n_pupils, dtype=np.int32))),
        heads=np.concatenate(
            (network.heads, np.full(network.n_pupils, network.sink, dtype=np.int32))
        ),
        capacities=np.concatenate((network.capacities, np.ones(network.n_pupils, np.int64))),
        costs=np.concatenate(
            (
                pairs.cost[network.usable],
                np.zeros(n_other, np.int64),
                unit * priority[network.pupils],
            )
        ),
        supplies=supplies,
    )
    return len(pairs)


def run_size(label: str, document: dict, workdir: Path) -> None:
    round_path = workdir / f"{label}.json"
    round_path.write_text(json.dumps(document))
    arcs_path = workdir / f"{label}.npz"
    n_pairs = write_bare_flow_arcs(round_path, arcs_path)
    solution_path = workdir / f"{label}.solution.json"
    command = Path(sys.executable).with_name("stagebureau")
    ours, our_mb = measure([str(command), "solve", str(round_path), "-o", str(solution_path)])
    bare, bare_mb = measure([sys.executable, "-c", BARE_FLOW, str(arcs_path)])
    solution = json.loads(solution_path.read_text())
    print(
        f"{label:>16} {len(document['students']):>8,} {n_pairs:>11,} "
        f"{ours:>8.2f}s {our_mb:>7.0f}MB {bare:>8.2f}s {bare_mb:>7.0f}MB "
        f"{ours / bare:>6.2f} {solution['status']:>8}",
        flush=True,
    )


def run_side_constraints(
    students: int, workdir: Path, schools: int = 35, time_limit: int = 30
) -> None:
    document = generate_region(students=students, schools=schools, seed=1, side_constraints=True)
    round_path = workdir / "side.json"
    round_path.write_text(json.dumps(document))
    solution_path = workdir / "side.solution.json"
    command = Path(sys.executable).with_name("stagebureau")
    wall, mb = measure(
        [
            str(command),
            "solve",
            str(round_path),
            "-o",
            str(solution_path),
            "--time-limit",
            str(time_limit),
        ]
    )
    objective = json.loads(solution_path.read_text())["objective"]
    cost, bound = objective["cost"], objective["bound"]
    gap = (cost - bound) / max(1, cost) if bound is not None else float("nan")
    print(
        f"side rules, {students:,} pupils, {time_limit} s limit: {wall:.1f}s, {mb:.0f}MB, "
        f"placed priority {objective['placed_priority']}, cost {cost}, bound {bound}, "
        f"gap {gap:.3%}"
    )


def pupils_moved(students: int) -> int:
    """Pupils whose (placement, period) differs between a region and its records reversed."""
    document = generate_region(students=students, schools=8, seed=3)
    reordered = {
        **document,
        **{key: document[key][::-1] for key in ("schools", "companies", "placements", "students")},
    }
    outcomes = []
    for doc in (document, reordered):
        solution = solve_round(parse_round(doc))
        outcomes.append(
            {a["student"]: (a["placement"], a["period"]) for a in solution["assignments"]}
        )
    return sum(
        outcomes[0].get(s) != outcomes[1].get(s) for s in outcomes[0].keys() | outcomes[1].keys()
    )


def flow_seconds(pairs: EligiblePairs, bits: int) -> float:
    """Seconds of the exact flow with a lottery of `bits` bits (0: off)."""
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    # The lottery's resolution is the solver's own constant; swapped here only to time it.
    with patch.object(flow, "TieBreak", partial(TieBreak, bits=bits)):
        started = time.perf_counter()
        flow.solve_flow(pairs, priority)
        return time.perf_counter() - started


def run_ties(students: int, documents: dict[str, dict]) -> None:
    print(f"pupils moved by another order, region of {students:,}: {pupils_moved(students)}")
    print(f"{'round':>16} {'pairs':>11} {'lottery':>9} {'off':>9} {'ratio':>6}")
    for label, document in documents.items():
        pairs = eligible_pairs(parse_round(document))
        runs = [(flow_seconds(pairs, LOTTERY_BITS), flow_seconds(pairs, 0)) for _ in range(2)]
        on, off = (min(seconds) for seconds in zip(*runs, strict=True))
        print(
            f"{label:>16} {len(pairs):>11,} {on:>8.2f}s {off:>8.2f}s {on / off:>6.2f}", flush=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 50000])
    parser.add_argument("--national", type=int, default=0, help="pupils of a national round")
    parser.add_argument("--side", type=int, default=1500, help="pupils of the side-rule round")
    parser.add_argument("--ties", type=int, default=0, help="pupils of the neutrality region")
    args = parser.parse_args()
    if args.ties:
        documents = {
            f"region-{size}": generate_region(students=size, schools=35, seed=1)
            for size in args.sizes
        }
        if args.national:
            documents[f"national-{args.national}"] = generate_national(
                students=args.national, seed=1
            )
        run_ties(args.ties, documents)
        return
    print(
        f"{'round':>16} {'pupils':>8} {'pairs':>11} {'solve':>9} {'peak':>9} "
        f"{'bare flow':>9} {'peak':>9} {'ratio':>6} {'status':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            run_size(f"region-{size}", generate_region(students=size, schools=35, seed=1), workdir)
        if args.national:
            run_size(
                f"national-{args.national}",
                generate_national(students=args.national, seed=1),
                workdir,
            )
        if args.side:
            run_side_constraints(args.side, workdir)


if __name__ == "__main__":
    main()
