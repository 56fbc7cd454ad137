"""Sign-in for the pages: the platform's own users, passwords and tokens, carried in a cookie.

A page sign-in issues the same kind of `ApiToken` as `POST /login/access-token` and keeps the
raw token in an HttpOnly, SameSite=Lax cookie, so revoking tokens, expiry and deactivating a
user work for pages exactly as for the API. Every form that changes something carries a CSRF
value derived from the session token (an HMAC only the holder of the cookie can compute), and
htmx sends it as a header. The sign-in form, which has no session yet, carries a random value
that must match a cookie set with the form (double submit), so another site cannot sign a
browser in to an account of its choosing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session, select

from api.auth import token_digest
from api.deps import SessionDep
from api.models import ApiToken, Role, User, utcnow

COOKIE = "sb_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
LOGIN_CSRF_COOKIE = "sb_login_csrf"


class LoginRequired(Exception):
    """No valid session: the handler sends the browser to the sign-in page, then back."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def login_url(next_url: str) -> str:
    return f"/app/login?next={quote(next_url, safe='/')}"


def safe_next(next_url: str | None) -> str:
    """Only a path inside the pages may follow a sign-in (no open redirect)."""
    if next_url and next_url.startswith("/app") and not next_url.startswith("//"):
        return next_url
    return "/app"


def user_of_token(session: Session, token: str | None) -> User | None:
    """The active user of an unexpired token, as `api.deps.get_current_user` decides it."""
    if not token:
        return None
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if row is None or row.expires_at < utcnow():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return user


def csrf_for(token: str) -> str:
    """The CSRF value of a session: keyed by the token's digest, so it dies with the session."""
    return hmac.new(token_digest(token).encode(), b"stagebureau-csrf", hashlib.sha256).hexdigest()


def login_csrf_of(request: Request) -> str:
    """The sign-in form's CSRF value: the browser's own when it has one (another tab's form
    stays valid), else a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_hex(32)


def login_csrf_matches(request: Request, sent: str) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(sent, cookie)


def optional_user(request: Request, session: SessionDep) -> User | None:
    token = request.cookies.get(COOKIE)
    user = user_of_token(session, token)
    if user is not None:
        request.state.session_token = token
        request.state.user = user
    return user


def page_user(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The signed-in user; otherwise off to the sign-in page."""
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


PageUser = Annotated[User, Depends(page_user)]


def role_page(role: Role) -> Callable[[User], User]:
    """A dependency admitting only `role`: a 403 page for the others."""

    def check(user: PageUser) -> User:
        if user.role != role:
            raise HTTPException(403, detail="forbidden_role")
        return user

    return check


BureauPage = Annotated[User, Depends(role_page(Role.bureau))]
SchoolPage = Annotated[User, Depends(role_page(Role.school))]
CompanyPage = Annotated[User, Depends(role_page(Role.company))]


async def check_csrf(request: Request, user: PageUser) -> None:
    """Refuse a state-changing request without this session's CSRF value (403)."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        sent = str(form.get(CSRF_FIELD) or "")
    expected = csrf_for(request.state.session_token)
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(403, detail="csrf")


Csrf = Depends(check_csrf)
