"""The round page's dashboard sections: activities planned, not planned and declined,
cofinancing against the region's target, the one-more-seat advice, charts with their tables,
and the downloads of the round.

Everything but the companies' declines and the cofinancing's value comes from the version's
dashboard (`api.dashboard_index`), counted once. The advice needs a placement solve, so it is
counted when the bureau asks for it (a button), then kept with the version.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from api import dashboard_index, seat_advice, version_index
from api.db import saved_id
from api.deps import SessionDep
from api.locale import words
from api.models import (
    ACTIVE_JOB_STATUSES,
    ActivityResponse,
    Company,
    Job,
    JobStatus,
    Region,
    ResponseStatus,
    Round,
    School,
    SolutionVersion,
    User,
    VersionDashboard,
    VersionPupil,
    VersionSummary,
    utcnow,
)
from api.services import advice, cofinancing, exports, feeds, round_pages
from api.services.errors import ServiceError
from api.settings import Settings
from api.web.actions import problems
from api.web.common import see_other
from api.web.i18n import column_labels, language_of, translator
from api.web.render import render
from api.web.session import BureauPage, Csrf
from api.web.stories import said_text
from api.web.views import job_seconds

router = APIRouter(include_in_schema=False)

TOP_LOAD = 15  # companies in the load chart
# The words of each phase of a running advice (`api.seat_advice.PHASES`).
ADVICE_PHASE_WORDS = dict(
    zip(seat_advice.PHASES, ("advice.reading", "advice.counting"), strict=True)
)
FORMATS = ("csv", "xlsx", "ics")


def declined_activities(session: Session, round_: Round, kinds: dict[str, str]) -> Counter[str]:
    """Activities of the published version whose company's newest answer is a decline, per
    kind: what the companies turned down after publication."""
    if round_.published_version_id is None:
        return Counter()
    answers = session.exec(
        select(ActivityResponse)
        .where(
            ActivityResponse.round_id == round_.id,
            ActivityResponse.version_id == round_.published_version_id,
        )
        .order_by(col(ActivityResponse.id))
    ).all()
    newest = {(a.requester, a.offer, a.date, a.daypart): (a.offer, a.status) for a in answers}
    return Counter(
        kinds.get(offer, "")
        for offer, status in newest.values()
        if status == ResponseStatus.declined
    )


def activity_rows(
    session: Session, round_: Round, dashboard: VersionDashboard
) -> list[dict[str, Any]]:
    declined = declined_activities(session, round_, dashboard.offer_kinds)
    return [
        {"kind": kind, **counts, "declined": declined[kind]}
        for kind, counts in dashboard.activities.items()
    ]


def advice_rows(advice: dict[str, Any] | None, companies: dict[str, str]) -> list[dict[str, Any]]:
    """The stored seat gains with their company's name, for the plain-language sentences."""
    if not advice:
        return []
    return [
        {**g, "company_name": companies.get(g["company"], g["company"])} for g in advice["seats"]
    ]


def number(value: float, lang: str) -> str:
    """A whole number with thousands grouped as the language writes them (1.234 / 1,234)."""
    grouped = f"{round(value):,}"
    return grouped.replace(",", ".") if lang == "nl" else grouped


def money(value: float, lang: str) -> str:
    return f"€ {number(value, lang)}" if lang == "nl" else f"EUR {number(value, lang)}"


def cofinancing_words(valued: dict[str, Any], lang: str) -> dict[str, str]:
    """The cofinancing figures as the sentence of `db.cofinancing_text` writes them."""
    return {
        "hours": number(valued["total_hours"], lang),
        "rate": money(valued["hourly_rate_eur"], lang),
        "value": money(valued["value_eur"], lang),
        "share": f"{round(100 * valued['target_share'])}%",
        "budget": money(valued["plan_budget_eur"], lang),
        "target": money(valued["target_eur"], lang),
        "percent": f"{valued['reached_percent']}%",
        "amount": money(valued["shortfall_eur"], lang),
    }


def reasons_of(summary: VersionSummary) -> Counter[str]:
    """Unplaced pupils per reason over all schools."""
    reasons: Counter[str] = Counter()
    for school in summary.coverage:
        reasons.update(school["reasons"])
    return reasons


def charts(
    summary: VersionSummary, dashboard: VersionDashboard, valued: dict[str, Any], t: Any
) -> dict[str, Any]:
    """The data of the page's charts (drawn by `/static/dashboard_charts.js`); each chart's
    numbers are also on the page as a table."""
    reasons = reasons_of(summary)
    load = summary.load[:TOP_LOAD]
    kinds = [k for k in dashboard_index.ACTIVITY_KINDS if any(k in m[1] for m in dashboard.months)]
    return {
        "share": {
            "labels": [s["name"] for s in summary.coverage],
            "values": [s["share"] for s in summary.coverage],
            "label": t("dash.share"),
        },
        "reasons": {
            "labels": [t("reason_short." + r) for r in sorted(reasons)],
            "values": [reasons[r] for r in sorted(reasons)],
            "label": t("results.unplaced"),
        },
        "load": {
            "labels": [r["name"] for r in load],
            "values": [r["load"] for r in load],
            "label": t("db.load_percent"),
        },
        "months": {
            "labels": [m[0] for m in dashboard.months],
            "series": [
                {"label": t("kind." + k), "values": [m[1].get(k, 0) for m in dashboard.months]}
                for k in kinds
            ],
        },
        "cofinancing": {
            "labels": [t("db.cofinanced"), t("db.target")],
            "values": [valued["value_eur"], valued["target_eur"]],
            "label": "EUR",
        },
    }


