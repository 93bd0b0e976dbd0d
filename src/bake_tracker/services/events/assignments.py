"""Who gets which package at an event, and how far its fulfillment has come.

A recipient gets a package at an event at most once (change the quantity instead). An assignment
moves pending → ready → delivered, one step at a time and never back; delivering stamps the time.
Marking one ready never checks stock: ``covered`` tells whether finished goods in stock cover it.
An assignment's estimated cost is its package's estimated cost × its quantity.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.models import EventRecipientPackage, Recipient
from bake_tracker.services import package_service, recipient_service
from bake_tracker.services.dto import AssignmentDTO, FulfillmentStatus
from bake_tracker.services.errors import (
    AssignmentNotFoundError,
    InvalidTransitionError,
    ValidationError,
)
from bake_tracker.services.loading import get_or_none, get_or_raise, load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import UNCHANGED, Problems, to_choice, to_int, to_text

STATUS_ORDER = tuple(status.value for status in FulfillmentStatus)  # the steps, in order
NEXT_STATUS = {  # the one step forward from each status (none after the last)
    status: STATUS_ORDER[position + 1 : position + 2]
    for position, status in enumerate(STATUS_ORDER)
}


def assign_package_to_recipient(
    event_id: int,
    recipient_id: int,
    package_id: int,
    *,
    quantity: Any = 1,
    notes: str | None = None,
    session: Session | None = None,
) -> AssignmentDTO:
    """Give a recipient ``quantity`` of a package at an event.

    Raises:
        EventNotFoundError, RecipientNotFoundError, PackageNotFoundError, ValidationError
        (quantity below 1, or the same package already assigned to that recipient there).
    """
    with Problems() as p:
        qty = to_int(quantity, "Quantity", p, minimum=1)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    with use_session(session) as s:
        event = load_event(s, event_id)
        recipient = recipient_service.load_recipient(s, recipient_id)
        package = package_service.load_package(s, package_id)
        duplicate = s.scalar(
            select(EventRecipientPackage.id).where(
                EventRecipientPackage.event_id == event.id,
                EventRecipientPackage.recipient_id == recipient.id,
                EventRecipientPackage.package_id == package.id,
            )
        )
        if duplicate is not None:
            raise ValidationError(
                f"{recipient.name} already gets '{package.name}' at {event.name}; "
                "change that assignment's quantity instead"
            )
        assignment = EventRecipientPackage(
            event_id=event.id, recipient=recipient, package=package, quantity=qty, notes=notes
        )
        s.add(assignment)
        s.flush()
        return assignment_dto(s, assignment)


def update_assignment(
    assignment_id: int,
    *,
    quantity: Any = UNCHANGED,
    notes: Any = UNCHANGED,
    session: Session | None = None,
) -> AssignmentDTO:
    with use_session(session) as s:
        assignment = load_assignment(s, assignment_id)
        with Problems() as p:
            if quantity is not UNCHANGED:
                assignment.quantity = to_int(quantity, "Quantity", p, minimum=1)
            if notes is not UNCHANGED:
                assignment.notes = to_text(notes, "Notes", p, max_length=2000, required=False)
        s.flush()
        return assignment_dto(s, assignment)


def remove_assignment(assignment_id: int, *, session: Session | None = None) -> bool:
    with use_session(session) as s:
        assignment = get_or_none(s, EventRecipientPackage, assignment_id)
        if assignment is None:
            return False
        s.delete(assignment)
        s.flush()
        return True


def get_event_assignments(event_id: int, *, session: Session | None = None) -> list[AssignmentDTO]:
    """The event's assignments by recipient name."""
    return get_packages_by_status(event_id, None, session=session)


def get_packages_by_status(
    event_id: int, status: Any = None, *, session: Session | None = None
) -> list[AssignmentDTO]:
    """Assignments of an event, all or those in one fulfillment status, by recipient name."""
    with Problems() as p:
        wanted = None if status is None else to_choice(str(status), "Status", STATUS_ORDER, p)
    with use_session(session) as s:
        load_event(s, event_id)
        query = (
            select(EventRecipientPackage)
            .join(Recipient)
            .where(EventRecipientPackage.event_id == event_id)
            .options(
                selectinload(EventRecipientPackage.recipient),
                selectinload(EventRecipientPackage.package).options(
                    *package_service.package_contents()
                ),
            )
            .order_by(func.lower(Recipient.name), EventRecipientPackage.id)
        )
        if wanted:
            query = query.where(EventRecipientPackage.fulfillment_status == wanted)
        assignments = s.scalars(query).all()
        costs = package_costs(s, assignments)
        return [assignment_dto(s, a, costs[a.package_id]) for a in assignments]


def update_fulfillment_status(
    assignment_id: int,
    new_status: Any,
    *,
    delivered_to: str | None = None,
    session: Session | None = None,
) -> AssignmentDTO:
    """Move an assignment one step forward: pending → ready → delivered.

    Delivery stamps ``delivered_at`` (now) and keeps the optional ``delivered_to`` note. Marking
    ready is allowed even when stock does not cover it; the result's ``covered`` tells the caller.

    Raises:
        AssignmentNotFoundError, InvalidTransitionError (a skip or a step back; a ValueError).
    """
    with Problems() as p:
        note = to_text(delivered_to, "Delivered to", p, max_length=500, required=False)
    with use_session(session) as s:
        assignment = load_assignment(s, assignment_id)
        current = assignment.fulfillment_status
        wanted = str(getattr(new_status, "value", new_status)).strip().lower()
        allowed = list(NEXT_STATUS[current])
        if wanted not in allowed:
            raise InvalidTransitionError(current, wanted, allowed)
        assignment.fulfillment_status = wanted
        if wanted == FulfillmentStatus.DELIVERED:
            assignment.delivered_at = datetime.now(UTC)
            assignment.delivered_to = note
        s.flush()
        return assignment_dto(s, assignment)


def load_assignment(session: Session, assignment_id: int) -> EventRecipientPackage:
    return get_or_raise(session, EventRecipientPackage, assignment_id, AssignmentNotFoundError)


def assignment_dto(
    session: Session, a: EventRecipientPackage, package_cost: Decimal | None = None
) -> AssignmentDTO:
    """The assignment's DTO; a list passes each ``package_cost`` (one package's estimated cost),
    read for all at once by ``package_costs``."""
    if package_cost is None:
        package_cost = package_service.estimated_cost(session, a.package)
    return AssignmentDTO(
        id=a.id,
        event_id=a.event_id,
        recipient_id=a.recipient_id,
        recipient_name=a.recipient.name,
        package_id=a.package_id,
        package_name=a.package.name,
        quantity=a.quantity,
        fulfillment_status=a.fulfillment_status,
        delivered_to=a.delivered_to,
        delivered_at=a.delivered_at,
        covered=_covered(a),
        notes=a.notes,
        estimated_cost=package_cost * a.quantity,
    )


def package_costs(session: Session, assignments: list[EventRecipientPackage]) -> dict[int, Decimal]:
    """{package id: estimated cost} of the assigned packages, in a fixed number of statements
    (their contents loaded with ``package_service.package_contents()``)."""
    packages = {a.package_id: a.package for a in assignments}
    return package_service.estimated_costs(session, packages.values()) if packages else {}


def _covered(a: EventRecipientPackage) -> bool:
    """Whether finished goods in stock cover this assignment's packages (alone)."""
    return all(
        item.finished_good.inventory_count >= item.quantity * a.quantity for item in a.package.items
    )
