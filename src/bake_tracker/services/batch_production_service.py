"""Batch production: turn pantry lots into a finished-unit lot, in one transaction, at FIFO cost.

``record_batch_production`` aggregates the recipe (sub-recipes included) into each ingredient's
recipe unit, plans every line against the pantry *before* touching anything, raises one
``InsufficientInventoryError`` listing every short line, then applies all draws in one guarded
statement, writes the run with its ingredient-level and lot-level ledgers and adds one finished-unit
lot (quantity = actual yield, total = the run's cost). A failure at any step leaves the database as
it was. ``void_production_run`` restores every lot draw exactly and removes the output, unless the
output was already used.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Integer, and_, bindparam, func, insert, null, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.core import recipes as recipe_rules
from bake_tracker.core.fifo import FifoPlan
from bake_tracker.core.numbers import MONEY_ZERO as ZERO
from bake_tracker.core.numbers import ZERO as QUANTITY_ZERO
from bake_tracker.core.numbers import round_money, round_quantity
from bake_tracker.models import (
    AssemblyFinishedUnitConsumptionLot,
    Event,
    FinishedUnit,
    FinishedUnitLot,
    InventoryItem,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
)
from bake_tracker.services import (
    catalog_service,
    finished_stock,
    finished_unit_service,
    inventory_service,
    pantry_lots,
    recipe_tree,
)
from bake_tracker.services.dto import (
    ConsumptionLine,
    HistoryImportResult,
    IngredientAvailability,
    LossCategory,
    ProductionAvailability,
    ProductionResult,
    ProductionRunDTO,
)
from bake_tracker.services.errors import (
    EventNotFoundError,
    FinishedUnitNotFoundError,
    FinishedUnitRecipeMismatchError,
    InsufficientInventoryError,
    ProductionRunNotFoundError,
    RecipeNotFoundError,
)
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.runs import driver_form, event_totals, pipeline, stored_form
from bake_tracker.services.runs import support as run_support
from bake_tracker.services.transactions import core_execute, use_session
from bake_tracker.services.transfer import history as history_transfer
from bake_tracker.services.validation import Problems, is_id, to_choice, to_int, to_text

LOSS_CATEGORIES = tuple(c.value for c in LossCategory)

# --- availability ---------------------------------------------------------------------------------


def check_can_produce(
    recipe_id: int, num_batches: Any, *, session: Session | None = None
) -> ProductionAvailability:
    """Every ingredient line for ``num_batches`` batches with what the pantry has; writes nothing.

    Reads the stored stock totals only (``pantry_lots.open_totals``); an ingredient's lots are
    read and planned only when its total lies too near its need to decide (``_covers``).

    Raises:
        RecipeNotFoundError, ValidationError, UnitConversionError.
    """
    with Problems() as p:
        batches = to_int(num_batches, "Batch count", p, minimum=1)
    with use_session(session) as s:
        needs = _needs(_tree(s, recipe_id), recipe_id, batches)
        totals = pantry_lots.open_totals(s, [n.ingredient_id for n in needs])
        held = {n.ingredient_id: _held(totals.get(n.ingredient_id, []), n) for n in needs}
        verdicts = {n.ingredient_id: _covers(held[n.ingredient_id], n.quantity) for n in needs}
        undecided = [n for n in needs if verdicts[n.ingredient_id] is None]
        if undecided:  # rare: decided by the plan itself, as recording would plan it
            plans = pantry_lots.plan_needs(s, undecided)
            verdicts.update((i, plan.satisfied) for i, plan in plans.items())
        items = [
            IngredientAvailability(
                ingredient_slug=n.ingredient.slug,
                ingredient_name=n.ingredient.display_name,
                needed=n.quantity,
                available=round_quantity(held[n.ingredient_id]),
                unit=n.unit,
                sufficient=verdicts[n.ingredient_id],
            )
            for n in needs
        ]
        missing = [item for item in items if not item.sufficient]
        return ProductionAvailability(can_produce=not missing, items=items, missing=missing)


@dataclass(frozen=True, slots=True)
class _Need:
    """One aggregated ingredient line: a ``pantry_lots.Need`` (same fields) with its ingredient."""

    ingredient_id: int
    quantity: Decimal  # in the recipe unit, above zero
    unit: str  # the ingredient's recipe unit
    convert: inventory_service.UnitConverter
    ingredient: recipe_tree.TreeIngredient


def _held(totals: list[tuple[str, Decimal]], need: _Need) -> Decimal:
    """What ``open_totals`` rows of one ingredient hold in the need's unit, unrounded: each
    purchase unit's total converted once (``pantry_lots.on_hand`` is this, rounded)."""
    return sum(
        (q if u == need.unit else need.convert(q, u, need.unit) for u, q in totals),
        QUANTITY_ZERO,
    )


