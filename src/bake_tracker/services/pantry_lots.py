"""Reading the pantry for FIFO at a cost that follows the work, not the stored history.

Two reads:

* ``open_totals``: what an ingredient holds per purchase unit, from the stored stock total of each
  of its products (``product_stock_totals``, moved by every write of a lot: ``services/totals.py``),
  one row per product, never per lot; "on hand" converts once per unit instead of once per lot.
* ``plan_needs``: FIFO plans that read only the *leading* open lots of each product (the first
  ``LEAD_LOTS`` in (purchase date, id) order, through the partial index
  ``ix_inventory_items_open_fifo`` over lots that still hold something) and read every open lot
  of an ingredient only when those do not cover its need.

Why reading the leading lots per product is enough: FIFO walks an ingredient's lots across all its
products in (date, id) order. Merging each product's first k lots gives the ingredient's true
oldest lots up to the last lot read of any product that had k or more (a lot beyond that point may
still be unread). The plan walks that trusted prefix; a walk that covers the need inside it stops
where a walk over every lot would have stopped, so the plan is the same one, draw for draw. A
walk that runs out of trusted lots is planned again over every open lot (one more query, only
then), which also gives the exact shortfall.

SQLite uses a partial index only when the query states its condition with the same literal, so
the condition is written as ``quantity > 0`` (a literal, never a bound parameter).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from sqlalchemy import bindparam, literal_column, null, select, true, union_all
from sqlalchemy.orm import Session

from bake_tracker.core.fifo import Converter, FifoPlan, LotSnapshot, plan_fifo
from bake_tracker.core.numbers import ZERO, round_quantity
from bake_tracker.models import InventoryItem, Product, ProductStockTotal
from bake_tracker.services.leading_rows import leading_join

LEAD_LOTS = 4  # open lots read per product before planning; more only when these fall short
# (4, not 6: a third fewer rows to read and convert on every plan; the bench recipe up to 60
# batches and the small-lot history of test_batch_production stay within them)

_LOTS, _PRODUCTS = InventoryItem.__table__, Product.__table__
_STOCK = ProductStockTotal.__table__
_HOLDS_SOMETHING = literal_column("0")  # a literal, so SQLite can use the partial index


_OPEN_FIFO = "ix_inventory_items_open_fifo"  # read INDEXED BY on SQLite: see leading_rows


def _open(lots) -> object:
    return lots.c.quantity > _HOLDS_SOMETHING


def _leading_statement(lateral: bool):
    joined, lots = leading_join(
        _PRODUCTS,
        _LOTS,
        "product_id",
        ("purchase_date", "id"),
        _open,
        ("id", "purchase_date", "quantity", "unit_cost"),
        lateral=lateral,
        open_index=_OPEN_FIFO,
    )
    return (
        select(
            _PRODUCTS.c.ingredient_id,
            lots.c.id.label("lot_id"),
            lots.c.purchase_date.label("lot_date"),
            lots.c.quantity,
            _PRODUCTS.c.purchase_unit.label("unit"),
            lots.c.unit_cost,
            _PRODUCTS.c.id.label("product_id"),
        )
        .select_from(joined)
        .where(_PRODUCTS.c.ingredient_id.in_(bindparam("ingredient_ids", expanding=True)))
    )


_LEADING = {False: _leading_statement(False), True: _leading_statement(True)}

_OF_INGREDIENTS_OPEN = (
    _PRODUCTS.c.ingredient_id.in_(bindparam("ingredient_ids", expanding=True)),
    _open(_LOTS),
)
_PRODUCT_LOTS = _PRODUCTS.join(_LOTS, _LOTS.c.product_id == _PRODUCTS.c.id)
_ALL_OPEN = (
    select(
        _PRODUCTS.c.ingredient_id,
        _LOTS.c.id.label("lot_id"),
        _LOTS.c.purchase_date.label("lot_date"),
        _LOTS.c.quantity,
        _PRODUCTS.c.purchase_unit.label("unit"),
        _LOTS.c.unit_cost,
        _PRODUCTS.c.id.label("product_id"),
    )
    .select_from(_PRODUCT_LOTS)
    .where(*_OF_INGREDIENTS_OPEN)
    .order_by(_LOTS.c.purchase_date, _LOTS.c.id)
    .with_hint(_LOTS, f"INDEXED BY {_OPEN_FIFO}", "sqlite")
)

# What each product's lots hold: its stored stock total (one primary-key row per product, however
# many lots are open), only where it holds something (a product whose lots are all used up adds
# no unit, as before: a unit that does not convert is then never converted). The rows are per
# product; the few product sums are added per purchase unit in Python, exactly (``_by_unit``).
# (Before session 6 this was a correlated SUM over every open lot of each product: it grew with
# the open lots, 2.1x on the x10 data set.)
_OF_INGREDIENTS = _PRODUCTS.c.ingredient_id.in_(bindparam("ingredient_ids", expanding=True))
_PRODUCT_STOCK = _PRODUCTS.join(_STOCK, _STOCK.c.product_id == _PRODUCTS.c.id)
_HOLDING = (_OF_INGREDIENTS, _STOCK.c.quantity_on_hand > _HOLDS_SOMETHING)
_TOTALS = (
    select(_PRODUCTS.c.ingredient_id, _PRODUCTS.c.purchase_unit, _STOCK.c.quantity_on_hand)
    .select_from(_PRODUCT_STOCK)
    .where(*_HOLDING)
)

# PostgreSQL: the same rows, each product's total found by its key in a lateral subquery that
# it cannot fold back into a join (``OFFSET 0``): as a join, it scanned and hashed all ~2,800
# stock totals for the ~45 products of a 15-line recipe (0.3 of the statement's 0.35 ms).
_HELD = (
    select(_STOCK.c.quantity_on_hand)
    .where(_STOCK.c.product_id == _PRODUCTS.c.id, _STOCK.c.quantity_on_hand > _HOLDS_SOMETHING)
    .offset(0)
    .lateral("held")
)
_TOTALS_BY_KEY = (
    select(_PRODUCTS.c.ingredient_id, _PRODUCTS.c.purchase_unit, _HELD.c.quantity_on_hand)
    .select_from(_PRODUCTS.join(_HELD, true()))
    .where(_OF_INGREDIENTS)
)

# The leading lots and the totals in one statement: a total row has no lot id and carries what
# one product holds in ``quantity``.
_TOTAL_ROWS = (
    select(
        _PRODUCTS.c.ingredient_id,
        null().label("lot_id"),
        null().label("lot_date"),
        _STOCK.c.quantity_on_hand.label("quantity"),
        _PRODUCTS.c.purchase_unit.label("unit"),
        null().label("unit_cost"),
        null().label("product_id"),
    )
    .select_from(_PRODUCT_STOCK)
    .where(*_HOLDING)
)
_LEADING_AND_TOTALS = {
    lateral: union_all(_LEADING[lateral], _TOTAL_ROWS) for lateral in (False, True)
}


def _connection(session: Session):
    """The session's connection, after flushing pending changes as a session query would."""
    if session.autoflush:
        session.flush()
    return session.connection()


