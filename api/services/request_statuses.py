"""The steps a placement request may take: one table, so no face or workflow invents its own.

Who takes a step is the caller's business (a school submits, a mentor approves, a solve locks,
a publication places, a company answers, the agreement work signs, the school closes); this
table only says which status may follow which. Every other step is refused with 409 naming the
request and both statuses.
"""

from __future__ import annotations

from datetime import datetime

from api.models import PlacementRequest, RequestStatus, utcnow
from api.services.errors import Conflict
from scheduler.said import said

R = RequestStatus

TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    R.draft: frozenset({R.submitted, R.withdrawn}),
    R.submitted: frozenset({R.approved, R.draft, R.withdrawn}),  # draft: the mentor sends back
    R.approved: frozenset({R.in_round, R.draft, R.withdrawn}),
    R.in_round: frozenset({R.placed, R.unplaced}),
    # A later publication (a repair, a company stop) may move or drop a placed pupil.
    R.placed: frozenset({R.confirmed, R.declined, R.unplaced}),
    R.unplaced: frozenset({R.placed}),
    # The repair after a decline places the pupil again or not; a company's newest answer counts.
    R.declined: frozenset({R.placed, R.unplaced, R.confirmed}),
    R.confirmed: frozenset({R.agreement_signed, R.declined, R.placed, R.unplaced}),
    R.agreement_signed: frozenset({R.done}),
    R.done: frozenset(),
    R.withdrawn: frozenset(),
}

# Statuses whose wishes are still the school's to change and whose round has not solved yet.
EDITABLE = frozenset({R.draft})
# Requests that enter a round's solve: approved by the mentor, or already in it.
ENTERED = frozenset(
    {R.approved, R.in_round, R.placed, R.unplaced, R.declined, R.confirmed, R.agreement_signed,
     R.done}
)  # fmt: skip
# Requests a publication of the round places or unplaces (a signed agreement stays signed).
PUBLISHED = frozenset({R.in_round, R.placed, R.unplaced, R.declined, R.confirmed})
# Requests the school has to act on when they wait: long in draft or submitted, or no seat.
WAITING = frozenset({R.draft, R.submitted})
NEEDS_PLACEMENT = frozenset({R.unplaced, R.declined})

# When each step is stamped on the request, besides `status_since`.
STAMPED = {
    R.submitted: "submitted_at",
    R.approved: "approved_at",
    R.placed: "placed_at",
    R.confirmed: "confirmed_at",
    R.agreement_signed: "signed_at",
    R.done: "done_at",
}


def check_step(request: PlacementRequest, target: RequestStatus) -> None:
    """Refuse a step the table does not allow (409, naming the request and both statuses)."""
    if target not in TRANSITIONS[request.status]:
        allowed = ", ".join(sorted(TRANSITIONS[request.status])) or "none"
        raise Conflict(
            f"request {request.id} is {request.status}: it cannot become {target} "
            f"(from {request.status}: {allowed})",
            code="request.step_refused",
            params={
                "request": request.id,
                "status": said(f"request_status.{request.status.value}"),
                "target": said(f"request_status.{target.value}"),
                "allowed": [
                    said(f"request_status.{s.value}") for s in sorted(TRANSITIONS[request.status])
                ]
                or "-",
            },
        )


def step(request: PlacementRequest, target: RequestStatus, at: datetime | None = None) -> None:
    """Move `request` to `target` if the table allows it, stamping when."""
    check_step(request, target)
    moment = at or utcnow()
    request.status = target
    request.status_since = moment
    if target in STAMPED:
        setattr(request, STAMPED[target], moment)
    request.version += 1
