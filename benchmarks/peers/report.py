"""The markdown and the PNG charts of the peer comparison, from one run's measurements."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.peers.solve import OURS, OURS_NO_ENVY

if TYPE_CHECKING:
    from benchmarks.peers.__main__ import Bench, Run

HISTOGRAM = ("rank 1", "rank 2", "rank 3", "rank 4", "rank 5", "unranked", "unplaced")


def status_of(run: Run) -> str:
    if run.outcome != "ok":
        return run.outcome
    return "OPTIMAL" if run.record["optimal"] else "FEASIBLE"


def row(bench: Bench, run: Run) -> str:
    m = run.metrics
    cells = [bench.label, run.solver, status_of(run)]
    if not m:
        measured = [f"{run.wall:.1f}", f"{run.peak_mb:,.0f}"] if run.wall else ["-", "-"]
        cells += ["-"] * 8 + [*measured, "-"]  # 7 figures and solve s
        return "| " + " | ".join(cells) + " |"
    envy = "-" if m["envy"] is None else f"{m['envy']:,} ({m['envious']:,})"
    cells += [
        f"{m['placed']:,} ({m['placed'] / m['pupils']:.1%})",
        f"{m['priority']:,}",
        f"{m['cost']:,}",
        f"{m['first_choice']:.1%}",
        f"{m['travel_mean']:.1f} / {m['travel_p95']:.0f}",
        f"{m['share_min']:.0%}-{m['share_max']:.0%}",
        envy,
        f"{run.record['solve_seconds']:.2f}",
        f"{run.wall:.1f}",
        f"{run.peak_mb:,.0f}",
        run.verify,
    ]
    return "| " + " | ".join(cells) + " |"


def verdicts(benches: list[Bench]) -> tuple[list[str], list[str]]:
    """Where a peer wins, and the two claims of issue 6 checked on these numbers."""
    wins, claims = [], []
    most_placed, fastest = True, True
    for bench in benches:
        ours = next(r for r in bench.runs if r.solver == OURS)
        if not ours.metrics:
            claims.append(f"{bench.label}: stagebureau gave no answer")
            most_placed = fastest = False
            continue
        o = ours.metrics
        for run in bench.runs:
            if run.solver in (OURS, OURS_NO_ENVY) or not run.metrics:
                continue
            m = run.metrics
            if (m["priority"], m["placed"]) > (o["priority"], o["placed"]):
                most_placed = False
                wins.append(f"{bench.label}: {run.solver} places more priority ({m['priority']})")
            same_optimum = (m["priority"], m["cost"]) == (o["priority"], o["cost"])
            solve_s, our_solve_s = run.record["solve_seconds"], ours.record["solve_seconds"]
            if same_optimum and solve_s <= our_solve_s:
                fastest = False
                wins.append(
                    f"{bench.label}: {run.solver} solves to the same optimum faster "
                    f"({solve_s:.2f} s against {our_solve_s:.2f} s)"
                )
            if same_optimum and run.wall <= ours.wall:
                wins.append(
                    f"{bench.label}: {run.solver}'s whole process ends as soon or sooner "
                    f"({run.wall:.1f} s against {ours.wall:.1f} s): start-up and imports "
                    "dominate this small round, and OR-Tools is a heavy import"
                )
            if m["priority"] == o["priority"] and m["cost"] < o["cost"]:
                wins.append(f"{bench.label}: {run.solver} is cheaper at equal priority")
            # Among equal optima the objective is indifferent; say so where it decides.
            tie = " (an equally optimal solution)" if same_optimum else ""
            if m["envy"] is not None and o["envy"] is not None and m["envy"] < o["envy"]:
                price = (
                    ""
                    if same_optimum
                    else f", at {o['placed'] - m['placed']:,} fewer placed pupils"
                )
                wins.append(
                    f"{bench.label}: {run.solver} leaves less justified envy "
                    f"({m['envy']:,} pupil-seat pairs against {o['envy']:,}){price}{tie}"
                )
            if m["share_min"] > o["share_min"]:
                wins.append(
                    f"{bench.label}: {run.solver} has a higher lowest school share "
                    f"({m['share_min']:.2%} against {o['share_min']:.2%}){tie}"
                )
            if m["first_choice"] > o["first_choice"]:
                wins.append(
                    f"{bench.label}: {run.solver} gives more first choices "
                    f"({m['first_choice']:.2%} against {o['first_choice']:.2%}){tie}"
                )
            if run.peak_mb < ours.peak_mb:
                wins.append(
                    f"{bench.label}: {run.solver} peaks lower in memory "
                    f"({run.peak_mb:,.0f} MB against {ours.peak_mb:,.0f} MB)"
                )
    claims.append(
        "stagebureau places at least as much priority as every peer on every round: "
        + ("yes" if most_placed else "NO")
    )
    claims.append(
        "stagebureau solves faster (model and solve, after the shared reading and eligible "
        "pairs) than every peer that reaches the same optimum: " + ("yes" if fastest else "NO")
    )
    return wins, claims


def markdown(
    benches: list[Bench], extra: dict[str, Any], args: argparse.Namespace, total: float
) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "### Results",
        "",
        f"`make bench-peers` (`python -m benchmarks.peers`) ran every number below in "
        f"{total / 60:.1f} minutes on the 2-core machine (load average at the end: {load}).",
        "",
        f"Each solver runs in its own process with a time limit of {args.time_limit:.0f} s and "
        f"is killed {args.grace:.0f} s past it plus twice the time reading the round and its "
        "eligible pairs takes (the same allowance for all solvers of a round).",
        "",
        "- solve s: building the model and solving, after reading the round and computing its "
        "eligible pairs (the same code for every solver); process s and peak MB: the whole "
        "process;",
        "- placed: pupils (share of all pupils); first choice: placed at rank 1, share of the "
        "pupils with a wish list; school share: lowest and highest placed share of a school;",
        "- envy: (pupil, seat) pairs of justified envy (pupils), as `stagebureau fairness` "
        "counts it; verify: `stagebureau verify` on the solution document.",
        "",
        "| round | solver | status | placed | priority | cost | first choice | travel mean / "
        "p95 min | school share | envy | solve s | process s | peak MB | verify |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for bench in benches:
        lines += [row(bench, run) for run in bench.runs if run.solver != OURS_NO_ENVY]
    wins, claims = verdicts(benches)
    lines += ["", "Where a peer wins (computed from the table):", ""]
    lines += [f"- {w}" for w in wins] or ["- nowhere"]
    lines += ["", "Checked on these numbers:", ""] + [f"- {c}" for c in claims]
    lines += no_envy_section(extra["no_envy"])
    lines += scarcity_section(extra["scarcity"])
    if extra["split"]:
        lines += split_section(extra["split"])
    lines += [
        "",
        "Charts: [placed pupils](results/placed.png), [time](results/time.png), "
        "[rank histogram](results/ranks.png).",
    ]
    return "\n".join(lines) + "\n"


def no_envy_section(benches: list[Bench]) -> list[str]:
    if not benches:
        return []
    lines = [
        "",
        "#### The price of envy-freeness (`solve --no-envy`)",
        "",
        "Same time limit. Envy is recounted by `scheduler.fairness`, which shares no code with "
        "the no-envy model.",
        "",
        "| round | solution | status | placed | priority (proven bound) | cost | envy | "
        "process s |",
        "|---|---|---|--:|--:|--:|--:|--:|",
    ]
    for bench in benches:
        for run in bench.runs:
            if run.solver in (OURS, OURS_NO_ENVY) and run.metrics:
                m = run.metrics
                note = run.record["note"]
                bound = f" (<= {int(note.rsplit(' ', 1)[1]):,})" if "bound" in note else ""
                lines.append(
                    f"| {bench.label} | {run.solver} | {status_of(run)} | {m['placed']:,} | "
                    f"{m['priority']:,}{bound} | {m['cost']:,} | {m['envy']:,} | "
                    f"{run.wall:.1f} |"
                )
    return lines


def scarcity_section(found: list[tuple[Bench, float, list[Any]]]) -> list[str]:
    if not found:
        return []
    lines = [
        "",
        "#### Where one more seat helps most (`scheduler.scarcity`)",
        "",
        "Exact gains of +1 seat at every (placement, period) from one shortest-path pass over "
        "the optimal flow's residual graph:",
        "",
    ]
    for bench, seconds, gains in found:
        helping = sum(1 for g in gains if g.placed_priority > 0)
        lines.append(
            f"- {bench.label}: {seconds:.2f} s for all seats; {helping:,} seats would place one "
            "more pupil"
        )
    bench, _, gains = found[-1]
    lines += [
        "",
        f"Top 5 of round {bench.label}:",
        "",
        "| placement | company | period | seats now | + priority | cost change |",
        "|---|---|---|--:|--:|--:|",
    ]
    lines += [
        f"| {g.placement} | {g.company} | {g.period} | {g.capacity} | {g.placed_priority} | "
        f"{g.cost:+,} |"
        for g in gains[:5]
    ]
    return lines


def split_section(studies: list[dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "#### Components in parallel (`scheduler.national.solve_split`)",
        "",
        "One min-cost flow against `solve_split` with 2 worker processes, on the same eligible "
        "pairs; the split must reach the same objective.",
        "",
        "| round | pupils | pairs | components | largest | one flow s | split s | speed-up | "
        "same objective |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for found in studies:
        speedup = found["one_s"] / found["split_s"] if found["split_s"] else float("nan")
        largest = f"{found['largest_share']:.2%} (all but {found['outside_largest']:,})"
        lines.append(
            f"| {found['label']} | {found['pupils']:,} | {found['pairs']:,} | "
            f"{found['components']:,} | {largest} | {found['one_s']:.1f} | "
            f"{found['split_s']:.1f}{'' if found['parallel'] else ' (one flow)'} | "
            f"{speedup:.2f}x | {'yes' if found['identical'] else 'NO'} |"
        )
    return lines


def charts(benches: list[Bench], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    solvers = [
        OURS,
        *dict.fromkeys(
            r.solver for b in benches for r in b.runs if r.solver not in (OURS, OURS_NO_ENVY)
        ),
    ]
    labels = [b.label for b in benches]
    width = 0.8 / len(solvers)

    def bars(value, title: str, ylabel: str, name: str, log: bool = False) -> None:
        figure, axes = plt.subplots(figsize=(10, 4.5))
        for k, solver in enumerate(solvers):
            heights = []
            for bench in benches:
                run = next((r for r in bench.runs if r.solver == solver), None)
                heights.append(value(run) if run is not None else 0)
            positions = [i + (k - (len(solvers) - 1) / 2) * width for i in range(len(benches))]
            axes.bar(positions, heights, width, label=solver)
        axes.set_xticks(range(len(benches)), labels)
        axes.set_title(title)
        axes.set_ylabel(ylabel)
        if log:
            axes.set_yscale("log")
        axes.legend(fontsize=8)
        figure.tight_layout()
        figure.savefig(out / name, dpi=110)
        plt.close(figure)

    bars(
        lambda r: r.metrics["placed"] / r.metrics["pupils"] if r.metrics else 0,
        "Placed share of pupils (0: timeout, no answer or skipped)",
        "placed / pupils",
        "placed.png",
    )
    bars(
        lambda r: r.wall if r.outcome in ("ok", "timeout", "no answer") else 0,
        "Wall time of the whole process (a timeout shows the time it was killed)",
        "seconds",
        "time.png",
        log=True,
    )
    focus = max(
        (b for b in benches if sum(1 for r in b.runs if r.metrics) > 2),
        key=lambda b: len(b.round.students),
        default=benches[0],
    )
    figure, axes = plt.subplots(figsize=(10, 4.5))
    shown = [r for r in focus.runs if r.metrics]
    width = 0.8 / max(1, len(shown))
    for k, run in enumerate(shown):
        counts = [run.metrics["histogram"][h] for h in HISTOGRAM]
        positions = [i + (k - (len(shown) - 1) / 2) * width for i in range(len(HISTOGRAM))]
        axes.bar(positions, counts, width, label=run.solver)
    axes.set_xticks(range(len(HISTOGRAM)), HISTOGRAM)
    axes.set_title(f"What pupils got, round {focus.label}")
    axes.set_ylabel("pupils")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out / "ranks.png", dpi=110)
    plt.close(figure)
