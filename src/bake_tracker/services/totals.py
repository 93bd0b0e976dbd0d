"""The stored totals' writes: moved beside every write of what they sum, rebuilt after an import.

``models/totals.py`` says what each total sums. Here:

* ``move_stock``, ``move_production``, ``move_assembly``: add a (signed) change in SQL, in the
  caller's transaction. An increase is an upsert (``INSERT … ON CONFLICT DO UPDATE SET x = x +
  excluded.x``), a decrease an ``UPDATE … SET x = x - :d``: both read and write the row in one
  statement, so concurrent writers add up instead of overwriting each other, and the CHECK
  constraints (every total ≥ 0) refuse a decrease that was never added.
* ``rebuild``: every total recomputed from the rows it sums (an import, a repair).
* ``drifts``: each stored total that differs from its sum (``integrity_service``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    ARRAY,
    Table,
    and_,
    any_,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    update,
)
from sqlalchemy import column as named_column
from sqlalchemy.orm import Session

from bake_tracker.models import (
    AssemblyPackagingConsumption,
    AssemblyRun,
    EventAssemblyTotal,
    EventProductionTotal,
    InventoryItem,
    ProductionRun,
    ProductStockTotal,
)
from bake_tracker.services.runs import driver_form, stored_form

ZERO = Decimal(0)
STOCK: Table = ProductStockTotal.__table__
PRODUCTION: Table = EventProductionTotal.__table__
ASSEMBLY: Table = EventAssemblyTotal.__table__
_KEYS = {STOCK: ("product_id",), PRODUCTION: ("event_id", "recipe_id")}
_KEYS[ASSEMBLY] = ("event_id", "finished_good_id")


# --- moves --------------------------------------------------------------------------------------


def move_stock(session: Session, deltas: Mapping[int, Decimal]) -> None:
    """Add ``deltas`` (product id → change of what its lots hold, in its purchase unit)."""
    _move(session, STOCK, [{"product_id": p, "quantity_on_hand": d} for p, d in deltas.items()])


def move_production(
    session: Session,
    event_id: int | None,
    recipe_id: int,
    *,
    sign: int,
    num_batches: int,
    actual_yield: int,
    cost: Decimal,
) -> None:
    """A live production run of an event counted in (``sign`` 1) or out (-1, voided); runs
    without an event are in no event's total."""
    if event_id is None:
        return
    _move(
        session,
        PRODUCTION,
        [
            {
                "event_id": event_id,
                "recipe_id": recipe_id,
                "runs": sign,
                "num_batches": sign * num_batches,
                "actual_yield": sign * actual_yield,
                "total_ingredient_cost": sign * cost,
            }
        ],
    )


def move_assembly(
    session: Session,
    event_id: int | None,
    finished_good_id: int,
    *,
    sign: int,
    quantity: int,
    cost: Decimal,
    packaging_cost: Decimal,
) -> None:
    """A live assembly run of an event counted in (``sign`` 1) or out (-1, voided)."""
    if event_id is None:
        return
    _move(
        session,
        ASSEMBLY,
        [
            {
                "event_id": event_id,
                "finished_good_id": finished_good_id,
                "runs": sign,
                "quantity_assembled": sign * quantity,
                "total_component_cost": sign * cost,
                "packaging_cost": sign * packaging_cost,
            }
        ],
    )