def all_open_lots(session: Session, ingredient_ids: Iterable[int]) -> dict[int, list[LotSnapshot]]:
    """Every open lot of these ingredients, FIFO-ordered per ingredient (one query)."""
    found: dict[int, list[LotSnapshot]] = {}
    rows = _connection(session).execute(_ALL_OPEN, {"ingredient_ids": list(ingredient_ids)})
    for ingredient_id, *snapshot in rows:
        found.setdefault(ingredient_id, []).append(LotSnapshot(*snapshot))
    return found


@dataclass(frozen=True, slots=True)
class Leading:
    """An ingredient's oldest open lots as far as they are known, in FIFO order."""

    lots: list[LotSnapshot]
    complete: bool  # every open lot of the ingredient is in ``lots``


def leading_lots(
    session: Session, ingredient_ids: Iterable[int], per_product: int = LEAD_LOTS
) -> dict[int, Leading]:
    """The first ``per_product`` open lots of each product of these ingredients (one query),
    merged per ingredient into the prefix of its FIFO order that is certain (module docstring)."""
    return read(session, ingredient_ids, per_product)[0]


def read(
    session: Session,
    ingredient_ids: Iterable[int],
    per_product: int = LEAD_LOTS,
    *,
    with_totals: bool = False,
) -> tuple[dict[int, Leading], dict[int, list[tuple[str, Decimal]]]]:
    """(``leading_lots``, and with ``with_totals`` the ``open_totals`` too) in one statement."""
    ids = list(ingredient_ids)
    connection = _connection(session)
    lateral = connection.dialect.name == "postgresql"
    statement = (_LEADING_AND_TOTALS if with_totals else _LEADING)[lateral]
    by_product: dict[int, dict[int, list[LotSnapshot]]] = {i: {} for i in ids}
    held: list[tuple[int, str, Decimal]] = []
    rows = connection.execute(statement, {"ingredient_ids": ids, "per_parent": per_product})
    # One pass over plain tuples (named fields cost more than the plan itself on hundreds of rows)
    for ingredient_id, lot_id, lot_date, quantity, unit, unit_cost, product_id in rows.all():
        if lot_id is None:  # a product's total row: (unit, quantity)
            held.append((ingredient_id, unit, quantity))
            continue
        lot = LotSnapshot(lot_id, lot_date, quantity, unit, unit_cost, product_id)
        products = by_product[ingredient_id]
        if product_id in products:
            products[product_id].append(lot)
        else:
            products[product_id] = [lot]
    leading = {i: _merged(products, per_product) for i, products in by_product.items()}
    return leading, _by_unit(held)


