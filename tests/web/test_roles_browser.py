"""Issue 14 in a real browser, one journey per role, on a desktop and on a phone: the bureau's
round page at region size and its dashboard, a school's intake from its administration's
export, a company's capacity and answers, and the exports' file formats. Each journey acts on
the desktop (1280x900); a phone pass (390x844) then re-visits every page it saw. Every page, on
both: no console error, no axe-core violation, a screenshot (tests/web/artifacts/), no English
word in its Dutch text (the check of `test_dutch_pages`); on the phone also no sideways
scrolling. What other browser tests already walk (a pin, re-solve, publish and diff of a round,
the company's date picker) is not walked again; the map is, for its phone size.

The data is made over the API and, for the generated region, in the database
(`roles_server`); each journey stands on its own, since pytest-xdist may run them in different
workers, each with its own server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_world import MARCH, build_world, login, ok
from openpyxl import load_workbook
from test_browser import PHONE, TILE, Checked, browser, playwright_api, serving
from test_dutch_pages import DATA, english_in
from web_helpers import PASSWORD

__all__ = ["browser"]  # the fixture this module uses, from `test_browser`

DESKTOP = {"width": 1280, "height": 900}
# Names the data gave, beyond `test_dutch_pages.DATA`: the classes, offers, teachers, rounds and
# uploaded files of this module's world.
NAMES = set(DATA.split()) | {"K1", "K2", "K3", "r1", "Groot", "Voortgang", "JAN", "Sanne",
                             "Hélène", "somtoday", "docenten", "PL3", "T1"}  # fmt: skip
SOMTODAY = (
    "Leerlingnummer;Roepnaam;Achternaam;Klas;Leerweg;Leerjaar;Profiel;Postcode;Vervoer\r\n"
    "4711;Sanne;Jansen;K1;Kaderberoepsgerichte leerweg;3;Produceren, installeren en energie;"
    "7511 AB;fiets\r\n"
    "4712;Hélène;Smit;K1;Basisberoepsgerichte leerweg;3;Produceren, installeren en energie;"
    "7522 NB;bus\r\n"
).encode("cp1252")
TEACHERS = "Docentcode;Naam;Beschikbaar;Begeleider\nJAN;J. Jansen;di middag;ja\n"


def roles_world(world: Any) -> int:
    """The world's region with a school year and dated period P3; classes K1 (a visit and a
    guest lesson), K2 and K3 (a visit each), teacher T1 wanting an internship; C1 offering all
    three with a time of day and a group size, C2 a visit; PL1 with a title and three seats.
    A round solved and published, C1 declined pupil st1; the menu made and published."""
    c, b = world.client, world.bureau
    region = ok(c.get("/region", headers=b))
    period = {"id": "P3", "start": "2027-03-01", "end": "2027-03-12"}
    body = {"version": region["version"], "calendar": MARCH, "periods": [period]}
    ok(c.patch("/region", headers=b, json=body))
    for headers, code, size, demand in (
        (world.school, "K1", 20, {"excursion": 1, "guest_lesson": 1}),
        (world.school, "K2", 22, {"excursion": 1}),
        (world.other_school, "K3", 18, {"excursion": 1}),
    ):
        body = {"code": code, "year": 3, "size": size, "free": ["tue-pm"], "demand": demand}
        ok(c.post("/classes", headers=headers, json=body), 201)
    teacher = {"code": "T1", "name": "Docent", "sectors": ["energie"], "free": ["tue-pm"],
               "demand": {"teacher_internship": 1}}  # fmt: skip
    ok(c.post("/teachers", headers=world.school, json=teacher), 201)
    for headers, code, kind in (
        (world.company, "EX1", "excursion"),
        (world.company, "GL1", "guest_lesson"),
        (world.company, "TI1", "teacher_internship"),
        (world.other_company, "EX2", "excursion"),
    ):
        body = {"code": code, "kind": kind, "available": ["tue-pm"], "max_group_size": 25}
        ok(c.post("/offers", headers=headers, json=body), 201)
    placement = ok(c.get(f"/placements/{world.ids['PL1']}", headers=world.company))
    body = {"version": placement["version"], "title": "Elektrotechnisch monteur",
            "capacity": {"P3": 3}, "tracks": ["kb", "bb"]}  # fmt: skip
    ok(c.patch(f"/placements/{world.ids['PL1']}", headers=world.company, json=body))
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    decline = {"student": "st1", "status": "declined", "reason": "geen begeleider"}
    ok(c.post(f"/rounds/{rid}/responses", headers=world.company, json=decline), 201)
    ok(c.post("/menu/generate", headers=b))
    ok(c.post("/menu/publish", headers=b))
    return rid


def big_region(client: httpx.Client, database_url: str) -> dict[str, int]:
    """A generated region "Groot" of 120 pupils at two schools, solved; and a round whose solve
    is still running (a job row as a worker leaves it mid-solve), for the progress bar."""
    from sqlmodel import Session

    from api.converters import import_document
    from api.db import make_engine
    from api.models import Job, JobKind, JobStatus, Region, Role, utcnow
    from api.provision import create_user
    from fixtures.region import generate_region

    engine = make_engine(database_url)
    with Session(engine) as session:
        region = Region(name="Groot")
        session.add(region)
        session.flush()
        region_id = region.id
        import_document(session, region, generate_region(students=120, schools=2, seed=3))
        session.commit()
    create_user(engine, email="bureau@groot.nl", password=PASSWORD, role=Role.bureau,
                region="Groot")  # fmt: skip
    bureau = login(client, "bureau@groot.nl")  # type: ignore[arg-type]
    solved = ok(client.post("/rounds", headers=bureau, json={"name": "Groot 2027"}), 201)["id"]
    assert ok(client.post(f"/rounds/{solved}/solve", headers=bureau), 202)["status"] == "succeeded"
    running = ok(client.post("/rounds", headers=bureau, json={"name": "Voortgang"}), 201)["id"]
    with Session(engine) as session:
        session.add(
            Job(round_id=running, region_id=region_id, kind=JobKind.solve,
                status=JobStatus.running, phase="placements: CP-SAT: placed priority 40",
                elapsed=3.5, best_objective=1234.0, bound=1200.0, started_at=utcnow(),
                runner="inline")
        )  # fmt: skip
        session.commit()
    engine.dispose()
    return {"solved": solved, "running": running}


@pytest.fixture(scope="module")
def roles_server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[dict[str, Any]]:
    """The app, solving inline, with `roles_world` and `big_region`."""
    from api.db import make_engine

    with serving(tmp_path_factory, sqlite_template, runner="inline") as (base, database_url):
        engine = make_engine(database_url)
        with httpx.Client(base_url=base, timeout=60) as client:
            world = build_world(client, engine)  # type: ignore[arg-type]
            round_id = roles_world(world)
            groot = big_region(client, database_url)
        engine.dispose()
        yield {"base": base, "world": world, "round": round_id, "groot": groot}


class Journey:
    """A role's walk on the desktop; `seen` checks a page and remembers it, so `on_a_phone`
    re-visits each one at a phone's size: by its address, or by `again` where a form's answer
    has none to go back to."""

    def __init__(self, browser: Any, base: str, email: str, name: str) -> None:
        self.browser, self.base, self.email, self.name = browser, base, email, name
        self.visit = Checked(browser, base, DESKTOP)
        self.visit.sign_in(email)
        self.page = self.visit.page
        self.pages: list[tuple[str, Callable[[Any], Any]]] = []

    def seen(self, name: str, again: Callable[[Any], Any] | None = None) -> None:
        self.visit.check(f"{self.name}-{name}")
        speaks_dutch(self.page)
        url = self.page.url
        self.pages.append((name, again or (lambda page: page.goto(url))))

    def on_a_phone(self) -> None:
        self.visit.close()
        phone = Checked(self.browser, self.base, PHONE)
        phone.sign_in(self.email)
        for name, again in self.pages:
            again(phone.page)
            phone.check(f"{self.name}-{name}-phone")
            assert phone.page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth + 1"
            ), f"{phone.page.url} scrolls sideways on a phone"
            speaks_dutch(phone.page)
        phone.close()


def swapped(page: Any, target: str, action: Callable[[], None]) -> None:
    """Do `action` and wait until htmx has put a new `target` in place of the old one."""
    page.eval_on_selector(target, "e => { e.dataset.before = 'yes'; }")
    action()
    playwright_api.expect(page.locator(f"{target}:not([data-before])")).to_be_attached()


def shown(page: Any, target: str) -> None:
    """The list `target` shown again with the filters as filled in ("Toon")."""
    swapped(page, target, page.locator(target).get_by_role("button", name="Toon").click)


def speaks_dutch(page: Any) -> None:
    """The page is Dutch and holds no English word, the world's names aside."""
    html = page.content()
    assert 'lang="nl"' in html, page.url
    assert english_in(html, NAMES) == [], page.url


