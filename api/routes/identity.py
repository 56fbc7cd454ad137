"""Log-in, users and the region: who may act, and on whose behalf.

Regions and the first bureau user are made with `stagebureau admin`; a bureau then adds the
school and company users of its own region here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.security import HTTPAuthorizationCredentials, OAuth2PasswordRequestForm
from sqlmodel import select

from api import audit
from api.auth import hash_password, issue_token, revoke_token
from api.deps import (
    BureauUser,
    ClientAddress,
    CurrentUser,
    LoginThrottleDep,
    RegionDep,
    SessionDep,
    SettingsDep,
    bearer,
)
from api.models import (
    Company,
    Region,
    RegionPublic,
    RegionUpdate,
    Role,
    School,
    TokenPublic,
    User,
    UserCreate,
    UserPublic,
)
from api.services import region as region_service
from api.services.errors import Conflict, Forbidden, field_error
from api.services.records import commit
from api.throttle import TooManyAttempts

router = APIRouter()


@router.post(
    "/login/access-token",
    response_model=TokenPublic,
    tags=["login"],
    responses={429: {"description": "too many failed sign-ins; see `Retry-After`"}},
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
    address: ClientAddress,
) -> TokenPublic:
    """Exchange an e-mail address and password for a bearer token.

    Too many failed attempts for the account or from the client's address: 429 with
    `Retry-After`, the password not checked."""
    try:
        user = throttle.sign_in(session, form.username, form.password, address)
    except TooManyAttempts as error:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=str(error),
            headers={"Retry-After": str(error.retry_after)},
        ) from None
    if user is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail="wrong e-mail or password")
    token, row = issue_token(session, user, settings.token_ttl_hours)
    session.commit()
    return TokenPublic(access_token=token, expires_at=row.expires_at)


@router.post("/logout", status_code=204, response_class=Response, tags=["login"])
def logout(
    session: SessionDep,
    user: CurrentUser,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Response:
    """Revoke the bearer token of this request."""
    assert credentials is not None
    revoke_token(session, credentials.credentials)
    session.commit()
    return Response(status_code=204)


@router.get("/users/me", response_model=UserPublic, tags=["users"])
def read_me(user: CurrentUser) -> User:
    """The user of the token: role, region and own school or company."""
    return user


@router.get("/users", response_model=list[UserPublic], tags=["users"])
def list_users(session: SessionDep, user: BureauUser) -> list[User]:
    """Every user of the bureau's region."""
    return list(session.exec(select(User).where(User.region_id == user.region_id)).all())


def validate_user_binding(session: SessionDep, region_id: int, body: UserCreate) -> None:
    """Bureau users belong to no party; school and company users to one of the region's own."""
    if body.role == Role.bureau and (body.school_id or body.company_id):
        raise field_error("role", "a bureau user is bound to no school or company")
    if body.role == Role.school:
        school = session.get(School, body.school_id) if body.school_id else None
        if school is None or school.region_id != region_id or body.company_id:
            raise field_error("school_id", "a school user needs a school of the region")
    if body.role == Role.company:
        company = session.get(Company, body.company_id) if body.company_id else None
        if company is None or company.region_id != region_id or body.school_id:
            raise field_error("company_id", "a company user needs a company of the region")


@router.post("/users", response_model=UserPublic, status_code=201, tags=["users"])
def create_user(body: UserCreate, session: SessionDep, user: BureauUser) -> User:
    """Add a bureau, school or company user to the bureau's own region."""
    if body.region_id != user.region_id:
        raise Forbidden("region_id: you may add users to your own region only")
    validate_user_binding(session, user.region_id, body)
    if session.exec(select(User).where(User.email == body.email)).first() is not None:
        raise Conflict([{"loc": ["body", "email"], "msg": "e-mail address in use"}])
    new = User(
        **body.model_dump(exclude={"password"}), hashed_password=hash_password(body.password)
    )
    session.add(new)
    session.flush()
    audit.record(session, user, "create", "user", new.id, after=audit.snapshot(new))
    commit(session)
    return new


@router.get("/region", response_model=RegionPublic, tags=["regions"])
def read_region(region: RegionDep) -> Region:
    """The user's own region."""
    return region


@router.patch("/region", response_model=RegionPublic, tags=["regions"])
def update_region(body: RegionUpdate, session: SessionDep, user: BureauUser) -> Region:
    """Change the region's settings (plan budget, travel defaults, calendar) at its version.

    The calendar (SPEC section 4: start, end, holidays, min_gap_days) is checked by the solver's
    rules first; a bad one is 422 naming the field and changes nothing."""
    return region_service.update_region(session, user, body)
