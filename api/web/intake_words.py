"""The intake pages' words: the order of uploads, the preview and the fields a column may give."""

from __future__ import annotations

INTAKE_MESSAGES: dict[str, tuple[str, str]] = {
    "intake.title": ("Voorbeeld van de import", "Import preview"),
    "intake.intro": (
        "Er is nog niets opgeslagen. Controleer welke kolommen gelezen zijn en hoe de eerste "
        "rijen worden opgeslagen; pas zo nodig de kolommen aan en klik dan op Importeren.",
        "Nothing has been stored yet. Check which columns were read and how the first rows will "
        "be stored; change the columns if needed, then click Import.",
    ),
    "intake.summary": ("Samenvatting", "Summary"),
    "intake.refused": (
        "Zo kan het bestand niet worden geïmporteerd:",
        "The file cannot be imported like this:",
    ),
    "intake.would": ("Importeren geeft", "Importing gives"),
    "intake.columns": ("Kolommen", "Columns"),
    "intake.columns_hint": (
        "Herkend aan de kolomnamen van Somtoday, Magister en het sjabloon. Kies zelf een kolom "
        "als de herkenning niet klopt; kolommen die niet gekozen zijn worden niet opgeslagen.",
        "Recognised from the column names of Somtoday, Magister and the template. Pick a column "
        "yourself when the recognition is wrong; columns not picked are never stored.",
    ),
    "intake.field": ("Gegeven", "Field"),
    "intake.header": ("Kolom in het bestand", "Column in the file"),
    "intake.required": ("verplicht", "required"),
    "intake.none": ("(niet in het bestand)", "(not in the file)"),
    "intake.derived": ("(uit klas of opleiding)", "(from class or education)"),
    "intake.ignored": ("Niet gelezen kolommen", "Columns not read"),
    "intake.review": ("Opnieuw bekijken", "Check again"),
    "intake.rows": ("Eerste rijen zoals ze worden opgeslagen", "First rows as they will be stored"),
    "intake.home_hint": (
        "Van de postcode wordt alleen het midden van het 4-cijferige postcodegebied bewaard "
        "(home_lat, home_lon), nooit de postcode of het adres zelf.",
        "Of the postcode only the centre of the 4-digit postcode area is kept (home_lat, "
        "home_lon), never the postcode or the address itself.",
    ),
    "intake.import": ("Importeren", "Import"),
    "intake.back": ("Terug zonder importeren", "Back without importing"),
    "intake.preview_button": ("Bekijken", "Preview"),
    "intake.order": ("In deze volgorde", "In this order"),
    "intake.order.year": (
        "Het schooljaar: dat zet het bureau (eerste en laatste dag, vakanties).",
        "The school year: the bureau sets it (first and last day, holidays).",
    ),
    "intake.order.classes": (
        "Klassen, vóór de leerlingen: een leerling noemt zijn klas, die moet al bestaan.",
        "Classes, before the pupils: a pupil names its class, which must exist already.",
    ),
    "intake.order.pupils": (
        "Leerlingen, met een voorbeeld vóór het importeren.",
        "Pupils, with a preview before importing.",
    ),
    "intake.order.teachers": (
        "Docenten (met vrije dagdelen en of ze mogen begeleiden): wanneer u wilt.",
        "Teachers (with free dayparts and whether they may escort): any time.",
    ),
    "intake.order.exports": (
        "Een export uit Somtoday of Magister (puntkomma's, Nederlandse kolomnamen) kan zo "
        "worden aangeleverd; achternaam, adres en geboortedatum worden niet opgeslagen.",
        "An export from Somtoday or Magister (semicolons, Dutch column names) can be uploaded "
        "as it is; surname, address and birth date are not stored.",
    ),
    "intake.there": ("staat erin", "set"),
    "intake.not_yet": ("nog niet", "not yet"),
    "school.classes_count": ("klassen", "classes"),
    "school.pupils_count": ("leerlingen", "pupils"),
    "school.teachers_count": ("docenten", "teachers"),
    "upload.kind.teachers": ("Docenten", "Teachers"),
    "upload.hint.teachers": (
        "Code, naam, vrije dagdelen (bijv. di-middag of tue-pm), mag begeleiden (ja/nee), "
        "sectoren en hoeveel bezoeken, gastlessen of docentenstages.",
        "Code, name, free dayparts (e.g. di-middag or tue-pm), may escort (yes/no), sectors and "
        "how many visits, guest lessons or teacher internships.",
    ),
    "intake.field.code": (
        "Code (leerlingnummer of docentcode)",
        "Code (pupil number or teacher code)",
    ),
    "intake.field.first_name": ("Roepnaam", "First name"),
    "intake.field.class": ("Klas", "Class"),
    "intake.field.class_id": ("Klas (nummer op het platform)", "Class (platform id)"),
    "intake.field.profile": ("Profiel", "Profile"),
    "intake.field.track": ("Leerweg", "Track"),
    "intake.field.year": ("Leerjaar", "Year"),
    "intake.field.postcode": ("Postcode (alleen het gebied)", "Postcode (area only)"),
    "intake.field.mode": ("Vervoer", "Travel mode"),
    "intake.field.max_travel_min": ("Maximale reistijd (min)", "Longest travel (min)"),
    "intake.field.preferences": ("Wensen", "Wishes"),
    "intake.field.periods": ("Stageperioden", "Periods"),
    "intake.field.accept_unranked": ("Ook andere plekken", "Other places too"),
    "intake.field.priority": ("Prioriteit", "Priority"),
    "intake.field.home_lat": ("Woonplek breedtegraad", "Home latitude"),
    "intake.field.home_lon": ("Woonplek lengtegraad", "Home longitude"),
    "intake.field.name": ("Naam", "Name"),
    "intake.field.free": ("Vrije dagdelen", "Free dayparts"),
    "intake.field.escort": ("Mag begeleiden", "May escort"),
    "intake.field.sectors": ("Sectoren", "Sectors"),
    "intake.field.excursion": ("Bedrijfsbezoeken", "Company visits"),
    "intake.field.guest_lesson": ("Gastlessen", "Guest lessons"),
    "intake.field.teacher_internship": ("Docentenstages", "Teacher internships"),
    "intake.field.demand": ("Vraag", "Demand"),
    "intake.field.education": (
        "Opleiding (voor profiel, leerweg en leerjaar)",
        "Education (for profile, track and year)",
    ),
    "results.declined": ("Afgewezen", "Declined"),
    "results.waiting": (
        "Afgewezen door het bedrijf; de leerling wacht op een nieuwe plek, die het bureau zoekt "
        "en publiceert.",
        "Declined by the company; the pupil waits for a new placement, which the bureau looks "
        "for and publishes.",
    ),
    "results.before_decline": (
        "Wat de ronde vóór de afwijzing gaf, volgens",
        "What the round gave before the decline, according to",
    ),
}
