"""The placement agreement's dates, numbers and problems in words: its words live in the
gettext catalogs (`api.locale`, keys `agreements.*`) and serve the pages and, in Dutch, the
printed agreement (`api.agreement_pdf`), so a working-time problem reads the same on both.

A problem is a code with numbers (`api.models.AgreementProblem`); `describe_problem` puts it in
words, with Dutch dates and decimal commas in Dutch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from api.locale import translations
from api.models import AgreementProblem

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def dutch_date(day: date) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def number(value: float, lang: str) -> str:
    """Hours as people write them: 7, 7,5 in Dutch, 7.5 in English."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def clock(value: float) -> str:
    """Decimal hours as a time of day: 19.5 -> 19:30."""
    minutes = round(value * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_problem(problem: AgreementProblem, t: Callable[[str], str], lang: str) -> str:
    """One problem in the reader's language, from its code and numbers."""
    day = ""
    if problem.day is not None:
        day = dutch_date(problem.day) if lang == "nl" else problem.day.isoformat()
    values = {
        "day": day,
        "week": problem.week,
        "hours": number(problem.hours or 0, lang),
        "limit": number(problem.limit or 0, lang),
        "field": t(f"agreements.field.{problem.field}") if problem.field else "",
    }
    if problem.rule == "night":
        values["hours"], values["limit"] = clock(problem.hours or 0), clock(problem.limit or 0)
    return t(f"agreements.problem.{problem.rule}").format(**values)


def dutch(key: str) -> str:
    """The Dutch words of `key` (the printed agreement is in Dutch)."""
    return translations("nl").gettext(key)
