"""The invariants checker behind ``bake-tracker check``: does every number still add up?

* Pantry lots: remaining = initial + Σ adjustments − Σ draws of non-voided runs.
* Finished-unit and finished-good lots: remaining units and remaining cost = initial − Σ draws by
  non-voided assemblies and manual adjustments; the item's ``inventory_count`` = Σ remaining.
* Runs: a production run's total = Σ its ingredient lines; a line's cost = Σ its lot rows (when it
  has any); an assembly's total = Σ its three ledgers, and each of their lines = Σ its lot rows; a
  live run's output lot holds what it made; a voided run has no stock left in its output
  (``integrity_rows``).

Every drift names its row the way a baker knows it — "pantry lot #12 ('All-Purpose Flour',
'King Arthur', bought 2025-11-01)", "production run #4 ('Sugar Cookies', 2 batches, 2025-11-20)"
— so what an import or a bug left behind can be found and mended.

Each check is one query that compares in the database and sends back only the rows that drift, so
the checker takes about a second on the benchmark's big season (it runs after every import). It
only reads.

``check_storage`` asks SQLite whether the file itself is sound (``PRAGMA integrity_check``: pages,
indexes, constraints); a PostgreSQL server looks after its own storage, so there it is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import and_, func, not_, or_, select, text, union_all
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import ZERO
from bake_tracker.core.recipes import find_cycles
from bake_tracker.models import (
    AdjustmentDraw,
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
    Composition,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    FinishedUnitLot,
    InventoryItem,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
    Recipe,
    RecipeComponent,
    StockAdjustment,
)
from bake_tracker.services import integrity_rows, totals
from bake_tracker.services.transactions import use_session


@dataclass(frozen=True)
class Drift:
    """One figure that does not add up; ``subject`` names the row (``integrity_rows.name_rows``)
    and ``ref`` is that row as (kind of row, id)."""

    kind: str
    subject: str
    expected: Decimal
    actual: Decimal
    ref: tuple[str, int] | None = field(default=None, compare=False)

    def describe(self) -> str:
        return f"{self.kind}: {self.subject} is {self.actual}, expected {self.expected}"


@dataclass(frozen=True)
class StorageCheck:
    """What ``PRAGMA integrity_check`` said; ``ran`` is False where it does not apply."""

    ran: bool
    problems: list[str]
    backend: str


def check_storage(*, session: Session | None = None) -> StorageCheck:
    """SQLite's own check of the file: every problem row it reports (empty when sound).

    Raises:
        StorageError when the file is too damaged to be read at all.
    """
    with use_session(session) as s:
        backend = s.get_bind().dialect.name
        if backend != "sqlite":
            return StorageCheck(ran=False, problems=[], backend=backend)
        rows = list(s.scalars(text("PRAGMA integrity_check")))
    return StorageCheck(ran=True, problems=[r for r in rows if r != "ok"], backend=backend)


def check_structure(*, session: Session | None = None) -> list[str]:
    """Recipes and finished goods that contain themselves, through any number of levels, each
    named with the loop ("'Cake' contains 'Frosting', which contains 'Cake'"). The services never
    make one; an import or a hand-edited database could, and every cost, plan and dashboard that
    walks such a loop would never end."""
    with use_session(session) as s:
        recipes = select(RecipeComponent.recipe_id, RecipeComponent.component_recipe_id)
        goods = select(Composition.assembly_id, Composition.finished_good_id).where(
            Composition.assembly_id.is_not(None), Composition.finished_good_id.is_not(None)
        )
        problems = []
        for what, model, name, edges in (
            ("recipe", Recipe, Recipe.name, recipes),
            ("finished good", FinishedGood, FinishedGood.display_name, goods),
        ):
            cycles = find_cycles(s.execute(edges).all())
            if cycles:
                ids = {i for cycle in cycles for i in cycle}
                names = dict(s.execute(select(model.id, name).where(model.id.in_(ids))).all())
                problems += [f"{what} loop: {_loop_words(cycle, names)}" for cycle in cycles]
        return problems


def _loop_words(cycle: list[int], names: dict[int, str]) -> str:
    quoted = [f"'{names.get(i, f'#{i}')[:80]}'" for i in cycle]
    if len(quoted) == 2:
        return f"{quoted[0]} contains itself"
    return f"{quoted[0]} contains " + ", which contains ".join(quoted[1:])


def import_drift_problems(drifts: list[Drift], *, session: Session) -> list[str]:
    """The problems an import lists when its records would leave figures that do not add up.

    Called after the import's savepoint was rolled back, so ``session`` shows the database as it
    was: drifts it already had are told apart from the ones the document would bring.
    """
    before = set(check_invariants(session=session))
    new = [d for d in drifts if d not in before]
    if not new:
        return [
            "The database already has figures that do not add up (run 'bake-tracker check'); "
            "nothing was imported.",
            *(f"Already wrong: {d.describe()}" for d in drifts),
        ]
    return [
        "The file's records do not add up (lots, runs and their ledgers disagree, as when a "
        "record was copied or edited by hand); nothing was imported.",
        *(f"After importing, {d.describe()}" for d in new),
    ]


def check_invariants(*, session: Session | None = None, stored_totals: bool = True) -> list[Drift]:
    """Every drift found (an empty list means everything balances), each naming its row.

    ``stored_totals=False`` leaves out the stored totals against their sums: for a caller that
    has just rebuilt them from those very sums in its transaction (an import), where they cannot
    differ and comparing them is a second of the big season's import."""
    with use_session(session) as s:
        drifts = [
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
            *(Drift(k, "", e, a, ref) for k, ref, e, a in integrity_rows.assembly_line_drifts(s)),
            *(Drift(k, "", e, a, ref) for k, ref, e, a in integrity_rows.output_lot_drifts(s)),
        ]
        stored = list(totals.drifts(s)) if stored_totals else []
        refs = [d.ref for d in drifts if d.ref is not None]
        names = integrity_rows.name_rows(s, refs + [r for t in stored for r in _total_refs(t)])
        named = [replace(d, subject=names[d.ref]) if d.ref is not None else d for d in drifts]
        return named + [
            Drift(t.what, ", ".join(names[r] for r in _total_refs(t)), t.expected, t.actual)
            for t in stored
        ]


