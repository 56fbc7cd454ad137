"""Peer solvers side by side with stagebureau on the same placement rounds (issue 6).

One module per peer, each with `solve(problem, time_limit) -> Answer` over the shared
`common.Problem`; `solve.py` runs one of them in its own process and writes the pairs it chose;
`__main__.py` runs them all, turns each answer into a SPEC solution, verifies it with
`stagebureau verify`, and writes the table and charts of benchmarks/README.md (`report.py`).
"""

# Name in the table -> (module, the package it needs, why it is in the comparison).
PEERS: dict[str, tuple[str, str, str]] = {
    "deferred acceptance": (
        "benchmarks.peers.deferred_acceptance",
        "matching",
        "student-proposing DA (matching.StudentAllocation), priority then a seeded lottery",
    ),
    "HiGHS MIP": ("benchmarks.peers.highs", "highspy", "the same objective as a MIP on HiGHS"),
    "CBC MIP": ("benchmarks.peers.cbc", "pulp", "the same MIP through PuLP on CBC"),
    "CP-SAT": ("benchmarks.peers.cp_sat", "ortools", "a plain CP-SAT model of the objective"),
    "Timefold": (
        "benchmarks.peers.timefold_solver",
        "timefold",
        "Timefold Solver (Java 17) with the same constraints as hard/medium/soft score",
    ),
}
