"""The `stagebureau` command line: solve, verify and explain, and bad input that exits 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rounds import company, placement, round_doc, school, student

from api.cli import main

EXAMPLE = round_doc(
    companies=[company("C1"), company("C2", 52.01, 5.0)],
    placements=[
        placement("PL1", "C1", {"P1": 1}, profiles=["PIE"]),
        placement("PL2", "C2", {"P1": 1}, profiles=["PIE"]),
    ],
    students=[
        student("st1", preferences=["PL1"], accept_unranked=False, priority=2),
        student("st2", preferences=["PL1"], accept_unranked=False),
        student("st3", profile="ZW"),
        student("st4"),
    ],
)


@pytest.fixture
def round_file(tmp_path: Path) -> Path:
    path = tmp_path / "round.json"
    path.write_text(json.dumps(EXAMPLE))
    return path


def run(*args: str) -> int:
    return main(list(args))


def test_solve_verify_explain(round_file: Path, tmp_path: Path, capsys):
    solution_file = tmp_path / "solution.json"
    assert run("solve", str(round_file), "-o", str(solution_file)) == 0
    solution = json.loads(solution_file.read_text())
    assert solution["format"] == "stagebureau.solution/1"
    assert {a["student"]: a["placement"] for a in solution["assignments"]} == {
        "st1": "PL1",
        "st4": "PL2",
    }
    assert {u["student"]: u["reason"] for u in solution["unassigned"]} == {
        "st2": "CAPACITY",
        "st3": "NO_ELIGIBLE",
    }
    assert run("verify", str(round_file), str(solution_file)) == 0
    assert "solution holds" in capsys.readouterr().out
    assert run("explain", str(round_file), str(solution_file), "--student", "st2") == 0
    out = capsys.readouterr().out
    assert "st2 is not placed: CAPACITY" in out
    assert "preference 1 PL1: full in P1 (1/1)" in out


def test_verify_prints_each_violation_and_exits_1(round_file: Path, tmp_path: Path, capsys):
    solution_file = tmp_path / "solution.json"
    run("solve", str(round_file), "-o", str(solution_file), "-q")
    solution = json.loads(solution_file.read_text())
    solution["assignments"][0]["cost"] += 1
    solution["assignments"].append(dict(solution["assignments"][0], student="st2"))
    solution["unassigned"] = [u for u in solution["unassigned"] if u["student"] != "st2"]
    solution_file.write_text(json.dumps(solution))
    assert run("verify", str(round_file), str(solution_file)) == 1
    out = capsys.readouterr().out
    assert "[objective] assignments[0] (st1): cost is" in out
    assert "[capacity] PL1/P1: 2 pupils, capacity 1" in out
    assert "[objective] objective.placed_priority: recomputed 4, reported 3" in out
    assert "[coverage]" not in out


def test_explain_unknown_pupil_exits_2(round_file: Path, tmp_path: Path, capsys):
    solution_file = tmp_path / "solution.json"
    run("solve", str(round_file), "-o", str(solution_file), "-q")
    assert run("explain", str(round_file), str(solution_file), "--student", "nobody") == 2
    assert "no pupil with id 'nobody'" in capsys.readouterr().err


BAD_ROUNDS = {
    "invalid JSON": ('{"format": "stagebureau.round/1", "students": [', "invalid JSON at line 1"),
    "missing field": (
        round_doc(placements=[{"id": "PL1", "company": "C1"}]),
        "placements[0] (id 'PL1'), field 'capacity': required field is missing",
    ),
    "mistyped field": (
        round_doc(students=[student(priority="high")]),
        "students[0] (id 'st1'), field 'priority': Input should be a valid integer",
    ),
    "unknown reference": (
        round_doc(students=[student(preferences=["PL9"])]),
        "students[0] (id 'st1'), field 'preferences[0]': unknown placement 'PL9'",
    ),
    "duplicate id": (
        round_doc(students=[student(), student()]),
        "students[1] (id 'st1'), field 'id': duplicate id, first used by students[0]",
    ),
    "negative capacity": (
        round_doc(placements=[placement(capacity={"P1": -2})]),
        "placements[0] (id 'PL1'), field 'capacity.P1': Input should be greater than or equal",
    ),
    "not an object": ("[1, 2]", "round: the document must be a JSON object"),
}


@pytest.mark.parametrize("case", BAD_ROUNDS)
def test_bad_input_exits_2_naming_record_and_field(case, tmp_path: Path, capsys):
    document, expected = BAD_ROUNDS[case]
    path = tmp_path / "round.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = tmp_path / "solution.json"
    assert run("solve", str(path), "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert not out.exists()


def test_missing_file_exits_2(tmp_path: Path, capsys):
    assert run("verify", str(tmp_path / "none.json"), str(tmp_path / "none.json")) == 2
    assert "cannot read" in capsys.readouterr().err


def test_installed_command_never_shows_a_traceback(tmp_path: Path):
    path = tmp_path / "round.json"
    path.write_text(json.dumps(round_doc(students=[student(year="three")])))
    command = Path(sys.executable).with_name("stagebureau")
    result = subprocess.run(
        [str(command), "solve", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode == 2
    assert "students[0] (id 'st1'), field 'year'" in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_covers_electives(tmp_path: Path, capsys):
    doc = round_doc(
        placements=[],
        students=[student("st1"), student("st2")],
        electives=[{"id": "E1", "school": "S1", "slot": "tue-pm", "capacity": 1}],
        elective_requests=[
            {"student": "st1", "choices": ["E1"]},
            {"student": "st2", "choices": ["E1"]},
        ],
    )
    round_file, solution_file = tmp_path / "round.json", tmp_path / "solution.json"
    round_file.write_text(json.dumps(doc))
    assert run("solve", str(round_file), "-o", str(solution_file), "-q") == 0
    assert run("verify", str(round_file), str(solution_file)) == 0
    capsys.readouterr()
    for pupil in ("st1", "st2"):
        assert run("explain", str(round_file), str(solution_file), "--student", pupil) == 0
    out = capsys.readouterr().out
    assert "asked for 1 elective(s) from E1 and got 1:" in out
    assert "asked for 1 elective(s) from E1 and got 0:" in out
    assert "1 short: CAPACITY" in out
    assert "is placed" not in out and "is not placed" not in out


def test_timetables_names_the_slot_to_move(tmp_path: Path, capsys):
    doc = round_doc(
        schools=[school("S1"), school("S2", lat=52.01)],
        placements=[],
        students=[student("st1"), student("st2", school="S2")],
        electives=[{"id": "E1", "school": "S1", "slot": "tue-pm", "capacity": 5}],
        elective_requests=[{"student": "st2", "choices": ["E1"]}],
        timetables={"S1": ["tue-pm"], "S2": ["thu-pm"]},
    )
    round_file = tmp_path / "round.json"
    round_file.write_text(json.dumps(doc))
    assert run("timetables", str(round_file)) == 0
    out = capsys.readouterr().out
    assert "S2: slots none; 0 elective(s); closed by its grid: E1" in out
    assert "E1 on tue-pm: 1 pupil(s) would gain; S2 (1)" in out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path):
    """`stagebureau timetables ROUND | head`: the pipe closes before the report is written."""
    round_file = tmp_path / "round.json"
    round_file.write_text(json.dumps(round_doc(placements=[], students=[student("st1")])))
    command = Path(sys.executable).with_name("stagebureau")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line
    with os.fdopen(writer, "wb") as stdout:
        result = subprocess.run(
            [str(command), "timetables", str(round_file)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.stderr == ""
    assert result.returncode == 141