# What each stored total's key column is, in ``integrity_rows.name_rows``' words.
_TOTAL_KEY_KINDS = {
    "product_id": "product",
    "event_id": "event",
    "recipe_id": "recipe",
    "finished_good_id": "finished good",
}


def _total_refs(drift: totals.TotalDrift) -> list[tuple[str, int]]:
    return [(_TOTAL_KEY_KINDS[column], row_id) for column, row_id in drift.key]


def _nz(column):
    """A summed column, 0 where the outer join found no rows (0 is stored as 0 at any scale)."""
    return func.coalesce(column, 0)


def _pantry_lots(session: Session) -> list[Drift]:
    """One query: every lot's adjustments and live draws netted in one pass (UNION ALL, then one
    GROUP BY), compared in the database; only the lots that drift come back."""
    moves = union_all(
        select(
            StockAdjustment.inventory_item_id.label("lot_id"), StockAdjustment.delta.label("n")
        ).where(StockAdjustment.inventory_item_id.is_not(None)),
        select(ProductionConsumptionLot.inventory_item_id, -ProductionConsumptionLot.quantity)
        .join(ProductionConsumption)
        .join(ProductionRun)
        .where(ProductionRun.voided_at.is_(None)),
        select(
            AssemblyPackagingConsumptionLot.inventory_item_id,
            -AssemblyPackagingConsumptionLot.quantity,
        )
        .join(AssemblyPackagingConsumption)
        .join(AssemblyRun)
        .where(AssemblyRun.voided_at.is_(None)),
    ).subquery()
    net = select(moves.c.lot_id, func.sum(moves.c.n).label("n")).group_by(moves.c.lot_id).subquery()
    lot = InventoryItem
    query = (
        select(lot.id, lot.initial_quantity, lot.quantity, net.c.n.label("moved"))
        .outerjoin(net, net.c.lot_id == lot.id)
        .where(lot.initial_quantity + _nz(net.c.n) != lot.quantity)
        .order_by(lot.id)
    )
    return [
        Drift(
            "pantry lot balance",
            f"lot #{row.id}",
            row.initial_quantity + (row.moved or ZERO),
            row.quantity,
            ("pantry lot", row.id),
        )
        for row in session.execute(query)
    ]