def _move(session: Session, table: Table, rows: list[dict]) -> None:
    """Increases as one upsert ``executemany``, decreases as one guarded ``UPDATE`` ``executemany``
    (a row whose values are all zero changes nothing and is skipped)."""
    keys = _KEYS[table]
    amounts = _amounts(table)
    rows = [r for r in rows if any(r[a] for a in amounts)]
    up = [r for r in rows if all(r[a] >= 0 for a in amounts)]
    down = [r for r in rows if all(r[a] <= 0 for a in amounts) and r not in up]
    if len(up) + len(down) != len(rows):
        raise ValueError(f"{table.name}: a change must not raise one total and lower another")
    # In stored form through ``runs.driver_form``: a production moves ~15 products' stock.
    connection = session.connection()
    plain = stored_form.plain(table)
    if up:
        stored = [stored_form.stored_values(table, r) for r in up]
        upsert = _upsert(plain, keys, amounts, connection.dialect.name)
        driver_form.execute(connection, upsert, stored)
    if down and len(down) > 1 and connection.dialect.name == "postgresql":
        stored = [stored_form.stored_values(table, r) for r in down]
        arrays = {f"a_{name}": [r[name] for r in stored] for name in keys + amounts}
        connection.execute(_decrease_at_once(plain, keys, amounts), arrays)
    elif down:
        stored = [_prefixed(stored_form.stored_values(table, r)) for r in down]
        driver_form.execute(connection, _decrease(plain, keys, amounts), stored)


@cache
def _amounts(table: Table) -> tuple[str, ...]:
    """The columns of ``table`` a move adds to (all but its key)."""
    return tuple(c.name for c in table.columns if c.name not in _KEYS[table])


# The statements are built once per table (and dialect) and reused: building and hashing them on
# every move cost ~0.3 ms, as much as running them (a move is on every run's write path).
@cache
def _upsert(table: Table, keys: tuple[str, ...], amounts: tuple[str, ...], dialect: str):
    # the dialect's module imported here, not at the top: a SQLite start never loads PostgreSQL's
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys],
        set_={a: table.c[a] + insert.excluded[a] for a in amounts},
    )


@cache
def _decrease(table: Table, keys: tuple[str, ...], amounts: tuple[str, ...]):
    return (
        update(table)
        .where(and_(*(table.c[k] == bindparam(f"b_{k}") for k in keys)))
        .values({a: table.c[a] + bindparam(f"b_{a}", type_=table.c[a].type) for a in amounts})
    )


@cache
def _decrease_at_once(table: Table, keys: tuple[str, ...], amounts: tuple[str, ...]):
    """PostgreSQL: ``_decrease`` for many rows in one statement, each column's values as an array
    (``:a_<column>``; the keys of a move are distinct), instead of one server-side execution per
    row (a production lowers ~15 products' stock)."""
    names = keys + amounts
    arrays = {n: bindparam(f"a_{n}", type_=ARRAY(table.c[n].type)) for n in names}
    moved = (
        func.unnest(*arrays.values())
        .table_valued(*(named_column(n, table.c[n].type) for n in names))
        .render_derived(name="moved")
    )
    # ``key = ANY(:a_key)`` says nothing the join does not (every row's key is in its array),
    # but lets PostgreSQL find the ~15 rows by the key's index: without it, it scanned and hashed
    # all ~2,800 stock totals (0.5 of the statement's 0.6 ms on the big season)
    return (
        update(table)
        .where(and_(*(table.c[k] == moved.c[k] for k in keys)))
        .where(and_(*(table.c[k] == any_(arrays[k]) for k in keys)))
        .values({a: table.c[a] + moved.c[a] for a in amounts})
    )


def _prefixed(row: dict) -> dict:
    return {f"b_{name}": value for name, value in row.items()}


# --- rebuild and check --------------------------------------------------------------------------


def _stock_sums():
    """What each product's lots hold, summed over its open lots only: an empty lot adds
    nothing, and a product whose lots are all empty gets no row (a missing row reads as zero
    everywhere: ``drifts``, ``pantry_lots``; the next lot added creates it by upsert). Written
    with the literal ``quantity > 0`` so SQLite reads the partial index
    ``ix_inventory_items_open_fifo`` (covering, in product order, open lots only: 4 ms on the
    big season) instead of every lot through an index without ``quantity`` (~200 ms)."""
    lot = InventoryItem.__table__
    return (
        select(lot.c.product_id, func.sum(lot.c.quantity).label("quantity_on_hand"))
        .where(lot.c.quantity > literal_column("0"))
        .group_by(lot.c.product_id)
    )


