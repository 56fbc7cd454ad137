"""The three journeys in a real browser: a company entering capacity, a school uploading pupils,
and the bureau solving, pinning, re-solving and publishing a round (then the company and the
school see it). Headless Chromium from the system (Debian's `chromium`), driven by Playwright;
on every page: no JavaScript error in the console and no axe-core accessibility violation.
Screenshots of the main pages go to tests/web/artifacts/ (git-ignored).

Skipped, with the reason, where Playwright or Chromium is missing (`make browser` installs
both; `.ci/run` does so in CI).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from web_helpers import PASSWORD

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install '.[browser]'"
)

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"  # axe-core 4.14.1, MPL-2.0 (vendor/axe.LICENSE)
ARTIFACTS = HERE / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
# A PDOK background tile (one light grey pixel): the tests run without the internet.
TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c6378f1e60900057802b95355da690000000049454e44ae426082"
)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="no system Chromium (apt-get install chromium chromium-driver, or `make browser`)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(
    tmp_path_factory: pytest.TempPathFactory, template: Path, runner: str
) -> Iterator[tuple[str, str]]:
    """The app on a copy of the migrated `template` database under uvicorn on a free local port,
    its jobs run by `runner`; yields the base URL and the database URL."""
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    path = tmp_path_factory.mktemp("browser") / "stagebureau.db"
    shutil.copyfile(template, path)
    settings = Settings(
        database_url=f"sqlite:///{path}",
        redis_url=None,
        solve_time_limit=5.0,
        solve_deterministic=True,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, runner=runner), host="127.0.0.1", port=port,
                       log_level="warning")
    )  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings.database_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[dict[str, Any]]:
    """The app under uvicorn on a free local port, solves in worker processes as in production,
    with the API tests' world in it."""
    import httpx
    from api_world import build_world

    from api.db import make_engine

    with serving(tmp_path_factory, sqlite_template, runner="local") as (base, database_url):
        engine = make_engine(database_url)
        with httpx.Client(base_url=base, timeout=30) as client:
            world = build_world(client, engine)  # type: ignore[arg-type]
            # The school year, which rounds with visits and guest lessons need.
            region = client.get("/region", headers=world.bureau).json()
            calendar = {"start": "2027-01-11", "end": "2027-06-25", "holidays": []}
            body = {"version": region["version"], "calendar": calendar}
            assert client.patch("/region", headers=world.bureau, json=body).status_code == 200
            # A class that wants a company visit, and the visit company C1 offers on Tuesdays.
            klass = {"code": "3KB-A", "year": 3, "size": 20, "free": ["tue-pm"],
                     "demand": {"excursion": 1}}  # fmt: skip
            assert client.post("/classes", headers=world.school, json=klass).status_code == 201
            visit = {"code": "EX1", "kind": "excursion", "available": ["tue-pm"]}
            assert client.post("/offers", headers=world.company, json=visit).status_code == 201
        engine.dispose()
        yield {"base": base, "world": world}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Checked:
    """A page that records console errors and uncaught exceptions, checks accessibility with
    axe-core and takes screenshots."""

    def __init__(self, browser: Any, base: str, viewport: dict | None = None) -> None:
        self.context = browser.new_context(
            base_url=base, viewport=viewport or {"width": 1280, "height": 900}, locale="nl-NL"
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def sign_in(self, email: str) -> None:
        self.page.goto("/app")
        self.page.get_by_label("E-mailadres").fill(email)
        self.page.get_by_label("Wachtwoord").fill(PASSWORD)
        self.page.get_by_label("Wachtwoord").press("Enter")  # the keyboard alone suffices
        self.page.wait_for_load_state()

    def check(self, name: str | None = None) -> None:
        """No console errors so far, no axe violation here; a screenshot if `name` is given."""
        self.page.wait_for_load_state()
        assert not self.errors, self.errors
        # Evaluated through the DevTools protocol: a <script> tag would be refused by the pages'
        # Content-Security-Policy (no inline scripts), which the check must not loosen.
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values:
                    ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
                return result.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        assert violations == [], f"{self.page.url}: {violations}"
        if name:
            ARTIFACTS.mkdir(exist_ok=True)
            self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def fits_a_phone(self) -> None:
        """No sideways scrolling of the page as a whole at a phone's width."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{self.page.url} is {width}px wide on a phone"

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


def test_company_enters_its_capacity(live_server, browser):
    expect = playwright_api.expect
    visit = Checked(browser, live_server["base"])
    page = visit.page
    visit.sign_in("company@testregio.nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ons aanbod")
    visit.check()

    page.get_by_label("Contactpersoon").fill("Anja de Vries")
    page.get_by_label("Uren per maand").fill("12")
    page.get_by_label("Maximaal aantal stagiairs tegelijk").fill("4")
    page.locator("form[action='/app/company/profile'] button").click()
    expect(page.get_by_role("status")).to_contain_text("Bedrijfsgegevens opgeslagen")

    new = page.locator("#new-placement")
    new.get_by_label("Omschrijving").fill("Elektrotechnisch monteur")
    new.get_by_label("Plaatsen in P3").fill("3")
    new.get_by_label("PIE").check()
    new.get_by_label("kb").check()
    new.get_by_role("button", name="Stageplek toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Stageplek opgeslagen")
    expect(
        page.locator(".placement h3").filter(has_text="Elektrotechnisch monteur")
    ).to_be_visible()

    offer = page.locator("#new-offer")
    offer.get_by_label("Soort").select_option("guest_lesson")
    offer.get_by_label("dinsdag middag").check()
    offer.get_by_label("Datum 1").fill("2027-03-11")  # the browser's date picker
    offer.get_by_label("Dagdeel 1").select_option("am")
    offer.get_by_label("Max. groepsgrootte").fill("28")
    offer.get_by_role("button", name="Activiteit toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Activiteit toegevoegd")
    expect(page.locator("#offers table")).to_contain_text(
        "dinsdag middag, donderdag 11-03-2027 ochtend"
    )
    assert page.get_by_label("Contactpersoon").input_value() == "Anja de Vries"
    visit.check("company-capacity")

    page.get_by_role("link", name="EN Engels").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Our offer")
    page.get_by_role("link", name="NL Dutch").click()
    page.get_by_role("link", name="Jaarkalender").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jaarkalender")
    visit.check()
    visit.close()

    phone = Checked(browser, live_server["base"], PHONE)
    phone.sign_in("company@testregio.nl")
    phone.check("company-capacity-phone")
    phone.fits_a_phone()
    phone.close()


def test_school_uploads_pupils(live_server, browser, tmp_path):
    expect = playwright_api.expect
    visit = Checked(browser, live_server["base"])
    page = visit.page
    visit.sign_in("school@testregio.nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leerlingen en klassen")

    form = page.locator("#upload-pupils")
    with page.expect_download() as download:
        form.get_by_role("link", name="CSV Leerlingen").click()
    template = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert template.splitlines()[0].startswith("code;roepnaam;profiel;leerweg;leerjaar")

    bad = tmp_path / "leerlingen.csv"
    bad.write_text(
        "code;first_name;profile;track;year;preferences\n"
        "st21;Fenna;PIE;kb;3;PL1\nst22;Bram;PIE;xx;3;\nst23;Noor;PIE;kb;3;PL404\nst24;Iris;PIE;kb;9;\n",
        encoding="utf-8",
    )
    form.get_by_label("Bestand (CSV of XLSX)").set_input_files(str(bad))
    form.get_by_role("button", name="Bekijken").click()  # a preview first: nothing stored
    result = page.locator("#intake-summary")
    expect(result.get_by_role("alert")).to_contain_text("niet worden geïmporteerd")
    problems = result.locator("table.problems tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("track")
    expect(result).to_contain_text("PL404")
    expect(page.locator("#intake-import")).to_have_count(0)
    visit.check("school-upload-errors")

    page.get_by_role("link", name="Terug zonder importeren").click()
    good = tmp_path / "leerlingen-goed.csv"
    good.write_text(
        "code;first_name;profile;track;year;preferences\n"
        "st21;Fenna;PIE;kb;3;PL1\nst22;Bram;PIE;bb;3;\nst23;Noor;PIE;kb;3;PL2\n",
        encoding="utf-8",
    )
    page.locator("#upload-pupils").get_by_label("Bestand (CSV of XLSX)").set_input_files(str(good))
    page.locator("#upload-pupils").get_by_role("button", name="Bekijken").click()
    expect(page.locator("#intake-counts")).to_contain_text("3 nieuw, 0 bijgewerkt")
    expect(page.locator("#intake-rows")).to_contain_text("Fenna")
    visit.check("school-intake-preview")
    page.get_by_role("button", name="Importeren").click()
    expect(page.locator("#upload-result")).to_contain_text("Verwerkt: 3 nieuw, 0 bijgewerkt")
    expect(page.locator("#pupils")).to_contain_text("Fenna")
    visit.check("school-data")
    visit.close()


def test_bureau_runs_and_publishes_a_round(live_server, browser):
    expect = playwright_api.expect
    visit = Checked(browser, live_server["base"])
    page = visit.page
    visit.sign_in("bureau@testregio.nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rondes")
    visit.check()

    page.get_by_role("link", name="Menukaart").click()
    expect(page.locator("#menu")).to_contain_text("Bedrijf C1")
    visit.check("bureau-menu")

    page.get_by_role("link", name="Rondes").click()
    page.get_by_label("Naam").fill("Testregio 2027 ronde 1")
    page.get_by_role("button", name="Ronde openen").click()
    expect(page.locator("#round-status")).to_contain_text("concept")

    page.get_by_role("button", name="Indeling berekenen").click()
    # The solve runs in a worker process; htmx polls its progress every second.
    expect(page.locator("#job-bar")).to_be_visible()
    visit.check("bureau-solving")
    expect(page.locator("#publish")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("status")).to_contain_text("Berekening klaar")
    expect(page.locator("#coverage")).to_contain_text("Vmbo S1")
    unplaced = page.locator("#unplaced tbody tr")
    assert unplaced.count() >= 1
    # The charts are drawn (Chart.js) next to their tables; the downloads are listed.
    expect(page.locator(".chart-box canvas").first).to_have_attribute("width", re.compile(r"\d+"))
    expect(page.locator("#downloads")).to_contain_text("Oplossing (JSON)")
    visit.check("bureau-dashboard")

    first = unplaced.first
    student = first.get_attribute("data-student")
    # The pin control fetches this pupil's valid placements when it opens (htmx).
    first.locator("summary").click()
    first.get_by_role("combobox").select_option(index=0)
    first.get_by_role("button", name="Vastzetten").click()
    expect(page.locator("#pins")).to_contain_text(f"{student} →")

    page.locator("#resolve").click()
    expect(page.locator("#publish")).to_contain_text("voorstel 2", timeout=60_000)
    page.get_by_label("Ja, scholen en bedrijven zien vanaf nu voorstel 2").check()
    page.locator("#publish").click()
    expect(page.locator("#round-status")).to_contain_text("gepubliceerd")
    visit.check("bureau-published")

    page.get_by_role("link", name="Wat veranderde in versie 2").click()
    expect(page.locator("#diff")).to_contain_text(student)
    visit.check("bureau-diff")

    page.route(
        "https://service.pdok.nl/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    page.get_by_role("link", name="Kaart", exact=True).click()
    page.get_by_label("Ronde").select_option(label="Testregio 2027 ronde 1")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#region-map line").first).to_be_attached()
    # The tiles load: Leaflet's map shows with the Kadaster's attribution, the outline hides.
    expect(page.locator("#leaflet-map .leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator("#leaflet-map")).to_contain_text("Kaartgegevens © Kadaster")
    expect(page.locator("#map-outline")).to_be_hidden()
    visit.check("bureau-map")
    visit.close()

    # The company sees its pupils and confirms one; the school sees what each pupil got.
    company = Checked(browser, live_server["base"])
    company.sign_in("company@testregio.nl")
    company.page.get_by_role("link", name="Toegewezen").click()
    card = company.page.locator("li.card").first
    card.get_by_role("button", name="Bevestigen").click()
    expect(company.page.get_by_role("status")).to_contain_text("Bevestigd")
    company.check("company-assigned")
    visit = company.page.locator("li.card[id^=visit-3KB-A]")
    visit.get_by_text("Afwijzen").click()
    visit.get_by_label("Reden (optioneel)").fill("geen begeleider die dag")
    visit.get_by_role("button", name="Afwijzing versturen").click()
    expect(company.page.get_by_role("status")).to_contain_text("ander aanbod")
    expect(company.page.locator("li.card[id^=visit-3KB-A]")).to_contain_text("geen begeleider")
    company.check("company-declined-visit")
    company.close()

    school = Checked(browser, live_server["base"])
    school.sign_in("school@testregio.nl")
    school.page.get_by_role("link", name="Uitslag").click()
    expect(school.page.locator("#pupil-results")).to_contain_text("st1")
    school.check("school-results")
    school.page.locator("#pupil-results a").first.click()
    expect(school.page.locator(".story")).to_be_visible()
    school.check()
    school.close()


def test_bureau_sets_the_school_year(live_server, browser):
    """Last in this module: the calendar it leaves (with holidays) is still a valid one."""
    expect = playwright_api.expect
    visit = Checked(browser, live_server["base"])
    page = visit.page
    visit.sign_in("bureau@testregio.nl")
    page.get_by_role("link", name="Schooljaar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Schooljaar")
    visit.check()

    dates = page.locator("#school-year-dates")
    dates.get_by_label("Minimale tussenruimte in dagen").fill("7")
    dates.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Schooljaar opgeslagen")

    page.locator("#school-year-dates").get_by_label("Laatste dag").fill("2027-01-04")
    page.locator("#school-year-dates").get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("laatste schooldag")
    visit.check("bureau-school-year-error")

    fill = page.locator("#fill-holidays")
    fill.get_by_label("Regio Zuid").check()
    fill.get_by_role("button", name="Vakanties invullen").click()
    expect(page.get_by_role("status")).to_contain_text("ingevuld")
    rows = page.locator("#holidays tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("#holidays table")).to_contain_text("Meivakantie, Koningsdag")
    visit.check("bureau-school-year")

    rows.first.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text("Vakantie verwijderd")
    expect(page.locator("#holidays tbody tr")).to_have_count(4)
    add = page.locator("#add-holiday")
    add.get_by_label("Van", exact=True).fill("2027-02-15")
    add.get_by_label("Tot en met", exact=True).fill("2027-02-19")
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Vakantie toegevoegd")
    expect(page.locator("#holidays tbody tr").first).to_contain_text("Voorjaarsvakantie")
    visit.check()
    visit.close()

    phone = Checked(browser, live_server["base"], PHONE)
    phone.sign_in("bureau@testregio.nl")
    phone.page.goto("/app/bureau/calendar")
    phone.check("bureau-school-year-phone")
    phone.fits_a_phone()
    phone.close()


def test_school_imports_a_timetable_and_pupils_from_its_school_system(
    live_server, browser, tmp_path
):
    """Last in the module: it changes class 3KB-A's timetable and adds pupils."""
    from school_system_files import AFTERNOONS, MORNINGS, TUESDAY_AFTERNOONS, edexml, ics

    expect = playwright_api.expect
    visit = Checked(browser, live_server["base"])
    page = visit.page
    visit.sign_in("school@testregio.nl")
    page.get_by_role("link", name="Koppelingen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("uit het schoolsysteem")
    visit.check()

    calendar = tmp_path / "3kb-a.ics"
    calendar.write_bytes(ics(MORNINGS, AFTERNOONS, TUESDAY_AFTERNOONS))
    form = page.locator("#upload-ics")
    form.get_by_label("Voor").select_option("class:3KB-A")
    form.get_by_label("Bestand (.ics)").set_input_files(str(calendar))
    form.get_by_role("button", name="Aanleveren").click()
    expect(page.locator("#import-result")).to_contain_text("niet meer vrij: tue-pm")
    visit.check("school-sources-report")

    bad = tmp_path / "school.xml"
    bad.write_bytes(edexml(4, broken={2: ""}))
    page.locator("#upload-edexml").get_by_label("Bestand (.xml)").set_input_files(str(bad))
    page.locator("#upload-edexml").get_by_role("button", name="Aanleveren").click()
    # The file is read in the background: its card polls until the refusal is its report.
    refused = page.locator("section[id^='run-'] table.problems")
    expect(refused).to_contain_text("leerling ll0002", timeout=15_000)
    visit.check("school-sources-refused")
    visit.close()
