"""The words of the platform's mail, Dutch (the default) and English, one table like the pages'
(`api.web.i18n`): key -> (Dutch, English) format strings.

Mail names pupils by their code only: pupils are minors, and a mail leaves the platform. A
code is never followed by a colon, so an erasure (`api.pupil_data`) finds it in a stored mail.
"""

from __future__ import annotations

from typing import Any

MAIL_LANGUAGES = ("nl", "en")

MAIL: dict[str, tuple[str, str]] = {
    # a placement agreement waits for a signature (api.services.agreements)
    "agreement.subject": (
        "Stageovereenkomst {student} bij {company} wacht op uw handtekening",
        "Placement agreement {student} at {company} waits for your signature",
    ),
    "agreement.body": (
        "De stageovereenkomst van leerling {student} bij {company} ({placement}, periode "
        "{period}) wacht op een handtekening van: {parties}. Al getekend: {signed}.",
        "The placement agreement of pupil {student} at {company} ({placement}, period "
        "{period}) waits for a signature of: {parties}. Signed so far: {signed}.",
    ),
    "party.school": ("de school", "the school"),
    "party.company": ("het bedrijf", "the company"),
    "party.pupil": ("de leerling", "the pupil"),
    "party.parent": ("een ouder", "a parent"),
    "party.none": ("nog niemand", "nobody yet"),
    "greeting": ("Beste {email},", "Dear {email},"),
    "signature": (
        "Met vriendelijke groet,\nHet stagebureau",
        "Kind regards,\nThe internship bureau",
    ),
    "link": ("Bekijk het hier: {url}", "See it here: {url}"),
    "preferences": (
        "U krijgt deze mail {mode}. Kies direct of een dagelijks overzicht op {url}",
        "You get this mail {mode}. Choose instant or a daily digest at {url}",
    ),
    "mode.instant": ("direct", "instantly"),
    "mode.digest": ("als dagelijks overzicht", "as a daily digest"),
    "digest.subject": (
        "Stagebureau: {count} berichten van vandaag",
        "Internship bureau: {count} messages of today",
    ),
    "digest.intro": (
        "Dit is uw dagelijkse overzicht van het stagebureau.",
        "This is your daily digest from the internship bureau.",
    ),
    # a round published: the school's part
    "published.school.subject": (
        "Ronde {round} is gepubliceerd: {placed} van uw {pupils} leerlingen geplaatst",
        "Round {round} is published: {placed} of your {pupils} pupils placed",
    ),
    "published.school.body": (
        "Het stagebureau heeft ronde {round} gepubliceerd. Van de {pupils} leerlingen van "
        "{school} hebben er {placed} een stageplaats en {unplaced} (nog) niet.",
        "The internship bureau has published round {round}. Of the {pupils} pupils of "
        "{school}, {placed} have a placement and {unplaced} have none (yet).",
    ),
    "published.school.unplaced": (
        "Niet geplaatst: {codes}",
        "Not placed: {codes}",
    ),
    "published.school.activities": (
        "Geplande bezoeken, gastlessen en docentstages van uw klassen en docenten: {count}",
        "Planned visits, guest lessons and teacher internships of your classes and teachers: "
        "{count}",
    ),
    # a round published: the company's part
    "published.company.subject": (
        "Ronde {round}: {pupils} leerlingen voor {company}, antwoord vóór {deadline}",
        "Round {round}: {pupils} pupils for {company}, answer by {deadline}",
    ),
    "published.company.body": (
        "Het stagebureau heeft ronde {round} gepubliceerd. Aan {company} zijn {pupils} "
        "leerlingen en {activities} bezoeken of gastlessen toegewezen. Bevestig of wijs ze af "
        "vóór {deadline}.",
        "The internship bureau has published round {round}. {company} was assigned {pupils} "
        "pupils and {activities} visits or guest lessons. Confirm or decline them by "
        "{deadline}.",
    ),
    "published.company.pupil": (
        "- {student} ({placement}, periode {period})",
        "- {student} ({placement}, period {period})",
    ),
    # a repair published
    "moved.school.subject": (
        "Ronde {round} is aangepast: {count} van uw leerlingen gewijzigd",
        "Round {round} was changed: {count} of your pupils changed",
    ),
    "moved.company.subject": (
        "Ronde {round} is aangepast: wijzigingen voor {company}",
        "Round {round} was changed: changes for {company}",
    ),
    "moved.body": (
        "Het stagebureau heeft een herstel van ronde {round} gepubliceerd. Dit verandert voor u:",
        "The internship bureau has published a repair of round {round}. What changes for you:",
    ),
    "moved.line": ("- {student} van {old} naar {new}", "- {student} from {old} to {new}"),
    "moved.none": ("geen plaats", "no placement"),
    "moved.company.deadline": (
        "Bevestig of wijs nieuwe leerlingen af vóór {deadline}.",
        "Confirm or decline new pupils by {deadline}.",
    ),
    "repair.bureau.subject": (
        "Herstel van ronde {round} klaar: {changes} leerlingen verplaatst",
        "Repair of round {round} ready: {changes} pupils moved",
    ),
    "repair.bureau.body": (
        "Het herstel van ronde {round} is klaar ({message}). Bekijk het voorstel en publiceer "
        "het, dan krijgen scholen en bedrijven bericht.",
        "The repair of round {round} is ready ({message}). Review the proposal and publish "
        "it; schools and companies are then told.",
    ),
    # a company declines
    "declined.subject": (
        "{company} heeft leerling {student} afgewezen",
        "{company} declined pupil {student}",
    ),
    "declined.body": (
        "{company} heeft leerling {student} ({placement}, periode {period}) in ronde {round} "
        "afgewezen. Het stagebureau zoekt een andere plaats.",
        "{company} declined pupil {student} ({placement}, period {period}) in round {round}. "
        "The internship bureau looks for another placement.",
    ),
    "declined_visit.subject": (
        "{company} heeft een bezoek van {requester} afgewezen",
        "{company} declined a visit of {requester}",
    ),
    "declined_visit.body": (
        "{company} heeft het bezoek van {requester} bij {offer} op {date} ({daypart}) in ronde "
        "{round} afgewezen. Het stagebureau plant het opnieuw waar dat kan.",
        "{company} declined the visit of {requester} at {offer} on {date} ({daypart}) in round "
        "{round}. The internship bureau plans it again where it can.",
    ),
    # the answer deadline comes near
    "deadline.subject": (
        "Herinnering: antwoord vóór {deadline} op ronde {round}",
        "Reminder: answer round {round} by {deadline}",
    ),
    "deadline.body": (
        "{company} heeft in ronde {round} nog {count} leerlingen of bezoeken niet bevestigd of "
        "afgewezen. De termijn loopt af op {deadline}.",
        "{company} has not yet confirmed or declined {count} pupils or visits of round "
        "{round}. The deadline is {deadline}.",
    ),
}


def mail_text(language: str, key: str, **params: Any) -> str:
    """The text of `key` in `language` (Dutch for any language the mail does not speak)."""
    index = MAIL_LANGUAGES.index(language) if language in MAIL_LANGUAGES else 0
    return MAIL[key][index].format(**params)
