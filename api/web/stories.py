"""The solver's reasons and a pupil's story in the page's language.

The solution document names each reason by its code; its `detail` is English prose for the
command line. Pages render the same detail from its structured form instead (`Said`, a key with
parameters, the scheduler's one derivation: `scheduler.explain.placement_details`,
`shortfall_details`), and a story
from `scheduler.explain.story`'s keyed lines, both through the catalogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from scheduler.domain import Round
from scheduler.explain import Details, render, shortfall_details, story
from scheduler.said import from_json


class Words(Mapping[str, str]):
    """The catalog behind `t` as the key -> words mapping `scheduler.said.render` reads."""

    def __init__(self, t: Callable[[str], str]) -> None:
        self.t = t

    def __getitem__(self, key: str) -> str:
        words = self.t(key)
        if words == key:
            raise KeyError(key)
        return words

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def said_text(t: Callable[[str], str]) -> Callable[[Any], str]:
    """A stored detail (`scheduler.said.to_json`, as the version index keeps it) in `t`'s
    language; no detail is ""."""
    words = Words(t)

    def text(stored: Any) -> str:
        return render(from_json(stored), words) if stored else ""

    return text


def pupil_story(
    round_: Round,
    solution: Mapping[str, Any],
    student: str,
    t: Callable[[str], str],
    placement_said: Any = None,
) -> list[str]:
    """The lines of `stagebureau explain` for one pupil, in `t`'s language. The placement's
    detail is the version index's (`placement_said`, stored JSON); the elective and event
    details are re-derived here, those problems being small."""
    found = shortfall_details(round_, solution)
    placements = {student: from_json(placement_said)} if placement_said else {}
    details = Details(placements=placements, electives=found.electives, events=found.events)
    words = Words(t)
    return [render(line, words) for line in story(round_, solution, student, details)]


PAIR_KEYS = ("detail.together", "detail.apart")


def pairs_named(stored: Any) -> set[str]:
    """The pupils a stored detail names as the other member of a together or apart rule."""
    if isinstance(stored, list):
        return set().union(*map(pairs_named, stored)) if stored else set()
    if not isinstance(stored, dict):
        return set()
    found = {str(stored["params"]["other"])} if stored.get("key") in PAIR_KEYS else set()
    return found.union(*map(pairs_named, stored.get("params", {}).values()))


def without_others(stored: Any, own: set[str]) -> Any:
    """A stored detail as a school may read it: a rule's other member from another school is
    "a pupil of another school", not its code (pupils are minors: a school sees its own)."""
    if isinstance(stored, list):
        return [without_others(v, own) for v in stored]
    if not isinstance(stored, dict):
        return stored
    params = {k: without_others(v, own) for k, v in stored.get("params", {}).items()}
    if stored.get("key") in PAIR_KEYS and str(params.get("other")) not in own:
        params["other"] = {"key": "detail.other_school", "params": {}}
    return {**stored, "params": params}
