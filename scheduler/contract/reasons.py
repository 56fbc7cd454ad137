"""Why a demand was not met: the reason codes of a solution document (SPEC sections 3-5).

One enum per problem. Members are strings, so they are written to JSON and compared with what a
stored document holds as the plain codes; a new reason is one line here.
"""

from __future__ import annotations

from enum import StrEnum


class PlacementReason(StrEnum):
    """Why a pupil stayed unplaced (SPEC section 3, and section 8 for exclusions)."""

    NO_ELIGIBLE = "NO_ELIGIBLE"
    TOO_FAR = "TOO_FAR"
    NOT_PREFERRED = "NOT_PREFERRED"
    CAPACITY = "CAPACITY"
    CONSTRAINT = "CONSTRAINT"


class ActivityReason(StrEnum):
    """Why a class or teacher is short of an activity it asked for (SPEC section 4)."""

    NO_OFFER = "NO_OFFER"
    TOO_FAR = "TOO_FAR"
    NO_COMMON_DAYPART = "NO_COMMON_DAYPART"
    GAP = "GAP"
    SECTORS = "SECTORS"
    HOURS_EXHAUSTED = "HOURS_EXHAUSTED"
    OFFER_FULL = "OFFER_FULL"
    COMBINED = "COMBINED"


# Rules that can block a candidate the plan could otherwise take; when one blocks them all it is
# named, else COMBINED.
BLOCKING_RULES = (
    ActivityReason.GAP,
    ActivityReason.SECTORS,
    ActivityReason.HOURS_EXHAUSTED,
    ActivityReason.OFFER_FULL,
)


class ElectiveReason(StrEnum):
    """Why a pupil got fewer electives than it asked for (SPEC section 5)."""

    NO_CHOICE_ADMITS = "NO_CHOICE_ADMITS"
    TOO_FAR = "TOO_FAR"
    NOT_IN_TIMETABLE = "NOT_IN_TIMETABLE"
    SLOT_CLASH = "SLOT_CLASH"
    CAPACITY = "CAPACITY"


class EventReason(StrEnum):
    """Why a pupil got fewer sessions of an event than it asked for (SPEC section 9); the first
    that holds for one more session, in this order (`scheduler.events.reasons`)."""

    NO_CHOICE_ADMITS = "NO_CHOICE_ADMITS"
    ROUNDS = "ROUNDS"
    SECTORS = "SECTORS"
    CAPACITY = "CAPACITY"
