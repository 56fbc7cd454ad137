"""Event-day pages: the bureau creates event days and reads the carrousel with its shortfalls,
a company enters its sessions and reads who comes in each round, a school enters its pupils'
choices (one by one or as a file) and prints their programmes. Every change goes through the
services the API uses (`api.services.records`, `api.services.event_uploads`), so the pages
keep the same scoping, checks and audit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api import spreadsheets
from api.deps import SessionDep
from api.models import (
    Company,
    Event,
    EventCreate,
    EventRequest,
    EventRequestCreate,
    EventRequestUpdate,
    EventSession,
    EventSessionCreate,
    EventSessionUpdate,
    Pupil,
    Role,
    User,
)
from api.services import event_days, records
from api.services.errors import ServiceError
from api.services.event_calendar import event_calendar
from api.services.event_uploads import COLUMNS, DUTCH_COLUMNS, upload_event_requests
from api.web.actions import problems
from api.web.common import see_other
from api.web.company import free_code
from api.web.i18n import column_labels, language_of, translator
from api.web.refusals import refusal_items, why
from api.web.render import render
from api.web.session import BureauPage, CompanyPage, Csrf, PageUser, SchoolPage
from scheduler.contract.round import PROFILES

router = APIRouter(include_in_schema=False)


async def form_data(request: Request) -> FormData:
    return await request.form()


Form = Depends(form_data)


def text(form: FormData, field: str) -> str:
    return str(form.get(field) or "").strip()


def optional(form: FormData, field: str) -> str | None:
    """A field left empty is absent (the model's default applies); else its text, which the
    model validates and refuses naming the field."""
    return text(form, field) or None


def region_events(session: Session, user: User) -> list[Event]:
    query = select(Event).where(Event.region_id == user.region_id)
    return list(session.exec(query.order_by(col(Event.date), col(Event.id))).all())


def attempt(change: Callable[[], Any]) -> list[str]:
    """Run a change through the services; the refusal's lines, or none when it was stored."""
    try:
        change()
    except (ServiceError, ValidationError) as error:
        return problems(error)
    return []


def try_outcome(session: Session, user: User, event: Event) -> event_days.Outcome | None:
    """The carrousel the user may see, or None before there is one."""
    try:
        return event_days.outcome(session, user, event.id or 0)
    except ServiceError:
        return None


def page_outcome(session: Session, user: User, event_id: int, student: str | None) -> Any:
    """The carrousel for a programme page or file, and the lines of `student` if one is named;
    a 404 page when there is none yet or the pupil is not the user's to see."""
    try:
        result = event_days.outcome(session, user, event_id)
    except ServiceError:
        raise HTTPException(404, detail="no_published") from None
    try:
        lines = event_days.pupil_lines(result, student) if student else result.lines
    except ServiceError:
        raise HTTPException(404, detail="not_found") from None
    return result, lines


# --- the bureau --------------------------------------------------------------------------------


def bureau_list(
    request: Request, session: Session, user: User, errors: list[str] | None = None
) -> Response:
    events = region_events(session, user)
    counts = Counter(
        session.exec(
            select(EventRequest.event_id).where(EventRequest.region_id == user.region_id)
        ).all()
    )
    context = {
        "events": events,
        "requests": counts,
        "errors": errors or [],
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "events/bureau_list.html", context)


@router.get("/app/bureau/events")
def bureau_events(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The region's event days, with the form for a new one."""
    return bureau_list(request, session, user)


@router.post("/app/bureau/events", dependencies=[Csrf])
def create_event(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """A new event day; its code is the next free EV<n>."""

    def change() -> None:
        body = EventCreate.model_validate(
            {
                "code": free_code(session, Event, user.region_id, "EV"),
                "name": text(form, "name"),
                "date": text(form, "date"),
                "rounds": text(form, "rounds") or 0,
                "start_time": optional(form, "start_time"),
                "round_minutes": optional(form, "round_minutes"),
                "changeover_minutes": text(form, "changeover_minutes") or 0,
                "lat": optional(form, "lat"),
                "lon": optional(form, "lon"),
            }
        )
        records.create_record(session, records.KIND_OF["event"], user, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return bureau_list(request, session, user, errors)
    return see_other("/app/bureau/events?saved=1")


@router.get("/app/bureau/events/{event_id}")
def bureau_event(
    event_id: int, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """One event day: its sessions, how many pupils chose, and the carrousel with the reasons
    some pupils got fewer sessions than they asked for."""
    event = event_days.get_event(session, user, event_id)
    sessions = session.exec(
        select(EventSession)
        .where(EventSession.event_id == event.id)
        .order_by(col(EventSession.code))
    ).all()
    companies = dict(
        session.exec(
            select(Company.id, Company.name).where(Company.region_id == user.region_id)
        ).all()
    )
    requests = event_days.requests_of(session, user, event)
    first_choices = Counter(r.choices[0] for r in requests if r.choices)
    chosen = Counter(code for r in requests for code in r.choices)
    result = try_outcome(session, user, event)
    fill: Counter[tuple[str, int]] = Counter()
    for line in result.lines if result else []:
        fill[(line.session, line.round)] += 1
    context = {
        "event": event,
        "sessions": sessions,
        "companies": companies,
        "requests": len(requests),
        "first_choices": first_choices,
        "chosen": chosen,
        "result": result,
        "fill": fill,
        "reasons": event_days.reason_counts(result) if result else {},
        "rounds": range(1, event.rounds + 1),
    }
    return render(request, "events/bureau_event.html", context)


# --- a company ---------------------------------------------------------------------------------


def company_page(
    request: Request, session: Session, user: User, errors: list[str] | None = None
) -> Response:
    events = region_events(session, user)
    sessions = session.exec(
        select(EventSession)
        .where(EventSession.company_id == user.company_id)
        .order_by(col(EventSession.code))
    ).all()
    lists = {}
    for event in events:
        result = try_outcome(session, user, event)
        if result is not None:
            lists[event.id] = event_days.company_lists(result)
    context = {
        "events": events,
        "sessions": sessions,
        "lists": lists,
        "profiles": PROFILES,
        "errors": errors or [],
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "events/company.html", context)


@router.get("/app/company/events")
def company_events(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The company's sessions at the region's event days and who comes in each round."""
    return company_page(request, session, user)


@router.post("/app/company/events/sessions", dependencies=[Csrf])
def create_session(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """A new session of the company at an event day; its code is the next free SE<n>."""

    def change() -> None:
        rounds = form.getlist("rounds")
        body = EventSessionCreate.model_validate(
            {
                "code": free_code(session, EventSession, user.region_id, "SE"),
                "event_id": text(form, "event_id") or 0,
                "title": text(form, "title"),
                "capacity": text(form, "capacity") or 0,
                "rounds": list(rounds) or None,  # the model makes them numbers, or says why
                "sectors": text(form, "sectors").replace(",", " ").split(),
                "profiles": form.getlist("profiles"),
            }
        )
        records.create_record(session, records.KIND_OF["event_session"], user, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return company_page(request, session, user, errors)
    return see_other("/app/company/events?saved=session_saved")


@router.post("/app/company/events/sessions/{session_id}", dependencies=[Csrf])
def update_session(
    session_id: int, request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Change a session's title and seats (at the version the page showed)."""

    def change() -> None:
        body = EventSessionUpdate.model_validate(
            {"version": text(form, "version") or 0, "title": text(form, "title"),
             "capacity": text(form, "capacity") or None}
        )  # fmt: skip
        records.update_record(session, records.KIND_OF["event_session"], user, session_id, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return company_page(request, session, user, errors)
    return see_other("/app/company/events?saved=session_saved")


@router.post("/app/company/events/sessions/{session_id}/delete", dependencies=[Csrf])
def delete_session(
    session_id: int, request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Remove one of the company's sessions (at the version the page showed)."""
    version = int(text(form, "version") or 0)
    kind = records.KIND_OF["event_session"]
    errors = attempt(lambda: records.delete_record(session, kind, user, session_id, version))
    if errors:
        session.rollback()
        return company_page(request, session, user, errors)
    return see_other("/app/company/events?saved=session_deleted")


# --- a school ----------------------------------------------------------------------------------


def school_page(
    request: Request,
    session: Session,
    user: User,
    event_id: int | None,
    errors: list[str] | None = None,
    result: dict[str, Any] | None = None,
) -> Response:
    events = region_events(session, user)
    event = next((e for e in events if e.id == event_id), events[0] if events else None)
    context: dict[str, Any] = {
        "events": events,
        "event": event,
        "errors": errors or [],
        "upload": result,
        "saved": request.query_params.get("saved", ""),
    }
    if event is not None:
        pupils = session.exec(
            select(Pupil).where(Pupil.school_id == user.school_id).order_by(col(Pupil.code))
        ).all()
        sessions = session.exec(
            select(EventSession)
            .where(EventSession.event_id == event.id)
            .order_by(col(EventSession.code))
        ).all()
        requests = event_days.requests_of(session, user, event)
        outcome = try_outcome(session, user, event)
        context.update(
            pupils=pupils,
            pupil_code={p.id: p.code for p in pupils},
            first_name={p.id: p.first_name for p in pupils},
            sessions=sessions,
            requests=requests,
            programmes=event_days.pupil_programmes(outcome) if outcome else None,
            choices=range(1, min(event.rounds + 2, 6)),
        )
    return render(request, "events/school.html", context)


@router.get("/app/school/events")
def school_events(
    request: Request, session: SessionDep, user: SchoolPage, event: int | None = None
) -> Response:
    """The event days: the school's pupils' choices, the forms to enter them and, once the
    carrousel is published, each pupil's programme."""
    return school_page(request, session, user, event)


@router.post("/app/school/events/{event_id}/requests", dependencies=[Csrf])
def save_choice(
    event_id: int, request: Request, session: SessionDep, user: SchoolPage, form: FormData = Form
) -> Response:
    """One pupil's choices: a new request, or its existing one changed."""
    pupil_id = int(text(form, "pupil_id") or 0)
    chosen = [c for c in (text(form, f"choice_{i}") for i in range(1, 7)) if c]
    count = optional(form, "count")
    distinct = form.get("distinct_sectors") == "on"
    existing = session.exec(
        select(EventRequest).where(
            EventRequest.pupil_id == pupil_id, EventRequest.event_id == event_id
        )
    ).first()
    kind = records.KIND_OF["event_request"]

    def change() -> None:
        if existing is None:
            body: Any = EventRequestCreate.model_validate(
                {"pupil_id": pupil_id, "event_id": event_id, "choices": chosen,
                 "count": count, "distinct_sectors": distinct}
            )  # fmt: skip
            records.create_record(session, kind, user, body)
        else:
            body = EventRequestUpdate.model_validate(
                {"version": existing.version, "choices": chosen, "count": count,
                 "distinct_sectors": distinct}
            )  # fmt: skip
            records.update_record(session, kind, user, existing.id or 0, body)

    errors = attempt(change)
    if errors:
        session.rollback()
        return school_page(request, session, user, event_id, errors)
    return see_other(f"/app/school/events?event={event_id}&saved=choice_saved")


@router.post("/app/school/events/{event_id}/upload", dependencies=[Csrf])
def upload_choices(
    event_id: int,
    request: Request,
    session: SessionDep,
    user: SchoolPage,
    file: Annotated[UploadFile, File()],
) -> Response:
    """A filled-in choices file: what was stored, or every refused row."""
    result: dict[str, Any] = {"file": file.filename, "problems": []}
    try:
        result.update(
            upload_event_requests(session, user, event_id, file.filename or "", file.file, None)
        )
    except ServiceError as error:
        session.rollback()
        t = translator(language_of(request))
        result["problems"] = [
            {"row": p.get("row", ""), "column": p.get("column", ""), "reason": why(p, t)}
            for p in refusal_items(error)
        ]
    return school_page(request, session, user, event_id, result=result)


@router.get("/app/school/events/{event_id}/template.csv")
def choices_template(
    event_id: int, request: Request, session: SessionDep, user: SchoolPage
) -> Response:
    """The choices file to fill in: a row per pupil of the school, choices empty; its headers
    in the page's language (the upload reads both)."""
    event = event_days.get_event(session, user, event_id)
    pupils = session.exec(
        select(Pupil).where(Pupil.school_id == user.school_id).order_by(col(Pupil.code))
    ).all()
    rows = [[p.code, p.first_name, "", "", "", "", ""] for p in pupils]
    return Response(
        spreadsheets.csv_bytes(DUTCH_COLUMNS if language_of(request) == "nl" else COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="keuzes-{event.code}.csv"'},
    )


# --- programmes, for every role in its own scope --------------------------------------------------


@router.get("/app/events/{event_id}/programme")
def programme(
    event_id: int, request: Request, session: SessionDep, user: PageUser, student: str | None = None
) -> Response:
    """The printable programme: per pupil (bureau, school; one pupil with `student`), or a
    company's lists per session and round."""
    if user.role == Role.company:
        student = None  # a company's programme is its lists, never one pupil's
    result, _lines = page_outcome(session, user, event_id, student)
    context: dict[str, Any] = {"result": result, "event": result.event, "student": student}
    if user.role == Role.company:
        context["lists"] = event_days.company_lists(result)
    else:
        programmes = event_days.pupil_programmes(result)
        context["programmes"] = [p for p in programmes if student in (None, p["student"])]
    return render(request, "events/programme.html", context)


@router.get("/app/events/{event_id}/programme.{fmt}")
def programme_file(
    event_id: int,
    fmt: Literal["csv", "ics"],
    request: Request,
    session: SessionDep,
    user: PageUser,
    student: str | None = None,
) -> Response:
    """The programme as a CSV table or an iCalendar file (one pupil's with `student`), in the
    page's language."""
    if user.role == Role.company:
        student = None  # a company's programme is its lists, never one pupil's
    result, lines = page_outcome(session, user, event_id, student)
    if fmt == "ics":
        title = f"Programma {student}" if student else "Programma"
        body = event_calendar(result.event, lines, title)
        return Response(
            body,
            media_type="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="{result.event.code}.ics"'},
        )
    labels = column_labels(language_of(request))
    content, media, name = event_days.programme_file(user, result, fmt, labels)
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
