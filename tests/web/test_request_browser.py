"""The placement-request journey in a real browser, on a phone: a school drafts a request and
submits it, the bureau reads the counts per school. Headless Chromium with the checks of
`test_browser` on every page (no console error, no axe-core violation, no sideways scrolling).
"""

from __future__ import annotations

import httpx
from test_browser import PHONE, Checked, browser, live_server, playwright_api

__all__ = ["browser", "live_server"]  # the fixtures this module uses, from `test_browser`


def test_a_school_drafts_and_submits_a_request_and_the_bureau_counts_it(live_server, browser):
    expect = playwright_api.expect
    base, world = live_server["base"], live_server["world"]
    opened = httpx.post(f"{base}/rounds", headers=world.bureau, json={"name": "Voorjaar"})
    assert opened.status_code == 201, opened.text

    school = Checked(browser, base, viewport=PHONE)
    page = school.page
    school.sign_in("school@testregio.nl")
    page.get_by_role("link", name="Stageaanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stageaanvragen")
    new = page.locator("#new-request")
    new.get_by_label("Leerling").select_option(label="st1")
    new.get_by_role("button", name="Aanvraag maken").click()
    expect(page.get_by_role("status")).to_contain_text("Aanvraag gemaakt")
    page.get_by_label("Kies st1").check()
    page.get_by_role("button", name="Indienen").click()
    expect(page.get_by_role("status")).to_contain_text("Aanvragen ingediend")
    expect(page.locator("#request-st1")).to_contain_text("Ingediend")
    school.check("requests-school")
    school.fits_a_phone()
    school.close()

    bureau = Checked(browser, base, viewport=PHONE)
    bureau.sign_in("bureau@testregio.nl")
    bureau.page.get_by_role("link", name="Stageaanvragen").click()
    expect(bureau.page.locator("#school-S1")).to_contain_text("Vmbo S1")
    bureau.check("requests-bureau")
    bureau.fits_a_phone()
    bureau.close()
