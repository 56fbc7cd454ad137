"""One router factory for the many record kinds that share create/read/update/delete rules.

Each kind declares who may read and write it and whether it belongs to a school or a company;
the factory then builds the five routes with the same scoping, versioning (409 on a stale
version), reference checks (422 naming the field) and audit entries, so no kind can forget one.
"""

# No `from __future__ import annotations`: FastAPI reads the generated routes' body types
# (`kind.create`, `kind.update`) from their live annotations.

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from api import audit
from api.deps import CurrentUser, SessionDep, require
from api.models import Company, Placement, Role, School, SchoolClass, User

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
    update: type[SQLModel]
    public: type[SQLModel]
    owner: Literal["school", "company"] | None
    read: dict[Role, Access]
    write: dict[Role, Access]
    create_roles: frozenset[Role] = frozenset({Role.bureau})
    check: Callable[[Session, Any, SQLModel], None] | None = None
    references: dict[str, type[SQLModel]] = field(default_factory=dict)


def http_error(code: int, detail: Any) -> HTTPException:
    return HTTPException(code, detail=detail)


def field_error(field_name: str, message: str) -> HTTPException:
    """A 422 in FastAPI's own shape, so clients find the field the same way everywhere."""
    return http_error(
        422, [{"loc": ["body", *field_name.split(".")], "msg": message, "type": "value_error"}]
    )


def owner_column(kind: Kind) -> str | None:
    return f"{kind.owner}_id" if kind.owner else None


def user_owner_id(kind: Kind, user: User) -> int | None:
    if kind.owner == "school":
        return user.school_id if user.role == Role.school else None
    if kind.owner == "company":
        return user.company_id if user.role == Role.company else None
    return None


def scoped_select(kind: Kind, user: User, access: Access):  # type: ignore[no-untyped-def]
    """The rows of `kind` this user may see with `access`."""
    table = kind.table
    query = select(table).where(table.region_id == user.region_id)  # type: ignore[attr-defined]
    if access == "own":
        column = owner_column(kind)
        if column is None:  # own school/company record itself
            own = user.school_id if user.role == Role.school else user.company_id
            query = query.where(table.id == own)  # type: ignore[attr-defined]
        else:
            query = query.where(getattr(table, column) == user_owner_id(kind, user))
    return query


def access_of(kind: Kind, user: User, write: bool) -> Access:
    rules = kind.write if write else kind.read
    if user.role not in rules:
        raise http_error(
            403, f"role {user.role} may not {'change' if write else 'read'} {kind.path}"
        )
    return rules[user.role]


def get_scoped(session: Session, kind: Kind, user: User, record_id: int, write: bool) -> Any:
    """The record if this user may see it; 404 if it is not theirs (its existence stays hidden)."""
    access = access_of(kind, user, write)
    row = session.exec(scoped_select(kind, user, access).where(kind.table.id == record_id)).first()  # type: ignore[attr-defined]
    if row is None:
        raise http_error(404, f"no {kind.entity} {record_id} in your scope")
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
            kind.table.region_id == user.region_id,  # type: ignore[attr-defined]
            kind.table.code == code,  # type: ignore[attr-defined]
        )
    ).first()
    if taken is not None:
        raise http_error(409, [{"loc": ["body", "code"], "msg": f"code {code!r} is taken"}])


def commit(session: Session) -> None:
    """Commit, turning a database constraint into 409 instead of a 500."""
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise http_error(
            409, f"conflicts with existing records: {str(error.orig).splitlines()[0][:200]}"
        ) from None


