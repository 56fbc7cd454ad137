"""Rounds and their solve jobs over HTTP: open, solve, read the proposal, pin, re-solve,
publish, and the companies' confirmations and declines with the repair a decline sets off.

The workflows are `api.services.rounds`, `.pins`, `.solves` and `.answers`; a refusal there is
answered with its status and detail by the one handler in `api.app`. Each version of a
re-solve or repair carries `changes`: how many pupils of the version it started from moved or
dropped out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.deps import (
    BureauUser,
    CompanyOrBureau,
    CompanyUser,
    CurrentUser,
    RegionDep,
    RunnerDep,
    SessionDep,
    SettingsDep,
)
from api.models import (
    ActivityResponse,
    ActivityResponseCreate,
    ActivityResponsePublic,
    AdvicePublic,
    AssignmentPublic,
    CompanyResponse,
    CompanyResponsePublic,
    DeclinePublic,
    Job,
    JobPublic,
    Pin,
    PinCreate,
    PinPublic,
    PublishBody,
    PupilMinimal,
    ResponseCreate,
    RoundCreate,
    RoundPublic,
    SolutionVersionPublic,
    UnansweredPublic,
    utcnow,
)
from api.services import advice, answers, declines, pins, rounds, solves

router = APIRouter(tags=["rounds"])


@router.get("/rounds", response_model=list[RoundPublic])
def list_rounds(session: SessionDep, user: CurrentUser) -> list[RoundPublic]:
    """The rounds of your region with their status."""
    return [rounds.round_public(r) for r in rounds.list_rounds(session, user)]


@router.post("/rounds", response_model=RoundPublic, status_code=201)
def open_round(
    body: RoundCreate, session: SessionDep, user: BureauUser, region: RegionDep
) -> RoundPublic:
    """Open a round: freeze the region's current data into a SPEC round document."""
    return rounds.round_public(rounds.open_round(session, region, body.name, user))


@router.get("/rounds/{round_id}", response_model=RoundPublic)
def read_round(round_id: int, session: SessionDep, user: CurrentUser) -> RoundPublic:
    """A round's status and versions."""
    return rounds.round_public(rounds.get_round(session, user, round_id))


