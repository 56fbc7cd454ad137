"""Problem A: pupils to company placements (SPEC section 3, and section 8's exclusions).

`solve.solve_placements` is the entry: the exact min-cost flow of `flow` when the round has no
side rules, CP-SAT over the same eligible pairs (`side_rules`) when it does; `concurrency`
turns companies' `max_concurrent` (SPEC 8) into day sets, flow nodes where they are laminar and
MIP rows where not; `steer` resolves
pins and an earlier proposal, `reasons` says why each unplaced pupil stayed unplaced. `envy`,
`fairness`, `scarcity` and `national` build on the same pairs.
"""
