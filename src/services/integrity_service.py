"""The invariants checker behind ``bake-tracker check``: does every number still add up?

* Pantry lots: remaining = initial + Σ adjustments − Σ draws of non-voided runs.
* Finished-unit and finished-good lots: remaining units and remaining cost = initial − Σ draws by
  non-voided assemblies and manual adjustments; the item's ``inventory_count`` = Σ remaining.
* Runs: a production run's total = Σ its ingredient lines; a line's cost = Σ its lot rows (when it
  has any); an assembly's total = Σ its three ledgers; a voided run has no stock left in its output.

Each check is one grouped query, so the checker runs in seconds on a large database. It only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from src.models import (
    AdjustmentDraw,
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    FinishedUnitLot,
    InventoryItem,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
    StockAdjustment,
)
from src.services.transactions import use_session

ZERO = Decimal(0)


@dataclass(frozen=True)
class Drift:
    """One figure that does not add up."""

    kind: str
    subject: str
    expected: Decimal
    actual: Decimal

    def describe(self) -> str:
        return f"{self.kind}: {self.subject} is {self.actual}, expected {self.expected}"


def check_invariants(*, session: Session | None = None) -> list[Drift]:
    """Every drift found (an empty list means everything balances)."""
    with use_session(session) as s:
        return [
            *_pantry_lots(s),
            *_finished_lots(
                s,
                FinishedUnitLot,
                AssemblyFinishedUnitConsumptionLot,
                AssemblyFinishedUnitConsumption,
                "finished_unit_lot_id",
            ),
            *_finished_lots(
                s,
                FinishedGoodLot,
                AssemblyFinishedGoodConsumptionLot,
                AssemblyFinishedGoodConsumption,
                "finished_good_lot_id",
            ),
            *_stock_counts(s, FinishedUnit, FinishedUnitLot, FinishedUnitLot.finished_unit_id),
            *_stock_counts(s, FinishedGood, FinishedGoodLot, FinishedGoodLot.finished_good_id),
            *_production_totals(s),
            *_assembly_totals(s),
        ]


def _sums(session: Session, query) -> dict[int, Decimal]:
    return {key: value or ZERO for key, value in session.execute(query)}


def _pantry_lots(session: Session) -> list[Drift]:
    adjusted = _sums(
        session,
        select(StockAdjustment.inventory_item_id, func.sum(StockAdjustment.delta))
        .where(StockAdjustment.inventory_item_id.is_not(None))
        .group_by(StockAdjustment.inventory_item_id),
    )
    produced = _sums(
        session,
        select(
            ProductionConsumptionLot.inventory_item_id, func.sum(ProductionConsumptionLot.quantity)
        )
        .join(ProductionConsumption)
        .join(ProductionRun)
        .where(ProductionRun.voided_at.is_(None))
        .group_by(ProductionConsumptionLot.inventory_item_id),
    )
    packed = _sums(
        session,
        select(
            AssemblyPackagingConsumptionLot.inventory_item_id,
            func.sum(AssemblyPackagingConsumptionLot.quantity),
        )
        .join(AssemblyPackagingConsumption)
        .join(AssemblyRun)
        .where(AssemblyRun.voided_at.is_(None))
        .group_by(AssemblyPackagingConsumptionLot.inventory_item_id),
    )
    drifts = []
    for lot_id, initial, remaining in session.execute(
        select(InventoryItem.id, InventoryItem.initial_quantity, InventoryItem.quantity)
    ):
        expected = (
            initial
            + adjusted.get(lot_id, ZERO)
            - produced.get(lot_id, ZERO)
            - packed.get(lot_id, ZERO)
        )
        if expected != remaining:
            drifts.append(Drift("pantry lot balance", f"lot #{lot_id}", expected, remaining))
    return drifts


def _finished_lots(session: Session, lot_model, ledger_model, summary_model, lot_column: str):
    ledger_lot = getattr(ledger_model, lot_column)
    drawn = {
        lot_id: (quantity, cost)
        for lot_id, quantity, cost in session.execute(
            select(ledger_lot, func.sum(ledger_model.quantity), func.sum(ledger_model.cost))
            .join(summary_model)
            .join(AssemblyRun)
            .where(AssemblyRun.voided_at.is_(None))
            .group_by(ledger_lot)
        )
    }
    adjusted_column = getattr(AdjustmentDraw, lot_column)
    for lot_id, quantity, cost in session.execute(
        select(adjusted_column, func.sum(AdjustmentDraw.quantity), func.sum(AdjustmentDraw.cost))
        .where(adjusted_column.is_not(None))
        .group_by(adjusted_column)
    ):
        previous = drawn.get(lot_id, (0, ZERO))
        drawn[lot_id] = (previous[0] + quantity, previous[1] + cost)
    name = lot_model.__tablename__.replace("_", " ").rstrip("s")
    voided = _voided_outputs(session, lot_model)
    drifts = []
    for lot in session.scalars(select(lot_model)):
        quantity, cost = drawn.get(lot.id, (0, ZERO))
        if lot.id in voided and lot.quantity_remaining == 0:
            continue  # a voided run's output lot is emptied on purpose
        if lot.quantity_initial - quantity != lot.quantity_remaining:
            drifts.append(
                Drift(
                    f"{name} units",
                    f"lot #{lot.id}",
                    Decimal(lot.quantity_initial - quantity),
                    Decimal(lot.quantity_remaining),
                )
            )
        if lot.total_cost - cost != lot.remaining_cost:
            drifts.append(
                Drift(f"{name} cost", f"lot #{lot.id}", lot.total_cost - cost, lot.remaining_cost)
            )
    return drifts


def _voided_outputs(session: Session, lot_model) -> set[int]:
    """Output lots of voided runs (emptied on purpose when the run was voided)."""
    if lot_model is FinishedUnitLot:
        query = (
            select(FinishedUnitLot.id)
            .join(ProductionRun, ProductionRun.id == FinishedUnitLot.production_run_id)
            .where(ProductionRun.voided_at.is_not(None))
        )
    else:
        query = (
            select(FinishedGoodLot.id)
            .join(AssemblyRun, AssemblyRun.id == FinishedGoodLot.assembly_run_id)
            .where(AssemblyRun.voided_at.is_not(None))
        )
    return set(session.scalars(query))


def _stock_counts(session: Session, item_model, lot_model, item_column) -> list[Drift]:
    remaining = _sums(
        session,
        select(item_column, func.sum(lot_model.quantity_remaining)).group_by(item_column),
    )
    return [
        Drift("stock count", f"{name}", Decimal(remaining.get(item_id, 0)), Decimal(count))
        for item_id, name, count in session.execute(
            select(item_model.id, item_model.display_name, item_model.inventory_count)
        )
        if count != remaining.get(item_id, 0)
    ]


def _production_totals(session: Session) -> list[Drift]:
    lines = _sums(
        session,
        select(
            ProductionConsumption.production_run_id, func.sum(ProductionConsumption.total_cost)
        ).group_by(ProductionConsumption.production_run_id),
    )
    drifts = [
        Drift("production run total", f"run #{run_id}", lines.get(run_id, ZERO), total)
        for run_id, total in session.execute(
            select(ProductionRun.id, ProductionRun.total_ingredient_cost)
        )
        if lines.get(run_id, ZERO) != total
    ]
    lot_costs = _sums(
        session,
        select(
            ProductionConsumptionLot.consumption_id, func.sum(ProductionConsumptionLot.cost)
        ).group_by(ProductionConsumptionLot.consumption_id),
    )
    drifts += [
        Drift("ingredient line cost", f"line #{line_id}", lot_costs[line_id], total)
        for line_id, total in session.execute(
            select(ProductionConsumption.id, ProductionConsumption.total_cost)
        )
        if line_id in lot_costs and lot_costs[line_id] != total
    ]
    return drifts


def _assembly_totals(session: Session) -> list[Drift]:
    totals: dict[int, Decimal] = {}
    for model in (
        AssemblyFinishedUnitConsumption,
        AssemblyFinishedGoodConsumption,
        AssemblyPackagingConsumption,
    ):
        for run_id, total in session.execute(
            select(model.assembly_run_id, func.sum(model.total_cost)).group_by(
                model.assembly_run_id
            )
        ):
            totals[run_id] = totals.get(run_id, ZERO) + total
    return [
        Drift("assembly run total", f"run #{run_id}", totals.get(run_id, ZERO), total)
        for run_id, total in session.execute(
            select(AssemblyRun.id, AssemblyRun.total_component_cost)
        )
        if totals.get(run_id, ZERO) != total
    ]