def sections(
    request: Request, session: Session, user: User, round_: Round, summary: VersionSummary
) -> dict[str, Any]:
    """The dashboard's part of the round page's context."""
    settings: Settings = request.app.state.settings
    lang = language_of(request)
    t = translator(lang)
    dashboard = dashboard_index.read(session, summary.version_id)
    region = session.get(Region, user.region_id)
    assert region is not None
    valued = cofinancing.valued(
        dashboard.cofinancing["hours"],
        region,
        settings.cofinancing_hourly_rate,
        settings.cofinancing_target_share,
    )
    labels = {s["code"]: s for s in dashboard.schools}
    coverage = [{**s, **labels.get(s["code"], {})} for s in summary.coverage]
    companies = dict(summary.facets.get("companies", []))
    return {
        "coverage": coverage,
        "activity_rows": activity_rows(session, round_, dashboard),
        "shortfalls": dashboard.unplanned or [],
        "cofinancing": {**valued, "companies": dashboard.cofinancing["companies"]},
        "cofinancing_words": cofinancing_words(valued, lang),
        "advice": advice_rows(dashboard.advice, companies),
        "advice_asked": dashboard.advice is not None,
        "advice_relaxed": bool(dashboard.advice and dashboard.advice.get("relaxed")),
        **advice_state(session, round_, summary.version_id),
        "months": dashboard.months,
        "month_kinds": sorted({k for _, hours in dashboard.months for k in hours}),
        "load_top": summary.load[:TOP_LOAD],
        "reason_totals": sorted(
            sum((Counter(s["reasons"]) for s in summary.coverage), Counter()).items()
        ),
        "charts": charts(summary, dashboard, valued, t),
        "downloads": downloads(session, user, round_, dashboard),
    }


def download_version(session: Session, round_: Round) -> SolutionVersion | None:
    """What the downloads hold: the published version, else the current proposal."""
    wanted = round_.published_version_id or round_.proposal_version_id
    return session.get(SolutionVersion, wanted) if wanted else None


def no_version(request: Request) -> Response:
    """A download or advice asked of a round without a proposal: nothing to read yet."""
    message = translator(language_of(request))("rp.no_proposal")
    return render(request, "error.html", {"message": message}, 409)


def downloads(
    session: Session, user: User, round_: Round, dashboard: VersionDashboard
) -> dict[str, Any]:
    """The round's downloads: one link per school and format; companies are many at region
    size, so one is chosen by its code in a form."""
    labels = {s["code"]: s for s in dashboard.schools}
    schools = session.exec(
        select(School.code).where(School.region_id == user.region_id).order_by(col(School.code))
    ).all()
    number = "published" if round_.published_version_id else "proposal"
    return {
        "url": f"/app/bureau/rounds/{round_.id}/downloads",
        "which": number,
        "schools": [labels.get(code, {"code": code, "name": code}) for code in schools],
    }


def download(body: bytes, media: str, name: str) -> Response:
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def refused(request: Request, key: str, value: str, status: int) -> Response:
    """A download that names a record or format the round does not have: the field and the
    value given, nothing changed."""
    t = translator(language_of(request))
    return render(request, "error.html", {"message": f"{t(key)}: {value[:60]}"}, status)


