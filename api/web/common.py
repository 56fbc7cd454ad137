"""Sign-in, sign-out, the language switch and the start page that sends each role home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.auth import issue_token, revoke_token
from api.deps import ClientAddress, LoginThrottleDep, SessionDep, SettingsDep
from api.models import Role, User
from api.throttle import TooManyAttempts
from api.web.i18n import LANG_COOKIE, LANGUAGES
from api.web.render import render
from api.web.session import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    Csrf,
    PageUser,
    login_csrf_matches,
    login_csrf_of,
    optional_user,
    safe_next,
)

router = APIRouter(include_in_schema=False)

HOME = {Role.bureau: "/app/bureau", Role.school: "/app/school", Role.company: "/app/company"}


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def root() -> RedirectResponse:
    return see_other("/app")


@router.get("/app")
def home(user: Annotated[User | None, Depends(optional_user)]) -> RedirectResponse:
    """Each role has its own start page; without a session, the sign-in page."""
    return see_other(HOME[user.role] if user is not None else "/app/login")


def login_form(
    request: Request, next_url: str, error: str | None = None, email: str = "", status: int = 200
) -> Response:
    """The sign-in page with its CSRF value in the form and in a cookie (see `session`)."""
    login_csrf = login_csrf_of(request)
    context = {"next": safe_next(next_url), "error": error, "email": email}
    response = render(request, "login.html", {**context, "login_csrf": login_csrf}, status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        login_csrf,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/app/login",
    )
    return response


@router.get("/app/login")
def login_page(request: Request, next: str = "/app") -> Response:
    return login_form(request, next)


@router.post("/app/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
    address: ClientAddress,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/app",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Check the e-mail address and password as `POST /login/access-token` does, throttled
    alike; a form without this browser's sign-in CSRF value is refused unchecked."""
    if not login_csrf_matches(request, csrf):
        return login_form(request, next, "error.csrf", email, status=403)
    try:
        user = throttle.sign_in(session, email, password, address)
    except TooManyAttempts as error:
        response = login_form(request, next, "login.throttled", email, status=429)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if user is None:
        return login_form(request, next, "login.error", email, status=400)
    token, _ = issue_token(session, user, settings.token_ttl_hours)
    session.commit()
    target = safe_next(next)
    response = see_other(HOME[user.role] if target == "/app" else target)
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.token_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/app/logout", dependencies=[Csrf])
def logout(request: Request, session: SessionDep, user: PageUser) -> Response:
    """Revoke this session's token and forget the cookie."""
    token = request.cookies.get(COOKIE, "")
    revoke_token(session, token)
    session.commit()
    response = see_other("/app/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/app/lang/{code}")
def switch_language(code: str, next: str = "/app") -> Response:
    """Dutch is the default; the choice is kept in a cookie for a year."""
    response = see_other(safe_next(next))
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response
