"""Data entry: schools, pupils, classes, teachers, companies, placements, offers, electives,
elective requests and together/apart pupil pairs, each with the scope SPEC section 7 gives its
role (the rules and the kinds live in `api.services.records`).

One router factory builds the five routes of every kind, so each has the same role gates,
OpenAPI text and refusals.
"""

# No `from __future__ import annotations`: FastAPI reads the generated routes' body types
# (`kind.create`, `kind.update`) from their live annotations.

from typing import Any

from fastapi import APIRouter, Depends, Query, Response, status

from api.deps import CurrentUser, SessionDep, require
from api.models import Role
from api.services import records
from api.services.records import KINDS, Kind


def add_crud_routes(router: APIRouter, kind: Kind) -> None:
    """Register list, create, read, update and delete routes of `kind` on `router`."""
    public, tag = kind.public, kind.path

    def list_records(
        session: SessionDep,
        user: CurrentUser,
        offset: int = Query(0, ge=0),
        limit: int = Query(1000, ge=1, le=10000),
    ) -> list[Any]:
        return records.list_records(session, kind, user, offset, limit)

    # The body types are the kind's models, known only at run time: mypy cannot check them,
    # FastAPI validates against them.
    def create_record(body: kind.create, session: SessionDep, user: CurrentUser) -> Any:  # type: ignore[name-defined]
        return records.create_record(session, kind, user, body)

    def read_record(record_id: int, session: SessionDep, user: CurrentUser) -> Any:
        return records.read_record(session, kind, user, record_id)

    def update_record(
        record_id: int,
        body: kind.update,  # type: ignore[name-defined]
        session: SessionDep,
        user: CurrentUser,
    ) -> Any:
        return records.update_record(session, kind, user, record_id, body)

    def delete_record(
        record_id: int,
        session: SessionDep,
        user: CurrentUser,
        version: int = Query(..., ge=1, description="the version last read; 409 if stale"),
    ) -> Response:
        records.delete_record(session, kind, user, record_id, version)
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
        # The kind's public model, known only at run time (as the body types above).
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


router = APIRouter()
for _kind in KINDS:
    add_crud_routes(router, _kind)
