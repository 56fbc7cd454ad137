"""Escorts on the pages (SPEC section 8): the company sees who escorts each visit, the school
sees each class's escorts and, under a teacher, the excursions it escorts."""

from __future__ import annotations

import re

from api_world import activity_world, ok


def test_escorts_show_on_the_company_and_school_pages(as_role, web_world):
    c, b = web_world.client, web_world.bureau
    region = ok(c.get("/region", headers=b))
    ok(c.patch("/region", headers=b, json={"version": region["version"], "escort_ratio": 30}))
    body = {"code": "T1", "name": "docent T1", "free": ["tue-pm"]}
    ok(c.post("/teachers", headers=web_world.school, json=body), 201)
    activity_world(web_world)  # K1, K2 at S1 (one escort, two Tuesdays), K3 at S2 (none)

    visits = as_role("company").get("/app/company/pupils").text
    assert re.search(r'id="visit-K\d-2027-03-\d\d-pm".*?begeleid door T1', visits, re.S)
    calendar = as_role("company").get("/app/company/calendar").text
    assert "begeleid door T1" in calendar

    results = as_role("school").get("/app/school/results").text
    teacher = results.split("<h3>T1</h3>", 1)[1]
    assert len(re.findall(r"· K[12], begeleid door T1", teacher.split("<h3>", 1)[0])) == 2
