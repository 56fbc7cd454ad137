"""Pins: a pupil held at a placement and period through every re-solve and repair.

The one home of the pin rules: `pin_problem` refuses a pin the pupil itself cannot take
(unknown, ineligible, too far: 422 naming the field), `check_pins` a set of pins the round
cannot hold together (`scheduler.steering.check_pins`: 409 naming each pupil at fault).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from api import audit
from api.models import Pin, PinCreate, User
from api.services.errors import Conflict, NotFound, field_error
from api.services.records import commit
from api.services.rounds import current_document, get_round
from scheduler import steering
from scheduler.contract.solution import Slot
from scheduler.domain import SteeringError
from scheduler.travel import student_travel_minutes
from scheduler.validation import parse_round

PinProblem = tuple[str, str, str, dict[str, Any]]  # field, why (English), its code, parameters


def pin_problem(document: dict[str, Any], pin: PinCreate) -> PinProblem | None:
    """(field, why, code, parameters) when a pin cannot hold in the round: unknown, ineligible
    or too far."""
    round_ = parse_round(document)
    student = round_.students.get(pin.student)
    if student is None:
        return "student", f"no pupil {pin.student!r} in this round", "pin.no_pupil", {}
    placement = round_.placements.get(pin.placement)
    ctx: dict[str, Any] = {"placement": pin.placement, "period": pin.period}
    if placement is None:
        return "placement", f"no placement {pin.placement!r} in this round", "pin.no_placement", ctx
    if pin.period not in placement.capacity or pin.period not in student.periods:
        why = f"{pin.placement} and the pupil share no period {pin.period!r}"
        return "period", why, "pin.no_period", ctx
    if not placement.admits(student.profile, student.track, student.year):
        why = f"{placement.id} does not admit this pupil's profile, track or year"
        return "placement", why, "pin.not_admitted", ctx
    if not student.accept_unranked and placement.id not in student.preferences:
        why = f"the pupil accepts only its wishes, and {placement.id} is not one"
        return "placement", why, "pin.not_a_wish", ctx
    minutes = student_travel_minutes(round_, student, placement.company)
    if minutes > student.max_travel_min:
        why = f"{minutes} min away, beyond the pupil's {student.max_travel_min}"
        ctx |= {"minutes": minutes, "limit": student.max_travel_min}
        return "placement", why, "pin.too_far", ctx
    return None


def check_pins(document: Mapping[str, Any], pins: Mapping[str, Slot]) -> None:
    """Refuse `pins` that cannot hold together in `document`, naming each pin at fault."""
    try:
        steering.check_pins(document, pins)
    except SteeringError as conflict:
        raise Conflict(
            [
                {"loc": ["pins", student], "msg": str(conflict), "type": "pin_conflict"}
                for student in conflict.students or sorted(pins)
            ]
        ) from None


def round_pins(session: Session, round_id: int | None) -> list[Pin]:
    return list(
        session.exec(select(Pin).where(Pin.round_id == round_id).order_by(col(Pin.id))).all()
    )


def list_pins(session: Session, user: User, round_id: int) -> list[Pin]:
    """The assignments pinned for re-solves of a round of the user's region."""
    get_round(session, user, round_id)
    return round_pins(session, round_id)


def create_pin(session: Session, user: User, round_id: int, body: PinCreate) -> Pin:
    """Pin a pupil to a placement and period, if the pupil can take it and the round can hold
    it with every other pin."""
    round_ = get_round(session, user, round_id)
    document = current_document(session, round_)
    problem = pin_problem(document, body)
    if problem:
        raise field_error(*problem)
    pins = round_pins(session, round_id)
    if any(p.student == body.student for p in pins):
        raise Conflict(
            [{"loc": ["body", "student"], "msg": "this pupil is already pinned",
              "type": "pin.already_pinned"}]
        )  # fmt: skip
    pinned = {p.student: (p.placement, p.period) for p in pins}
    pinned[body.student] = (body.placement, body.period)
    check_pins(document, pinned)
    pin = Pin(**body.model_dump(), round_id=round_id)
    session.add(pin)
    session.flush()
    audit.record(session, user, "create", "pin", pin.id, after=audit.snapshot(pin))
    commit(session)
    return pin


def delete_pin(session: Session, user: User, round_id: int, pin_id: int) -> None:
    """Unpin an assignment."""
    get_round(session, user, round_id)
    pin = session.get(Pin, pin_id)
    if pin is None or pin.round_id != round_id:
        raise NotFound(
            f"no pin {pin_id} in round {round_id}",
            code="pin.not_found",
            params={"pin": pin_id, "round": round_id},
        )
    audit.record(session, user, "delete", "pin", pin_id, before=audit.snapshot(pin))
    session.delete(pin)
    commit(session)
