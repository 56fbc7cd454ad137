"""The words of the round page's lists, filters and pin choices, Dutch and English, merged into
`api.web.i18n.MESSAGES`."""

from __future__ import annotations

ROUND_PAGE_MESSAGES: dict[str, tuple[str, str]] = {
    "rp.placed": ("Geplaatste leerlingen", "Placed pupils"),
    "rp.filter": ("Filteren", "Filter"),
    "rp.any": ("alle", "any"),
    "rp.school": ("School", "School"),
    "rp.reason": ("Reden", "Reason"),
    "rp.profile": ("Profiel", "Profile"),
    "rp.company": ("Bedrijf", "Company"),
    "rp.search": ("Leerlingcode bevat", "Pupil code contains"),
    "rp.apply": ("Toon", "Show"),
    "rp.clear": ("Filters wissen", "Clear filters"),
    "rp.found": ("gevonden", "found"),
    "rp.none_found": ("Geen leerlingen met deze filters.", "No pupils with these filters."),
    "rp.page": ("Pagina", "Page"),
    "rp.of": ("van", "of"),
    "rp.previous": ("Vorige", "Previous"),
    "rp.next": ("Volgende", "Next"),
    "rp.pages": ("Bladeren", "Pages"),
    "rp.back": ("Terug naar de ronde", "Back to the round"),
    "rp.placement": ("Stageplek", "Placement"),
    "rp.companies_intro": (
        "Alleen bedrijven met leerlingen of activiteiten, de volste eerst.",
        "Only companies with pupils or activities, the fullest first.",
    ),
    "rp.no_load": (
        "Nog geen bedrijf heeft leerlingen of activiteiten.",
        "No company has pupils or activities yet.",
    ),
    "rp.choose": ("Kies een plek", "Choose a placement"),
    "rp.choices_for": ("Vastzetten van", "Pin"),
    "rp.choices_intro": (
        "Alleen plekken die deze leerling mag nemen: profiel, leerweg en leerjaar passen, "
        "binnen de reistijd, in een gedeelde periode en niet uitgesloten. Wensen eerst.",
        "Only placements this pupil may take: profile, track and year fit, within its travel "
        "time, in a shared period and not excluded. Wishes first.",
    ),
    "rp.no_choices": (
        "Voor deze leerling is geen enkele plek geldig: geen plek past bij profiel, leerweg, "
        "leerjaar, periode en reistijd.",
        "No placement is valid for this pupil: none fits its profile, track, year, period and "
        "travel time.",
    ),
    "rp.seats": ("bezet", "taken"),
    "rp.full": ("vol", "full"),
    "rp.wish": ("wens", "wish"),
    "rp.current": ("huidige plek", "current placement"),
    "rp.unknown_school": (
        "Deze ronde heeft geen school (veld school)",
        "This round has no school (field school)",
    ),
    "rp.unknown_reason": (
        "Geen niet-geplaatste leerling heeft deze reden (veld reden)",
        "No unplaced pupil has this reason (field reason)",
    ),
    "rp.unknown_profile": (
        "Deze ronde heeft geen profiel (veld profiel)",
        "This round has no profile (field profile)",
    ),
    "rp.unknown_company": (
        "Geen leerling is geplaatst bij bedrijf (veld bedrijf)",
        "No pupil is placed at company (field company)",
    ),
    "rp.bad_page": (
        "Geen geldig paginanummer (veld pagina)",
        "Not a valid page number (field page)",
    ),
    "rp.no_pupil": (
        "Deze ronde heeft geen leerling (veld leerling)",
        "This round has no pupil (field pupil)",
    ),
    "rp.no_proposal": (
        "Deze ronde heeft nog geen voorstel: start eerst een berekening.",
        "This round has no proposal yet: start a solve first.",
    ),
}
