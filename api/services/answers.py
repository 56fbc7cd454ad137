"""The companies' answers to a published version, and the repair a decline sets off.

A company confirms or declines each pupil and each class or teacher activity published at it;
the bureau may answer on a company's behalf (audited, naming who). A decline of a pupil is a
standing decline of the region (`api.services.declines`): the pupil gets the company in its
`excluded` list and the seat stays open to others. A decline starts a repair from the
published version: declined pupils re-placed elsewhere, confirmed pupils pinned, every activity
not declined kept. The decline stands even when no repair can start at once (another job runs,
or the bureau's pins no longer hold): the bureau's own repair then says why. From the moment of
the decline the school sees its pupil as not placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.jobs import Runner
from api.models import (
    ActivityResponse,
    ActivityResponseCreate,
    AssignmentPublic,
    Company,
    CompanyResponse,
    Job,
    JobKind,
    Pin,
    PupilMinimal,
    ResponseCreate,
    ResponseStatus,
    Role,
    Round,
    School,
    SolutionVersion,
    UnansweredPublic,
    User,
)
from api.services import placement_requests
from api.services.agreements import open_agreement, withdraw_agreements
from api.services.declines import record_decline, unanswered
from api.services.errors import Conflict, Forbidden, field_error
from api.services.notifications import notify_decline
from api.services.records import commit
from api.services.rounds import get_round, published_version, pupils_by_code
from api.services.solves import active_job, start_job
from api.settings import Settings
from scheduler.contract.solution import ActivityKey, Assignment, activity_key, assignment_map

Answer = CompanyResponse | ActivityResponse
# One table of answers: `select` over a union of tables would type its rows as their base class.
AnswerTable = TypeVar("AnswerTable", CompanyResponse, ActivityResponse)


class Answers:
    """The companies' standing answers to a published version: the newest response per pupil
    and per activity that the version still holds."""

    def __init__(self, session: Session, round_: Round, version: SolutionVersion) -> None:
        slots = assignment_map(version.solution)
        planned = {activity_key(a) for a in version.document.get("activities", [])}
        self.pupils: dict[str, CompanyResponse] = {}
        for r in session.exec(
            select(CompanyResponse)
            .where(CompanyResponse.round_id == round_.id)
            .order_by(col(CompanyResponse.id))
        ).all():
            if slots.get(r.student) == (r.placement, r.period):
                self.pupils[r.student] = r
        self.activities: dict[ActivityKey, ActivityResponse] = {}
        for a in session.exec(
            select(ActivityResponse)
            .where(ActivityResponse.round_id == round_.id)
            .order_by(col(ActivityResponse.id))
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


def answering(session: Session, user: User, round_id: int) -> tuple[Round, SolutionVersion]:
    """The round answered about and its published version; only a company or the bureau."""
    if user.role not in (Role.company, Role.bureau):
        raise Forbidden(
            "only a company, or the bureau on its behalf, answers", code="answer.not_your_role"
        )
    round_ = get_round(session, user, round_id)
    return round_, published_version(session, round_)


def answering_company(session: Session, user: User, round_: Round, code: str) -> Company | None:
    """The company whose published item is answered: the user's own, or for the bureau the
    company the item is published at. None when the user may not answer for `code`."""
    if user.role == Role.company:
        company = session.get(Company, user.company_id)
        return company if company is not None and company.code == code else None
    return session.exec(
        select(Company).where(Company.region_id == round_.region_id, Company.code == code)
    ).first()


def _keep(
    session: Session, user: User, company: Company, answer: Answer, entity: str, what: str
) -> None:
    """Store an answer and audit it, naming the company when the bureau answered for it."""
    session.add(answer)
    session.flush()
    after = audit.snapshot(answer)
    if user.role == Role.bureau:
        after["on_behalf_of"] = company.code
    audit.record(session, user, str(answer.status), entity, what, after=after)


def answer_pupil(
    session: Session,
    user: User,
    round_id: int,
    body: ResponseCreate,
    settings: Settings,
    runner: Runner,
) -> CompanyResponse:
    """Confirm or decline a pupil published at the user's company (or, for the bureau, at the
    company it is published at); a decline stands for the region and starts a repair."""
    round_, version = answering(session, user, round_id)
    response = _answer_pupil(session, user, round_, version, body)
    store_answer(session, round_, response, settings, runner, user)
    return response


def confirm_all_pupils(session: Session, user: User, round_id: int) -> int:
    """Confirm, in one transaction, every pupil published at the user's company that it has not
    answered yet ("bevestig alles"); returns how many. Declines stay one at a time: each has its
    own reason and starts a repair."""
    round_, version = answering(session, user, round_id)
    # One "confirm all" of a company at a time: a second waits here, then finds nothing left.
    session.exec(select(Company).where(Company.id == user.company_id).with_for_update()).one()
    standing = Answers(session, round_, version).pupils
    waiting = [a.student for a in company_pupils(session, user, version.round_document,
                                                  version.document["assignments"])
               if a.student not in standing]  # fmt: skip
    for student in waiting:
        body = ResponseCreate(student=student, status=ResponseStatus.confirmed)
        _answer_pupil(session, user, round_, version, body)
    commit(session)
    return len(waiting)


def _answer_pupil(
    session: Session, user: User, round_: Round, version: SolutionVersion, body: ResponseCreate
) -> CompanyResponse:
    """The answer stored, audited and told to whom it concerns, not yet committed."""
    slot = next(
        (a for a in version.document["assignments"] if a["student"] == body.student),
        None,
    )
    company = answering_company(session, user, round_, slot["company"]) if slot else None
    if slot is None or company is None:
        raise field_error(
            "student",
            "no published assignment of this pupil to your company",
            kind="answer.no_assignment",
        )
    response = CompanyResponse(
        **body.model_dump(),
        round_id=saved_id(round_),
        version_id=saved_id(version),
        company_id=saved_id(company),
        placement=slot["placement"],
        period=slot["period"],
        created_by_id=user.id,
    )
    _keep(session, user, company, response, "assignment", body.student)
    placement_requests.after_answer(session, user, round_, body.student, body.status)
    if body.status == ResponseStatus.confirmed:
        open_agreement(session, user, round_, version, slot, company)
    if body.status == ResponseStatus.declined:
        withdraw_agreements(session, user, saved_id(round_), body.student, saved_id(company))
        record_decline(session, user, round_, body.student, company, body.reason)
        declined = {"student": body.student, "placement": slot["placement"],
                    "period": slot["period"]}  # fmt: skip
        notify_decline(session, round_, version, company, declined)
        # A pin that holds the pupil at the declining company would bring it straight back.
        for pin in session.exec(
            select(Pin).where(Pin.round_id == round_.id, Pin.student == body.student)
        ).all():
            if pin.placement == slot["placement"]:
                audit.record(session, user, "delete", "pin", pin.id, before=audit.snapshot(pin))
                session.delete(pin)
    return response


def answer_activity(
    session: Session,
    user: User,
    round_id: int,
    body: ActivityResponseCreate,
    settings: Settings,
    runner: Runner,
) -> ActivityResponse:
    """Confirm or decline a class or teacher activity published at the user's company; a
    decline starts a repair that keeps every other activity and plans the requester elsewhere."""
    round_, version = answering(session, user, round_id)
    wanted = (body.requester, body.offer, body.date, body.daypart)
    activity = next(
        (a for a in version.document.get("activities", []) if activity_key(a) == wanted), None
    )
    company = answering_company(session, user, round_, activity["company"]) if activity else None
    if activity is None or company is None:
        raise field_error(
            "requester",
            f"no published activity of {body.requester} at your offer {body.offer} "
            f"on {body.date} {body.daypart}",
            kind="answer.no_activity",
            ctx={"requester": body.requester, "offer": body.offer, "date": str(body.date)},
        )
    response = ActivityResponse(
        **body.model_dump(),
        round_id=round_id,
        version_id=saved_id(version),
        company_id=saved_id(company),
        created_by_id=user.id,
    )
    what = f"{body.requester}@{body.offer} {body.date} {body.daypart}"
    _keep(session, user, company, response, "activity", what)
    if body.status == ResponseStatus.declined:
        visit = body.model_dump(include={"requester", "offer", "date", "daypart"})
        notify_decline(session, round_, version, company, visit)
    store_answer(session, round_, response, settings, runner, user)
    return response


def store_answer(
    session: Session, round_: Round, answer: Answer, settings: Settings, runner: Runner, user: User
) -> None:
    """Commit a company's answer; a decline then starts the repair."""
    commit(session)
    if answer.status == ResponseStatus.declined:
        repair_after_decline(session, round_, settings, runner, user)
    session.refresh(answer)