@router.post("/rounds/{round_id}/solve", response_model=JobPublic, status_code=202)
def solve(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Start a fresh solve of the round's snapshot as a background job."""
    return solves.solve(session, user, round_id, settings, runner)


@router.post("/rounds/{round_id}/advice", response_model=JobPublic, status_code=202)
def ask_advice(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Count where one more seat would help most in the proposal, as a background job (a
    placement solve); while one counts for the same proposal, that job is answered."""
    return advice.ask(session, user, round_id, settings, runner)


@router.get("/rounds/{round_id}/advice", response_model=AdvicePublic)
def read_advice(round_id: int, session: SessionDep, user: BureauUser) -> dict[str, Any]:
    """The one-more-seat advice kept with the proposal; 404 until one has been counted."""
    return advice.stored(session, user, round_id)


@router.get("/rounds/{round_id}/jobs", response_model=list[JobPublic])
def list_jobs(round_id: int, session: SessionDep, user: BureauUser) -> list[Job]:
    """Every solve job of the round, oldest first."""
    return solves.list_jobs(session, user, round_id)


@router.get("/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def read_job(job_id: int, session: SessionDep, user: BureauUser) -> Job:
    """A job's status, phase, progress and best objective so far."""
    return solves.read_job(session, user, job_id)


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic, tags=["jobs"])
def cancel_job(job_id: int, session: SessionDep, user: BureauUser, runner: RunnerDep) -> Job:
    """Cancel a queued or running job; the round goes back to where it stood."""
    return solves.cancel_job(session, user, job_id, runner)


@router.get("/rounds/{round_id}/versions", response_model=list[SolutionVersionPublic])
def list_versions(
    round_id: int, session: SessionDep, user: BureauUser
) -> list[SolutionVersionPublic]:
    """Every proposal and publication of the round."""
    return [rounds.version_public(v) for v in rounds.list_versions(session, user, round_id)]


@router.get("/rounds/{round_id}/proposal")
def read_proposal(round_id: int, session: SessionDep, user: BureauUser) -> dict[str, Any]:
    """The current proposal: the SPEC solution with a reason for every unplaced pupil."""
    round_ = rounds.get_round(session, user, round_id)
    version = rounds.proposal_version(session, round_)
    return {"version": rounds.version_public(version).model_dump(mode="json"), **version.solution}


@router.get("/rounds/{round_id}/published")
def read_published(round_id: int, session: SessionDep, user: BureauUser) -> dict[str, Any]:
    """The last published version's solution: always readable, whatever a job is doing."""
    round_ = rounds.get_round(session, user, round_id)
    version = rounds.published_version(session, round_)
    return {"version": rounds.version_public(version).model_dump(mode="json"), **version.solution}


@router.get("/rounds/{round_id}/pins", response_model=list[PinPublic])
def list_pins(round_id: int, session: SessionDep, user: BureauUser) -> list[Pin]:
    """The assignments pinned for re-solves."""
    return pins.list_pins(session, user, round_id)


@router.post("/rounds/{round_id}/pins", response_model=PinPublic, status_code=201)
def create_pin(round_id: int, body: PinCreate, session: SessionDep, user: BureauUser) -> Pin:
    """Pin a pupil to a placement and period: every re-solve keeps it."""
    return pins.create_pin(session, user, round_id, body)


@router.delete("/rounds/{round_id}/pins/{pin_id}", status_code=204, response_class=Response)
def delete_pin(round_id: int, pin_id: int, session: SessionDep, user: BureauUser) -> Response:
    """Unpin an assignment."""
    pins.delete_pin(session, user, round_id, pin_id)
    return Response(status_code=204)


@router.post("/rounds/{round_id}/resolve", response_model=JobPublic, status_code=202)
def resolve_round(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Re-solve: pinned assignments stay, the rest moves as little as possible."""
    return solves.resolve(session, user, round_id, settings, runner)


@router.post("/rounds/{round_id}/publish", response_model=SolutionVersionPublic)
def publish_round(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    body: PublishBody | None = None,
) -> SolutionVersionPublic:
    """Publish the current proposal as a new immutable version; the companies answer by the
    body's `answer_deadline` (default: `ANSWER_DAYS`, 14, from today)."""
    round_ = rounds.get_round(session, user, round_id)
    deadline = body.answer_deadline if body and body.answer_deadline else None
    deadline = deadline or rounds.default_deadline(settings, utcnow().date())
    reviewed = body.proposal if body else None
    return rounds.version_public(rounds.publish(session, round_, user, deadline, reviewed))


@router.get(
    "/rounds/{round_id}/assignments",
    response_model=list[PupilMinimal] | list[AssignmentPublic],
)
def read_assignments(
    round_id: int, session: SessionDep, user: CurrentUser
) -> list[PupilMinimal] | list[AssignmentPublic]:
    """Published assignments in your scope: a company sees its pupils minimally
    (`PupilMinimal`), a school its own pupils and the bureau every one (`AssignmentPublic`)."""
    round_ = rounds.get_round(session, user, round_id)
    version = rounds.published_version(session, round_)
    return answers.published_assignments(session, user, version)


@router.post("/rounds/{round_id}/responses", response_model=CompanyResponsePublic, status_code=201)
def respond(
    round_id: int,
    body: ResponseCreate,
    session: SessionDep,
    user: CompanyOrBureau,
    settings: SettingsDep,
    runner: RunnerDep,
) -> CompanyResponse:
    """Confirm or decline a published assignment at your company (the bureau: on the company's
    behalf, audited). A decline keeps the pupil away from the company in every later solve
    until the bureau lifts it, keeps the seat open to others, and starts a repair."""
    return answers.answer_pupil(session, user, round_id, body, settings, runner)


@router.post("/rounds/{round_id}/responses/confirm-all", tags=["rounds"])
def confirm_all(round_id: int, session: SessionDep, user: CompanyUser) -> dict[str, int]:
    """Confirm every published pupil at your company that you have not answered yet, in one
    go; pupils you decline you answer one at a time, each with its reason."""
    return {"confirmed": answers.confirm_all_pupils(session, user, round_id)}


@router.post(
    "/rounds/{round_id}/activity-responses",
    response_model=ActivityResponsePublic,
    status_code=201,
)
def respond_to_activity(
    round_id: int,
    body: ActivityResponseCreate,
    session: SessionDep,
    user: CompanyOrBureau,
    settings: SettingsDep,
    runner: RunnerDep,
) -> ActivityResponse:
    """Confirm or decline a published class or teacher activity at your company (the bureau:
    on its behalf); a decline starts a repair that keeps every other activity and plans the
    requester elsewhere."""
    return answers.answer_activity(session, user, round_id, body, settings, runner)


@router.get("/rounds/{round_id}/activity-responses", response_model=list[ActivityResponsePublic])
def list_activity_responses(
    round_id: int, session: SessionDep, user: CompanyOrBureau
) -> list[answers.Answer]:
    """Answers about activities: all of them for the bureau, its own for a company."""
    return answers.answers_in_scope(session, user, round_id, ActivityResponse)


@router.get("/rounds/{round_id}/responses", response_model=list[CompanyResponsePublic])
def list_responses(
    round_id: int, session: SessionDep, user: CompanyOrBureau
) -> list[answers.Answer]:
    """Confirmations and declines: all of them for the bureau, its own for a company."""
    return answers.answers_in_scope(session, user, round_id, CompanyResponse)


@router.post("/rounds/{round_id}/repair", response_model=JobPublic, status_code=202)
def repair(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Re-place the pupils whose published assignment was declined, changing nothing else
    without need."""
    return answers.repair(session, user, round_id, settings, runner)


@router.get("/rounds/{round_id}/unanswered", response_model=UnansweredPublic)
def read_unanswered(round_id: int, session: SessionDep, user: BureauUser) -> UnansweredPublic:
    """The published pupils and activities no company has answered yet, by company, with the
    round's answer deadline and whether it has passed."""
    return answers.waiting_answers(session, user, round_id, utcnow().date())


@router.get("/declines", response_model=list[DeclinePublic], tags=["declines"])
def read_declines(session: SessionDep, user: CurrentUser, lifted: bool = False) -> list:
    """The region's standing declines: every one for the bureau, a company's own, a school's
    pupils'. With `lifted`, the lifted ones too."""
    return declines.list_declines(session, user, lifted=lifted)


@router.delete("/declines/{decline_id}", response_model=DeclinePublic, tags=["declines"])
def lift_decline(decline_id: int, session: SessionDep, user: BureauUser) -> DeclinePublic:
    """Lift a standing decline: the next solve or repair may place the pupil there again."""
    return declines.lift_decline(session, user, decline_id)
