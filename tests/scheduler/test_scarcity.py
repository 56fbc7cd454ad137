"""One more seat: the shortest-path gains equal re-solving the round with the seat added."""

import dataclasses

from hypothesis import HealthCheck, given, settings
from rounds import company, placement, round_doc, student, tiny_rounds

from scheduler.domain import Round
from scheduler.placements.scarcity import one_more_seat
from scheduler.placements.solve import solve_placements
from scheduler.validation import parse_round

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_seat(round_: Round, placement_id: str, period: str, *, company_too: bool) -> Round:
    """The round with one more seat at (placement, period), and one more max_students."""
    old = round_.placements[placement_id]
    placements = dict(round_.placements)
    placements[placement_id] = dataclasses.replace(
        old, capacity={**old.capacity, period: old.capacity[period] + 1}
    )
    companies = dict(round_.companies)
    owner = companies[old.company]
    if company_too and owner.max_students is not None:
        companies[owner.id] = dataclasses.replace(owner, max_students=owner.max_students + 1)
    return dataclasses.replace(round_, placements=placements, companies=companies)


def gain(before, after) -> tuple[int, int]:
    return after.placed_priority - before.placed_priority, after.cost - before.cost


def test_a_full_wished_seat_places_the_pupil_left_out():
    round_ = parse_round(
        round_doc(
            placements=[placement("PL1"), placement("PL2", capacity={"P1": 0})],
            students=[student("a", priority=3), student("b", priority=3, preferences=["PL2"])],
        )
    )
    gains = one_more_seat(solve_placements(round_))
    # Both place b (priority 3); its first wish costs less than an unranked seat, so it leads.
    assert [(g.placement, g.period, g.placed_priority) for g in gains] == [
        ("PL2", "P1", 3),
        ("PL1", "P1", 3),
    ]
    assert gains[0].cost < gains[1].cost


def test_no_gain_where_seats_are_left():
    round_ = parse_round(round_doc(placements=[placement(capacity={"P1": 2})]))
    assert one_more_seat(solve_placements(round_)) == []


@SETTINGS
@given(tiny_rounds())
def test_gains_equal_a_re_solve_with_the_seat(doc):
    round_ = parse_round(doc)
    before = solve_placements(round_)
    found = {(g.placement, g.period): (g.placed_priority, g.cost) for g in one_more_seat(before)}
    for p in round_.placements.values():
        for period in p.capacity:
            seat_only = gain(
                before, solve_placements(with_seat(round_, p.id, period, company_too=False))
            )
            both = gain(before, solve_placements(with_seat(round_, p.id, period, company_too=True)))
            mine = found.get((p.id, period), (0, 0))
            if round_.companies[p.company].max_students is None:
                assert mine == seat_only == both
            else:
                # The extra pupil may pass the company's limit, but only at this seat.
                assert (seat_only[0], -seat_only[1]) <= (mine[0], -mine[1]) <= (both[0], -both[1])


def test_a_seat_at_a_company_at_its_limit_lends_a_place_there_too():
    round_ = parse_round(
        round_doc(
            companies=[company(max_students=1)],
            placements=[placement("PL1"), placement("PL2")],
            students=[student("a"), student("b")],
        )
    )
    gains = one_more_seat(solve_placements(round_))
    assert {(g.placement, g.placed_priority) for g in gains} == {("PL1", 1), ("PL2", 1)}
