"""A pupil's story on a Dutch page: every reason's detail, the elective and event-day shortfalls
included, in Dutch words from the same structured detail the solver's English comes from."""

from __future__ import annotations

import string

from rounds import round_doc, school, student

from api.locale import LANGUAGES
from api.web.i18n import translator
from api.web.stories import pairs_named, pupil_story, said_text, without_others
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


def test_a_school_reads_a_rule_with_another_schools_pupil_without_its_code(as_role, web_world):
    """st1 (S1) must go together with st4 (S2), whom no placement admits: S1 reads that a
    pupil of another school held st1 back, not st4's code; the bureau reads the code."""
    from api_world import ok

    w = web_world
    c, b = w.client, w.bureau
    st4 = ok(c.get(f"/pupils/{w.ids['st4']}", headers=b))
    ok(c.patch(f"/pupils/{w.ids['st4']}", headers=b,
               json={"version": st4["version"], "profile": "ZW"}))  # fmt: skip
    pl1 = ok(c.get(f"/placements/{w.ids['PL1']}", headers=b))  # room for everyone else
    ok(c.patch(f"/placements/{w.ids['PL1']}", headers=b,
               json={"version": pl1["version"], "capacity": {"P3": 5}}))  # fmt: skip
    pair = {"kind": "together", "pupil_a_id": w.ids["st1"], "pupil_b_id": w.ids["st4"]}
    ok(c.post("/pupil-pairs", headers=b, json=pair), 201)
    rid = ok(c.post("/rounds", headers=b, json={"name": "samen"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    school = as_role("school")
    for url in ("/app/school/results", "/app/school/results/st1"):
        page = school.get(url).text
        assert "samen met een leerling van een andere school" in page, url
        assert "st4" not in page, url
    bureau = as_role("bureau").get(f"/app/bureau/rounds/{rid}?show=unplaced").text
    assert "samen met st4" in bureau


def test_only_a_rule_with_another_schools_pupil_loses_its_code():
    stored = to_json(
        said("detail.constraint", slots="PL1/P1", rule=said("detail.apart", other="st2"))
    )
    assert pairs_named(stored) == {"st2"}
    assert without_others(stored, {"st2"}) == stored
    hidden = without_others(stored, set())
    assert hidden["params"]["rule"]["params"]["other"] == {
        "key": "detail.other_school",
        "params": {},
    }
