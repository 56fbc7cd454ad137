"""Run one solver on one round in this process and write which pairs it chose.

    python -m benchmarks.peers.solve NAME ROUND.json CHOSEN.json [--time-limit S]

NAME is "stagebureau", "stagebureau --no-envy" or a key of `benchmarks.peers.PEERS`. CHOSEN
holds the chosen eligible-pair indices (of `scheduler.eligibility.eligible_pairs` on the round,
which is deterministic), whether the solver proved them optimal, and `solve_seconds` (model
building and solving, after the shared reading and eligible pairs). The runner turns them into
a SPEC solution document, the same way for every solver.

Why not the document here: `highspy` and OR-Tools each bundle their own HiGHS under the same
library name, so a process that loaded one cannot load the other. Peers therefore import no
OR-Tools code (`scheduler.eligibility` does not), and only stagebureau's own runs do.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

import numpy as np

from benchmarks.peers import PEERS
from benchmarks.peers.common import Problem
from scheduler.placements.eligibility import eligible_pairs
from scheduler.validation import parse_round

OURS = "stagebureau"
OURS_NO_ENVY = "stagebureau --no-envy"


def run(name: str, round_path: Path, chosen_path: Path, time_limit: float) -> None:
    round_ = parse_round(json.loads(round_path.read_text()))
    pairs = eligible_pairs(round_)
    # Imports (OR-Tools, highspy, PuLP, Timefold's JPype) before the clock starts, for all.
    if name in (OURS, OURS_NO_ENVY):
        from scheduler.placements.envy import solve_no_envy_with_bound
        from scheduler.placements.solve import solve_placements
    else:
        peer = importlib.import_module(PEERS[name][0])
    started = time.perf_counter()
    if name == OURS:
        result = solve_placements(round_, time_limit=time_limit, pairs=pairs)
        chosen, optimal = result.chosen, result.status == "OPTIMAL"
        variables, note = result.variables, result.method
    elif name == OURS_NO_ENVY:
        result, most = solve_no_envy_with_bound(round_, time_limit=time_limit, pairs=pairs)
        chosen, optimal = result.chosen, result.status == "OPTIMAL"
        variables, note = result.variables, f"placed priority bound {most}"
    else:
        problem = Problem.of(pairs)
        answer = peer.solve(problem, time_limit)
        chosen, optimal = problem.usable[answer.chosen], answer.proven_optimal
        variables, note = answer.variables, answer.note
    record = {
        "solver": name,
        "chosen": np.sort(chosen).tolist(),
        "optimal": bool(optimal),
        "variables": int(variables),
        "note": note,
        "solve_seconds": round(time.perf_counter() - started, 3),
    }
    chosen_path.write_text(json.dumps(record))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=[OURS, OURS_NO_ENVY, *PEERS])
    parser.add_argument("round", type=Path)
    parser.add_argument("chosen", type=Path)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    run(args.name, args.round, args.chosen, args.time_limit)


if __name__ == "__main__":
    main()
