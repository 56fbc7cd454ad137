"""Create, read, update and delete of the many record kinds that share one set of rules.

Each kind declares who may read and write it and whether it belongs to a school or a company;
every change then goes through the same scoping, versioning (a stale version is a conflict),
reference checks (naming the field) and audit entries, whether the API's record routes or a
page asks for it, so no kind and no face can forget one.

A school enters its own pupils, classes, teachers, electives and pairs of its own pupils; a
company its own placements and offers; the bureau everything of its region, pairs across schools
included. Schools see the region's catalogue (companies, placements, offers, electives, event
days and their sessions) to enter wishes; a company sees only its own records (and the region's
event days, to enter its sessions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import inspect, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from api import audit
from api.db import saved_id
from api.models import (
    Company,
    CompanyCreate,
    CompanyPublic,
    CompanyUpdate,
    Elective,
    ElectiveCreate,
    ElectivePublic,
    ElectiveRequest,
    ElectiveRequestCreate,
    ElectiveRequestPublic,
    ElectiveRequestUpdate,
    ElectiveUpdate,
    Event,
    EventCreate,
    EventPublic,
    EventRequest,
    EventRequestCreate,
    EventRequestPublic,
    EventRequestUpdate,
    EventSession,
    EventSessionCreate,
    EventSessionPublic,
    EventSessionUpdate,
    EventUpdate,
    Offer,
    OfferCreate,
    OfferPublic,
    OfferUpdate,
    Placement,
    PlacementCreate,
    PlacementPublic,
    PlacementUpdate,
    Pupil,
    PupilCreate,
    PupilPair,
    PupilPairCreate,
    PupilPairPublic,
    PupilPairUpdate,
    PupilPublic,
    PupilUpdate,
    Role,
    Round,
    School,
    SchoolClass,
    SchoolClassCreate,
    SchoolClassPublic,
    SchoolClassUpdate,
    SchoolCreate,
    SchoolPublic,
    SchoolUpdate,
    Teacher,
    TeacherCreate,
    TeacherPublic,
    TeacherUpdate,
    UpdateBody,
    User,
)
from api.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ServiceError,
    field_error,
    validation_error,
)

Access = Literal["all", "own"]


@dataclass(frozen=True)
class Kind:
    """A record kind: its models and who may read (`read`) and write (`write`) it, and how much.

    `owner` names the party a record belongs to ("school" or "company"); "own" access means the
    user's own party's records, "all" every record of the user's region.
    """

    path: str
    entity: str
    table: type[SQLModel]
    create: type[SQLModel]
    update: type[UpdateBody]
    public: type[SQLModel]
    owner: Literal["school", "company"] | None
    read: dict[Role, Access]
    write: dict[Role, Access]
    create_roles: frozenset[Role] = frozenset({Role.bureau})
    check: Callable[[Session, Any, SQLModel], None] | None = None
    references: dict[str, type[SQLModel]] = field(default_factory=dict)


def owner_column(kind: Kind) -> str | None:
    return f"{kind.owner}_id" if kind.owner else None


def user_owner_id(kind: Kind, user: User) -> int | None:
    if kind.owner == "school":
        return user.school_id if user.role == Role.school else None
    if kind.owner == "company":
        return user.company_id if user.role == Role.company else None
    return None


def table_column(kind: Kind, name: str) -> Mapped[Any]:
    """A column every kind's table shares (`id`, `region_id`, `code`, `version`, its owner's).

    `Kind.table` is any of many tables, so the column is found by name when the query is built.
    """
    return col(getattr(kind.table, name))


def scoped_select(kind: Kind, user: User, access: Access) -> SelectOfScalar[Any]:
    """The rows of `kind` this user may see with `access`."""
    query = select(kind.table).where(table_column(kind, "region_id") == user.region_id)
    if access == "own":
        owner = owner_column(kind)
        if owner is None:  # own school/company record itself
            own = user.school_id if user.role == Role.school else user.company_id
            query = query.where(table_column(kind, "id") == own)
        else:
            query = query.where(table_column(kind, owner) == user_owner_id(kind, user))
    return query


def access_of(kind: Kind, user: User, write: bool) -> Access:
    rules = kind.write if write else kind.read
    if user.role not in rules:
        raise Forbidden(f"role {user.role} may not {'change' if write else 'read'} {kind.path}")
    return rules[user.role]


def get_scoped(session: Session, kind: Kind, user: User, record_id: int, write: bool) -> Any:
    """The record if this user may see it; 404 if it is not theirs (its existence stays hidden)."""
    access = access_of(kind, user, write)
    row = session.exec(
        scoped_select(kind, user, access).where(table_column(kind, "id") == record_id)
    ).first()
    if row is None:
        raise NotFound(f"no {kind.entity} {record_id} in your scope")
    return row


def check_reference(session: Session, user: User, name: str, table: type, value: Any) -> Any:
    """A referenced record must exist in the user's region (422 naming the field otherwise)."""
    if value is None:
        return None
    row = session.get(table, value)
    if row is None or getattr(row, "region_id", None) != user.region_id:
        raise field_error(name, f"no {table.__name__.lower()} {value} in your region")
    return row


