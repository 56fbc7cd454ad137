"""The printed placement agreement (stageovereenkomst): Dutch, A4, made with fpdf2.

Takes what the service gathered (`AgreementSheet`) and lays it out: the three parties, the
dates and days, the working hours, the supervisor and the school's contact, the working-time
statement and a signature block per party with who signed and when. No pupil name is stored,
so the sheet prints the pupil's code and first name and leaves a line for the full name.

fpdf2's built-in Helvetica covers Latin-1 (Dutch with its accents); any other character a
user typed is printed as "?" rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.agreement_words import describe_problem, dutch, dutch_date, number
from api.models import AgreementProblem


@dataclass(frozen=True)
class Signature:
    party: str  # school | company | pupil | parent
    name: str = ""  # as typed; empty while unsigned
    at: str = ""  # local date and time of the signature


@dataclass(frozen=True)
class AgreementSheet:
    number: int
    school_name: str
    school_contact: str
    company_name: str
    supervisor: str
    pupil_code: str
    pupil_first_name: str
    placement: str
    period: str
    days: list[date]
    weekdays: list[str]
    day_start: str
    day_end: str
    break_minutes: int
    school_hours_per_day: float
    school_hours_per_week: float
    problems: list[AgreementProblem]
    signatures: list[Signature] = field(default_factory=list)


def latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


class AgreementPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Pagina {self.page_no()}/{{nb}}", align="C")


def agreement_pdf(sheet: AgreementSheet) -> bytes:
    """The agreement as a PDF document."""
    pdf = AgreementPdf(format="A4")
    pdf.set_title(latin1(f"Stageovereenkomst {sheet.number}"))
    pdf.set_lang("nl")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=10)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5.5, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Stageovereenkomst", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=10)
    line(f"Nummer {sheet.number}, stageplaats {sheet.placement}, periode {sheet.period}.")

    heading("De partijen")
    line(f"School: {sheet.school_name}, contactpersoon {sheet.school_contact or '-'}.")
    line(f"Bedrijf: {sheet.company_name}, praktijkbegeleider {sheet.supervisor or '-'}.")
    line(f"Leerling: {sheet.pupil_first_name} (leerlingcode {sheet.pupil_code}).")
    line("Volledige naam leerling: ............................................................")

    heading("Wanneer")
    if sheet.days:
        line(
            f"Van {dutch_date(sheet.days[0])} tot en met {dutch_date(sheet.days[-1])}, "
            f"{len(sheet.days)} stagedagen op "
            f"{', '.join(dutch(f'agreements.weekday.{w}') for w in sheet.weekdays)}."
        )
        line("Stagedagen: " + "; ".join(dutch_date(d) for d in sheet.days) + ".")
    else:
        line("De stagedagen zijn nog niet ingevuld.")
    line(
        f"Werktijden: van {sheet.day_start} tot {sheet.day_end} uur, met "
        f"{sheet.break_minutes} minuten pauze."
    )
    line(
        f"Lesuren op een stagedag: {number(sheet.school_hours_per_day, 'nl')}; in een week "
        f"met stagedagen: {number(sheet.school_hours_per_week, 'nl')}."
    )

    heading("Werktijden van jongeren")
    line(
        "De werktijden zijn getoetst aan de regels voor jongeren: onder 16 jaar ten hoogste "
        "7 uur per dag en 35 uur per week, schooltijd telt mee als werktijd, niet tussen "
        "19.00 en 07.00 uur en niet op zondag; op 16 en 17 jaar ten hoogste 9 uur per dienst "
        "en 45 uur per week, niet tussen 23.00 en 06.00 uur."
    )
    if sheet.problems:
        line(dutch("agreements.check_fails"))
        for problem in sheet.problems:
            line("- " + describe_problem(problem, dutch, "nl"))
    else:
        line(dutch("agreements.check_ok"))

    heading("Handtekeningen")
    for signature in sheet.signatures:
        pdf.set_font("Helvetica", "B", 10)
        line(dutch(f"agreements.party.{signature.party}"))
        pdf.set_font("Helvetica", size=10)
        if signature.name:
            line(f"Getekend door {signature.name} op {signature.at}.")
        else:
            line(
                "Naam: ..............................  Datum: ..............  "
                "Handtekening: .............................."
            )
        pdf.ln(2)
    return bytes(pdf.output())
