"""The placement agreement's words, Dutch and English: merged into the pages' `MESSAGES`
(`api.web.i18n`) and used in Dutch by the printed agreement (`api.agreement_pdf`), so a
working-time problem reads the same on the page and on paper.

A problem is a code with numbers (`api.models.AgreementProblem`); `describe_problem` puts it in
words, with Dutch dates and decimal commas in Dutch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from api.models import AgreementProblem

AGREEMENT_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.agreements": ("Stageovereenkomsten", "Placement agreements"),
    "agreements.title": ("Stageovereenkomsten", "Placement agreements"),
    "agreements.intro_company": (
        "Per bevestigde leerling een overeenkomst tussen school, bedrijf en leerling. Vul de "
        "werktijden en de praktijkbegeleider in en teken. De werktijden worden getoetst aan de "
        "regels voor jongeren voordat iemand tekent.",
        "One agreement between school, company and pupil per confirmed pupil. Fill in the "
        "working hours and the supervisor, then sign. The hours are checked against the rules "
        "for minors before anyone signs.",
    ),
    "agreements.intro_school": (
        "Vul de contactpersoon van school, de lesuren en de geboortedatum in, en leg de "
        "handtekeningen van leerling en ouder vast. Alleen de school ziet de geboortedatum.",
        "Fill in the school's contact, the lesson hours and the birth date, and record the "
        "pupil's and parent's signatures. Only the school sees the birth date.",
    ),
    "agreements.intro_bureau": (
        "Hoe ver de stageovereenkomsten van de regio zijn.",
        "How far the region's placement agreements are.",
    ),
    "agreements.none": ("Nog geen overeenkomsten.", "No agreements yet."),
    "agreements.pupil": ("Leerling", "Pupil"),
    "agreements.placement": ("Stageplaats", "Placement"),
    "agreements.period": ("Periode", "Period"),
    "agreements.status": ("Stand", "Status"),
    "agreements.status.open": ("nog te tekenen", "to be signed"),
    "agreements.status.signed": ("getekend", "signed"),
    "agreements.status.withdrawn": ("vervallen", "withdrawn"),
    "agreements.count": ("Aantal", "Number"),
    "agreements.open": ("Openen", "Open"),
    "agreements.schedule": ("Werktijden", "Working hours"),
    "agreements.first_day": ("Eerste dag", "First day"),
    "agreements.last_day": ("Laatste dag", "Last day"),
    "agreements.weekdays": ("Dagen", "Days"),
    "agreements.day_start": ("Begintijd", "Start time"),
    "agreements.day_end": ("Eindtijd", "End time"),
    "agreements.break_minutes": ("Pauze in minuten", "Break in minutes"),
    "agreements.days_count": ("stagedagen", "placement days"),
    "agreements.supervisor": ("Praktijkbegeleider", "Supervisor"),
    "agreements.school_contact": ("Contactpersoon school", "School contact"),
    "agreements.name": ("Naam", "Name"),
    "agreements.phone": ("Telefoon", "Phone"),
    "agreements.email": ("E-mail", "E-mail"),
    "agreements.school_hours_per_day": (
        "Lesuren op een stagedag",
        "Lesson hours on a placement day",
    ),
    "agreements.school_hours_per_week": (
        "Lesuren in een week met stagedagen",
        "Lesson hours in a week with placement days",
    ),
    "agreements.school_hours_hint": (
        "Onder 16 jaar telt schooltijd mee als werktijd.",
        "Under 16, school time counts as working time.",
    ),
    "agreements.birth_date": ("Geboortedatum leerling", "Pupil's birth date"),
    "agreements.birth_date_hint": (
        "Alleen zichtbaar voor de school; wordt gewist met de leerling.",
        "Only the school sees it; erased with the pupil.",
    ),
    "agreements.check": ("Toets werktijden jongeren", "Working-time check for minors"),
    "agreements.check_ok": (
        "De werktijden voldoen aan de regels voor jongeren.",
        "The working hours meet the rules for minors.",
    ),
    "agreements.check_fails": (
        "Nog niet te tekenen:",
        "Cannot be signed yet:",
    ),
    "agreements.signatures": ("Handtekeningen", "Signatures"),
    "agreements.party.school": ("School", "School"),
    "agreements.party.company": ("Bedrijf", "Company"),
    "agreements.party.pupil": ("Leerling", "Pupil"),
    "agreements.party.parent": ("Ouder of verzorger", "Parent or guardian"),
    "agreements.signed_by": ("getekend door {name} op {at}", "signed by {name} on {at}"),
    "agreements.not_signed": ("nog niet getekend", "not signed yet"),
    "agreements.sign": ("Tekenen", "Sign"),
    "agreements.sign_as": ("Naam van wie tekent", "Name of who signs"),
    "agreements.record_signature": ("Handtekening vastleggen", "Record signature"),
    "agreements.download": ("Overeenkomst als PDF", "Agreement as PDF"),
    "agreements.saved": ("Opgeslagen.", "Saved."),
    "agreements.signed": ("Getekend.", "Signed."),
    "agreements.cleared": (
        "Werktijden gewijzigd: de handtekeningen zijn vervallen.",
        "Working hours changed: the signatures were cleared.",
    ),
    "agreements.to_sign": ("Nog te tekenen door u", "Still to sign by you"),
    "agreements.weekday.mon": ("maandag", "Monday"),
    "agreements.weekday.tue": ("dinsdag", "Tuesday"),
    "agreements.weekday.wed": ("woensdag", "Wednesday"),
    "agreements.weekday.thu": ("donderdag", "Thursday"),
    "agreements.weekday.fri": ("vrijdag", "Friday"),
    "agreements.weekday.sat": ("zaterdag", "Saturday"),
    "agreements.weekday.sun": ("zondag", "Sunday"),
    "agreements.problem.day_hours": (
        "{day}: {hours} uur werk en school op één dag; onder 16 jaar ten hoogste {limit}.",
        "{day}: {hours} hours of work and school in a day; under 16 at most {limit}.",
    ),
    "agreements.problem.shift_hours": (
        "{day}: een dienst van {hours} uur; op 16 en 17 jaar ten hoogste {limit}.",
        "{day}: a shift of {hours} hours; at 16 and 17 at most {limit}.",
    ),
    "agreements.problem.week_hours": (
        "Week {week}: {hours} uur; ten hoogste {limit} per week.",
        "Week {week}: {hours} hours; at most {limit} a week.",
    ),
    "agreements.problem.night": (
        "{day}: werken van {hours} tot {limit} valt in de uren waarin een jongere niet mag "
        "werken (onder 16: 19.00-07.00 uur, op 16 en 17: 23.00-06.00 uur).",
        "{day}: working from {hours} to {limit} falls in the hours a minor may not work "
        "(under 16: 19:00-07:00, at 16 and 17: 23:00-06:00).",
    ),
    "agreements.problem.sunday": (
        "{day}: onder 16 jaar niet werken op zondag.",
        "{day}: under 16, no work on Sunday.",
    ),
    "agreements.problem.times": (
        "De eindtijd ligt niet na de begintijd.",
        "The end time is not after the start time.",
    ),
    "agreements.problem.missing": ("Ontbreekt: {field}.", "Missing: {field}."),
    "agreements.field.first_day": ("eerste dag", "first day"),
    "agreements.field.last_day": ("laatste dag", "last day"),
    "agreements.field.days": ("stagedagen", "placement days"),
    "agreements.field.supervisor_name": ("praktijkbegeleider", "supervisor"),
    "agreements.field.school_contact_name": ("contactpersoon school", "school contact"),
    "agreements.field.birth_date": (
        "geboortedatum (de school vult die in)",
        "birth date (the school enters it)",
    ),
}

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
    return AGREEMENT_MESSAGES[key][0]