def test_the_bureau_works_a_round_at_region_size_and_reads_its_dashboard(roles_server, browser):
    expect = playwright_api.expect
    base, groot = roles_server["base"], roles_server["groot"]
    bureau = Journey(browser, base, "bureau@groot.nl", "roles-bureau")
    page = bureau.page
    page.goto(f"/app/bureau/rounds/{groot['solved']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Groot 2027")
    # Schools with name, place and BRIN: two locations of one school told apart.
    coverage = page.locator("#coverage")
    expect(coverage).to_contain_text("BRIN 02IB · 02IB00")
    expect(coverage).to_contain_text("BRIN 02IB · 02IB07")

    # The placed pupils a page at a time, filtered and searched by the server.
    placed = "#placed-list"
    expect(page.locator("#placed-found")).to_contain_text("Pagina 1 van")
    first = page.locator(f"{placed} tbody tr").first.get_attribute("data-student")
    swapped(page, placed, lambda: page.locator(placed).get_by_role("link", name="Volgende").click())
    expect(page.locator("#placed-found")).to_contain_text("Pagina 2 van")
    assert page.locator(f"{placed} tbody tr").first.get_attribute("data-student") != first
    page.locator(placed).get_by_label("School").select_option("02IB07")
    shown(page, placed)
    expect(page.locator("#placed-found")).to_contain_text("Pagina 1 van")
    schools = page.locator(f"{placed} tbody td:nth-child(2)").all_inner_texts()
    assert schools and all("02IB07" in s for s in schools), schools
    code = page.locator(f"{placed} tbody td:nth-child(3)").first.inner_text().split(" · ")[1]
    page.locator(placed).get_by_label("Bedrijf").fill(code)
    shown(page, placed)
    companies = page.locator(f"{placed} tbody td:nth-child(3)").all_inner_texts()
    assert companies and all(c.endswith(" · " + code) for c in companies), companies
    clear = page.locator(placed).get_by_role("link", name="Filters wissen")
    swapped(page, placed, clear.click)
    expect(page.locator(placed).get_by_label("School")).to_have_value("")
    profile = page.locator(placed).get_by_label("Profiel")
    wanted = profile.locator("option").nth(1).get_attribute("value")
    profile.select_option(wanted)
    shown(page, placed)
    pupils = page.locator(f"{placed} tbody td:nth-child(1)").all_inner_texts()
    assert pupils and all(p.endswith(f" · {wanted}") for p in pupils), pupils

    # The unplaced by reason and profile, a pupil searched by code.
    unplaced = "#unplaced-list"
    reason = page.locator(unplaced).get_by_label("Reden")
    assert reason.locator("option").count() >= 2
    label = reason.locator("option").nth(1).inner_text()
    reason.select_option(index=1)
    shown(page, unplaced)
    # As many found as the reasons' table counts for this reason.
    named = page.locator("th").get_by_text(label, exact=True)
    count = page.locator("#reason-totals tbody tr", has=named).locator("td").text_content()
    expect(page.locator("#unplaced-found")).to_contain_text(f"{count} gevonden")
    student = page.locator(f"{unplaced} tbody tr").first.get_attribute("data-student")
    assert student
    page.locator(unplaced).get_by_label("Leerlingcode bevat").fill(student)
    shown(page, unplaced)
    rows = page.locator(f"{unplaced} tbody tr")
    expect(rows.first).to_have_attribute("data-student", student)
    assert all(student in r for r in rows.all_inner_texts())
    assert page.locator(unplaced).get_by_label("Profiel").locator("option").count() >= 2
    # The pin choices come when opened, each a valid placement with its seats.
    row = rows.first
    row.locator("summary").click()
    choices = row.get_by_role("combobox")
    expect(choices).to_be_visible()
    assert all(" bezet" in o for o in choices.locator("option").all_inner_texts())
    lists = f"/app/bureau/rounds/{groot['solved']}"
    bureau.seen("round-filtered", lambda phone: phone.goto(f"{lists}/unplaced?q={student}"))
    bureau.pages.append(("pin-choices", lambda phone: phone.goto(f"{lists}/pin-choices/{student}")))

    # A pin refused says why in Dutch (the form's CSRF, a placement that is not in the round).
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(
        f"/app/bureau/rounds/{groot['solved']}/pins",
        form={"csrf": csrf, "student": student, "slot": "PL9999|P9"},
    )
    assert "geen stageplek PL9999" in refused.text(), refused.text()[:500]
    assert english_in(refused.text(), NAMES | {student, "PL9999"}) == []

    # Advice in plain Dutch: one more seat places one more pupil.
    page.get_by_role("button", name="Bereken advies").click()
    advice = page.locator("#advice li")
    expect(advice.first).to_contain_text("Eén plek extra bij")
    expect(advice.first).to_contain_text("plaatst 1 leerling meer")
    # The charts drawn, each with its table.
    for chart in ("share", "reasons", "load", "cofinancing"):
        expect(page.locator(f"canvas[data-chart={chart}]")).to_have_attribute(
            "width", re.compile(r"\d+")
        )
    page.locator("#reason-totals").locator("xpath=..").locator("summary").click()
    expect(page.locator("#reason-totals")).to_be_visible()
    bureau.seen("advice")

    # Honest progress of a solve still running: the phase in Dutch, time, best and bound.
    page.goto(f"/app/bureau/rounds/{groot['running']}")
    progress = page.locator("#job-progress")
    expect(progress).to_contain_text("stageplekken verdelen")
    expect(progress).to_contain_text("1234")
    expect(progress).to_contain_text("ondergrens 1200")
    expect(progress).not_to_contain_text("placed priority")
    bureau.seen("progress")
    bureau.on_a_phone()


