"""The feedback pages over HTTP: a company and a school fill in their forms after a visit that
took place, the school its pupils' three questions, an answer is changed; the bureau reads
the figures per company and kind and the visit where a side said no."""

from __future__ import annotations

import re

from feedback_world import CLASS_PUPILS, feedback_world


def test_company_school_and_bureau_do_their_part_of_the_feedback(as_role, web_world):
    feedback_world(web_world)
    company, school, bureau = as_role("company"), as_role("school"), as_role("bureau")

    page = company.get("/app/company/feedback")
    visit = re.search(r'name="item" value="(K1/EX1/([0-9-]+)/pm)"', page.text)
    assert visit is not None and "Nog in te vullen" in page.text
    visit, day = visit.groups()
    assert f"Bedrijfsbezoek: K1, EX1, {day} pm" in page.text
    assert "Straks" in page.text and "Stage: st1" in page.text  # P3 is still to come
    answer = {"round_id": "1", "kind": "excursion", "item": visit, "again": "yes",
              "remark": "Goede vragen gesteld"}  # fmt: skip
    refused = company.post("/app/company/feedback", {**answer, "score": "9"})
    assert "Niet opgeslagen" in refused.text and "score" in refused.text
    saved = company.post("/app/company/feedback", {**answer, "score": "4"})
    assert "uw antwoord is opgeslagen" in saved.text
    assert f"Bedrijfsbezoek: K1, EX1, {day} pm" in saved.text.split("Ingevuld")[1]
    change = {"feedback_id": "1", "version": "1", "score": "5", "again": "maybe"}
    assert "opgeslagen" in company.post("/app/company/feedback", change).text
    stale = company.post("/app/company/feedback", change)
    assert "Dit antwoord is intussen gewijzigd; laad de pagina opnieuw." in stale.text
    early = company.post(
        "/app/company/feedback", {**answer, "kind": "placement", "item": "st1", "score": "3"}
    )
    assert "feedback geven kan vanaf" in early.text
    assert company.get("/app/school/feedback").status_code == 403

    page = school.get("/app/school/feedback")
    assert "Paste het programma bij het niveau" in page.text
    assert "Drie vragen voor de leerlingen" in page.text and "0 / 6 leerlingen" in page.text
    assert all(f"<option>{code}</option>" in page.text for code in CLASS_PUPILS)
    mine = {"round_id": "1", "kind": "excursion", "item": visit, "score": "2", "again": "no"}
    school.post("/app/school/feedback", {**mine, "level_ok": "no"})
    for code in CLASS_PUPILS[:5]:
        pupil = {"round_id": "1", "kind": "excursion", "item": visit, "pupil": code,
                 "learned": "4", "interesting": "3", "recommend": "yes"}  # fmt: skip
        page = school.post("/app/school/feedback/pupils", pupil)
        assert "De antwoorden van de leerling zijn opgeslagen" in page.text
    assert "5 / 6 leerlingen" in page.text and "<option>st6</option>" not in page.text
    other_side = page.text.split("Antwoorden van de andere kant")[-1]
    assert "<td>5</td>" in other_side and "Goede vragen" not in page.text  # a remark stays

    page = company.get("/app/company/feedback")
    about = page.text.split("Wat anderen over ons zeggen")[-1]
    assert "<td>4.0</td>" in about and "<td>3.0</td>" in about  # pupils: five answers

    page = bureau.get("/app/bureau/feedback")
    row = page.text.split('id="row-C1-excursion"')[1].split("</tr>")[0]
    assert "<td>5.0</td>" in row and "<td>2.0</td>" in row and "<td>0%</td>" in row
    said_no = page.text.split("Hier zei een kant nee")[-1]
    assert visit in said_no and "misschien" in said_no
    table = bureau.get("/app/bureau/feedback.csv")
    assert "C1;Bedrijf C1;excursion;1;5.0;0.0;1;2.0;0.0;0.0;5;4.0;3.0;1.0" in table.text
    assert school.get("/app/bureau/feedback").status_code == 403
