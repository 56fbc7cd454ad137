"""The menu of demand on the pages: the bureau makes, edits and publishes it; a company signs up
(a bad daypart named, nothing stored) and withdraws; a school reads the menu and the placement
codes; the bureau sees the item nobody took first and downloads the report."""

from __future__ import annotations

import re

from api_world import MARCH, ok


def test_menu_from_demand_to_sign_up_on_the_pages(as_role, web_world, web_client):
    c, b = web_client, web_world.bureau
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "calendar": MARCH}))
    for code, profile in (("K1", "PIE"), ("K2", "BWI")):
        body = {"code": code, "year": 3, "size": 20, "profile": profile, "free": ["tue-pm"],
                "demand": {"excursion": 1}}  # fmt: skip
        ok(c.post("/classes", headers=web_world.school, json=body), 201)

    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/menu/demand/generate")
    assert "De menukaart is bijgewerkt." in page.text
    assert "1 klas PIE zoekt een bedrijfsbezoek in de sector energie, maart 2027" in page.text
    item_id = int(re.search(r'/app/bureau/menu/items/(\d+)">M1', page.text).group(1))  # type: ignore[union-attr]
    edit = bureau.get(f"/app/bureau/menu/items/{item_id}")
    version = re.search(r'name="version" value="(\d+)"', edit.text).group(1)  # type: ignore[union-attr]
    form = {"version": version, "title": "Bezoek energie", "window_start": "2027-03-01",
            "window_end": "2027-02-01", "wanted": "3", "sectors": "energie"}  # fmt: skip
    refused = bureau.post(f"/app/bureau/menu/items/{item_id}", form)
    assert "window_end" in re.search(r'id="errors">([^<]*)<', refused.text).group(1)  # type: ignore[union-attr]
    saved = bureau.post(f"/app/bureau/menu/items/{item_id}", {**form, "window_end": "2027-03-12"})
    assert "Opgeslagen." in saved.text and 'value="Bezoek energie"' in saved.text
    assert "gepubliceerd" in bureau.post("/app/bureau/menu/demand/publish").text

    company = as_role("company")
    menu = company.get("/app/company/menu")
    assert "Bezoek energie" in menu.text and "Vmbo" not in menu.text
    url = f"/app/company/menu/{item_id}/sign-up"
    bad = company.post(url, {"dates": "2027-04-06/pm"})
    assert 'role="alert"' in bad.text and "dayparts 0" in bad.text
    assert "U tekende in" not in bad.text
    page = company.post(url, {"dayparts": "tue-pm", "max_group_size": "25"})
    assert "Ingetekend: uw aanbod" in page.text and "U tekende in: 2 groepen (M1-C1)" in page.text
    assert "M1-C1" in company.get("/app/company").text  # an offer like any other

    school = as_role("school")
    read = school.get("/app/school/menu")
    assert "Bezoek energie" in read.text and "<code>PL1</code>" in read.text

    demand = bureau.get("/app/bureau/menu/demand")
    rows = re.findall(
        r"<tr( class=\"untaken\")?>\s*<td><a href=\"/app/bureau/menu/items/\d+\">(M\d)", demand.text
    )
    assert rows == [(' class="untaken"', "M2"), ("", "M1")]
    assert "Bedrijf C1 (2)" in demand.text and "(1 tekort)" in demand.text
    csv = bureau.get("/app/bureau/menu/report.csv")
    assert csv.status_code == 200 and "Bezoek energie" in csv.content.decode("utf-8-sig")
    assert school.get("/app/bureau/menu/demand").status_code == 403

    # The bureau's company contact signs C2 up for the item nobody took, and withdraws it.
    other = int(re.search(r'/app/bureau/menu/items/(\d+)">M2', demand.text).group(1))  # type: ignore[union-attr]
    url = f"/app/bureau/menu/items/{other}/sign-up"
    c2 = str(web_world.ids["C2"])
    refused = bureau.post(url, {"company_id": "x", "dates": "2027-03-03/am"})
    assert "company_id" in re.search(r'id="errors">([^<]*)<', refused.text).group(1)  # type: ignore[union-attr]
    signed = bureau.post(url, {"company_id": c2, "dates": "2027-03-03/am"})
    assert (
        "Ingetekend namens het bedrijf" in signed.text
        and "Bedrijf C2 (C2): 1 groep ·" in signed.text
    )
    behalf = re.search(r"/app/bureau/menu/sign-ups/(\d+)/withdraw", signed.text).group(1)  # type: ignore[union-attr]
    signed = bureau.post(f"/app/bureau/menu/sign-ups/{behalf}/withdraw")
    assert "Inschrijving ingetrokken." in signed.text and "Bedrijf C2 (C2):" not in signed.text

    mine = re.search(r"/app/company/menu/sign-ups/(\d+)/withdraw", page.text).group(1)  # type: ignore[union-attr]
    gone = company.post(f"/app/company/menu/sign-ups/{mine}/withdraw")
    assert (
        "Inschrijving ingetrokken." in gone.text and "M1-C1" not in company.get("/app/company").text
    )