def check_code_free(session: Session, kind: Kind, user: User, code: str) -> None:
    taken = session.exec(
        select(kind.table).where(
            table_column(kind, "region_id") == user.region_id,
            table_column(kind, "code") == code,
        )
    ).first()
    if taken is not None:
        raise Conflict([{"loc": ["body", "code"], "msg": f"code {code!r} is taken"}])


def commit(session: Session) -> None:
    """Commit, turning a database constraint into 409 instead of a 500."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict(
            f"conflicts with existing records: {str(error.orig).splitlines()[0][:200]}"
        ) from None


def validated_changes(kind: Kind, row: Any, body: SQLModel) -> dict[str, Any]:
    """The body's changes, checked against the rules a create obeys, on the record they make.

    An update body leaves every field optional, so alone it lets through an explicit `null`
    for a field that must have a value, and a home with one coordinate; table models are not
    validated, so such a value would be stored and break every later read of the region.
    Validating the stored record with the changes applied by the create model refuses both
    (422 naming the field) before anything is written.
    """
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    stored = {name: getattr(row, name) for name in kind.create.model_fields if hasattr(row, name)}
    try:
        record = kind.create.model_validate({**stored, **changes})
    except ValidationError as error:
        raise validation_error(error) from None
    return record.model_dump(include=set(changes))


def apply_update(
    session: Session, kind: Kind, row: Any, body: UpdateBody, user: User
) -> dict[str, Any] | None:
    """Apply a PATCH body to `row` if its version is current; 409 if stale. Returns `before`."""
    expected = body.version
    if row.version != expected:
        raise Conflict(f"stale version {expected}: the record is at version {row.version}")
    changes = validated_changes(kind, row, body)
    before = audit.snapshot(row)
    # The conditional UPDATE closes the race between two writers that both read `expected`.
    bumped = session.exec(
        update(kind.table)
        .where(table_column(kind, "id") == row.id, table_column(kind, "version") == expected)
        .values(version=expected + 1)
    )
    if bumped.rowcount != 1:
        session.rollback()
        raise Conflict("stale version: the record changed meanwhile")
    for key, value in changes.items():
        setattr(row, key, value)
    row.version = expected + 1
    return before


def guard_version(session: Session, row: Any, seen: int, what: str) -> None:
    """Move the stored `row` from the version this request read (`seen`) to the next, or refuse
    (409): two requests that read one version (two signatures at once, a step and an edit)
    would otherwise both write, the later undoing the earlier. The guarded UPDATE waits for the
    other transaction and then finds the version moved on. Pending changes of `row` are not
    flushed first, so they cannot move the version themselves."""
    table = type(row)
    mapper = inspect(table)
    with session.no_autoflush:
        moved = session.exec(
            update(table)
            .where(
                mapper.primary_key[0] == mapper.primary_key_from_instance(row)[0],
                col(table.version) == seen,
            )
            .values(version=seen + 1)
            .execution_options(synchronize_session=False)
        )
    if moved.rowcount != 1:
        session.rollback()
        raise Conflict(f"{what} was changed meanwhile (version {seen} is gone): read it again")
    row.version = seen + 1


def list_records(session: Session, kind: Kind, user: User, offset: int, limit: int) -> list[Any]:
    """The records of `kind` the user may see, in id order."""
    access = access_of(kind, user, write=False)
    query = (
        scoped_select(kind, user, access)
        .order_by(table_column(kind, "id"))
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())


def read_record(session: Session, kind: Kind, user: User, record_id: int) -> Any:
    """One record in the user's scope."""
    return get_scoped(session, kind, user, record_id, write=False)


def create_record(session: Session, kind: Kind, user: User, body: SQLModel) -> Any:
    """Store a new record in the user's region (or own party), checked, audited and committed."""
    row = add_record(session, kind, user, body)
    commit(session)
    session.refresh(row)
    return row


