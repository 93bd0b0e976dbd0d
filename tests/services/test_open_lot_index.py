"""The FIFO reads of open lots go through the partial open-lot indexes on SQLite, whatever order
the schema lists the indexes in.

Each lot table has a plain FIFO index and a partial twin on the same columns over the lots that
still hold something. SQLite's planner costs the two the same and took whichever the schema lists
last: on a file whose migrations created the partial one first (the ×10 bench sets, an upgraded
user's file), the leading-lot reads walked every emptied lot of the history (assembly 2.3× slower
on 10× the data). Here the plain twins are re-created so they are listed last, as on such a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.models import FinishedGood, FinishedUnit
from bake_tracker.services import finished_stock, pantry_lots

PLAIN_TWINS = {
    "ix_inventory_items_fifo": "inventory_items (product_id, purchase_date, id)",
    "ix_finished_unit_lots_fifo": "finished_unit_lots (finished_unit_id, lot_at, id)",
    "ix_finished_good_lots_fifo": "finished_good_lots (finished_good_id, lot_at, id)",
}


def _plans(engine, statement, parameters) -> list[str]:
    """The query plan of ``statement`` run with ``parameters`` (EXPLAIN QUERY PLAN rows)."""
    details: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        return "EXPLAIN QUERY PLAN " + statement, parameters

    with engine.connect() as connection:
        sa_event.listen(engine, "before_cursor_execute", explain, retval=True)
        try:
            for row in connection.execute(statement, parameters):
                details.append(row[-1])
        finally:
            sa_event.remove(engine, "before_cursor_execute", explain)
    return details


def _reads():
    """(name, statement, parameters, table read) of each open-lot FIFO read."""
    items = {"item_ids": [1, 2], "per_parent": 4}
    for lateral in (False,):
        yield (
            "pantry leading",
            pantry_lots._LEADING[lateral],
            {
                "ingredient_ids": [1, 2],
                "per_parent": 4,
            },
            "inventory_items",
        )
        for item_type, table in (
            (FinishedUnit, "finished_unit_lots"),
            (FinishedGood, "finished_good_lots"),
        ):
            yield (
                f"{table} leading",
                finished_stock._LEADING_AND_HELD[item_type, lateral],
                items,
                table,
            )
    yield (
        "pantry every open lot",
        pantry_lots._ALL_OPEN,
        {"ingredient_ids": [1, 2]},
        "inventory_items",
    )
    for model in finished_stock._OPEN_LOTS:
        yield (
            f"{model.__tablename__} every open lot",
            finished_stock._OPEN_LOTS[model],
            {"item_ids": [1, 2]},
            model.__tablename__,
        )


@pytest.mark.parametrize("order", ["as migrated", "plain twins listed last"])
def test_open_lot_reads_use_the_partial_index_whatever_the_schema_order(
    db_path: Path, order
) -> None:
    engine = db.make_engine(f"sqlite:///{db_path}")
    try:
        if order == "plain twins listed last":
            with engine.begin() as connection:
                for name, on in PLAIN_TWINS.items():
                    connection.exec_driver_sql(f"DROP INDEX {name}")
                    connection.exec_driver_sql(f"CREATE INDEX {name} ON {on}")
        for name, statement, parameters, table in _reads():
            plan = _plans(engine, statement, parameters)
            using = " | ".join(plan)
            assert f"INDEX ix_{table}_open_fifo" in using, f"{name}: {using}"
            assert f"INDEX ix_{table}_fifo " not in using, f"{name}: {using}"
    finally:
        engine.dispose()
