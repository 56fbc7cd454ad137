"""Placement agreements over HTTP (`api.services.agreements`): read in each role's scope, filled
in by the company and the school, signed per party, printed as a PDF; and the pupil's birth
date, which only its school reads or writes (`api.services.birth_dates`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.deps import CurrentUser, SessionDep, require
from api.models import (
    AgreementPublic,
    AgreementUpdate,
    BirthDateBody,
    BirthDatePublic,
    PupilBirthDate,
    Role,
    SignatureBody,
    User,
)
from api.services import agreements, birth_dates

router = APIRouter(tags=["agreements"])
SchoolUser = Annotated[User, Depends(require(Role.school))]
SchoolOrCompany = Annotated[User, Depends(require(Role.school, Role.company))]


@router.get("/agreements", response_model=list[AgreementPublic])
def list_agreements(session: SessionDep, user: CurrentUser) -> list[AgreementPublic]:
    """The agreements in your scope: the bureau the region's, a school its pupils', a company
    its own; each with its days, who signs and what still stands in the way of signing."""
    return [agreements.public(session, a, user) for a in agreements.list_agreements(session, user)]


@router.get("/agreements/{agreement_id}", response_model=AgreementPublic)
def read_agreement(agreement_id: int, session: SessionDep, user: CurrentUser) -> AgreementPublic:
    """One agreement in your scope."""
    return agreements.public(session, agreements.get_agreement(session, user, agreement_id), user)


@router.patch("/agreements/{agreement_id}", response_model=AgreementPublic)
def update_agreement(
    agreement_id: int, body: AgreementUpdate, session: SessionDep, user: SchoolOrCompany
) -> AgreementPublic:
    """Fill in your part: the company the days, hours, break and supervisor, the school its
    contact and lesson hours. A change to the hours after a signature clears every signature."""
    agreement = agreements.update_agreement(session, user, agreement_id, body)
    return agreements.public(session, agreement, user)


@router.post("/agreements/{agreement_id}/signatures", response_model=AgreementPublic)
def sign_agreement(
    agreement_id: int, body: SignatureBody, session: SessionDep, user: SchoolOrCompany
) -> AgreementPublic:
    """Sign for a party: the company for itself, the school for itself, the pupil and the
    parent. 409 naming each problem while something is missing or a working-time rule for
    minors is broken."""
    return agreements.public(session, agreements.sign(session, user, agreement_id, body), user)


@router.get("/agreements/{agreement_id}/pdf", response_class=Response)
def agreement_pdf(agreement_id: int, session: SessionDep, user: CurrentUser) -> Response:
    """The agreement as a PDF (Dutch, A4), with who signed when."""
    content = agreements.agreement_document(session, user, agreement_id)
    headers = {
        "Content-Disposition": f'attachment; filename="stageovereenkomst-{agreement_id}.pdf"'
    }
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/pupils/{pupil_id}/birth-date", response_model=BirthDatePublic)
def read_birth_date(pupil_id: int, session: SessionDep, user: SchoolUser) -> PupilBirthDate:
    """The pupil's birth date: its own school only."""
    return birth_dates.read_birth_date(session, user, pupil_id)


@router.put("/pupils/{pupil_id}/birth-date", response_model=BirthDatePublic)
def set_birth_date(
    pupil_id: int, body: BirthDateBody, session: SessionDep, user: SchoolUser
) -> PupilBirthDate:
    """Store the birth date of a pupil of your school with a confirmed placement (the
    working-time rules need its age); 409 for a pupil without one."""
    return birth_dates.set_birth_date(session, user, pupil_id, body)


@router.delete("/pupils/{pupil_id}/birth-date", status_code=204)
def delete_birth_date(pupil_id: int, session: SessionDep, user: SchoolUser) -> None:
    """Remove the pupil's birth date."""
    birth_dates.delete_birth_date(session, user, pupil_id)
