"""Finished-unit and finished-good stock as FIFO lots: session-first helpers.

Stock of an item is a set of lots, each made by a run or a manual adjustment and drawn whole units
at a time, oldest first, by ``core.fifo.plan_units`` (which also holds the costing rule: a lot's
draws always add up to its exact total). This module reads the lots for that planner and applies
its plans with guarded updates. ``inventory_count`` on the item is the sum of its lots' remaining
quantities and is changed here only, in the same transaction as the lots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    bindparam,
    func,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from bake_tracker.core.fifo import FifoPlan, StockLot, plan_units, unit_draw_cost
from bake_tracker.core.numbers import MONEY_ZERO, round_money
from bake_tracker.core.numbers import MONEY_ZERO as ZERO  # noqa: F401 (others read it from here)
from bake_tracker.models import (
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
from bake_tracker.models.types import Money, to_scaled
from bake_tracker.services.errors import DatabaseBusyError, ValidationError
from bake_tracker.services.leading_rows import leading_join
from bake_tracker.services.runs import driver_form, stored_form
from bake_tracker.services.runs.pipeline import ANSWER

Item = FinishedUnit | FinishedGood
Lot = FinishedUnitLot | FinishedGoodLot
StockPlan = FifoPlan  # a plan over an item's lots: ``item_id`` and ``available`` are set


_LOT_OF = {FinishedUnit: FinishedUnitLot, FinishedGood: FinishedGoodLot}


def lot_model(item: Item) -> type[Lot]:
    return FinishedUnitLot if isinstance(item, FinishedUnit) else FinishedGoodLot


def _item_column(model: type[Lot]):
    return model.finished_unit_id if model is FinishedUnitLot else model.finished_good_id


def _open_fifo_index(table_name: str) -> str:
    """The partial index over a lot table's open lots in FIFO order (migration 0004)."""
    return f"ix_{table_name}_open_fifo"


def _through_open_fifo(statement, model: type[Lot]):
    """``statement`` reading ``model``'s open lots ``INDEXED BY`` its partial FIFO index on
    SQLite (why: ``leading_rows``)."""
    index = _open_fifo_index(model.__tablename__)
    return statement.with_hint(model.__table__, f"INDEXED BY {index}", "sqlite")


def open_lots(session: Session, item: Item) -> list[Lot]:
    """The item's lots that still hold something, oldest first."""
    model = lot_model(item)
    return list(
        session.scalars(
            _through_open_fifo(
                select(model)
                .where(
                    _item_column(model) == item.id, model.quantity_remaining > literal_column("0")
                )
                .order_by(model.lot_at, model.id),
                model,
            )
        )
    )


def _open_lots_statement(model: type[Lot]):
    column = _item_column(model)
    statement = (
        select(
            column.label("item_id"),
            model.id,
            model.quantity_initial,
            model.quantity_remaining,
            model.unit_cost,
            model.total_cost,
            model.remaining_cost,
        )
        .where(
            column.in_(bindparam("item_ids", expanding=True)),
            # A literal 0, as in the partial index ix_finished_*_lots_open_fifo: SQLite uses a
            # partial index only for the very condition it was built with, and the emptied lots
            # of a long history are then never read.
            model.quantity_remaining > literal_column("0"),
        )
        .order_by(model.lot_at, model.id)
    )
    return _through_open_fifo(statement, model)


_OPEN_LOTS = {model: _open_lots_statement(model) for model in (FinishedUnitLot, FinishedGoodLot)}


def open_lots_for(
    session: Session, item_type: type[Item], item_ids: list[int]
) -> dict[int, list[StockLot]]:
    """Every open lot of several items at once, oldest first per item (one Core query), as
    snapshots for ``plan_draws``."""
    if not item_ids:
        return {}
    model = FinishedUnitLot if item_type is FinishedUnit else FinishedGoodLot
    found: dict[int, list[StockLot]] = {item_id: [] for item_id in item_ids}
    for item_id, *lot in session.connection().execute(_OPEN_LOTS[model], {"item_ids": item_ids}):
        found[item_id].append(StockLot(*lot))
    return found


# --- leading lots: what a plan needs, not every open lot -----------------------------------------

LEAD_LOTS = 4  # open lots read per item before planning; every open lot only when these fall short

_LOT_COLUMNS = (
    "id",
    "quantity_initial",
    "quantity_remaining",
    "unit_cost",
    "total_cost",
    "remaining_cost",
)


