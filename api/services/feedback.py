"""Feedback after every placement, activity and event session (issue 16): a short form for the
item's company and for each school that took part, and a pupil's three questions, filled in by
its school per pupil code (no names). Each party answers an item once, from the day after it
took place (`feedback_items.Item.due`); a second answer is a `PATCH` of the first at its
version. Every answer is audited.

Who reads what: the bureau every answer; a company its own answers and the schools' scores about
it; a school its own answers, the companies' scores about its items and its pupils' answers one
by one. A remark is read by its writer and the bureau only. Pupils' answers reach anyone but
their school only added up over at least `PUPIL_THRESHOLD` pupils, so no child can be picked out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date as Date
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from api import audit, spreadsheets
from api.db import saved_id
from api.models import (
    Again,
    Company,
    Feedback,
    FeedbackCreate,
    FeedbackFigures,
    FeedbackItemPublic,
    FeedbackKind,
    FeedbackOverview,
    FeedbackParty,
    FeedbackPublic,
    FeedbackRow,
    FeedbackUpdate,
    Pupil,
    PupilFeedback,
    PupilFeedbackCreate,
    PupilFeedbackPublic,
    PupilFeedbackUpdate,
    PupilFigures,
    Role,
    SaidNo,
    School,
    SchoolClass,
    User,
    utcnow,
)
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.feedback_items import Item, items_in_scope
from api.services.records import commit
from api.services.rounds import get_round

# Fewest pupils' answers a figure is shown over to anyone but their own school.
PUPIL_THRESHOLD = 5
CLASS_KINDS = (FeedbackKind.excursion, FeedbackKind.guest_lesson)


# --- the items ------------------------------------------------------------------------------


def answered_by(session: Session, user: User) -> set[tuple[int, str, str]]:
    """(round, kind, item) of every answer the user's company or school gave."""
    party, party_id = own_party(user)
    rows = session.exec(
        select(Feedback.round_id, Feedback.kind, Feedback.item).where(
            Feedback.region_id == user.region_id,
            Feedback.party == party,
            Feedback.party_id == party_id,
        )
    ).all()
    return {(r, str(k), i) for r, k, i in rows}


def item_public(item: Item, today: Date, answered: bool | None) -> FeedbackItemPublic:
    return FeedbackItemPublic(
        round_id=item.round_id,
        kind=item.kind,
        item=item.key,
        company=item.company,
        company_name=item.company_name,
        schools=list(item.schools),
        requester=item.requester,
        student=item.student,
        event=item.event,
        session=item.session,
        date=item.day.isoformat() if item.day else None,
        due=item.due(today),
        answered=answered,
    )


def list_items(
    session: Session, user: User, today: Date, todo: bool = False
) -> list[FeedbackItemPublic]:
    """The items in the user's scope; with `todo`, those due that its party has not answered."""
    items = items_in_scope(session, user)
    if user.role == Role.bureau:
        return [] if todo else [item_public(i, today, None) for i in items]
    done = answered_by(session, user)
    listed = [item_public(i, today, (i.round_id, str(i.kind), i.key) in done) for i in items]
    return [i for i in listed if i.due and not i.answered] if todo else listed


def feedback_to_give(
    session: Session, user: User, today: Date | None = None
) -> list[FeedbackItemPublic]:
    """What the user's company or school still owes: items that took place without its answer
    (a to-do page lists them; the bureau owes none)."""
    return list_items(session, user, today or utcnow().date(), todo=True)


def find_item(session: Session, user: User, round_id: int, kind: FeedbackKind, key: str) -> Item:
    """The item a form is about, in the user's scope; 422 naming `item` when there is none."""
    get_round(session, user, round_id)
    for item in items_in_scope(session, user):
        if (item.round_id, item.kind, item.key) == (round_id, kind, key):
            return item
    raise field_error(
        "item",
        f"round {round_id} publishes no {kind} '{key}' that your {user.role} took part in",
        kind="feedback.no_item",
        ctx={"round": round_id},
    )


def item_company(session: Session, user: User, item: Item) -> Company:
    """The company the item was published at; 409 when it has since been deleted."""
    company = session.exec(
        select(Company).where(Company.region_id == user.region_id, Company.code == item.company)
    ).first()
    if company is None:
        raise Conflict(
            f"company {item.company} of {item.label()} is no longer in the region",
            code="feedback.company_gone",
            params={"company": item.company},
        )
    return company


