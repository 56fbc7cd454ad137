"""A company's pages: its capacity (placements, visit slots, guest lessons, teacher internships,
hours per month, contact person), the pupils and classes assigned to it, and its year calendar."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api import version_index
from api.db import saved_id
from api.deps import SessionDep, public_base
from api.locale import words
from api.models import (
    ActivityResponseCreate,
    Company,
    CompanyUpdate,
    JobKind,
    Offer,
    OfferCreate,
    Placement,
    PlacementCreate,
    PlacementUpdate,
    Region,
    ResponseCreate,
    SolutionVersion,
    User,
)
from api.services import answers, company_stops, feeds, records, round_pages
from api.services.errors import Invalid, ServiceError
from api.version_index import unread
from api.web import views
from api.web.actions import problems
from api.web.common import see_other
from api.web.i18n import language_of, translator
from api.web.render import render
from api.web.session import CompanyPage, Csrf
from scheduler.calendar import DAYPART_TIMES
from scheduler.contract.round import ACTIVITY_KINDS, PROFILES
from scheduler.contract.solution import activity_key
from scheduler.validation import InvalidRound, parse_periods

router = APIRouter(include_in_schema=False)

TRACKS = ("bb", "kb", "gl", "tl")
OFFER_KINDS = ACTIVITY_KINDS
OFFER_PREFIX = {"excursion": "EX", "guest_lesson": "GL", "teacher_internship": "DS"}


async def form_data(request: Request) -> FormData:
    return await request.form()


Form = Depends(form_data)


def own_company(session: Session, user: User) -> Company:
    company = session.get(Company, user.company_id)
    assert company is not None  # a company user always has one
    return company


def form_int(form: FormData, field: str) -> int:
    """A whole-number field of a form, 0 when left empty (a version, a round's id)."""
    return int(str(form.get(field) or 0))


def int_or_none(raw: Any) -> int | None:
    """A number field of a form, None when empty. Text that is no number is passed on as it
    is (hence the ignore), so that the model's validation refuses it naming the field."""
    text = str(raw or "").strip()
    return int(text) if text.lstrip("-").isdigit() else (text if text else None)  # type: ignore[return-value]


def free_code(session: Session, table: Any, region_id: int, stem: str) -> str:
    """The first `stem<n>` not yet used in the region (codes are unique per region)."""
    taken = set(session.exec(select(table.code).where(table.region_id == region_id)).all())
    n = 1
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


DATED_DAYPART = re.compile(r"^\d{4}-\d{2}-\d{2}/(am|pm)$")
DATE_PICKERS = 4  # date fields on the offer form; more dayparts go in the text field


def period_dates(session: Session, region_id: int) -> dict[str, tuple[date, date]]:
    """First and last day of each dated period of the region (SPEC section 8), by period id,
    read by the solver's own rules; periods stored before they were checked show no dates."""
    region = session.get(Region, region_id)
    if region is None or not region.periods:
        return {}
    try:
        periods = parse_periods(region.periods, region.calendar or None)
    except InvalidRound:
        return {}
    return {ident: (period.start, period.end) for ident, period in periods.items()}


def picked_dayparts(form: FormData) -> list[str]:
    """The offer form's single dayparts: its date pickers (a date and a daypart each) and the
    text field for more. A value that is no date with a daypart is refused in the page's
    language, before the model's pattern would refuse it in English."""
    picked = []
    for n in range(1, DATE_PICKERS + 1):
        day = str(form.get(f"date_{n}") or "").strip()
        if day:
            picked.append(f"{day}/{form.get(f'part_{n}') or 'am'}")
    typed = str(form.get("dates", "")).replace(",", " ").split()
    for value in [*picked, *typed]:
        if not is_dated_daypart(value):
            raise Invalid(
                f"dates: {value[:40]!r} is not a date with a daypart",
                code="offer.bad_date",
                params={"value": value[:40]},
            )
    return [*picked, *typed]


def is_dated_daypart(value: str) -> bool:
    """`2027-03-11/am`: a day of the calendar (not 2027-02-30) and a daypart."""
    if not DATED_DAYPART.match(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def readable_daypart(value: str, t: Callable[[str], str]) -> str:
    """`tue-pm` as "dinsdag middag", `2027-03-11/am` as "donderdag 11-03-2027 ochtend"."""
    if is_dated_daypart(value):
        day = date.fromisoformat(value[:10])
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
        return f"{t('day.' + weekday)} {day:%d-%m-%Y} {t('part.' + value[11:])}"
    weekday, _, part = value.partition("-")
    return f"{t('day.' + weekday)} {t('part.' + part)}"


def capacity_page(
    request: Request, session: Session, user: User, errors: list[str] | None = None
) -> Response:
    company = own_company(session, user)
    placements = session.exec(
        select(Placement).where(Placement.company_id == company.id).order_by(col(Placement.id))
    ).all()
    offers = session.exec(
        select(Offer).where(Offer.company_id == company.id).order_by(col(Offer.id))
    ).all()
    t = translator(language_of(request))
    context = {
        "company": company,
        "placements": placements,
        "offers": offers,
        "offer_when": {o.id: [readable_daypart(v, t) for v in o.available] for o in offers},
        "periods": views.region_periods(session, user.region_id),
        "period_dates": period_dates(session, user.region_id),
        "date_pickers": DATE_PICKERS,
        "profiles": PROFILES,
        "tracks": TRACKS,
        "kinds": OFFER_KINDS,
        "dayparts": views.WEEKLY_DAYPARTS,
        "errors": errors or [],
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "company/capacity.html", context)


@router.get("/app/company")
def capacity(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """What the company offers, with forms to change it."""
    return capacity_page(request, session, user)


def attempt(
    request: Request, session: Session, user: User, action: Callable[[], Any], saved: str
) -> Response:
    """Run a change; on success back to the page (303), else the page with the problems."""
    try:
        action()
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return capacity_page(request, session, user, problems(error))
    return see_other(f"/app/company?saved={saved}")


@router.post("/app/company/profile", dependencies=[Csrf])
def save_profile(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Contact person, address, hours per month, the most pupils per year and on any one day."""
    company = own_company(session, user)

    def change() -> None:
        body = CompanyUpdate(
            version=form_int(form, "version"),
            contact=str(form.get("contact", "")).strip(),
            address=str(form.get("address", "")).strip() or None,
            hours_per_month=int_or_none(form.get("hours_per_month")),
            max_students=int_or_none(form.get("max_students")),
            max_concurrent=int_or_none(form.get("max_concurrent")),
        )
        records.update_record(session, records.KIND_OF["company"], user, saved_id(company), body)

    return attempt(request, session, user, change, "profile")


def capacity_of(form: FormData, periods: list[str]) -> dict[str, Any]:
    seats = {}
    for period in periods:
        value = int_or_none(form.get(f"cap_{period}"))
        if value is not None:
            seats[period] = value
    return seats


@router.post("/app/company/placements", dependencies=[Csrf])
def add_placement(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """A new placement with its seats per period."""
    company = own_company(session, user)
    periods = views.region_periods(session, user.region_id)

    def change() -> None:
        # Form text goes to the model as typed (hence the ignores): its validation refuses
        # a value outside the vocabulary naming the field.
        body = PlacementCreate(
            code=free_code(session, Placement, user.region_id, f"{company.code}-PL"),
            title=str(form.get("title", "")).strip(),
            capacity={k: v for k, v in capacity_of(form, periods).items() if v},
            profiles=form.getlist("profiles"),  # type: ignore[arg-type]
            tracks=form.getlist("tracks"),  # type: ignore[arg-type]
            min_year=int_or_none(form.get("min_year")) or 0,
        )
        records.create_record(session, records.KIND_OF["placement"], user, body)

    return attempt(request, session, user, change, "placement")


@router.post("/app/company/placements/{placement_id}", dependencies=[Csrf])
def edit_placement(
    placement_id: int,
    request: Request,
    session: SessionDep,
    user: CompanyPage,
    form: FormData = Form,
) -> Response:
    """Change a placement's title and seats per period at the version shown."""
    periods = views.region_periods(session, user.region_id)

    def change() -> None:
        body = PlacementUpdate(
            version=form_int(form, "version"),
            title=str(form.get("title", "")).strip(),
            capacity=capacity_of(form, periods),
        )
        records.update_record(session, records.KIND_OF["placement"], user, placement_id, body)

    return attempt(request, session, user, change, "placement")


@router.post("/app/company/placements/{placement_id}/delete", dependencies=[Csrf])
def delete_placement(
    placement_id: int,
    request: Request,
    session: SessionDep,
    user: CompanyPage,
    form: FormData = Form,
) -> Response:
    def change() -> None:
        version = form_int(form, "version")
        records.delete_record(session, records.KIND_OF["placement"], user, placement_id, version)

    return attempt(request, session, user, change, "deleted")


@router.post("/app/company/offers", dependencies=[Csrf])
def add_offer(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """A visit slot, guest-lesson days or a teacher internship, with when it is available."""
    company = own_company(session, user)

    def change() -> None:
        kind = str(form.get("kind", ""))
        dated = picked_dayparts(form)
        # Form text goes to the model as typed (hence the ignores): its validation refuses
        # a value outside the vocabulary naming the field.
        body = OfferCreate(
            code=free_code(
                session, Offer, user.region_id, f"{company.code}-{OFFER_PREFIX.get(kind, 'O')}"
            ),
            kind=kind,  # type: ignore[arg-type]
            sectors=list(company.sectors),
            profiles=form.getlist("profiles"),  # type: ignore[arg-type]
            available=[*form.getlist("available"), *dated],  # type: ignore[list-item]
            max_group_size=int_or_none(form.get("max_group_size")),
            hours=int_or_none(form.get("hours")),
            max_per_month=int_or_none(form.get("max_per_month")),
        )
        records.create_record(session, records.KIND_OF["offer"], user, body)

    return attempt(request, session, user, change, "offer")


@router.post("/app/company/offers/{offer_id}/delete", dependencies=[Csrf])
def delete_offer(
    offer_id: int, request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    def change() -> None:
        version = form_int(form, "version")
        records.delete_record(session, records.KIND_OF["offer"], user, offer_id, version)

    return attempt(request, session, user, change, "deleted")


# --- what was assigned ----------------------------------------------------------------------


@router.get("/app/company/pupils")
def assigned(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The published pupils and classes of this company, to confirm or decline. The pupils
    come from the version's index (`api.version_index`); the documents are read only for a
    version with activities, or a repair's moves."""
    company = own_company(session, user)
    round_ = round_pages.latest_published_round(session, user.region_id)
    context: dict[str, Any] = {"company": company, "round": None, "pupils": [], "classes": []}
    if round_ is not None and round_.published_version_id is not None:
        version_id = round_.published_version_id
        summary = version_index.summary(session, version_id)
        activities: dict[Any, Any] = {}
        classes: list[dict[str, Any]] = []
        version = session.get(SolutionVersion, version_id, options=unread(
            SolutionVersion.round_document, SolutionVersion.solution))  # fmt: skip
        assert version is not None
        if summary.activities:
            activities = answers.Answers(session, round_, version).activities
            classes = company_classes(version, company.code)
        pupils = round_pages.company_pupils(session, user, version_id, summary, company.code)
        responses = round_pages.standing_pupil_answers(session, saved_id(round_), version_id)
        context.update(
            round=round_,
            pupils=pupils,
            waiting=sum(1 for p in pupils if p.student not in responses),
            responses=responses,
            answers=activities,
            classes=classes,
            error=request.query_params.get("error", ""),
            saved=request.query_params.get("saved", ""),
            moves=company_stops.stop_moves(session, user, saved_id(round_))
            if version.kind == JobKind.repair
            else None,
        )
    return render(request, "company/pupils.html", context)


def company_classes(version: SolutionVersion, company: str) -> list[dict[str, Any]]:
    """The company's planned class and teacher visits, each with its school's name."""
    document = version.round_document
    school_of = {
        r["id"]: r["school"] for r in document.get("classes", []) + document.get("teachers", [])
    }
    school_names = {s["id"]: s.get("name", "") for s in document["schools"]}
    size_of = {c["id"]: c.get("size") for c in document.get("classes", [])}
    return [
        {
            **a,
            "key": activity_key(a),
            "school": school_names.get(school_of.get(a["requester"], ""), ""),
            "time": "–".join(f"{t:%H:%M}" for t in DAYPART_TIMES[a["daypart"]]),
            "size": size_of.get(a["requester"]),
        }
        for a in version.document.get("activities", [])
        if a["company"] == company
    ]


def answered(request: Request, session: Session, respond: Callable[[], str]) -> Response:
    """Run a confirm or decline through the answers service and show the outcome (the
    `saved.*` message `respond` names) on the page: a refusal (not yours, not published, a bad
    value) changes nothing."""
    try:
        status = respond()
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(f"/app/company/pupils?error={quote('; '.join(problems(error))[:300])}")
    return see_other(f"/app/company/pupils?saved={status}")


@router.post("/app/company/pupils/respond", dependencies=[Csrf])
def respond(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Confirm or decline one pupil; a decline sets off the bureau's repair."""

    def send() -> str:
        # Form text goes to the model as typed (hence the ignores): its validation refuses
        # a value outside the vocabulary naming the field.
        body = ResponseCreate(
            student=str(form.get("student", "")),
            status=str(form.get("status", "")),  # type: ignore[arg-type]
            reason=str(form.get("reason", "")).strip(),
        )
        state = request.app.state
        round_id = form_int(form, "round_id")
        answers.answer_pupil(session, user, round_id, body, state.settings, state.runner)
        return body.status

    return answered(request, session, send)


@router.post("/app/company/pupils/confirm-all", dependencies=[Csrf])
def confirm_all(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """ "Bevestig alles": every pupil not answered yet confirmed at once."""

    def send() -> str:
        answers.confirm_all_pupils(session, user, form_int(form, "round_id"))
        return "confirmed_all"

    return answered(request, session, send)


@router.post("/app/company/activities/respond", dependencies=[Csrf])
def respond_to_activity(
    request: Request, session: SessionDep, user: CompanyPage, form: FormData = Form
) -> Response:
    """Confirm or decline one class or teacher visit; a decline sets off the bureau's repair."""

    def send() -> str:
        # Form text goes to the model as typed (hence the ignores): its validation refuses
        # a value outside the vocabulary naming the field.
        body = ActivityResponseCreate(
            requester=str(form.get("requester", "")),
            offer=str(form.get("offer", "")),
            date=str(form.get("date", "")),
            daypart=str(form.get("daypart", "")),  # type: ignore[arg-type]
            status=str(form.get("status", "")),  # type: ignore[arg-type]
            reason=str(form.get("reason", "")).strip(),
        )
        state = request.app.state
        round_id = form_int(form, "round_id")
        answers.answer_activity(session, user, round_id, body, state.settings, state.runner)
        return "visit_declined" if body.status == "declined" else body.status

    return answered(request, session, send)


# --- the year calendar -------------------------------------------------------------------------


def calendar_context(request: Request, session: Session, user: User) -> dict[str, Any]:
    """The year: dated activities per month and the pupils per placement period."""
    company = own_company(session, user)
    published = views.latest_published(session, user.region_id)
    context: dict[str, Any] = {
        "company": company,
        "round": None,
        "months": [],
        "periods": [],
        "feed_url": "",
    }
    if published is not None:
        round_, version = published
        mine = [a for a in version.document.get("activities", []) if a["company"] == company.code]
        lang = language_of(request)
        per_period: dict[str, int] = {}
        for a in version.document["assignments"]:
            if a["company"] == company.code:
                per_period[a["period"]] = per_period.get(a["period"], 0) + 1
        context.update(
            round=round_,
            months=[
                (views.month_label(month, lang), items)
                for month, items in views.activities_by_month(mine)
            ],
            periods=sorted(per_period.items()),
        )
    return context


@router.get("/app/company/calendar")
def calendar(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The company's year calendar, to read, download or subscribe to."""
    return render(request, "company/calendar.html", calendar_context(request, session, user))


@router.post("/app/company/calendar/subscribe", dependencies=[Csrf])
def subscribe(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """A private calendar address to add to Outlook or Google (shown once, stored hashed)."""
    company = own_company(session, user)
    feed = feeds.create_feed(
        session,
        user,
        public_base(request),
        feeds.FeedCreate(kind="company", party_id=saved_id(company)),
    )
    context = {**calendar_context(request, session, user), "feed_url": feed.url}
    return render(request, "company/calendar.html", context)


@router.post("/app/company/calendar/unsubscribe", dependencies=[Csrf])
def unsubscribe(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """Stop every calendar address given out so far: a lost one stops working, and a new one
    can be asked for with the subscribe button."""
    company = own_company(session, user)
    feeds.revoke_party_feeds(session, user, "company", saved_id(company))
    context = {**calendar_context(request, session, user), "feeds_revoked": True}
    return render(request, "company/calendar.html", context)


@router.get("/app/company/calendar.ics")
def calendar_file(request: Request, session: SessionDep, user: CompanyPage) -> Response:
    """The iCalendar file of the latest published round, in the page's language."""
    company = own_company(session, user)
    published = views.latest_published(session, user.region_id)
    if published is None:
        body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//stagebureau//NL\r\nEND:VCALENDAR\r\n"
    else:
        lang = language_of(request)
        body = feeds.render_calendar(session, published[1], "company", company.code, words(lang))
    return Response(
        body,
        media_type="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{company.code}.ics"'},
    )
