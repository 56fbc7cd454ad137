"""Dutch pages speak Dutch: every page of each role's navigation, and the deeper pages of a
solved round, hold no common English word (issue 14). Data (codes, names the world gave) and
technical tokens are left out before the words are counted."""

from __future__ import annotations

import html
import re

from api_world import activity_world

from api.models import Role
from api.web.render import NAVIGATION

# Common English words that are not Dutch words too (so not "of", "in", "was", "school", "min",
# "week", "file", "per", ...).
WORDS = """the and with without not no yes for from this that these those which what when where
    who why how are were will would should could can cannot must may
    field required invalid value values error errors missing unknown please enter number
    string date period periods pupil pupils schools company companies placed unplaced
    placement placements every each any all none only but than then there their they them
    because reason reasons full taken room blocked reachable eligible admit admits admitted
    within by preference preferences choice choices asked got short excluded round rounds
    running queued finished failed succeeded started waiting progress found step steps seconds
    minutes sign signed upload uploaded row column rows columns should at least
    greater less equal characters valid expected true false
    calendar summary visit visits lesson lessons guest teacher teachers class classes
    students morning afternoon monday tuesday wednesday thursday friday
    saturday sunday weeks day days"""
ENGLISH = frozenset(WORDS.split())
# What the test world and the frame hold as names: codes, the world's names, products.
DATA = """PIE kb Kindst1 Kindst2 Kindst3 Vmbo Bedrijf EX1 EX2 PL1 PL2 K1 K2 K3 S1 S2 C1 C2 r1
    Testregio Stagebureau Zermelo Somtoday Magister EDEXML CSV XLSX ics English"""
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# Data and technical tokens: e-mail addresses, links, field names (min_gap_days), slots (PL1/P3),
# a file's column names quoted („preferences”).
TOKEN = re.compile(r"\S+@\S+|\w+://\S+|\w*_\w*|\S+/\S+|„[^”]*”")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def english_in(page: str, data: set[str]) -> list[str]:
    """The sentences of `page`'s text that hold an English word, data words aside."""
    text = TOKEN.sub(" ", html.unescape(TAG.sub("\n", page)))
    found = []
    for sentence in re.split(r"[\n.:;!?()]+", text):
        words = [w for w in WORD.findall(sentence) if w not in data]
        if any(w.lower() in ENGLISH for w in words):
            found.append(" ".join(sentence.split()))
    return found


# Beyond the navigation (`api.web.render.NAVIGATION`, so a new page is checked from the start):
# each pupil's explanation; the round page is added once the round exists.
DEEPER = {"school": [f"/app/school/results/st{i}" for i in (1, 2, 3)]}


def test_dutch_pages_hold_no_english_words(as_role, web_world):
    round_id = activity_world(web_world)
    data = set(DATA.split())
    offending: dict[str, list[str]] = {}
    for role in ("bureau", "school", "company"):
        urls = [path for path, _ in NAVIGATION[Role(role)]] + DEEPER.get(role, [])
        browser = as_role(role)
        browser.client.cookies.set("lang", "nl")
        if role == "bureau":
            urls = [*urls, f"/app/bureau/rounds/{round_id}"]
        for url in urls:
            page = browser.get(url)
            assert page.status_code == 200, (url, page.status_code)
            assert 'lang="nl"' in page.text, url
            if found := english_in(page.text, data):
                offending[url] = found
    assert offending == {}, "\n".join(f"{u}: {s}" for u, ss in offending.items() for s in ss)
    # The unplaced pupil's story, told from codes: the reason, the taken slots, each wish.
    story = as_role("school").get("/app/school/results/st1").text
    taken = "elke bereikbare passende plek is bezet: PL1/P3 vol (2); PL2/P3 vol (1)"
    assert f"st1 is niet geplaatst: Alle bereikbare plekken zijn vol ({taken})" in story
    assert "wens 1 PL1: vol in P3 (2/2)" in story
    # The long lists say the solver's own detail (which slot, why full) in Dutch too.
    assert taken in as_role("school").get("/app/school/results").text
    assert taken in as_role("bureau").get(f"/app/bureau/rounds/{round_id}").text
    # Downloads started from a Dutch page: the year calendar, the tables' headers.
    company, bureau = as_role("company"), as_role("bureau")
    ics = company.get("/app/company/calendar.ics").text
    assert "X-WR-CALNAME:Jaarkalender Bedrijf C1 (r1)" in ics, ics
    assert "SUMMARY:Bedrijfsbezoek: klas K" in ics
    for url in ("/app/bureau/feedback.csv", "/app/bureau/menu/report.csv"):
        header = bureau.get(url).content.decode("utf-8-sig").splitlines()[0]
        assert english_in(header.replace(";", "\n"), set()) == [], (url, header)
    # A refused upload names each problem in Dutch.
    school = as_role("school")
    rows = ["code;first_name;profile;track;year;preferences", "st8;Lot;PIE;kb;3;PL9",
            "st9;Sem;PIE;kb;x;", "st8;Lot;PIE;kb;3;"]  # fmt: skip
    bad = "\n".join(rows) + "\n"
    page = school.post("/app/school/intake/pupils", files={"file": ("p.csv", bad)})  # the preview
    assert "wens 1: geen stageplek PL9 in de regio" in page.text
    assert "moet een heel getal zijn" in page.text and "code st8 staat twee keer" in page.text
    # the file's own column names are data: the school typed them
    data = set(DATA.split()) | {"st8", "st9", "Lot", "Sem", "PL9", "preferences", "year"}
    assert english_in(page.text, data) == []
    # A refused pin says why in Dutch.
    page = bureau.post(f"/app/bureau/rounds/{round_id}/pins", {"student": "st1", "slot": "PL9|P3"})
    assert "stageplek: geen stageplek PL9 in de ronde" in page.text
    assert english_in(page.text, data | {"PL9"}) == []
    # The same detail and downloads in English, for whoever chose it.
    bureau.client.cookies.set("lang", "en")
    page = bureau.get(f"/app/bureau/rounds/{round_id}").text
    assert "every reachable eligible placement is taken: PL1/P3 full (2); PL2/P3 full (1)" in page
    company.client.cookies.set("lang", "en")
    ics = company.get("/app/company/calendar.ics").text
    assert "X-WR-CALNAME:Year calendar Bedrijf C1 (r1)" in ics


def test_the_check_finds_an_english_sentence():
    page = "<p>Leerling st1 is niet geplaatst</p><p>every eligible placement is taken</p>"
    assert english_in(page, {"st1"}) == ["every eligible placement is taken"]
