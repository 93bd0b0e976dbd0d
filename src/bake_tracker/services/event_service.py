"""Events people bake for: the events themselves, who receives which package, and the targets.

Events are unique by (name, year), the natural key used by import. Pickers list upcoming events
nearest first, then past events newest first (spec decision 10), and callers map the choice by id.
An assignment moves pending → ready → delivered, one step at a time and never back (decision 2).
Targets are upserts that keep their notes unless new notes are given. Progress lives in
``event_progress`` and planning (needs, suggestions, shopping list) in ``event_planning``; both are
re-exported here so callers use one module, as contract.md names it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.models import (
    AssemblyRun,
    Event,
    EventAssemblyTarget,
    EventProductionTarget,
    EventRecipientPackage,
    FinishedGood,
    Package,
    PackageFinishedGood,
    ProductionRun,
    Recipe,
    Recipient,
)
from bake_tracker.services import (
    finished_good_service,
    package_service,
    recipe_service,
    recipient_service,
)
from bake_tracker.services.dto import (
    AssemblyTargetDTO,
    AssignmentDTO,
    EventDTO,
    EventSummaryRow,
    FulfillmentStatus,
    ProductionTargetDTO,
)
from bake_tracker.services.errors import (
    AssignmentNotFoundError,
    EventHasAssignmentsError,
    EventHasAttributedRunsError,
    EventNotFoundError,
    InvalidTransitionError,
    ValidationError,
)
from bake_tracker.services.events.planning import (
    export_shopping_list_csv,
    get_recipe_needs,
    get_shopping_list,
    suggest_production_targets,
)
from bake_tracker.services.events.progress import (
    check_assembly_target,
    check_production_target,
    get_assembly_progress,
    get_event_overall_progress,
    get_production_progress,
)
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import Problems, is_id, to_choice, to_date, to_int, to_text


def create_event(
    name: str,
    event_date: Any,
    *,
    year: Any = None,
    notes: str | None = None,
    session: Session | None = None,
) -> EventDTO:
    """Add an event; ``year`` defaults to the date's year.

    Raises:
        ValidationError (including a name already used that year).
    """
    with Problems() as p:
        title = to_text(name, "Name", p, max_length=200)
        when = to_date(event_date, "Event date", p)
        year_value = _event_year(year, when, p)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    with use_session(session) as s:
        _refuse_duplicate(s, title, year_value)
        event = Event(name=title, event_date=when, year=year_value, notes=notes)
        s.add(event)
        s.flush()
        return event_dto(event)


def get_event(event_id: int, *, session: Session | None = None) -> EventDTO:
    with use_session(session) as s:
        return event_dto(load_event(s, event_id))


def list_events(*, year: int | None = None, session: Session | None = None) -> list[EventDTO]:
    """Events newest first, optionally of one year. Raises: ValidationError (a bad year)."""
    year = _year_filter(year)
    with use_session(session) as s:
        query = select(Event).order_by(Event.event_date.desc(), Event.id.desc())
        if year is not None:
            query = query.where(Event.year == year)
        return [event_dto(e) for e in s.scalars(query)]


def list_events_for_picker(
    *, today: date | None = None, session: Session | None = None
) -> list[EventDTO]:
    """Upcoming events (on or after ``today``) nearest first, then past ones newest first."""
    today = today or date.today()
    with use_session(session) as s:
        upcoming = s.scalars(
            select(Event).where(Event.event_date >= today).order_by(Event.event_date, Event.id)
        ).all()
        past = s.scalars(
            select(Event)
            .where(Event.event_date < today)
            .order_by(Event.event_date.desc(), Event.id.desc())
        ).all()
        return [event_dto(e) for e in (*upcoming, *past)]


def _to_year(value: Any, p: Problems, *, required: bool = True) -> int | None:
    """A year the calendar (and the events table's CHECK) accepts: 1900–9999."""
    year = to_int(value, "Year", p, minimum=None, required=required)
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        p.add(f"Year must be between {YEAR_MIN} and {YEAR_MAX}")
        return None
    return year


def _event_year(year: Any, when: date | None, p: Problems) -> int | None:
    """``year`` when given, else the event date's year; either way within 1900–9999."""
    if year is not None:
        return _to_year(year, p)
    if when is not None and not YEAR_MIN <= when.year <= YEAR_MAX:
        p.add(f"Event date must be in the years {YEAR_MIN} to {YEAR_MAX} (not {when.year})")
        return None
    return when.year if when else None


def _year_filter(year: Any) -> int | None:
    with Problems() as p:
        return _to_year(year, p, required=False)


def load_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id) if is_id(event_id) else None
    if event is None:
        raise EventNotFoundError(event_id)
    return event


