"""The year-round workflow per role in a real browser (issue 16): a company reads its to-do
list, takes the daily digest and gives feedback on a visit; a school, on a phone, reads its
to-do list and gives feedback on the same visit and one pupil's three questions; the bureau
reads its to-do list, the feedback per company and kind, and the requests and agreements.
Headless Chromium with the checks of `test_browser` on every page (no console error, no
axe-core violation), screenshots in tests/web/artifacts/.

The data is made over the API (`feedback_world`: visits and an event day in the past,
placements to come). Each journey stands on its own, since pytest-xdist may run them in
different workers, each with its own server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_world import World, build_world, ok
from feedback_world import feedback_world
from test_browser import PHONE, Checked, browser, playwright_api, serving

__all__ = ["browser"]  # the fixture this module uses, from `test_browser`

VISIT = "K1, EX1"  # class K1 of school S1 visited company C1 in the last five weeks


def year_world(world: World) -> None:
    """`feedback_world`'s published year; C1 confirmed pupil st1, so their agreement waits for
    signatures; S1 submitted pupil st2's request in a second round."""
    c = world.client
    rid = feedback_world(world)
    confirm = {"student": "st1", "status": "confirmed"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=confirm), 201)
    spring = ok(c.post("/rounds", headers=world.bureau, json={"name": "Voorjaar"}), 201)
    body = {"pupil_id": world.ids["st2"], "round_id": spring["id"]}
    draft = ok(c.post("/requests", headers=world.school, json=body), 201)
    step = {"version": draft["version"]}
    ok(c.post(f"/requests/{draft['id']}/submit", headers=world.school, json=step))


@pytest.fixture(scope="module")
def year_server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[dict[str, Any]]:
    """The app, solving inline (`feedback_world` waits for its solve), with `year_world`."""
    from api.db import make_engine

    with serving(tmp_path_factory, sqlite_template, runner="inline") as (base, database_url):
        engine = make_engine(database_url)
        with httpx.Client(base_url=base, timeout=60) as client:
            world = build_world(client, engine)  # type: ignore[arg-type]
            year_world(world)
        engine.dispose()
        yield {"base": base, "world": world}


def test_a_company_reads_its_to_do_list_takes_the_digest_and_gives_feedback(year_server, browser):
    expect = playwright_api.expect
    company = Checked(browser, year_server["base"])
    page = company.page
    company.sign_in("company@testregio.nl")
    page.get_by_role("link", name="Te doen").click()
    todo = page.locator("#todo-items")
    expect(todo.locator(".todo-company_waiting")).to_contain_text(
        "Ronde jaar: 2 leerlingen of bezoeken wachten op uw antwoord"
    )
    expect(todo.locator(".todo-agreements")).to_contain_text(
        "1 stageovereenkomst(en) wacht(en) op uw handtekening"
    )
    expect(todo.locator(".todo-feedback_excursion")).to_contain_text("1 bedrijfsbezoek(en)")
    company.check("year-company-todo")

    digest = page.get_by_label("Eén overzicht per dag (7:00)")
    digest.check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw keuze is opgeslagen.")
    expect(digest).to_be_checked()
    company.check()

    todo.locator(".todo-feedback_excursion a").click()  # the line leads to where it is done
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terugkoppeling")
    card = page.locator("section.card", has_text=VISIT)
    company.check("year-company-feedback")
    card.get_by_role("group", name="Hoe ging het?").get_by_label("4", exact=True).check()
    card.get_by_role("group", name="Zou u het nog eens doen?").get_by_label("ja").check()
    card.get_by_label("Opmerking").fill("Goede vragen gesteld")
    card.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status")).to_contain_text("uw antwoord is opgeslagen")
    given = page.locator("details.card", has_text=VISIT)
    expect(given.locator("summary")).to_contain_text(": 4 · ja")
    expect(page.locator("section.card", has_text=VISIT)).to_have_count(0)
    given.locator("summary").click()
    expect(given.get_by_label("Opmerking")).to_have_value("Goede vragen gesteld")
    company.check("year-company-feedback-given")
    company.close()
    answers = ok(httpx.get(f"{year_server['base']}/users/me/notifications",
                           headers=year_server["world"].company))  # fmt: skip
    assert answers["notify_mode"] == "digest"