# A FIFO plan over every open lot is satisfied exactly when the lots, converted one by one and
# added, cover the need, or fall short by less than half a thousandth (the shortfall is rounded
# half-up to 3 places). The stored totals, converted once per unit, give that sum up to the
# rounding of Decimal's 28 digits (conversions divide), so a total within ``_SLACK`` of either
# edge is left to the plan itself: the answer is always the plan's.
_SHORT_BY = Decimal("0.0005")  # the least shortfall that rounds to 0.001
_SLACK = Decimal("1E-12")  # relative: far above the 28-digit error, far below a quantity's step


def _covers(held: Decimal, need: Decimal) -> bool | None:
    """Whether a FIFO plan for ``need`` would be satisfied by lots holding ``held`` in all
    (converted), or None when ``held`` is too near an edge to tell without the plan."""
    slack = (abs(held) + need + 1) * _SLACK
    if held >= need + slack:
        return True
    if held < need - _SHORT_BY - slack:
        return False
    return None


def _needs(recipes: dict[int, recipe_tree.TreeRecipe], recipe_id: int, batches: int) -> list[_Need]:
    """Every aggregated ingredient line with a need above zero, in the recipe unit, with its
    ingredient and a converter for it (each unit pair's factor found once per call).

    ``core.recipes.aggregate`` itself, not ``recipe_tree.aggregate``: the same needs in the same
    order, without the DTOs (names, per-recipe sources) that only screens show (~40 µs of a
    15-line production or check_can_produce)."""
    factors = catalog_service.FactorCache()
    return [
        _Need(
            n.ingredient.id,
            n.quantity,
            n.ingredient.recipe_unit,
            inventory_service.UnitConverter(n.ingredient),
            n.ingredient,
        )
        for n in recipe_rules.aggregate(recipes, recipe_id, factors, Decimal(batches))
        if n.quantity > 0
    ]


@dataclass(frozen=True, slots=True)
class _Line:
    """One aggregated ingredient line with its need (recipe unit) and its FIFO plan."""

    ingredient: recipe_tree.TreeIngredient
    need: Decimal
    plan: FifoPlan
    convert: inventory_service.UnitConverter


def _tree(session: Session, recipe_id: Any) -> dict[int, recipe_tree.TreeRecipe]:
    """The recipe's tree (Core tuples); RecipeNotFoundError when the root does not exist."""
    recipes = recipe_tree.load_tree(session, recipe_id) if is_id(recipe_id) else {}
    if recipe_id not in recipes:
        raise RecipeNotFoundError(recipe_id)
    return recipes


def _planned_lines(
    session: Session, recipes: dict[int, recipe_tree.TreeRecipe], recipe_id: int, batches: int
) -> list[_Line]:
    """Every line with a need above zero, planned FIFO from the leading lots of its ingredient
    (``pantry_lots.plan_needs``: one query, a second only for lines those lots do not cover)."""
    needs = _needs(recipes, recipe_id, batches)
    plans = pantry_lots.plan_needs(session, needs)
    return [_Line(n.ingredient, n.quantity, plans[n.ingredient_id], n.convert) for n in needs]


