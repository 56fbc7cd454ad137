"""Feedback after every placement, activity and event session, over HTTP
(`api.services.feedback`): the items each party may answer, the company's and the school's
form, the pupils' three questions through their school, and the bureau's overview."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.deps import CurrentUser, SessionDep, require
from api.models import (
    FeedbackCreate,
    FeedbackItemPublic,
    FeedbackOverview,
    FeedbackPublic,
    FeedbackUpdate,
    PupilFeedbackCreate,
    PupilFeedbackPublic,
    PupilFeedbackUpdate,
    Role,
    User,
    utcnow,
)
from api.services import feedback

router = APIRouter(tags=["feedback"])
CompanyOrSchool = Annotated[User, Depends(require(Role.company, Role.school))]
SchoolUser = Annotated[User, Depends(require(Role.school))]


@router.get("/feedback/items", response_model=list[FeedbackItemPublic])
def read_items(
    session: SessionDep,
    user: CurrentUser,
    todo: Annotated[
        bool, Query(description="only those taken place that you did not answer")
    ] = False,
) -> list[FeedbackItemPublic]:
    """The published placements, activities and event sessions feedback is about, in your
    scope, with when they took place and whether your company or school answered."""
    return feedback.list_items(session, user, utcnow().date(), todo=todo)


@router.post("/feedback", response_model=FeedbackPublic, status_code=201)
def give(body: FeedbackCreate, session: SessionDep, user: CompanyOrSchool) -> FeedbackPublic:
    """Your company's or school's answer about an item that took place (409 before, and when
    your party answered it already: change that one with PATCH)."""
    row = feedback.give_feedback(session, user, body, utcnow().date())
    return feedback.feedback_public(session, user, [row])[0]


@router.patch("/feedback/{feedback_id}", response_model=FeedbackPublic)
def change(
    feedback_id: int, body: FeedbackUpdate, session: SessionDep, user: CompanyOrSchool
) -> FeedbackPublic:
    """Change your own answer at the version you read (409 when stale)."""
    row = feedback.change_feedback(session, user, feedback_id, body)
    return feedback.feedback_public(session, user, [row])[0]


@router.get("/feedback", response_model=list[FeedbackPublic])
def read_feedback(session: SessionDep, user: CurrentUser) -> list[FeedbackPublic]:
    """The answers you may read: the bureau all; a company those about it, a school its own
    and the companies' about its items (a remark only its writer and the bureau)."""
    return feedback.list_feedback(session, user)


@router.get("/feedback/overview", response_model=FeedbackOverview)
def read_overview(session: SessionDep, user: CurrentUser) -> FeedbackOverview:
    """Per company and kind: answers, mean score and share that would do it again for the
    company and the schools, the pupils' figures over at least five answers, and the items
    where a side said no. The bureau the region, a company itself, a school its own answers."""
    return feedback.overview(session, user)


@router.get("/feedback/overview.{fmt}")
def download_overview(
    fmt: Literal["csv", "xlsx"], session: SessionDep, user: CurrentUser
) -> Response:
    """The overview per company and kind as a CSV (`;`, for Dutch Excel) or XLSX table."""
    body, media, name = feedback.overview_file(session, user, fmt)
    return Response(
        body, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@router.post("/pupil-feedback", response_model=PupilFeedbackPublic, status_code=201)
def give_pupil(
    body: PupilFeedbackCreate, session: SessionDep, user: SchoolUser
) -> PupilFeedbackPublic:
    """A pupil's three answers, filled in by its school by pupil code."""
    row = feedback.give_pupil_feedback(session, user, body, utcnow().date())
    return PupilFeedbackPublic(**row.model_dump(), pupil=body.pupil)


@router.patch("/pupil-feedback/{feedback_id}", response_model=PupilFeedbackPublic)
def change_pupil(
    feedback_id: int, body: PupilFeedbackUpdate, session: SessionDep, user: SchoolUser
) -> PupilFeedbackPublic:
    """Change a pupil's answers at the version you read (409 when stale)."""
    feedback.change_pupil_feedback(session, user, feedback_id, body)
    return next(p for p in feedback.list_pupil_feedback(session, user) if p.id == feedback_id)


@router.get("/pupil-feedback", response_model=list[PupilFeedbackPublic])
def read_pupil_feedback(session: SessionDep, user: SchoolUser) -> list[PupilFeedbackPublic]:
    """Your pupils' answers one by one (others read them only added up)."""
    return feedback.list_pupil_feedback(session, user)
