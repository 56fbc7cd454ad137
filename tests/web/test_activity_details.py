"""A class's and a teacher's shortfall on the pages (issue 14): the school's results, the
bureau's dashboard and the stop-moves page say the solver's detail in the page's language,
derived from codes and parameters; the API's document keeps its English `detail`."""

from __future__ import annotations

from api_world import activity_world, ok
from sqlalchemy import text
from test_dutch_pages import DATA, english_in

from api.db import make_engine

CLASS_DUTCH = "bereikbare aanbieding(en) bedrijfsbezoek, geen op een schooldagdeel waarop de "
CLASS_DUTCH += "klas of docent vrij is (wed-am)"
TEACHER_DUTCH = "0 aanbieding(en) docentenstage, geen staat open voor deze docent"


def requester_part(page: str, code: str) -> str:
    """The school results' section of one class or teacher."""
    return page.split(f"<h3>{code}</h3>", 1)[1].split("<h3>", 1)[0].split("</section>", 1)[0]


def test_class_and_teacher_shortfalls_say_their_detail_in_the_pages_language(
    as_role, web_world, web_settings
):
    c, w = web_world.client, web_world
    body = {"code": "K9", "year": 3, "size": 20, "free": ["wed-am"], "demand": {"excursion": 1}}
    ok(c.post("/classes", headers=w.school, json=body), 201)
    body = {"code": "T9", "name": "docent T9", "free": ["tue-pm"],
            "demand": {"teacher_internship": 1}}  # fmt: skip
    ok(c.post("/teachers", headers=w.school, json=body), 201)
    round_id = activity_world(w)
    document = ok(c.get(f"/rounds/{round_id}/published", headers=w.bureau))
    english = {u["requester"]: (u["reason"], u["detail"]) for u in document["unplanned"]}
    offers = english["K9"][1].split(" ", 1)[0]
    assert english == {
        "K9": (
            "NO_COMMON_DAYPART",
            f"{offers} reachable excursion offer(s), none available on a school daypart the "
            "requester is free (wed-am)",
        ),
        "T9": ("NO_OFFER", "0 teacher_internship offer(s), none admits this teacher"),
    }
    data = set(DATA.split()) | {"K9", "T9", "wed-am"}

    school = as_role("school")
    school.client.cookies.set("lang", "nl")
    page = school.get("/app/school/results").text
    for code, dutch in (("K9", f"{offers} {CLASS_DUTCH}"), ("T9", TEACHER_DUTCH)):
        part = requester_part(page, code)
        assert dutch in part, part
        assert english_in(part, data) == [], part

    bureau = as_role("bureau")
    bureau.client.cookies.set("lang", "nl")
    page = bureau.get(f"/app/bureau/rounds/{round_id}").text
    table = page.split('id="shortfalls"', 1)[1].split("</table>", 1)[0]
    assert f"{offers} {CLASS_DUTCH}" in table and TEACHER_DUTCH in table
    assert english_in(table, data) == [], table

    # In English the pages say the document's words, bar the kinds' names.
    school.client.cookies.set("lang", "en")
    part = requester_part(school.get("/app/school/results").text, "K9")
    assert english["K9"][1].replace("excursion", "company visit") in part, part

    # A dashboard counted before the details were kept derives them at its next view.
    engine = make_engine(web_settings.database_url)
    with engine.begin() as connection:
        assert connection.execute(text("UPDATE version_dashboard SET unplanned = NULL")).rowcount
    engine.dispose()
    school.client.cookies.set("lang", "nl")
    part = requester_part(school.get("/app/school/results").text, "K9")
    assert f"{offers} {CLASS_DUTCH}" in part, part


def test_a_visit_a_stop_leaves_unplanned_says_its_detail_on_the_stop_moves_page(as_role, web_world):
    """Both companies stop: no visit finds a new date, and each says why with its detail."""
    round_id = activity_world(web_world)
    bureau = as_role("bureau")
    bureau.client.cookies.set("lang", "nl")
    for company in ("C1", "C2"):
        url = f"/app/bureau/companies/{web_world.ids[company]}/stop"
        bureau.post(url, {"stopped_from": "2027-03-01", "reason": "bankrupt"})
    bureau.post(f"/app/bureau/rounds/{round_id}/stop-repair")
    page = bureau.get(f"/app/bureau/rounds/{round_id}/stop-moves").text
    table = page.split('id="moved-visits"', 1)[1].split("</table>", 1)[0]
    detail = (
        "(2 bereikbare aanbieding(en) bedrijfsbezoek, geen op een schooldagdeel waarop de klas "
        "of docent vrij is (tue-pm))"
    )
    assert table.count(detail) == 3, table  # K1, K2 and K3: both companies stopped
    assert english_in(table, set(DATA.split()) | {"tue-pm"}) == [], table
