"""One pupil's pin choices without parsing the round's every placement (issue 14): the
placements `api.services.round_pages.PlacementOffer.pupil_round` leaves out could never be
eligible, so the choices equal those the whole round gives that pupil."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from api.services.round_pages import PlacementOffer
from fixtures.region import generate_region
from scheduler.placements.eligibility import EligiblePairs, eligible_pairs
from scheduler.validation import parse_round

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def triples(pairs: EligiblePairs, student: str) -> set[tuple[Any, ...]]:
    """(placement, period, rank, minutes, seats) of every eligible triple of `student`."""
    return {
        (
            pairs.placements[pairs.placement[i]].id,
            pairs.periods[pairs.period[i]],
            int(pairs.rank[i]),
            int(pairs.minutes[i]),
            int(pairs.capacity[pairs.placement[i], pairs.period[i]]),
        )
        for i in range(len(pairs))
        if pairs.students[pairs.student[i]].id == student
    }


def assert_same_choices(document: dict[str, Any]) -> int:
    """Every pupil's triples from its own small round equal the whole round's; how many
    triples were compared."""
    whole = eligible_pairs(parse_round(document))
    offer = PlacementOffer({k: v for k, v in document.items() if k != "students"})
    compared = 0
    for record in document["students"]:
        own = triples(eligible_pairs(offer.pupil_round(record)), record["id"])
        assert own == triples(whole, record["id"]), record["id"]
        compared += len(own)
    return compared


def test_a_generated_region_gives_every_pupil_the_choices_of_the_whole_round():
    document = generate_region(students=300, schools=3, seed=2)
    assert assert_same_choices(document) > 300


def test_wishes_exclusions_and_travel_figures_are_kept():
    """Wishes of far placements, excluded companies and a travel_matrix figure that brings a
    far company within reach: the small round still gives what the whole one gives."""
    document = generate_region(students=120, schools=2, seed=5)
    far = max(document["companies"], key=lambda c: c["lat"])
    near = [p for p in document["placements"] if p["company"] != far["id"]]
    far_placement = next(p for p in document["placements"] if p["company"] == far["id"])
    pupils = document["students"]
    pupils[0]["preferences"] = [far_placement["id"], near[0]["id"]]
    pupils[1]["excluded"] = [near[0]["company"], near[1]["id"]]
    pupils[2]["accept_unranked"] = False
    pupils[2]["preferences"] = [near[2]["id"]]
    far_placement["profiles"] = []  # open to every profile, so the figure below makes it count
    document["travel_matrix"] = {pupils[3]["id"]: {far["id"]: 5},
                                 pupils[4]["school"]: {far["id"]: 7}}  # fmt: skip
    assert assert_same_choices(document) > 0
    offer = PlacementOffer({k: v for k, v in document.items() if k != "students"})
    small = offer.pupil_round(pupils[3])
    assert far_placement["id"] in small.placements
    assert len(small.placements) < len(document["placements"]) / 2


@pytest.mark.parametrize("name", ["tiny.json", "twente-small.json", "side-constraints.json"])
def test_the_example_rounds_give_the_same_choices(name):
    document = json.loads((EXAMPLES / name).read_text())
    assert_same_choices(copy.deepcopy(document))