def _by_unit(
    held: Iterable[tuple[int, str, Decimal]],
) -> dict[int, list[tuple[str, Decimal]]]:
    """Per-product totals ``(ingredient, purchase unit, quantity above zero)`` added per
    ingredient and unit (exact: Decimal sums of exact figures), units in name order."""
    sums: dict[int, dict[str, Decimal]] = {}
    for ingredient_id, unit, quantity in held:
        units = sums.setdefault(ingredient_id, {})
        units[unit] = units[unit] + quantity if unit in units else quantity
    return {i: sorted(units.items()) for i, units in sums.items()}


_fifo_key = attrgetter("lot_date", "lot_id")


def _merged(products: dict[int, list[LotSnapshot]], per_product: int) -> Leading:
    lots = sorted((lot for group in products.values() for lot in group), key=_fifo_key)
    cut_at = [max(map(_fifo_key, g)) for g in products.values() if len(g) >= per_product]
    if not cut_at:
        return Leading(lots, complete=True)
    cutoff = min(cut_at)  # lots after the earliest last-read lot of a cut product may be unread
    return Leading([lot for lot in lots if _fifo_key(lot) <= cutoff], complete=False)


@dataclass(frozen=True, slots=True)
class Need:
    """What one ingredient must supply, in ``unit``, and how to convert lots into it."""

    ingredient_id: int
    quantity: Decimal
    unit: str
    convert: Converter


def plan_needs(
    session: Session,
    needs: Iterable[Need],
    per_product: int = LEAD_LOTS,
    leading: dict[int, Leading] | None = None,
) -> dict[int, FifoPlan]:
    """A FIFO plan per need, identical to planning over every open lot, reading only the leading
    lots (one query, or none when ``leading`` has them already) and every open lot only of
    ingredients whose leading lots fall short (a second query, then)."""
    needs = list(needs)
    if leading is None:
        leading = leading_lots(session, [n.ingredient_id for n in needs], per_product)
    plans: dict[int, FifoPlan] = {}
    short: list[Need] = []
    for need in needs:
        lead = leading[need.ingredient_id]
        plan = plan_fifo(lead.lots, need.quantity, need.unit, need.convert)
        if plan.satisfied or lead.complete:
            plans[need.ingredient_id] = plan
        else:
            short.append(need)
    if short:
        every = all_open_lots(session, [n.ingredient_id for n in short])
        for need in short:
            lots = every.get(need.ingredient_id, [])
            plans[need.ingredient_id] = plan_fifo(lots, need.quantity, need.unit, need.convert)
    return plans


def open_totals(
    session: Session, ingredient_ids: Iterable[int]
) -> dict[int, list[tuple[str, Decimal]]]:
    """{ingredient id: [(purchase unit, what its open lots hold in that unit)]} (one query)."""
    connection = _connection(session)
    statement = _TOTALS_BY_KEY if connection.dialect.name == "postgresql" else _TOTALS
    rows = connection.execute(statement, {"ingredient_ids": list(ingredient_ids)})
    return _by_unit(rows)


def on_hand(totals: list[tuple[str, Decimal]], unit: str, convert: Converter) -> Decimal:
    """What ``open_totals`` rows of one ingredient hold in all, in ``unit`` (3 places): each
    purchase unit's total converted once."""
    return round_quantity(
        sum(
            (q if u == unit else convert(q, u, unit) for u, q in totals),
            ZERO,
        )
    )
