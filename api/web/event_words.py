"""The event-day pages' words, Dutch and English, merged into `api.web.i18n.MESSAGES`."""

from __future__ import annotations

EVENT_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.events": ("Evenementen", "Event days"),
    "events.title": ("Evenementen", "Event days"),
    "events.intro": (
        "Techniekdagen en bedrijvencarrousels: bedrijven geven korte sessies in een paar "
        "rondes, leerlingen kiezen welke ze volgen. De indeling komt mee in de berekening van "
        "een ronde.",
        "Technology days and company carrousels: companies run short sessions in a few rounds, "
        "pupils choose which to attend. The carrousel is solved with a round.",
    ),
    "events.none": ("Nog geen evenementen.", "No event days yet."),
    "events.new": ("Nieuw evenement", "New event day"),
    "events.add": ("Evenement toevoegen", "Add event day"),
    "events.name": ("Naam", "Name"),
    "events.date": ("Datum", "Date"),
    "events.rounds": ("Aantal rondes", "Number of rounds"),
    "events.rounds_word": ("rondes", "rounds"),
    "events.seats_word": ("plaatsen per ronde", "seats per round"),
    "events.start_time": ("Begintijd eerste ronde", "Start of the first round"),
    "events.round_minutes": ("Minuten per ronde", "Minutes per round"),
    "events.changeover": ("Wisseltijd in minuten", "Changeover in minutes"),
    "events.lat": ("Breedtegraad locatie", "Latitude of the venue"),
    "events.lon": ("Lengtegraad locatie", "Longitude of the venue"),
    "events.times_hint": (
        "Met begintijd en rondeduur staan de tijden op elk programma.",
        "With a start time and round length every programme shows the times.",
    ),
    "events.saved": ("Evenement opgeslagen.", "Event day saved."),
    "events.sessions": ("Sessies", "Sessions"),
    "events.no_sessions": ("Nog geen sessies.", "No sessions yet."),
    "events.session": ("Sessie", "Session"),
    "events.session_title": ("Titel van de sessie", "Title of the session"),
    "events.capacity": ("Plaatsen per ronde", "Seats per round"),
    "events.in_rounds": ("In rondes", "In rounds"),
    "events.every_round": ("elke ronde", "every round"),
    "events.rounds_hint": ("niets aangevinkt: elke ronde", "none ticked: every round"),
    "events.sectors": ("Sectoren (gescheiden door spaties)", "Sectors (separated by spaces)"),
    "events.sectors_short": ("Sectoren", "Sectors"),
    "events.profiles": ("Voor profielen", "For profiles"),
    "events.requests": ("Keuzes van leerlingen", "Pupils' choices"),
    "events.demand": ("Gekozen (1e keuze / totaal)", "Chosen (first / all)"),
    "events.requests_count": ("leerlingen hebben gekozen", "pupils have chosen"),
    "events.result": ("Indeling", "Carrousel"),
    "events.no_result": (
        "Nog geen indeling: open een ronde en laat die berekenen.",
        "No carrousel yet: open a round and solve it.",
    ),
    "events.no_published": (
        "Nog geen gepubliceerde indeling voor dit evenement.",
        "No published carrousel for this event day yet.",
    ),
    "events.granted": ("Sessies toegekend", "Sessions granted"),
    "events.short": ("Leerlingen met minder sessies", "Pupils with fewer sessions"),
    "events.missing": ("Mist", "Missing"),
    "events.reason": ("Waarom", "Why"),
    "events.round": ("Ronde", "Round"),
    "events.time": ("Tijd", "Time"),
    "events.choice": ("Keuze", "Choice"),
    "events.count": ("Aantal sessies", "Number of sessions"),
    "events.count_all": ("een per ronde", "one per round"),
    "events.distinct": ("Elke sessie in een andere sector", "Each session in another sector"),
    "events.open": ("Bekijken", "Open"),
    "events.fill": ("Bezetting per sessie en ronde", "Seats taken per session and round"),
    "events.programme": ("Programma", "Programme"),
    "events.programmes": ("Programma's", "Programmes"),
    "events.print": (
        "Printklaar: gebruik Afdrukken (Ctrl+P) en kies 'Opslaan als PDF'.",
        "Ready to print: use Print (Ctrl+P) and choose 'Save as PDF'.",
    ),
    "events.download_csv": ("Download CSV", "Download CSV"),
    "events.download_ics": ("Agenda (iCalendar)", "Calendar (iCalendar)"),
    "events.my_sessions": ("Onze sessies", "Our sessions"),
    "events.add_session": ("Sessie toevoegen", "Add session"),
    "events.session_saved": ("Sessie opgeslagen.", "Session saved."),
    "events.session_deleted": ("Sessie verwijderd.", "Session deleted."),
    "events.my_lists": ("Wie komt er per ronde", "Who comes in each round"),
    "events.lists_hint": (
        "Per leerling alleen voornaam, school en profiel: het gaat om minderjarigen.",
        "First name, school and profile per pupil only: they are minors.",
    ),
    "events.no_pupils": ("Geen leerlingen in deze ronde.", "No pupils in this round."),
    "events.enter_choices": ("Keuze van een leerling invoeren", "Enter a pupil's choice"),
    "events.save_choice": ("Keuze opslaan", "Save choice"),
    "events.choice_saved": ("Keuze opgeslagen.", "Choice saved."),
    "events.upload": ("Keuzes aanleveren als bestand", "Upload choices as a file"),
    "events.upload_hint": (
        "Eén rij per leerling: pupil (code), choice_1, choice_2, ... (sessiecodes, eerste "
        "keuze eerst), optioneel count en distinct_sectors. Eén fout en er wordt niets "
        "opgeslagen.",
        "One row per pupil: pupil (code), choice_1, choice_2, ... (session codes, first choice "
        "first), optionally count and distinct_sectors. One error and nothing is stored.",
    ),
    "events.choose_event": ("Evenement", "Event day"),
    "events.show": ("Tonen", "Show"),
    "events.none_chosen": ("geen", "none"),
    "events.no_requests": ("Nog geen keuzes ingevoerd.", "No choices entered yet."),
    "events.venue": ("Locatie", "Venue"),
    "events.with": ("bij", "at"),
    "event_reason.NO_CHOICE_ADMITS": (
        "Geen van de gekozen sessies staat open voor het profiel van de leerling",
        "None of the chosen sessions admits the pupil's profile",
    ),
    "event_reason.ROUNDS": (
        "De gekozen sessies draaien in te weinig verschillende rondes",
        "The chosen sessions run in too few different rounds",
    ),
    "event_reason.SECTORS": (
        "Te weinig gekozen sessies in verschillende sectoren",
        "Too few chosen sessions in different sectors",
    ),
    "event_reason.CAPACITY": (
        "De gekozen sessies zitten vol in de rondes die nog vrij waren",
        "The chosen sessions are full in the rounds still free",
    ),
}
