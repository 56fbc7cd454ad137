"""Security headers on every answer, HSTS and the session cookie's Secure over https only, and
X-Forwarded-Proto believed only from a configured proxy."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import PASSWORD, login_csrf

from api.app import create_app
from api.settings import Settings

OWNER = "company@testregio.nl"


def session_cookie(client: TestClient, **headers: str) -> str:
    """The Set-Cookie line of the session a page sign-in gives."""
    form = {"email": OWNER, "password": PASSWORD, "csrf": login_csrf(client)}
    response = client.post("/app/login", data=form, headers=headers, follow_redirects=False)
    assert response.status_code == 303, response.text
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("sb_session="))


def has_hsts(client: TestClient, **headers: str) -> bool:
    return "Strict-Transport-Security" in client.get("/app/login", headers=headers).headers


def test_every_answer_carries_the_security_headers(web_client, web_world):
    answers = {
        "page": web_client.get("/app/login"),
        "redirect": web_client.get("/app", follow_redirects=False),
        "api": web_client.get("/schools", headers=web_world.bureau),
        "api refusal": web_client.get("/schools"),
        "not found": web_client.get("/no-such-thing"),
        "static": web_client.get("/static/app.css"),
    }
    for what, response in answers.items():
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], what
        assert "default-src 'self'" in headers["Content-Security-Policy"], what
        assert headers["X-Frame-Options"] == "DENY", what
        assert headers["X-Content-Type-Options"] == "nosniff", what
        assert headers["Referrer-Policy"] == "no-referrer", what
        assert "Strict-Transport-Security" not in headers, what  # plain http here
        if what != "static":
            assert headers["Cache-Control"] == "no-store", what
    assert "no-store" not in answers["static"].headers.get("Cache-Control", "")


def test_hsts_and_a_secure_session_cookie_over_https(web_client, web_world):
    assert "Secure" not in session_cookie(web_client)
    https = TestClient(web_client.app, base_url="https://testserver")
    assert https.get("/app/login").headers["Strict-Transport-Security"] == "max-age=31536000"
    assert has_hsts(https)
    assert "Secure" in session_cookie(https)


def test_forwarded_proto_is_believed_only_from_a_configured_proxy(
    web_client, web_world, web_settings: Settings
):
    forwarded = {"X-Forwarded-Proto": "https"}
    assert (
        "Strict-Transport-Security" not in web_client.get("/app/login", headers=forwarded).headers
    )
    assert "Secure" not in session_cookie(web_client, **forwarded)
    trusting = web_settings.model_copy(update={"forwarded_allow_ips": "*"})
    with TestClient(create_app(trusting, runner="inline")) as behind_proxy:
        assert (
            "Strict-Transport-Security" in behind_proxy.get("/app/login", headers=forwarded).headers
        )
        assert "Secure" in session_cookie(behind_proxy, **forwarded)
        assert "Secure" not in session_cookie(behind_proxy)


def test_a_server_error_carries_the_security_headers_too(web_settings):
    """Regression: an unhandled error was answered by the server past the middleware, bare."""
    app = create_app(web_settings, runner="inline")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
