"""The rows behind ``bake-tracker check``: the ledger checks that need more than one table, and the
words that name each row a drift is about.

``integrity_service`` finds what does not add up; this module adds two checks of the run ledgers —

* an assembly's component line costs what its lot rows cost (finished units, finished goods and
  packaging: the line is what the run total sums, the lot rows are what void restores);
* a live run's output lot holds what the run made: a production run with a yield has one
  finished-unit lot of ``actual_yield`` units costing ``total_ingredient_cost``; an assembly run
  has one finished-good lot of ``quantity_assembled`` costing ``total_component_cost`` —

and ``name_rows``, which turns ``(table, id)`` references into words a baker recognises
("pantry lot #12 (All-Purpose Flour, King Arthur, bought 2025-11-01)"), a few queries for all
the rows at once. Both only read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bake_tracker.models import (
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
    Event,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    FinishedUnitLot,
    Ingredient,
    InventoryItem,
    Product,
    ProductionConsumption,
    ProductionRun,
    Recipe,
)

Ref = tuple[str, int]  # (kind of row, id)
NAME_CHARS = 80  # a name quoted in a finding is cut here: the finding stays one line

# --- more ledger checks -------------------------------------------------------------------------

_ASSEMBLY_LINES = (
    (
        "assembly finished-unit line",
        AssemblyFinishedUnitConsumption,
        AssemblyFinishedUnitConsumptionLot,
    ),
    (
        "assembly finished-good line",
        AssemblyFinishedGoodConsumption,
        AssemblyFinishedGoodConsumptionLot,
    ),
    ("assembly packaging line", AssemblyPackagingConsumption, AssemblyPackagingConsumptionLot),
)


def assembly_line_drifts(session: Session) -> list[tuple[str, Ref, Decimal, Decimal]]:
    """(kind, row, expected, actual) for each assembly line whose cost is not Σ its lot rows."""
    found = []
    for kind, line, lot in _ASSEMBLY_LINES:
        lots = (
            select(lot.consumption_id.label("line_id"), func.sum(lot.cost).label("c"))
            .group_by(lot.consumption_id)
            .subquery()
        )
        query = (
            select(line.id, line.total_cost, lots.c.c)
            .join(lots, lots.c.line_id == line.id)
            .where(lots.c.c != line.total_cost)
            .order_by(line.id)
        )
        found += [
            (f"{kind} cost", (kind, row.id), row.c, row.total_cost)
            for row in session.execute(query)
        ]
    return found


def output_lot_drifts(session: Session) -> list[tuple[str, Ref, Decimal, Decimal]]:
    """(kind, row, expected, actual) for each live run whose output lot is missing or holds
    other units or another cost than the run made; the database sends back only those runs."""
    found = []
    for run, lot, made, cost, item, lot_item, run_kind, has_output in (
        (
            ProductionRun,
            FinishedUnitLot.production_run_id,
            ProductionRun.actual_yield,
            ProductionRun.total_ingredient_cost,
            ProductionRun.finished_unit_id,
            FinishedUnitLot.finished_unit_id,
            "production run",
            ProductionRun.actual_yield > 0,
        ),
        (
            AssemblyRun,
            FinishedGoodLot.assembly_run_id,
            AssemblyRun.quantity_assembled,
            AssemblyRun.total_component_cost,
            AssemblyRun.finished_good_id,
            FinishedGoodLot.finished_good_id,
            "assembly run",
            AssemblyRun.quantity_assembled > 0,
        ),
    ):
        lot_model = lot.class_
        outputs = (
            select(
                lot.label("run_id"),
                func.count().label("lots"),
                func.sum(lot_model.quantity_initial).label("units"),
                func.sum(lot_model.total_cost).label("cost"),
                func.min(lot_item).label("item_id"),
            )
            .where(lot.is_not(None))
            .group_by(lot)
            .subquery()
        )
        rows = session.execute(
            select(
                run.id,
                made.label("made"),
                cost.label("cost"),
                item.label("item_id"),
                outputs.c.lots,
                outputs.c.units,
                outputs.c.cost.label("lot_cost"),
                outputs.c.item_id.label("lot_item"),
            )
            .outerjoin(outputs, outputs.c.run_id == run.id)
            .where(
                run.voided_at.is_(None),
                has_output,
                # compared in the database (stored integers of one scale each side), so only the
                # runs that drift come back: a season has tens of thousands of runs
                or_(
                    outputs.c.lots.is_(None),
                    outputs.c.lots != 1,
                    outputs.c.units != made,
                    outputs.c.item_id != item,
                    outputs.c.cost != cost,
                ),
            )
            .order_by(run.id)
        ).all()
        for row in rows:
            ref = (run_kind, row.id)
            units = Decimal(row.units or 0)
            if row.lots != 1 or units != row.made or row.lot_item != row.item_id:
                found.append((f"{run_kind} output lot units", ref, Decimal(row.made), units))
            elif row.lot_cost != row.cost:
                found.append((f"{run_kind} output lot cost", ref, row.cost, row.lot_cost))
    return found


# --- naming rows --------------------------------------------------------------------------------


def name_rows(session: Session, refs: Iterable[Ref]) -> dict[Ref, str]:
    """Words for each ``(kind, id)``: what the row is, with the names a baker knows it by."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, row_id in refs:
        wanted[kind].add(row_id)
    names: dict[Ref, str] = {}
    for kind, ids in wanted.items():
        describe = _NAMERS.get(kind)
        found = describe(session, ids) if describe is not None else {}
        for row_id in ids:
            names[(kind, row_id)] = found.get(row_id, f"{kind} #{row_id}")
    return names


