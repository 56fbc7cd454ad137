"""The solver core: round validation, travel, the placement/activity/elective problems, verify.

Pure Python and OR-Tools: no database, no HTTP, no environment or files of its own.
"""