def check_due(item: Item, today: Date) -> None:
    """Feedback comes after the fact: 409 before the day after the item took place."""
    if not item.due(today):
        assert item.day is not None
        raise Conflict(
            f"{item.label()} takes place on {item.day.isoformat()}: "
            f"feedback can be given from {(item.day + timedelta(days=1)).isoformat()} on",
            code="feedback.too_early",
            params={
                "date": item.day.isoformat(),
                "first": (item.day + timedelta(days=1)).isoformat(),
            },
        )


# --- the company's and the school's form ----------------------------------------------------


def own_party(user: User) -> tuple[FeedbackParty, int]:
    """The party a user answers for: its company or its school (the bureau reads only)."""
    if user.role == Role.company and user.company_id is not None:
        return FeedbackParty.company, user.company_id
    if user.role == Role.school and user.school_id is not None:
        return FeedbackParty.school, user.school_id
    raise Forbidden(
        "only a company or a school gives feedback; the bureau reads it",
        code="feedback.not_your_role",
    )


def give_feedback(session: Session, user: User, body: FeedbackCreate, today: Date) -> Feedback:
    """Store a company's or a school's answer about an item that took place."""
    party, party_id = own_party(user)
    if party == FeedbackParty.company and body.level_ok is not None:
        raise field_error(
            "level_ok",
            "only a school says whether the programme suited its pupils",
            kind="feedback.level_school_only",
        )
    item = find_item(session, user, body.round_id, body.kind, body.item)
    check_due(item, today)
    existing = session.exec(
        select(Feedback).where(
            Feedback.round_id == body.round_id,
            Feedback.kind == body.kind,
            Feedback.item == body.item,
            Feedback.party == party,
            Feedback.party_id == party_id,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"your {party} answered {item.label()} already (feedback {existing.id}, version "
            f"{existing.version}): change that answer with PATCH /feedback/{existing.id}",
            code="feedback.answered_already",
        )
    company = item_company(session, user, item)
    row = Feedback(
        **body.model_dump(),
        region_id=user.region_id,
        party=party,
        party_id=party_id,
        company_id=saved_id(company),
        school_id=party_id if party == FeedbackParty.school else None,
        created_by_id=user.id,
    )
    session.add(row)
    session.flush()
    audit.record(session, user, "create", "feedback", row.id, after=audit.snapshot(row))
    commit(session)
    return row


def own_answer(session: Session, user: User, feedback_id: int) -> Feedback:
    """An answer of the user's own party; any other is not found."""
    party, party_id = own_party(user)
    row = session.get(Feedback, feedback_id)
    if (
        row is None
        or row.region_id != user.region_id
        or (row.party, row.party_id)
        != (
            party,
            party_id,
        )
    ):
        raise NotFound(
            f"no feedback {feedback_id} of your {user.role}",
            code="feedback.not_found",
            params={"feedback": feedback_id},
        )
    return row


def bump(session: Session, table: type[Feedback] | type[PupilFeedback], row: Any, expected: int):
    """Move `row` to the next version if it is still at `expected` (409 otherwise); the
    conditional UPDATE closes the race between two writers that both read `expected`."""
    if row.version != expected:
        raise Conflict(
            f"stale version {expected}: the answer is at version {row.version}",
            code="feedback.stale_version",
        )
    bumped = session.exec(
        update(table)
        .where(col(table.id) == row.id, col(table.version) == expected)
        .values(version=expected + 1)
    )
    if bumped.rowcount != 1:
        session.rollback()
        raise Conflict("stale version: the answer changed meanwhile", code="feedback.stale_version")
    row.version = expected + 1


def changes_of(body: FeedbackUpdate | PupilFeedbackUpdate, nullable: Iterable[str] = ()) -> dict:
    """The fields a PATCH sets; `null` for one that must have a value is 422 naming it."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name, value in changes.items():
        if value is None and name not in nullable:
            raise field_error(
                name, "may not be null: leave it out to keep it", kind="feedback.not_null"
            )
    return changes


def change_feedback(
    session: Session, user: User, feedback_id: int, body: FeedbackUpdate
) -> Feedback:
    """Change one's own answer at the version last read."""
    row = own_answer(session, user, feedback_id)
    changes = changes_of(body, nullable=("level_ok",))
    if row.party == FeedbackParty.company and changes.get("level_ok") is not None:
        raise field_error(
            "level_ok",
            "only a school says whether the programme suited its pupils",
            kind="feedback.level_school_only",
        )
    before = audit.snapshot(row)
    bump(session, Feedback, row, body.version)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.add(row)
    audit.record(
        session, user, "update", "feedback", row.id, before=before, after=audit.snapshot(row)
    )
    commit(session)
    return row


def codes(session: Session, user: User) -> tuple[dict[int, str], dict[int, str]]:
    """The region's company and school codes by id."""
    companies = session.exec(
        select(Company.id, Company.code).where(Company.region_id == user.region_id)
    ).all()
    schools = session.exec(
        select(School.id, School.code).where(School.region_id == user.region_id)
    ).all()
    return {i: c for i, c in companies if i is not None}, {
        i: c for i, c in schools if i is not None
    }


def readable(session: Session, user: User) -> list[Feedback]:
    """The answers a user may read: the bureau all; a company those about it; a school its own
    and the companies' about items it took part in."""
    query = select(Feedback).where(Feedback.region_id == user.region_id)
    if user.role == Role.company:
        query = query.where(Feedback.company_id == user.company_id)
    rows = list(session.exec(query.order_by(col(Feedback.id))).all())
    if user.role != Role.school:
        return rows
    mine = {(i.round_id, str(i.kind), i.key) for i in items_in_scope(session, user)}
    return [
        r
        for r in rows
        if (r.party == FeedbackParty.school and r.school_id == user.school_id)
        or (r.party == FeedbackParty.company and (r.round_id, str(r.kind), r.item) in mine)
    ]


def feedback_public(session: Session, user: User, rows: Sequence[Feedback]) -> list[FeedbackPublic]:
    """Answers as a reader sees them: a remark only to its writer's party and the bureau."""
    companies, schools = codes(session, user)
    own = None if user.role == Role.bureau else own_party(user)
    return [
        FeedbackPublic(
            **r.model_dump(exclude={"remark"}),
            company=companies.get(r.company_id, ""),
            school=schools.get(r.school_id) if r.school_id is not None else None,
            remark=r.remark if own is None or own == (r.party, r.party_id) else None,
        )
        for r in rows
    ]


def list_feedback(session: Session, user: User) -> list[FeedbackPublic]:
    return feedback_public(session, user, readable(session, user))


# --- the pupils' three questions ------------------------------------------------------------


def took_part(session: Session, item: Item, pupil: Pupil) -> bool:
    """Whether the pupil was there: placed, in the visiting class, or at the session."""
    if item.kind == FeedbackKind.placement:
        return item.student == pupil.code
    if item.kind == FeedbackKind.event_session:
        return pupil.code in item.attendees
    if item.kind not in CLASS_KINDS or pupil.class_id is None:
        return False  # a teacher internship has no pupils
    klass = session.get(SchoolClass, pupil.class_id)
    return klass is not None and klass.code == item.requester


def participants(session: Session, user: User, items: Sequence[Item]) -> list[list[str]]:
    """Per item the codes of the school's pupils who took part, for the pupils' form."""
    pupils = session.exec(
        select(Pupil).where(Pupil.school_id == user.school_id).order_by(col(Pupil.code))
    ).all()
    return [[p.code for p in pupils if took_part(session, item, p)] for item in items]


def school_pupil(session: Session, user: User, code: str) -> Pupil:
    pupil = session.exec(
        select(Pupil).where(
            Pupil.region_id == user.region_id,
            Pupil.school_id == user.school_id,
            Pupil.code == code,
        )
    ).first()
    if pupil is None:
        raise field_error(
            "pupil",
            f"no pupil '{code}' at your school",
            kind="feedback.no_pupil",
            ctx={"pupil": code},
        )
    return pupil


def give_pupil_feedback(
    session: Session, user: User, body: PupilFeedbackCreate, today: Date
) -> PupilFeedback:
    """A school stores a pupil's three answers about an item the pupil took part in."""
    if user.role != Role.school:
        raise Forbidden(
            "a pupil's answers are filled in by its own school", code="feedback.school_only_pupil"
        )
    if body.kind == FeedbackKind.teacher_internship:
        raise field_error(
            "kind",
            "a teacher internship has no pupils to ask",
            kind="feedback.internship_no_pupils",
        )
    item = find_item(session, user, body.round_id, body.kind, body.item)
    check_due(item, today)
    pupil = school_pupil(session, user, body.pupil)
    if not took_part(session, item, pupil):
        raise field_error(
            "pupil",
            f"pupil '{body.pupil}' did not take part in {item.label()}",
            kind="feedback.pupil_not_there",
            ctx={"pupil": body.pupil},
        )
    existing = session.exec(
        select(PupilFeedback).where(
            PupilFeedback.round_id == body.round_id,
            PupilFeedback.kind == body.kind,
            PupilFeedback.item == body.item,
            PupilFeedback.pupil_id == pupil.id,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"pupil '{body.pupil}' answered {item.label()} already (pupil feedback "
            f"{existing.id}, version {existing.version}): change it with PATCH "
            f"/pupil-feedback/{existing.id}",
            code="feedback.pupil_answered_already",
            params={"pupil": body.pupil},
        )
    company = item_company(session, user, item)
    row = PupilFeedback(
        **body.model_dump(exclude={"pupil"}),
        region_id=user.region_id,
        pupil_id=saved_id(pupil),
        company_id=saved_id(company),
        school_id=pupil.school_id,
        created_by_id=user.id,
    )
    session.add(row)
    session.flush()
    audit.record(session, user, "create", "pupil_feedback", row.id, after=audit.snapshot(row))
    commit(session)
    return row


def change_pupil_feedback(
    session: Session, user: User, feedback_id: int, body: PupilFeedbackUpdate
) -> PupilFeedback:
    """The school changes a pupil's answers at the version last read."""
    row = session.get(PupilFeedback, feedback_id)
    if row is None or user.role != Role.school or row.school_id != user.school_id:
        raise NotFound(
            f"no pupil feedback {feedback_id} of your school",
            code="feedback.pupil_not_found",
            params={"feedback": feedback_id},
        )
    changes = changes_of(body)
    before = audit.snapshot(row)
    bump(session, PupilFeedback, row, body.version)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.add(row)
    audit.record(
        session, user, "update", "pupil_feedback", row.id, before=before, after=audit.snapshot(row)
    )
    commit(session)
    return row


def list_pupil_feedback(session: Session, user: User) -> list[PupilFeedbackPublic]:
    """A school's pupils' answers one by one (no one else reads them so)."""
    if user.role != Role.school:
        raise Forbidden(
            "pupils' single answers are read by their own school only",
            code="feedback.pupil_school_only",
        )
    rows = session.exec(
        select(PupilFeedback, Pupil.code)
        .join(Pupil, col(Pupil.id) == col(PupilFeedback.pupil_id))
        .where(PupilFeedback.school_id == user.school_id)
        .order_by(col(PupilFeedback.id))
    ).all()
    return [PupilFeedbackPublic(**r.model_dump(), pupil=code) for r, code in rows]


# --- adding up --------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def figures(rows: Sequence[Feedback]) -> FeedbackFigures:
    levels = [r.level_ok for r in rows if r.level_ok is not None]
    return FeedbackFigures(
        answers=len(rows),
        mean_score=_mean([r.score for r in rows]),
        again_share=_mean([r.again == Again.yes for r in rows]),
        level_ok_share=_mean([bool(v) for v in levels]),
    )


def pupil_figures(rows: Sequence[PupilFeedback]) -> PupilFigures:
    """The pupils' answers added up; below `PUPIL_THRESHOLD` answers only their number."""
    if len(rows) < PUPIL_THRESHOLD:
        return PupilFigures(answers=len(rows))
    return PupilFigures(
        answers=len(rows),
        mean_learned=_mean([r.learned for r in rows]),
        mean_interesting=_mean([r.interesting for r in rows]),
        recommend_share=_mean([r.recommend for r in rows]),
    )


def overview(session: Session, user: User) -> FeedbackOverview:
    """Per company and kind how it went, for both sides and the pupils, and the items where a
    side would not do it again: the bureau the region, a company itself, a school its own
    answers and its pupils'."""
    answers = session.exec(select(Feedback).where(Feedback.region_id == user.region_id)).all()
    pupils = session.exec(
        select(PupilFeedback).where(PupilFeedback.region_id == user.region_id)
    ).all()
    if user.role == Role.company:
        answers = [a for a in answers if a.company_id == user.company_id]
        pupils = [p for p in pupils if p.company_id == user.company_id]
    elif user.role == Role.school:
        answers = [a for a in answers if a.school_id == user.school_id]
        pupils = [p for p in pupils if p.school_id == user.school_id]
    # Only the companies answered about: a region has thousands.
    named = {a.company_id for a in answers} | {p.company_id for p in pupils}
    companies = session.exec(
        select(Company).where(Company.region_id == user.region_id, col(Company.id).in_(named))
    ).all()
    by_id = {c.id: c for c in companies}
    grouped: dict[tuple[int, FeedbackKind], list[Feedback]] = defaultdict(list)
    for a in answers:
        grouped[(a.company_id, a.kind)].append(a)
    pupil_groups: dict[tuple[int, FeedbackKind], list[PupilFeedback]] = defaultdict(list)
    for p in pupils:
        pupil_groups[(p.company_id, p.kind)].append(p)
    rows = []
    for company_id, kind in sorted(
        set(grouped) | set(pupil_groups), key=lambda k: (by_id[k[0]].code, k[1])
    ):
        group = grouped.get((company_id, kind), [])
        rows.append(
            FeedbackRow(
                company=by_id[company_id].code,
                company_name=by_id[company_id].name,
                kind=kind,
                company_side=figures([a for a in group if a.party == FeedbackParty.company]),
                school_side=figures([a for a in group if a.party == FeedbackParty.school]),
                pupils=pupil_figures(pupil_groups.get((company_id, kind), [])),
            )
        )
    return FeedbackOverview(
        rows=rows, said_no=said_no(answers, by_id), pupil_threshold=PUPIL_THRESHOLD
    )


def said_no(answers: Sequence[Feedback], companies: dict[Any, Company]) -> list[SaidNo]:
    """The items where the company or a school would not do it again, with both sides' word."""
    items: dict[tuple[int, FeedbackKind, str], list[Feedback]] = defaultdict(list)
    for a in answers:
        items[(a.round_id, a.kind, a.item)].append(a)
    listed = []
    for (round_id, kind, key), group in sorted(items.items()):
        if all(a.again != Again.no for a in group):
            continue
        company = next((a.again for a in group if a.party == FeedbackParty.company), None)
        listed.append(
            SaidNo(
                round_id=round_id,
                kind=kind,
                item=key,
                company=companies[group[0].company_id].code,
                company_again=company,
                school_again=[a.again for a in group if a.party == FeedbackParty.school],
            )
        )
    return listed


OVERVIEW_COLUMNS = [
    "company", "company_name", "kind",
    "company_answers", "company_mean_score", "company_again_share",
    "school_answers", "school_mean_score", "school_again_share", "school_level_ok_share",
    "pupil_answers", "pupil_mean_learned", "pupil_mean_interesting", "pupil_recommend_share",
]  # fmt: skip


def overview_cells(row: FeedbackRow) -> list[Any]:
    """One row of the overview table, in `OVERVIEW_COLUMNS` order."""
    sides = (row.company_side, row.school_side)
    return [
        row.company, row.company_name, str(row.kind),
        *(value for side in sides for value in (side.answers, side.mean_score, side.again_share)),
        row.school_side.level_ok_share,
        row.pupils.answers, row.pupils.mean_learned, row.pupils.mean_interesting,
        row.pupils.recommend_share,
    ]  # fmt: skip


def overview_file(
    session: Session, user: User, fmt: str, labels: Callable[[str], str] = str
) -> tuple[bytes, str, str]:
    """The overview as a CSV or XLSX table: (content, media type, file name); `labels` names the
    columns (a page's language; the API keeps the column keys)."""
    header = [labels(c) for c in OVERVIEW_COLUMNS]
    cells = [overview_cells(r) for r in overview(session, user).rows]
    if fmt == "csv":
        body = spreadsheets.csv_bytes(header, cells)
        return body, "text/csv; charset=utf-8", "terugkoppeling.csv"
    body = spreadsheets.xlsx_bytes("terugkoppeling", header, cells)
    return body, spreadsheets.XLSX, "terugkoppeling.xlsx"