def _finished_lots(session: Session, lot_model, ledger_model, summary_model, lot_column: str):
    """Units and cost left in each finished lot = initial − draws by live assemblies and manual
    adjustments; the database compares every lot and sends back only those that drift."""
    name = lot_model.__tablename__.replace("_", " ").rstrip("s")
    drifts = []
    query = _finished_lot_drifts(lot_model, ledger_model, summary_model, lot_column)
    for row in session.execute(query):
        drawn_units = (row.assembled_units or 0) + (row.adjusted_units or 0)
        expected_units = row.quantity_initial - drawn_units
        if expected_units != row.quantity_remaining:
            drifts.append(
                Drift(
                    f"{name} units",
                    f"lot #{row.id}",
                    Decimal(expected_units),
                    Decimal(row.quantity_remaining),
                    (name, row.id),
                )
            )
        expected_cost = row.total_cost - (row.assembled_cost or ZERO) - (row.adjusted_cost or ZERO)
        if expected_cost != row.remaining_cost:
            drifts.append(
                Drift(
                    f"{name} cost",
                    f"lot #{row.id}",
                    expected_cost,
                    row.remaining_cost,
                    (name, row.id),
                )
            )
    return drifts


def _drawn_per_lot(lot_id, quantity, cost, *where):
    """Σ quantity (``units``) and Σ cost (``cost``) per lot (``lot_id``), as a subquery."""
    return (
        select(
            lot_id.label("lot_id"),
            func.sum(quantity).label("units"),
            func.sum(cost).label("cost"),
        )
        .where(*where)
        .group_by(lot_id)
    )


def _finished_lot_drifts(lot_model, ledger_model, summary_model, lot_column: str):
    """The query behind ``_finished_lots``: the lots of ``lot_model`` whose units or cost left
    differ from initial − what live assemblies (``ledger_model`` rows, under ``summary_model``)
    and manual adjustments drew, with those draws; an emptied output lot of a voided run is as
    it should be."""
    assembled = (
        _drawn_per_lot(
            getattr(ledger_model, lot_column),
            ledger_model.quantity,
            ledger_model.cost,
            AssemblyRun.voided_at.is_(None),
        )
        .join(summary_model)
        .join(AssemblyRun)
        .subquery()
    )
    adjusted_lot = getattr(AdjustmentDraw, lot_column)
    adjusted = _drawn_per_lot(
        adjusted_lot, AdjustmentDraw.quantity, AdjustmentDraw.cost, adjusted_lot.is_not(None)
    ).subquery()
    lot = lot_model
    units_left = lot.quantity_initial - _nz(assembled.c.units) - _nz(adjusted.c.units)
    cost_left = lot.total_cost - _nz(assembled.c.cost) - _nz(adjusted.c.cost)
    emptied_by_void = and_(  # a voided run's output lot is emptied on purpose
        lot.id.in_(_voided_outputs(lot_model)), lot.quantity_remaining == 0
    )
    return (
        select(
            lot.id,
            lot.quantity_initial,
            lot.quantity_remaining,
            lot.total_cost,
            lot.remaining_cost,
            assembled.c.units.label("assembled_units"),
            assembled.c.cost.label("assembled_cost"),
            adjusted.c.units.label("adjusted_units"),
            adjusted.c.cost.label("adjusted_cost"),
        )
        .outerjoin(assembled, assembled.c.lot_id == lot.id)
        .outerjoin(adjusted, adjusted.c.lot_id == lot.id)
        .where(
            or_(units_left != lot.quantity_remaining, cost_left != lot.remaining_cost),
            not_(emptied_by_void),
        )
        .order_by(lot.id)
    )