def _q(name: object) -> str:
    text = str(name)
    return f"'{text[:NAME_CHARS]}…'" if len(text) > NAME_CHARS else f"'{text}'"


def _pantry_lots(session: Session, ids: set[int]) -> dict[int, str]:
    query = (
        select(
            InventoryItem.id, Ingredient.display_name, Product.brand, InventoryItem.purchase_date
        )
        .join(Product, Product.id == InventoryItem.product_id)
        .join(Ingredient, Ingredient.id == Product.ingredient_id)
        .where(InventoryItem.id.in_(ids))
    )
    return {
        row.id: f"pantry lot #{row.id} ({_q(row.display_name)}"
        + (f", {_q(row.brand)}" if row.brand else "")
        + f", bought {row.purchase_date})"
        for row in session.execute(query)
    }


def _finished_lots(lot, item, item_column, source_column, source_words: str):
    def describe(session: Session, ids: set[int]) -> dict[int, str]:
        query = (
            select(lot.id, item.display_name, source_column.label("run_id"), lot.adjustment_id)
            .join(item, item.id == item_column)
            .where(lot.id.in_(ids))
        )
        return {
            row.id: f"lot #{row.id} of {_q(row.display_name)} ("
            + (
                f"made by {source_words} #{row.run_id})"
                if row.run_id
                else f"from stock adjustment #{row.adjustment_id})"
            )
            for row in session.execute(query)
        }

    return describe


def _items(model):
    def describe(session: Session, ids: set[int]) -> dict[int, str]:
        query = select(model.id, model.display_name, model.slug).where(model.id.in_(ids))
        return {
            row.id: f"{_q(row.display_name)} ({row.slug}, #{row.id})"
            for row in session.execute(query)
        }

    return describe


def _products(session: Session, ids: set[int]) -> dict[int, str]:
    query = (
        select(Product.id, Ingredient.display_name, Product.brand, Product.package_size)
        .join(Ingredient, Ingredient.id == Product.ingredient_id)
        .where(Product.id.in_(ids))
    )
    return {
        row.id: f"product {_q(row.display_name)}"
        + "".join(f", {_q(part)}" for part in (row.brand, row.package_size) if part)
        + f" (#{row.id})"
        for row in session.execute(query)
    }


def _events(session: Session, ids: set[int]) -> dict[int, str]:
    query = select(Event.id, Event.name, Event.event_date).where(Event.id.in_(ids))
    return {
        row.id: f"event {_q(row.name)} ({row.event_date}, #{row.id})"
        for row in session.execute(query)
    }


