"""Each peer adapter on the hand-made tiny round, through the runner's own process harness.

Peers run in a child process as in the benchmark (HiGHS cannot share a process with OR-Tools);
a peer whose package (the optional `bench` dependencies) or Java is missing is skipped.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.peers import PEERS
from scheduler.fairness import justified_envy
from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.flow import objective
from scheduler.placements.result import PlacementResult
from scheduler.placements.solve import solve_placements
from scheduler.solve import merge_sections, placement_section
from scheduler.validation import parse_round
from scheduler.verify import verify

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "fixtures" / "examples" / "tiny.json"
EXACT = {"HiGHS MIP", "CBC MIP", "CP-SAT", "Timefold"}


def run_solver(name: str, tmp_path: Path) -> dict:
    """The solution document of solver `name` on the tiny round, and the round."""
    chosen = tmp_path / "chosen.json"
    command = [sys.executable, "-m", "benchmarks.peers.solve", name, str(TINY), str(chosen)]
    subprocess.run(
        [*command, "--time-limit", "1"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    record = json.loads(chosen.read_text())
    round_ = parse_round(json.loads(TINY.read_text()))
    pairs = eligible_pairs(round_)
    picked = np.array(record["chosen"], dtype=np.int64)
    placed, cost = objective(pairs, picked, np.array([s.priority for s in pairs.students]))
    status = "OPTIMAL" if record["optimal"] else "FEASIBLE"
    result = PlacementResult(pairs, picked, status, placed, cost, None, name, 0)
    return merge_sections(round_.name, [placement_section(round_, result)])


@pytest.mark.parametrize("name", list(PEERS))
def test_peer_answers_the_tiny_round_and_verifies(name, tmp_path):
    module = PEERS[name][1]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e '.[bench]'")
    if name == "Timefold" and shutil.which("java") is None:
        pytest.skip("Timefold needs a Java 17 runtime on PATH")
    round_ = parse_round(json.loads(TINY.read_text()))
    solution = run_solver(name, tmp_path)
    assert verify(round_, solution) == []
    if name in EXACT:
        ours = solve_placements(round_)
        assert solution["objective"]["placed_priority"] == ours.placed_priority
        assert solution["objective"]["cost"] == ours.cost
    else:  # deferred acceptance: stable, so no justified envy
        assert list(justified_envy(round_, solution)) == []
