"""Lay a choice of sessions out over the rounds of an event day.

When every session runs every round, a choice in which each pupil has at most `rounds` sessions
and each session at most `capacity x rounds` pupils always fits: split each session into
`capacity` seats, dealing its pupils round-robin so that no seat has more than `rounds`; pupils
and seats form a bipartite graph of maximum degree `rounds`, whose edges König's theorem colours
with `rounds` colours. A colour is a round: a pupil sees one session per round and a seat holds
one pupil per round. The colouring is the alternating-path (Kempe chain) proof made an algorithm.

With sessions in only some rounds that need not hold; `lay_out_greedily` then places the most
constrained sessions first and leaves what does not fit to `Plan.fill` and CP-SAT.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.events.plan import Plan
from scheduler.events.problem import EventProblem


def colour_rounds(problem: EventProblem, chosen: tuple[int, ...]) -> Plan:
    """The plan that grants exactly `chosen`, which every-round sessions always allow."""
    rounds = problem.event.rounds
    seats: dict[tuple[int, int], int] = {}  # (session, seat) -> right vertex
    dealt: defaultdict[int, int] = defaultdict(int)
    edges: list[tuple[int, int, int]] = []  # (candidate, pupil, seat vertex)
    for k in chosen:
        c = problem.candidates[k]
        capacity = problem.sessions[c.session].capacity
        key = (c.session, dealt[c.session] % capacity)
        dealt[c.session] += 1
        vertex = seats.setdefault(key, len(seats))
        edges.append((k, c.request, vertex))
    colours = bipartite_edge_colouring(
        len(problem.requests), len(seats), [(u, v) for _, u, v in edges], rounds
    )
    plan = Plan(problem)
    for (k, _, _), colour in zip(edges, colours, strict=True):
        plan.add(k, colour + 1)
    return plan


def bipartite_edge_colouring(
    left: int, right: int, edges: list[tuple[int, int]], colours: int
) -> list[int]:
    """A colour in 0..colours-1 per edge, no two edges at a vertex alike; needs a simple graph
    of maximum degree at most `colours` (König), else raises ValueError."""
    at_left = [[-1] * colours for _ in range(left)]  # colour -> right neighbour
    at_right = [[-1] * colours for _ in range(right)]  # colour -> left neighbour
    for u, v in edges:
        a = _free(at_left[u], u, "left")
        b = _free(at_right[v], v, "right")
        if at_right[v][a] != -1:
            # Swap colours a and b along the a/b path from v; it cannot reach u (a is free at
            # u and the graph is bipartite), and afterwards a is free at v too.
            path: list[tuple[int, int, int]] = []
            x = v
            while True:
                y = at_right[x][a]
                if y == -1:
                    break
                path.append((y, x, a))
                z = at_left[y][b]
                if z == -1:
                    break
                path.append((y, z, b))
                x = z
            for y, x, c in path:
                at_left[y][c] = -1
                at_right[x][c] = -1
            for y, x, c in path:
                other = b if c == a else a
                at_left[y][other] = x
                at_right[x][other] = y
        at_left[u][a] = v
        at_right[v][a] = u
    colour_of: dict[tuple[int, int], int] = {}
    for u, row in enumerate(at_left):
        for c, v in enumerate(row):
            if v != -1:
                colour_of[(u, v)] = c
    return [colour_of[edge] for edge in edges]


def _free(row: list[int], vertex: int, side: str) -> int:
    for colour, neighbour in enumerate(row):
        if neighbour == -1:
            return colour
    raise ValueError(f"{side} vertex {vertex} has more edges than colours")


def lay_out_greedily(problem: EventProblem, chosen: tuple[int, ...]) -> Plan:
    """Place `chosen` session by session, those running in fewest rounds first, each pupil in
    the round of that session with the most seats left; what does not fit stays out."""
    plan = Plan(problem)

    def constraint(k: int) -> tuple[int, int, int]:
        c = problem.candidates[k]
        return (len(problem.sessions[c.session].rounds), c.session, c.request)

    for k in sorted(chosen, key=constraint):
        c = problem.candidates[k]
        session = problem.sessions[c.session]
        open_rounds = [t for t in session.rounds if plan.fits(k, t)]
        if open_rounds:
            plan.add(k, min(open_rounds, key=lambda t: (plan.use[(c.session, t)], t)))
    return plan
