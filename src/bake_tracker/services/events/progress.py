"""How far an event has come: target progress and overall progress (read-only).

Only the event's own, non-voided runs count; standalone runs and other events' runs never do.
What they add up to is read from the event's stored totals (``event_production_totals``,
``event_assembly_totals``: one row per event and item, kept by every run write), never summed over
the runs, so progress costs the same in a bakery's fifth year as in its first. Percentages are
``Decimal`` to one place, not capped (5 of 4 batches is 125.0 %). Each figure is one query, never
one query per target, so progress does not slow down as targets are added either.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Row, and_, bindparam, func, select
from sqlalchemy.orm import Session

from bake_tracker.models import (
    EventRecipientPackage,
)
from bake_tracker.services.dto import (
    AssemblyProgress,
    FulfillmentStatus,
    OverallProgress,
    ProductionProgress,
    TargetCheck,
)
from bake_tracker.services.errors import EventNotFoundError
from bake_tracker.services.events.targets import ASSEMBLY, PRODUCTION, TargetKind
from bake_tracker.services.loading import require_event
from bake_tracker.services.transactions import core_execute, table_column, use_session
from bake_tracker.services.validation import is_id

ONE_PLACE = Decimal("0.1")


def percent(done: int, target: int) -> Decimal:
    return (Decimal(done) * 100 / Decimal(target)).quantize(ONE_PLACE, ROUND_HALF_UP)


def _progress_rows(session: Session, event_id: int, kind: TargetKind) -> list[Row]:
    """The event's targets of ``kind`` by item name case-insensitively, each row with ``item_id``,
    ``name``, ``target`` and each of the kind's sums by its label, over the event's non-voided runs
    of the item, read from its stored total (0 when there is none). One query, run as Core;
    whether the event
    exists is asked only when it has no target of the kind (a target's event exists: foreign key).

    Raises:
        EventNotFoundError.
    """
    if not is_id(event_id):  # an id no event could have: no query (no driver overflow)
        raise EventNotFoundError(event_id)
    rows = core_execute(session, _PROGRESS[kind.model], {"event_id": event_id}).all()
    if not rows:
        require_event(session, event_id)
    return rows


def _progress_query(kind: TargetKind):
    """The query of ``_progress_rows`` for ``kind``, for any event (``event_id``). On the tables'
    columns, not the ORM attributes (``table_column``): the window's first paint runs it."""
    event_id = bindparam("event_id")
    target, items, total = (m.__table__ for m in (kind.model, kind.item_model, kind.total_model))
    target_key, name = target.c[kind.key], table_column(kind.name)
    return (
        select(
            target_key.label("item_id"),
            name.label("name"),
            table_column(kind.amount).label("target"),
            *(
                func.coalesce(table_column(column), 0).label(label)
                for label, column in kind.sums.items()
            ),
        )
        .select_from(target)
        .join(items, items.c.id == target_key)
        .outerjoin(  # the target's own total: same event, same item (its primary key)
            total,
            and_(total.c.event_id == target.c.event_id, total.c[kind.key] == target_key),
        )
        .where(target.c.event_id == event_id)
        .order_by(func.lower(name))
    )


_PROGRESS = {kind.model: _progress_query(kind) for kind in (PRODUCTION, ASSEMBLY)}
_PACKAGES = EventRecipientPackage.__table__.c


def get_production_progress(
    event_id: int, *, session: Session | None = None
) -> list[ProductionProgress]:
    """One row per production target, by recipe name."""
    with use_session(session) as s:
        return [
            ProductionProgress(
                recipe_id=row.item_id,
                recipe_name=row.name,
                target_batches=row.target,
                produced_batches=row.batches,
                produced_yield=row.units,
                progress_pct=percent(row.batches, row.target),
                is_complete=row.batches >= row.target,
            )
            for row in _progress_rows(s, event_id, PRODUCTION)
        ]


def get_assembly_progress(
    event_id: int, *, session: Session | None = None
) -> list[AssemblyProgress]:
    """One row per assembly target, by finished good name."""
    with use_session(session) as s:
        return [
            AssemblyProgress(
                finished_good_id=row.item_id,
                finished_good_name=row.name,
                target_quantity=row.target,
                assembled_quantity=row.done,
                progress_pct=percent(row.done, row.target),
                is_complete=row.done >= row.target,
            )
            for row in _progress_rows(s, event_id, ASSEMBLY)
        ]


def get_event_overall_progress(event_id: int, *, session: Session | None = None) -> OverallProgress:
    """Targets complete, and assignments (rows) and packages (Σ quantity) by status."""
    with use_session(session) as s:
        production = get_production_progress(event_id, session=s)
        assembly = get_assembly_progress(event_id, session=s)
        rows = core_execute(
            s,
            select(
                _PACKAGES.fulfillment_status,
                func.count().label("assignments"),
                func.sum(_PACKAGES.quantity).label("packages"),
            )
            .where(_PACKAGES.event_id == event_id)
            .group_by(_PACKAGES.fulfillment_status),
        ).all()
    assignments = {row.fulfillment_status: row.assignments for row in rows}
    packages = {row.fulfillment_status: row.packages for row in rows}
    done_production = sum(1 for p in production if p.is_complete)
    done_assembly = sum(1 for a in assembly if a.is_complete)
    return OverallProgress(
        production_targets_count=len(production),
        production_complete_count=done_production,
        production_complete=done_production == len(production),
        assembly_targets_count=len(assembly),
        assembly_complete_count=done_assembly,
        assembly_complete=done_assembly == len(assembly),
        assignments_pending=assignments.get(FulfillmentStatus.PENDING, 0),
        assignments_ready=assignments.get(FulfillmentStatus.READY, 0),
        assignments_delivered=assignments.get(FulfillmentStatus.DELIVERED, 0),
        assignments_total=sum(assignments.values()),
        packages_pending=packages.get(FulfillmentStatus.PENDING, 0),
        packages_ready=packages.get(FulfillmentStatus.READY, 0),
        packages_delivered=packages.get(FulfillmentStatus.DELIVERED, 0),
        packages_total=sum(packages.values()),
    )


def check_production_target(
    event_id: int, recipe_id: int, batches: int, *, session: Session | None = None
) -> TargetCheck | None:
    """The event's target for the recipe against what recording ``batches`` more would make
    (None when the event has no target for it)."""
    with use_session(session) as s:
        row = next(
            (p for p in get_production_progress(event_id, session=s) if p.recipe_id == recipe_id),
            None,
        )
    if row is None:
        return None
    return _target_check(row.target_batches, row.produced_batches, batches)


def check_assembly_target(
    event_id: int, finished_good_id: int, quantity: int, *, session: Session | None = None
) -> TargetCheck | None:
    """Like ``check_production_target`` for an assembly target."""
    with use_session(session) as s:
        row = next(
            (
                p
                for p in get_assembly_progress(event_id, session=s)
                if p.finished_good_id == finished_good_id
            ),
            None,
        )
    if row is None:
        return None
    return _target_check(row.target_quantity, row.assembled_quantity, quantity)


def _target_check(target: int, done: int, more: int) -> TargetCheck:
    """A target against ``done`` so far and ``more`` about to be recorded."""
    after = done + more
    return TargetCheck(target, done, more, after, percent(after, target), after > target)
