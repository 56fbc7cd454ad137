"""Rounds and their solve jobs: open, solve, read the proposal, pin, re-solve, publish, and the
companies' confirmations and declines with the repair a decline sets off.

Life cycle (SPEC section 7): draft -> solving -> proposed -> published, and from proposed or
published back to solving for a re-solve or a repair. The last published version stays
readable throughout; a publication is a new immutable version. Each version of a re-solve or
repair carries `changes`: how many pupils of the version it started from moved or dropped out.
Pins the round cannot hold are refused with 409 naming them, before any job starts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response
from sqlmodel import Session, select

from api import audit, services
from api.crud import commit, field_error, http_error
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
from api.jobs import finish_job
from api.models import (
    ACTIVE_JOB_STATUSES,
    ActivityResponse,
    ActivityResponseCreate,
    ActivityResponsePublic,
    Company,
    CompanyResponse,
    CompanyResponsePublic,
    Job,
    JobKind,
    JobPublic,
    JobStatus,
    Pin,
    PinCreate,
    PinPublic,
    Pupil,
    ResponseCreate,
    ResponseStatus,
    Role,
    Round,
    RoundCreate,
    RoundPublic,
    School,
    SolutionVersion,
    SolutionVersionPublic,
    User,
)
from scheduler.contract.solution import ActivityKey, activity_key, assignment_map
from scheduler.travel import student_travel_minutes
from scheduler.validation import parse_round

router = APIRouter(tags=["rounds"])


def round_public(round_: Round) -> RoundPublic:
    return RoundPublic(
        **round_.model_dump(exclude={"document"}),
        students=len(round_.document.get("students", [])),
        placements=len(round_.document.get("placements", [])),
    )


def version_public(version: SolutionVersion) -> SolutionVersionPublic:
    solution = version.solution
    return SolutionVersionPublic(
        **version.model_dump(exclude={"round_document", "solution"}),
        status=solution.get("status", ""),
        objective=solution.get("objective", {}),
        placed=len(solution.get("assignments", [])),
        unplaced=len(solution.get("unassigned", [])),
    )


def get_round(session: Session, user: User, round_id: int) -> Round:
    """A round of the user's region, else 404."""
    round_ = session.get(Round, round_id)
    if round_ is None or round_.region_id != user.region_id:
        raise http_error(404, f"no round {round_id} in your region")
    return round_


def published_version(session: Session, round_: Round) -> SolutionVersion:
    if round_.published_version_id is None:
        raise http_error(409, "this round has no published version yet")
    version = session.get(SolutionVersion, round_.published_version_id)
    assert version is not None
    return version


def start(
    session: Session,
    round_: Round,
    kind: JobKind,
    settings: Any,
    runner: Any,
    user: User,
    params: dict[str, Any] | None = None,
) -> Job:
    try:
        job = services.create_job(session, round_, kind, settings, runner.name, user, params)
    except services.ServiceError as error:
        raise http_error(error.status, error.detail) from None
    commit(session)
    runner.submit(job.id)
    session.refresh(job)
    return job


@router.get("/rounds", response_model=list[RoundPublic])
def list_rounds(session: SessionDep, user: CurrentUser) -> list[RoundPublic]:
    """The rounds of your region with their status."""
    rounds = session.exec(
        select(Round).where(Round.region_id == user.region_id).order_by(Round.id)  # type: ignore[arg-type]
    ).all()
    return [round_public(r) for r in rounds]


@router.post("/rounds", response_model=RoundPublic, status_code=201)
def open_round(
    body: RoundCreate, session: SessionDep, user: BureauUser, region: RegionDep
) -> RoundPublic:
    """Open a round: freeze the region's current data into a SPEC round document."""
    try:
        round_ = services.open_round(session, region, body.name, user)
    except services.ServiceError as error:
        raise http_error(error.status, error.detail) from None
    commit(session)
    return round_public(round_)


@router.get("/rounds/{round_id}", response_model=RoundPublic)
def read_round(round_id: int, session: SessionDep, user: CurrentUser) -> RoundPublic:
    """A round's status and versions."""
    return round_public(get_round(session, user, round_id))


