"""The bureau's pages: rounds and their dashboard (coverage per school, company load against
budget, the unplaced with reasons, pin / re-solve / publish with a live progress bar, the
difference between versions), the menu of what companies offer, and a map of the region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api import version_index
from api.db import saved_id
from api.deps import SessionDep
from api.models import (
    Company,
    Job,
    JobKind,
    PinCreate,
    Placement,
    Region,
    ResponseCreate,
    ResponseStatus,
    Round,
    RoundStatus,
    School,
    SolutionVersion,
    User,
    VersionPupil,
    utcnow,
)
from api.school_labels import school_label
from api.services import (
    answers,
    declines,
    pins,
    round_pages,
    rounds,
    solves,
    timetable_imports,
)
from api.services.errors import Invalid, ServiceError
from api.version_index import unread
from api.web import dashboard as dashboard_sections
from api.web import round_page, views
from api.web.actions import problems
from api.web.catalogue import catalogue
from api.web.common import see_other
from api.web.render import render
from api.web.session import BureauPage, Csrf

router = APIRouter(include_in_schema=False)

# The Dutch government's background map (Kadaster BRT-Achtergrondkaart via PDOK, free, no key).
PDOK_TILES = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTION = "Kaartgegevens © Kadaster"
DIFF_ROWS = 500  # changed pupils a diff page lists
MAP_LINKS = 400  # the heaviest school-company links a round's map draws
MAP_COMPANIES = 600  # the companies a region's map draws, most placements first


async def form_data(request: Request) -> FormData:
    return await request.form()


Form = Depends(form_data)


def with_message(url: str, *, error: str = "", done: str = "") -> str:
    if error:
        return f"{url}?error={quote(error[:300])}"
    return f"{url}?done={quote(done)}" if done else url


@router.get("/app/bureau")
def round_list(request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The region's rounds, newest first, and a form to open the next one. A round's size comes
    from its newest version's index: its frozen document is read only while it is a draft."""
    rows = session.exec(
        select(Round)
        .where(Round.region_id == user.region_id)
        .options(*unread(Round.document))
        .order_by(col(Round.id).desc())
    ).all()
    region = session.get(Region, user.region_id)

    def header(round_: Round) -> dict[str, Any]:
        newest = max(filter(None, (round_.proposal_version_id, round_.published_version_id)),
                     default=None)  # fmt: skip
        found = version_index.summary(session, newest) if newest is not None else None
        return round_pages.round_header(round_, found)

    context = {
        "rounds": [header(r) for r in rows],
        "region": region,
        "errors": [request.query_params["error"]] if "error" in request.query_params else [],
    }
    return render(request, "bureau/rounds.html", context)


