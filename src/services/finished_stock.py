"""Finished-unit and finished-good stock as FIFO lots (spec decision 4): session-first helpers.

A lot keeps its exact ``total_cost``; drawing k of its n units costs total × k ÷ n rounded half-up
to 4 places, and the draw that empties the lot takes exactly its ``remaining_cost``, so a lot's
draws always add up to its total (contract.md "Precision", rule 5). Lots are drawn in (lot_at, id)
order. ``inventory_count`` on the item is the sum of its lots' remaining quantities and is changed
here only, in the same transaction as the lots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from src.models import (
    AdjustmentDraw,
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyRun,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    FinishedUnitLot,
    StockAdjustment,
)
from src.services.errors import DatabaseBusyError, ValidationError
from src.services.fifo import round_money

ZERO = Decimal("0.0000")
Item = FinishedUnit | FinishedGood
Lot = FinishedUnitLot | FinishedGoodLot


@dataclass(frozen=True)
class StockDraw:
    lot_id: int
    quantity: int
    unit_cost: Decimal  # the lot's unit cost, for the ledger
    cost: Decimal
    empties_lot: bool


@dataclass(frozen=True)
class StockPlan:
    item_id: int
    needed: int
    draws: tuple[StockDraw, ...]
    available: int

    @property
    def satisfied(self) -> bool:
        return self.available >= self.needed

    @property
    def total_cost(self) -> Decimal:
        return sum((d.cost for d in self.draws), ZERO)


def lot_model(item: Item) -> type[Lot]:
    return FinishedUnitLot if isinstance(item, FinishedUnit) else FinishedGoodLot


def _item_column(model: type[Lot]):
    return model.finished_unit_id if model is FinishedUnitLot else model.finished_good_id


def open_lots(session: Session, item: Item) -> list[Lot]:
    """The item's lots that still hold something, oldest first."""
    model = lot_model(item)
    return list(
        session.scalars(
            select(model)
            .where(_item_column(model) == item.id, model.quantity_remaining > 0)
            .order_by(model.lot_at, model.id)
        )
    )


def draw_cost(lot: Lot, quantity: int) -> Decimal:
    """What ``quantity`` units of ``lot`` cost under rule 5."""
    if quantity >= lot.quantity_remaining:
        return lot.remaining_cost
    return round_money(lot.total_cost * quantity / lot.quantity_initial)


def plan_draws(lots: list[Lot], item_id: int, needed: int) -> StockPlan:
    """Plan ``needed`` units from ``lots`` (already in FIFO order); never writes."""
    remaining = needed
    draws = []
    for lot in lots:
        if remaining <= 0:
            break
        take = min(lot.quantity_remaining, remaining)
        draws.append(
            StockDraw(
                lot.id, take, lot.unit_cost, draw_cost(lot, take), take == lot.quantity_remaining
            )
        )
        remaining -= take
    return StockPlan(item_id, needed, tuple(draws), sum(lot.quantity_remaining for lot in lots))


