"""The menu-of-demand pages' words, Dutch and English, merged into `api.web.i18n.MESSAGES`."""

from __future__ import annotations

MENU_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.menu_demand": ("Intekenlijsten", "Sign-up lists"),
    "nav.company_menu": ("Menukaart", "Menu"),
    "nav.school_menu": ("Menukaart", "Menu"),
    "demand.title": ("Menukaart en intekenlijsten", "Menu and sign-up lists"),
    "demand.intro": (
        "Wat de klassen en docenten van de regio vragen, per soort activiteit, profiel of "
        "sector en periode. Maak de menukaart uit de vraag, pas titels, periodes en aantallen "
        "aan en publiceer: bedrijven tekenen in en hun inschrijving wordt een aanbod voor de "
        "planning. Bedrijven en scholen zien alleen aantallen, geen scholen of klassen.",
        "What the region's classes and teachers ask for, per kind of activity, profile or "
        "sector and period. Make the menu from the demand, adjust titles, periods and numbers "
        "and publish: companies sign up and each sign-up becomes an offer for the planning. "
        "Companies and schools see counts only, no schools or classes.",
    ),
    "demand.generate": ("Menukaart maken uit de vraag", "Make the menu from the demand"),
    "demand.publish": ("Concepten publiceren", "Publish the drafts"),
    "demand.csv": ("Download CSV", "Download CSV"),
    "demand.xlsx": ("Download Excel", "Download Excel"),
    "demand.items": ("Onderdelen van de menukaart", "Items of the menu"),
    "demand.item": ("Onderdeel", "Item"),
    "demand.status": ("Status", "Status"),
    "demand.status_draft": ("concept", "draft"),
    "demand.status_published": ("gepubliceerd", "published"),
    "demand.window": ("Periode", "Window"),
    "demand.asking": ("Vraag", "Demand"),
    "demand.wanted": ("Gewenst", "Wanted"),
    "demand.capacity": ("Ingetekend", "Signed up"),
    "demand.companies": ("Bedrijven", "Companies"),
    "demand.untaken": ("Nog niemand ingetekend", "Nobody signed up yet"),
    "demand.short": ("tekort", "short"),
    "demand.class": ("klas", "class"),
    "demand.class_n": ("klassen", "classes"),
    "demand.teacher": ("docent", "teacher"),
    "demand.teacher_n": ("docenten", "teachers"),
    "demand.activity": ("activiteit", "activity"),
    "demand.activities": ("activiteiten", "activities"),
    "demand.school": ("school", "school"),
    "demand.schools": ("scholen", "schools"),
    "demand.group": ("groep", "group"),
    "demand.groups": ("groepen", "groups"),
    "demand.offer": ("aanbod", "offer"),
    "demand.none": (
        "Nog geen menukaart. Maak hem uit de vraag van de klassen en docenten.",
        "No menu yet. Make it from the classes' and teachers' demand.",
    ),
    "demand.catalogue": ("Wat de bedrijven al aanbieden", "What the companies offer already"),
    "demand.item_title": ("Titel", "Title"),
    "demand.description": ("Toelichting", "Description"),
    "demand.window_start": ("Van", "From"),
    "demand.window_end": ("Tot en met", "Until"),
    "demand.sectors": ("Sectoren", "Sectors"),
    "demand.sectors_hint": ("Gescheiden door spaties.", "Separated by spaces."),
    "demand.signed": ("Ingetekende bedrijven", "Companies signed up"),
    "demand.nobody": ("Nog niemand ingetekend.", "Nobody signed up yet."),
    "demand.back": ("Terug naar de menukaart", "Back to the menu"),
    "demand.done_generated": ("De menukaart is bijgewerkt.", "The menu is up to date."),
    "demand.done_published": ("De concepten zijn gepubliceerd.", "The drafts are published."),
    "demand.done_saved": ("Opgeslagen.", "Saved."),
    "demand.done_signed_up": (
        "Ingetekend namens het bedrijf: het aanbod staat klaar voor de planning.",
        "Signed up on the company's behalf: the offer is ready for the planning.",
    ),
    "demand.done_withdrawn": ("Inschrijving ingetrokken.", "Sign-up withdrawn."),
    "demand.on_behalf": ("Intekenen namens een bedrijf", "Sign up on a company's behalf"),
    "demand.on_behalf_intro": (
        "Als bedrijfscontactpersoon tekent u in wat u met het bedrijf afsprak; het bedrijf "
        "ziet de inschrijving en het aanbod bij zijn eigen gegevens.",
        "As the companies' contact you sign up what you agreed with the company; the company "
        "sees the sign-up and the offer with its own records.",
    ),
    "demand.company": ("Bedrijf", "Company"),
    "signup.title": ("Menukaart van de regio", "The region's menu"),
    "signup.intro": (
        "Wat de scholen van de regio dit jaar zoeken. Teken in op wat u kunt bieden: elk "
        "dagdeel dat u aanvinkt of invult is plaats voor één groep; een weekdag geldt voor "
        "elke schooldag in de periode. Uw inschrijving wordt een aanbod waarmee het "
        "stagebureau plant. Intrekken kan zolang er nog niet mee gepland is.",
        "What the region's schools look for this year. Sign up for what you can offer: each "
        "daypart you tick or type is room for one group; a weekday stands for every school "
        "day of the window. Your sign-up becomes an offer the bureau plans with. You can "
        "withdraw it as long as no plan uses it.",
    ),
    "signup.none": ("Er staat nog niets op de menukaart.", "Nothing is on the menu yet."),
    "signup.offered": ("ingetekend", "signed up"),
    "signup.yours": ("U tekende in", "You signed up"),
    "signup.withdraw": ("Inschrijving intrekken", "Withdraw sign-up"),
    "signup.weekly": ("Elke week in de periode op", "Every week of the window on"),
    "signup.dates_hint": (
        "Datum en dagdeel binnen de periode, gescheiden door spaties, bijv. 2027-03-11/am.",
        "Date and daypart within the window, separated by spaces, e.g. 2027-03-11/am.",
    ),
    "signup.per_month": ("Hoogstens groepen per maand", "At most groups a month"),
    "signup.submit": ("Intekenen", "Sign up"),
    "signup.done_signed_up": (
        "Ingetekend: uw aanbod staat klaar voor de planning.",
        "Signed up: your offer is ready for the planning.",
    ),
    "signup.done_withdrawn": ("Inschrijving ingetrokken.", "Sign-up withdrawn."),
    "schoolmenu.demand": ("Wat de regio vraagt", "What the region asks for"),
    "schoolmenu.demand_intro": (
        "De gepubliceerde menukaart van het stagebureau, met hoeveel bedrijven al boden.",
        "The bureau's published menu, with how much companies offered so far.",
    ),
    "schoolmenu.offer": ("Wat de bedrijven aanbieden", "What the companies offer"),
    "schoolmenu.offer_intro": (
        "De codes van stageplekken zijn de codes die u bij de voorkeuren van leerlingen "
        "invult (kolom preferences van het leerlingenbestand).",
        "Placement codes are the codes you enter as pupils' wishes (the preferences column "
        "of the pupils' file).",
    ),
}
