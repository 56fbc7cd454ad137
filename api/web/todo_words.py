"""The to-do page's words, Dutch and English, merged into `api.web.i18n.MESSAGES`.

`todo.<kind>` is the line of an item of that kind (`api.services.todo`), formatted with its
`count` and `detail`."""

from __future__ import annotations

TODO_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.todo": ("Te doen", "To do"),
    "todo.title": ("Te doen", "To do"),
    "todo.waiting": ("Wacht op u", "Waiting for you"),
    "todo.nothing": ("Niets te doen: alles is bij.", "Nothing to do: all caught up."),
    "todo.proposal": (
        "Ronde {round}: een voorstel wacht op publicatie",
        "Round {round}: a proposal waits to be published",
    ),
    "todo.overdue": (
        "Ronde {round}: {company} heeft {count} antwoorden niet gegeven (termijn {deadline})",
        "Round {round}: {company} owes {count} answers (deadline {deadline})",
    ),
    "todo.unplaced": (
        "Ronde {round}: {count} leerlingen niet geplaatst",
        "Round {round}: {count} pupils not placed",
    ),
    "todo.mail_failed": (
        "Mail aan {email} niet verstuurd ({count} pogingen, volgende {next}): {subject}. "
        "Fout: {error}",
        "Mail to {email} not sent ({count} attempts, next {next}): {subject}. Error: {error}",
    ),
    "todo.school_unplaced": (
        "Ronde {round}: {count} leerlingen niet geplaatst ({pupils})",
        "Round {round}: {count} pupils not placed ({pupils})",
    ),
    "todo.school_declined": (
        "Ronde {round}: {count} leerlingen afgewezen, zij wachten op een nieuwe plaats ({pupils})",
        "Round {round}: {count} pupils declined, waiting for a new placement ({pupils})",
    ),
    "todo.company_waiting": (
        "Ronde {round}: {count} leerlingen of bezoeken wachten op uw antwoord (vóór {deadline})",
        "Round {round}: {count} pupils or visits wait for your answer (by {deadline})",
    ),
    "todo.company_overdue": (
        "Ronde {round}: {count} leerlingen of bezoeken wachten op uw antwoord; de termijn "
        "({deadline}) is verstreken",
        "Round {round}: {count} pupils or visits wait for your answer; the deadline "
        "({deadline}) has passed",
    ),
    "todo.feedback_placement": (
        "{count} stage(s) afgelopen: hoe ging het?",
        "{count} placement(s) ended: how did it go?",
    ),
    "todo.feedback_excursion": (
        "{count} bedrijfsbezoek(en) geweest: hoe ging het?",
        "{count} company visit(s) took place: how did it go?",
    ),
    "todo.feedback_guest_lesson": (
        "{count} gastles(sen) gegeven: hoe ging het?",
        "{count} guest lesson(s) given: how did it go?",
    ),
    "todo.feedback_teacher_internship": (
        "{count} docentstage(s) afgelopen: hoe ging het?",
        "{count} teacher internship(s) ended: how did it go?",
    ),
    "todo.feedback_event_session": (
        "{count} sessie(s) op een evenement geweest: hoe ging het?",
        "{count} event session(s) took place: how did it go?",
    ),
    "todo.menu_bureau": (
        "{count} onderdeel/onderdelen van de menukaart zonder inschrijving",
        "{count} menu item(s) nobody signed up for",
    ),
    "todo.menu_company": (
        "{count} onderdeel/onderdelen op de menukaart zoeken nog bedrijven: schrijf u in",
        "{count} menu item(s) still look for companies: sign up",
    ),
    "todo.requests_to_approve": (
        "{count} stageaanvraag/-aanvragen wacht(en) op goedkeuring van de mentor",
        "{count} placement request(s) wait for the mentor's approval",
    ),
    "todo.requests_stuck": (
        "{count} stageaanvraag/-aanvragen staat/staan al een week stil",
        "{count} placement request(s) have not moved for a week",
    ),
    "todo.agreements": (
        "{count} stageovereenkomst(en) wacht(en) op uw handtekening",
        "{count} placement agreement(s) wait for your signature",
    ),
    "todo.mail": ("Berichten per e-mail", "Messages by e-mail"),
    "todo.mail_intro": (
        "Het stagebureau mailt u bij een publicatie, een afwijzing, een herstel en voor een "
        "antwoordtermijn. Kies of u elk bericht direct krijgt of één overzicht per dag.",
        "The bureau mails you about a publication, a decline, a repair and before an answer "
        "deadline. Choose each message at once or one digest a day.",
    ),
    "todo.mode": ("Hoe wilt u berichten krijgen?", "How do you want your messages?"),
    "todo.mode.instant": ("Direct, elk bericht apart", "Instantly, each on its own"),
    "todo.mode.digest": ("Eén overzicht per dag (7:00)", "One digest a day (7:00)"),
    "todo.language": ("Taal van de e-mail", "Language of the e-mail"),
    "todo.save": ("Opslaan", "Save"),
    "todo.saved": ("Uw keuze is opgeslagen.", "Your choice is saved."),
}