# --- recording ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entered:
    """A production run's figures as entered, checked."""

    batches: int
    actual_yield: int
    loss: int
    loss_category: str | None
    produced_at: datetime
    notes: str | None


@dataclass(frozen=True, slots=True)
class NewRun:
    """The production run being recorded: its ``production_runs`` row, without the id."""

    recipe_id: int
    finished_unit_id: int
    event_id: int | None
    num_batches: int
    expected_yield: int
    actual_yield: int
    loss_quantity: int
    loss_category: str | None
    produced_at: datetime
    notes: str | None
    total_ingredient_cost: Decimal
    per_unit_cost: Decimal


@retry_on_conflict
def record_batch_production(
    recipe_id: int,
    finished_unit_id: int,
    num_batches: Any,
    actual_yield: Any,
    *,
    event_id: int | None = None,
    produced_at: datetime | None = None,
    notes: str | None = None,
    loss_quantity: Any = 0,
    loss_category: str | None = None,
    session: Session | None = None,
) -> ProductionResult:
    """Record ``num_batches`` batches yielding ``actual_yield`` good units of a finished unit.

    Reads with Core and writes with Core statements (the ledgers as ``executemany``), a fixed
    number of statements whatever the number of lines, lots and past runs.

    Raises:
        ValidationError, RecipeNotFoundError, FinishedUnitNotFoundError, EventNotFoundError,
        FinishedUnitRecipeMismatchError, InsufficientInventoryError (every short line),
        UnitConversionError, DatabaseBusyError.
    """
    entered = _validated_run(
        num_batches, actual_yield, loss_quantity, loss_category, produced_at, notes
    )
    with use_session(session, write=True) as s:
        unit, recipes = _checked_unit_and_tree(s, recipe_id, finished_unit_id, event_id)
        lines = _planned_in_full(s, recipes, recipe_id, entered.batches)
        with pipeline.batched(s):  # PostgreSQL: the writes' answers read together
            reserved = pipeline.reserve_id(s, _RUNS)  # PostgreSQL: the run's id, asked now
            inventory_service.apply_draws(s, *(line.plan for line in lines))
            run = _new_run(recipe_id, unit, event_id, entered, lines)
            at = stored_form.now()  # created_at / updated_at of every row the run adds
            run_id = _write_run(s, run, at, reserved)
            if lines:
                _write_ledger(s, run_id, lines, at)
            event_totals.count_production(s, run, 1)  # a live run of an event counts in its total
            if run.actual_yield:
                finished_stock.add_lot(
                    s,
                    FinishedUnit,
                    unit.id,
                    quantity=run.actual_yield,
                    total_cost=run.total_ingredient_cost,
                    lot_at=run.produced_at,
                    production_run_id=run_id,
                )
        return _result(run_id, run, lines)


def _checked_unit_and_tree(session: Session, recipe_id: Any, finished_unit_id: Any, event_id: Any):
    """(the finished unit's row, the recipe's tree), after checking, in this order, that the recipe
    exists, the unit exists and is made by the recipe, and the event (when given) exists.

    Raises:
        RecipeNotFoundError, FinishedUnitNotFoundError, FinishedUnitRecipeMismatchError,
        EventNotFoundError.
    """
    unit = _unit_and_event(session, finished_unit_id, event_id)
    recipes = _tree(session, recipe_id)
    if unit is None:
        raise FinishedUnitNotFoundError(finished_unit_id)
    if unit.recipe_id != recipe_id:
        raise FinishedUnitRecipeMismatchError(unit.id, recipe_id)
    if event_id is not None and unit.event_id is None:
        raise EventNotFoundError(event_id)
    return unit, recipes


def _planned_in_full(
    session: Session, recipes: dict[int, recipe_tree.TreeRecipe], recipe_id: int, batches: int
) -> list[_Line]:
    """Every line planned FIFO. Raises: InsufficientInventoryError listing every short line."""
    lines = _planned_lines(session, recipes, recipe_id, batches)
    short = [
        inventory_service.shortage_of(line.ingredient, line.plan)
        for line in lines
        if not line.plan.satisfied
    ]
    if short:
        raise InsufficientInventoryError(short)
    return lines


