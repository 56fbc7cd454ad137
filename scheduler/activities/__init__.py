"""Problem B: excursions, guest lessons and teacher internships on the school-day calendar.

`search.solve_activities` is the entry; `candidates` prunes the dated candidates, `model` holds
the CP-SAT models and the greedy, `reasons` names what blocks each unplanned demand.
"""