def event_dto(event: Event) -> EventDTO:
    return EventDTO(
        id=event.id,
        name=event.name,
        event_date=event.event_date,
        year=event.year,
        notes=event.notes,
    )


def _refuse_duplicate(
    session: Session, name: str, year: int, exclude_id: int | None = None
) -> None:
    query = select(Event.id).where(
        func.lower(Event.name) == func.lower(literal(name)), Event.year == year
    )
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    if session.scalar(query) is not None:
        raise ValidationError(f"There is already an event named '{name}' in {year}")


UNCHANGED: Any = object()  # "leave the notes as they are" for the target upserts
EDITABLE_FIELDS = frozenset({"name", "event_date", "year", "notes"})
YEAR_MIN, YEAR_MAX = 1900, 9999  # the events table's CHECK ck_events_year_in_range
STATUS_ORDER = tuple(s.value for s in FulfillmentStatus)
NEXT_STATUS = {"pending": ("ready",), "ready": ("delivered",), "delivered": ()}


# --- events ---------------------------------------------------------------------------------------


def update_event(event_id: int, /, *, session: Session | None = None, **fields: Any) -> EventDTO:
    """Change name, date, year or notes. Raises: EventNotFoundError, ValidationError."""
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown event field(s): {', '.join(unknown)}")
    with use_session(session) as s:
        event = load_event(s, event_id)
        with Problems() as p:
            name = to_text(fields.get("name", event.name), "Name", p, max_length=200)
            when = to_date(fields.get("event_date", event.event_date), "Event date", p)
            if "year" in fields:
                year = _to_year(fields["year"], p)
            else:
                year = _event_year(None, when, p) if "event_date" in fields else event.year
            notes = to_text(
                fields.get("notes", event.notes), "Notes", p, max_length=2000, required=False
            )
        _refuse_duplicate(s, name, year, exclude_id=event.id)
        event.name, event.event_date, event.year, event.notes = name, when, year, notes
        s.flush()
        return event_dto(event)


def list_event_summaries(
    *, year: int | None = None, session: Session | None = None
) -> list[EventSummaryRow]:
    """Events newest first with recipients, packages and the estimated cost of what is assigned.

    Raises: ValidationError (a bad year).
    """
    year = _year_filter(year)
    with use_session(session) as s:
        query = select(Event).order_by(Event.event_date.desc(), Event.id.desc())
        if year is not None:
            query = query.where(Event.year == year)
        packages = selectinload(Event.assignments).selectinload(EventRecipientPackage.package)
        events = s.scalars(query.options(packages.options(*_PACKAGE_CONTENTS))).all()
        costs = _package_costs(s, [a for event in events for a in event.assignments])
        rows = []
        for event in events:
            total = sum((costs[a.package_id] * a.quantity for a in event.assignments), Decimal(0))
            rows.append(
                EventSummaryRow(
                    id=event.id,
                    name=event.name,
                    event_date=event.event_date,
                    year=event.year,
                    recipient_count=len({a.recipient_id for a in event.assignments}),
                    package_count=sum(a.quantity for a in event.assignments),
                    estimated_cost=total,
                    notes=event.notes,
                )
            )
        return rows


def get_available_years(*, session: Session | None = None) -> list[int]:
    with use_session(session) as s:
        return list(s.scalars(select(Event.year).distinct().order_by(Event.year.desc())))


def delete_event(
    event_id: int, *, cascade_assignments: bool = False, session: Session | None = None
) -> None:
    """Delete an event with its targets (and assignments, only when asked).

    Raises:
        EventNotFoundError; EventHasAttributedRunsError when production or assembly runs (voided
        ones too) are recorded against it — nothing is deleted and the runs keep their event;
        EventHasAssignmentsError when it has assignments and ``cascade_assignments`` is false.
    """
    with use_session(session) as s:
        event = load_event(s, event_id)
        runs = _count(s, ProductionRun.event_id, event.id)
        assemblies = _count(s, AssemblyRun.event_id, event.id)
        if runs or assemblies:
            raise EventHasAttributedRunsError(runs, assemblies)
        assigned = _count(s, EventRecipientPackage.event_id, event.id)
        if assigned and not cascade_assignments:
            raise EventHasAssignmentsError(assigned)
        s.delete(event)
        s.flush()


