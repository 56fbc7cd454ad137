"""stagebureau next to its peers on the same rounds, in one run: the table of benchmarks/README.md.

    python -m benchmarks.peers [--sizes 1000 5000 20000] [--national 100000] [--time-limit 20]
                               [--no-envy-sizes 1000 5000] [--out benchmarks/results]

For each round (a 35-school region per size, seed 1, and the national round), every solver
runs in its own process (`benchmarks.peers.solve`) under the same time limit; a process still
running past the limit plus `--grace` seconds plus twice what reading the round and finding
its eligible pairs took here (start-up, reading and model building grow with the round; the
same allowance for every solver) is killed and shown as a timeout. Wall time and peak
resident memory are the whole process's (reading the round and the eligible pairs included,
the same for all), measured from a small parent as `benchmarks.placement` does. Every answer
becomes a SPEC solution document and goes through `stagebureau verify`. A peer that timed out
or found nothing on a round is not run on the larger ones. Then, from the same rounds: the
envy-free optimum (`solve --no-envy`) next to the plain one, the seats where one more would
help most, and the national round split into components over two worker processes.

Prints the markdown of benchmarks/README.md's peer section and writes it, with PNG charts, to
`--out`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.peers import PEERS
from benchmarks.peers.solve import OURS, OURS_NO_ENVY
from fixtures.region import generate_national, generate_region
from scheduler.contract.solution import Solution
from scheduler.domain import Round
from scheduler.fairness import fairness_report
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.placements.flow import objective
from scheduler.placements.national import SPLIT_WORTH, components, solve_split
from scheduler.placements.result import PlacementResult
from scheduler.placements.scarcity import one_more_seat
from scheduler.placements.solve import solve_placements
from scheduler.solve import merge_sections, placement_section
from scheduler.validation import parse_round

DISTANT_AREAS = ("Zeeland", "Friesland", "Zuid-Limburg", "Twente")

# A small parent runs each solver: a child forked from this large process would report this
# process's memory as its peak. It kills the solver's whole session past the limit.
MEASURE = """
import os, signal, subprocess, sys, tempfile, time
limit = float(sys.argv[1])
errors = tempfile.TemporaryFile()
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=errors,
                         start_new_session=True)
killed = False
while True:
    pid, status, usage = os.wait4(child.pid, os.WNOHANG)
    if pid:
        break
    if time.perf_counter() - started > limit and not killed:
        os.killpg(child.pid, signal.SIGKILL)
        killed = True
    time.sleep(0.02)
errors.seek(0)
last = errors.read().decode(errors="replace").strip().splitlines()[-1:]
print(time.perf_counter() - started, usage.ru_maxrss / 1024, int(killed),
      os.waitstatus_to_exitcode(status), *last)