def apply_draws(session: Session, item: Item, plan: StockPlan) -> None:
    """Take the planned units from their lots and from the item's count (guarded updates)."""
    model = lot_model(item)
    for draw in plan.draws:
        result = session.execute(
            update(model)
            .where(model.id == draw.lot_id, model.quantity_remaining >= draw.quantity)
            .values(
                quantity_remaining=model.quantity_remaining - draw.quantity,
                remaining_cost=model.remaining_cost - draw.cost,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise DatabaseBusyError(
                "The stock changed while this was being recorded (another window or workstation "
                "used the same items). Nothing was saved; please try again."
            )
    _expire_lots(session, model, {d.lot_id for d in plan.draws})
    change_count(session, item, -sum(d.quantity for d in plan.draws))


def add_lot(
    session: Session,
    item: Item,
    *,
    quantity: int,
    total_cost: Decimal,
    lot_at: datetime,
    production_run_id: int | None = None,
    assembly_run_id: int | None = None,
    adjustment_id: int | None = None,
) -> Lot:
    """A new lot of ``quantity`` units costing ``total_cost`` in all; the item's count goes up."""
    model = lot_model(item)
    source = {"adjustment_id": adjustment_id}
    if model is FinishedUnitLot:
        source |= {"finished_unit_id": item.id, "production_run_id": production_run_id}
    else:
        source |= {"finished_good_id": item.id, "assembly_run_id": assembly_run_id}
    lot = model(
        **source,
        lot_at=lot_at,
        quantity_initial=quantity,
        quantity_remaining=quantity,
        unit_cost=round_money(total_cost / quantity),
        total_cost=total_cost,
        remaining_cost=total_cost,
    )
    session.add(lot)
    change_count(session, item, quantity)
    return lot


def change_count(session: Session, item: Item, delta: int) -> None:
    """Move ``inventory_count`` by ``delta`` in SQL (no lost update), then refresh the object."""
    if delta == 0:
        return
    model = type(item)
    session.execute(
        update(model)
        .where(model.id == item.id)
        .values(inventory_count=model.inventory_count + delta)
        .execution_options(synchronize_session=False)
    )
    session.expire(item, ["inventory_count"])


def next_unit_cost(session: Session, item: Item) -> Decimal:
    """What the next unit out would cost (0 when there is none)."""
    lots = open_lots(session, item)
    return draw_cost(lots[0], 1) if lots else ZERO


def _expire_lots(session: Session, model: type[Lot], ids: set[int]) -> None:
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and obj.id in ids:
            session.expire(obj, ["quantity_remaining", "remaining_cost"])


def adjust_stock(
    session: Session,
    item: Item,
    delta: int,
    *,
    reason: str,
    unit_cost: Decimal | None,
    adjusted_at: datetime,
    notes: str | None = None,
) -> StockAdjustment:
    """A manual correction: a positive delta makes a lot at ``unit_cost``; a negative one draws
    FIFO. Arguments are already validated; a draw below zero raises ``ValidationError``."""
    is_unit = isinstance(item, FinishedUnit)
    adjustment = StockAdjustment(
        finished_unit_id=item.id if is_unit else None,
        finished_good_id=None if is_unit else item.id,
        delta=Decimal(delta),
        reason=reason,
        unit_cost=unit_cost,
        adjusted_at=adjusted_at,
        notes=notes,
    )
    session.add(adjustment)
    session.flush()
    if delta > 0:
        add_lot(
            session,
            item,
            quantity=delta,
            total_cost=unit_cost * delta,
            lot_at=adjusted_at,
            adjustment_id=adjustment.id,
        )
        return adjustment
    plan = plan_draws(open_lots(session, item), item.id, -delta)
    if not plan.satisfied:
        raise ValidationError(
            f"Only {plan.available} of '{item.display_name}' in stock; cannot remove {-delta}"
        )
    apply_draws(session, item, plan)
    field = "finished_unit_lot_id" if is_unit else "finished_good_lot_id"
    session.add_all(
        AdjustmentDraw(
            adjustment=adjustment,
            **{field: d.lot_id},
            quantity=d.quantity,
            unit_cost=d.unit_cost,
            cost=d.cost,
        )
        for d in plan.draws
    )
    return adjustment


def restore_draw(session: Session, item: Item, lot_id: int, quantity: int, cost: Decimal) -> None:
    """Put units drawn from a lot back, exactly as they were drawn (used by void)."""
    model = lot_model(item)
    session.execute(
        update(model)
        .where(model.id == lot_id)
        .values(
            quantity_remaining=model.quantity_remaining + quantity,
            remaining_cost=model.remaining_cost + cost,
        )
        .execution_options(synchronize_session=False)
    )
    _expire_lots(session, model, {lot_id})
    change_count(session, item, quantity)


def remove_output_lot(session: Session, item: Item, lot: Lot, ledger_model, ledger_column) -> None:
    """Take a voided run's untouched output lot out of stock.

    The lot is deleted, unless ledgers of voided runs still point at it: then it stays, emptied,
    so their history keeps its trail.
    """
    change_count(session, item, -lot.quantity_remaining)
    referenced = session.scalar(
        select(func.count()).select_from(ledger_model).where(ledger_column == lot.id)
    )
    if referenced:
        lot.quantity_remaining, lot.remaining_cost = 0, ZERO
    else:
        session.delete(lot)


def users_of(session: Session, lot: Lot) -> list[str]:
    """Who drew from a lot: live assembly runs by number and date, and manual adjustments."""
    if isinstance(lot, FinishedUnitLot):
        summary, ledger = AssemblyFinishedUnitConsumption, AssemblyFinishedUnitConsumptionLot
        ledger_lot, adjusted_lot = ledger.finished_unit_lot_id, AdjustmentDraw.finished_unit_lot_id
    else:
        summary, ledger = AssemblyFinishedGoodConsumption, AssemblyFinishedGoodConsumptionLot
        ledger_lot, adjusted_lot = ledger.finished_good_lot_id, AdjustmentDraw.finished_good_lot_id
    runs = session.execute(
        select(AssemblyRun.id, AssemblyRun.assembled_at, AssemblyRun.voided_at)
        .join(summary)
        .join(ledger)
        .where(ledger_lot == lot.id)
        .distinct()
    ).all()
    names = [f"assembly run #{rid} ({when:%Y-%m-%d})" for rid, when, voided in runs if not voided]
    if session.scalar(select(func.count()).where(adjusted_lot == lot.id)):
        names.append("manual adjustment")
    return names or ["another record"]
