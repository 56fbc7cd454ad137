"""The bureau's round page at region size (issue 14): a page of pupils at a time, filters that
the database applies, companies with load only, and pin choices fetched per pupil that hold only
valid placements. A generated region of a few hundred pupils, solved through the page."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlmodel import Session, select
from web_helpers import PASSWORD, Browser

from api.converters import import_document
from api.db import make_engine
from api.models import PinCreate, Region, Role, Round, SolutionVersion, VersionPupil
from api.provision import create_user
from api.services import round_pages
from api.services.pins import pin_problem
from fixtures.region import generate_region

HX = {"HX-Request": "true"}
ROW = re.compile(r'<tr data-student="([^"]+)">')


@pytest.fixture
def region_round(web_client, web_settings):
    """A bureau of a 300-pupil region with a solved round: (browser, round id, engine)."""
    engine = make_engine(web_settings.database_url)
    with Session(engine) as session:
        region = Region(name="Groot")
        session.add(region)
        session.flush()
        import_document(session, region, generate_region(students=300, schools=3, seed=2))
        session.commit()
    create_user(engine, email="bureau@groot.nl", password=PASSWORD, role=Role.bureau,
                region="Groot")  # fmt: skip
    bureau = Browser(web_client.app, "bureau@groot.nl")
    page = bureau.post("/app/bureau/rounds", {"name": "Groot 2027"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/solve")
    assert 'id="placed-count"' in page.text
    yield bureau, round_id, engine
    engine.dispose()


def pupils(engine, placed: bool) -> list[VersionPupil]:
    with Session(engine) as session:
        query = select(VersionPupil).where(VersionPupil.placed == placed)
        return list(session.exec(query.order_by(VersionPupil.student)).all())


def listed(html: str, kind: str) -> list[str]:
    """The pupil codes in the list `kind` of a page."""
    part = html.split(f'id="{kind}-list"', 1)[1]
    return ROW.findall(part.split('id="placed-list"', 1)[0] if kind == "unplaced" else part)


def test_the_round_page_shows_one_page_of_each_list_and_no_pin_options(region_round):
    bureau, round_id, engine = region_round
    placed, unplaced = pupils(engine, True), pupils(engine, False)
    assert len(placed) > round_pages.PAGE_SIZE and unplaced
    page = bureau.get(f"/app/bureau/rounds/{round_id}")
    assert listed(page.text, "placed") == [p.student for p in placed[: round_pages.PAGE_SIZE]]
    assert listed(page.text, "unplaced") == [p.student for p in unplaced[: round_pages.PAGE_SIZE]]
    # Pin choices come per pupil on demand: the page holds no placement options at all.
    assert 'name="slot"' not in page.text and '<option value="PL' not in page.text
    # Companies only with load: no row of a company nobody goes to.
    load = page.text.split('id="load"', 1)[1].split("</table>", 1)[0]
    assert load.count("<tr>") >= 1 and "<td>0 / " not in load
    # The page weighs what a page of each list weighs, whatever the region's size.
    assert len(page.content) < 150_000


def test_pupil_lists_page_filter_and_refuse_in_place_and_without_javascript(region_round):
    bureau, round_id, engine = region_round
    placed = pupils(engine, True)
    base = f"/app/bureau/rounds/{round_id}"
    second = bureau.get(f"{base}/placed?page=2", headers=HX)
    assert "<html" not in second.text  # the part htmx swaps in
    assert listed(second.text, "placed") == [
        p.student for p in placed[round_pages.PAGE_SIZE : 2 * round_pages.PAGE_SIZE]
    ]
    school = placed[0].school
    mine = [p.student for p in placed if p.school == school and p.profile == placed[0].profile]
    page = bureau.get(f"{base}/placed?school={school}&profile={placed[0].profile}")
    assert "<html" in page.text and "Terug naar de ronde" in page.text  # a page of its own
    assert listed(page.text, "placed") == mine[: round_pages.PAGE_SIZE]
    assert f"{len(mine)} gevonden" in page.text
    company = bureau.get(f"{base}/placed?company={placed[0].company}", headers=HX)
    assert set(listed(company.text, "placed")) == {
        p.student for p in placed if p.company == placed[0].company
    }
    found = bureau.get(f"{base}/placed?q={placed[7].student.upper()}", headers=HX)
    assert placed[7].student in listed(found.text, "placed")
    reason = pupils(engine, False)[0].reason
    reasons = bureau.get(f"{base}/unplaced?reason={reason}", headers=HX)
    assert (
        listed(reasons.text, "unplaced")
        == [p.student for p in pupils(engine, False) if p.reason == reason][: round_pages.PAGE_SIZE]
    )
    # A page past the last shows the last page.
    size = round_pages.PAGE_SIZE
    last = bureau.get(f"{base}/placed?page=999", headers=HX)
    assert listed(last.text, "placed") == [
        p.student for p in placed[(len(placed) - 1) // size * size :]
    ]
    # A filter the proposal cannot match is refused naming its field; the list shows unfiltered.
    page = bureau.get(f"{base}/unplaced?school=NOPE&page=x")
    assert page.status_code == 422
    assert "Deze ronde heeft geen school (veld school): NOPE" in page.text
    assert "Geen geldig paginanummer (veld pagina): x" in page.text
    unfiltered = [p.student for p in pupils(engine, False)][: round_pages.PAGE_SIZE]
    assert listed(page.text, "unplaced") == unfiltered
    part = bureau.get(f"{base}/placed?company=C9999", headers=HX)
    assert part.status_code == 200 and "(veld bedrijf): C9999" in part.text
    companies = bureau.get(f"{base}/companies?page=-1")
    assert companies.status_code == 422 and "(veld pagina): -1" in companies.text


def test_pin_choices_hold_only_placements_the_pupil_may_take(region_round):
    bureau, round_id, engine = region_round
    with Session(engine) as session:
        round_ = session.get(Round, round_id)
        document = session.get(SolutionVersion, round_.proposal_version_id).round_document  # type: ignore[union-attr]
    unplaced = next(p for p in pupils(engine, False) if p.reason == "CAPACITY")
    answer = bureau.get(f"/app/bureau/rounds/{round_id}/pin-choices/{unplaced.student}", headers=HX)
    slots = re.findall(r'<option value="([^"|]+)\|([^"]+)"', answer.text)
    assert slots and "<html" not in answer.text
    for placement, period in slots:  # each one the pin service itself accepts
        pin = PinCreate(student=unplaced.student, placement=placement, period=period)
        assert pin_problem(document, pin) is None
    # A pupil left out for capacity sees its full places as full.
    assert " · vol" in answer.text
    missing = bureau.get(f"/app/bureau/rounds/{round_id}/pin-choices/nobody")
    assert missing.status_code == 404
    assert "Deze ronde heeft geen leerling (veld leerling): nobody" in missing.text
    placement, period = slots[0]
    page = bureau.post(f"/app/bureau/rounds/{round_id}/pins",
                       {"student": unplaced.student, "slot": f"{placement}|{period}"})  # fmt: skip
    assert f"{unplaced.student} → {placement} {period}" in page.text


def test_school_results_show_a_page_of_the_schools_own_pupils_and_find_one_by_code(
    region_round, web_client
):
    bureau, round_id, engine = region_round
    everyone = pupils(engine, True) + pupils(engine, False)  # of the one version
    page = bureau.get(f"/app/bureau/rounds/{round_id}")
    proposal = re.search(r'name="proposal" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    bureau.post(f"/app/bureau/rounds/{round_id}/publish", {"confirm": "yes", "proposal": proposal})
    school = Counter(p.school for p in everyone).most_common(1)[0][0]
    own = sorted(p.student for p in everyone if p.school == school)
    assert len(own) > round_pages.PAGE_SIZE
    create_user(engine, email="school@groot.nl", password=PASSWORD, role=Role.school,
                region="Groot", school=school)  # fmt: skip
    coordinator = Browser(web_client.app, "school@groot.nl")
    results = coordinator.get("/app/school/results")
    shown = re.findall(r'<a href="/app/school/results/([^"]+)">', results.text)
    assert shown == own[: round_pages.PAGE_SIZE]
    assert f"{len(own)} gevonden" in results.text and 'rel="next"' in results.text
    second = coordinator.get("/app/school/results?page=2")
    assert (
        re.findall(r'<a href="/app/school/results/([^"]+)">', second.text)
        == own[round_pages.PAGE_SIZE : 2 * round_pages.PAGE_SIZE]
    )
    found = coordinator.get(f"/app/school/results?q={own[-1]}")
    assert own[-1] in re.findall(r'<a href="/app/school/results/([^"]+)">', found.text)
    other = next(p.student for p in everyone if p.school != school)
    assert "0 gevonden" in coordinator.get(f"/app/school/results?q={other}").text
