"""The school's placement-request page: drafts made, submitted and approved in bulk (a refused
step named and nothing changed), the stuck filter, the lock once the round solves; the bureau's
counts per school."""

from __future__ import annotations

import html
import re

from api_world import ok


def test_school_drafts_submits_and_approves_in_bulk_and_the_bureau_counts(as_role, web_world):
    c, b = web_world.client, web_world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "Voorjaar"}), 201)["id"]
    school = as_role("school")
    page = school.get("/app/school/requests")
    assert "Stageaanvragen" in page.text and 'id="new-request"' in page.text
    for code in ("st1", "st2"):
        form = {"round_id": str(rid), "pupil_id": str(web_world.ids[code])}
        page = school.post("/app/school/requests/new", form)
        assert "Aanvraag gemaakt." in page.text
    assert re.search(r'id="request-st2">.*?Concept', page.text, re.S)
    assert f'<option value="{web_world.ids["st1"]}">st1</option>' not in page.text

    picked = re.findall(r'name="request" value="(\d+:\d+)"', page.text)
    bulk = {"round_id": str(rid), "request": picked}
    page = school.post("/app/school/requests/steps", {**bulk, "action": "approve"})
    assert 'role="alert"' in page.text
    # the refusal names both statuses and the steps there are, in the page's words
    said = html.unescape(page.text)
    assert 'staat op "Concept" en kan niet naar "Goedgekeurd"' in said
    assert '(vanuit "Concept" kan: Ingediend, Ingetrokken)' in said
    page = school.post("/app/school/requests/steps", {**bulk, "action": "submit"})
    assert "Aanvragen ingediend." in page.text
    # A tampered tick (a digit int() does not read) is refused on the page, nothing changed.
    odd = school.post("/app/school/requests/steps", {**bulk, "request": "²:1", "action": "submit"})
    assert odd.status_code == 200 and 'role="alert"' in odd.text
    stale = school.post("/app/school/requests/steps", {**bulk, "action": "approve"})
    # the page's versions moved on: nothing approved
    assert "is intussen gewijzigd; laad de pagina opnieuw" in stale.text
    picked = re.findall(r'name="request" value="(\d+:\d+)"', page.text)
    page = school.post("/app/school/requests/steps",
                       {"round_id": str(rid), "request": picked, "action": "approve"})  # fmt: skip
    assert "Aanvragen goedgekeurd." in page.text
    assert len(re.findall(r"<td>Goedgekeurd</td>", page.text)) == 2
    assert (
        "Geen aanvragen om te tonen."
        in school.get(f"/app/school/requests?round={rid}&show=stuck").text
    )

    ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)
    page = school.get(f"/app/school/requests?round={rid}")
    assert 'id="locked"' in page.text and 'id="bulk-form"' in page.text
    assert 'id="bulk-submit"' not in page.text and 'id="new-request"' not in page.text

    counts = as_role("bureau").get(f"/app/bureau/requests?round={rid}")
    row = re.search(r'<tr id="school-S1">(.*?)</tr>', counts.text, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<td>(\d+)</td>", row)[3] == "2"  # in_round, the fourth status
    assert as_role("company").get("/app/school/requests").status_code == 403
