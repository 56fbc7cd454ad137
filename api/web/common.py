"""Sign-in, sign-out, the language switch and the start page that sends each role home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import delete, select

from api.auth import issue_token, token_digest, verify_password
from api.deps import SessionDep, SettingsDep
from api.models import ApiToken, Role, User
from api.web.i18n import LANG_COOKIE, LANGUAGES
from api.web.render import render
from api.web.session import COOKIE, Csrf, PageUser, optional_user, safe_next

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


@router.get("/app/login")
def login_page(request: Request, next: str = "/app") -> Response:
    return render(request, "login.html", {"next": safe_next(next), "error": False})


@router.post("/app/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/app",
) -> Response:
    """Check the e-mail address and password as `POST /login/access-token` does."""
    user = session.exec(select(User).where(User.email == email.strip())).first()
    if user is None or not user.is_active or not verify_password(password, user.hashed_password):
        context = {"next": safe_next(next), "error": True, "email": email}
        return render(request, "login.html", context, status=400)
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
    session.exec(delete(ApiToken).where(ApiToken.token_hash == token_digest(token)))  # type: ignore[call-overload]
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
