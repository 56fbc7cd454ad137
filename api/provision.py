"""Provisioning regions and users: what `stagebureau admin` and the tests call directly."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from api import audit
from api.auth import hash_password
from api.db import saved_id, session_scope
from api.models import Company, Region, Role, School, User


class AdminError(Exception):
    """An admin command that cannot be carried out; the message says why."""


def create_region(engine: Engine, name: str, plan_budget_eur: float = 0.0) -> int:
    """A new region; returns its id."""
    with session_scope(engine) as session:
        if session.exec(select(Region).where(Region.name == name)).first() is not None:
            raise AdminError(f"region {name!r} exists already")
        region = Region(name=name, plan_budget_eur=plan_budget_eur)
        session.add(region)
        session.flush()
        audit.record(session, None, "create", "region", region.id, after=audit.snapshot(region))
        return saved_id(region)


def create_user(
    engine: Engine,
    *,
    email: str,
    password: str,
    role: Role,
    region: str,
    school: str | None = None,
    company: str | None = None,
) -> int:
    """A user of `region`, bound to the school or company with that code for those roles."""
    with session_scope(engine) as session:
        region_row = session.exec(select(Region).where(Region.name == region)).first()
        if region_row is None:
            names = sorted(session.exec(select(Region.name)).all())
            known = ", ".join(repr(name) for name in names) if names else "none yet"
            raise AdminError(f"no region {region!r}; the regions are: {known}")
        if session.exec(select(User).where(User.email == email)).first() is not None:
            raise AdminError(f"user {email!r} exists already")
        school_id = company_id = None
        if role == Role.school:
            row = session.exec(
                select(School).where(School.region_id == region_row.id, School.code == school)
            ).first()
            if row is None:
                raise AdminError(f"a school user needs --school CODE of a school in {region}")
            school_id = row.id
        if role == Role.company:
            found = session.exec(
                select(Company).where(Company.region_id == region_row.id, Company.code == company)
            ).first()
            if found is None:
                raise AdminError(f"a company user needs --company CODE of a company in {region}")
            company_id = found.id
        if len(password) < 8:
            raise AdminError("the password needs at least 8 characters")
        user = User(
            email=email,
            role=role,
            region_id=saved_id(region_row),
            school_id=school_id,
            company_id=company_id,
            hashed_password=hash_password(password),
        )
        session.add(user)
        session.flush()
        audit.record(
            session, None, "create", "user", user.id, after=audit.snapshot(user),
            region_id=region_row.id,
        )  # fmt: skip
        return saved_id(user)
