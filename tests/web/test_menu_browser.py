"""A company signs up for the published menu in a real browser: the bureau's menu is made and
published over the API, then the company ticks a weekday on its Menukaart page and signs up.
Headless Chromium with the checks of `test_browser` (no console error, no axe-core violation).
"""

from __future__ import annotations

import httpx
from api_world import MARCH
from test_browser import Checked, browser, live_server, playwright_api

__all__ = ["browser", "live_server"]  # the fixtures this module uses, from `test_browser`


def test_a_company_signs_up_for_a_menu_item(live_server, browser):
    expect = playwright_api.expect
    base, world = live_server["base"], live_server["world"]
    with httpx.Client(base_url=base, timeout=30) as client:
        b = world.bureau
        region = client.get("/region", headers=b).json()
        body = {"version": region["version"], "calendar": MARCH}
        assert client.patch("/region", headers=b, json=body).status_code == 200
        wants = {"code": "KM1", "year": 3, "size": 20, "profile": "PIE", "free": ["tue-pm"],
                 "demand": {"excursion": 2}}  # fmt: skip
        assert client.post("/classes", headers=world.school, json=wants).status_code == 201
        assert client.post("/menu/generate", headers=b).status_code == 200
        assert client.post("/menu/publish", headers=b).status_code == 200

    company = Checked(browser, base)
    page = company.page
    company.sign_in("company@testregio.nl")
    page.get_by_role("link", name="Menukaart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Menukaart van de regio")
    item = page.locator("#menu-items > li", has_text="1 klas PIE zoekt een bedrijfsbezoek")
    expect(item).to_contain_text("1 klas · Gewenst 2 · ingetekend 0")
    company.check("company-menu")
    item.get_by_label("dinsdag middag").check()
    item.get_by_label("Max. groepsgrootte").fill("25")
    item.get_by_role("button", name="Intekenen").click()
    expect(page.get_by_role("status")).to_contain_text("Ingetekend")
    expect(item).to_contain_text("U tekende in: 2 groepen")
    company.check("company-menu-signed")
    company.close()
