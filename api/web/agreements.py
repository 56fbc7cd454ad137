"""Placement-agreement pages (`/app/agreements`): a company fills in the working hours and its
supervisor and signs; a school enters its contact, the lesson hours and the pupil's birth date,
signs and records the pupil's and parent's signatures, and prints the agreement; the bureau
sees how far the region's agreements are. Every change goes through `api.services.agreements`
and `api.services.birth_dates`, as the API's do, so scope, checks and audit are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.agreement_words import describe_problem
from api.deps import SessionDep
from api.models import (
    WEEKDAY_CODES,
    Agreement,
    AgreementUpdate,
    BirthDateBody,
    Company,
    Pupil,
    PupilBirthDate,
    Role,
    School,
    SignatureBody,
    User,
)
from api.services import agreements, birth_dates
from api.services.errors import ServiceError
from api.web.actions import problems
from api.web.common import see_other
from api.web.i18n import language_of, translator
from api.web.render import render
from api.web.session import Csrf, PageUser, SchoolPage
from scheduler.calendar import TIMEZONE

router = APIRouter(include_in_schema=False)
COMPANY_TEXT = ("supervisor_name", "supervisor_phone", "supervisor_email", "day_start", "day_end")
SCHOOL_TEXT = ("school_contact_name", "school_contact_phone", "school_contact_email")
NUMBERS = {
    Role.company: ("break_minutes",),
    Role.school: ("school_hours_per_day", "school_hours_per_week"),
}


async def form_data(request: Request) -> FormData:
    return await request.form()


Form = Depends(form_data)


def text(form: FormData, field: str) -> str:
    return str(form.get(field) or "").strip()


def attempt(change: Callable[[], Any]) -> list[str]:
    """Run a change through the services; the refusal's lines, or none when it was stored."""
    try:
        change()
    except (ServiceError, ValidationError) as error:
        return problems(error)
    return []


def names_of(session: Session, table: Any, region_id: int) -> dict[int, str]:
    rows = session.exec(select(table.id, table.name).where(table.region_id == region_id)).all()
    return dict(rows)


def local_time(at: str) -> str:
    return f"{datetime.fromisoformat(at).astimezone(ZoneInfo(TIMEZONE)):%Y-%m-%d %H:%M}"


@router.get("/app/agreements")
def list_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    """The agreements in the user's scope, with what the user still has to sign."""
    rows = agreements.list_agreements(session, user)
    to_sign = {a.id for a in agreements.agreements_to_sign(session, user)}
    listed = {a.pupil_id for a in rows}  # the pupils of these agreements, not the region's
    pupils = dict(
        session.exec(
            select(Pupil.id, Pupil.first_name).where(
                Pupil.region_id == user.region_id, col(Pupil.id).in_(listed)
            )
        ).all()
    )
    context = {
        "agreements": rows,
        "to_sign": to_sign,
        "counts": agreements.status_counts(session, user),
        "pupils": pupils,
        "schools": names_of(session, School, user.region_id),
        "companies": names_of(session, Company, user.region_id),
    }
    return render(request, "agreements/list.html", context)


def detail(
    request: Request,
    session: Session,
    user: User,
    agreement: Agreement,
    errors: list[str] | None = None,
) -> Response:
    t = translator(language_of(request))
    lang = language_of(request)
    public = agreements.public(session, agreement, user)
    birth: PupilBirthDate | None = None
    if user.role == Role.school:
        birth = session.get(PupilBirthDate, agreement.pupil_id)
    own = agreements.SIGNS_FOR.get(user.role, ())
    context = {
        "a": public,
        "pupil": session.get(Pupil, agreement.pupil_id),
        "school": session.get(School, agreement.school_id),
        "company": session.get(Company, agreement.company_id),
        "problem_lines": [describe_problem(p, t, lang) for p in public.problems],
        "signed": {
            party: {"name": sig.get("name", ""), "at": local_time(sig["at"])}
            for party, sig in public.signatures.items()
        },
        "can_sign": [p for p in public.parties if p in own and p.value not in public.signatures],
        "birth": birth,
        "weekday_codes": WEEKDAY_CODES,
        "errors": errors or [],
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "agreements/detail.html", context)


@router.get("/app/agreements/{agreement_id}")
def detail_page(
    agreement_id: int, request: Request, session: SessionDep, user: PageUser
) -> Response:
    """One agreement: its parties, days, hours, the working-time check and the signatures, with
    the forms of the user's own part."""
    return detail(request, session, user, agreements.get_agreement(session, user, agreement_id))


@router.post("/app/agreements/{agreement_id}", dependencies=[Csrf])
def save_part(
    agreement_id: int, request: Request, session: SessionDep, user: PageUser, form: FormData = Form
) -> Response:
    """The company's or the school's part, as the form sends it."""
    agreement = agreements.get_agreement(session, user, agreement_id)
    signed_before = bool(agreement.signatures)

    def change() -> None:
        data: dict[str, Any] = {"version": text(form, "version")}
        if user.role == Role.company:
            data |= {name: text(form, name) for name in COMPANY_TEXT}
            data |= {name: text(form, name) or None for name in ("first_day", "last_day")}
            data["weekdays"] = form.getlist("weekdays")
        else:
            data |= {name: text(form, name) for name in SCHOOL_TEXT}
        for name in NUMBERS.get(user.role, ()):
            if text(form, name):
                data[name] = text(form, name).replace(",", ".")
        body = AgreementUpdate.model_validate(data)
        agreements.update_agreement(session, user, agreement_id, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return detail(request, session, user, agreement, errors)
    session.refresh(agreement)
    saved = "cleared" if signed_before and not agreement.signatures else "saved"
    return see_other(f"/app/agreements/{agreement_id}?saved={saved}")


@router.post("/app/agreements/{agreement_id}/birth-date", dependencies=[Csrf])
def save_birth_date(
    agreement_id: int,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    form: FormData = Form,
) -> Response:
    """The school enters the pupil's birth date (kept only while it has this placement)."""
    agreement = agreements.get_agreement(session, user, agreement_id)

    def change() -> None:
        data = {"birth_date": text(form, "birth_date"), "version": text(form, "version") or None}
        body = BirthDateBody.model_validate(data)
        birth_dates.set_birth_date(session, user, agreement.pupil_id, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return detail(request, session, user, agreement, errors)
    return see_other(f"/app/agreements/{agreement_id}?saved=saved")


@router.post("/app/agreements/{agreement_id}/sign", dependencies=[Csrf])
def sign(
    agreement_id: int, request: Request, session: SessionDep, user: PageUser, form: FormData = Form
) -> Response:
    """One party's signature: the company's own, or the school's for itself, pupil or parent."""
    agreement = agreements.get_agreement(session, user, agreement_id)

    def change() -> None:
        body = SignatureBody.model_validate(
            {
                "party": text(form, "party"),
                "name": text(form, "name"),
                "version": text(form, "version"),
            }
        )
        agreements.sign(session, user, agreement_id, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return detail(request, session, user, agreement, errors)
    return see_other(f"/app/agreements/{agreement_id}?saved=signed")


@router.get("/app/agreements/{agreement_id}/stageovereenkomst.pdf")
def download(agreement_id: int, session: SessionDep, user: PageUser) -> Response:
    """The printed agreement."""
    content = agreements.agreement_document(session, user, agreement_id)
    name = f"stageovereenkomst-{agreement_id}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
