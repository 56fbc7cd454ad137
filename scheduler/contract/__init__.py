"""The documents stagebureau reads and writes (SPEC sections 3-9), and their vocabularies.

Everything an outside party can see lives here once: the round document's shapes, the codes it
may use (profiles, tracks, activity kinds, dayparts), its defaults and format ids, and the reason
codes a solution gives. Solvers, `verify`, the platform and its pages import them from here.
"""