"""


@dataclass
class Run:
    """One solver on one round."""

    solver: str
    wall: float = 0.0
    peak_mb: float = 0.0
    outcome: str = "ok"  # ok, timeout, error: ..., skipped: ...
    record: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    verify: str = ""


@dataclass
class Bench:
    """A round on disk with its parsed form and eligible pairs."""

    label: str
    path: Path
    round: Round
    pairs: EligiblePairs
    allowance: float  # seconds past the time limit before a solver is killed
    runs: list[Run] = field(default_factory=list)


def measure(solver: str, bench: Bench, time_limit: float, allowance: float, workdir: Path) -> Run:
    chosen_path = workdir / f"{bench.label}-{solver.replace(' ', '_')}.chosen.json"
    chosen_path.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "benchmarks.peers.solve",
        solver,
        str(bench.path),
        str(chosen_path),
        "--time-limit",
        str(time_limit),
    ]
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(time_limit + allowance), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split(maxsplit=4)
    run = Run(solver, float(out[0]), float(out[1]))
    if out[2] == "1":
        run.outcome = "timeout"
    elif out[3] != "0" or not chosen_path.exists():
        run.outcome = "error: " + (out[4] if len(out) > 4 else f"exit {out[3]}")
    else:
        run.record = json.loads(chosen_path.read_text())
    return run


def solution_document(bench: Bench, record: dict[str, Any]) -> Solution:
    pairs = bench.pairs
    chosen = np.array(record["chosen"], dtype=np.int64)
    priority = np.array([s.priority for s in pairs.students], dtype=np.int64)
    placed, cost = objective(pairs, chosen, priority)
    optimal = record["optimal"]
    result = PlacementResult(
        pairs,
        chosen,
        "OPTIMAL" if optimal else "FEASIBLE",
        placed,
        cost,
        cost if optimal else None,
        record["solver"],
        record["variables"],
    )
    return merge_sections(bench.round.name, [placement_section(bench.round, result)])


def verify_document(bench: Bench, solution: Mapping[str, Any], workdir: Path, name: str) -> str:
    """`stagebureau verify` in its own process: "ok", or the count of violations per rule."""
    path = workdir / f"{bench.label}-{name.replace(' ', '_')}.solution.json"
    path.write_text(json.dumps(solution))
    command = Path(sys.executable).with_name("stagebureau")
    done = subprocess.run(
        [str(command), "verify", str(bench.path), str(path)], capture_output=True, text=True
    )
    if done.returncode == 0:
        return "ok"
    rules: dict[str, int] = {}
    for line in done.stdout.splitlines():
        if line.startswith("["):
            rule = line[1 : line.index("]")]
            rules[rule] = rules.get(rule, 0) + 1
    return ", ".join(f"{rule} x{count}" for rule, count in sorted(rules.items()))


def metrics(bench: Bench, solution: Mapping[str, Any], envy: bool) -> dict[str, Any]:
    """The report's columns, from the round and the solution document alone."""
    assignments = solution["assignments"]
    pupils = len(bench.round.students)
    ranks = [a["rank"] for a in assignments]
    travel = np.array([a["travel_min"] for a in assignments], dtype=np.float64)
    with_wishes = sum(1 for s in bench.round.students.values() if s.preferences)
    histogram = {f"rank {r}": ranks.count(r) for r in range(1, 6)}
    histogram["unranked"] = ranks.count(None)
    histogram["unplaced"] = pupils - len(assignments)
    report = fairness_report(bench.round, solution) if envy else None
    placed = {a["student"] for a in assignments}
    per_school = Counter(s.school for s in bench.round.students.values())
    placed_per_school = Counter(s.school for s in bench.round.students.values() if s.id in placed)
    shares = [placed_per_school[school] / n for school, n in per_school.items()]
    return {
        "placed": len(assignments),
        "pupils": pupils,
        "priority": solution["objective"]["placed_priority"],
        "cost": solution["objective"]["cost"],
        "first_choice": ranks.count(1) / max(1, with_wishes),
        "histogram": histogram,
        "travel_mean": float(travel.mean()) if len(travel) else 0.0,
        "travel_p95": float(np.percentile(travel, 95)) if len(travel) else 0.0,
        "share_min": min(shares, default=1.0),
        "share_max": max(shares, default=1.0),
        "envy": None if report is None else len(report.envy),
        "envious": None if report is None else report.envious_pupils,
    }


def run_round(
    bench: Bench,
    solvers: list[str],
    args: argparse.Namespace,
    workdir: Path,
    dropped: dict[str, str],
) -> None:
    envy = len(bench.round.students) <= args.envy_up_to
    for solver in solvers:
        if solver in dropped:
            bench.runs.append(Run(solver, outcome=f"skipped: {dropped[solver]}"))
            continue
        run = measure(solver, bench, args.time_limit, bench.allowance, workdir)
        bench.runs.append(run)
        if run.outcome != "ok" or not run.record["chosen"]:
            dropped[solver] = (
                f"{run.outcome if run.outcome != 'ok' else 'no answer'} at {bench.label}"
            )
            if run.outcome == "ok":
                run.outcome = "no answer"
            print(f"  {bench.label} {solver}: {run.outcome}", file=sys.stderr, flush=True)
            continue
        solution = solution_document(bench, run.record)
        run.verify = verify_document(bench, solution, workdir, solver)
        run.metrics = metrics(bench, solution, envy)
        print(
            f"  {bench.label} {solver}: {run.wall:.1f}s placed {run.metrics['placed']} "
            f"verify {run.verify}",
            file=sys.stderr,
            flush=True,
        )


