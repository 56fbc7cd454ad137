"""Problem D: event-day carrousels (SPEC section 9).

One event at a time (`problem`): which sessions each pupil gets is a min-cost flow (`flow`),
exact when every session runs every round, since such a choice always fits the rounds
(`layout`, a bipartite edge colouring); with sessions in only some rounds the flow is a proven
bound and CP-SAT (`model`) lays the day out. `reasons` says why a pupil got fewer than it asked
for, and `solve` writes the solution's section.
"""
