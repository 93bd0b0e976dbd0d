"""Events people bake for, and the one module callers use for everything about them.

Events are unique by (name, year), the natural key used by import; the year is the event date's
unless given, and within 1900–9999. Pickers list upcoming events nearest first, then past events
newest first, and callers map the choice by id. An event with production or assembly runs recorded
against it (voided ones too) is never deleted; one with assignments only when asked. A clone copies
notes, assignments (their statuses reset to pending) and targets.

Assignments and fulfillment (``events.assignments``), targets (``events.targets``), progress
(``events.progress``) and planning — needs, suggestions, shopping list (``events.planning``) — are
re-exported here, so callers use this one module.
"""

from __future__ import annotations

from datetime import date
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
    ProductionRun,
)
from bake_tracker.services import dashboard_service, package_service
from bake_tracker.services.dto import EventDTO, EventSummaryRow
from bake_tracker.services.errors import (
    EventHasAssignmentsError,
    EventHasAttributedRunsError,
    ValidationError,
)
from bake_tracker.services.events.assignments import (
    assign_package_to_recipient,
    get_event_assignments,
    get_packages_by_status,
    package_costs,
    remove_assignment,
    update_assignment,
    update_fulfillment_status,
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
from bake_tracker.services.events.targets import (
    delete_assembly_target,
    delete_production_target,
    get_assembly_targets,
    get_production_targets,
    set_assembly_target,
    set_production_target,
    set_production_targets,
)
from bake_tracker.services.loading import count_rows, load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    UNCHANGED,
    Problems,
    refuse_unknown_fields,
    to_date,
    to_int,
    to_text,
)

EDITABLE_FIELDS = frozenset({"name", "event_date", "year", "notes"})
YEAR_MIN, YEAR_MAX = 1900, 9999  # the events table's CHECK ck_events_year_in_range
# What a clone copies besides the notes: (the event's relationship, its model, the fields copied)
CLONED = (
    ("assignments", EventRecipientPackage, ("recipient_id", "package_id", "quantity", "notes")),
    ("production_targets", EventProductionTarget, ("recipe_id", "target_batches", "notes")),
    ("assembly_targets", EventAssemblyTarget, ("finished_good_id", "target_quantity", "notes")),
)


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


# --- events ---------------------------------------------------------------------------------------


def update_event(event_id: int, /, *, session: Session | None = None, **fields: Any) -> EventDTO:
    """Change name, date, year or notes. Raises: EventNotFoundError, ValidationError."""
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "event")
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
    """Events newest first with recipients, packages, the estimated cost of the packages assigned
    (``estimated_cost``) and the planned cost of the targets (``planned_cost``, the dashboard's
    figure from ``dashboard_service.planned_costs``).

    Raises: ValidationError (a bad year).
    """
    year = _year_filter(year)
    with use_session(session) as s:
        query = select(Event).order_by(Event.event_date.desc(), Event.id.desc())
        if year is not None:
            query = query.where(Event.year == year)
        packages = selectinload(Event.assignments).selectinload(EventRecipientPackage.package)
        contents = package_service.package_contents()
        events = s.scalars(query.options(packages.options(*contents))).all()
        costs = package_costs(s, [a for event in events for a in event.assignments])
        planned = dashboard_service.planned_costs(s, [event.id for event in events])
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
                    planned_cost=planned[event.id],
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
        runs = count_rows(s, ProductionRun.event_id, event.id)
        assemblies = count_rows(s, AssemblyRun.event_id, event.id)
        if runs or assemblies:
            raise EventHasAttributedRunsError(runs, assemblies)
        assigned = count_rows(s, EventRecipientPackage.event_id, event.id)
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
        for relationship, model, fields in CLONED:
            for row in getattr(source, relationship):
                s.add(model(event_id=copy.id, **{name: getattr(row, name) for name in fields}))
        s.flush()
        return copy


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