def repair_after_decline(
    session: Session, round_: Round, settings: Settings, runner: Runner, user: User
) -> None:
    """Start the repair a decline sets off, unless a job of the round runs already.

    The decline stands even when no repair can start now (another job won the race, or the
    bureau's pins no longer hold): the bureau's repair then says why.
    """
    if active_job(session, round_.id) is not None:
        return
    try:
        start_repair(session, round_, settings, runner, user)
    except Conflict:
        session.rollback()


def answers_in_scope(
    session: Session, user: User, round_id: int, table: type[AnswerTable]
) -> list[Answer]:
    """A round's answers of one kind, oldest first: all for the bureau, its own for a company."""
    get_round(session, user, round_id)
    query = select(table).where(table.round_id == round_id)
    if user.role == Role.company:
        query = query.where(table.company_id == user.company_id)
    return list(session.exec(query.order_by(col(table.id))).all())


def repair(session: Session, user: User, round_id: int, settings: Settings, runner: Runner) -> Job:
    """The bureau's repair of a round: re-place what the companies declined."""
    return start_repair(session, get_round(session, user, round_id), settings, runner, user)


def start_repair(
    session: Session, round_: Round, settings: Settings, runner: Runner, user: User
) -> Job:
    """A repair job from the last published version: declines out, confirmed pupils pinned,
    every activity not declined kept."""
    version = published_version(session, round_)
    answers = Answers(session, round_, version)
    declines, activity_declines = answers.declined_pupils, answers.declined_activities
    if not declines and not activity_declines:
        raise Conflict(
            "no declined assignment or activity in the published version",
            code="answer.nothing_declined",
        )
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
    return start_job(session, round_, JobKind.repair, settings, runner, user, params)