def add_record(session: Session, kind: Kind, user: User, body: SQLModel) -> Any:
    """`create_record` without the commit: for a workflow that stores the record together with
    others in one transaction (a menu sign-up and the offer it becomes)."""
    if user.role not in kind.create_roles:
        raise Forbidden(f"role {user.role} may not create {kind.path}")
    values = body.model_dump()
    column = owner_column(kind)
    if column is not None and column in values:
        own = user_owner_id(kind, user)
        if own is not None:
            if values[column] not in (None, own):
                raise Forbidden(f"{column}: you may only add to your own {kind.owner}")
            values[column] = own
        elif values[column] is None:
            raise field_error(column, f"required: which {kind.owner} this belongs to")
        owner_table = School if kind.owner == "school" else Company
        check_reference(session, user, column, owner_table, values[column])
    for name, ref_table in kind.references.items():
        check_reference(session, user, name, ref_table, values.get(name))
    if "code" in values:
        check_code_free(session, kind, user, values["code"])
    row: Any = kind.table(**values, region_id=user.region_id)
    if column is not None and column not in values:
        setattr(row, column, _owner_from_references(session, kind, values))
    if kind.check is not None:
        kind.check(session, user, row)
    session.add(row)
    session.flush()
    audit.record(session, user, "create", kind.entity, row.id, after=audit.snapshot(row))
    return row


def update_record(
    session: Session, kind: Kind, user: User, record_id: int, body: UpdateBody
) -> Any:
    """Change a record at the version the body names, checked, audited and committed."""
    row = get_scoped(session, kind, user, record_id, write=True)
    for name, ref_table in kind.references.items():
        if name in body.model_fields_set:
            check_reference(session, user, name, ref_table, getattr(body, name))
    before = apply_update(session, kind, row, body, user)
    if kind.check is not None:
        try:
            kind.check(session, user, row)
        except ServiceError:
            session.rollback()
            raise
    session.add(row)
    audit.record(
        session, user, "update", kind.entity, row.id, before=before, after=audit.snapshot(row)
    )
    commit(session)
    session.refresh(row)
    return row


def delete_record(session: Session, kind: Kind, user: User, record_id: int, version: int) -> None:
    """Remove a record at the version last read; a party's own record only the bureau removes."""
    row = get_scoped(session, kind, user, record_id, write=True)
    if kind.owner is None and user.role != Role.bureau:
        raise Forbidden(f"role {user.role} may not delete {kind.path}")
    if row.version != version:
        raise Conflict(f"stale version {version}: the record is at {row.version}")
    before = audit.snapshot(row)
    session.delete(row)
    audit.record(session, user, "delete", kind.entity, record_id, before=before)
    commit(session)


def _owner_from_references(session: Session, kind: Kind, values: dict[str, Any]) -> int | None:
    """Records owned through a reference (an elective request through its pupil)."""
    for name, ref_table in kind.references.items():
        ref = session.get(ref_table, values.get(name))
        if ref is not None and hasattr(ref, f"{kind.owner}_id"):
            return getattr(ref, f"{kind.owner}_id")
    return None


# --- per-kind checks that need the database ----------------------------------------------------


def check_pupil(session: Session, user: User, pupil: Any) -> None:
    """Wishes must name placements of the region; a class must be of the pupil's school."""
    codes = set(
        session.exec(select(Placement.code).where(Placement.region_id == user.region_id)).all()
    )
    for i, code in enumerate(pupil.preferences):
        if code not in codes:
            raise field_error(f"preferences.{i}", f"no placement {code!r} in your region")
    if len(set(pupil.preferences)) != len(pupil.preferences):
        raise field_error("preferences", "a placement is listed twice")
    if (pupil.home_lat is None) != (pupil.home_lon is None):
        raise field_error("home_lon", "give home_lat and home_lon together")
    check_pupil_class(session, pupil)


def check_pupil_class(session: Session, pupil: Any) -> None:
    """A pupil's class is one of its own school's, never another school's or region's."""
    if pupil.class_id is not None:
        klass = session.get(SchoolClass, pupil.class_id)
        if klass is None or klass.school_id != pupil.school_id:
            raise field_error("class_id", "no such class at the pupil's school")


B, S, C = Role.bureau, Role.school, Role.company
SCHOOL_CREATES = frozenset({B, S})
COMPANY_CREATES = frozenset({B, C})


def check_elective_request(session: Session, user: User, request: Any) -> None:
    """The pupil must be in scope and every choice an elective of the region."""
    pupil = session.get(Pupil, request.pupil_id)
    if pupil is None or pupil.region_id != user.region_id:
        raise field_error("pupil_id", "no such pupil in your region")
    if user.role == Role.school and pupil.school_id != user.school_id:
        raise Forbidden("pupil_id: not a pupil of your school")
    codes = set(
        session.exec(select(Elective.code).where(Elective.region_id == user.region_id)).all()
    )
    for i, code in enumerate(request.choices):
        if code not in codes:
            raise field_error(f"choices.{i}", f"no elective {code!r} in your region")