def clone_event(
    event_id: int, *, new_name: str, new_event_date: Any, session: Session | None = None
) -> EventDTO:
    """A new event with this one's notes, assignments (statuses reset) and targets.

    Raises:
        EventNotFoundError, ValidationError.
    """
    with use_session(session) as s:
        source = load_event(s, event_id)
        copy = create_event(new_name, new_event_date, notes=source.notes, session=s)
        for a in source.assignments:
            s.add(
                EventRecipientPackage(
                    event_id=copy.id,
                    recipient_id=a.recipient_id,
                    package_id=a.package_id,
                    quantity=a.quantity,
                    notes=a.notes,
                )
            )
        for t in source.production_targets:
            s.add(
                EventProductionTarget(
                    event_id=copy.id,
                    recipe_id=t.recipe_id,
                    target_batches=t.target_batches,
                    notes=t.notes,
                )
            )
        for t in source.assembly_targets:
            s.add(
                EventAssemblyTarget(
                    event_id=copy.id,
                    finished_good_id=t.finished_good_id,
                    target_quantity=t.target_quantity,
                    notes=t.notes,
                )
            )
        s.flush()
        return copy


# --- assignments and fulfillment ------------------------------------------------------------------


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
        assignment = s.get(EventRecipientPackage, assignment_id) if _is_id(assignment_id) else None
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
                selectinload(EventRecipientPackage.package).options(*_PACKAGE_CONTENTS),
            )
            .order_by(func.lower(Recipient.name), EventRecipientPackage.id)
        )
        if wanted:
            query = query.where(EventRecipientPackage.fulfillment_status == wanted)
        assignments = s.scalars(query).all()
        costs = _package_costs(s, assignments)
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
    assignment = (
        session.get(EventRecipientPackage, assignment_id) if _is_id(assignment_id) else None
    )
    if assignment is None:
        raise AssignmentNotFoundError(assignment_id)
    return assignment


def assignment_dto(
    session: Session, a: EventRecipientPackage, package_cost: Decimal | None = None
) -> AssignmentDTO:
    """The assignment's DTO; a list passes each ``package_cost`` (one package's estimated cost),
    read for all at once by ``_package_costs``."""
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


# What an assigned package's cost and coverage need: its goods with their components (and stock
# counts), and its packaging; loaded under the package for a list of assignments.
_PACKAGE_CONTENTS = (
    selectinload(Package.items)
    .selectinload(PackageFinishedGood.finished_good)
    .selectinload(FinishedGood.components),
    selectinload(Package.packaging),
)


def _package_costs(
    session: Session, assignments: list[EventRecipientPackage]
) -> dict[int, Decimal]:
    """{package id: estimated cost} of the assigned packages, in a fixed number of statements."""
    packages = {a.package_id: a.package for a in assignments}
    return package_service.estimated_costs(session, packages.values()) if packages else {}


def _covered(a: EventRecipientPackage) -> bool:
    """Whether finished goods in stock cover this assignment's packages (alone)."""
    return all(
        item.finished_good.inventory_count >= item.quantity * a.quantity for item in a.package.items
    )


# --- targets --------------------------------------------------------------------------------------


def set_production_target(
    event_id: int,
    recipe_id: int,
    target_batches: Any,
    *,
    notes: Any = UNCHANGED,
    session: Session | None = None,
) -> ProductionTargetDTO:
    """Set how many batches of a recipe the event needs (insert or update; notes kept unless given).

    Raises:
        ValidationError (a ValueError: "target_batches must be positive"), EventNotFoundError,
        RecipeNotFoundError.
    """
    batches, new_notes = _target_values(target_batches, "target_batches", notes)
    with use_session(session) as s:
        event = load_event(s, event_id)
        recipe = recipe_service.load_recipe(s, recipe_id)
        target = _upsert_target(s, EventProductionTarget, "recipe_id", event.id, recipe.id)
        target.target_batches = batches
        _flush_target(s, target, new_notes)
        return _production_target_dto(target, recipe.name)


def set_production_targets(
    event_id: int, batches_by_recipe: dict[int, Any], *, session: Session | None = None
) -> list[ProductionTargetDTO]:
    """Set several production targets in one transaction (all or none), e.g. accepted
    suggestions; notes are kept."""
    with use_session(session) as s:
        return [
            set_production_target(event_id, recipe_id, batches, session=s)
            for recipe_id, batches in batches_by_recipe.items()
        ]


def set_assembly_target(
    event_id: int,
    finished_good_id: int,
    target_quantity: Any,
    *,
    notes: Any = UNCHANGED,
    session: Session | None = None,
) -> AssemblyTargetDTO:
    """Set how many of a finished good the event needs (upsert; notes kept unless given)."""
    quantity, new_notes = _target_values(target_quantity, "target_quantity", notes)
    with use_session(session) as s:
        event = load_event(s, event_id)
        good = finished_good_service.load_finished_good(s, finished_good_id)
        target = _upsert_target(s, EventAssemblyTarget, "finished_good_id", event.id, good.id)
        target.target_quantity = quantity
        _flush_target(s, target, new_notes)
        return _assembly_target_dto(target, good.display_name)


