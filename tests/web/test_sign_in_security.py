"""The sign-in page's hardening: a CSRF value before any session (double submit) and the same
throttle as the API's sign-in (429 with Retry-After)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import PASSWORD, login_csrf

OWNER = "company@testregio.nl"


def post_sign_in(client: TestClient, password: str, csrf: str | None):  # type: ignore[no-untyped-def]
    form = {"email": OWNER, "password": password, "next": "/app"}
    return client.post(
        "/app/login", data=form if csrf is None else {**form, "csrf": csrf}, follow_redirects=False
    )


def test_sign_in_without_the_forms_csrf_value_is_refused(web_client, web_world):
    refused = post_sign_in(web_client, PASSWORD, csrf=None)
    assert refused.status_code == 403
    assert "sb_session" not in refused.cookies
    assert "Het formulier is verlopen" in refused.text
    signed_in = post_sign_in(web_client, PASSWORD, login_csrf(web_client))
    assert signed_in.status_code == 303 and "sb_session" in signed_in.cookies


def test_sign_in_with_another_browsers_csrf_value_is_refused(web_client, web_world):
    """A value an attacking site fetched for itself does not match this browser's cookie."""
    attacker = TestClient(web_client.app)
    refused = post_sign_in(web_client, PASSWORD, login_csrf(attacker))
    assert refused.status_code == 403


def test_wrong_passwords_on_the_page_are_answered_429_with_retry_after(web_client, web_world):
    csrf = login_csrf(web_client)
    for attempt in range(1, 26):
        page = post_sign_in(web_client, f"guess-{attempt}", csrf)
        if page.status_code == 429:
            break
        assert page.status_code == 400
    assert page.status_code == 429, "25 wrong passwords and no 429"
    assert int(page.headers["Retry-After"]) > 0
    assert "Te veel mislukte pogingen" in page.text
    assert post_sign_in(web_client, PASSWORD, csrf).status_code == 429
