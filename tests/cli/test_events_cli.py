"""`stagebureau solve/verify/explain` on event days (SPEC section 9)."""

import json
from pathlib import Path

from api.cli import main
from fixtures.__main__ import EXAMPLES_DIR

EXAMPLE = EXAMPLES_DIR / "event-day-small.json"


def test_event_day_round_trip(tmp_path: Path, capsys):
    solution_file = tmp_path / "solution.json"
    assert main(["solve", str(EXAMPLE), "-o", str(solution_file), "--deterministic"]) == 0
    solution = json.loads(solution_file.read_text())
    assert solution["status"] == "OPTIMAL"
    assert solution["objective"]["event_sessions_granted"] == len(solution["event_sessions"]) > 0
    assert main(["verify", str(EXAMPLE), str(solution_file)]) == 0
    short = solution["event_unassigned"][0]
    capsys.readouterr()
    assert main(["explain", str(EXAMPLE), str(solution_file), "--student", short["student"]]) == 0
    story = capsys.readouterr().out
    assert "round 1:" in story and f"{short['missing']} short: {short['reason']}" in story


def test_a_broken_event_session_is_caught_by_verify(tmp_path: Path, capsys):
    solution_file = tmp_path / "solution.json"
    assert main(["solve", str(EXAMPLE), "-o", str(solution_file), "--deterministic"]) == 0
    solution = json.loads(solution_file.read_text())
    first = solution["event_sessions"][0]
    solution["event_sessions"].append({**first, "round": first["round"]})  # the same seat twice
    solution_file.write_text(json.dumps(solution))
    capsys.readouterr()
    assert main(["verify", str(EXAMPLE), str(solution_file)]) == 1
    out = capsys.readouterr().out
    assert "[once]" in out and "[objective] event_sessions_granted" in out


def test_unknown_session_exits_2_naming_record_and_field(tmp_path: Path, capsys):
    document = json.loads(EXAMPLE.read_text())
    document["event_requests"][4]["choices"][0] = "SE9999"
    round_file = tmp_path / "round.json"
    round_file.write_text(json.dumps(document))
    assert main(["solve", str(round_file), "-o", str(tmp_path / "s.json")]) == 2
    student = document["event_requests"][4]["student"]
    assert (
        f"event_requests[4] (student '{student}'), field 'choices[0]': unknown session 'SE9999'"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "s.json").exists()
