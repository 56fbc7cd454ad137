"""A template downloaded from a page comes back in as it went out, in either language: from a
Dutch page its headers and example values are Dutch ("klas", "vrije dagdelen", "di-middag"),
and every upload reads them, as it reads what a school's administration exports."""

from __future__ import annotations

import re

import pytest
from api_world import ok

TOKEN = re.compile(r'action="/app/school/intake/draft/([^"]+)"')


def uploaded(school, kind: str, lang: str) -> str:  # type: ignore[no-untyped-def]
    """Download the `kind` template in `lang`, send it back; the answer page's text."""
    school.client.cookies.set("lang", lang)
    template = school.get(f"/app/school/templates/{kind}.csv")
    assert template.status_code == 200
    text = template.content.decode("utf-8-sig")
    if kind in ("pupils", "teachers"):  # through the preview, then imported
        page = school.post(f"/app/school/intake/{kind}", files={"file": (f"{kind}.csv", text)})
        token = TOKEN.search(page.text)
        assert token is not None and 'id="intake-import"' in page.text, page.text[-3000:]
        page = school.post(f"/app/school/intake/draft/{token[1]}", {"action": "import"})
    else:
        page = school.post(f"/app/school/upload/{kind}", files={"file": (f"{kind}.csv", text)})
    assert page.status_code == 200, page.text[-3000:]
    return text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_template_comes_back_in_as_it_went_out(as_role, web_world, lang):
    w = web_world
    school = as_role("school")
    # Classes first: a pupil's class and a timetable name them.
    classes = uploaded(school, "classes", lang)
    header = classes.splitlines()[0]
    if lang == "nl":
        assert header.startswith("klas;leerjaar;profiel;aantal leerlingen;vrije dagdelen")
        assert "di-middag do-ochtend" in classes
    else:
        assert header.startswith("code;year;profile;size;free")
    [klass] = [k for k in ok(w.client.get("/classes", headers=w.school)) if k["code"] == "3KB-A"]
    assert klass["free"] == ["tue-pm", "thu-am"] and klass["size"] == 24
    assert klass["distinct_sectors"] is False
    page = uploaded(school, "pupils", lang)
    pupils = {p["code"]: p for p in ok(w.client.get("/pupils", headers=w.school))}
    assert "st101" in pupils, (page, list(pupils))
    assert pupils["st101"]["mode"] == "bike" and pupils["st101"]["accept_unranked"] is True
    uploaded(school, "teachers", lang)
    teachers = {t["code"]: t for t in ok(w.client.get("/teachers", headers=w.school))}
    assert teachers["JAN"]["escort"] is True and teachers["JAN"]["free"] == ["tue-pm", "thu-am"]
    timetable = uploaded(school, "timetables", lang)
    assert timetable.splitlines()[0] == ("klas of docent;vrije dagdelen" if lang == "nl" else
                                          "code;free")  # fmt: skip
    # The school's own timetable, written in the template's words, read back unchanged.
    own = "3KB-A;di-middag do-ochtend" if lang == "nl" else "3KB-A;tue-pm thu-am"
    assert own in timetable.splitlines()
    [klass] = [k for k in ok(w.client.get("/classes", headers=w.school)) if k["code"] == "3KB-A"]
    assert klass["free"] == ["tue-pm", "thu-am"]


def test_a_class_list_in_dutch_words_is_read_and_a_missing_column_named_in_dutch(
    as_role, web_world
):
    w = web_world
    school = as_role("school")
    school.client.cookies.set("lang", "nl")
    text = "Klas;Jaarlaag;Profiel;Aantal;Vrij;Bedrijfsbezoeken\n3KB-B;3;PIE;21;wo middag;2\n"
    page = school.post("/app/school/upload/classes", files={"file": ("klassen.csv", text)})
    assert "Verwerkt: 1 nieuw" in page.text
    [klass] = [k for k in ok(w.client.get("/classes", headers=w.school)) if k["code"] == "3KB-B"]
    assert klass["free"] == ["wed-pm"] and klass["demand"] == {"excursion": 2}
    # A bad cell is named by the file's own header; no code column refuses the whole file.
    text = "Klas;Jaarlaag;Profiel;Aantal\n3KB-C;drie;PIE;21\n"
    page = school.post("/app/school/upload/classes", files={"file": ("klassen.csv", text)})
    assert "jaarlaag (year)" in page.text  # headers are read in lower case
    text = "Naam;Jaarlaag\n3KB-C;3\n"
    page = school.post("/app/school/upload/classes", files={"file": ("klassen.csv", text)})
    assert "geen kolom voor code (verplicht)" in page.text
    assert [k["code"] for k in ok(w.client.get("/classes", headers=w.school))].count("3KB-C") == 0


