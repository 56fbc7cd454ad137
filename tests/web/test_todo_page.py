"""The to-do page of every role, in each role's menu, and the user's own mail choice on it (a
value the choice does not know is refused, naming the field, and nothing is stored)."""

from __future__ import annotations

from api_world import ok


def test_each_role_has_a_to_do_page_in_its_menu(as_role, web_world):
    c, b = web_world.client, web_world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "Voorjaar"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    bureau = as_role("bureau").get("/app/todo")
    assert 'href="/app/todo"' in bureau.text and 'aria-current="page"' in bureau.text
    assert f'href="/app/bureau/rounds/{rid}">Ronde Voorjaar: een voorstel wacht' in bureau.text
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    company = as_role("company").get("/app/todo")
    assert "Ronde Voorjaar: 2 leerlingen of bezoeken wachten op uw antwoord" in company.text
    school = as_role("school")
    page = school.get("/app/todo")
    assert 'href="/app/todo"' in page.text and 'id="todo-items"' in page.text

    refused = school.post("/app/todo/notifications", {"notify_mode": "weekly", "language": "nl"})
    assert 'role="alert"' in refused.text and "notify_mode" in refused.text
    assert ok(c.get("/users/me/notifications", headers=web_world.school))["notify_mode"] == (
        "instant"
    )
    saved = school.post("/app/todo/notifications", {"notify_mode": "digest", "language": "en"})
    assert "Uw keuze is opgeslagen." in saved.text
    assert 'value="digest" checked' in saved.text
    assert ok(c.get("/users/me/notifications", headers=web_world.school)) == {
        "notify_mode": "digest",
        "language": "en",
    }
