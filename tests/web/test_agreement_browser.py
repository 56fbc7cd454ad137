"""The placement-agreement journey in a real browser: with the school's part entered, the
company opens its agreement, fills in its supervisor and hours, sees the working-time check
pass and signs. Headless Chromium with the checks of `test_browser` on every page (no console
error, no axe-core violation), screenshots in tests/web/artifacts/.
"""

from __future__ import annotations

from dataclasses import replace

import httpx
from agreement_world import AT_14, confirmed_placement
from api_world import ok
from test_browser import Checked, browser, live_server, playwright_api

__all__ = ["browser", "live_server"]  # the fixtures this module uses, from `test_browser`


def test_a_company_fills_in_and_signs_its_placement_agreement(live_server, browser):
    expect = playwright_api.expect
    base = live_server["base"]
    with httpx.Client(base_url=base, timeout=60) as client:
        world = replace(live_server["world"], client=client)
        placed = confirmed_placement(world)  # type: ignore[arg-type]
        aid = placed.agreement["id"]
        body = {"version": placed.agreement["version"], "school_contact_name": "Mw. De Vries"}
        ok(client.patch(f"/agreements/{aid}", headers=world.school, json=body))
        birth = {"birth_date": AT_14}
        ok(client.put(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school, json=birth))

    visit = Checked(browser, base)
    page = visit.page
    visit.sign_in("company@testregio.nl")
    page.get_by_role("link", name="Stageovereenkomsten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stageovereenkomsten")
    expect(page.locator(f"#agreement-{aid}")).to_contain_text("Nog te tekenen door u")
    visit.check("agreements-company-list")

    page.locator(f"#agreement-{aid} a").click()
    expect(page.locator("#problems")).to_contain_text("Ontbreekt: praktijkbegeleider.")
    form = page.locator("#company-part")
    form.get_by_label("Naam").fill("Henk Smit")
    form.get_by_label("Begintijd").fill("09:00")
    form.get_by_label("Eindtijd").fill("15:00")
    form.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Opgeslagen.")
    expect(page.locator("#check-ok")).to_be_visible()
    visit.check("agreement-company-filled-in")

    sign = page.locator("#sign-company")
    sign.get_by_label("Naam van wie tekent").fill("Henk Smit")
    sign.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_role("status")).to_contain_text("Getekend.")
    expect(page.locator("#signature-company")).to_contain_text("getekend door Henk Smit")
    expect(page.get_by_role("link", name="Overeenkomst als PDF")).to_be_visible()
    visit.check("agreement-company-signed")
    visit.close()
