"""The one-more-seat advice of a solution version: the seats where one more would help most
(`scheduler.fairness.seat_gains`), in the form the round page keeps it
(`VersionDashboard.advice`). Counting it re-solves the version's placements, some 10 s at
20,000 pupils, so it runs as a job (`api.jobs.execute_advice`), never inside a request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scheduler.fairness import seat_gains
from scheduler.validation import parse_round

ADVICE_SEATS = 10
# The phases a running advice reports, in order: the page names each in the bureau's language.
PHASES = ("reading the round", "one more seat")


def advice_of(
    document: Mapping[str, Any], *, time_limit: float, progress: Callable[[str], None]
) -> dict[str, Any]:
    """The advice of a round document: whether the gains are the flow relaxation's (a round with
    side rules) and the best seats. The placement solve is an exact flow (a round with side
    rules gets its flow relaxation), so the same version always gives the same advice."""
    progress(PHASES[0])
    round_ = parse_round(dict(document))
    progress(PHASES[1])
    gains, relaxed = seat_gains(round_, top=ADVICE_SEATS, time_limit=time_limit)
    return {
        "relaxed": relaxed,
        "seats": [
            {"placement": g.placement, "company": g.company, "period": g.period,
             "more": 1 if g.placed_priority else 0, "cost": int(g.cost),
             "capacity": int(g.capacity)}
            for g in gains
        ],
    }  # fmt: skip
