"""Messages as a key with parameters, put into words only when someone reads them.

The solver's reasons (`scheduler.placements.reasons`, `scheduler.electives.network`,
`scheduler.events.reasons`, `scheduler.activities.reasons`) say why as `Said` values; the
solution document's English `detail` is `render(said, ENGLISH)` of the same value, and a page
renders it with its own catalog (`api.web.stories`). One derivation, so the words in every
language say the same thing. `to_json`/`from_json` carry a `Said` through a JSON column (the
platform's version index).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scheduler.contract.round import ACTIVITY_KINDS, MODES

DETAIL_LIMIT = 5  # items a detail names before "and N more"

# Keys whose Said joins its `items` by a fixed separator instead of words (not in catalogs:
# a separator is no translation).
JOINS = {"join.semicolon": "; "}


@dataclass(frozen=True)
class Said:
    """One message: `key` names its words, `params` fill them; a param may itself be a `Said`
    (or a list of them, joined with ", ")."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


def said(key: str, **params: Any) -> Said:
    return Said(key, params)


def listed(items: Sequence[Any], limit: int = DETAIL_LIMIT, join: str = "") -> Any:
    """The first `limit` items (joined by `join`'s separator, else ", "), then "and N more"."""
    shown: Any = list(items[:limit])
    if join:
        shown = said(join, items=shown)
    return (
        said("detail.more", items=shown, more=len(items) - limit) if len(items) > limit else shown
    )


def render(line: Any, words: Mapping[str, str]) -> str:
    """`line` in the language of `words` (key -> format string); an unknown key shows itself."""
    kind = type(line)
    if kind is str:  # the common leaf first: a solve renders thousands of details
        return line
    if kind is Said:
        if line.key in JOINS:
            return JOINS[line.key].join(render(item, words) for item in line.params["items"])
        params = {k: v if type(v) is str else render(v, words) for k, v in line.params.items()}
        return words.get(line.key, line.key).format_map(params)
    if kind is list:
        return ", ".join(render(item, words) for item in line)
    return str(line)


def to_json(value: Any) -> Any:
    """`value` as plain JSON: a `Said` becomes {"key", "params"}."""
    if isinstance(value, Said):
        return {"key": value.key, "params": {k: to_json(v) for k, v in value.params.items()}}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(value: Any) -> Any:
    """The inverse of `to_json`."""
    if isinstance(value, dict):
        return Said(str(value["key"]), {k: from_json(v) for k, v in value["params"].items()})
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


# The English of every detail key: the solution document's `detail` and the command line.
ENGLISH: dict[str, str] = {
    "detail.more": "{items} and {more} more",
    "detail.none": "none",
    "detail.noted": "{name} ({note})",
    "detail.use": "{used}/{capacity}",
    # placements (SPEC 3)
    "detail.capacity": "every reachable eligible placement is taken: {slots}",
    "detail.slot_full": "{slot} full ({capacity})",
    "detail.slot_crowded": "{slot}: {company} at max_concurrent {limit} on {day}",
    "detail.slot_max_students": "{slot}: {company} at max_students {limit}",
    "detail.constraint": "room at {slots} but {rule} blocked it",
    "detail.together": "together with {other}",
    "detail.apart": "apart from {other}",
    "detail.min_students": "min_students of the placements with room",
    "detail.all_excluded": "every eligible placement is excluded for the pupil "
    "(excluded: {excluded})",
    "detail.no_eligible": "no placement admits profile {profile}, track {track}, year {year} "
    "in period(s) {periods}{excluded}",
    "detail.but_excluded": " but those it excludes ({excluded})",
    "detail.too_far": "placements admit the pupil, but none within {minutes} min by {mode}",
    "detail.only_preferences": "reachable placements admit the pupil, but it accepts only its "
    "preferences ({preferences})",
    "detail.no_preferences": "reachable placements admit the pupil, but it accepts only its "
    "preferences and listed none",
    "detail.declined": "{company} declined the pupil",
    # electives (SPEC 5)
    "detail.elective_no_choices": "the request lists no choices",
    "detail.elective_no_admits": "none of {electives} admits profile {profile}",
    "detail.elective_too_far": "every choice that admits the pupil is beyond {minutes} min "
    "by {mode} from {school}: {electives}",
    "detail.elective_far": "{school}, {minutes} min",
    "detail.elective_timetable": "{school} frees {slots} for electives; the reachable "
    "choices are in other slots: {electives}",
    "detail.elective_no_slot": "no slot",
    "detail.elective_clash": "its eligible choices ({electives}) fall in {count} slot(s) "
    "({slots}), each already taken by one of its electives; it asked for {asked}",
    "detail.elective_full": "every eligible choice in a free slot is full: {electives}",
    # event days (SPEC 9)
    "detail.event_no_admits": "none of {sessions} admits profile {profile}",
    "detail.event_too_few": "it listed {choices} choice(s) for a count of {count}",
    "detail.event_all_rounds": "all {rounds} rounds of {event} are filled",
    "detail.event_rounds": "rounds {free} are free, but {sessions} run only in rounds it fills",
    "detail.event_rounds_note": "rounds {rounds}",
    "detail.event_sectors": "{sessions} share a first sector with a session it has",
    "detail.event_full": "every seat is taken in rounds {free} (free for it): {sessions}",
    # class and teacher shortfalls (SPEC 4)
    "detail.activity_no_offer": "{offers} {kind} offer(s), none admits this "
    "{what}{size}{sectors}{declined}",
    "detail.activity_class": "class",
    "detail.activity_teacher": "teacher",
    "detail.activity_size": " (size {size}, profile {profile})",
    "detail.activity_sectors": " (sectors {sectors})",
    "detail.activity_declined": "; declined at {offers}",
    "detail.activity_too_far": "{offers} {kind} offer(s) admit it, the nearest {minutes} min "
    "away, beyond each offer's max_travel_min",
    "detail.activity_no_escort": "{offers} {kind} offer(s) share a daypart with the class, but "
    "on none are {escorts} teacher(s) of its school free who may escort",
    "detail.activity_no_daypart": "{offers} reachable {kind} offer(s), none available on a "
    "school daypart the requester is free ({free})",
    "detail.activity_no_free": "no free dayparts",
    "detail.activity_where": "{candidates} candidate dayparts at {offers} offer(s)",
    "detail.activity_each": "{where}, each {what}",
    "detail.activity_combined": "{where}: {counts}",
    "detail.activity_blocked": "{count} {what}",
    "detail.blocks.GAP": "too close to the requester's own activities",
    "detail.blocks.SECTORS": "at a first sector the class already visits",
    "detail.blocks.HOURS_EXHAUSTED": "over the company's hours that month",
    "detail.blocks.OFFER_FULL": "the offer is taken then or full that month",
    "detail.blocks.NO_ESCORT": "the school's escorts are taken then",
    **{f"detail.kind.{kind}": kind for kind in ACTIVITY_KINDS},
    **{f"mode.{mode}": mode for mode in MODES},
}