def _unit_and_event(session: Session, finished_unit_id: Any, event_id: Any):
    """The finished unit's row with ``event_id``, the event's id when it exists (else None), in
    one query; None when there is no such unit."""
    if not is_id(finished_unit_id):
        return None
    if not is_id(event_id):  # no event, or an id no event could have (no driver overflow)
        return core_execute(session, _UNIT_ALONE, {"unit_id": finished_unit_id}).first()
    parameters = {"unit_id": finished_unit_id, "event_id": event_id}
    return core_execute(session, _UNIT_AND_EVENT, parameters).first()


_UNIT = (
    FinishedUnit.id,
    FinishedUnit.recipe_id,
    FinishedUnit.yield_mode,
    FinishedUnit.items_per_batch,
    FinishedUnit.batch_percentage,
)
_THE_UNIT = FinishedUnit.id == bindparam("unit_id")
_EVENT_ID = select(Event.id).where(Event.id == bindparam("event_id")).scalar_subquery()
_UNIT_AND_EVENT = select(*_UNIT, _EVENT_ID.label("event_id")).where(_THE_UNIT)
_UNIT_ALONE = select(*_UNIT, null().label("event_id")).where(_THE_UNIT)


def _new_run(recipe_id: int, unit, event_id: int | None, entered: Entered, lines) -> NewRun:
    """The run's row: its cost is the sum of its lines', and so is its output lot's."""
    total = sum((line.plan.total_cost for line in lines), ZERO)
    good = entered.actual_yield
    return NewRun(
        recipe_id=recipe_id,
        finished_unit_id=unit.id,
        event_id=event_id,
        num_batches=entered.batches,
        expected_yield=finished_unit_service.expected_yield(unit, entered.batches),
        actual_yield=good,
        loss_quantity=entered.loss,
        loss_category=entered.loss_category,
        produced_at=entered.produced_at,
        notes=entered.notes,
        total_ingredient_cost=total,
        per_unit_cost=round_money(total / good) if good else ZERO,
    )


_RUNS = ProductionRun.__table__
_INSERT_RUN = stored_form.insert_plain(_RUNS).returning(stored_form.plain(_RUNS).c.id)
_INSERT_RUN_WITH_ID = stored_form.insert_plain(_RUNS)


def _write_run(session: Session, run: NewRun, at, reserved=None) -> int:
    """Insert the run's row in stored form (``runs.driver_form``); its new id (``reserved``:
    read from ``runs.pipeline.reserve_id``, the insert then carrying it)."""
    row = stored_form.stored_row(_RUNS, {f.name: getattr(run, f.name) for f in fields(run)}, at)
    if reserved is not None:
        row["id"] = reserved()
        driver_form.execute(session.connection(), _INSERT_RUN_WITH_ID, [row])
        return row["id"]
    return driver_form.execute(session.connection(), _INSERT_RUN, [row]).scalar_one()


_CONSUMPTIONS = ProductionConsumption.__table__
_CONSUMPTION_LOTS = ProductionConsumptionLot.__table__
_INSERT_CONSUMPTIONS = stored_form.insert_plain(_CONSUMPTIONS)
# A lot row finds its line's id by (run, ingredient), the line table's unique key, instead of
# the lines' insert returning their ids in order: that multi-row insert with RETURNING in
# parameter order cost 0.47 ms of SQLite for 15 lines, a plain executemany ~0.1 ms.
_LINE_ID = (
    select(_CONSUMPTIONS.c.id)
    .where(
        _CONSUMPTIONS.c.production_run_id == bindparam("of_run"),
        _CONSUMPTIONS.c.ingredient_id == bindparam("of_ingredient"),
    )
    .scalar_subquery()
)
_INSERT_CONSUMPTION_LOTS = stored_form.insert_plain(_CONSUMPTION_LOTS).values(
    consumption_id=_LINE_ID
)
_LINE_COLUMNS = ("uuid", "production_run_id", "ingredient_id", "quantity_consumed", "unit")
_LINE_COLUMNS += ("total_cost", "created_at", "updated_at")
_LOT_COLUMNS = ("uuid", "inventory_item_id", "quantity", "unit", "unit_cost", "cost")
_LOT_COLUMNS += ("created_at", "updated_at")


