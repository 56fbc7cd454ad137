"""The solution document of SPEC sections 3-9: its format id.

A solution is one JSON object with a section per problem the round holds (assignments and
unassigned, activities and unplanned, electives and elective_unassigned), one objective and one
status; `scheduler.solve.solve_round` writes it and `scheduler.verify` checks it.
"""

SOLUTION_FORMAT = "stagebureau.solution/1"