def get_production_targets(
    event_id: int, *, session: Session | None = None
) -> list[ProductionTargetDTO]:
    with use_session(session) as s:
        return _targets(
            s, event_id, EventProductionTarget, Recipe, Recipe.name, _production_target_dto
        )


def get_assembly_targets(
    event_id: int, *, session: Session | None = None
) -> list[AssemblyTargetDTO]:
    with use_session(session) as s:
        return _targets(
            s,
            event_id,
            EventAssemblyTarget,
            FinishedGood,
            FinishedGood.display_name,
            _assembly_target_dto,
        )


def delete_production_target(
    event_id: int, recipe_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(EventProductionTarget, "recipe_id", event_id, recipe_id, session)


def delete_assembly_target(
    event_id: int, finished_good_id: int, *, session: Session | None = None
) -> bool:
    return _delete_target(
        EventAssemblyTarget, "finished_good_id", event_id, finished_good_id, session
    )


def _find_target(session: Session, model, key: str, event_id: int, item_id: int):
    """The event's target of ``model`` (EventProductionTarget or EventAssemblyTarget) whose
    ``key`` column ("recipe_id", "finished_good_id") is ``item_id``, or None."""
    return session.scalar(
        select(model).where(model.event_id == event_id, getattr(model, key) == item_id)
    )


def _upsert_target(session: Session, model, key: str, event_id: int, item_id: int):
    """The event's target for the item (see ``_find_target``), added to the session when new."""
    target = _find_target(session, model, key, event_id, item_id)
    if target is None:
        target = model(event_id=event_id, **{key: item_id})
        session.add(target)
    return target


def _flush_target(session: Session, target, notes: Any) -> None:
    """Set the target's notes unless they are ``UNCHANGED``, and flush."""
    if notes is not UNCHANGED:
        target.notes = notes
    session.flush()


def _targets(session: Session, event_id: int, model, item_model, name_column, to_dto) -> list:
    """The event's targets of ``model``, each as ``to_dto(target, name)`` with the name in
    ``name_column`` of its ``item_model`` (a recipe or finished good), by name case-insensitively.

    Raises:
        EventNotFoundError.
    """
    load_event(session, event_id)
    rows = session.execute(
        select(model, name_column)
        .join(item_model)
        .where(model.event_id == event_id)
        .order_by(func.lower(name_column))
    )
    return [to_dto(t, name) for t, name in rows]


def _delete_target(model, key: str, event_id: int, item_id: int, session: Session | None) -> bool:
    """Delete the event's target for the item (see ``_find_target``); whether there was one."""
    if not (is_id(event_id) and is_id(item_id)):  # no such target (and no driver overflow)
        return False
    with use_session(session) as s:
        target = _find_target(s, model, key, event_id, item_id)
        if target is None:
            return False
        s.delete(target)
        s.flush()
        return True


def _target_values(value: Any, field: str, notes: Any) -> tuple[int, Any]:
    with Problems() as p:
        number = to_int(value, field, p, minimum=None)
        if number is not None and number <= 0:
            p.add(f"{field} must be positive")
        if notes is not UNCHANGED:
            notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    return number, notes


def _production_target_dto(t: EventProductionTarget, name: str) -> ProductionTargetDTO:
    return ProductionTargetDTO(t.id, t.event_id, t.recipe_id, name, t.target_batches, t.notes)


def _assembly_target_dto(t: EventAssemblyTarget, name: str) -> AssemblyTargetDTO:
    return AssemblyTargetDTO(t.id, t.event_id, t.finished_good_id, name, t.target_quantity, t.notes)


def _count(session: Session, column, value: int) -> int:
    return session.scalar(select(func.count()).where(column == value)) or 0


def _is_id(value: Any) -> bool:
    return is_id(value)


__all__ = [
    "UNCHANGED",
    "assign_package_to_recipient",
    "check_assembly_target",
    "check_production_target",
    "clone_event",
    "create_event",
    "delete_assembly_target",
    "delete_event",
    "delete_production_target",
    "export_shopping_list_csv",
    "get_assembly_progress",
    "get_assembly_targets",
    "get_available_years",
    "get_event",
    "get_event_assignments",
    "get_event_overall_progress",
    "get_packages_by_status",
    "get_production_progress",
    "get_production_targets",
    "get_recipe_needs",
    "get_shopping_list",
    "list_event_summaries",
    "list_events",
    "list_events_for_picker",
    "remove_assignment",
    "set_assembly_target",
    "set_production_target",
    "set_production_targets",
    "suggest_production_targets",
    "update_assignment",
    "update_event",
    "update_fulfillment_status",
]
