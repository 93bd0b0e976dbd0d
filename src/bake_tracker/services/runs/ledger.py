"""Writing a run with Core: the run's row, then each of its ledgers down to the lots.

A ledger has one summary row per item consumed (an ingredient, a finished unit, a packaging
product) and under each the rows of the lots it was drawn from. Each ledger is one multi-row insert
of its summaries (which returns their new ids in parameter order) and one ``executemany`` of their
lot rows, so a run takes a fixed number of statements however many lines and lots it has. A ledger
without items writes nothing (an empty insert would add one empty row), and one without lot rows
sends no lot statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Ledger:
    """How one ledger of a run is written: ``summary(run_id, item)`` is an item's summary row and
    ``lot_rows(summary_id, item)`` the rows of the lots it was drawn from."""

    insert_summaries: Any  # returning_ids(summary table)
    insert_lots: Any  # insert(lot table)
    summary: Callable[[int, Any], dict[str, Any]]
    lot_rows: Callable[[int, Any], Iterable[dict[str, Any]]]


def returning_ids(table: Table):
    """A multi-row insert into ``table`` that returns the new ids in parameter order."""
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def inserting_run(table: Table):
    """The insert of one run into ``table``, returning its id."""
    return insert(table).returning(table.c.id)


def write_run(
    session: Session, insert_run, run: Any, ledgers: Iterable[tuple[Ledger, list]]
) -> int:
    """Insert ``run`` (a frozen dataclass whose fields are the run table's columns) with
    ``insert_run``, then each ``(ledger, items)``; the new run's id."""
    connection = session.connection()
    values = {field.name: getattr(run, field.name) for field in fields(run)}
    run_id = connection.execute(insert_run, values).scalar_one()
    for ledger, items in ledgers:
        if not items:
            continue
        summaries = [ledger.summary(run_id, item) for item in items]
        ids = connection.execute(ledger.insert_summaries, summaries).scalars()
        pairs = zip(ids, items, strict=True)
        rows = [row for summary_id, item in pairs for row in ledger.lot_rows(summary_id, item)]
        if rows:
            connection.execute(ledger.insert_lots, rows)
    return run_id


def pantry_lot_row(consumption_id: int, draw) -> dict[str, Any]:
    """The ledger row of one FIFO draw from a pantry lot (an ``inventory_service`` plan's draw)."""
    return {
        "consumption_id": consumption_id,
        "inventory_item_id": draw.lot_id,
        "quantity": draw.quantity,
        "unit": draw.unit,
        "unit_cost": draw.unit_cost,
        "cost": draw.cost,
    }