def _ledger_at_once():
    """PostgreSQL (``runs.driver_form.unnested``): the lines' insert and the lot rows' insert,
    each one statement over its rows as arrays, in row order; a lot row's line found by
    (``:of_run``, its ``of_ingredient``) as above."""
    lines, lots = stored_form.plain(_CONSUMPTIONS), stored_form.plain(_CONSUMPTION_LOTS)
    given = driver_form.unnested([(n, lines.c[n].type) for n in _LINE_COLUMNS], "given")
    insert_lines = insert(lines).from_select(
        _LINE_COLUMNS, select(*(given.c[n] for n in _LINE_COLUMNS)).order_by(given.c.ordinality)
    )
    columns = [(n, lots.c[n].type) for n in _LOT_COLUMNS] + [("of_ingredient", Integer())]
    drawn = driver_form.unnested(columns, "drawn")
    of_line = and_(
        lines.c.production_run_id == bindparam("of_run"),
        lines.c.ingredient_id == drawn.c.of_ingredient,
    )
    insert_lots = insert(lots).from_select(
        (*_LOT_COLUMNS, "consumption_id"),
        select(*(drawn.c[n] for n in _LOT_COLUMNS), lines.c.id)
        .select_from(drawn.join(lines, of_line))
        .order_by(drawn.c.ordinality),
    )
    return insert_lines, insert_lots


_INSERT_LINES_AT_ONCE, _INSERT_LOTS_AT_ONCE = _ledger_at_once()


def _write_ledger(session: Session, run_id: int, lines: list[_Line], at) -> None:
    """The run's ledger: one row per line, then one per lot drawn (two ``executemany``), handed
    over in stored form (``runs.stored_form``: the ledger is most of a run's rows), every row
    added at ``at``. Every line draws from at least one lot (its need is above zero)."""
    connection = session.connection()
    summaries = [
        {
            "production_run_id": run_id,
            "ingredient_id": line.ingredient.id,
            "quantity_consumed": line.plan.consumed,
            "unit": line.ingredient.recipe_unit,
            "total_cost": line.plan.total_cost,
        }
        for line in lines
    ]
    rows = stored_form.stored_rows(_CONSUMPTIONS, summaries, at)
    at_once = connection.dialect.name == "postgresql"
    if at_once:
        connection.execute(_INSERT_LINES_AT_ONCE, driver_form.as_arrays(rows, _LINE_COLUMNS))
    else:
        driver_form.execute(connection, _INSERT_CONSUMPTIONS, rows)
    lots = [
        {
            **stored_form.stored_row(
                _CONSUMPTION_LOTS,
                {
                    "inventory_item_id": draw.lot_id,
                    "quantity": draw.quantity,
                    "unit": draw.unit,
                    "unit_cost": draw.unit_cost,
                    "cost": draw.cost,
                },
                at,
            ),
            "of_run": run_id,
            "of_ingredient": line.ingredient.id,
        }
        for line in lines
        for draw in line.plan.draws
    ]
    if lots and at_once:
        arrays = driver_form.as_arrays(lots, (*_LOT_COLUMNS, "of_ingredient"))
        connection.execute(_INSERT_LOTS_AT_ONCE, {**arrays, "of_run": run_id})
    elif lots:
        driver_form.execute(connection, _INSERT_CONSUMPTION_LOTS, lots)


