"""A pupil's story on a Dutch page: every reason's detail, the elective and event-day shortfalls
included, in Dutch words from the same structured detail the solver's English comes from."""

from __future__ import annotations

import string

from rounds import round_doc, school, student

from api.locale import LANGUAGES
from api.web.i18n import translator
from api.web.stories import pupil_story, said_text
from scheduler.said import ENGLISH, said, to_json
from scheduler.solve import solve_round
from scheduler.validation import parse_round


def test_an_elective_shortfall_is_told_in_dutch():
    doc = round_doc(
        [school("S1")],
        [],
        [],
        [student("st1", profile="PIE")],
        electives=[
            {"id": "E1", "school": "S1", "slot": "tue-pm", "capacity": 2, "profiles": ["BWI"]}
        ],
        elective_requests=[{"student": "st1", "choices": ["E1"], "count": 1}],
    )
    round_ = parse_round(doc)
    solution = solve_round(round_)
    (short,) = solution["elective_unassigned"]
    assert short["detail"] == "none of E1 admits profile PIE"  # the document keeps its English
    story = pupil_story(round_, solution, "st1", translator("nl"))
    assert story[-1] == (
        "  1 te weinig: geen gekozen keuzevak staat open voor de leerling"
        " (geen van E1 staat open voor profiel PIE)"
    )
    english = pupil_story(round_, solution, "st1", translator("en"))
    assert english[-1].endswith("(none of E1 admits profile PIE)")


def test_a_stored_detail_renders_in_the_pages_language():
    stored = to_json(said("detail.slot_crowded", slot="PL1/P3", company="C1", limit=2,
                          day="2027-03-01"))  # fmt: skip
    assert (
        said_text(translator("nl"))(stored)
        == "PL1/P3: C1 heeft op 2027-03-01 al 2 stagiairs tegelijk"
    )
    assert said_text(translator("en"))(stored) == "PL1/P3: C1 at max_concurrent 2 on 2027-03-01"
    assert said_text(translator("nl"))(None) == ""


def test_each_detail_key_has_the_english_placeholders_in_every_catalog():
    """A page renders a stored detail with the catalog's words: a placeholder the solver does
    not fill would fail the page, one it fills but the words drop would lose a fact."""

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for lang in LANGUAGES:
        t = translator(lang)
        for key, words in ENGLISH.items():
            assert fields(t(key)) == fields(words), (lang, key, t(key))
