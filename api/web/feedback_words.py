"""The feedback pages' words, Dutch and English, merged into `api.web.i18n.MESSAGES`."""

from __future__ import annotations

FEEDBACK_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.feedback": ("Terugkoppeling", "Feedback"),
    "feedback.title": ("Terugkoppeling", "Feedback"),
    "feedback.intro_company": (
        "Hoe ging het? Na elk bezoek, elke gastles, docentstage, stage en sessie op een "
        "evenement vragen we u om een kort oordeel. Het kost een minuut en helpt het "
        "stagebureau om volgend jaar nog beter te plannen.",
        "How did it go? After every visit, guest lesson, teacher internship, placement and "
        "event session we ask you for a short verdict. It takes a minute and helps the bureau "
        "plan even better next year.",
    ),
    "feedback.intro_school": (
        "Hoe ging het? Vul na elk bezoek, elke gastles, docentstage, stage en sessie op een "
        "evenement het korte formulier van de school in, en namens uw leerlingen hun drie "
        "vragen (per leerlingcode, zonder namen).",
        "How did it go? After every visit, guest lesson, teacher internship, placement and "
        "event session fill in the school's short form, and on your pupils' behalf their "
        "three questions (by pupil code, no names).",
    ),
    "feedback.intro_bureau": (
        "Per bedrijf en per soort activiteit: hoeveel antwoorden, het gemiddelde cijfer en "
        "welk deel het nog eens zou doen, voor het bedrijf en voor de school. De cijfers van "
        "leerlingen staan er pas bij vanaf vijf antwoorden, zodat geen leerling herkenbaar is.",
        "Per company and kind of activity: how many answers, the mean score and the share "
        "that would do it again, for the company and for the school. Pupils' figures show "
        "only from five answers, so no pupil can be recognised.",
    ),
    "feedback.todo": ("Nog in te vullen", "Still to fill in"),
    "feedback.todo_none": ("U bent helemaal bij. Dank u wel!", "You are all caught up. Thank you!"),
    "feedback.given": ("Ingevuld", "Filled in"),
    "feedback.given_none": ("Nog niets ingevuld.", "Nothing filled in yet."),
    "feedback.later": ("Straks", "Coming up"),
    "feedback.later_hint": (
        "Deze kunt u invullen vanaf de dag na afloop.",
        "You can fill these in from the day after they end.",
    ),
    "feedback.kind.placement": ("Stage", "Placement"),
    "feedback.kind.excursion": ("Bedrijfsbezoek", "Company visit"),
    "feedback.kind.guest_lesson": ("Gastles", "Guest lesson"),
    "feedback.kind.teacher_internship": ("Docentstage", "Teacher internship"),
    "feedback.kind.event_session": ("Sessie op een evenement", "Event session"),
    "feedback.what": ("Wat", "What"),
    "feedback.when": ("Wanneer", "When"),
    "feedback.undated": ("na publicatie", "after publication"),
    "feedback.score": (
        "Hoe ging het? (1 = slecht, 5 = heel goed)",
        "How did it go? (1 = bad, 5 = very good)",
    ),
    "feedback.score_short": ("Cijfer", "Score"),
    "feedback.again": ("Zou u het nog eens doen?", "Would you do it again?"),
    "feedback.again_short": ("Nog eens", "Again"),
    "feedback.again.yes": ("ja", "yes"),
    "feedback.again.no": ("nee", "no"),
    "feedback.again.maybe": ("misschien", "maybe"),
    "feedback.level_ok": (
        "Paste het programma bij het niveau van de leerlingen?",
        "Did the programme suit the pupils' level?",
    ),
    "feedback.level_short": ("Niveau passend", "Level right"),
    "feedback.level.unknown": ("weet niet", "don't know"),
    "feedback.remark": (
        "Opmerking (mag leeg, hoogstens 300 tekens)",
        "Remark (optional, at most 300 characters)",
    ),
    "feedback.remark_hint": (
        "Alleen het stagebureau leest uw opmerking.",
        "Only the bureau reads your remark.",
    ),
    "feedback.send": ("Versturen", "Send"),
    "feedback.change": ("Wijzigen", "Change"),
    "feedback.saved": (
        "Dank u wel, uw antwoord is opgeslagen.",
        "Thank you, your answer is saved.",
    ),
    "feedback.pupil_saved": (
        "De antwoorden van de leerling zijn opgeslagen.",
        "The pupil's answers are saved.",
    ),
    "feedback.pupils": ("Drie vragen voor de leerlingen", "Three questions for the pupils"),
    "feedback.pupils_hint": (
        "Vul per leerling in wat die antwoordde. Alleen uw school ziet losse antwoorden; het "
        "bedrijf en het stagebureau zien alleen een gemiddelde over minstens vijf leerlingen.",
        "Fill in per pupil what they answered. Only your school sees single answers; the "
        "company and the bureau see only an average over at least five pupils.",
    ),
    "feedback.pupils_done": ("leerlingen ingevuld", "pupils filled in"),
    "feedback.pupil": ("Leerlingcode", "Pupil code"),
    "feedback.learned": (
        "Wat heb je geleerd? (1 = niets, 5 = heel veel)",
        "What did you learn? (1 = nothing, 5 = a lot)",
    ),
    "feedback.interesting": (
        "Was het interessant? (1 = helemaal niet, 5 = heel erg)",
        "Was it interesting? (1 = not at all, 5 = very)",
    ),
    "feedback.recommend": (
        "Zou je het een andere leerling aanraden?",
        "Would you recommend it to another pupil?",
    ),
    "feedback.about_us": ("Wat anderen over ons zeggen", "What others say about us"),
    "feedback.about_us_hint": (
        "Cijfers van scholen over uw activiteiten, en van leerlingen vanaf vijf antwoorden.",
        "Schools' scores about your activities, and pupils' from five answers.",
    ),
    "feedback.other_side": ("Antwoorden van de andere kant", "Answers of the other side"),
    "feedback.company_side": ("Bedrijf", "Company"),
    "feedback.school_side": ("School", "School"),
    "feedback.pupil_side": ("Leerlingen", "Pupils"),
    "feedback.kind": ("Soort", "Kind"),
    "feedback.answers": ("Antwoorden", "Answers"),
    "feedback.mean": ("Gemiddeld", "Mean"),
    "feedback.again_share": ("Nog eens", "Again"),
    "feedback.learned_short": ("Geleerd", "Learned"),
    "feedback.interesting_short": ("Interessant", "Interesting"),
    "feedback.recommend_short": ("Aanraden", "Recommend"),
    "feedback.below_threshold": ("te weinig", "too few"),
    "feedback.none_yet": ("Nog geen terugkoppeling.", "No feedback yet."),
    "feedback.said_no": ("Hier zei een kant nee", "Where one side said no"),
    "feedback.said_no_hint": (
        "Activiteiten waarbij het bedrijf of een school het niet nog eens zou doen.",
        "Activities after which the company or a school would not do it again.",
    ),
    "feedback.said_no_none": ("Niemand zei nee.", "No one said no."),
    "feedback.download_csv": ("Download als CSV", "Download as CSV"),
    "feedback.download_xlsx": ("Download als Excel", "Download as Excel"),
    "feedback.yes": ("ja", "yes"),
    "feedback.no": ("nee", "no"),
}