def waiting_answers(session: Session, user: User, round_id: int, today: date) -> UnansweredPublic:
    """What the companies have not answered yet of the round's publication, and its deadline."""
    round_ = get_round(session, user, round_id)
    version = published_version(session, round_)
    standing = Answers(session, round_, version)
    return unanswered(
        session, round_, version, set(standing.pupils), set(standing.activities), today
    )


def published_assignments(
    session: Session, user: User, version: SolutionVersion
) -> list[PupilMinimal] | list[AssignmentPublic]:
    """The published assignments a user may see, with only the fields their role needs: a
    company sees its own pupils minimally (pupils are minors), a school its own pupils, the
    bureau every one."""
    document = version.round_document
    company_name = {c["id"]: c.get("name", "") for c in document.get("companies", [])}
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    assignments = version.document["assignments"]
    if user.role == Role.company:
        return company_pupils(session, user, document, assignments)
    if user.role == Role.school:
        school = session.get(School, user.school_id)
        assert school is not None
        # A pupil its company declined is not placed, from the moment of the decline.
        round_ = session.get(Round, version.round_id)
        assert round_ is not None
        declined = {d["student"] for d in Answers(session, round_, version).declined_pupils}
        assignments = [
            a
            for a in assignments
            if school_of.get(a["student"]) == school.code and a["student"] not in declined
        ]
    return [
        AssignmentPublic(**a, company_name=company_name.get(a["company"], "")) for a in assignments
    ]


def company_pupils(
    session: Session, user: User, document: dict[str, Any], assignments: Sequence[Assignment]
) -> list[PupilMinimal]:
    """A company's published pupils as `PupilMinimal`: first name, school, profile, slot."""
    company = session.get(Company, user.company_id)
    assert company is not None
    school_of = {s["id"]: s["school"] for s in document.get("students", [])}
    school_name = {s["id"]: s.get("name", "") for s in document.get("schools", [])}
    mine = [a for a in assignments if a["company"] == company.code]
    pupils = pupils_by_code(session, user.region_id, [a["student"] for a in mine])
    return [
        PupilMinimal(
            student=a["student"],
            first_name=pupils[a["student"]].first_name if a["student"] in pupils else "",
            school=school_name.get(school_of.get(a["student"], ""), ""),
            profile=pupils[a["student"]].profile if a["student"] in pupils else "",
            placement=a["placement"],
            period=a["period"],
        )
        for a in mine
    ]


def school_outcomes(
    session: Session, round_: Round, version: SolutionVersion
) -> dict[str, dict[str, Any]]:
    """Each pupil's outcome in a version as its school sees it: the assignment or the reason,
    and for a pupil its company declined no placement but reason `DECLINED` (the company's
    name in `detail`, the declined seat in `declined_placement`/`declined_period`), from the
    moment of the decline until a repair gives the pupil a new outcome."""
    solution = version.document
    names = {c["id"]: c.get("name") or c["id"] for c in version.round_document.get("companies", [])}
    outcome: dict[str, dict[str, Any]] = {a["student"]: dict(a) for a in solution["assignments"]}
    outcome.update({u["student"]: dict(u) for u in solution["unassigned"]})
    for declined in Answers(session, round_, version).declined_pupils:
        company = outcome.get(declined["student"], {}).get("company", "")
        outcome[declined["student"]] = {
            "student": declined["student"],
            "reason": "DECLINED",
            "detail": names.get(company, company),
            "declined_placement": declined["placement"],
            "declined_period": declined["period"],
        }
    return outcome