def _production_sums():
    run = ProductionRun.__table__
    return (
        select(
            run.c.event_id,
            run.c.recipe_id,
            func.count().label("runs"),
            func.sum(run.c.num_batches).label("num_batches"),
            func.sum(run.c.actual_yield).label("actual_yield"),
            func.sum(run.c.total_ingredient_cost).label("total_ingredient_cost"),
        )
        .where(run.c.event_id.is_not(None), run.c.voided_at.is_(None))
        .group_by(run.c.event_id, run.c.recipe_id)
    )


def _assembly_sums():
    run = AssemblyRun.__table__
    packaging = AssemblyPackagingConsumption.__table__
    per_run = (
        select(packaging.c.assembly_run_id, func.sum(packaging.c.total_cost).label("cost"))
        .group_by(packaging.c.assembly_run_id)
        .subquery()
    )
    return (
        select(
            run.c.event_id,
            run.c.finished_good_id,
            func.count().label("runs"),
            func.sum(run.c.quantity_assembled).label("quantity_assembled"),
            func.sum(run.c.total_component_cost).label("total_component_cost"),
            func.coalesce(func.sum(per_run.c.cost), literal(0)).label("packaging_cost"),
        )
        .outerjoin(per_run, per_run.c.assembly_run_id == run.c.id)
        .where(run.c.event_id.is_not(None), run.c.voided_at.is_(None))
        .group_by(run.c.event_id, run.c.finished_good_id)
    )


_SUMS = {STOCK: _stock_sums, PRODUCTION: _production_sums, ASSEMBLY: _assembly_sums}
# The totals every write use case moves, so ``integrity_service`` holds them to their sums.
# STOCK: every write of a lot's quantity in ``inventory_service`` (new lots, adjustments, draws
# of production, assembly packaging and consume_fifo, draws put back by a void). PRODUCTION and
# ASSEMBLY: every record, void and history import of a run (``runs.event_totals``).
MAINTAINED: tuple[Table, ...] = (STOCK, PRODUCTION, ASSEMBLY)


def rebuild(session: Session) -> None:
    """Every stored total recomputed from the rows it sums (in the caller's transaction)."""
    connection = session.connection()
    for table, sums in _SUMS.items():
        connection.execute(table.delete())
        query = sums()
        connection.execute(
            table.insert().from_select([c.name for c in query.selected_columns], query)
        )


class TotalDrift(NamedTuple):
    """A stored total that differs from the rows it sums; ``key`` is its row's key columns and
    ids (``(("product_id", 12),)``), so a caller can name them."""

    what: str
    subject: str
    expected: Decimal
    actual: Decimal
    key: tuple[tuple[str, int], ...]


def drifts(session: Session, tables: Iterable[Table] = MAINTAINED) -> Iterable[TotalDrift]:
    """(what, which row, the sum, the stored total, key) for every stored total of ``tables``
    that differs from the rows it sums; a missing row counts as zeros, and so does a row of zeros
    with nothing to sum."""
    connection = session.connection()
    for table in tables:
        sums = _SUMS[table]
        keys = _KEYS[table]
        summed = {tuple(r[k] for k in keys): r for r in connection.execute(sums()).mappings()}
        stored = {
            tuple(r[k] for k in keys): r for r in connection.execute(select(table)).mappings()
        }
        for key in sorted(summed.keys() | stored.keys()):
            for column in (c.name for c in table.columns if c.name not in keys):
                expected = _value(summed.get(key), column)
                actual = _value(stored.get(key), column)
                if expected != actual:
                    named = tuple(zip(keys, key, strict=True))
                    subject = ", ".join(f"{k} {v}" for k, v in named)
                    what = f"stored total {table.name}.{column}"
                    yield TotalDrift(what, subject, expected, actual, named)


def _value(row, column: str) -> Decimal:
    return ZERO if row is None or row[column] is None else Decimal(row[column])
