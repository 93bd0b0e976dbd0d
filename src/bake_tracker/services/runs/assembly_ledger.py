"""Writing an assembly run: its row and its three ledgers down to the lots, in stored form.

Every row is handed over as the model's types would have bound it (``runs.stored_form``: scaled
integers, naive UTC, a new uuid, one ``created_at`` / ``updated_at`` for the whole run), so
SQLAlchemy runs no type processor nor Python default per value, and every statement goes to the
driver as compiled once (``runs.driver_form``: no per-row parameter bookkeeping; the same SQL,
parameters and statement events). Statements: the run's insert (returning its id), then for each
ledger with items one ``executemany`` of its summary rows and one of its lot rows. A lot row finds
its summary's id inside the insert, by (run, item): the summary table's unique key (a finished
unit, nested good or packaging product appears once per good, so once per run). The summaries
then need no ``RETURNING`` in parameter order (a multi-row insert that SQLAlchemy sorts back into
order row by row). A ledger without items writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import round_money
from bake_tracker.models import (
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
)
from bake_tracker.services.dto import ComponentType
from bake_tracker.services.runs import driver_form, pipeline, stored_form
from bake_tracker.services.runs.assembly_plan import Part


@dataclass(frozen=True, slots=True)
class NewAssembly:
    """The assembly run being recorded: its ``assembly_runs`` row, without the id."""

    finished_good_id: int
    event_id: int | None
    quantity_assembled: int
    assembled_at: datetime
    notes: str | None
    total_component_cost: Decimal
    per_unit_cost: Decimal


@dataclass(frozen=True, slots=True)
class _Ledger:
    """One ledger: its summary rows (one per item consumed) and, under each, its lot rows."""

    summaries: Table
    lots: Table
    insert_summaries: Any
    insert_lots: Any  # finds each row's summary by the bound ``of_run`` and ``of_item``
    summary: Callable[[int, Part], dict[str, Any]]  # (run id, part) -> the summary's values
    lot_rows: Callable[[Part], list[dict[str, Any]]]  # part -> its lot rows' values


def _ledger(summary_model, lot_model, item_key: str, summary, lot_rows) -> _Ledger:
    """``item_key`` is the summary column naming the item (unique with the run id)."""
    summaries, lots = summary_model.__table__, lot_model.__table__
    summary_id = (
        select(summaries.c.id)
        .where(
            summaries.c.assembly_run_id == bindparam("of_run"),
            summaries.c[item_key] == bindparam("of_item"),
        )
        .scalar_subquery()
    )
    return _Ledger(
        summaries,
        lots,
        stored_form.insert_plain(summaries),
        stored_form.insert_plain(lots).values(consumption_id=summary_id),
        summary,
        lot_rows,
    )


def _item_summary(item_key: str) -> Callable[[int, Part], dict[str, Any]]:
    """The summary of a finished unit or nested good consumed, ``item_key`` its id column."""

    def summary(run_id: int, part: Part) -> dict[str, Any]:
        quantity = int(part.needed)
        return {
            "assembly_run_id": run_id,
            item_key: part.row.component_id,
            "quantity_consumed": quantity,
            "unit_cost_at_consumption": round_money(part.cost / quantity),
            "total_cost": part.cost,
        }

    return summary


def _stock_lot_rows(lot_key: str) -> Callable[[Part], list[dict[str, Any]]]:
    """The finished lots a finished unit or nested good was drawn from, ``lot_key`` their column."""

    def lot_rows(part: Part) -> list[dict[str, Any]]:
        return [
            {lot_key: d.lot_id, "quantity": d.quantity, "unit_cost": d.unit_cost, "cost": d.cost}
            for d in part.stock_plan.draws
        ]

    return lot_rows


def _packaging_summary(run_id: int, part: Part) -> dict[str, Any]:
    return {
        "assembly_run_id": run_id,
        "product_id": part.row.packaging_product_id,
        "quantity_consumed": part.fifo_plan.consumed,
        "unit": part.unit,
        "total_cost": part.fifo_plan.total_cost,
    }


def _packaging_lot_rows(part: Part) -> list[dict[str, Any]]:
    """The pantry lots drawn, each with its own product (bags are bags: it may be another
    product of the ingredient than the composition row's)."""
    return [
        {
            "inventory_item_id": d.lot_id,
            "product_id": d.product_id,
            "quantity": d.quantity,
            "unit": d.unit,
            "unit_cost": d.unit_cost,
            "cost": d.cost,
        }
        for d in part.fifo_plan.draws
    ]


_RUNS = AssemblyRun.__table__
_INSERT_RUN = stored_form.insert_plain(_RUNS).returning(stored_form.plain(_RUNS).c.id)
_INSERT_RUN_WITH_ID = stored_form.insert_plain(_RUNS)
_LEDGERS = {
    ComponentType.FINISHED_UNIT: _ledger(
        AssemblyFinishedUnitConsumption,
        AssemblyFinishedUnitConsumptionLot,
        "finished_unit_id",
        _item_summary("finished_unit_id"),
        _stock_lot_rows("finished_unit_lot_id"),
    ),
    ComponentType.FINISHED_GOOD: _ledger(
        AssemblyFinishedGoodConsumption,
        AssemblyFinishedGoodConsumptionLot,
        "finished_good_id",
        _item_summary("finished_good_id"),
        _stock_lot_rows("finished_good_lot_id"),
    ),
    ComponentType.PACKAGING: _ledger(
        AssemblyPackagingConsumption,
        AssemblyPackagingConsumptionLot,
        "product_id",
        _packaging_summary,
        _packaging_lot_rows,
    ),
}


def reserve_id(session: Session) -> Callable[[], int] | None:
    """PostgreSQL, inside ``runs.pipeline.batched``: the new run's id, asked now (``write``)."""
    return pipeline.reserve_id(session, _RUNS)


def write(
    session: Session,
    run: NewAssembly,
    parts: list[Part],
    at: datetime,
    reserved: Callable[[], int] | None = None,
) -> int:
    """Insert ``run`` and its ledgers (``parts``: the planned composition rows), every row added
    at ``at`` (``stored_form.now()``); the new run's id (``reserved``: from ``reserve_id``, the
    run's insert then carrying it, not waited for)."""
    connection = session.connection()
    values = {field.name: getattr(run, field.name) for field in fields(run)}
    row = stored_form.stored_row(_RUNS, values, at)
    if reserved is not None:
        row["id"] = run_id = reserved()
        driver_form.execute(connection, _INSERT_RUN_WITH_ID, [row])
    else:
        run_id = driver_form.execute(connection, _INSERT_RUN, [row]).scalar_one()
    for kind, ledger in _LEDGERS.items():
        items = [part for part in parts if part.kind == kind]
        if not items:
            continue
        summaries = [ledger.summary(run_id, part) for part in items]
        driver_form.execute(
            connection,
            ledger.insert_summaries,
            stored_form.stored_rows(ledger.summaries, summaries, at),
        )
        rows = [
            {
                **stored_form.stored_row(ledger.lots, lot, at),
                "of_run": run_id,
                "of_item": part.row.component_id,
            }
            for part in items
            for lot in ledger.lot_rows(part)
        ]
        if rows:
            driver_form.execute(connection, ledger.insert_lots, rows)
    return run_id
