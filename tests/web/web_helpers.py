"""Helpers shared by the page tests and the browser tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"  # the password of every user of tests/api/api_world.py


CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def login_csrf(client: TestClient) -> str:
    """The sign-in form's CSRF value, its cookie now set in `client`."""
    return CSRF.search(client.get("/app/login").text).group(1)  # type: ignore[union-attr]


class Browser:
    """A TestClient with its own cookies, signed in through the page, that knows its CSRF."""

    def __init__(self, app, email: str) -> None:  # type: ignore[no-untyped-def]
        self.client = TestClient(app, follow_redirects=True)
        form = {"email": email, "password": PASSWORD, "next": "/app"}
        page = self.client.post("/app/login", data={**form, "csrf": login_csrf(self.client)})
        assert page.status_code == 200, page.text
        self.csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        self.home = page

    def get(self, url: str, **kwargs):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        return self.client.post(url, data={"csrf": self.csrf, **(data or {})}, **kwargs)