def _holds_something(lots) -> object:
    return lots.c.quantity_remaining > literal_column("0")  # a literal: the partial index


def _leading_and_held(item_type: type[Item], lateral: bool):
    """Each item's first ``per_parent`` open lots (FIFO order, through the partial index) and, in
    the same statement, what all its open lots hold: a row with no lot id carries the item's
    stored ``inventory_count`` (the sum of its lots' remaining quantities, moved with them in the
    same transaction) in ``quantity_remaining``: one primary-key row per item, however many
    lots are open. Ordered by item, then FIFO (lot time, id), so the lots need no sorting and
    their time no converting (it is selected raw, for the order only)."""
    model = _LOT_OF[item_type]
    items, lots_table = item_type.__table__, model.__table__
    link = _item_column(model).key
    order = ("lot_at", "id")
    joined, lead = leading_join(
        items,
        lots_table,
        link,
        order,
        _holds_something,
        (*_LOT_COLUMNS, "lot_at"),
        lateral=lateral,
        open_index=_open_fifo_index(lots_table.name),
    )
    of_items = items.c.id.in_(bindparam("item_ids", expanding=True))
    leading = (
        select(
            items.c.id.label("item_id"),
            *(lead.c[name] for name in _LOT_COLUMNS),
            type_coerce(lead.c.lot_at, NullType()).label("lot_at"),
        )
        .select_from(joined)
        .where(of_items)
    )
    held = select(
        items.c.id.label("item_id"),
        null().label("id"),
        null().label("quantity_initial"),
        items.c.inventory_count.label("quantity_remaining"),
        null().label("unit_cost"),
        null().label("total_cost"),
        null().label("remaining_cost"),
        null().label("lot_at"),
    ).where(of_items)
    return union_all(leading, held).order_by("item_id", "lot_at", "id")


_LEADING_AND_HELD = {
    (item_type, lateral): _leading_and_held(item_type, lateral)
    for item_type in (FinishedUnit, FinishedGood)
    for lateral in (False, True)
}


@dataclass(frozen=True, slots=True)
class Covering:
    """An item's oldest open lots, enough to plan its need exactly as over every open lot, and
    what all its open lots hold."""

    lots: list[StockLot]
    held: int


def covering_lots(
    session: Session, item_type: type[Item], needs: dict[int, int], per_item: int = LEAD_LOTS
) -> dict[int, Covering]:
    """{item id: ``Covering``} for ``needs`` ({item id: units needed}): one statement reads each
    item's first ``per_item`` open lots and its total; a second reads every open lot only of the
    items whose leading lots neither cover their need nor are all their open lots.

    Why the plan is the same: FIFO walks an item's lots in (lot_at, id) order; the leading lots
    are a prefix of that order, so a walk they cover stops where the walk over every lot stops.
    """
    if not needs:
        return {}
    connection = _connection(session)
    statement = _LEADING_AND_HELD[item_type, connection.dialect.name == "postgresql"]
    lots: dict[int, list[StockLot]] = {item_id: [] for item_id in needs}
    held: dict[int, int] = dict.fromkeys(needs, 0)
    rows = connection.execute(statement, {"item_ids": list(needs), "per_parent": per_item})
    # One fetch, then plain tuples: per-row fetching and unpacking cost more than the rows
    for row in rows.all():
        if row[1] is None:  # the item's total row: what its open lots hold, as the remaining
            held[row[0]] = int(row[3])
        else:  # a lot, in FIFO order; its time (raw) only ordered the rows
            lots[row[0]].append(StockLot(*row[1:7]))
    short = []
    for item_id, found in lots.items():
        read = sum(lot.quantity_remaining for lot in found)
        if read < needs[item_id] and read < held[item_id]:
            short.append(item_id)
    if short:
        lots.update(open_lots_for(session, item_type, short))
    return {item_id: Covering(lots[item_id], held[item_id]) for item_id in needs}


def _connection(session: Session):
    """The session's connection, after flushing pending changes as a session query would."""
    if session.autoflush:
        session.flush()
    return session.connection()