def validation_error(error: ValidationError) -> HTTPException:
    """A pydantic error as FastAPI's own 422 body, each problem located in the request body."""
    return http_error(
        422,
        [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in error.errors()],
    )


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
    session: Session, kind: Kind, row: Any, body: SQLModel, user: User
) -> dict[str, Any] | None:
    """Apply a PATCH body to `row` if its version is current; 409 if stale. Returns `before`."""
    expected = body.version  # type: ignore[attr-defined]
    if row.version != expected:
        raise http_error(409, f"stale version {expected}: the record is at version {row.version}")
    changes = validated_changes(kind, row, body)
    before = audit.snapshot(row)
    # The conditional UPDATE closes the race between two writers that both read `expected`.
    bumped = session.execute(
        update(kind.table)
        .where(kind.table.id == row.id, kind.table.version == expected)  # type: ignore[attr-defined]
        .values(version=expected + 1)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise http_error(409, "stale version: the record changed meanwhile")
    for key, value in changes.items():
        setattr(row, key, value)
    row.version = expected + 1
    return before


def add_crud_routes(router: APIRouter, kind: Kind) -> None:
    """Register list, create, read, update and delete routes of `kind` on `router`."""
    table, public = kind.table, kind.public
    tag = kind.path

    def list_records(
        session: SessionDep,
        user: CurrentUser,
        offset: int = Query(0, ge=0),
        limit: int = Query(1000, ge=1, le=10000),
    ) -> list[Any]:
        access = access_of(kind, user, write=False)
        query = scoped_select(kind, user, access).order_by(table.id).offset(offset).limit(limit)  # type: ignore[attr-defined]
        return list(session.exec(query).all())

    def create_record(body: kind.create, session: SessionDep, user: CurrentUser) -> Any:  # type: ignore[name-defined]
        if user.role not in kind.create_roles:
            raise http_error(403, f"role {user.role} may not create {kind.path}")
        values = body.model_dump()
        column = owner_column(kind)
        if column is not None and column in values:
            own = user_owner_id(kind, user)
            if own is not None:
                if values[column] not in (None, own):
                    raise http_error(403, f"{column}: you may only add to your own {kind.owner}")
                values[column] = own
            elif values[column] is None:
                raise field_error(column, f"required: which {kind.owner} this belongs to")
            owner_table = School if kind.owner == "school" else Company
            check_reference(session, user, column, owner_table, values[column])
        for name, ref_table in kind.references.items():
            check_reference(session, user, name, ref_table, values.get(name))
        if "code" in values:
            check_code_free(session, kind, user, values["code"])
        row = table(**values, region_id=user.region_id)
        if column is not None and column not in values:
            setattr(row, column, _owner_from_references(session, kind, values))
        if kind.check is not None:
            kind.check(session, user, row)
        session.add(row)
        session.flush()
        audit.record(session, user, "create", kind.entity, row.id, after=audit.snapshot(row))
        commit(session)
        session.refresh(row)
        return row

    def read_record(record_id: int, session: SessionDep, user: CurrentUser) -> Any:
        return get_scoped(session, kind, user, record_id, write=False)

    def update_record(
        record_id: int,
        body: kind.update,  # type: ignore[name-defined]
        session: SessionDep,
        user: CurrentUser,
    ) -> Any:
        row = get_scoped(session, kind, user, record_id, write=True)
        for name, ref_table in kind.references.items():
            if name in body.model_fields_set:
                check_reference(session, user, name, ref_table, getattr(body, name))
        before = apply_update(session, kind, row, body, user)
        if kind.check is not None:
            try:
                kind.check(session, user, row)
            except HTTPException:
                session.rollback()
                raise
        session.add(row)
        audit.record(
            session, user, "update", kind.entity, row.id, before=before, after=audit.snapshot(row)
        )
        commit(session)
        session.refresh(row)
        return row

    def delete_record(
        record_id: int,
        session: SessionDep,
        user: CurrentUser,
        version: int = Query(..., ge=1, description="the version last read; 409 if stale"),
    ) -> Response:
        row = get_scoped(session, kind, user, record_id, write=True)
        if kind.owner is None and user.role != Role.bureau:
            raise http_error(403, f"role {user.role} may not delete {kind.path}")
        if row.version != version:
            raise http_error(409, f"stale version {version}: the record is at {row.version}")
        before = audit.snapshot(row)
        session.delete(row)
        audit.record(session, user, "delete", kind.entity, record_id, before=before)
        commit(session)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    noun = kind.entity.replace("_", " ")
    # Role gates as route dependencies: a role that may never use a route gets 403 before its
    # body is even read, so the answer does not depend on what it sent.
    readers = [Depends(require(*kind.read))]
    writers = [Depends(require(*kind.write))]
    creators = [Depends(require(*kind.create_roles))]
    deleters = writers if kind.owner else [Depends(require(Role.bureau))]
    router.add_api_route(
        f"/{kind.path}",
        list_records,
        dependencies=readers,
        methods=["GET"],
        response_model=list[public],  # type: ignore[valid-type]
        tags=[tag],
        summary=f"List {kind.path.replace('-', ' ')}",
        description=f"The {noun} records you may see: your region's, or your own party's.",
        operation_id=f"list_{kind.path.replace('-', '_')}",
    )
    router.add_api_route(
        f"/{kind.path}",
        create_record,
        dependencies=creators,
        methods=["POST"],
        response_model=public,
        status_code=201,
        tags=[tag],
        summary=f"Create a {noun}",
        description=f"Add a {noun} to your region (or your own school or company).",
        operation_id=f"create_{kind.entity}",
        responses={
            403: {"description": "not your role or party"},
            409: {"description": "code taken"},
        },
    )
    router.add_api_route(
        f"/{kind.path}/{{record_id}}",
        read_record,
        dependencies=readers,
        methods=["GET"],
        response_model=public,
        tags=[tag],
        summary=f"Read a {noun}",
        description=f"One {noun} in your scope; 404 for records outside it.",
        operation_id=f"read_{kind.entity}",
        responses={404: {"description": "not in your scope"}},
    )
    router.add_api_route(
        f"/{kind.path}/{{record_id}}",
        update_record,
        dependencies=writers,
        methods=["PATCH"],
        response_model=public,
        tags=[tag],
        summary=f"Update a {noun}",
        description=f"Change a {noun}; the body's version must be current, else 409.",
        operation_id=f"update_{kind.entity}",
        responses={409: {"description": "stale version"}, 404: {"description": "not in scope"}},
    )
    router.add_api_route(
        f"/{kind.path}/{{record_id}}",
        delete_record,
        dependencies=deleters,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        tags=[tag],
        summary=f"Delete a {noun}",
        description=f"Remove a {noun} at the given version; 409 if stale or still referenced.",
        operation_id=f"delete_{kind.entity}",
        responses={409: {"description": "stale version or still referenced"}},
    )


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
