"""The national split: components share nothing, and the merged optimum is one flow's."""

import pytest
from hypothesis import HealthCheck, given, settings
from rounds import KM, company, placement, round_doc, school, student, tiny_rounds

from scheduler.placements.eligibility import eligible_pairs
from scheduler.placements.national import components, solve_split
from scheduler.placements.solve import solve_placements
from scheduler.solve import merge_sections, placement_section
from scheduler.validation import parse_round
from scheduler.verify import verify

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def two_towns_round() -> dict:
    """Two towns 100 km apart, each with its school, company and pupils; one far-off pupil."""
    far = 100 * KM
    return round_doc(
        schools=[school("S1"), school("S2", lat=52.0 + far)],
        companies=[company("C1"), company("C2", lat=52.0 + far)],
        placements=[
            placement("PL1", "C1", capacity={"P1": 1}),
            placement("PL2", "C2", capacity={"P1": 2}),
        ],
        students=[
            student("a"),
            student("b", priority=2),
            student("c", school="S2"),
            student("d", school="S2"),
            student("e", school="S2", home={"lat": 52.0 + 3 * far, "lon": 5.0}),
        ],
    )


def test_two_towns_are_two_components_and_a_pupil_out_of_reach_is_none():
    found = components(eligible_pairs(parse_round(two_towns_round())))
    assert found.of_pupil.tolist() == [0, 0, 1, 1, -1]
    assert found.largest_share == 0.5


@pytest.mark.parametrize("workers", [1, 2])
def test_split_solve_equals_one_flow(workers):
    round_ = parse_round(two_towns_round())
    split = solve_split(round_, workers=workers)
    whole = solve_placements(round_)
    assert (split.placed_priority, split.cost) == (whole.placed_priority, whole.cost) == (4, 450)
    solution = merge_sections(round_.name, [placement_section(round_, split)])
    assert verify(round_, solution) == []


def test_side_rules_are_not_split():
    doc = two_towns_round() | {"together": [["c", "d"]]}
    with pytest.raises(ValueError, match="not split"):
        solve_split(parse_round(doc))


@SETTINGS
@given(tiny_rounds())
def test_split_optimum_is_the_flow_optimum(doc):
    round_ = parse_round(doc)
    split = solve_split(round_, workers=1)
    whole = solve_placements(round_)
    assert (split.placed_priority, split.cost) == (whole.placed_priority, whole.cost)
    assert verify(round_, merge_sections(round_.name, [placement_section(round_, split)])) == []
