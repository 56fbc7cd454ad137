"""The bureau's company page: mark a company stopped (a bad date named and nothing stored),
repair the published round it leaves pupils in, read who moved; once the repair is published
the school and the company see the change, and the stop can no longer be lifted."""

from __future__ import annotations

import re


def test_bureau_marks_a_company_stopped_repairs_and_reads_who_moved(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/rounds", {"name": "Testregio 2027"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    bureau.post(f"/app/bureau/rounds/{round_id}/publish", {"confirm": "yes"})
    company_id = web_world.ids["C1"]
    assert f'href="/app/bureau/companies/{company_id}"' in bureau.get("/app/bureau/menu").text

    page = bureau.get(f"/app/bureau/companies/{company_id}")
    assert "Bedrijf stopt" in page.text and "SBB-erkenning ingetrokken" in page.text
    url = f"/app/bureau/companies/{company_id}/stop"
    page = bureau.post(url, {"stopped_from": "1 maart", "reason": "bankrupt"})
    assert 'role="alert"' in page.text and "stopped_from" in page.text
    assert 'id="stops"' not in page.text  # nothing stored

    page = bureau.post(url, {"stopped_from": "2027-03-01", "reason": "recognition_withdrawn"})
    assert "Bedrijf gemarkeerd als gestopt." in page.text
    assert "Gestopt vanaf 2027-03-01 · SBB-erkenning ingetrokken" in page.text
    assert re.search(r"Testregio 2027</a>: 2 leerlingen, 0 bezoeken", page.text)

    page = bureau.post(f"/app/bureau/rounds/{round_id}/stop-repair?company_id={company_id}")
    assert "Herstel gestart." in page.text
    assert 'id="stop-moves-link"' in page.text
    moves = bureau.get(f"/app/bureau/rounds/{round_id}/stop-moves")
    assert 'id="moved-pupils"' in moves.text
    assert len(re.findall(r"<td>PL1 \(C1, P3\)</td>", moves.text)) == 2

    # Published, the school and the company see who moved; the stop can no longer be lifted.
    bureau.post(f"/app/bureau/rounds/{round_id}/publish", {"confirm": "yes"})
    for role, url in (("school", "/app/school/results"), ("company", "/app/company/pupils")):
        page = as_role(role).get(url)
        assert 'id="stop-moves"' in page.text and "Gewijzigd omdat een bedrijf stopte" in page.text
    assert "Gewijzigd" not in as_role("other_company").get("/app/company/pupils").text
    stop_id = re.search(r"/app/bureau/company-stops/(\d+)/lift", bureau.get(
        f"/app/bureau/companies/{company_id}").text).group(1)  # type: ignore[union-attr]  # fmt: skip
    page = bureau.post(f"/app/bureau/company-stops/{stop_id}/lift?company_id={company_id}")
    assert 'role="alert"' in page.text and "herplanning die ermee rekening hield" in page.text
    assert as_role("school").get(f"/app/bureau/companies/{company_id}").status_code == 403