def check_pupil_pair(session: Session, user: User, pair: Any) -> None:
    """Two different pupils of the region (both of a school user's own school), one rule per two
    pupils; the pair is stored in id order and belongs to the school of both, if they share one."""
    # On an update the row is already changed in the session: no flush before the checks.
    with session.no_autoflush:
        pupils: list[Pupil] = []
        for name in ("pupil_a_id", "pupil_b_id"):
            pupil = session.get(Pupil, getattr(pair, name)) if getattr(pair, name) else None
            if pupil is None or pupil.region_id != user.region_id:
                raise field_error(name, "no such pupil in your region")
            if user.role == Role.school and pupil.school_id != user.school_id:
                raise Forbidden(f"{name}: not a pupil of your school")
            pupils.append(pupil)
        first, second = sorted(pupils, key=saved_id)
        if first.id == second.id:
            raise field_error("pupil_b_id", "a pupil cannot be paired with itself")
        taken = session.exec(
            select(PupilPair).where(
                PupilPair.pupil_a_id == first.id, PupilPair.pupil_b_id == second.id
            )
        ).first()
    if taken is not None and taken.id != pair.id:
        raise Conflict(
            [{"loc": ["body", "pupil_b_id"],
              "msg": f"{first.code} and {second.code} are already paired ({taken.kind}, "
                     f"pair {taken.id}): change that pair instead"}],
        )  # fmt: skip
    pair.pupil_a_id, pair.pupil_b_id = first.id, second.id
    pair.school_id = first.school_id if first.school_id == second.school_id else None


def check_offer(session: Session, user: User, offer: Any) -> None:
    """One company does not offer the same kind of activity on the same dayparts twice: a
    second identical offer (a form sent twice) would let the planner book the company twice."""
    with session.no_autoflush:
        siblings = session.exec(
            select(Offer).where(
                Offer.company_id == offer.company_id,
                Offer.kind == offer.kind,
            )
        ).all()
    same = next(
        (o for o in siblings if set(o.available) == set(offer.available) and o.id != offer.id),
        None,
    )
    if same is not None:
        raise Conflict(
            [{"loc": ["body", "available"],
              "msg": f"offer {same.code} already offers a {offer.kind} on these dayparts: "
                     "change that offer instead",
              "type": "offer.duplicate", "ctx": {"code": same.code}}],
        )  # fmt: skip


def check_placement(session: Session, user: User, placement: Any) -> None:
    """Capacity periods are what pupils are matched on: at least one, none negative."""
    if not placement.capacity:
        raise field_error("capacity", "give the seats per period, e.g. {'P3': 2}")


def check_event(session: Session, user: User, event: Any) -> None:
    """An event may not lose rounds its companies' sessions still run in."""
    with session.no_autoflush:
        sessions = session.exec(select(EventSession).where(EventSession.event_id == event.id)).all()
    for entry in sessions:
        if entry.rounds and max(entry.rounds) > event.rounds:
            raise field_error(
                "rounds", f"session {entry.code} runs in round {max(entry.rounds)}: keep them"
            )


def check_event_session(session: Session, user: User, entry: Any) -> None:
    """A session runs in rounds of its event, each named once."""
    event = session.get(Event, entry.event_id)
    if event is None or event.region_id != user.region_id:
        raise field_error("event_id", "no such event in your region")
    for i, number in enumerate(entry.rounds or []):
        if number > event.rounds:
            raise field_error(f"rounds.{i}", f"event {event.code} has {event.rounds} rounds")
    if entry.rounds is not None and len(set(entry.rounds)) != len(entry.rounds):
        raise field_error("rounds", "a round is listed twice")


def check_event_request(session: Session, user: User, request: Any) -> None:
    """The pupil in scope, one request per pupil and event, every choice a session of the
    event (once), and no more sessions than the event has rounds."""
    with session.no_autoflush:
        pupil = session.get(Pupil, request.pupil_id)
        if pupil is None or pupil.region_id != user.region_id:
            raise field_error("pupil_id", "no such pupil in your region")
        if user.role == Role.school and pupil.school_id != user.school_id:
            raise Forbidden("pupil_id: not a pupil of your school")
        event = session.get(Event, request.event_id)
        if event is None or event.region_id != user.region_id:
            raise field_error("event_id", "no such event in your region")
        taken = session.exec(
            select(EventRequest).where(
                EventRequest.pupil_id == pupil.id, EventRequest.event_id == event.id
            )
        ).first()
        codes = set(
            session.exec(select(EventSession.code).where(EventSession.event_id == event.id)).all()
        )
    for i, code in enumerate(request.choices):
        if code not in codes:
            raise field_error(f"choices.{i}", f"no session {code!r} at event {event.code}")
    if len(set(request.choices)) != len(request.choices):
        raise field_error("choices", "a session is listed twice")
    if request.count is not None and request.count > event.rounds:
        raise field_error("count", f"event {event.code} has {event.rounds} rounds")
    if taken is not None and taken.id != request.id:
        raise Conflict(
            [{"loc": ["body", "pupil_id"],
              "msg": f"{pupil.code} has request {taken.id} for {event.code}: change that one"}]
        )  # fmt: skip