def _voided_outputs(lot_model):
    """The ids of output lots of voided runs, as a subquery."""
    if lot_model is FinishedUnitLot:
        return (
            select(FinishedUnitLot.id)
            .join(ProductionRun, ProductionRun.id == FinishedUnitLot.production_run_id)
            .where(ProductionRun.voided_at.is_not(None))
        )
    return (
        select(FinishedGoodLot.id)
        .join(AssemblyRun, AssemblyRun.id == FinishedGoodLot.assembly_run_id)
        .where(AssemblyRun.voided_at.is_not(None))
    )


def _stock_counts(session: Session, item_model, lot_model, item_column) -> list[Drift]:
    lots = session.execute(
        select(
            item_column.label("item_id"), func.sum(lot_model.quantity_remaining).label("units")
        ).group_by(item_column)
    ).mappings()
    remaining = {row["item_id"]: row["units"] or ZERO for row in lots}
    items = session.execute(
        select(item_model.id, item_model.display_name, item_model.inventory_count)
    ).mappings()
    kind = "finished unit" if item_model is FinishedUnit else "finished good"
    return [
        Drift(
            "stock count",
            f"{row['display_name']}",
            Decimal(remaining.get(row["id"], 0)),
            Decimal(row["inventory_count"]),
            (kind, row["id"]),
        )
        for row in items
        if row["inventory_count"] != remaining.get(row["id"], 0)
    ]


def _production_totals(session: Session) -> list[Drift]:
    """A run's total = Σ its lines; a line's cost = Σ its lot rows (when it has any)."""
    lines = (
        select(
            ProductionConsumption.production_run_id.label("run_id"),
            func.sum(ProductionConsumption.total_cost).label("t"),
        )
        .group_by(ProductionConsumption.production_run_id)
        .subquery()
    )
    run = ProductionRun
    drifts = [
        Drift(
            "production run total",
            f"run #{row.id}",
            row.lines_total or ZERO,
            row.total,
            ("production run", row.id),
        )
        for row in session.execute(
            select(run.id, run.total_ingredient_cost.label("total"), lines.c.t.label("lines_total"))
            .outerjoin(lines, lines.c.run_id == run.id)
            .where(_nz(lines.c.t) != run.total_ingredient_cost)
            .order_by(run.id)
        )
    ]
    lot_costs = (
        select(
            ProductionConsumptionLot.consumption_id.label("line_id"),
            func.sum(ProductionConsumptionLot.cost).label("c"),
        )
        .group_by(ProductionConsumptionLot.consumption_id)
        .subquery()
    )
    line = ProductionConsumption
    drifts += [
        Drift(
            "ingredient line cost",
            f"line #{row.id}",
            row.lots_total,
            row.total_cost,
            ("ingredient line", row.id),
        )
        for row in session.execute(
            select(line.id, line.total_cost, lot_costs.c.c.label("lots_total"))
            .join(lot_costs, lot_costs.c.line_id == line.id)
            .where(lot_costs.c.c != line.total_cost)
            .order_by(line.id)
        )
    ]
    return drifts


def _assembly_totals(session: Session) -> list[Drift]:
    totals: dict[int, Decimal] = {}
    for model in (
        AssemblyFinishedUnitConsumption,
        AssemblyFinishedGoodConsumption,
        AssemblyPackagingConsumption,
    ):
        for row in session.execute(
            select(model.assembly_run_id, func.sum(model.total_cost).label("total")).group_by(
                model.assembly_run_id
            )
        ).mappings():
            run_id = row["assembly_run_id"]
            totals[run_id] = totals.get(run_id, ZERO) + row["total"]
    runs = session.execute(select(AssemblyRun.id, AssemblyRun.total_component_cost)).mappings()
    return [
        Drift(
            "assembly run total",
            f"run #{row['id']}",
            totals.get(row["id"], ZERO),
            row["total_component_cost"],
            ("assembly run", row["id"]),
        )
        for row in runs
        if totals.get(row["id"], ZERO) != row["total_component_cost"]
    ]
