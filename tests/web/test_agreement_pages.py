"""The placement-agreement pages (issue 16): the company fills in and signs, the school enters
its part and the birth date and records the pupil's and parent's signatures, the bureau counts;
problems read in Dutch, the birth date is on the school's page only."""

from __future__ import annotations

from agreement_world import AT_14, confirmed_placement


def test_each_party_fills_in_checks_and_signs_on_the_pages(as_role, web_world):
    placed = confirmed_placement(web_world)
    aid = placed.agreement["id"]
    company, school, bureau = as_role("company"), as_role("school"), as_role("bureau")

    listing = company.get("/app/agreements")
    assert (
        f'href="/app/agreements/{aid}"' in listing.text and "Nog te tekenen door u" in listing.text
    )
    part = {
        "version": "1",
        "first_day": "2027-03-08",
        "last_day": "2027-03-19",
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sun"],
        "day_start": "08:30",
        "day_end": "16:00",
        "break_minutes": "30",
        "supervisor_name": "Henk Smit",
        "supervisor_phone": "",
        "supervisor_email": "henk@c1.example",
    }
    page = company.post(f"/app/agreements/{aid}", data=part)
    assert "Opgeslagen." in page.text and "Henk Smit" in page.text
    stale = company.post(f"/app/agreements/{aid}", data=part)
    assert "Niet opgeslagen" in stale.text
    assert f"Overeenkomst {aid} is intussen door iemand anders gewijzigd" in stale.text

    page = school.post(
        f"/app/agreements/{aid}",
        data={
            "version": "2",
            "school_contact_name": "Mw. De Vries",
            "school_hours_per_day": "0",
            "school_hours_per_week": "4,5",
        },
    )
    assert "Opgeslagen." in page.text
    page = school.post(f"/app/agreements/{aid}/birth-date", data={"birth_date": AT_14})
    assert f'value="{AT_14}"' in page.text
    # The rules for a 14-year-old, in Dutch: Sundays and a 35-hour week.
    assert "zo 14 maart 2027: onder 16 jaar niet werken op zondag." in page.text
    # 4 x 7 hours (a holiday Friday) and Sunday's 7 with 4.5 lesson hours: 39.5 in a week.
    assert "Week 2027-W10: 39,5 uur; ten hoogste 35 per week." in page.text
    assert "disabled" in page.text.split('id="sign-school"')[1].split("</form>")[0]
    english = school.get(f"/app/agreements/{aid}", cookies={"lang": "en"})
    assert "under 16, no work on Sunday" in english.text
    # The birth date is the school's alone.
    for other in (company, bureau):
        assert AT_14 not in other.get(f"/app/agreements/{aid}").text

    fixed = {
        **part,
        "version": "3",
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "day_start": "09:00",
        "day_end": "15:00",
    }
    page = company.post(f"/app/agreements/{aid}", data=fixed)
    assert 'id="check-ok"' in page.text
    page = company.post(
        f"/app/agreements/{aid}/sign",
        data={"version": "4", "party": "company", "name": "Henk Smit"},
    )
    assert "Getekend." in page.text and "getekend door Henk Smit" in page.text
    for version, party, name in (
        (5, "school", "Mw. De Vries"),
        (6, "pupil", "Sam"),
        (7, "parent", "J. Jansen"),
    ):
        page = school.post(
            f"/app/agreements/{aid}/sign",
            data={"version": str(version), "party": party, "name": name},
        )
        assert "Getekend." in page.text, page.text
    assert (
        "getekend door J. Jansen" in page.text
        and "<form" not in page.text.split('id="signatures"')[1]
    )
    pdf = school.get(f"/app/agreements/{aid}/stageovereenkomst.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    counts = bureau.get("/app/agreements")
    assert '<dd id="count-signed">1</dd>' in counts.text
    assert '<dd id="count-open">0</dd>' in counts.text
    # Another company finds nothing.
    assert as_role("other_company").get(f"/app/agreements/{aid}").status_code == 404