def test_a_school_on_a_phone_gives_feedback_and_a_pupils_answers(year_server, browser):
    expect = playwright_api.expect
    school = Checked(browser, year_server["base"], viewport=PHONE)
    page = school.page
    school.sign_in("school@testregio.nl")
    page.get_by_role("link", name="Te doen").click()
    todo = page.locator("#todo-items")
    expect(todo.locator(".todo-school_unplaced")).to_contain_text(
        "Ronde jaar: 7 leerlingen niet geplaatst"
    )
    expect(todo.locator(".todo-requests_to_approve")).to_contain_text("1 stageaanvraag")
    expect(todo.locator(".todo-feedback_excursion")).to_contain_text("1 bedrijfsbezoek(en)")
    school.check("year-school-todo")
    school.fits_a_phone()

    todo.locator(".todo-feedback_excursion a").click()
    card = page.locator("section.card[id^='todo-']", has_text=VISIT)
    expect(card.get_by_role("group", name="Paste het programma")).to_be_visible()
    school.check("year-school-feedback")
    school.fits_a_phone()
    card.get_by_role("group", name="Hoe ging het?").get_by_label("3", exact=True).check()
    card.get_by_role("group", name="Zou u het nog eens doen?").get_by_label("misschien").check()
    card.get_by_role("group", name="Paste het programma").get_by_label("ja").check()
    card.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status")).to_contain_text("uw antwoord is opgeslagen")
    expect(page.locator("details.card", has_text=VISIT).locator("summary")).to_contain_text(
        ": 3 · misschien"
    )

    pupils = page.locator("section.card[id^='pupils-']", has_text=VISIT)
    expect(pupils.locator("h3")).to_contain_text("0 / 6 leerlingen ingevuld")
    pupils.get_by_label("Leerlingcode").select_option("st7")
    pupils.get_by_role("group", name="Wat heb je geleerd?").get_by_label("5", exact=True).check()
    pupils.get_by_role("group", name="Was het interessant?").get_by_label("4", exact=True).check()
    pupils.get_by_role("group", name="Zou je het een andere").get_by_label("ja").check()
    pupils.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status")).to_contain_text("De antwoorden van de leerling")
    pupils = page.locator("section.card[id^='pupils-']", has_text=VISIT)
    expect(pupils.locator("h3")).to_contain_text("1 / 6 leerlingen ingevuld")
    expect(pupils.get_by_label("Leerlingcode").locator("option", has_text="st7")).to_have_count(0)
    school.check("year-school-feedback-given")
    school.fits_a_phone()
    school.close()


def test_the_bureau_reads_its_to_do_list_the_feedback_requests_and_agreements(year_server, browser):
    expect = playwright_api.expect
    base, world = year_server["base"], year_server["world"]
    with httpx.Client(base_url=base, timeout=30) as client:  # C2 and S2 answer on K3's visit
        items = ok(client.get("/feedback/items", headers=world.other_company))
        [k3] = [i for i in items if i["kind"] == "excursion" and i["requester"] == "K3"]
        visit = k3["item"]
        for headers, score, again in ((world.other_company, 5, "yes"),
                                      (world.other_school, 2, "no")):  # fmt: skip
            body = {"round_id": k3["round_id"], "kind": "excursion", "item": visit,
                    "score": score, "again": again}  # fmt: skip
            ok(client.post("/feedback", headers=headers, json=body), 201)

    bureau = Checked(browser, base)
    page = bureau.page
    bureau.sign_in("bureau@testregio.nl")
    page.get_by_role("link", name="Te doen").click()
    expect(page.locator("#todo-items .todo-unplaced")).to_contain_text(
        "Ronde jaar: 8 leerlingen niet geplaatst"
    )
    bureau.check("year-bureau-todo")

    page.get_by_role("link", name="Terugkoppeling").click()
    row = page.locator("#row-C2-excursion")
    expect(row.locator("th")).to_contain_text("Bedrijf C2")
    # Company: 1 answer, 5.0, 100% again; school: 1 answer, 2.0, 0% again.
    expect(row.locator("td")).to_have_text(
        ["Bedrijfsbezoek", "1", "5.0", "100%", "1", "2.0", "0%", "–", "0", "–"]
    )
    said_no = page.get_by_role("region", name="Hier zei een kant nee").locator("tr", has_text=visit)
    expect(said_no.locator("td")).to_have_text(["C2", "Bedrijfsbezoek", visit, "ja", "nee"])
    bureau.check("year-bureau-feedback")

    page.get_by_role("link", name="Stageaanvragen").click()
    expect(page.locator("#school-S1")).to_contain_text("Vmbo S1")
    bureau.check("year-bureau-requests")

    page.get_by_role("link", name="Stageovereenkomsten").click()
    expect(page.locator("#count-open")).to_have_text("1")
    expect(page.locator("table")).to_contain_text("Bedrijf C1")
    bureau.check("year-bureau-agreements")
    bureau.close()