def plan_draws(
    lots: list[Lot] | list[StockLot], item_id: int, needed: int, held: int | None = None
) -> StockPlan:
    """Plan ``needed`` units of the item from its open ``lots`` (oldest first, as ``open_lots``,
    ``open_lots_for`` and ``covering_lots`` read them); never writes. ``held`` is what all the
    item's open lots hold, when ``lots`` are only the leading ones (``Covering.held``)."""
    plan = plan_units(lots, needed, item_id=item_id, oldest_first=True)
    return plan if held is None else plan._replace(available=held)


def _draw_statement(model: type[Lot]):
    """Take planned units from a lot only if it still holds what the plan saw.

    The cost of a draw was worked out from the lot as read (the last units take exactly what is
    left), so a lot that another workstation drew from in between must be planned again: the
    update then changes no row and the use case is retried on fresh data, instead of leaving a
    remaining cost that no longer matches (or breaks the lot's CHECK constraint).

    In stored form (``runs.driver_form``): ``:b_cost`` is the cost as ``Money`` stores it and
    ``:b_now`` the new ``updated_at`` (``stored_form.now()``; the plain table has no ``onupdate``).
    """
    table = stored_form.plain(model.__table__)
    take = bindparam("b_take")
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.quantity_remaining == bindparam("b_seen"))
        .values(
            quantity_remaining=table.c.quantity_remaining - take,
            remaining_cost=table.c.remaining_cost - bindparam("b_cost"),
            updated_at=bindparam("b_now"),
        )
    )


def _count_statement(item_type: type[Item]):
    """Move an item's count by ``:b_delta`` and stamp ``updated_at`` (``:b_now``, stored form:
    run through ``runs.driver_form``, one parameter set per item)."""
    table = stored_form.plain(item_type.__table__)
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            inventory_count=table.c.inventory_count + bindparam("b_delta"),
            updated_at=bindparam("b_now"),
        )
    )


_DRAW = {model: _draw_statement(model) for model in (FinishedUnitLot, FinishedGoodLot)}
_COUNT = {item_type: _count_statement(item_type) for item_type in (FinishedUnit, FinishedGood)}


def apply_draws(session: Session, item: Item, plan: StockPlan) -> None:
    """Take the planned units from their lots and from the item's count (guarded updates)."""
    apply_many(session, type(item), [plan])


def apply_many(session: Session, item_type: type[Item], plans: list[StockPlan]) -> None:
    """Take every planned draw of several items of one kind: one guarded ``executemany`` for the
    lots, one for the items' counts. Refuses (DatabaseBusyError, so the whole use case rolls back)
    if any lot no longer holds what was planned."""
    model = _LOT_OF[item_type]
    now = stored_form.now()
    params = [
        {
            "b_id": d.lot_id,
            "b_take": d.quantity,
            "b_cost": to_scaled(d.cost, Money.places),
            "b_seen": d.quantity + d.remaining_in_lot,
            "b_now": now,
        }
        for plan in plans
        for d in plan.draws
    ]
    if not params:
        return
    connection = session.connection()
    # the row count is read now, also inside ``runs.pipeline.batched`` (``ANSWER``)
    draw = _DRAW[model]
    if connection.dialect.supports_sane_multi_rowcount:
        changed = driver_form.execute(connection, draw, params, ANSWER).rowcount
    else:
        changed = sum(driver_form.execute(connection, draw, [p], ANSWER).rowcount for p in params)
    if changed != len(params):
        raise DatabaseBusyError(
            "The stock changed while this was being recorded (another window or workstation "
            "used the same items). Nothing was saved; please try again."
        )
    _expire_lots(session, model, {p["b_id"] for p in params})
    change_counts(
        session,
        item_type,
        {plan.item_id: -sum(d.quantity for d in plan.draws) for plan in plans},
        now,
    )


# In stored form (``runs.stored_form``, run through ``runs.driver_form``): every production and
# assembly adds one lot.
_INSERT_LOT = {
    model: stored_form.insert_plain(model.__table__) for model in (FinishedUnitLot, FinishedGoodLot)
}


