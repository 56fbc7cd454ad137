"""Data entry: schools, pupils, classes, teachers, companies, placements, offers, electives,
elective requests and together/apart pupil pairs, each with the scope SPEC section 7 gives its
role.

A school enters its own pupils, classes, teachers, electives and pairs of its own pupils; a
company its own placements and offers; the bureau everything of its region, pairs across schools
included. Schools see the region's catalogue (companies, placements, offers, electives) to enter
wishes; a company sees only its own records.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import Session, select

from api.crud import Kind, add_crud_routes, check_pupil, field_error, http_error
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
    User,
)

B, S, C = Role.bureau, Role.school, Role.company
SCHOOL_CREATES = frozenset({B, S})
COMPANY_CREATES = frozenset({B, C})


def check_elective_request(session: Session, user: User, request: Any) -> None:
    """The pupil must be in scope and every choice an elective of the region."""
    pupil = session.get(Pupil, request.pupil_id)
    if pupil is None or pupil.region_id != user.region_id:
        raise field_error("pupil_id", "no such pupil in your region")
    if user.role == Role.school and pupil.school_id != user.school_id:
        raise http_error(403, "pupil_id: not a pupil of your school")
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
        pupils = []
        for name in ("pupil_a_id", "pupil_b_id"):
            pupil = session.get(Pupil, getattr(pair, name)) if getattr(pair, name) else None
            if pupil is None or pupil.region_id != user.region_id:
                raise field_error(name, "no such pupil in your region")
            if user.role == Role.school and pupil.school_id != user.school_id:
                raise http_error(403, f"{name}: not a pupil of your school")
            pupils.append(pupil)
        first, second = sorted(pupils, key=lambda p: p.id)
        if first.id == second.id:
            raise field_error("pupil_b_id", "a pupil cannot be paired with itself")
        taken = session.exec(
            select(PupilPair).where(
                PupilPair.pupil_a_id == first.id, PupilPair.pupil_b_id == second.id
            )
        ).first()
    if taken is not None and taken.id != pair.id:
        raise http_error(
            409,
            [{"loc": ["body", "pupil_b_id"],
              "msg": f"{first.code} and {second.code} are already paired ({taken.kind}, "
                     f"pair {taken.id}): change that pair instead"}],
        )  # fmt: skip
    pair.pupil_a_id, pair.pupil_b_id = first.id, second.id
    pair.school_id = first.school_id if first.school_id == second.school_id else None


def check_placement(session: Session, user: User, placement: Any) -> None:
    """Capacity periods are what pupils are matched on: at least one, none negative."""
    if not placement.capacity:
        raise field_error("capacity", "give the seats per period, e.g. {'P3': 2}")


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
    ),
)

router = APIRouter()
for _kind in KINDS:
    add_crud_routes(router, _kind)
