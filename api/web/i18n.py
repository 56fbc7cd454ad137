"""The pages' words in Dutch (the default: the people who use them are Dutch) and English.

One table, key -> (Dutch, English), so a missing translation is a missing tuple element that a
test finds, not a page that silently shows a key. The language is the `lang` cookie's, set by
the switch in every page's header.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from api.agreement_words import AGREEMENT_MESSAGES
from api.web.company_words import COMPANY_MESSAGES
from api.web.dashboard_words import DASHBOARD_MESSAGES
from api.web.event_words import EVENT_MESSAGES
from api.web.feedback_words import FEEDBACK_MESSAGES
from api.web.intake_words import INTAKE_MESSAGES
from api.web.menu_words import MENU_MESSAGES
from api.web.request_words import REQUEST_MESSAGES
from api.web.round_page_words import ROUND_PAGE_MESSAGES
from api.web.todo_words import TODO_MESSAGES

LANGUAGES = ("nl", "en")
LANG_COOKIE = "lang"

MESSAGES: dict[str, tuple[str, str]] = {
    **EVENT_MESSAGES,
    **COMPANY_MESSAGES,
    **TODO_MESSAGES,
    **FEEDBACK_MESSAGES,
    **MENU_MESSAGES,
    **REQUEST_MESSAGES,
    **AGREEMENT_MESSAGES,
    **ROUND_PAGE_MESSAGES,
    **INTAKE_MESSAGES,
    **DASHBOARD_MESSAGES,
    # frame
    "app.name": ("Stagebureau", "Internship bureau"),
    "app.skip": ("Naar de inhoud", "Skip to content"),
    "app.logout": ("Uitloggen", "Sign out"),
    "app.footer": ("Regionaal stagebureau techniek", "Regional technical internship bureau"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.rounds": ("Rondes", "Rounds"),
    "nav.menu": ("Menukaart", "Menu"),
    "nav.map": ("Kaart", "Map"),
    "nav.school_data": ("Leerlingen en klassen", "Pupils and classes"),
    "nav.systems": ("Zermelo en Somtoday", "Zermelo and Somtoday"),
    "nav.results": ("Uitslag", "Results"),
    "nav.capacity": ("Ons aanbod", "Our offer"),
    "nav.assigned": ("Toegewezen", "Assigned"),
    "nav.calendar": ("Jaarkalender", "Year calendar"),
    "lang.nl": ("Nederlands", "Dutch"),
    "lang.en": ("Engels", "English"),
    "role.bureau": ("stagebureau", "bureau"),
    "role.school": ("school", "school"),
    "role.company": ("bedrijf", "company"),
    "error.title": ("Dat lukt niet", "That did not work"),
    "error.home": ("Naar de startpagina", "To the start page"),
    "error.forbidden_role": ("Deze pagina is niet voor uw rol.", "This page is not for your role."),
    "error.csrf": (
        "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        "The form has expired. Reload the page and try again.",
    ),
    "error.not_found": ("Niet gevonden.", "Not found."),
    "error.no_published": ("Er is nog geen gepubliceerde ronde.", "No round is published yet."),
    # login
    "login.title": ("Inloggen", "Sign in"),
    "login.intro": (
        "Log in met het e-mailadres en wachtwoord dat u van het stagebureau kreeg.",
        "Sign in with the e-mail address and password the bureau gave you.",
    ),
    "login.email": ("E-mailadres", "E-mail address"),
    "login.password": ("Wachtwoord", "Password"),
    "login.submit": ("Inloggen", "Sign in"),
    "login.error": ("E-mailadres of wachtwoord klopt niet.", "Wrong e-mail address or password."),
    "login.throttled": (
        "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.",
        "Too many failed attempts. Wait a quarter of an hour, then try again.",
    ),
    # shared words
    "any": ("alle", "any"),
    "code": ("Code", "Code"),
    "first_name": ("Voornaam", "First name"),
    "profile": ("Profiel", "Profile"),
    "track": ("Leerweg", "Track"),
    "year": ("Leerjaar", "Year"),
    "class": ("Klas", "Class"),
    "teacher": ("Docent", "Teacher"),
    "wishes": ("Wensen", "Wishes"),
    "period": ("Periode", "Period"),
    "pupil": ("Leerling", "Pupil"),
    "school": ("School", "School"),
    "company": ("Bedrijf", "Company"),
    "date": ("Datum", "Date"),
    "at": ("bij", "at"),
    "version": ("Versie", "Version"),
    "form.save": ("Opslaan", "Save"),
    "form.delete": ("Verwijderen", "Delete"),
    "form.actions": ("Acties", "Actions"),
    "form.refused": ("Niet opgeslagen:", "Not saved:"),
    "saved.profile": ("Bedrijfsgegevens opgeslagen.", "Company details saved."),
    "saved.placement": ("Stageplek opgeslagen.", "Placement saved."),
    "saved.offer": ("Activiteit toegevoegd.", "Activity added."),
    "saved.deleted": ("Verwijderd.", "Deleted."),
    "saved.confirmed": ("Bevestigd.", "Confirmed."),
    "saved.visit_declined": (
        "Afgewezen. Het stagebureau zoekt een ander aanbod voor deze klas of docent.",
        "Declined. The bureau will look for another offer for this class or teacher.",
    ),
    "saved.declined": (
        "Afgewezen. Het stagebureau zoekt een andere plek voor deze leerling.",
        "Declined. The bureau will look for another placement for this pupil.",
    ),
    "kind.excursion": ("Bedrijfsbezoek", "Company visit"),
    "kind.guest_lesson": ("Gastles", "Guest lesson"),
    "kind.teacher_internship": ("Docentenstage", "Teacher internship"),
    "day.mon": ("maandag", "Monday"),
    "day.tue": ("dinsdag", "Tuesday"),
    "day.wed": ("woensdag", "Wednesday"),
    "day.thu": ("donderdag", "Thursday"),
    "day.fri": ("vrijdag", "Friday"),
    "day.sat": ("zaterdag", "Saturday"),
    "day.sun": ("zondag", "Sunday"),
    "part.am": ("ochtend", "morning"),
    "part.pm": ("middag", "afternoon"),
    # company: capacity
    "capacity.title": ("Ons aanbod", "Our offer"),
    "capacity.intro": (
        "Geef hier op wat uw bedrijf het onderwijs biedt: stageplekken per periode, "
        "bedrijfsbezoeken, gastlessen en docentenstages, en hoeveel uur per maand u daarvoor "
        "vrijmaakt.",
        "Enter what your company offers education: placements per period, company visits, "
        "guest lessons and teacher internships, and how many hours a month you set aside.",
    ),
    "capacity.profile": ("Bedrijfsgegevens", "Company details"),
    "capacity.contact": ("Contactpersoon", "Contact person"),
    "capacity.hours_per_month": ("Uren per maand", "Hours per month"),
    "capacity.hours_hint": (
        "Hoeveel uur per maand uw mensen aan bezoeken, gastlessen en docentenstages besteden.",
        "How many hours a month your people spend on visits, guest lessons and teacher "
        "internships.",
    ),
    "capacity.max_students": (
        "Maximaal aantal stagiairs per schooljaar",
        "Most pupils per school year",
    ),
    "capacity.max_students_hint": (
        "Alle stageperiodes en stageplekken samen, over het hele jaar.",
        "All periods and placements together, over the whole year.",
    ),
    "capacity.max_concurrent": (
        "Maximaal aantal stagiairs tegelijk (op één dag)",
        "Most pupils at once (on any one day)",
    ),
    "capacity.max_concurrent_hint": (
        "Telt de stagiairs van alle scholen die op dezelfde dag bij u zijn, ook als hun "
        "stageperiodes elkaar maar deels overlappen. Leeg: geen grens per dag.",
        "Counts the pupils of every school who are with you on the same day, also when their "
        "periods overlap only in part. Empty: no daily limit.",
    ),
    "capacity.placements": ("Stageplekken", "Placements"),
    "capacity.no_placements": ("Nog geen stageplekken.", "No placements yet."),
    "capacity.for_profiles": ("Voor profielen", "For profiles"),
    "capacity.tracks": ("Leerwegen", "Tracks"),
    "capacity.min_year": ("Vanaf leerjaar", "From year"),
    "capacity.placement_title": ("Omschrijving", "Description"),
    "capacity.title_example": ("bijv. monteur installatietechniek", "e.g. installation fitter"),
    "capacity.seats_in": ("Plaatsen in", "Seats in"),
    "capacity.new_placement": ("Nieuwe stageplek", "New placement"),
    "capacity.add_placement": ("Stageplek toevoegen", "Add placement"),
    "capacity.offers": (
        "Bedrijfsbezoeken, gastlessen en docentenstages",
        "Company visits, guest lessons and teacher internships",
    ),
    "capacity.offers_intro": (
        "Geef aan op welke dagdelen u een klas of docent kunt ontvangen of een gastles kunt geven.",
        "Say on which dayparts you can host a class or teacher or give a guest lesson.",
    ),
    "capacity.new_offer": ("Nieuwe activiteit", "New activity"),
    "capacity.add_offer": ("Activiteit toevoegen", "Add activity"),
    "offer.kind": ("Soort", "Kind"),
    "offer.available": ("Beschikbaar", "Available"),
    "offer.group": ("Max. groepsgrootte", "Max. group size"),
    "offer.hours": ("Uren per keer", "Hours each time"),
    "offer.per_month": ("Max. per maand", "Max. per month"),
    "offer.weekly": ("Elke week beschikbaar op", "Available every week on"),
    "offer.dates": ("Losse dagdelen", "Single dayparts"),
    "offer.dates_hint": (
        "Datum en dagdeel, gescheiden door spaties, bijv. 2027-03-11/am 2027-04-08/pm.",
        "Date and daypart, separated by spaces, e.g. 2027-03-11/am 2027-04-08/pm.",
    ),
    # company: assigned
    "assigned.title": ("Toegewezen leerlingen en klassen", "Assigned pupils and classes"),
    "assigned.none_published": (
        "Het stagebureau heeft nog geen ronde gepubliceerd.",
        "The bureau has not published a round yet.",
    ),
    "assigned.intro": ("Uit de gepubliceerde ronde", "From the published round"),
    "assigned.pupils": ("Leerlingen", "Pupils"),
    "assigned.classes": ("Klassen en docenten", "Classes and teachers"),
    "assigned.no_pupils": ("Geen leerlingen.", "No pupils."),
    "assigned.no_classes": (
        "Geen bezoeken of gastlessen gepland.",
        "No visits or lessons planned.",
    ),
    "assigned.confirm": ("Bevestigen", "Confirm"),
    "assigned.decline": ("Afwijzen", "Decline"),
    "assigned.decline_submit": ("Afwijzing versturen", "Send decline"),
    "assigned.reason": ("Reden (optioneel)", "Reason (optional)"),
    "assigned.group": ("Klas of docent", "Class or teacher"),
    "assigned.decline_visit_means": (
        "Een afwijzing betekent: deze klas of docent niet meer bij dit aanbod (ook niet op een "
        "andere dag), en dit dagdeel niet meer voor dit aanbod. Het bureau zoekt een ander "
        "aanbod; uw bezoeken van andere klassen en docenten blijven staan.",
        "Declining means: this class or teacher no longer at this offer (not on another day "
        "either), and this daypart no longer for this offer. The bureau looks for another "
        "offer; your visits of other classes and teachers stay as they are.",
    ),
    "answer.confirmed": ("Bevestigd", "Confirmed"),
    "answer.declined": ("Afgewezen", "Declined"),
    # company: calendar
    "calendar.title": ("Jaarkalender", "Year calendar"),
    "calendar.intro": (
        "Wat er dit jaar op u afkomt, uit",
        "What is coming your way this year, from",
    ),
    "calendar.download": ("Download als agenda (.ics)", "Download as calendar (.ics)"),
    "calendar.subscribe": ("Abonneren in uw agenda", "Subscribe in your calendar"),
    "calendar.feed_intro": (
        "Voeg dit adres toe aan Outlook, Google of Apple Agenda. Het wordt maar één keer "
        "getoond: bewaar het.",
        "Add this address to Outlook, Google or Apple Calendar. It is shown only once: keep it.",
    ),
    "calendar.feed_label": ("Agenda-adres", "Calendar address"),
    "calendar.unsubscribe": ("Agenda-adressen intrekken", "Revoke calendar addresses"),
    "calendar.feeds_revoked": (
        "Alle eerder gegeven agenda-adressen werken niet meer. Vraag een nieuw adres aan.",
        "Every calendar address given out before has stopped working. Ask for a new one.",
    ),
    "calendar.placements": ("Stagiairs per periode", "Pupils per period"),
    "calendar.pupils": ("leerlingen", "pupils"),
    "escorts": ("begeleid door", "escorted by"),
    "no_escort": ("begeleidt geen excursies", "escorts no excursions"),
    "calendar.activities": (
        "Bezoeken, gastlessen en docentenstages",
        "Visits, lessons, internships",
    ),
    # school
    "school.title": ("Leerlingen en klassen", "Pupils and classes"),
    "school.intro": (
        "Lever leerlingen, klassen en roosters aan met een CSV- of Excelbestand. Een bestand met "
        "één fout wordt helemaal geweigerd; u ziet dan per rij wat er mis is.",
        "Upload pupils, classes and timetables as a CSV or Excel file. A file with one error is "
        "refused whole; you then see per row what is wrong.",
    ),
    "school.pupils": ("Leerlingen", "Pupils"),
    "school.classes": ("Klassen, docenten en roosters", "Classes, teachers and timetables"),
    "school.no_pupils": ("Nog geen leerlingen.", "No pupils yet."),
    "school.no_classes": ("Nog geen klassen of docenten.", "No classes or teachers yet."),
    "school.first_shown": ("Alleen de eerste getoond:", "Only the first shown:"),
    "school.group": ("Groep", "Group"),
    "school.free": ("Vrije dagdelen", "Free dayparts"),
    "school.demand": ("Vraag", "Demand"),
    "upload.title": ("Bestand aanleveren", "Upload a file"),
    "upload.intro": (
        "Download het sjabloon, vul het in en lever het hier aan. Bestaande codes worden "
        "bijgewerkt.",
        "Download the template, fill it in and upload it here. Existing codes are updated.",
    ),
    "upload.kind.pupils": ("Leerlingen", "Pupils"),
    "upload.kind.classes": ("Klassen", "Classes"),
    "upload.kind.timetables": ("Roosters", "Timetables"),
    "upload.hint.pupils": (
        "Code, voornaam, profiel, leerweg, leerjaar en wensen (codes van stageplekken).",
        "Code, first name, profile, track, year and wishes (placement codes).",
    ),
    "upload.hint.classes": (
        "Code, leerjaar, profiel, grootte, vrije dagdelen en hoeveel bezoeken of gastlessen.",
        "Code, year, profile, size, free dayparts and how many visits or guest lessons.",
    ),
    "upload.hint.timetables": (
        "Per klas of docent de vrije dagdelen, bijv. tue-pm thu-am.",
        "Per class or teacher the free dayparts, e.g. tue-pm thu-am.",
    ),
    "upload.template": ("Sjabloon", "Template"),
    "upload.file": ("Bestand (CSV of XLSX)", "File (CSV or XLSX)"),
    "upload.submit": ("Aanleveren", "Upload"),
    "upload.result": ("Resultaat", "Result"),
    "upload.refused": ("Het bestand is niet verwerkt:", "The file was not processed:"),
    "upload.problems": ("problemen gevonden.", "problems found."),
    "upload.done": ("Verwerkt", "Processed"),
    "upload.created": ("nieuw", "new"),
    "upload.updated": ("bijgewerkt", "updated"),
    "upload.row": ("Rij", "Row"),
    "upload.column": ("Kolom", "Column"),
    "upload.problem": ("Probleem", "Problem"),
    # a school's connections to Zermelo and Somtoday (api/web/school_sources.py)
    "systems.title": ("Koppelingen met Zermelo en Somtoday", "Connections to Zermelo and Somtoday"),
    "systems.intro": (
        "Haal leerlingen, klassen, docenten en vrije dagdelen rechtstreeks uit uw "
        "leerlingadministratie en rooster. Alleen voornaam, klas, profiel, leerweg, leerjaar en "
        "het midden van het postcodegebied (PC4) worden bewaard; het verslag noemt wat is "
        "weggelaten. Een import wordt helemaal of helemaal niet verwerkt.",
        "Take pupils, classes, teachers and free dayparts straight from your administration "
        "and timetable. Only first name, class, profile, track, year and the centre of the "
        "postcode area (PC4) are stored; the report names what was left out. An import is "
        "stored whole or not at all.",
    ),
    "systems.zermelo": ("Zermelo", "Zermelo"),
    "systems.somtoday": ("Somtoday Connect", "Somtoday Connect"),
    "systems.not_connected": ("Niet gekoppeld.", "Not connected."),
    "systems.on": ("Aan", "On"),
    "systems.off": ("Uit", "Off"),
    "systems.switch_on": ("Aanzetten", "Switch on"),
    "systems.switch_off": ("Uitzetten", "Switch off"),
    "systems.revoke": ("Koppeling intrekken", "Revoke connection"),
    "systems.revoked": (
        "Ingetrokken: koppel opnieuw om te importeren.",
        "Revoked: connect again to import.",
    ),
    "systems.import": ("Nu importeren", "Import now"),
    "systems.running": ("Import loopt", "Import running"),
    "systems.last_import": ("Laatste import", "Last import"),
    "systems.never": ("Nog nooit geïmporteerd.", "Never imported."),
    "systems.status": ("Status", "Status"),
    "systems.report": ("Verslag", "Report"),
    "systems.created": ("nieuw", "new"),
    "systems.updated": ("bijgewerkt", "updated"),
    "systems.unchanged": ("ongewijzigd", "unchanged"),
    "systems.status.imported": ("verwerkt", "stored"),
    "systems.status.refused": ("geweigerd", "refused"),
    "systems.status.failed": ("niet gelezen", "not read"),
    "systems.nothing_stored": ("Er is niets opgeslagen.", "Nothing was stored."),
    "systems.record": ("Record", "Record"),
    "systems.clashes": (
        "geplande activiteiten vallen nu in een bezet dagdeel",
        "planned activities now fall in a busy daypart",
    ),
    "systems.left_out": ("Weggelaten velden", "Fields left out"),
    "systems.problems": ("Geweigerde records", "Refused records"),
    "systems.connect": ("Koppelen", "Connect"),
    "systems.portal": (
        "Portalnaam (https://<portal>.zportal.nl)",
        "Portal name (https://<portal>.zportal.nl)",
    ),
    "systems.code": ("Koppelcode", "Partner code"),
    "systems.branch": ("Vestigingscode (leeg: de enige)", "Branch code (empty: the only one)"),
    "systems.weeks": ("Weken rooster", "Weeks of timetable"),
    "systems.zermelo_help": (
        "Open het Zermelo-portaal, kies Koppelingen, koppel externe applicatie en geef het "
        "stagebureau toegang; plak hier de code die het portaal toont.",
        "Open the Zermelo portal, choose Koppelingen, link an external application and give "
        "the bureau access; paste the code the portal shows here.",
    ),
    "systems.organisation": ("Organisatie-UUID (Somtoday)", "Organisation UUID (Somtoday)"),
    "systems.client_id": ("Client-id", "Client id"),
    "systems.client_secret": ("Client-secret", "Client secret"),
    "systems.location": (
        "Vestiging (afkorting of BRIN; leeg: de enige)",
        "Location (abbreviation or BRIN; empty: the only one)",
    ),
    "systems.somtoday_help": (
        "Zet in Somtoday de koppeling met het stagebureau aan voor uw vestiging en kies de "
        "velden die u deelt; vul het client-id en -secret in die u van het stagebureau kreeg.",
        "Switch the bureau's connection on for your location in Somtoday and choose the fields "
        "you share; fill in the client id and secret the bureau gave you.",
    ),
    "systems.done.connected": ("Gekoppeld.", "Connected."),
    "systems.done.imported": (
        "Import gestart; het verslag staat hieronder.",
        "Import started; its report is below.",
    ),
    "systems.done.switched": ("Opgeslagen.", "Saved."),
    # school: results
    "results.title": ("Uitslag", "Results"),
    "results.intro": ("Wat de gepubliceerde ronde gaf:", "What the published round gave:"),
    "results.pupils": ("Per leerling", "Per pupil"),
    "results.classes": ("Per klas en docent", "Per class and teacher"),
    "results.outcome": ("Stageplek", "Placement"),
    "results.wish": ("Wens nr.", "Wish no."),
    "results.unranked": ("geen wens", "not a wish"),
    "results.travel": ("Reistijd", "Travel"),
    "results.why": ("Waarom", "Why"),
    "results.unplaced": ("Niet geplaatst", "Not placed"),
    "results.missing": ("Niet gepland", "Not planned"),
    "results.nothing_asked": ("Niets aangevraagd.", "Nothing requested."),
    "results.explained": ("Uitleg bij de ronde", "Explanation for the round"),
    "results.back": ("Terug naar de uitslag", "Back to the results"),
    "reason.NO_ELIGIBLE": (
        "Geen stageplek past bij profiel, leerweg, leerjaar en periode",
        "No placement fits the profile, track, year and period",
    ),
    "reason.TOO_FAR": (
        "Passende plekken liggen allemaal te ver weg",
        "All fitting placements are too far away",
    ),
    "reason.NOT_PREFERRED": (
        "Alleen plekken buiten de wensen waren mogelijk",
        "Only placements outside the wishes were possible",
    ),
    "reason.DECLINED": (
        "Afgewezen door het bedrijf; het bureau zoekt een andere plek",
        "Declined by the company; the bureau looks for another place",
    ),
    "reason.CAPACITY": ("Alle bereikbare plekken zijn vol", "Every reachable placement is full"),
    "reason.CONSTRAINT": (
        "Een afspraak (samen, apart of minimum) hield het tegen",
        "A rule (together, apart or minimum) blocked it",
    ),
    "reason_short.NO_ELIGIBLE": ("geen passende plek", "no fitting placement"),
    "reason_short.TOO_FAR": ("te ver", "too far"),
    "reason_short.NOT_PREFERRED": ("geen wens", "not a wish"),
    "reason_short.CAPACITY": ("vol", "full"),
    "reason_short.CONSTRAINT": ("afspraak", "rule"),
    # bureau: rounds
    "rounds.title": ("Rondes", "Rounds"),
    "rounds.list": ("Alle rondes", "All rounds"),
    "rounds.name": ("Naam", "Name"),
    "rounds.status": ("Stand", "Status"),
    "rounds.opened": ("Geopend", "Opened"),
    "rounds.none": ("Nog geen rondes.", "No rounds yet."),
    "rounds.open": ("Nieuwe ronde openen", "Open a new round"),
    "rounds.open_intro": (
        "Een ronde legt de huidige leerlingen, klassen en het aanbod van de bedrijven vast.",
        "A round freezes the current pupils, classes and the companies' offer.",
    ),
    "rounds.open_submit": ("Ronde openen", "Open round"),
    "status.draft": ("concept", "draft"),
    "status.solving": ("wordt berekend", "solving"),
    "status.proposed": ("voorstel", "proposed"),
    "status.published": ("gepubliceerd", "published"),
    "state.proposal": ("voorstel", "proposal"),
    "state.published": ("gepubliceerd", "published"),
    "jobkind.solve": ("berekening", "solve"),
    "jobkind.resolve": ("herberekening", "re-solve"),
    "jobkind.repair": ("herstel", "repair"),
    # bureau: dashboard
    "dash.actions": ("Volgende stap", "Next step"),
    "dash.solve": ("Indeling berekenen", "Solve the round"),
    "dash.resolve": ("Opnieuw berekenen", "Re-solve"),
    "dash.publish": ("Publiceer", "Publish"),
    "dash.proposal_word": ("Voorstel", "Proposal"),
    "dash.publish_confirm": (
        "Ja, scholen en bedrijven zien vanaf nu voorstel",
        "Yes, schools and companies see from now on proposal",
    ),
    "dash.publish_placed": ("leerlingen geplaatst", "pupils placed"),
    "dash.of_proposal": ("van voorstel", "of proposal"),
    "dash.publish_unconfirmed": (
        "Zet het vinkje om te bevestigen welk voorstel u publiceert.",
        "Tick the box to confirm which proposal you publish.",
    ),
    "dash.repair": ("Herstel na afwijzingen", "Repair after declines"),
    "dash.published_is": ("Gepubliceerd is versie", "Published is version"),
    "dash.proposal": ("Voorstel: versie", "Proposal: version"),
    "dash.placed": ("Geplaatst", "Placed"),
    "dash.state": ("Stand", "State"),
    "dash.changes": ("Wijzigingen", "Changes"),
    "dash.coverage": ("Dekking per school", "Coverage per school"),
    "dash.share": ("Aandeel geplaatst", "Share placed"),
    "dash.reasons": ("Niet geplaatst, waarom", "Not placed, why"),
    "dash.load": ("Belasting per bedrijf", "Load per company"),
    "dash.seats_used": ("Plaatsen bezet", "Seats used"),
    "dash.load_share": ("Bezetting", "Load"),
    "dash.hours": ("Uren in drukste maand / budget", "Hours in busiest month / budget"),
    "dash.cap": ("max.", "cap"),
    "dash.over": ("boven budget", "over budget"),
    "dash.unplaced": ("Niet geplaatste leerlingen", "Unplaced pupils"),
    "dash.all_placed": ("Iedereen is geplaatst.", "Everyone is placed."),
    "dash.pin": ("Vastzetten", "Pin"),
    "dash.pin_slot": ("Stageplek en periode voor", "Placement and period for"),
    "dash.pins": ("Vastgezet", "Pinned"),
    "dash.no_pins": ("Niets vastgezet.", "Nothing pinned."),
    "dash.unpin": ("Losmaken", "Unpin"),
    "dash.versions": ("Versies", "Versions"),
    "dash.no_versions": ("Nog geen versies.", "No versions yet."),
    "dash.kind": ("Soort", "Kind"),
    "dash.diff": ("Verschil", "Difference"),
    "dash.diff_link": ("Wat veranderde in versie", "What changed in version"),
    "done.solve": ("Berekening gestart.", "Solve started."),
    "done.resolve": ("Herberekening gestart.", "Re-solve started."),
    "done.repair": ("Herstel gestart.", "Repair started."),
    "done.publish": ("Gepubliceerd.", "Published."),
    "done.pin": ("Vastgezet.", "Pinned."),
    "done.unpin": ("Losgemaakt.", "Unpinned."),
    "done.cancel": ("Gestopt.", "Cancelled."),
    "done.job_succeeded": ("Berekening klaar.", "Solve finished."),
    "done.job_failed": ("Berekening mislukt.", "Solve failed."),
    "done.answer": ("Antwoord namens het bedrijf vastgelegd.", "Answer recorded for the company."),
    "done.lift": ("Afwijzing opgeheven.", "Decline lifted."),
    "answers.deadline_field": ("Bedrijven reageren uiterlijk", "Companies answer by"),
    "answers.deadline": ("Reageren uiterlijk", "Answer by"),
    "answers.overdue": ("verlopen", "overdue"),
    "answers.unanswered": ("Nog geen antwoord van het bedrijf", "Not yet answered by the company"),
    "answers.what": ("Wat", "What"),
    "answers.on_behalf": ("Namens het bedrijf", "For the company"),
    "answers.confirmed": ("Bevestigen", "Confirm"),
    "answers.declined": ("Afwijzen", "Decline"),
    "answers.standing": ("Staande afwijzingen", "Standing declines"),
    "answers.lift": ("Opheffen", "Lift"),
    "done.job_cancelled": ("Berekening gestopt.", "Solve cancelled."),
    # a company that stops (api.web.company_stops)
    "stop.title": ("Bedrijf stopt", "Company stops"),
    "stop.intro": (
        "Stopt dit bedrijf (failliet, SBB-erkenning ingetrokken, geen stages meer)? Vanaf de "
        "datum krijgt het geen leerlingen en bezoeken meer; een herstel plaatst alleen zijn "
        "leerlingen en bezoeken opnieuw.",
        "Does this company stop (bankrupt, SBB recognition withdrawn, no longer hosting)? From "
        "the date it gets no pupils or visits; a repair re-places only its pupils and visits.",
    ),
    "stop.standing": (
        "Dit bedrijf is als gestopt gemarkeerd. Hef die markering op om een andere datum te geven.",
        "This company is marked as stopped. Lift that mark to give another date.",
    ),
    "stop.from": ("Gestopt vanaf", "Stopped from"),
    "stop.reason": ("Reden", "Reason"),
    "stop.note": ("Toelichting", "Note"),
    "stop.mark": ("Markeren als gestopt", "Mark as stopped"),
    "stop.list": ("Stopmeldingen", "Stops"),
    "stop.lifted": ("opgeheven", "lifted"),
    "stop.lift": ("Opheffen", "Lift"),
    "stop.affected": ("Gepubliceerde rondes om te herstellen", "Published rounds to repair"),
    "stop.pupils": ("leerlingen", "pupils"),
    "stop.visits": ("bezoeken", "visits"),
    "stop.repair": ("Herstellen", "Repair"),
    "stop.moves": ("Wie verhuisde", "Who moved"),
    "stop.no_report": (
        "Er is nog geen herstel na een gestopt bedrijf.",
        "No repair after a company stop yet.",
    ),
    "stop.moved_pupils": ("Leerlingen", "Pupils"),
    "stop.moved_visits": ("Bezoeken, gastlessen en docentenstages", "Visits and internships"),
    "stop.requester": ("Klas of docent", "Class or teacher"),
    "stop.was": ("Was", "Was"),
    "stop.now": ("Nu", "Now"),
    "stop.not_placed": ("niet geplaatst", "not placed"),
    "stop.not_planned": ("niet ingepland", "not planned"),
    "stop.stop_marked": ("Bedrijf gemarkeerd als gestopt.", "Company marked as stopped."),
    "stop.stop_lifted": ("Stopmelding opgeheven.", "Stop lifted."),
    "stop.changed": ("Gewijzigd omdat een bedrijf stopte", "Changed because a company stopped"),
    "stop_reason.bankrupt": ("Failliet", "Bankrupt"),
    "stop_reason.recognition_withdrawn": ("SBB-erkenning ingetrokken", "SBB recognition withdrawn"),
    "stop_reason.no_longer_hosting": ("Biedt geen stages meer", "No longer hosting"),
    "stop_reason.other": ("Anders", "Other"),
    "job.running": ("Bezig met berekenen", "Solving"),
    "job.progress": ("Voortgang", "Progress"),
    "job.elapsed": ("Bezig:", "Running for"),
    "job.queued": (
        "in de wachtrij: wacht op een vrije rekenplek",
        "queued: waiting for a free worker",
    ),
    "job.waiting": ("Wacht al", "Waiting for"),
    "job.best": ("beste kosten tot nu toe", "best cost so far"),
    "job.refresh": ("Vernieuwen", "Refresh"),
    "job.cancel": ("Stoppen", "Cancel"),
    "job.failed": ("De laatste berekening mislukte", "The last solve failed"),
    # bureau: diff, menu, map
    "diff.title": ("Verschil tussen versies", "Difference between versions"),
    "diff.before": ("Van versie", "From version"),
    "diff.after": ("Naar versie", "To version"),
    "diff.compare": ("Vergelijken", "Compare"),
    "diff.changes": ("Gewijzigd van", "Changed from"),
    "diff.was": ("Was", "Was"),
    "diff.now": ("Nu", "Now"),
    "diff.same": ("Geen verschillen.", "No differences."),
    "diff.need_two": ("Er zijn twee versies nodig.", "Two versions are needed."),
    "diff.visits": ("Bezoeken gewijzigd", "Visits changed"),
    "diff.none": ("geen", "none"),
    "diff.back": ("Terug naar de ronde", "Back to the round"),
    "menu.title": ("Menukaart", "Menu"),
    "menu.intro": (
        "Wat de bedrijven in de regio aanbieden: stageplekken, bedrijfsbezoeken, gastlessen en "
        "docentenstages.",
        "What the region's companies offer: placements, company visits, guest lessons and "
        "teacher internships.",
    ),
    "menu.sector": ("Sector", "Sector"),
    "menu.filter": ("Filteren", "Filter"),
    "menu.companies": ("bedrijven", "companies"),
    "menu.seats": ("stageplaatsen", "placement seats"),
    "menu.hours_month": ("uur per maand", "hours a month"),
    "menu.nothing": ("Nog niets aangeboden.", "Nothing offered yet."),
    "map.title": ("Kaart van de regio", "Map of the region"),
    "map.round": ("Ronde", "Round"),
    "map.no_round": ("alleen scholen en bedrijven", "schools and companies only"),
    "map.show": ("Tonen", "Show"),
    "map.schools": ("scholen", "schools"),
    "map.companies": ("bedrijven", "companies"),
    "map.links": ("verbindingen met geplaatste leerlingen", "links with placed pupils"),
    "map.legend_lines": (
        "lijnen: leerlingen van een school bij een bedrijf (dikker is meer)",
        "lines: a school's pupils at a company (thicker is more)",
    ),
    "map.as_table": ("Als tabel", "As a table"),
    # bureau: the school year (the region's calendar)
    "nav.school_year": ("Schooljaar", "School year"),
    "school_year.title": ("Schooljaar", "School year"),
    "school_year.intro": (
        "Het schooljaar waarin bedrijfsbezoeken, gastlessen en docentenstages worden gepland. "
        "Een nieuwe ronde neemt het over zoals het hier staat.",
        "The school year in which company visits, guest lessons and teacher internships are "
        "planned. A new round takes it as it stands here.",
    ),
    "school_year.saved": ("Schooljaar opgeslagen.", "School year saved."),
    "school_year.added": ("Vakantie toegevoegd.", "Holiday added."),
    "school_year.removed": ("Vakantie verwijderd.", "Holiday removed."),
    "school_year.filled": (
        "Vakanties en feestdagen ingevuld. Controleer de lijst.",
        "Holidays and public holidays filled in. Please check the list.",
    ),
    "school_year.stale": (
        "Iemand anders heeft het schooljaar intussen gewijzigd. Hieronder staat de huidige "
        "stand; er is niets opgeslagen. Probeer het opnieuw.",
        "Someone else changed the school year meanwhile. The current state is shown below; "
        "nothing was saved. Please try again.",
    ),
    "school_year.dates": ("Begin, einde en tussenruimte", "Start, end and gap"),
    "school_year.period": ("Periode van het schooljaar", "Period of the school year"),
    "school_year.start": ("Eerste dag", "First day"),
    "school_year.end": ("Laatste dag", "Last day"),
    "school_year.min_gap": (
        "Minimale tussenruimte in dagen (min_gap_days)",
        "Minimum gap in days (min_gap_days)",
    ),
    "school_year.min_gap_hint": (
        "Het minimale aantal dagen tussen twee activiteiten van één klas of één docent. "
        "0 betekent: geen minimum.",
        "The minimum number of days between two activities of one class or one teacher. "
        "0 means: no minimum.",
    ),
    "school_year.school_days": (
        "Schooldagen (maandag tot en met vrijdag, buiten de vakanties)",
        "School days (Monday to Friday, outside the holidays)",
    ),
    "school_year.holidays": ("Vakanties en feestdagen", "Holidays and public holidays"),
    "school_year.holidays_intro": (
        "Op deze dagen wordt niets gepland. Zet er ook de feestdagen in, zoals Koningsdag, "
        "Hemelvaartsdag en Tweede pinksterdag.",
        "Nothing is planned on these days. Include the public holidays too, such as King's Day, "
        "Ascension Day and Whit Monday.",
    ),
    "school_year.from": ("Van", "From"),
    "school_year.until": ("Tot en met", "Up to and including"),
    "school_year.until_hint": ("Leeg laten voor één dag.", "Leave empty for a single day."),
    "school_year.name": ("Naam", "Name"),
    "school_year.no_name": ("onbekend", "unknown"),
    "school_year.no_holidays": ("Nog geen vakanties ingevoerd.", "No holidays entered yet."),
    "school_year.add": ("Vakantie of feestdag toevoegen", "Add a holiday"),
    "school_year.add_submit": ("Toevoegen", "Add"),
    "school_year.fill": (
        "Vakanties invullen van vakantieregio",
        "Fill in the holidays of holiday region",
    ),
    "school_year.fill_hint": (
        "Vervangt de lijst hierboven door de schoolvakanties van de gekozen regio en de "
        "feestdagen tussen de eerste en de laatste dag.",
        "Replaces the list above with the school holidays of the chosen region and the public "
        "holidays between the first and the last day.",
    ),
    "school_year.region": ("Regio", "Region"),
    "school_year.fill_submit": ("Vakanties invullen", "Fill in holidays"),
    "school_year.pick_region": (
        "kies vakantieregio Noord, Midden of Zuid",
        "choose holiday region Noord, Midden or Zuid",
    ),
    "school_year.unknown_years": (
        "Nog geen schoolvakanties bekend (alleen feestdagen) voor regio",
        "No school holidays known yet (public holidays only) for region",
    ),
    "school_year.dates_first": (
        "Sla eerst een geldig schooljaar op (eerste en laatste dag).",
        "First save a valid school year (first and last day).",
    ),
    "school_year.source": (
        "Vakanties en feestdagen komen uit het Python-pakket",
        "Holidays and public holidays come from the Python package",
    ),
    "periods.title": ("Stageperiodes met data", "Placement periods with dates"),
    "periods.intro": (
        "Een stageperiode met data telt voor bedrijven met een maximum aantal stagiairs "
        "tegelijk: een stagiair is er op de gekozen weekdagen van de eerste tot en met de "
        "laatste dag, behalve in vakanties. Een blokstage loopt een paar weken elke dag, een "
        "lintstage één dag per week een heel semester.",
        "A placement period with dates counts for companies with a most pupils at once: a pupil "
        "is there on the chosen weekdays from the first to the last day, holidays excepted. A "
        "block placement runs every day for a few weeks, a lint placement one day a week for a "
        "whole term.",
    ),
    "periods.none": ("Nog geen stageperiodes met data.", "No placement periods with dates yet."),
    "periods.code": ("Code", "Code"),
    "periods.code_hint": (
        "De code die scholen en stageplekken gebruiken (bijv. P3). Een bestaande code wordt "
        "vervangen.",
        "The code schools and placements use (e.g. P3). An existing code is replaced.",
    ),
    "periods.weekdays": ("Weekdagen", "Weekdays"),
    "periods.weekdays_hint": (
        "Geen vinkje: maandag tot en met vrijdag.",
        "None ticked: Monday to Friday.",
    ),
    "periods.every_weekday": ("ma t/m vr", "Mon to Fri"),
    "periods.hours_per_day": ("Uren per dag", "Hours per day"),
    "periods.days": ("Stagedagen", "Placement days"),
    "periods.add": ("Stageperiode toevoegen of vervangen", "Add or replace a placement period"),
    "periods.added": ("Stageperiode opgeslagen.", "Placement period saved."),
    "periods.removed": ("Stageperiode verwijderd.", "Placement period removed."),
    # the school's sources (api/web/sources.py)
    "nav.sources": ("Koppelingen", "Sources"),
    "sources.title": (
        "Roosters en leerlingen uit het schoolsysteem",
        "Timetables and pupils from the school system",
    ),
    "sources.intro": (
        "Koppel per klas of docent de agendalink uit Zermelo, Magister of Somtoday, of lever een "
        ".ics-bestand of een EDEXML-bestand aan. Lessen worden bezette dagdelen, de rest van de "
        "schooldag is vrij. Alleen wat het stagebureau gebruikt wordt bewaard.",
        "Link each class's or teacher's calendar from Zermelo, Magister or Somtoday, or upload an "
        ".ics or EDEXML file. Lessons become busy dayparts, the rest of the school day is free. "
        "Only what the bureau uses is stored.",
    ),
    "sources.refused": ("Niet geïmporteerd", "Not imported"),
    "sources.record": ("Gegeven", "Record"),
    "sources.field": ("Veld", "Field"),
    "sources.list": ("Bronnen", "Sources"),
    "sources.kind": ("Soort", "Kind"),
    "sources.kind.ical": ("Agenda (iCalendar)", "Calendar (iCalendar)"),
    "sources.kind.edexml": ("EDEXML-bestand", "EDEXML file"),
    "sources.kind.zermelo": ("Zermelo", "Zermelo"),
    "sources.kind.somtoday": ("Somtoday", "Somtoday"),
    "sources.for": ("Voor", "For"),
    "sources.where": ("Adres of bestand", "Address or file"),
    "sources.last_import": ("Laatste import", "Last import"),
    "sources.never": ("nog niet", "not yet"),
    "sources.report": ("Verslag", "Report"),
    "sources.on": ("Aan of uit", "On or off"),
    "sources.switch_on": ("Aanzetten", "Switch on"),
    "sources.switch_off": ("Uitzetten", "Switch off"),
    "sources.delete": ("Verwijderen", "Remove"),
    "sources.import_all": ("Alle agendalinks nu importeren", "Import every calendar link now"),
    "sources.none": ("Nog geen bronnen gekoppeld.", "No sources linked yet."),
    "sources.add": ("Bron toevoegen", "Add a source"),
    "sources.feed": ("Agendalink", "Calendar link"),
    "sources.feed_hint": (
        "De link van het rooster van één klas of docent (https:// of webcal://).",
        "The timetable link of one class or teacher (https:// or webcal://).",
    ),
    "sources.url": ("Link", "Link"),
    "sources.add_feed": ("Link toevoegen", "Add link"),
    "sources.ics_file": ("Roosterbestand (.ics)", "Timetable file (.ics)"),
    "sources.file_ics": ("Bestand (.ics)", "File (.ics)"),
    "sources.edexml": ("Leerlingen uit EDEXML", "Pupils from EDEXML"),
    "sources.edexml_hint": (
        "Leerlingen, groepen en docenten; profiel en leerweg volgen uit de groepsnaam "
        "(3KB-PIE) of uit de klas.",
        "Pupils, groups and teachers; profile and track follow from the group's name "
        "(3KB-PIE) or its class.",
    ),
    "sources.file_xml": ("Bestand (.xml)", "File (.xml)"),
    "sources.unchanged": ("ongewijzigd", "unchanged"),
    "sources.now_free": ("nu vrij:", "now free:"),
    "sources.no_longer_free": ("niet meer vrij:", "no longer free:"),
    "sources.exceptions": ("uitzonderingen:", "exceptions:"),
    "sources.left_out": (
        "Niet bewaard (aangeboden door de bron):",
        "Not stored (offered by the source):",
    ),
    "sources.clashes": (
        "Deze geplande activiteiten vallen nu in een bezet dagdeel:",
        "These planned activities now fall in a busy daypart:",
    ),
    "dash.repair_timetables": (
        "Roosterconflicten opnieuw inplannen",
        "Plan timetable clashes anew",
    ),
    "sources.repair_hint": (
        "Het stagebureau ziet ze bij de ronde en kan ze met een herstel opnieuw inplannen.",
        "The bureau sees them at the round and can plan them again with a repair.",
    ),
}


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "nl")
    return lang if lang in LANGUAGES else "nl"


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)` in `lang`; an unknown key shows itself, so a test can catch it."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str) -> str:
        entry = MESSAGES.get(key)
        return entry[index] if entry is not None else key

    return t
