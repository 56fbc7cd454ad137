"""The solver's reasons and a pupil's story in the page's language.

The solution document names each reason by its code; its `detail` is English prose for the
command line. Pages render a detail from the code and the pupil's record in the round instead,
and a story from `scheduler.explain.story`'s keyed lines, both through the catalogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from scheduler.domain import Round, Student
from scheduler.explain import Said, render, said, story
from scheduler.placements.reasons import admitting_placements
from scheduler.travel import student_travel_minutes

DETAIL_LIMIT = 5  # placements named in a CAPACITY detail before "and N more"


class Words(Mapping[str, str]):
    """The catalog behind `t` as the key -> words mapping `scheduler.explain.render` reads."""

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


def placement_detail(round_: Round, entry: Mapping[str, Any]) -> Said | str:
    """Why the pupil of an `unassigned` entry stayed unplaced, from its reason code and its
    record in the round (as `scheduler.placements.reasons` found it)."""
    code = entry.get("reason")
    if code == "DECLINED":
        return str(entry.get("detail", ""))  # the name of the company that declined
    student = round_.students.get(str(entry.get("student")))
    if student is None:
        return ""
    admitting = admitting_placements(round_, student)
    allowed = [p for p in admitting if not student.excludes(p)]
    mode = said(f"mode.{student.mode}")
    if code == "NO_ELIGIBLE":
        if admitting and not allowed:
            return said("detail.all_excluded", excluded=", ".join(sorted(student.excluded)))
        periods = ", ".join(student.periods) or said("detail.none")
        return said("detail.no_eligible", profile=student.profile, track=student.track,
                    year=student.year, periods=periods)  # fmt: skip
    if code == "TOO_FAR":
        return said("detail.too_far", minutes=student.max_travel_min, mode=mode)
    if code == "NOT_PREFERRED":
        if not student.preferences:
            return said("detail.no_preferences")
        return said("detail.only_preferences", preferences=", ".join(student.preferences))
    if code == "CAPACITY":
        return said("detail.capacity", slots=_slots(round_, student, allowed))
    if code == "CONSTRAINT":
        return _blocking_rule(round_, student.id)
    return ""


def _slots(round_: Round, student: Student, allowed: list[Any]) -> Said | str:
    slots = [
        f"{p.id}/{t}"
        for p in allowed
        if student_travel_minutes(round_, student, p.company) <= student.max_travel_min
        for t in student.periods
        if t in p.capacity
    ]
    named = ", ".join(slots[:DETAIL_LIMIT])
    if len(slots) > DETAIL_LIMIT:
        return said("detail.more", slots=named, more=len(slots) - DETAIL_LIMIT)
    return named


def _blocking_rule(round_: Round, student: str) -> Said:
    for key, pairs in (("detail.together", round_.together), ("detail.apart", round_.apart)):
        for a, b in pairs:
            if student in (a, b):
                return said(key, other=b if student == a else a)
    return said("detail.min_students")


def detail_text(round_: Round, entry: Mapping[str, Any], t: Callable[[str], str]) -> str:
    return render(placement_detail(round_, entry), Words(t))


def pupil_story(
    round_: Round, solution: Mapping[str, Any], student: str, t: Callable[[str], str]
) -> list[str]:
    """The lines of `stagebureau explain` for one pupil, in `t`'s language."""
    entry: Mapping[str, Any] = next(
        (u for u in solution.get("unassigned", []) if u.get("student") == student), {}
    )
    words = Words(t)

    def localised(value: Any) -> Any:
        if isinstance(value, list):
            return [localised(v) for v in value]
        if not isinstance(value, Said):
            return value
        if value.key == "explain.placement_detail":
            detail = placement_detail(round_, entry)
            return said(value.key, detail=detail) if detail else ""
        if value.key == "explain.short_detail":
            return ""  # the reason code says it; the detail is the command line's prose
        return Said(value.key, {k: localised(v) for k, v in value.params.items()})

    return [render(localised(line), words) for line in story(round_, solution, student)]
