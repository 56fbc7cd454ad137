"""Problem A with side rules: the MIP beside the previous CP-SAT method, quiet and with a busy core.

    python -m benchmarks.side_rules [--side 1500] [--teams 800 1200 2000] [--open-teams 800]
                                    [--time-limit 30] [--no-busy] [--methods old full-mip new]

Rounds: `fixtures.side_rules.generate_side_rule_round` (35 schools, a quarter of the placements
needing a pair or a trio, 3% of the pupils in together pairs and 3% in apart pairs) and
`fixtures.teams.generate_team_round` (every placement a team of at least 3 to 6; `--open-teams`
with accept_unranked true), seed 1. Each method runs as its own process, timed whole (reading,
eligible pairs, flow, solve, reasons, writing):

- `new`: `stagebureau solve ROUND -o SOLUTION --time-limit S`;
- `full-mip`: the same command with no shortlist MIP first (the shortlist is the whole model,
  so the full MIP runs alone, presolve on), as before `scheduler/placements/shortlist.py`;
- `old`: the previous method, rebuilt here as it was: the repaired flow optimum as hint, one
  CP-SAT model (`SideRuleModel`) on the weighted objective with the flow's placed priority as a
  cap, 8 workers, the time limit less what came before.

`gap` is (cost - bound) / cost with each method's own bound; `to opt` is the cost over the best
proven bound of the two at the same placed priority. `busy` runs a CPU burner
(`python -c "while True: pass"`) on one of the cores the whole time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from fixtures.side_rules import generate_side_rule_round
from fixtures.teams import generate_team_round

OLD_METHOD = """
import json, sys, time
started = time.monotonic()
import numpy as np
from ortools.sat.python import cp_model
from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.flow import objective, solve_flow
from scheduler.placements.side_rules import PlacementListener, SideRuleModel, feasible_start
from scheduler.placements.steer import Steer, Steering
from scheduler.search_clock import SearchClock
from scheduler.validation import parse_round

round_ = parse_round(json.load(open(sys.argv[1])))
limit = float(sys.argv[2])
pairs = eligible_pairs(round_)
priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
steer = Steer.of(pairs, Steering())
relaxed, _ = solve_flow(pairs, priority, steer)
flow_placed, flow_cost = objective(pairs, relaxed, priority)
hint = feasible_start(round_, pairs, priority, steer, relaxed)
model = SideRuleModel(round_, pairs)
in_model = np.unique(pairs.student[model.usable])
total = int(priority[in_model].sum())
unit = int(pairs.cost[model.usable].max(initial=0)) * len(in_model) + 1
placed_expr = model.weighted(priority[pairs.student])
model.model.add(placed_expr <= flow_placed)
model.hint(hint)
status, values, weighted_bound = model.solve(
    unit * (total - placed_expr) + model.weighted(pairs.cost),
    time_limit=max(0.1, limit - (time.monotonic() - started)),
    workers=8,
    listener=PlacementListener(lambda _: None, unit, total, started),
    clock=SearchClock(),
)
best = hint
if values is not None:
    found, start = objective(pairs, values, priority), objective(pairs, hint, priority)
    if (found[0], -found[1]) >= (start[0], -start[1]):
        best = values
placed, cost = objective(pairs, best, priority)
bound = None
if placed == flow_placed or weighted_bound >= unit * (total - placed):
    bounds = [weighted_bound - unit * (total - placed)]
    bound = min(cost, max(bounds + [flow_cost] * (placed == flow_placed)))
print(json.dumps({"placed_priority": placed, "cost": cost, "bound": bound}))
"""

FULL_MIP = """
import sys
from api.cli import main
from scheduler.placements import side_rules
side_rules.shortlisted_pairs = lambda pairs, usable, *rest: usable
sys.exit(main(sys.argv[1:]))
"""


def rounds(args: argparse.Namespace) -> Iterator[tuple[str, dict[str, Any]]]:
    for size in args.side:
        yield f"side-{size}", generate_side_rule_round(students=size, seed=1)
    for size in args.teams:
        yield f"teams-{size}", generate_team_round(students=size, seed=1)
    for size in args.open_teams:
        yield f"open-teams-{size}", generate_team_round(students=size, seed=1, accept_unranked=True)


def run_new(round_path: Path, time_limit: float) -> tuple[dict[str, Any], float]:
    return run_solve([str(Path(sys.executable).with_name("stagebureau"))], round_path, time_limit)


def run_full_mip(round_path: Path, time_limit: float) -> tuple[dict[str, Any], float]:
    return run_solve([sys.executable, "-c", FULL_MIP], round_path, time_limit)


def run_solve(
    command: list[str], round_path: Path, time_limit: float
) -> tuple[dict[str, Any], float]:
    """`stagebureau solve` as `command`, timed as a whole process."""
    solution_path = round_path.with_suffix(".solution.json")
    started = time.monotonic()
    solve = [*command, "solve", str(round_path), "-o", str(solution_path)]
    subprocess.run(
        [*solve, "--time-limit", str(time_limit)],
        check=True,
        capture_output=True,
    )
    seconds = time.monotonic() - started
    return json.loads(solution_path.read_text())["objective"], seconds


def run_old(round_path: Path, time_limit: float) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", OLD_METHOD, str(round_path), str(time_limit)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out), time.monotonic() - started


METHODS = {"old": run_old, "full-mip": run_full_mip, "new": run_new}


@contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """A CPU burner beside the measured process, ended by its own pid."""
    if not on:
        yield
        return
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        burner.kill()
        burner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, nargs="*", default=[1500])
    parser.add_argument("--teams", type=int, nargs="*", default=[800, 1200, 2000])
    parser.add_argument("--open-teams", type=int, nargs="*", default=[800])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--no-busy", action="store_true", help="only the quiet machine")
    parser.add_argument("--methods", nargs="*", choices=list(METHODS), default=list(METHODS))
    args = parser.parse_args()
    print(
        f"{'round':>15} {'load':>5} {'method':>8} {'placed':>7} {'cost':>8} {'bound':>8} "
        f"{'gap':>7} {'to opt':>7} {'seconds':>8}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        for label, document in rounds(args):
            round_path = Path(tmp) / f"{label}.json"
            round_path.write_text(json.dumps(document))
            for busy in [False] if args.no_busy else [False, True]:
                with busy_core(busy):
                    results = {
                        method: METHODS[method](round_path, args.time_limit)
                        for method in args.methods
                    }
                best_placed = max(r["placed_priority"] for r, _ in results.values())
                proven = [
                    r["bound"]
                    for r, _ in results.values()
                    if r["bound"] is not None and r["placed_priority"] == best_placed
                ]
                optimum = max(proven, default=None)
                for method, (objective, seconds) in results.items():
                    cost, bound = objective["cost"], objective["bound"]
                    gap = np.nan if bound is None else (cost - bound) / max(1, cost)
                    to_opt = (
                        np.nan
                        if optimum is None or objective["placed_priority"] != best_placed
                        else cost / max(1, optimum) - 1
                    )
                    print(
                        f"{label:>15} {'busy' if busy else 'quiet':>5} {method:>8} "
                        f"{objective['placed_priority']:>7} {cost:>8} {bound!s:>8} "
                        f"{gap:>7.2%} {to_opt:>7.2%} {seconds:>8.1f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
