"""The school's intake pages: an export previewed before anything is stored, columns picked by
hand, teachers uploaded the same way, the order of uploads, and a declined pupil's results."""

from __future__ import annotations

import re
from datetime import timedelta

from api_world import ok
from sqlmodel import Session, select

from api.db import make_engine
from api.models import IntakeDraft
from api.services.intake import DRAFT_TTL

MAGISTER = (
    "Stamnummer;Voornaam;Achternaam;Stamgroep;Opleiding;Postcode;Vervoermiddel\r\n"
    "4711;Sanne;Jansen;3KB-A;vmbo-k PIE leerjaar 3;7511 AB;fiets\r\n"
    "4712;Hélène;Smit;3KB-A;vmbo-b PIE leerjaar 3;7522;bus\r\n"
).encode("cp1252")


def pupil_codes(w) -> list[str]:
    return sorted(p["code"] for p in ok(w.client.get("/pupils", headers=w.bureau)))


def drafts(settings) -> int:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        count = len(session.exec(select(IntakeDraft)).all())
    engine.dispose()
    return count


def test_data_page_explains_the_order_and_counts_what_is_there(as_role):
    page = as_role("school").get("/app/school")
    order = re.search(r'id="intake-order">(.*?)</section>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert "Klassen, vóór de leerlingen" in order and "3 leerlingen" in order
    assert 'action="/app/school/intake/pupils"' in page.text
    assert 'action="/app/school/intake/teachers"' in page.text


def test_export_is_previewed_and_stored_only_on_importeren(as_role, web_world, web_settings):
    w = web_world
    ok(w.client.post("/classes", headers=w.school,
                     json={"code": "3KB-A", "year": 3, "size": 20}), 201)  # fmt: skip
    before = pupil_codes(w)
    school = as_role("school")
    page = school.post("/app/school/intake/pupils", files={"file": ("magister.csv", MAGISTER)})
    assert "Voorbeeld van de import" in page.text and "Importeren geeft: 2 nieuw" in page.text
    assert re.search(r'<option value="stamnummer" selected>', page.text)
    assert "Niet gelezen kolommen: achternaam" in page.text and "Jansen" not in page.text
    rows = re.search(r'id="intake-rows">(.*?)</table>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert "S1-4711" in rows and "Hélène" in rows and "public_transport" in rows
    assert pupil_codes(w) == before and drafts(web_settings) == 1  # nothing stored yet

    token = re.search(r'action="/app/school/intake/draft/([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    page = school.post(f"/app/school/intake/draft/{token}", {"action": "import"})
    assert "Verwerkt: 2 nieuw, 0 bijgewerkt" in page.text
    stored = {p["code"]: p for p in ok(w.client.get("/pupils", headers=w.school))}
    assert stored["S1-4711"]["track"] == "kb" and stored["S1-4712"]["track"] == "bb"
    assert stored["S1-4711"]["class_id"] and stored["S1-4711"]["home_lat"] == 52.22
    assert drafts(web_settings) == 0  # the file is gone once imported
    page = school.post(f"/app/school/intake/draft/{token}", {"action": "import"})
    assert "verlopen" in page.text or "expired" in page.text


def test_unknown_columns_are_picked_by_hand_and_a_bad_row_blocks_the_import(as_role, web_world):
    w = web_world
    before = pupil_codes(w)
    school = as_role("school")
    text = "nr;naam;leerweg;profiel;leerjaar\nn1;Bo;kb;PIE;3\nn2;Cas;kb;PIE;9\n"
    page = school.post("/app/school/intake/pupils", files={"file": ("lijst.csv", text)})
    assert "geen kolom voor code (verplicht)" in page.text and 'id="intake-import"' not in page.text
    token = re.search(r'action="/app/school/intake/draft/([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    picked = {"column-code": "nr", "column-first_name": "naam"}
    page = school.post(f"/app/school/intake/draft/{token}", {**picked, "action": "review"})
    problems = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", page.text)
    assert problems == [("3", "leerjaar (year)")] and 'id="intake-import"' not in page.text
    page = school.post(f"/app/school/intake/draft/{token}", {**picked, "action": "import"})
    assert "leerjaar (year)" in page.text and pupil_codes(w) == before  # refused whole


def test_an_expired_draft_stores_nothing(as_role, web_world, web_settings):
    school = as_role("school")
    text = "code;first_name;profile;track;year\nn1;Bo;PIE;kb;3\n"
    page = school.post("/app/school/intake/pupils", files={"file": ("l.csv", text)})
    token = re.search(r'action="/app/school/intake/draft/([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        draft = session.exec(select(IntakeDraft)).one()
        draft.created_at -= DRAFT_TTL + timedelta(minutes=1)
        session.add(draft)
        session.commit()
    engine.dispose()
    before = pupil_codes(web_world)
    page = school.post(f"/app/school/intake/draft/{token}", {"action": "import"})
    assert "Dit voorbeeld is verlopen" in page.text and pupil_codes(web_world) == before


def test_teachers_template_preview_and_import(as_role, web_world):
    school = as_role("school")
    template = school.get("/app/school/templates/teachers.csv").content.decode("utf-8-sig")
    assert template.startswith("code;naam;vrije dagdelen;begeleider")  # a Dutch page: Dutch names
    text = "Docentcode;Naam;Beschikbaar;Begeleider\nJAN;J. Jansen;di middag;nee\n"
    page = school.post("/app/school/intake/teachers", files={"file": ("d.csv", text)})
    assert "Importeren geeft: 1 nieuw" in page.text and "tue-pm" in page.text
    token = re.search(r'action="/app/school/intake/draft/([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    page = school.post(f"/app/school/intake/draft/{token}", {"action": "import"})
    assert "Verwerkt: 1 nieuw" in page.text
    [teacher] = ok(web_world.client.get("/teachers", headers=web_world.school))
    assert (teacher["code"], teacher["free"], teacher["escort"]) == ("S1-JAN", ["tue-pm"], False)


def test_a_declined_pupil_shows_as_declined_and_waiting_everywhere_the_school_looks(
    as_role, web_world
):
    w = web_world
    c, b = w.client, w.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    placed = ok(c.get(f"/rounds/{rid}/assignments", headers=w.school))
    pupil = next(a for a in placed if a["student"] in ("st1", "st2", "st3"))
    ok(c.post(f"/rounds/{rid}/responses", headers=b,
              json={"student": pupil["student"], "status": "declined"}), 201)  # fmt: skip

    school = as_role("school")
    results = school.get("/app/school/results").text
    row = re.search(rf"\({pupil['student']}\)</span></a></td>(.*?)</tr>", results, re.S)
    assert row and "Afgewezen" in row.group(1) and "wacht op een nieuwe plek" in row.group(1)
    assert pupil["placement"] in row.group(1)  # the declined seat is named, not offered as his
    story = school.get(f"/app/school/results/{pupil['student']}").text
    assert 'id="pupil-declined"' in story and "wacht op een nieuwe plek" in story
    export = c.get(f"/rounds/{rid}/export/schools/{w.ids['S1']}.csv", headers=w.school)
    line = next(x for x in export.text.splitlines() if x.startswith(pupil["student"] + ";"))
    assert ";DECLINED;" in line and f";{pupil['placement']};" not in line
