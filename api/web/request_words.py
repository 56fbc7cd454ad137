"""The placement-request pages' words, Dutch and English, merged into `api.web.i18n.MESSAGES`."""

from __future__ import annotations

REQUEST_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.requests": ("Stageaanvragen", "Placement requests"),
    "requests.title": ("Stageaanvragen", "Placement requests"),
    "requests.intro": (
        "Per ronde: de aanvraag van elke leerling, van concept via ingediend en goedgekeurd door "
        "de mentor tot afgerond. Alleen goedgekeurde aanvragen gaan mee in de berekening; zodra "
        "die start liggen de aanvragen van de ronde vast.",
        "Per round: each pupil's request, from draft through submitted and approved by the "
        "mentor to done. Only approved requests enter the solve; once it starts, the round's "
        "requests are locked.",
    ),
    "requests.no_rounds": ("Er is nog geen ronde.", "There is no round yet."),
    "requests.round": ("Ronde", "Round"),
    "requests.show": ("Tonen", "Show"),
    "requests.counts": ("Aantallen per status", "Counts per status"),
    "requests.all": ("Alle", "All"),
    "requests.stuck": ("Vastgelopen", "Stuck"),
    "requests.stuck_hint": (
        "langer dan {days} dagen concept of ingediend, niet geplaatst of afgewezen",
        "longer than {days} days in draft or submitted, unplaced or declined",
    ),
    "requests.list": ("Leerlingen", "Pupils"),
    "requests.none": ("Geen aanvragen om te tonen.", "No requests to show."),
    "requests.pick": ("Kies", "Pick"),
    "requests.pupil": ("Leerling", "Pupil"),
    "requests.status": ("Status", "Status"),
    "requests.since": ("Sinds", "Since"),
    "requests.wishes": ("Wensen", "Wishes"),
    "requests.placement": ("Plaats", "Placement"),
    "requests.note": ("Opmerking mentor", "Mentor's note"),
    "requests.bulk": ("Aangevinkte aanvragen", "Ticked requests"),
    "requests.do.submit": ("Indienen", "Submit"),
    "requests.do.approve": ("Goedkeuren (mentor)", "Approve (mentor)"),
    "requests.new": ("Nieuwe aanvraag", "New request"),
    "requests.new_hint": (
        "Een concept met de wensen van de leerling zoals ze nu zijn.",
        "A draft with the pupil's wishes as they are now.",
    ),
    "requests.add": ("Aanvraag maken", "Create request"),
    "requests.everyone_asked": (
        "Elke leerling van de ronde heeft een aanvraag.",
        "Every pupil of the round has a request.",
    ),
    "requests.locked": (
        "De berekening van deze ronde is gestart: de aanvragen liggen vast.",
        "This round's solve has started: its requests are locked.",
    ),
    "requests.done.created": ("Aanvraag gemaakt.", "Request created."),
    "requests.done.submit": ("Aanvragen ingediend.", "Requests submitted."),
    "requests.done.approve": ("Aanvragen goedgekeurd.", "Requests approved."),
    "requests.per_school": ("Per school", "Per school"),
    "requests.school": ("School", "School"),
    "request_status.draft": ("Concept", "Draft"),
    "request_status.submitted": ("Ingediend", "Submitted"),
    "request_status.approved": ("Goedgekeurd", "Approved"),
    "request_status.in_round": ("In de ronde", "In the round"),
    "request_status.placed": ("Geplaatst", "Placed"),
    "request_status.unplaced": ("Niet geplaatst", "Not placed"),
    "request_status.declined": ("Afgewezen door bedrijf", "Declined by the company"),
    "request_status.confirmed": ("Bevestigd door bedrijf", "Confirmed by the company"),
    "request_status.agreement_signed": ("Stageovereenkomst getekend", "Agreement signed"),
    "request_status.done": ("Afgerond", "Done"),
    "request_status.withdrawn": ("Ingetrokken", "Withdrawn"),
}