@router.get("/app/bureau/rounds/{round_id}/downloads/{document}.json")
def download_document(
    round_id: int, document: str, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """The SPEC round or solution document of the version the downloads hold."""
    round_ = round_pages.light_round(session, user, round_id)
    if document not in ("round", "solution"):
        return refused(request, "db.bad_document", document, 404)
    version = download_version(session, round_)
    if version is None:
        return no_version(request)
    content = version.round_document if document == "round" else version.solution
    return download(json.dumps(content).encode(), "application/json", f"{document}.json")


@router.get("/app/bureau/rounds/{round_id}/downloads/cofinancing.csv")
def download_cofinancing(
    round_id: int, request: Request, session: SessionDep, user: BureauPage
) -> Response:
    """Each company's in-kind hours per kind and their value (the API's cofinancing report)."""
    round_ = round_pages.light_round(session, user, round_id)
    version = download_version(session, round_)
    if version is None:
        return no_version(request)
    region = session.get(Region, user.region_id)
    assert region is not None
    settings: Settings = request.app.state.settings
    report = cofinancing.report(session, region, version, settings.cofinancing_hourly_rate,
                                settings.cofinancing_target_share)  # fmt: skip
    rows = [{"company": c["company"], "name": c["name"],
             **{f"hours_{kind}": hours for kind, hours in c["hours"].items()},
             "total_hours": c["total_hours"], "value_eur": c["value_eur"]}
            for c in report["companies"]]  # fmt: skip
    hours = [f"hours_{kind}" for kind in cofinancing.KINDS]
    columns = ["company", "name", *hours, "total_hours", "value_eur"]
    label = column_labels(language_of(request))
    body, media = exports.table_bytes(rows, columns, "csv", "cofinancing", label)
    return download(body, media, "cofinancing.csv")


@router.get("/app/bureau/rounds/{round_id}/downloads/{party}")
def download_party(
    round_id: int,
    party: str,
    request: Request,
    session: SessionDep,
    user: BureauPage,
    code: str = "",
    fmt: str = "csv",
) -> Response:
    """One school's or company's list (CSV, XLSX) or year calendar (ICS), by its code."""
    round_ = round_pages.light_round(session, user, round_id)
    if party not in ("school", "company"):
        return refused(request, "db.bad_party", party, 404)
    if fmt not in FORMATS:
        return refused(request, "db.bad_format", fmt, 422)
    code = code.strip()
    found: School | Company | None = (
        session.exec(select(School).where(School.region_id == user.region_id, School.code == code))
        if party == "school"
        else session.exec(
            select(Company).where(Company.region_id == user.region_id, Company.code == code)
        )
    ).first()
    if found is None:
        return refused(request, f"db.unknown_{party}", code, 404)
    version = download_version(session, round_)
    if version is None:
        return no_version(request)
    name = f"{party}-{found.code}.{fmt}"
    lang = language_of(request)
    if fmt == "ics":
        ics = feeds.render_calendar(session, version, party, found.code, words(lang))
        return download(ics, "text/calendar", name)
    if isinstance(found, School):
        rows = in_words(
            session, version, exports.school_rows(session, round_, version, found), lang
        )
        columns = exports.SCHOOL_COLUMNS
    else:
        rows, columns = exports.company_rows(session, version, found), exports.COMPANY_COLUMNS
    table_fmt: exports.Format = "csv" if fmt == "csv" else "xlsx"
    body, media = exports.table_bytes(rows, columns, table_fmt, name, column_labels(lang))
    return download(body, media, name)


def in_words(
    session: Session, version: SolutionVersion, rows: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """A school's rows as its pages say them: the reason in words, the detail from the version
    index's structured one (`VersionPupil.said`), never the document's English; a declined
    pupil's detail is the name of the company that declined."""
    t = translator(lang)
    text = said_text(t)
    version_index.summary(session, saved_id(version))  # indexed at its first use
    unplaced = [r["student"] for r in rows if r.get("reason") and r["reason"] != "DECLINED"]
    stored = dict(
        session.exec(
            select(VersionPupil.student, VersionPupil.said).where(
                VersionPupil.version_id == version.id, col(VersionPupil.student).in_(unplaced)
            )
        ).all()
    )
    said = []
    for row in rows:
        code = row.get("reason")
        if code:
            detail = row["detail"] if code == "DECLINED" else text(stored.get(row["student"]))
            row = {**row, "reason": t(f"reason.{code}"), "detail": detail}
        said.append(row)
    return said


@router.post("/app/bureau/rounds/{round_id}/advice", dependencies=[Csrf])
def advise(round_id: int, request: Request, session: SessionDep, user: BureauPage) -> Response:
    """Queue the count of where one more seat would help most (`api.services.advice`): the
    answer comes at once, the dashboard shows the count's progress and then its result."""
    url = f"/app/bureau/rounds/{round_id}"
    if round_pages.light_round(session, user, round_id).proposal_version_id is None:
        return no_version(request)
    try:
        advice.ask(session, user, round_id, request.app.state.settings, request.app.state.runner)
    except ServiceError as error:
        session.rollback()
        return see_other(f"{url}?error={quote('; '.join(problems(error))[:300])}#h-advice")
    return see_other(f"{url}?done=advice#h-advice")


def advice_state(session: Session, round_: Round, version_id: int) -> dict[str, Any]:
    """The advice section's job: the count running for the round (its phase in words), or how
    the last count of this version ended when it left the advice as it was."""
    job = advice.advice_job(session, saved_id(round_))
    if job is None:
        return {"advice_job": None, "advice_ended": ""}
    if job.status in ACTIVE_JOB_STATUSES:
        return {"advice_job": job, "advice_ended": "", "advice_phase": advice_phase(job),
                "advice_seconds": job_seconds(job, utcnow())}  # fmt: skip
    ended = job.params.get("version_id") == version_id and job.status in (
        JobStatus.failed,
        JobStatus.cancelled,
    )
    return {"advice_job": None, "advice_ended": str(job.status) if ended else ""}


def advice_phase(job: Job) -> str:
    """The catalog key of what a running advice is doing."""
    if job.status == JobStatus.queued:
        return "job.queued"
    phase = job.phase.removeprefix("advice: ")
    return ADVICE_PHASE_WORDS.get(phase, "phase.working")