def split_study(label: str, round_: Round, pairs: EligiblePairs) -> dict[str, Any]:
    """One flow against `solve_split` over two worker processes, on the same eligible pairs."""
    started = time.perf_counter()
    one = solve_placements(round_, pairs=pairs)
    one_s = time.perf_counter() - started
    started = time.perf_counter()
    split = solve_split(round_, workers=2, pairs=pairs)
    split_s = time.perf_counter() - started
    parts = components(pairs)
    return {
        "label": label,
        "pupils": len(round_.students),
        "pairs": len(pairs),
        "components": len(parts.sizes),
        "largest_share": parts.largest_share,
        "outside_largest": parts.outside_largest,
        "parallel": bool(parts.sizes.max(initial=0) <= SPLIT_WORTH * parts.sizes.sum()),
        "one_s": one_s,
        "split_s": split_s,
        "identical": (one.placed_priority, one.cost) == (split.placed_priority, split.cost),
        "objective": (one.placed_priority, one.cost),
    }


def distant_regions(students_each: int) -> dict[str, Any]:
    """Four regions far apart in one round (four bureaus solving at once): four components.

    Each region is `generate_region` with 35 schools; ids get a region prefix so they stay
    unique.
    """
    merged: dict[str, Any] = {}
    for k, area in enumerate(DISTANT_AREAS):
        doc = generate_region(students=students_each, schools=35, region=area, seed=1)
        tag = f"R{k}-"
        for record in doc["companies"]:
            record["id"] = tag + record["id"]
        for record in doc["placements"]:
            record["id"], record["company"] = tag + record["id"], tag + record["company"]
        for record in doc["students"]:
            record["id"] = tag + record["id"]
            record["preferences"] = [tag + p for p in record["preferences"]]
        if not merged:
            merged = doc | {"name": f"{len(DISTANT_AREAS)} distant regions (seed 1)"}
            continue
        for key in ("schools", "companies", "placements", "students"):
            merged[key] += doc[key]
    return merged


def scarcity(bench: Bench) -> tuple[float, list[Any]]:
    result = solve_placements(bench.round, pairs=bench.pairs)
    started = time.perf_counter()
    gains = one_more_seat(result)
    return time.perf_counter() - started, gains


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--national", type=int, default=100_000, help="0: no national round")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--grace", type=float, default=30.0, help="seconds past the limit")
    parser.add_argument("--no-envy-sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--envy-up-to", type=int, default=20000, help="envy column up to N")
    parser.add_argument(
        "--distant", type=int, default=10_000, help="pupils per region of the split study"
    )
    parser.add_argument("--peers", nargs="*", default=list(PEERS), choices=list(PEERS))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    benches: list[Bench] = []
    dropped: dict[str, str] = {}
    extra: dict[str, Any] = {"no_envy": [], "scarcity": [], "split": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rounds: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            (f"{n:,}", partial(generate_region, students=n, schools=35, seed=1)) for n in args.sizes
        ]
        if args.national:
            rounds.append(
                (
                    f"national {args.national:,}",
                    lambda: generate_national(students=args.national, seed=1),
                )
            )
        for label, make in rounds:
            document = make()
            path = workdir / f"{label.replace(' ', '_')}.json"
            path.write_text(json.dumps(document))
            prepared = time.perf_counter()
            round_ = parse_round(json.loads(path.read_text()))
            pairs = eligible_pairs(round_)
            allowance = args.grace + 2 * (time.perf_counter() - prepared)
            bench = Bench(label, path, round_, pairs, allowance)
            print(f"{label}: {len(bench.pairs):,} eligible pairs", file=sys.stderr, flush=True)
            run_round(bench, [OURS, *args.peers], args, workdir, dropped)
            benches.append(bench)
            size = len(round_.students)
            if size in args.no_envy_sizes:
                run_round(bench, [OURS_NO_ENVY], args, workdir, {})
                extra["no_envy"].append(bench)
            if label.startswith("national"):
                extra["split"].append(split_study(label, round_, pairs))
            else:
                extra["scarcity"].append((bench, *scarcity(bench)))
    if args.distant:
        document = distant_regions(args.distant)
        round_ = parse_round(document)
        extra["split"].append(split_study(document["name"], round_, eligible_pairs(round_)))
    total = time.perf_counter() - started
    from benchmarks.peers.report import charts, markdown

    text = markdown(benches, extra, args, total)
    charts(benches, args.out)
    (args.out / "peers.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