def _validated_run(
    num_batches, actual_yield, loss_quantity, loss_category, produced_at, notes
) -> Entered:
    with Problems() as p:
        batches = to_int(num_batches, "Batch count", p, minimum=1)
        good = to_int(actual_yield, "Actual yield", p)
        loss = to_int(loss_quantity if loss_quantity is not None else 0, "Loss", p)
        category = None
        if loss_category not in (None, ""):
            category = to_choice(loss_category, "Loss reason", LOSS_CATEGORIES, p)
        if loss and category is None and loss_category in (None, ""):
            p.add(f"Loss needs a reason: {', '.join(LOSS_CATEGORIES)}")
        when = run_support.to_timestamp(produced_at, "Produced at", p)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    return Entered(batches, good, loss, category, when, notes)


def _result(run_id: int, run: NewRun, lines: list[_Line]) -> ProductionResult:
    return ProductionResult(
        production_run_id=run_id,
        recipe_id=run.recipe_id,
        finished_unit_id=run.finished_unit_id,
        event_id=run.event_id,
        num_batches=run.num_batches,
        expected_yield=run.expected_yield,
        actual_yield=run.actual_yield,
        total_ingredient_cost=run.total_ingredient_cost,
        per_unit_cost=run.per_unit_cost,
        consumptions=[
            ConsumptionLine(
                ingredient_slug=line.ingredient.slug,
                quantity_consumed=line.plan.consumed,
                unit=line.ingredient.recipe_unit,
                total_cost=line.plan.total_cost,
                lots=inventory_service.fifo_result(line.plan).breakdown,
                ingredient_name=line.ingredient.display_name,
            )
            for line in lines
        ],
    )


# --- history --------------------------------------------------------------------------------------


def get_production_history(
    *,
    recipe_id: int | None = None,
    finished_unit_id: int | None = None,
    event_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    include_voided: bool = False,
    limit: Any = 100,
    offset: Any = 0,
    include_consumptions: bool = False,
    standalone_only: bool = False,
    session: Session | None = None,
) -> list[ProductionRunDTO]:
    """Runs newest first, filtered (all filters combine), one query plus eager loads.

    Raises:
        ValidationError (bad dates or paging).
    """
    return run_support.history(
        KIND,
        [
            (ProductionRun.recipe_id, recipe_id),
            (ProductionRun.finished_unit_id, finished_unit_id),
            (ProductionRun.event_id, event_id),
        ],
        start_date=start_date,
        end_date=end_date,
        include_voided=include_voided,
        limit=limit,
        offset=offset,
        standalone_only=standalone_only,
        include_consumptions=include_consumptions,
        session=session,
    )


def get_production_run(
    production_run_id: int, *, session: Session | None = None
) -> ProductionRunDTO:
    """One run with its ledger down to the lots. Raises: ProductionRunNotFoundError."""
    return run_support.get_run(KIND, production_run_id, session)


def count_production_runs(*, include_voided: bool = False, session: Session | None = None) -> int:
    with use_session(session) as s:
        query = select(func.count(ProductionRun.id))
        if not include_voided:
            query = query.where(ProductionRun.voided_at.is_(None))
        return s.scalar(query) or 0


def load_run(session: Session, production_run_id: int) -> ProductionRun:
    return run_support.load_run(session, KIND, production_run_id)


def run_dto(run: ProductionRun, with_consumptions: bool) -> ProductionRunDTO:
    return ProductionRunDTO(
        id=run.id,
        uuid=run.uuid,
        recipe_id=run.recipe_id,
        recipe_name=run.recipe.name,
        finished_unit_id=run.finished_unit_id,
        finished_unit_name=run.finished_unit.display_name,
        event_id=run.event_id,
        event_name=run.event.name if run.event else None,
        num_batches=run.num_batches,
        expected_yield=run.expected_yield,
        actual_yield=run.actual_yield,
        produced_at=run.produced_at,
        notes=run.notes,
        total_ingredient_cost=run.total_ingredient_cost,
        per_unit_cost=run.per_unit_cost,
        voided_at=run.voided_at,
        consumptions=[_line_dto(c) for c in run.consumptions] if with_consumptions else [],
        void_reason=run.void_reason,
        loss_quantity=run.loss_quantity,
        loss_category=run.loss_category,
    )