@router.post("/app/bureau/rounds", dependencies=[Csrf])
def open_round(
    request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Freeze the region's current data into a new draft round."""
    region = session.get(Region, user.region_id)
    assert region is not None
    name = str(form.get("name", "")).strip() or region.name
    try:
        round_ = rounds.open_round(session, region, name[:200], user)
    except ServiceError as error:
        session.rollback()
        return see_other(with_message("/app/bureau", error="; ".join(problems(error))))
    return see_other(f"/app/bureau/rounds/{round_.id}")


def version_of(session: Session, version_id: int | None) -> SolutionVersion | None:
    return session.get(SolutionVersion, version_id) if version_id else None


def waiting_answers(session: Session, user: User, round_: Round) -> dict[str, Any]:
    """The dashboard's `waiting` (what the companies have not answered of the publication,
    a page of it) and `declined` (what they declined). A publication without activities is
    read from its index; one with activities through the answers service."""
    version_id = round_.published_version_id
    if version_id is None:
        return {"waiting": None, "declined": 0}
    today = utcnow().date()
    if not version_index.summary(session, version_id).activities:
        waiting = round_pages.waiting_pupils(session, round_, version_id, today)
        return {"waiting": waiting, "declined": waiting["declined"]}
    found = answers.waiting_answers(session, user, saved_id(round_), today)
    waiting = {**found.model_dump(), "total": len(found.items), "items": found.items[:200]}
    return {"waiting": waiting, "declined": declined_count(session, round_)}


def declined_count(session: Session, round_: Round) -> int:
    """Pupils and activities the companies declined in the published version."""
    published = version_of(session, round_.published_version_id)
    return 0 if published is None else answers.Answers(session, round_, published).declined


@router.get("/app/bureau/rounds/{round_id}")
def dashboard(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """One round: where it stands, what the current proposal gives, and what to do next. Its
    lists show one page each (`api.web.round_page` serves the others): at region size the
    proposal is read from its index, never whole."""
    round_ = round_pages.light_round(session, user, round_id)
    proposal_id, published_id = round_.proposal_version_id, round_.published_version_id
    summary = version_index.summary(session, proposal_id) if proposal_id else None
    job = solves.active_job(session, round_id)
    last_job = session.exec(  # the advice says how it ended in its own section
        select(Job)
        .where(Job.round_id == round_id, Job.kind != JobKind.advice)
        .order_by(col(Job.id).desc())
    ).first()
    versions = round_pages.version_rows(session, round_id)
    by_id = {v["id"]: v for v in versions}
    proposal, published = by_id.get(proposal_id), by_id.get(published_id)
    context: dict[str, Any] = {
        "round": round_pages.round_header(round_, summary),
        "job": job,
        "percent": views.job_percent(job) if job else 0,
        "seconds": views.job_seconds(job, utcnow()) if job else 0.0,
        "last_job": last_job,
        "proposal": proposal,
        "published": published,
        "versions": versions,
        "numbers": {v["id"]: v["number"] for v in versions},
        "pins": pins.round_pins(session, round_id),
        **waiting_answers(session, user, round_),
        "standing_declines": declines.list_declines(session, user),
        "default_deadline": rounds.default_deadline(request.app.state.settings, utcnow().date()),
        "can_publish": proposal is not None
        and (published is None or proposal["id"] > published["id"])
        and job is None,
        "coverage": [],
        "error": request.query_params.get("error", ""),
        "done": request.query_params.get("done", ""),
        # Only a version with activities can clash with a timetable (and reading one costs).
        "timetable_clashes": timetable_imports.round_clashes(session, user, round_id)
        if summary is not None and summary.activities
        else [],
    }
    if summary is not None:
        first = round_pages.PupilFilters()
        context.update(
            coverage=summary.coverage,
            unplaced=round_page.pupil_list(session, user, round_id, summary, False, first),
            placed=round_page.pupil_list(session, user, round_id, summary, True, first),
            companies=round_page.company_list(round_id, summary, 1),
        )
        context.update(dashboard_sections.sections(request, session, user, round_, summary))
    return render(request, "bureau/dashboard.html", context)


def round_action(
    request: Request, session: Session, round_id: int, action: Callable[[], Any], done: str
) -> Response:
    """Run a round service; back to the dashboard with what happened (a refusal changes
    nothing)."""
    url = f"/app/bureau/rounds/{round_id}"
    try:
        action()
    except (ServiceError, ValidationError) as error:
        session.rollback()
        return see_other(with_message(url, error="; ".join(problems(error))))
    return see_other(with_message(url, done=done))


@router.post("/app/bureau/rounds/{round_id}/solve", dependencies=[Csrf])
def solve(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Start a fresh solve in the background."""
    state = request.app.state
    return round_action(
        request,
        session,
        round_id,
        lambda: solves.solve(session, user, round_id, state.settings, state.runner),
        "solve",
    )


@router.post("/app/bureau/rounds/{round_id}/resolve", dependencies=[Csrf])
def resolve(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Re-solve: the pins stay, the rest moves as little as possible."""
    state = request.app.state
    return round_action(
        request,
        session,
        round_id,
        lambda: solves.resolve(session, user, round_id, state.settings, state.runner),
        "resolve",
    )


@router.post("/app/bureau/rounds/{round_id}/repair", dependencies=[Csrf])
def repair(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Re-place the pupils companies declined."""
    state = request.app.state
    return round_action(
        request,
        session,
        round_id,
        lambda: answers.repair(session, user, round_id, state.settings, state.runner),
        "repair",
    )


@router.post("/app/bureau/rounds/{round_id}/repair-timetables", dependencies=[Csrf])
def repair_timetables(
    round_id: int, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """Plan anew the activities the schools' imported timetables no longer allow."""
    state = request.app.state
    return round_action(
        request,
        session,
        round_id,
        lambda: timetable_imports.repair_clashes(
            session, user, round_id, state.settings, state.runner
        ),
        "repair",
    )


@router.post("/app/bureau/rounds/{round_id}/publish", dependencies=[Csrf])
def publish(
    round_id: int, request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Publish the current proposal: schools and companies see it from now on, and the
    companies answer by the deadline the form names."""

    def publish_proposal() -> None:
        given = str(form.get("answer_deadline") or "")
        today = utcnow().date()
        try:
            deadline = date.fromisoformat(given) if given else None
        except ValueError:
            raise Invalid(
                f"{given!r} is not a date",
                code="publish.bad_deadline",
                params={"value": given[:40]},
            ) from None
        if form.get("confirm") != "yes":
            raise Invalid("confirm which proposal you publish", code="publish.unconfirmed")
        reviewed = str(form.get("proposal") or "")
        rounds.publish(
            session,
            rounds.get_round(session, user, round_id),
            user,
            deadline or rounds.default_deadline(request.app.state.settings, today),
            int(reviewed) if reviewed.isdigit() else None,
        )

    return round_action(request, session, round_id, publish_proposal, "publish")


@router.post("/app/bureau/rounds/{round_id}/answers", dependencies=[Csrf])
def answer_for_company(
    round_id: int, request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Confirm or decline a pupil on its company's behalf (the company said so by phone)."""
    state = request.app.state

    def answer() -> None:
        body = ResponseCreate(student=str(form.get("student", "")),
                              status=ResponseStatus(str(form.get("status", ""))))  # fmt: skip
        answers.answer_pupil(session, user, round_id, body, state.settings, state.runner)

    return round_action(request, session, round_id, answer, "answer")


@router.post("/app/bureau/declines/{decline_id}/lift", dependencies=[Csrf])
def lift(
    decline_id: int, request: Request, session: SessionDep, user: BureauPage, round_id: int = 0
) -> Response:
    """Lift a standing decline: the next solve may place the pupil at that company again."""
    return round_action(
        request, session, round_id, lambda: declines.lift_decline(session, user, decline_id), "lift"
    )


@router.post("/app/bureau/rounds/{round_id}/pins", dependencies=[Csrf])
def add_pin(
    round_id: int, request: Request, session: SessionDep, user: BureauPage, form: FormData = Form
) -> Response:
    """Pin a pupil to a placement and period for the next re-solve."""

    def pin() -> None:
        placement, _, period = str(form.get("slot", "")).partition("|")
        body = PinCreate(student=str(form.get("student", "")), placement=placement, period=period)
        pins.create_pin(session, user, round_id, body)

    return round_action(request, session, round_id, pin, "pin")


@router.post("/app/bureau/rounds/{round_id}/pins/{pin_id}/delete", dependencies=[Csrf])
def remove_pin(
    round_id: int, pin_id: int, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    return round_action(
        request,
        session,
        round_id,
        lambda: pins.delete_pin(session, user, round_id, pin_id),
        "unpin",
    )


@router.get("/app/bureau/jobs/{job_id}/progress")
def progress(job_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """The progress bar of a running solve (htmx polls it); when the job ends, the dashboard."""
    job = solves.read_job(session, user, job_id)
    dashboard_url = f"/app/bureau/rounds/{job.round_id}"
    advising = job.kind == JobKind.advice
    if job.status not in ("queued", "running"):
        done = ("advice_" if advising else "job_") + str(job.status)
        url = with_message(dashboard_url, done=done) + ("#h-advice" if advising else "")
        if request.headers.get("hx-request"):
            return Response(status_code=200, headers={"HX-Redirect": url})
        return see_other(url)
    if advising:  # the advice section's own line (`api.web.dashboard.advice_state`)
        context = {"advice_job": job, "advice_phase": dashboard_sections.advice_phase(job),
                   "advice_seconds": views.job_seconds(job, utcnow())}  # fmt: skip
        return render(request, "bureau/_advice_progress.html", context)
    context = {
        "job": job,
        "percent": views.job_percent(job),
        "seconds": views.job_seconds(job, utcnow()),
    }
    return render(request, "bureau/_progress.html", context)


@router.post("/app/bureau/jobs/{job_id}/cancel", dependencies=[Csrf])
def cancel(job_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    job = solves.read_job(session, user, job_id)
    round_id = job.round_id
    return round_action(
        request,
        session,
        round_id,
        lambda: solves.cancel_job(session, user, job_id, request.app.state.runner),
        "cancel",
    )


@router.get("/app/bureau/rounds/{round_id}/diff")
def diff(
    round_id: int,
    request: Request,
    session: SessionDep,
    user: BureauPage,
    before: int | None = None,
    after: int | None = None,
) -> Response:
    """What changed between two versions of a round: pupil by pupil, visit by visit. The pupils
    come from the versions' indexes and the visits from their solutions' activities alone (a
    region's version is megabytes); a page lists the first `DIFF_ROWS` changed pupils with
    their total."""
    round_ = round_pages.light_round(session, user, round_id)
    versions = round_pages.version_rows(session, round_id)
    by_id = {v["id"]: v for v in versions}
    newer = by_id.get(after) if after else (versions[-1] if versions else None)
    older = by_id.get(before) if before else None
    changes: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    if newer is not None:
        now = round_pages.version_activities(session, newer["id"])
        # Unless asked, the newest earlier version that differs (a publication copies its
        # proposal).
        earlier = [older] if older else [v for v in versions if v["number"] < newer["number"]]
        for candidate in reversed(earlier):
            changes = round_pages.pupil_changes(session, candidate["id"], newer["id"])
            was = round_pages.version_activities(session, candidate["id"])
            visits = views.activity_diff(was, now)
            if changes or visits or older:
                older = candidate
                break
    context = {
        "round": round_,
        "versions": versions,
        "before": older,
        "after": newer,
        "changes": changes[:DIFF_ROWS],
        "changed": len(changes),
        "visits": visits,
    }
    return render(request, "bureau/diff.html", context)


# --- the menu and the map ------------------------------------------------------------------------


@router.get("/app/bureau/menu")
def menu(
    request: Request,
    session: SessionDep,
    user: BureauPage,
    sector: str = "",
    profile: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    """The menu: the companies with their placements and activity offers, filterable, a page
    at a time."""
    context = catalogue(session, user.region_id, sector, profile, page=page, search=q)
    return render(request, "bureau/menu.html", context)


@router.get("/app/bureau/map")
def region_map(
    request: Request, session: SessionDep, user: BureauPage, round_id: int | None = None
) -> Response:
    """Schools, companies and (for a round) who goes where: on the Kadaster's background map
    (PDOK BRT) when the browser runs the map's script and reaches the tiles, else as an SVG
    outline drawn here. A round's links come from its proposal's index; a region has thousands
    of companies and links, so the map draws the `MAP_LINKS` heaviest links and at most
    `MAP_COMPANIES` companies (a round's: those of the links drawn; else those with the most
    placements), and says how many it left out."""
    round_ = round_pages.light_round(session, user, round_id) if round_id else None
    version_id = round_.proposal_version_id if round_ is not None else None
    schools = session.exec(select(School).where(School.region_id == user.region_id)).all()
    companies = session.exec(
        select(Company.code, Company.name, Company.lat, Company.lon).where(
            Company.region_id == user.region_id
        )
    ).all()
    pairs: dict[tuple[str, str], int] = {}
    if version_id is not None:
        found = session.exec(
            select(VersionPupil.school, VersionPupil.company, func.count())
            .where(VersionPupil.version_id == version_id, col(VersionPupil.placed))
            .group_by(col(VersionPupil.school), col(VersionPupil.company))
        ).all()
        pairs = {(school, company): n for school, company, n in found}
        heaviest = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))[:MAP_LINKS]
        drawn = {company for (_, company), _ in heaviest}
        shown = [c for c in companies if c[0] in drawn]
        links_drawn = dict(heaviest)
    else:
        placements = dict(
            session.exec(
                select(Company.code, func.count(col(Placement.id)))
                .join(Placement, col(Placement.company_id) == col(Company.id))
                .where(Company.region_id == user.region_id)
                .group_by(col(Company.code))
            ).all()
        )
        shown = sorted(companies, key=lambda c: (-placements.get(c[0], 0), c[0]))[:MAP_COMPANIES]
        links_drawn = {}
    drawing = views.project_map(
        labelled_schools(
            [{"id": s.code, "name": s.name, "lat": s.lat, "lon": s.lon} for s in schools]
        ),
        [{"id": code, "name": name, "lat": lat, "lon": lon} for code, name, lat, lon in shown],
        links_drawn,
    )
    rows = session.exec(
        select(Round)
        .where(Round.region_id == user.region_id, Round.status != RoundStatus.draft)
        .options(*unread(Round.document))
        .order_by(col(Round.id).desc())
    ).all()
    context = {
        "map": drawing,
        "round": round_,
        "rounds": rows,
        "map_data": map_data(drawing),
        "left_out": {"companies": len(companies) - len(shown), "all_companies": len(companies),
                     "links": len(pairs) - len(links_drawn), "all_links": len(pairs)},
    }  # fmt: skip
    return render(request, "bureau/map.html", context)


def labelled_schools(schools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Schools with place and BRIN, those at one address moved apart (`views.spread`)."""
    return views.spread([{**s, **school_label(s), "id": s["id"]} for s in schools])


def map_data(drawing: dict[str, Any]) -> dict[str, Any]:
    """What the Leaflet map draws (`/static/region_map.js`): the same points and lines as the
    outline drawing, in degrees."""
    schools = {s["id"]: s for s in drawing["schools"]}
    companies = {c["id"]: c for c in drawing["companies"]}
    return {
        "tiles": PDOK_TILES,
        "attribution": PDOK_ATTRIBUTION,
        "schools": [
            {"lat": s["lat"], "lon": s["lon"], "label": school_text(s)} for s in drawing["schools"]
        ],
        "companies": [
            {"lat": c["lat"], "lon": c["lon"], "label": c["name"]} for c in drawing["companies"]
        ],
        "links": [
            {
                "from": [schools[link["school"]]["lat"], schools[link["school"]]["lon"]],
                "to": [companies[link["company"]]["lat"], companies[link["company"]]["lon"]],
                "pupils": link["pupils"],
                "weight": link["width"],
            }
            for link in drawing["links"]
        ],
    }


def school_text(school: dict[str, Any]) -> str:
    """A school as the map labels it: name, place and BRIN code."""
    text = school["name"] + (f", {school['place']}" if school.get("place") else "")
    return text + (f" (BRIN {school['brin']})" if school.get("brin") else "")
