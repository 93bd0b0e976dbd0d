"""How far an event has come: target progress and overall progress (read-only).

Only the event's own, non-voided runs count; standalone runs and other events' runs never do.
Percentages are ``Decimal`` to one place, not capped (5 of 4 batches is 125.0 %). Each figure is one
grouped query, never one query per target (domain.md §5 #26).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from src.models import (
    AssemblyRun,
    EventAssemblyTarget,
    EventProductionTarget,
    EventRecipientPackage,
    FinishedGood,
    ProductionRun,
    Recipe,
)
from src.services import run_support
from src.services.dto import AssemblyProgress, OverallProgress, ProductionProgress, TargetCheck
from src.services.transactions import use_session

ONE_PLACE = Decimal("0.1")


def percent(done: int, target: int) -> Decimal:
    return (Decimal(done) * 100 / Decimal(target)).quantize(ONE_PLACE, ROUND_HALF_UP)


def get_production_progress(
    event_id: int, *, session: Session | None = None
) -> list[ProductionProgress]:
    """One row per production target, by recipe name."""
    produced = (
        select(
            ProductionRun.recipe_id,
            func.sum(ProductionRun.num_batches).label("batches"),
            func.sum(ProductionRun.actual_yield).label("units"),
        )
        .where(ProductionRun.event_id == event_id, ProductionRun.voided_at.is_(None))
        .group_by(ProductionRun.recipe_id)
        .subquery()
    )
    query = (
        select(
            EventProductionTarget.recipe_id,
            Recipe.name,
            EventProductionTarget.target_batches,
            func.coalesce(produced.c.batches, 0),
            func.coalesce(produced.c.units, 0),
        )
        .join(Recipe, Recipe.id == EventProductionTarget.recipe_id)
        .outerjoin(produced, produced.c.recipe_id == EventProductionTarget.recipe_id)
        .where(EventProductionTarget.event_id == event_id)
        .order_by(func.lower(Recipe.name))
    )
    with use_session(session) as s:
        run_support.load_event(s, event_id)
        return [
            ProductionProgress(
                recipe_id=recipe_id,
                recipe_name=name,
                target_batches=target,
                produced_batches=batches,
                produced_yield=units,
                progress_pct=percent(batches, target),
                is_complete=batches >= target,
            )
            for recipe_id, name, target, batches, units in s.execute(query)
        ]


def get_assembly_progress(
    event_id: int, *, session: Session | None = None
) -> list[AssemblyProgress]:
    """One row per assembly target, by finished good name."""
    assembled = (
        select(AssemblyRun.finished_good_id, func.sum(AssemblyRun.quantity_assembled).label("done"))
        .where(AssemblyRun.event_id == event_id, AssemblyRun.voided_at.is_(None))
        .group_by(AssemblyRun.finished_good_id)
        .subquery()
    )
    query = (
        select(
            EventAssemblyTarget.finished_good_id,
            FinishedGood.display_name,
            EventAssemblyTarget.target_quantity,
            func.coalesce(assembled.c.done, 0),
        )
        .join(FinishedGood, FinishedGood.id == EventAssemblyTarget.finished_good_id)
        .outerjoin(assembled, assembled.c.finished_good_id == EventAssemblyTarget.finished_good_id)
        .where(EventAssemblyTarget.event_id == event_id)
        .order_by(func.lower(FinishedGood.display_name))
    )
    with use_session(session) as s:
        run_support.load_event(s, event_id)
        return [
            AssemblyProgress(
                finished_good_id=good_id,
                finished_good_name=name,
                target_quantity=target,
                assembled_quantity=done,
                progress_pct=percent(done, target),
                is_complete=done >= target,
            )
            for good_id, name, target, done in s.execute(query)
        ]


def get_event_overall_progress(event_id: int, *, session: Session | None = None) -> OverallProgress:
    """Targets complete, and assignments (rows) and packages (Σ quantity) by status."""
    with use_session(session) as s:
        production = get_production_progress(event_id, session=s)
        assembly = get_assembly_progress(event_id, session=s)
        rows = s.execute(
            select(
                EventRecipientPackage.fulfillment_status,
                func.count(),
                func.sum(EventRecipientPackage.quantity),
            )
            .where(EventRecipientPackage.event_id == event_id)
            .group_by(EventRecipientPackage.fulfillment_status)
        ).all()
    assignments = {status: count for status, count, _ in rows}
    packages = {status: quantity for status, _, quantity in rows}
    done_production = sum(1 for p in production if p.is_complete)
    done_assembly = sum(1 for a in assembly if a.is_complete)
    return OverallProgress(
        production_targets_count=len(production),
        production_complete_count=done_production,
        production_complete=done_production == len(production),
        assembly_targets_count=len(assembly),
        assembly_complete_count=done_assembly,
        assembly_complete=done_assembly == len(assembly),
        assignments_pending=assignments.get("pending", 0),
        assignments_ready=assignments.get("ready", 0),
        assignments_delivered=assignments.get("delivered", 0),
        assignments_total=sum(assignments.values()),
        packages_pending=packages.get("pending", 0),
        packages_ready=packages.get("ready", 0),
        packages_delivered=packages.get("delivered", 0),
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
    after = row.produced_batches + batches
    return TargetCheck(
        row.target_batches,
        row.produced_batches,
        batches,
        after,
        percent(after, row.target_batches),
        after > row.target_batches,
    )


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
    after = row.assembled_quantity + quantity
    return TargetCheck(
        row.target_quantity,
        row.assembled_quantity,
        quantity,
        after,
        percent(after, row.target_quantity),
        after > row.target_quantity,
    )
