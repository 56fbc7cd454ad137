"""Every page a user can reach by following links speaks Dutch (issue 14), not only the pages of
the navigation, and so does every download linked from them (CSV, XLSX, calendar, PDF: what a
reader sees of each): each role starts at its navigation and follows every link of the
platform, in a year with a published round, an event day, feedback due, a declined and a
confirmed pupil and a request in a second round. A page that answers an error, or holds a
common English word (`test_dutch_pages.english_in`), fails the test with its address.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from urllib.parse import urldefrag, urljoin, urlsplit

from api_world import ok
from feedback_world import feedback_world
from openpyxl import load_workbook
from pypdf import PdfReader
from test_dutch_pages import DATA, english_in

from api.models import Role
from api.web.render import NAVIGATION

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# Not followed: signing out or in, switching language, the contract's JSON, subscribed feeds.
NOT_FOLLOWED = re.compile(r"\.json(\?|$)|/logout|/login|/feeds/|/app/lang/")
# What a calendar shows of an event: its name, description, place, the calendar's name.
SHOWN = re.compile(r"^(SUMMARY|DESCRIPTION|LOCATION|X-WR-CALNAME)[^:]*:(.*)$", re.MULTILINE)
# Addresses that differ only in a number are the same page for another record: a few suffice.
SAME_PAGE = re.compile(r"\d+")
PER_SHAPE = 3
MOST_PAGES = 250  # per role: a bound, should a page link to endlessly many others
# What the crawled world holds as names and codes, beyond the test world's (test_dutch_pages).
WORLD = """EV1 SE1 SE2 SE3 EX1 EX2 K1 K3 P3 st1 st2 st3 st4 st5 st6 st7 st8 st9 st10 st11
    Kindst6 Kindst7 Kindst8 Kindst9 Kindst10 Kindst11 Techniekdag Twente Zonnepanelen Lassen
    Robots Voorjaar jaar"""


def links(page: str, here: str) -> list[str]:
    found = []
    for href in HREF.findall(page):
        url = urldefrag(urljoin(here, href.replace("&amp;", "&")))[0]
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/app"):
            continue
        if NOT_FOLLOWED.search(url):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def text_of(response) -> str | None:  # type: ignore[no-untyped-def]
    """What a reader sees of a download, as lines; None for a page."""
    media = response.headers.get("content-type", "")
    if media.startswith("text/csv"):
        return response.content.decode("utf-8-sig").replace(";", "\n")
    if media.startswith("text/calendar"):
        unfolded = response.text.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")
        return "\n".join(value for _, value in SHOWN.findall(unfolded.replace("\r\n", "\n")))
    if media.startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = (c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
        return "\n".join(str(c) for c in cells if c is not None)
    if media.startswith("application/pdf"):
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    return None


def crawl(browser, start: list[str], data: set[str]) -> tuple[dict[str, list[str]], int]:  # type: ignore[no-untyped-def]
    """(address -> its English sentences or status, pages read) of every page and download
    reachable."""
    seen, queue, shapes = set(start), list(start), Counter[str]()
    offending: dict[str, list[str]] = {}
    read = 0
    while queue and read < MOST_PAGES:
        url = queue.pop(0)
        page = browser.get(url)
        read += 1
        if page.status_code != 200:
            offending[url] = [f"status {page.status_code}"]
            continue
        if (text := text_of(page)) is not None:
            if found := english_in(html.escape(text), data):
                offending[url] = found
            continue
        if 'lang="nl"' not in page.text:
            offending[url] = ["not lang=nl"]
        if found := english_in(page.text, data):
            offending[url] = found
        for link in links(page.text, url):
            shape = SAME_PAGE.sub("#", link)
            if link in seen or shapes[shape] >= PER_SHAPE:
                continue
            seen.add(link)
            shapes[shape] += 1
            queue.append(link)
    return offending, read


def test_every_page_a_user_reaches_by_links_speaks_dutch(as_role, web_world):
    w = web_world
    rid = feedback_world(w)
    # A confirmed pupil (an agreement waits), a declined one (the school reads it), a request.
    published = ok(w.client.get(f"/rounds/{rid}/published", headers=w.bureau))
    pupils = sorted(a["student"] for a in published["assignments"] if a["company"] == "C1")
    assert len(pupils) >= 2, published["assignments"]
    for student, status in ((pupils[0], "confirmed"), (pupils[1], "declined")):
        body = {"student": student, "status": status, "reason": "Geen begeleider vrij"}
        ok(w.client.post(f"/rounds/{rid}/responses", headers=w.company, json=body), 201)
    spring = ok(w.client.post("/rounds", headers=w.bureau, json={"name": "Voorjaar"}), 201)
    body = {"pupil_id": w.ids["st2"], "round_id": spring["id"]}
    ok(w.client.post("/requests", headers=w.school, json=body), 201)

    data = set(DATA.split()) | set(WORLD.split())
    offending: dict[str, list[str]] = {}
    for role in ("bureau", "school", "company"):
        browser = as_role(role)
        browser.client.cookies.set("lang", "nl")
        start = [path for path, _ in NAVIGATION[Role(role)]]
        found, read = crawl(browser, start, data)
        assert read > len(start), (role, read)  # links were followed
        offending.update({f"{role} {url}": lines for url, lines in found.items()})
    assert offending == {}, "\n".join(f"{u}: {s}" for u, ss in offending.items() for s in ss)


def test_the_crawl_follows_links_to_pages_and_leaves_files_alone():
    page = (
        '<a href="/app/bureau/rounds/3?page=2&amp;school=S1#h">x</a><a href="report.csv">y</a>'
        '<a href="https://pdok.nl/">z</a><a href="/app/logout">u</a><a href="../../todo">v</a>'
        '<a href="/app/lang/en?next=/app">w</a><a href="d/round.json">r</a>'
    )
    assert links(page, "/app/bureau/rounds/3") == [
        "/app/bureau/rounds/3?page=2&school=S1",
        "/app/bureau/rounds/report.csv",
        "/app/todo",
    ]