@router.post("/rounds/{round_id}/solve", response_model=JobPublic, status_code=202)
def solve(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Start a fresh solve of the round's snapshot as a background job."""
    round_ = get_round(session, user, round_id)
    return start(session, round_, JobKind.solve, settings, runner, user)


@router.get("/rounds/{round_id}/jobs", response_model=list[JobPublic])
def list_jobs(round_id: int, session: SessionDep, user: BureauUser) -> list[Job]:
    """Every solve job of the round, oldest first."""
    get_round(session, user, round_id)
    return list(
        session.exec(select(Job).where(Job.round_id == round_id).order_by(Job.id)).all()  # type: ignore[arg-type]
    )


@router.get("/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def read_job(job_id: int, session: SessionDep, user: BureauUser) -> Job:
    """A job's status, phase, progress and best objective so far."""
    job = session.get(Job, job_id)
    if job is None or job.region_id != user.region_id:
        raise http_error(404, f"no job {job_id} in your region")
    return job


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic, tags=["jobs"])
def cancel_job(job_id: int, session: SessionDep, user: BureauUser, runner: RunnerDep) -> Job:
    """Cancel a queued or running job; the round goes back to where it stood."""
    job = read_job(job_id, session, user)
    if job.status not in ACTIVE_JOB_STATUSES:
        raise http_error(409, f"job {job_id} is already {job.status}")
    job.cancel_requested = True
    session.add(job)
    # A job no watcher of ours will see end (queued, another runner's, a Celery task) is
    # ended here; a local child process is terminated and its watcher records the end.
    if job.status == JobStatus.queued or not getattr(runner, "observes_exit", False):
        finish_job(session, job, JobStatus.cancelled, "cancelled by the bureau")
    audit.record(session, user, "cancel", "job", job.id)
    commit(session)
    runner.cancel(job_id)
    session.refresh(job)
    return job


@router.get("/rounds/{round_id}/versions", response_model=list[SolutionVersionPublic])
def list_versions(round_id: int, session: SessionDep, user: BureauUser) -> list:
    """Every proposal and publication of the round."""
    get_round(session, user, round_id)
    versions = session.exec(
        select(SolutionVersion)
        .where(SolutionVersion.round_id == round_id)
        .order_by(SolutionVersion.number)  # type: ignore[arg-type]
    ).all()
    return [version_public(v) for v in versions]


@router.get("/rounds/{round_id}/proposal")
def read_proposal(round_id: int, session: SessionDep, user: BureauUser) -> dict[str, Any]:
    """The current proposal: the SPEC solution with a reason for every unplaced pupil."""
    round_ = get_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise http_error(409, "no proposal yet: start a solve")
    version = session.get(SolutionVersion, round_.proposal_version_id)
    assert version is not None
    return {"version": version_public(version).model_dump(mode="json"), **version.solution}


@router.get("/rounds/{round_id}/published")
def read_published(round_id: int, session: SessionDep, user: BureauUser) -> dict[str, Any]:
    """The last published version's solution: always readable, whatever a job is doing."""
    round_ = get_round(session, user, round_id)
    version = published_version(session, round_)
    return {"version": version_public(version).model_dump(mode="json"), **version.solution}


@router.get("/rounds/{round_id}/pins", response_model=list[PinPublic])
def list_pins(round_id: int, session: SessionDep, user: BureauUser) -> list[Pin]:
    """The assignments pinned for re-solves."""
    get_round(session, user, round_id)
    return list(session.exec(select(Pin).where(Pin.round_id == round_id)).all())


@router.post("/rounds/{round_id}/pins", response_model=PinPublic, status_code=201)
def create_pin(round_id: int, body: PinCreate, session: SessionDep, user: BureauUser) -> Pin:
    """Pin a pupil to a placement and period: every re-solve keeps it."""
    round_ = get_round(session, user, round_id)
    document = current_document(session, round_)
    problem = pin_problem(document, body)
    if problem:
        raise field_error(*problem)
    pins = session.exec(select(Pin).where(Pin.round_id == round_id)).all()
    if any(p.student == body.student for p in pins):
        raise http_error(409, [{"loc": ["body", "student"], "msg": "this pupil is already pinned"}])
    pinned = {p.student: (p.placement, p.period) for p in pins}
    pinned[body.student] = (body.placement, body.period)
    try:
        services.check_pins(document, pinned)
    except services.ServiceError as error:
        raise http_error(error.status, error.detail) from None
    pin = Pin(**body.model_dump(), round_id=round_id)
    session.add(pin)
    session.flush()
    audit.record(session, user, "create", "pin", pin.id, after=audit.snapshot(pin))
    commit(session)
    return pin


@router.delete("/rounds/{round_id}/pins/{pin_id}", status_code=204, response_class=Response)
def delete_pin(round_id: int, pin_id: int, session: SessionDep, user: BureauUser) -> Response:
    """Unpin an assignment."""
    get_round(session, user, round_id)
    pin = session.get(Pin, pin_id)
    if pin is None or pin.round_id != round_id:
        raise http_error(404, f"no pin {pin_id} in round {round_id}")
    audit.record(session, user, "delete", "pin", pin_id, before=audit.snapshot(pin))
    session.delete(pin)
    commit(session)
    return Response(status_code=204)


def current_document(session: Session, round_: Round) -> dict[str, Any]:
    """The round document the next re-solve starts from (with earlier repairs applied)."""
    if round_.proposal_version_id is not None:
        version = session.get(SolutionVersion, round_.proposal_version_id)
        if version is not None:
            return version.round_document
    return round_.document


def pin_problem(document: dict[str, Any], pin: PinCreate) -> tuple[str, str] | None:
    """(field, why) when a pin cannot hold in the round: unknown, ineligible or too far."""
    round_ = parse_round(document)
    student = round_.students.get(pin.student)
    if student is None:
        return "student", f"no pupil {pin.student!r} in this round"
    placement = round_.placements.get(pin.placement)
    if placement is None:
        return "placement", f"no placement {pin.placement!r} in this round"
    if pin.period not in placement.capacity or pin.period not in student.periods:
        return "period", f"{pin.placement} and the pupil share no period {pin.period!r}"
    if not placement.admits(student.profile, student.track, student.year):
        return "placement", f"{placement.id} does not admit this pupil's profile, track or year"
    if not student.accept_unranked and placement.id not in student.preferences:
        return "placement", f"the pupil accepts only its wishes, and {placement.id} is not one"
    minutes = student_travel_minutes(round_, student, placement.company)
    if minutes > student.max_travel_min:
        return "placement", f"{minutes} min away, beyond the pupil's {student.max_travel_min}"
    return None


@router.post("/rounds/{round_id}/resolve", response_model=JobPublic, status_code=202)
def resolve_round(
    round_id: int,
    session: SessionDep,
    user: BureauUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Job:
    """Re-solve: pinned assignments stay, the rest moves as little as possible."""
    round_ = get_round(session, user, round_id)
    if round_.proposal_version_id is None:
        raise http_error(409, "nothing to re-solve yet: start a solve first")
    pins = session.exec(select(Pin).where(Pin.round_id == round_id)).all()
    params = {
        "base_version_id": round_.proposal_version_id,
        "pins": [p.model_dump(include={"student", "placement", "period"}) for p in pins],
    }
    return start(session, round_, JobKind.resolve, settings, runner, user, params)


@router.post("/rounds/{round_id}/publish", response_model=SolutionVersionPublic)
def publish_round(round_id: int, session: SessionDep, user: BureauUser) -> SolutionVersionPublic:
    """Publish the current proposal as a new immutable version."""
    round_ = get_round(session, user, round_id)
    try:
        version = services.publish(session, round_, user)
    except services.ServiceError as error:
        raise http_error(error.status, error.detail) from None
    commit(session)
    return version_public(version)


@router.get("/rounds/{round_id}/assignments")
def read_assignments(round_id: int, session: SessionDep, user: CurrentUser) -> list[dict]:
    """Published assignments in your scope; a company sees pupils minimally."""
    round_ = get_round(session, user, round_id)
    version = published_version(session, round_)
    return scoped_assignments(session, user, version)


def scoped_assignments(session: Session, user: User, version: SolutionVersion) -> list[dict]:
    """The published assignments a user may see, with only the fields their role needs."""
    document = version.round_document
    company_code = {c["id"]: c.get("name", "") for c in document.get("companies", [])}
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    school_name = {s["id"]: s.get("name", "") for s in document.get("schools", [])}
    assignments = version.solution.get("assignments", [])
    if user.role == Role.company:
        company = session.get(Company, user.company_id)
        assert company is not None
        mine = [a for a in assignments if a["company"] == company.code]
        pupils = pupils_by_code(session, user.region_id, [a["student"] for a in mine])
        return [
            {
                "student": a["student"],
                "first_name": pupils[a["student"]].first_name if a["student"] in pupils else "",
                "school": school_name.get(school_of.get(a["student"], ""), ""),
                "profile": pupils[a["student"]].profile if a["student"] in pupils else "",
                "placement": a["placement"],
                "period": a["period"],
            }
            for a in mine
        ]
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        assert school is not None
        return [
            {**a, "company_name": company_code.get(a["company"], "")}
            for a in assignments
            if school_of.get(a["student"]) == school.code
        ]
    return [{**a, "company_name": company_code.get(a["company"], "")} for a in assignments]


def pupils_by_code(session: Session, region_id: int, codes: list[str]) -> dict[str, Pupil]:
    if not codes:
        return {}
    rows = session.exec(
        select(Pupil).where(Pupil.region_id == region_id, Pupil.code.in_(codes))  # type: ignore[attr-defined]
    ).all()
    return {p.code: p for p in rows}


@router.post("/rounds/{round_id}/responses", response_model=CompanyResponsePublic, status_code=201)
def respond(
    round_id: int,
    body: ResponseCreate,
    session: SessionDep,
    user: CompanyUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> CompanyResponse:
    """Confirm or decline a published assignment; a decline starts a repair re-solve."""
    round_, version, company = answering(session, user, round_id)
    slot = next(
        (
            a
            for a in version.solution.get("assignments", [])
            if a["student"] == body.student and a["company"] == company.code
        ),
        None,
    )
    if slot is None:
        raise field_error("student", "no published assignment of this pupil to your company")
    response = CompanyResponse(
        **body.model_dump(),
        round_id=round_id,
        version_id=version.id,  # type: ignore[arg-type]
        company_id=company.id,  # type: ignore[arg-type]
        placement=slot["placement"],
        period=slot["period"],
        created_by_id=user.id,
    )
    session.add(response)
    session.flush()
    audit.record(
        session, user, str(body.status), "assignment", body.student, after=audit.snapshot(response)
    )
    if body.status == ResponseStatus.declined:
        # A pin that holds the pupil at the declining company would bring it straight back.
        for pin in session.exec(
            select(Pin).where(Pin.round_id == round_id, Pin.student == body.student)
        ).all():
            if pin.placement == slot["placement"]:
                audit.record(session, user, "delete", "pin", pin.id, before=audit.snapshot(pin))
                session.delete(pin)
    return answered(session, round_, response, settings, runner, user)


def answering(
    session: Session, user: User, round_id: int
) -> tuple[Round, SolutionVersion, Company]:
    """The round a company answers about, its published version, and the company."""
    round_ = get_round(session, user, round_id)
    version = published_version(session, round_)
    company = session.get(Company, user.company_id)
    assert company is not None
    return round_, version, company


def answered(
    session: Session, round_: Round, response: Any, settings: Any, runner: Any, user: User
) -> Any:
    """Store a company's answer; a decline then starts the repair."""
    commit(session)
    if response.status == ResponseStatus.declined:
        repair_after_decline(session, round_, settings, runner, user)
    session.refresh(response)
    return response


def repair_after_decline(
    session: Session, round_: Round, settings: Any, runner: Any, user: User
) -> None:
    """Start the repair a decline sets off, unless a job of the round runs already.

    The decline stands even when no repair can start now (another job won the race, or the
    bureau's pins no longer hold): the bureau's POST .../repair then says why.
    """
    if services.active_job(session, round_.id) is not None:  # type: ignore[arg-type]
        return
    try:
        start_repair(session, round_, settings, runner, user)
    except HTTPException as error:
        if error.status_code != 409:
            raise
        session.rollback()


@router.post(
    "/rounds/{round_id}/activity-responses",
    response_model=ActivityResponsePublic,
    status_code=201,
)
def respond_to_activity(
    round_id: int,
    body: ActivityResponseCreate,
    session: SessionDep,
    user: CompanyUser,
    settings: SettingsDep,
    runner: RunnerDep,
) -> ActivityResponse:
    """Confirm or decline a published class or teacher activity at your company; a decline
    starts a repair that keeps every other activity and plans the requester elsewhere."""
    round_, version, company = answering(session, user, round_id)
    wanted = (body.requester, body.offer, body.date, body.daypart)
    if not any(
        activity_key(a) == wanted and a["company"] == company.code
        for a in version.solution.get("activities", [])
    ):
        raise field_error(
            "requester",
            f"no published activity of {body.requester} at your offer {body.offer} "
            f"on {body.date} {body.daypart}",
        )
    response = ActivityResponse(
        **body.model_dump(),
        round_id=round_id,
        version_id=version.id,  # type: ignore[arg-type]
        company_id=company.id,  # type: ignore[arg-type]
        created_by_id=user.id,
    )
    session.add(response)
    session.flush()
    audit.record(
        session,
        user,
        str(body.status),
        "activity",
        f"{body.requester}@{body.offer} {body.date} {body.daypart}",
        after=audit.snapshot(response),
    )
    return answered(session, round_, response, settings, runner, user)


@router.get("/rounds/{round_id}/activity-responses", response_model=list[ActivityResponsePublic])
def list_activity_responses(round_id: int, session: SessionDep, user: CompanyOrBureau) -> list:
    """Answers about activities: all of them for the bureau, its own for a company."""
    return answers_in_scope(session, user, round_id, ActivityResponse)


def answers_in_scope(
    session: Session, user: User, round_id: int, table: type[CompanyResponse | ActivityResponse]
) -> list:
    """A round's answers of one kind, oldest first: all for the bureau, its own for a company."""
    get_round(session, user, round_id)
    query = select(table).where(table.round_id == round_id)
    if user.role == Role.company:
        query = query.where(table.company_id == user.company_id)
    return list(session.exec(query.order_by(table.id)).all())  # type: ignore[arg-type]


@router.get("/rounds/{round_id}/responses", response_model=list[CompanyResponsePublic])
def list_responses(round_id: int, session: SessionDep, user: CompanyOrBureau) -> list:
    """Confirmations and declines: all of them for the bureau, its own for a company."""
    return answers_in_scope(session, user, round_id, CompanyResponse)


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
    round_ = get_round(session, user, round_id)
    return start_repair(session, round_, settings, runner, user)


class Answers:
    """The companies' standing answers to a published version: the newest response per pupil
    and per activity that the version still holds."""

    def __init__(self, session: Session, round_: Round, version: SolutionVersion) -> None:
        slots = assignment_map(version.solution)
        planned = {activity_key(a) for a in version.solution.get("activities", [])}
        self.pupils: dict[str, CompanyResponse] = {}
        for r in session.exec(
            select(CompanyResponse)
            .where(CompanyResponse.round_id == round_.id)
            .order_by(CompanyResponse.id)  # type: ignore[arg-type]
        ).all():
            if slots.get(r.student) == (r.placement, r.period):
                self.pupils[r.student] = r
        self.activities: dict[ActivityKey, ActivityResponse] = {}
        for a in session.exec(
            select(ActivityResponse)
            .where(ActivityResponse.round_id == round_.id)
            .order_by(ActivityResponse.id)  # type: ignore[arg-type]
        ).all():
            key = activity_key(a.model_dump())
            if key in planned:
                self.activities[key] = a

    @property
    def declined_pupils(self) -> list[dict[str, str]]:
        return [
            {"student": s, "placement": r.placement, "period": r.period}
            for s, r in self.pupils.items()
            if r.status == ResponseStatus.declined
        ]

    @property
    def declined_activities(self) -> list[dict[str, str]]:
        return [
            dict(zip(("requester", "offer", "date", "daypart"), key, strict=True))
            for key, r in self.activities.items()
            if r.status == ResponseStatus.declined
        ]

    @property
    def declined(self) -> int:
        return len(self.declined_pupils) + len(self.declined_activities)


def start_repair(session: Session, round_: Round, settings: Any, runner: Any, user: User) -> Job:
    """A repair job from the last published version: declines out, confirmed pupils pinned,
    every activity not declined kept."""
    version = published_version(session, round_)
    answers = Answers(session, round_, version)
    declines, activity_declines = answers.declined_pupils, answers.declined_activities
    if not declines and not activity_declines:
        raise http_error(409, "no declined assignment or activity in the published version")
    pins = {
        p.student: p.model_dump(include={"student", "placement", "period"})
        for p in session.exec(select(Pin).where(Pin.round_id == round_.id)).all()
    }
    for s, r in answers.pupils.items():
        if r.status == ResponseStatus.confirmed:
            pins[s] = {"student": s, "placement": r.placement, "period": r.period}
    params = {
        "base_version_id": version.id,
        "declines": declines,
        "activity_declines": activity_declines,
        "pins": [p for s, p in pins.items() if s not in {d["student"] for d in declines}],
    }
    return start(session, round_, JobKind.repair, settings, runner, user, params)
