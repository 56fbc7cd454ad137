"""A hypothesis strategy for tiny event days (SPEC section 9), and their brute-force optimum."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st
from rounds import round_doc, school, student

from scheduler.domain import Round

SECTORS = ("ict", "bouw", "zorgtech")


@st.composite
def tiny_event_rounds(draw: st.DrawFn, every_round: bool) -> dict:
    """Rounds small enough to brute-force, dense enough to make every rule and reason bite.

    `every_round`: every session runs in every round (the exact case); else sessions often run
    in only some rounds (the bounded case, solved by CP-SAT).
    """
    events = []
    sessions: list[dict] = []
    for e in range(draw(st.integers(1, 2))):
        rounds = draw(st.integers(1, 3))
        events.append({"id": f"EV{e}", "name": f"Dag {e}", "date": "2027-04-14", "rounds": rounds})
        for _ in range(draw(st.integers(1, 4))):
            session = {
                "id": f"SE{len(sessions)}",
                "event": f"EV{e}",
                "company": "C1",
                "capacity": draw(st.sampled_from([0, 1, 1, 2])),
                "sectors": draw(st.lists(st.sampled_from(SECTORS), max_size=2, unique=True)),
                "profiles": draw(st.sampled_from([[], [], ["PIE"], ["BWI", "PIE"]])),
            }
            if not every_round and draw(st.booleans()):
                session["rounds"] = draw(
                    st.lists(st.integers(1, rounds), min_size=1, max_size=rounds, unique=True)
                )
            sessions.append(session)
    students = [
        student(f"st{i}", profile=draw(st.sampled_from(["PIE", "BWI"])))
        for i in range(draw(st.integers(1, 3)))
    ]
    requests = []
    for s in students:
        for event in events:
            own = [x["id"] for x in sessions if x["event"] == event["id"]]
            if draw(st.booleans()) or (s is students[0] and event is events[0]):
                requests.append(
                    {
                        "student": s["id"],
                        "event": event["id"],
                        "choices": draw(
                            st.lists(st.sampled_from(own), min_size=1, max_size=3, unique=True)
                        ),
                        "count": draw(st.sampled_from([0, 1, 2, 2, 3, 3])),
                        "distinct_sectors": draw(st.booleans()),
                    }
                )
    return round_doc(
        [school()], None, [], students, events=events, sessions=sessions, event_requests=requests
    )


def brute_force_events(round_: Round) -> tuple[int, int]:
    """(most sessions granted, least rank sum at it) over every feasible plan: the SPEC."""
    granted = rank_sum = 0
    for event in round_.events.values():
        options = []
        for request in round_.event_requests:
            if request.event != event.id:
                continue
            profile = round_.students[request.student].profile
            admitting = [
                (round_.sessions[c], rank)
                for rank, c in enumerate(request.choices, start=1)
                if round_.sessions[c].admits(profile)
            ]
            mine = []
            for size in range(min(request.count, len(admitting), event.rounds) + 1):
                for subset in itertools.combinations(admitting, size):
                    firsts = [s.first_sector for s, _ in subset if s.first_sector]
                    if request.distinct_sectors and len(set(firsts)) < len(firsts):
                        continue
                    for rounds in itertools.permutations(range(1, event.rounds + 1), size):
                        plan = [(s, r, t) for (s, r), t in zip(subset, rounds, strict=True)]
                        if all(t in s.rounds for s, _, t in plan):
                            mine.append(plan)
            options.append(mine)
        best = (0, 0)
        for combo in itertools.product(*options):
            plan = [g for grants in combo for g in grants]
            use: dict[tuple[str, int], int] = {}
            for s, _, t in plan:
                use[(s.id, t)] = use.get((s.id, t), 0) + 1
            if any(n > round_.sessions[s].capacity for (s, _), n in use.items()):
                continue
            value = (len(plan), sum(r - 1 for _, r, _ in plan))
            if (value[0], -value[1]) > (best[0], -best[1]):
                best = value
        granted += best[0]
        rank_sum += best[1]
    return granted, rank_sum