def test_the_bureau_reads_activities_cofinancing_and_every_export(roles_server, browser):
    expect = playwright_api.expect
    base, round_id = roles_server["base"], roles_server["round"]
    bureau = Journey(browser, base, "bureau@testregio.nl", "roles-dashboard")
    page = bureau.page
    page.goto(f"/app/bureau/rounds/{round_id}")
    for kind, words in (("excursion", "Bedrijfsbezoek"), ("guest_lesson", "Gastles"),
                        ("teacher_internship", "Docentenstage")):  # fmt: skip
        expect(page.locator(f"#activity-{kind} th")).to_contain_text(words)
    expect(page.locator("#activity-excursion .planned")).to_have_text("3")
    expect(page.locator("#cofinancing-text")).to_contain_text("10%")
    expect(page.locator("#cofinancing-text")).to_contain_text("€ 10.000")
    expect(page.locator("#cofinancing-meter")).to_be_attached()
    bureau.seen("dashboard")

    # Every download link answers with its file; the CSV is Excel's: `;` and a BOM; the
    # XLSX keeps its header row in view (a frozen pane).
    links = page.locator("#h-downloads").locator("xpath=..").locator("a[download]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 3 + 2 * 3, hrefs
    for href in hrefs:
        answer = page.request.get(href)
        assert answer.status == 200, (href, answer.text()[:200])
        assert "attachment" in answer.headers["content-disposition"], href
    csv = page.request.get(next(h for h in hrefs if h.endswith("code=S1&fmt=csv"))).body()
    assert csv.startswith(b"\xef\xbb\xbf"), csv[:20]
    header = csv.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("leerling;voornaam;stageplek"), header  # a Dutch page
    xlsx = page.request.get(next(h for h in hrefs if h.endswith("code=S1&fmt=xlsx"))).body()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    with page.expect_download() as download:
        form = page.locator("#download-company")
        form.get_by_label("Bedrijfscode").fill("C1")
        form.get_by_label("Bestand", exact=True).select_option("csv")
        form.get_by_role("button", name="Downloaden").click()
    assert Path(download.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")

    # The map on the PDOK background (a tile served here: the tests run offline).
    def open_map(page: Any) -> None:
        page.route("https://service.pdok.nl/**", lambda route: route.fulfill(
            status=200, content_type="image/png", body=TILE))  # fmt: skip
        page.goto(f"/app/bureau/map?round_id={round_id}")
        expect(page.locator("#leaflet-map .leaflet-tile-loaded").first).to_be_attached()

    open_map(page)
    expect(page.locator("#leaflet-map")).to_contain_text("Kaartgegevens © Kadaster")
    bureau.seen("map", open_map)
    bureau.on_a_phone()


def preview(page: Any, export: Path) -> None:
    """The school's pupils `export` read and shown, not yet imported."""
    page.goto("/app/school")
    form = page.locator("#upload-pupils")
    form.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(export))
    form.get_by_role("button", name="Bekijken").click()
    playwright_api.expect(page.locator("#intake-columns")).to_be_visible()


def test_a_school_imports_its_export_and_teachers_and_reads_menu_and_results(
    roles_server, browser, tmp_path
):
    expect = playwright_api.expect
    school = Journey(browser, roles_server["base"], "school@testregio.nl", "roles-school")
    page = school.page
    order = page.locator("#intake-order")
    expect(order).to_contain_text("Klassen, vóór de leerlingen")
    expect(order).to_contain_text("Somtoday")
    school.seen("data")

    export = tmp_path / "somtoday.csv"
    export.write_bytes(SOMTODAY)
    preview(page, export)
    expect(page.locator("#intake-counts")).to_contain_text("2 nieuw, 0 bijgewerkt")
    columns = page.locator("#intake-columns")
    expect(columns.locator("select").first).to_have_value("leerlingnummer")
    expect(page.locator("#intake-ignored")).to_contain_text("achternaam")
    rows = page.locator("#intake-rows")
    expect(rows).to_contain_text("S1-4711")
    expect(rows).not_to_contain_text("Jansen")  # the surname is not read
    # The postcode becomes its 4-digit area's centre; "fiets" the bike.
    expect(rows).not_to_contain_text("7511 AB")
    expect(rows.locator("tbody tr").first).to_contain_text("52.22")
    expect(rows.locator("tbody tr").first).to_contain_text("bike")
    expect(page.locator("main")).to_contain_text("het 4-cijferige postcodegebied")
    expect(rows.locator("tbody tr").first).to_contain_text("kb")
    expect(rows.locator("tbody tr").nth(1)).to_contain_text("bb")
    school.seen("intake-preview", lambda phone: preview(phone, export))
    page.get_by_role("button", name="Importeren").click()
    expect(page.locator("#upload-result")).to_contain_text("Verwerkt: 2 nieuw, 0 bijgewerkt")
    expect(page.locator("#pupils")).to_contain_text("Sanne")

    teachers = tmp_path / "docenten.csv"
    teachers.write_text(TEACHERS, encoding="utf-8")
    form = page.locator("#upload-teachers")
    form.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(teachers))
    form.get_by_role("button", name="Bekijken").click()
    expect(page.locator("#intake-counts")).to_contain_text("1 nieuw")
    expect(page.locator("#intake-rows")).to_contain_text("S1-JAN")
    page.get_by_role("button", name="Importeren").click()
    expect(page.locator("#upload-result")).to_contain_text("Verwerkt: 1 nieuw")
    school.seen("data-imported", lambda phone: phone.goto("/app/school"))

    page.get_by_role("link", name="Menukaart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Menukaart")
    expect(page.locator("main")).to_contain_text("bedrijfsbezoek")
    school.seen("menu")

    page.get_by_role("link", name="Uitslag").click()
    declined = page.locator("#pupil-results tr", has_text="(st1)")
    expect(declined.locator(".badge.declined")).to_have_text("Afgewezen")  # not placed
    school.seen("results")
    school.on_a_phone()


