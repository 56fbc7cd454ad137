"""The words of the round page's dashboard (activities, cofinancing, one more seat, charts,
downloads, the map and the solve's progress), Dutch and English, merged into
`api.web.i18n.MESSAGES`."""

from __future__ import annotations

DASHBOARD_MESSAGES: dict[str, tuple[str, str]] = {
    "db.brin": ("BRIN", "BRIN"),
    # activities
    "db.activities": (
        "Bezoeken, gastlessen en docentenstages",
        "Visits, guest lessons and teacher internships",
    ),
    "db.activities_intro": (
        "Per soort: hoeveel er zijn ingepland, hoeveel niet (met de reden) en hoeveel bedrijven "
        "na publicatie hebben afgezegd.",
        "Per kind: how many are planned, how many are not (with the reason) and how many the "
        "companies declined after publication.",
    ),
    "db.kind": ("Soort", "Kind"),
    "db.planned": ("Ingepland", "Planned"),
    "db.unplanned": ("Niet ingepland", "Not planned"),
    "db.declined": ("Afgezegd door bedrijf", "Declined by the company"),
    "db.no_activities": (
        "Deze ronde vraagt geen bezoeken, gastlessen of docentenstages.",
        "This round asks for no visits, guest lessons or teacher internships.",
    ),
    "areason.NO_OFFER": ("geen aanbod van deze soort", "no offer of this kind"),
    "areason.TOO_FAR": ("aanbod te ver weg", "offers too far away"),
    "areason.NO_COMMON_DAYPART": ("geen gezamenlijk vrij dagdeel", "no free daypart in common"),
    "areason.GAP": ("te kort na een ander bezoek", "too soon after another visit"),
    "areason.SECTORS": ("geen andere sector meer over", "no other sector left"),
    "areason.HOURS_EXHAUSTED": ("uren van het bedrijf op", "company's hours used up"),
    "areason.OFFER_FULL": ("aanbod vol", "offer full"),
    "areason.NO_ESCORT": ("geen begeleider vrij", "no escort free"),
    "areason.COMBINED": ("meerdere regels samen", "several rules together"),
    # cofinancing
    "db.cofinancing": ("Cofinanciering", "Cofinancing"),
    "db.cofinancing_text": (
        "Bedrijven dragen {hours} uur bij, tegen {rate} per uur {value}. Het doel is {share} "
        "van het regionale plan ({budget}): {target}.",
        "Companies give {hours} hours, at {rate} an hour {value}. The target is {share} of "
        "the regional plan ({budget}): {target}.",
    ),
    "db.reached": ("Dat is {percent} van het doel.", "That is {percent} of the target."),
    "db.short": ("Er ontbreekt nog {amount}.", "{amount} is still missing."),
    "db.no_budget": (
        "De regio heeft nog geen budget van het regionale plan ingevuld: er is geen doel.",
        "The region has entered no regional plan budget yet: there is no target.",
    ),
    "db.cofinanced": ("Cofinanciering", "Cofinancing"),
    "db.target": ("Doel", "Target"),
    "db.hours": ("Uren", "Hours"),
    "db.top_companies": ("Bedrijven met de meeste uren", "Companies giving most hours"),
    "cokind.placement": ("Stagebegeleiding", "Placement supervision"),
    "cokind.guest_lesson": ("Gastlessen", "Guest lessons"),
    "cokind.excursion": ("Bedrijfsbezoeken", "Company visits"),
    "cokind.teacher_internship": ("Docentenstages", "Teacher internships"),
    "cokind.event_session": ("Evenementen", "Events"),
    # one more seat
    "db.advice": ("Waar helpt één plek extra?", "Where would one more seat help?"),
    "db.advice_intro": (
        "Berekent voor elke stageplek en periode wat één plek extra zou opleveren. Dit lost de "
        "plaatsing opnieuw op en kan bij een grote regio even duren.",
        "Works out, for every placement and period, what one more seat would bring. This "
        "solves the placements again and may take a while for a large region.",
    ),
    "db.advice_button": ("Bereken advies", "Work out the advice"),
    "db.advice_again": ("Opnieuw berekenen", "Work out again"),
    "db.advice_more": (
        "Eén plek extra bij {company} ({placement}) in periode {period} plaatst 1 leerling meer.",
        "One more seat at {company} ({placement}) in period {period} places 1 more pupil.",
    ),
    "db.advice_better": (
        "Eén plek extra bij {company} ({placement}) in periode {period} geeft leerlingen een "
        "plek die beter bij hun wensen of reistijd past.",
        "One more seat at {company} ({placement}) in period {period} gives pupils a place "
        "that suits their wishes or travel better.",
    ),
    "db.advice_none": (
        "Nergens: één plek extra plaatst niemand meer en maakt niemand beter af.",
        "Nowhere: one more seat would place nobody more and suit nobody better.",
    ),
    "db.advice_relaxed": (
        "Deze ronde heeft extra afspraken (samen, apart, maximum per dag): het advies rekent "
        "zonder die afspraken.",
        "This round has extra rules (together, apart, a daily maximum): the advice counts "
        "without them.",
    ),
    "db.advice_now": ("Nu", "Now"),
    "db.seats": ("plekken", "seats"),
    # charts
    "db.charts": ("In grafieken", "As charts"),
    "db.chart_share": ("Geplaatst aandeel per school", "Placed share per school"),
    "db.chart_reasons": ("Niet geplaatst, per reden", "Not placed, by reason"),
    "db.chart_load": ("Bezetting van de volste bedrijven", "Load of the fullest companies"),
    "db.chart_months": (
        "Uren bezoeken en lessen per maand",
        "Hours of visits and lessons per month",
    ),
    "db.chart_cofinancing": ("Cofinanciering tegen het doel", "Cofinancing against the target"),
    "db.as_table": ("Als tabel", "As a table"),
    "db.month": ("Maand", "Month"),
    "db.count": ("Aantal", "Count"),
    "db.load_percent": ("Bezetting (%)", "Load (%)"),
    "db.no_months": ("Nog geen bezoeken of lessen ingepland.", "No visits or lessons planned yet."),
    # downloads
    "db.downloads": ("Downloads", "Downloads"),
    "db.downloads_of.published": ("Van de gepubliceerde versie.", "Of the published version."),
    "db.downloads_of.proposal": (
        "Van het voorstel (nog niet gepubliceerd).",
        "Of the proposal (not published yet).",
    ),
    "db.round_json": ("Ronde (JSON)", "Round (JSON)"),
    "db.solution_json": ("Oplossing (JSON)", "Solution (JSON)"),
    "db.cofinancing_csv": ("Cofinanciering per bedrijf (CSV)", "Cofinancing per company (CSV)"),
    "db.per_school": (
        "Per school: leerlingen met plek of reden, en jaarkalender",
        "Per school: pupils with placement or reason, and year calendar",
    ),
    "db.per_company": (
        "Per bedrijf: leerlingen en jaarkalender",
        "Per company: pupils and year calendar",
    ),
    "db.company_code": ("Bedrijfscode", "Company code"),
    "db.format": ("Bestand", "File"),
    "db.download": ("Downloaden", "Download"),
    "db.calendar": ("Jaarkalender (ICS)", "Year calendar (ICS)"),
    "db.bad_document": (
        "Geen document met deze naam (veld document)",
        "No document of this name (field document)",
    ),
    "db.bad_party": (
        "Geen download voor dit soort (veld soort)",
        "No download for this kind (field kind)",
    ),
    "db.bad_format": (
        "Onbekend bestandsformaat (veld fmt: csv, xlsx of ics)",
        "Unknown file format (field fmt: csv, xlsx or ics)",
    ),
    "db.unknown_school": (
        "Geen school met deze code in uw regio (veld code)",
        "No school with this code in your region (field code)",
    ),
    "db.unknown_company": (
        "Geen bedrijf met deze code in uw regio (veld code)",
        "No company with this code in your region (field code)",
    ),
    "done.advice": ("Advies berekend.", "Advice worked out."),
    # map
    "map.leaflet_label": ("Kaart met achtergrond", "Map with background"),
    "map.offline": (
        "Zonder internet of JavaScript toont de kaart alleen de omtrek van de regio.",
        "Without internet or JavaScript the map shows the region's outline only.",
    ),
    # progress
    "phase.placements": ("Stageplaatsing", "Placements"),
    "phase.activities": ("Bezoeken en lessen", "Visits and lessons"),
    "phase.electives": ("Keuzedelen", "Electives"),
    "phase.events": ("Evenementen", "Events"),
    "job.solver_time": ("rekentijd", "solver time"),
    "job.bound": ("ondergrens", "bound"),
    "job.gap": ("verschil", "gap"),
}