def add_lot(
    session: Session,
    item_type: type[Item],
    item_id: int,
    *,
    quantity: int,
    total_cost: Decimal,
    lot_at: datetime,
    production_run_id: int | None = None,
    assembly_run_id: int | None = None,
    adjustment_id: int | None = None,
) -> None:
    """A new lot of ``quantity`` units costing ``total_cost`` in all (one Core insert, handed over
    in stored form: ``runs.stored_form``); the item's count goes up."""
    model = _LOT_OF[item_type]
    row = {
        "adjustment_id": adjustment_id,
        "lot_at": lot_at,
        "quantity_initial": quantity,
        "quantity_remaining": quantity,
        "unit_cost": round_money(total_cost / quantity),
        "total_cost": total_cost,
        "remaining_cost": total_cost,
    }
    if model is FinishedUnitLot:
        row |= {"finished_unit_id": item_id, "production_run_id": production_run_id}
    else:
        row |= {"finished_good_id": item_id, "assembly_run_id": assembly_run_id}
    at = stored_form.now()
    stored = stored_form.stored_row(model.__table__, row, at)
    driver_form.execute(session.connection(), _INSERT_LOT[model], [stored])
    change_counts(session, item_type, {item_id: quantity}, at)


def change_counts(
    session: Session, item_type: type[Item], deltas: dict[int, int], at: datetime | None = None
) -> None:
    """Move several items' ``inventory_count`` in SQL (one ``executemany``, no lost update), their
    ``updated_at`` to ``at`` (``stored_form.now()`` when not given), then expire any of them
    loaded in the session."""
    now = at or stored_form.now()
    params = [
        {"b_id": item_id, "b_delta": delta, "b_now": now}
        for item_id, delta in deltas.items()
        if delta
    ]
    if not params:
        return
    driver_form.execute(session.connection(), _COUNT[item_type], params)
    identity_map = session.identity_map
    if not len(identity_map):  # nothing loaded (a use case working in Core): nothing to expire
        return
    for p in params:
        loaded = identity_map.get(session.identity_key(item_type, p["b_id"]))
        if loaded is not None:
            session.expire(loaded, ["inventory_count"])


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
    return unit_draw_cost(lots[0], 1) if lots else MONEY_ZERO


def next_unit_costs(
    session: Session, item_type: type[Item], item_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """``next_unit_cost`` of many finished units (or goods) in one query: {item id: cost}, 0 for
    an item with no open lot. ``item_ids=None`` means every item of that type.

    Each item's oldest open lot is found through the FIFO index (item, lot_at, id).
    """
    if item_ids is not None and not item_ids:
        return {}
    model = FinishedUnitLot if item_type is FinishedUnit else FinishedGoodLot
    column = _item_column(model)
    first_open = (
        select(model.id)
        .where(column == item_type.id, model.quantity_remaining > literal_column("0"))
        .order_by(model.lot_at, model.id)
        .limit(1)
        .correlate(item_type)
        .scalar_subquery()
    )
    query = select(
        item_type.id.label("item_id"),
        model.quantity_initial,
        model.quantity_remaining,
        model.total_cost,
        model.remaining_cost,
    ).join(model, model.id == first_open)
    if item_ids is not None:
        query = query.where(item_type.id.in_(list(item_ids)))
    costs = dict.fromkeys(item_ids, MONEY_ZERO) if item_ids is not None else {}
    for oldest in session.execute(query):
        costs[oldest.item_id] = unit_draw_cost(oldest, 1)
    return costs


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
            type(item),
            item.id,
            quantity=delta,
            total_cost=unit_cost * delta,
            lot_at=adjusted_at,
            adjustment_id=adjustment.id,
        )
    else:
        _draw_for_adjustment(session, item, adjustment, -delta)
    return adjustment


def _draw_for_adjustment(
    session: Session, item: Item, adjustment: StockAdjustment, count: int
) -> None:
    """Take ``count`` units FIFO, each lot's share recorded on the adjustment; refuses
    (``ValidationError``) to take more than the item has."""
    covering = covering_lots(session, type(item), {item.id: count})[item.id]
    plan = plan_draws(covering.lots, item.id, count, covering.held)
    if not plan.satisfied:
        raise ValidationError(
            f"Only {plan.available} of '{item.display_name}' in stock; cannot remove {count}"
        )
    apply_draws(session, item, plan)
    field = "finished_unit_lot_id" if isinstance(item, FinishedUnit) else "finished_good_lot_id"
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
        lot.quantity_remaining, lot.remaining_cost = 0, MONEY_ZERO
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
    names = [
        f"assembly run #{run.id} ({run.assembled_at:%Y-%m-%d})" for run in runs if not run.voided_at
    ]
    if session.scalar(select(func.count()).where(adjusted_lot == lot.id)):
        names.append("manual adjustment")
    return names or ["another record"]