def _line_dto(consumption: ProductionConsumption) -> ConsumptionLine:
    return ConsumptionLine(
        ingredient_slug=consumption.ingredient.slug,
        quantity_consumed=consumption.quantity_consumed,
        unit=consumption.unit,
        total_cost=consumption.total_cost,
        lots=[
            run_support.pantry_lot_draw(lot, lot.inventory_item.product_id)
            for lot in consumption.lots
        ],
        ingredient_name=consumption.ingredient.display_name,
    )


@cache
def _run_loaders() -> tuple:
    return (
        selectinload(ProductionRun.recipe),
        selectinload(ProductionRun.finished_unit),
        selectinload(ProductionRun.event),
    )


@cache
def _ledger_loaders() -> tuple:
    return (
        selectinload(ProductionRun.consumptions)
        .selectinload(ProductionConsumption.lots)
        .selectinload(ProductionConsumptionLot.inventory_item)
        .selectinload(InventoryItem.product),
    )


KIND = run_support.RunKind(
    when=ProductionRun.produced_at,
    label="production run",
    not_found=ProductionRunNotFoundError,
    loaders=_run_loaders,
    ledger_loaders=_ledger_loaders,
    to_dto=run_dto,
    count=event_totals.count_production,
    document_key="production_runs",
    to_record=history_transfer.production_record,
    import_records=history_transfer.import_production,
)


# --- export and import of history on their own ----------------------------------------------------


def export_production_history(
    *,
    recipe_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    session: Session | None = None,
) -> dict:
    """Production runs (voided ones too) with their ledgers, by natural keys."""
    return run_support.export_history(
        KIND,
        (ProductionRun.recipe_id, recipe_id),
        (selectinload(ProductionRun.consumptions).selectinload(ProductionConsumption.ingredient),),
        start_date=start_date,
        end_date=end_date,
        session=session,
    )


def import_production_history(
    data: dict, *, skip_duplicates: bool = True, session: Session | None = None
) -> HistoryImportResult:
    """Restore production records (never stock); known uuids are skipped, unresolvable records
    reported. Raises: ImportVersionError."""
    return run_support.import_history(KIND, data, skip_duplicates, session)


# --- void -----------------------------------------------------------------------------------------


@retry_on_conflict
def void_production_run(
    production_run_id: int, *, reason: str, session: Session | None = None
) -> ProductionRunDTO:
    """Undo a run: its lot draws go back exactly and its output lot is removed; the run stays in
    history, marked voided.

    Raises:
        ProductionRunNotFoundError; ValidationError (no reason, already voided); RunInUseError
        naming the assembly runs (or "manual adjustment") that used its output.
    """
    return run_support.void_run(KIND, _OUTPUT, production_run_id, reason, _restore_lots, session)


def check_void_production_run(
    production_run_id: int, *, session: Session | None = None
) -> str | None:
    """Why the run cannot be voided (already voided, or its output used, naming the runs in the
    way), or None when it can; the window asks before it asks for a reason.

    Raises:
        ProductionRunNotFoundError.
    """
    return run_support.void_refusal(KIND, _OUTPUT, production_run_id, session)


_OUTPUT = run_support.Output(
    lot_model=FinishedUnitLot,
    run_column=FinishedUnitLot.production_run_id,
    item=lambda session, run: finished_unit_service.load_finished_unit(
        session, run.finished_unit_id
    ),
    ledger_model=AssemblyFinishedUnitConsumptionLot,
    ledger_column=AssemblyFinishedUnitConsumptionLot.finished_unit_lot_id,
)


def _restore_lots(session: Session, run: ProductionRun) -> None:
    inventory_service.restore_draws(
        session, [(lot.inventory_item_id, lot.quantity) for c in run.consumptions for lot in c.lots]
    )