def test_event_choices_come_back_from_the_dutch_template(as_role, web_world):
    from event_world import event_world

    w = web_world
    event_id = event_world(w)
    school = as_role("school")
    school.client.cookies.set("lang", "nl")
    template = school.get(f"/app/school/events/{event_id}/template.csv")
    lines = template.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "leerling;roepnaam;keuze 1;keuze 2;keuze 3;aantal;verschillende sectoren"
    row = lines[1].split(";")
    row[2:5] = ["SE3", "SE1", ""]
    row[6] = "nee"
    text = "\n".join([lines[0], ";".join(row)]) + "\n"
    page = school.post(
        f"/app/school/events/{event_id}/upload", files={"file": ("keuzes.csv", text)}
    )
    assert page.status_code == 200, page.text[-2000:]
    mine = [
        r
        for r in ok(w.client.get(f"/event-requests?event_id={event_id}", headers=w.school))
        if r["pupil_id"] == w.ids[row[0]]
    ]
    assert [r["choices"] for r in mine] == [["SE3", "SE1"]]
    # A wrong session is named by the file's own header.
    row[2] = "SE9"
    text = "\n".join([lines[0], ";".join(row)]) + "\n"
    page = school.post(
        f"/app/school/events/{event_id}/upload", files={"file": ("keuzes.csv", text)}
    )
    assert "keuze 1" in page.text and "SE9" in page.text


def test_event_choices_find_an_imported_pupil_by_its_number_and_name_the_right_column(
    as_role, web_world
):
    from event_world import event_world

    w = web_world
    event_id = event_world(w)
    school = as_role("school")
    school.client.cookies.set("lang", "nl")
    # A pupil imported from a school system by its number is stored in the imports' scheme.
    export = "Leerlingnummer;Roepnaam;Leerweg;Profiel;Leerjaar\n4711;Sem;kb;PIE;3\n"
    page = school.post("/app/school/intake/pupils", files={"file": ("export.csv", export)})
    page = school.post(
        f"/app/school/intake/draft/{TOKEN.search(page.text)[1]}", {"action": "import"}
    )
    assert "Verwerkt: 1 nieuw" in page.text, page.text[-2000:]
    url = f"/app/school/events/{event_id}/upload"
    text = "Leerlingnummer;Keuze 1;Keuze 2\n4711;;SE9\n"
    page = school.post(url, files={"file": ("keuzes.csv", text)})
    assert "keuze 2" in page.text and "SE9" in page.text and "geen leerling" not in page.text
    text = "Leerlingnummer;Keuze 1;Keuze 2\n4711;SE3;SE1\n"
    assert school.post(url, files={"file": ("keuzes.csv", text)}).status_code == 200
    requests = ok(w.client.get("/event-requests", headers=w.school))
    assert [r["choices"] for r in requests if r["pupil_id"] not in w.ids.values()] == [
        ["SE3", "SE1"]
    ]
    # Two headers for one column: the file is refused, naming both; nothing changes.
    text = "leerling;keuze 1;choice_1\nst1;SE3;SE1\n"
    page = school.post(url, files={"file": ("keuzes.csv", text)})
    assert "de kolommen „keuze 1” en „choice_1” staan voor hetzelfde" in page.text
    assert ok(w.client.get("/event-requests", headers=w.school)) == requests