def _recipes(session: Session, ids: set[int]) -> dict[int, str]:
    query = select(Recipe.id, Recipe.name).where(Recipe.id.in_(ids))
    return {row.id: f"recipe {_q(row.name)} (#{row.id})" for row in session.execute(query)}


def _production_runs(session: Session, ids: set[int]) -> dict[int, str]:
    run = ProductionRun
    query = (
        select(run.id, Recipe.name, run.num_batches, run.produced_at)
        .join(Recipe, Recipe.id == run.recipe_id)
        .where(run.id.in_(ids))
    )
    return {
        row.id: f"production run #{row.id} ({_q(row.name)}, {row.num_batches} "
        f"batch{'es' if row.num_batches != 1 else ''}, {row.produced_at:%Y-%m-%d})"
        for row in session.execute(query)
    }


def _assembly_runs(session: Session, ids: set[int]) -> dict[int, str]:
    run = AssemblyRun
    query = (
        select(run.id, FinishedGood.display_name, run.quantity_assembled, run.assembled_at)
        .join(FinishedGood, FinishedGood.id == run.finished_good_id)
        .where(run.id.in_(ids))
    )
    return {
        row.id: f"assembly run #{row.id} ({row.quantity_assembled} × {_q(row.display_name)}, "
        f"{row.assembled_at:%Y-%m-%d})"
        for row in session.execute(query)
    }


def _lines(line, name_model, name_column, run_column, run_words: str):
    def describe(session: Session, ids: set[int]) -> dict[int, str]:
        query = (
            select(line.id, name_model.display_name, run_column.label("run_id"))
            .join(name_model, name_model.id == name_column)
            .where(line.id.in_(ids))
        )
        return {
            row.id: f"{_q(row.display_name)} line #{row.id} of {run_words} #{row.run_id}"
            for row in session.execute(query)
        }

    return describe


def _packaging_lines(session: Session, ids: set[int]) -> dict[int, str]:
    line = AssemblyPackagingConsumption
    query = (
        select(line.id, Ingredient.display_name, Product.brand, line.assembly_run_id)
        .join(Product, Product.id == line.product_id)
        .join(Ingredient, Ingredient.id == Product.ingredient_id)
        .where(line.id.in_(ids))
    )
    return {
        row.id: f"{_q(row.display_name)} packaging line #{row.id} of assembly run "
        f"#{row.assembly_run_id}"
        for row in session.execute(query)
    }


_NAMERS: dict[str, Callable[[Session, set[int]], dict[int, str]]] = {
    "pantry lot": _pantry_lots,
    "product": _products,
    "event": _events,
    "recipe": _recipes,
    "finished unit lot": _finished_lots(
        FinishedUnitLot,
        FinishedUnit,
        FinishedUnitLot.finished_unit_id,
        FinishedUnitLot.production_run_id,
        "production run",
    ),
    "finished good lot": _finished_lots(
        FinishedGoodLot,
        FinishedGood,
        FinishedGoodLot.finished_good_id,
        FinishedGoodLot.assembly_run_id,
        "assembly run",
    ),
    "finished unit": _items(FinishedUnit),
    "finished good": _items(FinishedGood),
    "production run": _production_runs,
    "assembly run": _assembly_runs,
    "ingredient line": _lines(
        ProductionConsumption,
        Ingredient,
        ProductionConsumption.ingredient_id,
        ProductionConsumption.production_run_id,
        "production run",
    ),
    "assembly finished-unit line": _lines(
        AssemblyFinishedUnitConsumption,
        FinishedUnit,
        AssemblyFinishedUnitConsumption.finished_unit_id,
        AssemblyFinishedUnitConsumption.assembly_run_id,
        "assembly run",
    ),
    "assembly finished-good line": _lines(
        AssemblyFinishedGoodConsumption,
        FinishedGood,
        AssemblyFinishedGoodConsumption.finished_good_id,
        AssemblyFinishedGoodConsumption.assembly_run_id,
        "assembly run",
    ),
    "assembly packaging line": _packaging_lines,
}
