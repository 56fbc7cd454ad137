"""The company pages' words for codes a company contact does not know by heart: the vmbo
profiles and tracks (SPEC section 1), and the offer form's date picker."""

from __future__ import annotations

COMPANY_MESSAGES: dict[str, tuple[str, str]] = {
    "profile.BWI": ("Bouwen, wonen en interieur", "Building, living and interiors"),
    "profile.PIE": ("Produceren, installeren en energie", "Production, installation and energy"),
    "profile.MT": ("Mobiliteit en transport", "Mobility and transport"),
    "profile.MVI": ("Media, vormgeving en ICT", "Media, design and ICT"),
    "profile.MaT": ("Maritiem en techniek", "Maritime and engineering"),
    "profile.ZW": ("Zorg en welzijn", "Care and welfare"),
    "profile.EO": ("Economie en ondernemen", "Economics and enterprise"),
    "profile.HBR": ("Horeca, bakkerij en recreatie", "Hospitality, bakery and recreation"),
    "profile.GR": ("Groen", "Green sector"),
    "profile.DP": ("Dienstverlening en producten", "Services and products"),
    "profile.TECH": ("Technologie (theoretische leerweg)", "Technology (theoretical track)"),
    "track.bb": ("Basisberoepsgerichte leerweg", "Basic vocational track"),
    "track.kb": ("Kaderberoepsgerichte leerweg", "Advanced vocational track"),
    "track.gl": ("Gemengde leerweg", "Combined track"),
    "track.tl": ("Theoretische leerweg", "Theoretical track"),
    "capacity.placement": ("Stageplek", "Placement"),
    "capacity.period_dates": ("{start} t/m {end}", "{start} to {end}"),
    "capacity.codes": ("Wat betekenen de codes?", "What do the codes mean?"),
    "offer.pick_dates": ("Losse dagen", "Single days"),
    "offer.pick_date": ("Datum {n}", "Date {n}"),
    "offer.pick_part": ("Dagdeel {n}", "Daypart {n}"),
    "offer.more_dates": ("Meer dagdelen", "More dayparts"),
    "offer.bad_date": (
        "Losse dagdelen: '{value}' is geen datum met dagdeel. Kies de dag met de datumkiezer, "
        "of typ bijvoorbeeld 2027-03-11/am (ochtend) of 2027-03-11/pm (middag).",
        "Single dayparts: '{value}' is not a date with a daypart. Pick the day with the date "
        "picker, or type for example 2027-03-11/am (morning) or 2027-03-11/pm (afternoon).",
    ),
    "assigned.confirm_all": ("Bevestig alle {count} leerlingen", "Confirm all {count} pupils"),
    "assigned.confirm_all_intro": (
        "Kunnen alle leerlingen hieronder komen? Bevestig ze in één keer. Een leerling die niet "
        "kan komen wijst u eerst af, met de reden.",
        "Can every pupil below come? Confirm them in one go. Decline a pupil who cannot come "
        "first, with the reason.",
    ),
    "saved.confirmed_all": ("Alle leerlingen bevestigd.", "All pupils confirmed."),
    "assigned.group_size": ("{count} leerlingen", "{count} pupils"),
    "assigned.one_teacher": ("1 docent", "1 teacher"),
}
