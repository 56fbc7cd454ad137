"""A service's refusal reaches a Dutch page in Dutch (issue 14): real refusals driven through
the pages (a stale proposal on publish, a pin removed twice, a second solve while one waits, a
decline lifted twice, a withdrawn agreement) say the catalog's words, never the API's English
sentence, which the API keeps answering."""

from __future__ import annotations

import html
import re

from agreement_world import confirmed_placement
from api_world import ok
from sqlmodel import Session, select
from test_dutch_pages import DATA, english_in

from api.db import make_engine
from api.models import Job, JobKind, Round
from api.settings import Settings

ALERT = re.compile(r'<(\w+)[^>]*role="alert"[^>]*>(.*?)</\1>', re.S)
TAG = re.compile(r"<[^>]+>")


def alerts(page: str) -> str:
    """The text of the page's alerts: where a refusal is shown."""
    return " ".join(
        " ".join(html.unescape(TAG.sub(" ", a)).split()) for _, a in ALERT.findall(page)
    )


def queue_a_solve(settings: Settings, round_id: int) -> None:
    """A solve job no worker has taken yet, as another tab's click would leave it."""
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        region_id = session.exec(select(Round.region_id).where(Round.id == round_id)).one()
        session.add(Job(region_id=region_id, round_id=round_id, kind=JobKind.solve))
        session.commit()
    engine.dispose()


def test_round_refusals_speak_dutch(as_role, web_world, web_settings):
    bureau = as_role("bureau")
    page = bureau.post("/app/bureau/rounds", {"name": "Testregio r2"})
    round_id = int(re.search(r"/app/bureau/rounds/(\d+)/solve", page.text).group(1))  # type: ignore[union-attr]
    url = f"/app/bureau/rounds/{round_id}"
    page = bureau.post(f"{url}/solve")
    seen = re.search(r'name="proposal" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]

    # A re-solve finished since the bureau looked: publishing what it saw is refused.
    page = bureau.post(f"{url}/resolve")
    current = re.search(r'name="proposal" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    assert current != seen
    page = bureau.post(f"{url}/publish", {"confirm": "yes", "proposal": seen})
    said = alerts(page.text)
    assert f"Voorstel {seen} is niet meer het actuele: versie {current}" in said, said
    assert "no longer the current one" not in page.text and english_in(said, set()) == []

    # A pin removed twice (a second tab): the second says so in Dutch.
    page = bureau.post(f"{url}/pins", {"student": "st1", "slot": "PL1|P3"})
    pin_id = re.search(rf"{url}/pins/(\d+)/delete", page.text).group(1)  # type: ignore[union-attr]
    bureau.post(f"{url}/pins/{pin_id}/delete")
    page = bureau.post(f"{url}/pins/{pin_id}/delete")
    said = alerts(page.text)
    assert f"Vastzetting {pin_id} bestaat niet in ronde {round_id}" in said, said
    assert f"no pin {pin_id}" not in page.text

    # Publish, decline a pupil for its company, lift the decline twice.
    page = bureau.post(f"{url}/publish", {"confirm": "yes", "proposal": current})
    assert "Gepubliceerd." in page.text
    student = re.search(r'name="student" value="(st\d)">\s*<input type="hidden" '
                        r'name="status" value="declined"', page.text).group(1)  # type: ignore[union-attr]  # fmt: skip
    page = bureau.post(f"{url}/answers", {"student": student, "status": "declined"})
    decline_id = re.search(r"/app/bureau/declines/(\d+)/lift", page.text).group(1)  # type: ignore[union-attr]
    lift = f"/app/bureau/declines/{decline_id}/lift?round_id={round_id}"
    assert "Afwijzing opgeheven." in bureau.post(lift).text
    page = bureau.post(lift)
    said = alerts(page.text)
    assert f"Afwijzing {decline_id} is al opgeheven." in said, said
    assert "was lifted already" not in page.text

    # A second solve while one waits for a worker.
    queue_a_solve(web_settings, round_id)
    page = bureau.post(f"{url}/solve")
    said = alerts(page.text)
    assert "Er loopt al een berekening voor deze ronde" in said, said
    assert "is already queued" not in page.text and english_in(said, set(DATA.split())) == []

    # In English for whoever chose it; the API keeps its own sentence.
    bureau.client.cookies.set("lang", "en")
    page = bureau.post(f"{url}/solve")
    assert "A solve is already running for this round" in alerts(page.text)
    answer = web_world.client.post(f"/rounds/{round_id}/solve", headers=web_world.bureau)
    assert answer.status_code == 409
    assert re.fullmatch(r"job \d+ is already queued for this round", answer.json()["detail"])


def test_a_withdrawn_agreement_says_so_in_dutch(as_role, web_world):
    placed = confirmed_placement(web_world)
    aid = placed.agreement["id"]
    # The company declines the pupil after all: the agreement is withdrawn.
    decline = {"student": placed.student, "status": "declined"}
    c = web_world.client
    ok(c.post(f"/rounds/{placed.round_id}/responses", headers=web_world.company, json=decline), 201)
    company = as_role("company")
    part = {
        "version": "1",
        "first_day": "2027-03-08",
        "last_day": "2027-03-19",
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "day_start": "08:30",
        "day_end": "16:00",
        "break_minutes": "30",
        "supervisor_name": "Henk Smit",
    }
    page = company.post(f"/app/agreements/{aid}", part)
    said = alerts(page.text)
    assert f"Overeenkomst {aid} van leerling {placed.student} is ingetrokken" in said, said
    assert "was withdrawn" not in page.text
    answer = c.patch(f"/agreements/{aid}", headers=web_world.company,
                     json={"version": 1, "supervisor_name": "Henk Smit"})  # fmt: skip
    assert answer.status_code == 409
    assert answer.json()["detail"] == f"agreement {aid} of pupil {placed.student} was withdrawn"


def test_a_missing_record_on_a_page_says_so_in_dutch(as_role, web_world):
    """A refusal no page catches becomes the error page, in the page's words."""
    page = as_role("bureau").get("/app/bureau/rounds/999999")
    assert page.status_code == 404
    assert "Ronde 999999 bestaat niet in uw regio." in page.text
    assert "no round 999999" not in page.text
