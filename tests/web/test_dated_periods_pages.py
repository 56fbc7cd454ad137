"""Dated periods on the school-year page and `max_concurrent` on the company page (SPEC 8)."""

from __future__ import annotations

import re

from api_world import ok

PAGE = "/app/bureau/calendar"


def version_on(page) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]


def test_periods_are_added_replaced_refused_and_removed(as_role, web_world):
    bureau = as_role("bureau")
    page = bureau.get(PAGE)
    assert "Nog geen stageperiodes met data." in page.text
    lint = {"id": "L1", "start": "2027-01-04", "end": "2027-01-29", "weekdays": ["wed", "thu"]}
    page = bureau.post(PAGE + "/periods", {"version": version_on(page), **lint})
    assert "Stageperiode opgeslagen." in page.text
    assert "woensdag, donderdag" in page.text and "<td>8</td>" in page.text  # 8 placement days
    block = {"id": "P3", "start": "2027-01-11", "end": "2027-01-22", "hours_per_day": "6"}
    page = bureau.post(PAGE + "/periods", {"version": version_on(page), **block})
    region = ok(web_world.client.get("/region", headers=web_world.bureau))
    assert region["periods"] == [
        {"id": "L1", "start": "2027-01-04", "end": "2027-01-29", "hours_per_day": 7,
         "weekdays": ["wed", "thu"]},
        {"id": "P3", "start": "2027-01-11", "end": "2027-01-22", "hours_per_day": 6},
    ]  # fmt: skip
    bad = {**block, "end": "2027-01-01"}
    page = bureau.post(PAGE + "/periods", {"version": version_on(page), **bad})
    assert "Niet opgeslagen" in page.text
    assert "eindigt (2027-01-01) voor het begin (2027-01-11)" in page.text
    assert ok(web_world.client.get("/region", headers=web_world.bureau)) == region
    page = bureau.post(PAGE + "/periods/0/delete", {"version": version_on(page)})
    assert "Stageperiode verwijderd." in page.text
    region = ok(web_world.client.get("/region", headers=web_world.bureau))
    assert [p["id"] for p in region["periods"]] == ["P3"]


def test_the_company_page_tells_a_yearly_total_from_a_daily_limit(as_role, web_world):
    company = as_role("company")
    page = company.get("/app/company")
    assert "Maximaal aantal stagiairs per schooljaar" in page.text
    assert "Maximaal aantal stagiairs tegelijk (op één dag)" in page.text
    version = re.search(
        r'action="/app/company/profile".*?name="version" value="(\d+)"', page.text, re.S
    ).group(1)  # type: ignore[union-attr]
    page = company.post(
        "/app/company/profile",
        {"version": version, "contact": "Jan", "max_students": "6", "max_concurrent": "2"},
    )
    assert page.status_code == 200
    assert re.search(r'id="max_concurrent"[^>]*value="2"', page.text)
    assert re.search(r'id="max_students"[^>]*value="6"', page.text)
