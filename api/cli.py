"""`stagebureau`: the command line of SPEC section 6, an adapter around `scheduler`.

Files are read and written here and nowhere in the solver core. Bad input exits 2 with one line
per problem naming the record and field; a violated solution exits 1 from `verify`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scheduler.contract.solution import Solution
from scheduler.domain import Round
from scheduler.electives.timetables import timetable_report
from scheduler.explain import explain_student
from scheduler.fairness import fairness_text
from scheduler.placements.envy import NoEnvyFree
from scheduler.progress import Progress, ProgressFn, ignore
from scheduler.solve import solve_round
from scheduler.validation import InvalidRound, parse_round
from scheduler.verify import verify

EXIT_INVALID = 2
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, what a shell reports for a pipe its reader closed


class InputError(Exception):
    """Input the command cannot use; the message says which file, record and field."""


CALENDAR_PARTIES = ("company", "school", "class", "teacher", "pupil")  # as api.calendars


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None


def load_round(path: Path) -> Round:
    try:
        return parse_round(read_json(path))
    except InvalidRound as error:
        lines = "\n".join(f"  {p}" for p in error.problems)
        count = len(error.problems)
        raise InputError(
            f"{path}: invalid round ({count} problem{'s' * (count != 1)}):\n{lines}"
        ) from None


def load_solution(path: Path) -> dict[str, Any]:
    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError(f"{path}: a solution must be a JSON object")
    for key in ("assignments", "unassigned", "activities", "unplanned"):
        items = document.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise InputError(f"{path}: field '{key}' must be a list of objects")
    return document


@contextmanager
def terminal_progress(enabled: bool) -> Iterator[ProgressFn]:
    """A live status line on stderr while a solve runs, when someone is watching."""
    if not enabled:
        yield ignore
        return
    from rich.console import Console
    from rich.status import Status

    with Status("reading the round", console=Console(stderr=True)) as status:

        def show(event: Progress) -> None:
            text = f"{event.problem}: {event.phase} [{event.elapsed:.1f}s]"
            if event.best is not None:
                text += f"  best {event.best:,.0f}"
            if event.bound is not None:
                text += f"  bound {event.bound:,.0f}"
            status.update(text)

        yield show


def cmd_solve(args: argparse.Namespace) -> int:
    round_ = load_round(args.round)
    with terminal_progress(sys.stderr.isatty() and not args.quiet) as progress:
        try:
            solution = solve_round(
                round_,
                time_limit=args.time_limit,
                workers=args.workers,
                progress=progress,
                no_envy=args.no_envy,
                deterministic=args.deterministic,
            )
        except NoEnvyFree as error:
            raise InputError(f"{args.round}: --no-envy: {error}") from None
    text = json.dumps(solution, indent=1, ensure_ascii=False) + "\n"
    if args.output is None or str(args.output) == "-":
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    if not args.quiet:
        print(summary(solution), file=sys.stderr)
    return 0


def summary(solution: Solution) -> str:
    objective = solution["objective"]
    parts = [f"{solution['status']}"]
    if "placed_priority" in objective:
        placed = len(solution["assignments"])
        total = placed + len(solution["unassigned"])
        parts.append(
            f"placed {placed}/{total} pupils (priority {objective['placed_priority']}), "
            f"cost {objective['cost']}, bound {objective['bound']}"
        )
    if "activities_planned" in objective:
        parts.append(
            f"planned {objective['activities_planned']} activities "
            f"(bound {objective['activities_bound']}), "
            f"{objective['activity_travel_min']} travel min"
        )
    parts.append(f"{solution['stats']['solve_seconds']}s")
    return " | ".join(parts)


def cmd_verify(args: argparse.Namespace) -> int:
    round_ = load_round(args.round)
    violations = verify(round_, load_solution(args.solution))
    for violation in violations:
        print(violation)
    if violations:
        print(f"{len(violations)} violation(s)", file=sys.stderr)
        return 1
    print("solution holds: every hard rule, the objective and every reason check out")
    return 0


def cmd_fairness(args: argparse.Namespace) -> int:
    round_ = load_round(args.round)
    solution = load_solution(args.solution)
    for i, a in enumerate(solution.get("assignments", [])):
        if a.get("student") not in round_.students or a.get("placement") not in round_.placements:
            raise InputError(
                f"{args.solution}: assignments[{i}]: unknown pupil {a.get('student')!r} or "
                f"placement {a.get('placement')!r} (run `stagebureau verify` first)"
            )
    print(
        fairness_text(
            round_,
            solution,
            compare=not args.no_compare,
            time_limit=args.time_limit,
            workers=args.workers,
            seats=args.seats,
        )
    )
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    round_ = load_round(args.round)
    solution = load_solution(args.solution)
    if args.student not in round_.students:
        raise InputError(f"{args.round}: no pupil with id {args.student!r}")
    print(explain_student(round_, solution, args.student))
    return 0


def cmd_timetables(args: argparse.Namespace) -> int:
    round_ = load_round(args.round)
    try:
        report = timetable_report(round_)
    except ValueError as error:
        raise InputError(f"{args.round}: {error}") from None
    print("Elective slots and electives each school's pupils reach in time:")
    for school in report.reach:
        closed = f"; closed by its grid: {', '.join(school.closed)}" if school.closed else ""
        print(
            f"  {school.school}: slots {', '.join(school.slots) or 'none'}; "
            f"{len(school.electives)} elective(s){closed}"
        )
    if report.parallel:
        print("The timetables are parallel: no school within reach keeps an elective closed.")
        return 0
    print("Slots to move to open electives to more pupils (most requesting pupils first):")
    for move in report.moves:
        schools = ", ".join(f"{school} ({pupils})" for school, pupils in move.schools)
        print(f"  {move.elective} on {move.slot}: {move.pupils} pupil(s) would gain; {schools}")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from api.calendars import UnknownParty, year_calendar

    round_ = load_round(args.round)
    solution = load_solution(args.solution)
    kind = next(k for k in CALENDAR_PARTIES if getattr(args, k))
    try:
        ics = year_calendar(round_, solution, (kind, getattr(args, kind)))
    except UnknownParty as error:
        raise InputError(f"{args.round}: {error}") from None
    except (ValueError, KeyError) as error:
        raise InputError(f"{args.solution}: {error}") from None
    if args.output is None or str(args.output) == "-":
        sys.stdout.buffer.write(ics)
    else:
        args.output.write_bytes(ics)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from api.demo import run_demo

    return run_demo(
        database_url=args.database, students=args.students, schools=args.schools, scarce=args.scarce
    )


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="stagebureau", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)

    solve = commands.add_parser("solve", help="solve every problem a round holds")
    solve.add_argument("round", type=Path)
    solve.add_argument("-o", "--output", type=Path, help="solution file (default: stdout)")
    solve.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds for the CP-SAT parts (default 30)",
    )
    solve.add_argument(
        "--workers",
        type=int,
        default=8,
        metavar="N",
        help="CP-SAT search workers, time-sliced over the cores (default 8)",
    )
    solve.add_argument(
        "--no-envy",
        action="store_true",
        help="place no pupil below a lower-priority pupil holding a seat it prefers (CP-SAT)",
    )
    solve.add_argument(
        "--deterministic",
        action="store_true",
        help="count --time-limit in CP-SAT work units on one worker with a fixed seed: "
        "the same solution on any machine, however busy",
    )
    solve.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    solve.set_defaults(run=cmd_solve)

    fairness = commands.add_parser(
        "fairness", help="placed share per school, justified envy, and the envy-free price"
    )
    fairness.add_argument("round", type=Path)
    fairness.add_argument("solution", type=Path)
    fairness.add_argument(
        "--time-limit", type=float, default=30.0, metavar="S", help="for the envy-free solve"
    )
    fairness.add_argument("--workers", type=int, default=8, metavar="N")
    fairness.add_argument("--no-compare", action="store_true", help="only this solution: no solves")
    fairness.add_argument(
        "--seats", type=int, default=10, metavar="N", help="seats where one more helps most"
    )
    fairness.set_defaults(run=cmd_fairness)

    check = commands.add_parser("verify", help="check a solution against its round")
    check.add_argument("round", type=Path)
    check.add_argument("solution", type=Path)
    check.set_defaults(run=cmd_verify)

    explain = commands.add_parser("explain", help="why a pupil got what it got")
    explain.add_argument("round", type=Path)
    explain.add_argument("solution", type=Path)
    explain.add_argument("--student", required=True, metavar="ID")
    explain.set_defaults(run=cmd_explain)

    timetables = commands.add_parser(
        "timetables", help="are the schools' elective timetables parallel?"
    )
    timetables.add_argument("round", type=Path)
    timetables.set_defaults(run=cmd_timetables)

    calendar = commands.add_parser(
        "calendar",
        help="a year calendar (iCalendar) of a company, school, class, teacher or pupil",
    )
    calendar.add_argument("round", type=Path)
    calendar.add_argument("solution", type=Path)
    party = calendar.add_mutually_exclusive_group(required=True)
    for kind in CALENDAR_PARTIES:
        party.add_argument(
            f"--{kind}", metavar="ID", help=f"the {kind}'s activities and placement days"
        )
    calendar.add_argument("-o", "--output", type=Path, help=".ics file (default: stdout)")
    calendar.set_defaults(run=cmd_calendar)

    demo = commands.add_parser("demo", help="run a built-in example region end to end")
    demo.add_argument(
        "--database",
        default=None,
        help="database URL (default: DATABASE_URL, else SQLite stagebureau-demo.db)",
    )
    demo.add_argument("--students", type=int, default=1500)
    demo.add_argument(
        "--schools", type=int, default=8, help="schools of the region (default 8, at most 35)"
    )
    demo.add_argument(
        "--scarce",
        action="store_true",
        help="the hard case: companies where the population is, not where the pupils need them",
    )
    demo.set_defaults(run=cmd_demo)

    from api.admin import add_commands  # serve and admin: the platform of SPEC section 7

    add_commands(commands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(f"stagebureau {args.command}: {error}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error of ours. Point stdout at devnull
        # so the interpreter's final flush does not raise the same error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED


if __name__ == "__main__":
    sys.exit(main())