KINDS = (
    Kind(
        path="schools",
        entity="school",
        table=School,
        create=SchoolCreate,
        update=SchoolUpdate,
        public=SchoolPublic,
        owner=None,
        read={B: "all", S: "all", C: "all"},
        write={B: "all", S: "own"},
    ),
    Kind(
        path="pupils",
        entity="pupil",
        table=Pupil,
        create=PupilCreate,
        update=PupilUpdate,
        public=PupilPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
        check=check_pupil,
        references={"class_id": SchoolClass},
    ),
    Kind(
        path="classes",
        entity="school_class",
        table=SchoolClass,
        create=SchoolClassCreate,
        update=SchoolClassUpdate,
        public=SchoolClassPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
    ),
    Kind(
        path="teachers",
        entity="teacher",
        table=Teacher,
        create=TeacherCreate,
        update=TeacherUpdate,
        public=TeacherPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
    ),
    Kind(
        path="electives",
        entity="elective",
        table=Elective,
        create=ElectiveCreate,
        update=ElectiveUpdate,
        public=ElectivePublic,
        owner="school",
        read={B: "all", S: "all"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
    ),
    Kind(
        path="elective-requests",
        entity="elective_request",
        table=ElectiveRequest,
        create=ElectiveRequestCreate,
        update=ElectiveRequestUpdate,
        public=ElectiveRequestPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
        check=check_elective_request,
        references={"pupil_id": Pupil},
    ),
    Kind(
        path="pupil-pairs",
        entity="pupil_pair",
        table=PupilPair,
        create=PupilPairCreate,
        update=PupilPairUpdate,
        public=PupilPairPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
        check=check_pupil_pair,
        references={"pupil_a_id": Pupil, "pupil_b_id": Pupil},
    ),
    Kind(
        path="companies",
        entity="company",
        table=Company,
        create=CompanyCreate,
        update=CompanyUpdate,
        public=CompanyPublic,
        owner=None,
        read={B: "all", S: "all", C: "own"},
        write={B: "all", C: "own"},
    ),
    Kind(
        path="placements",
        entity="placement",
        table=Placement,
        create=PlacementCreate,
        update=PlacementUpdate,
        public=PlacementPublic,
        owner="company",
        read={B: "all", S: "all", C: "own"},
        write={B: "all", C: "own"},
        create_roles=COMPANY_CREATES,
        check=check_placement,
    ),
    Kind(
        path="offers",
        entity="offer",
        table=Offer,
        create=OfferCreate,
        update=OfferUpdate,
        public=OfferPublic,
        owner="company",
        read={B: "all", S: "all", C: "own"},
        write={B: "all", C: "own"},
        create_roles=COMPANY_CREATES,
        check=check_offer,
    ),
    Kind(
        path="events",
        entity="event",
        table=Event,
        create=EventCreate,
        update=EventUpdate,
        public=EventPublic,
        owner=None,
        read={B: "all", S: "all", C: "all"},
        write={B: "all"},
        check=check_event,
        references={"round_id": Round},
    ),
    Kind(
        path="event-sessions",
        entity="event_session",
        table=EventSession,
        create=EventSessionCreate,
        update=EventSessionUpdate,
        public=EventSessionPublic,
        owner="company",
        read={B: "all", S: "all", C: "own"},
        write={B: "all", C: "own"},
        create_roles=COMPANY_CREATES,
        check=check_event_session,
        references={"event_id": Event},
    ),
    Kind(
        path="event-requests",
        entity="event_request",
        table=EventRequest,
        create=EventRequestCreate,
        update=EventRequestUpdate,
        public=EventRequestPublic,
        owner="school",
        read={B: "all", S: "own"},
        write={B: "all", S: "own"},
        create_roles=SCHOOL_CREATES,
        check=check_event_request,
        references={"pupil_id": Pupil, "event_id": Event},
    ),
)

KIND_OF = {kind.entity: kind for kind in KINDS}
