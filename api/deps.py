"""FastAPI dependencies: the session, the current user and the role gates every route uses.

Scoping is done here and in `api.crud`, server-side, from the token's user alone: no route
trusts a region, school or company id from the client to decide what may be seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.auth import token_digest
from api.jobs import Runner
from api.models import ApiToken, Region, Role, User, utcnow
from api.settings import Settings
from api.throttle import LoginThrottle

bearer = HTTPBearer(auto_error=False, description="a token from POST /login/access-token")


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_runner(request: Request) -> Runner:
    return request.app.state.runner


def get_login_throttle(request: Request) -> LoginThrottle:
    return request.app.state.login_throttle


def client_address(request: Request) -> str:
    """The client's address: the peer's, or a trusted proxy's X-Forwarded-For (see app)."""
    return request.client.host if request.client else "unknown"


def public_base(request: Request) -> str:
    """The address people reach this server by: `public_base_url` when set, else the request's
    own (behind a proxy named in `forwarded_allow_ips`, the address the proxy was asked for)."""
    configured: str | None = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[Runner, Depends(get_runner)]
EngineDep = Annotated[Engine, Depends(get_engine)]
LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
ClientAddress = Annotated[str, Depends(client_address)]
PublicBase = Annotated[str, Depends(public_base)]


def get_current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user of a valid, unexpired bearer token; 401 otherwise."""
    unauthorized = HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="not authenticated: send a valid bearer token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized
    token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == token_digest(credentials.credentials))
    ).first()
    if token is None or token.expires_at < utcnow():
        raise unauthorized
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise unauthorized
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require(*roles: Role) -> Callable[[User], User]:
    """A dependency that admits only users of `roles` (403 for the others)."""

    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role {user.role} may not do this (needs {', '.join(roles)})",
            )
        return user

    return check


BureauUser = Annotated[User, Depends(require(Role.bureau))]
SchoolOrBureau = Annotated[User, Depends(require(Role.bureau, Role.school))]
CompanyOrBureau = Annotated[User, Depends(require(Role.bureau, Role.company))]
CompanyUser = Annotated[User, Depends(require(Role.company))]


def current_region(session: SessionDep, user: CurrentUser) -> Region:
    region = session.get(Region, user.region_id)
    if region is None:  # pragma: no cover - a user always has a region
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="region not found")
    return region


RegionDep = Annotated[Region, Depends(current_region)]
