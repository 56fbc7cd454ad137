"""The event-day journey in a real browser: the bureau creates an event day, a company enters a
session, a school enters choices by hand and by file, the bureau solves and publishes, then the
school prints a pupil's programme and the company reads its lists. Headless Chromium with the
checks of `test_browser` on every page (no console error, no axe-core violation).
"""

from __future__ import annotations

from pathlib import Path

import httpx
from test_browser import Checked, browser, live_server, playwright_api

__all__ = ["browser", "live_server"]  # the fixtures this module uses, from `test_browser`


def test_an_event_day_from_creation_to_programmes(live_server, browser, tmp_path: Path):
    expect = playwright_api.expect
    base = live_server["base"]

    bureau = Checked(browser, base)
    page = bureau.page
    bureau.sign_in("bureau@testregio.nl")
    page.get_by_role("link", name="Evenementen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evenementen")
    new = page.locator("#new-event")
    new.get_by_label("Naam").fill("Techniekdag Twente")
    new.get_by_label("Datum").fill("2027-04-14")
    new.get_by_label("Aantal rondes").fill("2")
    new.get_by_label("Begintijd eerste ronde").fill("09:00")
    new.get_by_label("Minuten per ronde").fill("45")
    new.get_by_role("button", name="Evenement toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Evenement opgeslagen")
    bureau.check("event-bureau-list")

    company = Checked(browser, base)
    company.sign_in("company@testregio.nl")
    company.page.get_by_role("link", name="Evenementen").click()
    form = company.page.locator("#new-session-EV1")
    form.get_by_label("Titel van de sessie").fill("Zonnepanelen leggen")
    form.get_by_label("Plaatsen per ronde").fill("2")
    form.get_by_label("Sectoren").fill("energie")
    form.get_by_role("button", name="Sessie toevoegen").click()
    expect(company.page.get_by_role("status")).to_contain_text("Sessie opgeslagen")
    company.check("event-company-sessions")

    with httpx.Client(base_url=base, timeout=30) as client:  # C2's session, as C2 enters it
        world = live_server["world"]
        event_id = client.get("/events", headers=world.bureau).json()[0]["id"]
        body = {"code": "SE90", "event_id": event_id, "title": "Robots bouwen", "capacity": 2}
        assert (
            client.post("/event-sessions", headers=world.other_company, json=body).status_code
            == 201
        )

    school = Checked(browser, base)
    school.sign_in("school@testregio.nl")
    school.page.get_by_role("link", name="Evenementen").click()
    entry = school.page.locator("#enter-choice")
    entry.get_by_label("Leerling").select_option(label="st1 Kindst1")
    entry.get_by_label("Keuze 1").select_option("SE1")
    entry.get_by_label("Keuze 2").select_option("SE90")
    entry.get_by_role("button", name="Keuze opslaan").click()
    expect(school.page.get_by_role("status")).to_contain_text("Keuze opgeslagen")
    choices = tmp_path / "keuzes.csv"
    choices.write_text("pupil;choice_1;choice_2\nst2;SE90;SE1\nst3;SE1;SE90\n", encoding="utf-8")
    upload = school.page.locator("#upload-choices")
    upload.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(choices))
    upload.get_by_role("button", name="Aanleveren").click()
    expect(school.page.locator("#upload-result")).to_contain_text("Verwerkt: 2 nieuw")
    expect(school.page.locator("#requests tbody tr")).to_have_count(3)
    school.check("event-school-choices")

    page.get_by_role("link", name="Rondes").click()
    page.get_by_label("Naam").fill("Techniekdag ronde")
    page.get_by_role("button", name="Ronde openen").click()
    page.get_by_role("button", name="Indeling berekenen").click()
    expect(page.locator("#publish")).to_be_visible(timeout=60_000)
    page.locator("#confirm_publish").check()
    page.locator("#publish").click()
    expect(page.locator("#round-status")).to_contain_text("gepubliceerd")
    page.get_by_role("link", name="Evenementen").click()
    page.get_by_role("link", name="Techniekdag Twente").click()
    expect(page.locator("#result")).to_contain_text("Sessies toegekend")
    bureau.check("event-bureau-result")
    bureau.close()

    school.page.get_by_role("link", name="Evenementen").click()
    expect(school.page.locator("#pupil-programmes")).to_contain_text("Zonnepanelen leggen")
    school.check("event-school-programmes")
    school.page.locator("#pupil-programmes a").first.click()
    expect(school.page.get_by_role("heading", level=1)).to_contain_text("Programma")
    expect(school.page.locator(".programme-block table")).to_contain_text("09:")
    school.check("event-pupil-programme")
    school.page.emulate_media(media="print")
    expect(school.page.locator("header.top")).to_be_hidden()
    school.close()

    company.page.get_by_role("link", name="Evenementen").click()
    expect(company.page.locator("#event-EV1")).to_contain_text("Wie komt er per ronde")
    expect(company.page.locator("#event-EV1")).not_to_contain_text("Robots bouwen")
    company.check("event-company-lists")
    company.close()