def offer_the_visit_again(page: Any) -> None:
    """C1's company visit on Tuesday afternoons, which it offers already."""
    page.goto("/app/company")
    offer = page.locator("#new-offer")
    offer.get_by_label("Soort").select_option("excursion")
    offer.get_by_label("dinsdag middag").check()
    offer.get_by_role("button", name="Activiteit toevoegen").click()
    playwright_api.expect(page.get_by_role("alert")).to_be_visible()


def test_a_company_reads_its_capacity_and_answers_all_at_once(roles_server, browser):
    expect = playwright_api.expect
    company = Journey(browser, roles_server["base"], "company@testregio.nl", "roles-company")
    page = company.page
    # Readable titles with their codes explained, and the period's dates.
    card = page.locator("#placement-PL1")
    expect(card.locator("h3")).to_contain_text("Elektrotechnisch monteur")
    expect(card.locator("abbr", has_text="PIE")).to_have_attribute(
        "title", "Produceren, installeren en energie"
    )
    expect(card.locator("abbr", has_text="kb")).to_have_attribute(
        "title", re.compile("Kaderberoepsgerichte")
    )
    expect(card.get_by_text("01-03-2027").first).to_be_visible()
    company.seen("capacity")

    # The same visit twice is refused in Dutch, and nothing is added.
    before = page.locator("#offers tbody tr").count()
    offer_the_visit_again(page)
    expect(page.get_by_role("alert")).to_contain_text("Niet opgeslagen")
    expect(page.get_by_role("alert")).to_contain_text(
        "Aanbod EX1 biedt deze activiteit al aan op deze dagdelen"
    )
    expect(page.locator("#offers tbody tr")).to_have_count(before)
    company.seen("offer-refused", offer_the_visit_again)

    page.get_by_role("link", name="Toegewezen").click()
    # Visits with their time of day and group size.
    visit = page.locator("li.card[id^=visit-K1]").first
    expect(visit.locator(".visit-time")).to_contain_text(re.compile(r"\d\d:\d\d"))
    expect(visit).to_contain_text("20 leerlingen")
    expect(page.locator("#pupil-st1")).to_contain_text("Afgewezen")
    all_at_once = page.locator("#confirm-all")
    expect(all_at_once).to_be_visible()
    all_at_once.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Alle leerlingen bevestigd")
    expect(page.locator("#confirm-all")).to_have_count(0)
    expect(page.locator("li.card[id^=pupil-] .badge.confirmed").first).to_be_visible()
    company.seen("assigned")
    company.on_a_phone()
