"""The bureau's school-year page (/app/bureau/calendar): the region's calendar that new rounds
take, changed through `PATCH /region`'s own checks, version and audit."""

from __future__ import annotations

import re

from api_world import ok

PAGE = "/app/bureau/calendar"
YEAR = {"start": "2027-01-11", "end": "2027-06-25"}


def version_on(page) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]


def stored(world) -> dict:  # type: ignore[no-untyped-def]
    return ok(world.client.get("/region", headers=world.bureau))


def set_year(bureau, **fields):  # type: ignore[no-untyped-def]
    page = bureau.get(PAGE)
    return bureau.post(PAGE, {"version": version_on(page), "min_gap_days": "0", **YEAR, **fields})


def holiday_rows(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return re.findall(
        r'<td><time datetime="([\d-]+)">.*?</td>\s*<td><time datetime="([\d-]+)">', page.text
    )


def test_the_page_is_the_bureaus_only(as_role):
    page = as_role("bureau").get(PAGE)
    assert page.status_code == 200
    assert "<h1>Schooljaar: Testregio</h1>" in page.text
    assert '<a href="/app/bureau/calendar" aria-current="page">Schooljaar</a>' in page.text
    assert "Nog geen vakanties ingevoerd." in page.text
    for role in ("school", "company"):
        browser = as_role(role)
        assert browser.get(PAGE).status_code == 403
        assert browser.post(PAGE, {"version": "1", **YEAR}).status_code == 403
        fill = {"version": "1", "holiday_region": "Zuid"}
        assert browser.post(PAGE + "/fill", fill).status_code == 403


def test_the_page_speaks_english_too(as_role):
    bureau = as_role("bureau")
    page = bureau.get(f"/app/lang/en?next={PAGE}")
    assert "<h1>School year: Testregio</h1>" in page.text
    assert "minimum number of days between two activities of one class or one teacher" in page.text


def test_setting_the_year_saves_bumps_the_version_and_a_new_round_carries_it(as_role, web_world):
    w = web_world
    before = stored(w)
    bureau = as_role("bureau")
    page = set_year(bureau, min_gap_days="7")
    assert "Schooljaar opgeslagen." in page.text
    after = stored(w)
    assert after["version"] == before["version"] + 1
    assert after["calendar"] == {**YEAR, "holidays": [], "min_gap_days": 7}
    assert 'value="2027-01-11"' in page.text and 'value="7"' in page.text
    assert re.search(r'id="school-days">[^<]*<strong>120</strong>', page.text)  # 24 weeks
    audit = ok(w.client.get("/audit?entity=region", headers=w.bureau))
    assert audit[0]["action"] == "update" and audit[0]["after"]["calendar"]["min_gap_days"] == 7
    round_id = ok(w.client.post("/rounds", headers=w.bureau, json={"name": "r"}), 201)["id"]
    document = ok(w.client.get(f"/rounds/{round_id}/export/round.json", headers=w.bureau))
    assert document["calendar"] == after["calendar"]


def test_holidays_are_added_and_removed(as_role, web_world):
    w = web_world
    bureau = as_role("bureau")
    set_year(bureau)
    page = bureau.get(PAGE)
    page = bureau.post(
        PAGE + "/holidays",
        {"version": version_on(page), "first": "2027-04-26", "last": "2027-04-30"},
    )
    assert "Vakantie toegevoegd." in page.text
    # A single day when "to" is left empty; the list stays in date order.
    page = bureau.post(PAGE + "/holidays", {"version": version_on(page), "first": "2027-02-22"})
    assert stored(w)["calendar"]["holidays"] == [
        ["2027-02-22", "2027-02-22"],
        ["2027-04-26", "2027-04-30"],
    ]
    assert holiday_rows(page) == [("2027-02-22", "2027-02-22"), ("2027-04-26", "2027-04-30")]
    assert "<td>Meivakantie, Koningsdag</td>" in page.text  # a range the package knows is named
    assert "(maandag)" in page.text and "(vrijdag)" in page.text
    page = bureau.post(PAGE + "/holidays/0/delete", {"version": version_on(page)})
    assert "Vakantie verwijderd." in page.text
    assert stored(w)["calendar"]["holidays"] == [["2027-04-26", "2027-04-30"]]
    assert holiday_rows(page) == [("2027-04-26", "2027-04-30")]
    # A range ending before it starts is named and not stored.
    version = version_on(page)
    page = bureau.post(
        PAGE + "/holidays", {"version": version, "first": "2027-03-05", "last": "2027-03-01"}
    )
    assert "Niet opgeslagen" in page.text
    assert "calendar holidays[0]: 2027-03-05 tot 2027-03-01 eindigt voor het begin" in page.text
    assert stored(w)["calendar"]["holidays"] == [["2027-04-26", "2027-04-30"]]
    assert str(stored(w)["version"]) == version


def test_holidays_need_a_school_year_first(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.get(PAGE)
    assert 'id="add-holiday"' not in page.text and 'id="fill-holidays"' not in page.text
    page = bureau.post(PAGE + "/fill", {"version": version_on(page), "holiday_region": "Zuid"})
    assert "Sla eerst een geldig schooljaar op" in page.text
    assert stored(web_world)["calendar"] is None


def test_filling_in_region_zuid_gives_its_school_and_public_holidays(as_role, web_world):
    w = web_world
    bureau = as_role("bureau")
    page = set_year(bureau)
    assert 'id="fill-holidays"' in page.text
    page = bureau.post(PAGE + "/fill", {"version": version_on(page), "holiday_region": "Zuid"})
    assert "Vakanties en feestdagen ingevuld." in page.text
    # As the holidays package (0.109) has them for holiday region Zuid in 2027, weekdays only.
    expected = [
        ["2027-02-15", "2027-02-19"],  # Voorjaarsvakantie (Zuid; Noord and Midden: 22-26 Feb)
        ["2027-03-26", "2027-03-29"],  # Goede vrijdag .. Tweede paasdag
        ["2027-04-26", "2027-04-30"],  # Meivakantie with Koningsdag (Tue 27 Apr)
        ["2027-05-06", "2027-05-06"],  # Hemelvaartsdag
        ["2027-05-17", "2027-05-17"],  # Tweede pinksterdag
    ]
    assert stored(w)["calendar"]["holidays"] == expected
    assert holiday_rows(page) == [tuple(pair) for pair in expected]
    for name in ("Voorjaarsvakantie", "Meivakantie, Koningsdag", "Hemelvaartsdag",
                 "Tweede pinksterdag"):  # fmt: skip
        assert f"<td>{name}</td>" in page.text
    assert re.search(r'id="school-days">[^<]*<strong>106</strong>', page.text)  # 120 - 14
    # Filling in again for another region replaces the list rather than adding to it.
    page = bureau.post(PAGE + "/fill", {"version": version_on(page), "holiday_region": "Noord"})
    holidays = stored(w)["calendar"]["holidays"]
    assert holidays[0] == ["2027-02-22", "2027-02-26"] and len(holidays) == len(expected)
    # An unknown region is named, nothing changes.
    version = version_on(page)
    page = bureau.post(PAGE + "/fill", {"version": version, "holiday_region": "Oost"})
    assert "holiday_region: kies vakantieregio Noord, Midden of Zuid" in page.text
    assert str(stored(w)["version"]) == version


def test_end_before_start_is_named_and_changes_nothing(as_role, web_world):
    w = web_world
    bureau = as_role("bureau")
    set_year(bureau, min_gap_days="3")
    before = stored(w)
    page = set_year(bureau, end="2027-01-04")
    assert page.status_code == 200
    assert "Niet opgeslagen" in page.text
    assert "laatste schooldag: eindigt (2027-01-04) voor het begin (2027-01-11)" in page.text
    assert re.search(r'id="end"[^>]*value="2027-01-04" aria-invalid="true"', page.text)
    assert stored(w) == before
    page = set_year(bureau, start="2027-02-30")
    assert "eerste schooldag: 2027-02-30 is geen datum (jjjj-mm-dd)" in page.text
    page = set_year(bureau, min_gap_days="-2")
    assert "minimale tussenruimte (dagen): moet minstens 0 zijn" in page.text
    page = set_year(bureau, min_gap_days="twee")
    assert "minimale tussenruimte (dagen): moet een heel getal zijn" in page.text
    assert stored(w) == before


def test_a_stale_version_is_refused(as_role, web_world):
    w = web_world
    bureau = as_role("bureau")
    set_year(bureau)
    page = bureau.get(PAGE)
    old = version_on(page)
    # Someone else changes the region meanwhile (through the API).
    ok(w.client.patch("/region", headers=w.bureau, json={"version": int(old), "mode": "bike"}))
    before = stored(w)
    page = bureau.post(PAGE, {"version": old, **YEAR, "min_gap_days": "5"})
    assert "Iemand anders heeft het schooljaar intussen gewijzigd" in page.text
    page = bureau.post(PAGE + "/holidays", {"version": old, "first": "2027-05-06"})
    assert "Iemand anders heeft het schooljaar intussen gewijzigd" in page.text
    page = bureau.post(PAGE + "/holidays/0/delete", {"version": old})
    assert "Iemand anders heeft het schooljaar intussen gewijzigd" in page.text
    page = bureau.post(PAGE + "/fill", {"version": old, "holiday_region": "Midden"})
    assert "Iemand anders heeft het schooljaar intussen gewijzigd" in page.text
    assert stored(w) == before
    # The page shows the current version again, so the next try works.
    assert version_on(page) == str(before["version"])


def test_forms_need_the_csrf_value(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.client.post(PAGE, data={"version": "1", **YEAR})
    assert page.status_code == 403
    assert stored(web_world)["calendar"] is None
