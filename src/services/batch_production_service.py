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

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from src.models import (
    AssemblyFinishedUnitConsumptionLot,
    FinishedUnitLot,
    Ingredient,
    InventoryItem,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
)
from src.services import (
    finished_stock,
    finished_unit_service,
    history_transfer,
    inventory_service,
    recipe_service,
    recipe_tree,
    run_support,
)
from src.services.dto import (
    ConsumptionLine,
    HistoryImportResult,
    IngredientAvailability,
    LossCategory,
    LotDraw,
    ProductionAvailability,
    ProductionResult,
    ProductionRunDTO,
)
from src.services.errors import (
    FinishedUnitRecipeMismatchError,
    InsufficientInventoryError,
    ProductionRunNotFoundError,
    RunInUseError,
)
from src.services.fifo import FifoPlan, round_money
from src.services.retry import retry_on_conflict
from src.services.transactions import use_session
from src.services.validation import Problems, to_choice, to_int, to_text

LOSS_CATEGORIES = tuple(c.value for c in LossCategory)
ZERO = Decimal("0.0000")


# --- availability ---------------------------------------------------------------------------------


def check_can_produce(
    recipe_id: int, num_batches: Any, *, session: Session | None = None
) -> ProductionAvailability:
    """Every ingredient line for ``num_batches`` batches with what the pantry has; writes nothing.

    Raises:
        RecipeNotFoundError, ValidationError, UnitConversionError.
    """
    with Problems() as p:
        batches = to_int(num_batches, "Batch count", p, minimum=1)
    with use_session(session) as s:
        recipe_service.load_recipe(s, recipe_id)
        lines = _planned_lines(s, recipe_id, batches)
        snapshots = inventory_service.lot_snapshots_for(s, [i.id for i, _, _ in lines])
        items = [
            IngredientAvailability(
                ingredient_slug=ingredient.slug,
                ingredient_name=ingredient.display_name,
                needed=need,
                available=inventory_service.on_hand_from(
                    ingredient, snapshots.get(ingredient.id, [])
                ),
                unit=ingredient.recipe_unit,
                sufficient=plan.satisfied,
            )
            for ingredient, need, plan in lines
        ]
        missing = [item for item in items if not item.sufficient]
        return ProductionAvailability(can_produce=not missing, items=items, missing=missing)


def _planned_lines(
    session: Session, recipe_id: int, batches: int
) -> list[tuple[Ingredient, Decimal, FifoPlan]]:
    """(ingredient, need in its recipe unit, FIFO plan) for every line with a need above zero."""
    recipes = recipe_tree.load_tree(session, recipe_id)
    needs = [
        n
        for n in recipe_tree.aggregate(recipes, recipe_id, Decimal(batches))
        if n.total_quantity > 0
    ]
    ingredients = {
        line.ingredient.id: line.ingredient for r in recipes.values() for line in r.ingredients
    }
    snapshots = inventory_service.lot_snapshots_for(session, [n.ingredient_id for n in needs])
    return [
        (
            ingredients[n.ingredient_id],
            n.total_quantity,
            inventory_service.plan_ingredient(
                session,
                ingredients[n.ingredient_id],
                n.total_quantity,
                snapshots.get(n.ingredient_id, []),
            ),
        )
        for n in needs
    ]


# --- recording ------------------------------------------------------------------------------------


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

    Raises:
        ValidationError, RecipeNotFoundError, FinishedUnitNotFoundError, EventNotFoundError,
        FinishedUnitRecipeMismatchError, InsufficientInventoryError (every short line),
        UnitConversionError, DatabaseBusyError.
    """
    batches, good, loss, category, when, notes = _validated_run(
        num_batches, actual_yield, loss_quantity, loss_category, produced_at, notes
    )
    with use_session(session, write=True) as s:
        recipe = recipe_service.load_recipe(s, recipe_id)
        unit = finished_unit_service.load_finished_unit(s, finished_unit_id)
        if unit.recipe_id != recipe.id:
            raise FinishedUnitRecipeMismatchError(unit.id, recipe.id)
        event = run_support.load_event(s, event_id)
        lines = _planned_lines(s, recipe.id, batches)
        short = [
            inventory_service.shortage_of(i, plan) for i, _, plan in lines if not plan.satisfied
        ]
        if short:
            raise InsufficientInventoryError(short)
        inventory_service.apply_draws(s, *(plan for _, _, plan in lines))
        total = sum((plan.total_cost for _, _, plan in lines), ZERO)
        run = ProductionRun(
            recipe_id=recipe.id,
            finished_unit_id=unit.id,
            event_id=event.id if event else None,
            num_batches=batches,
            expected_yield=finished_unit_service.expected_yield(unit, batches),
            actual_yield=good,
            loss_quantity=loss,
            loss_category=category,
            produced_at=when,
            notes=notes,
            total_ingredient_cost=total,
            per_unit_cost=round_money(total / good) if good else ZERO,
            consumptions=[_ledger(ingredient, plan) for ingredient, _, plan in lines],
        )
        s.add(run)
        s.flush()
        if good:
            finished_stock.add_lot(
                s, unit, quantity=good, total_cost=total, lot_at=when, production_run_id=run.id
            )
        s.flush()
        return _result(run, lines)


def _validated_run(num_batches, actual_yield, loss_quantity, loss_category, produced_at, notes):
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
    return batches, good, loss, category, when, notes


def _ledger(ingredient: Ingredient, plan: FifoPlan) -> ProductionConsumption:
    return ProductionConsumption(
        ingredient=ingredient,
        quantity_consumed=plan.consumed,
        unit=ingredient.recipe_unit,
        total_cost=plan.total_cost,
        lots=[
            ProductionConsumptionLot(
                inventory_item_id=d.lot_id,
                quantity=d.quantity,
                unit=d.unit,
                unit_cost=d.unit_cost,
                cost=d.cost,
            )
            for d in plan.draws
        ],
    )


def _result(run: ProductionRun, lines) -> ProductionResult:
    return ProductionResult(
        production_run_id=run.id,
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
                ingredient_slug=ingredient.slug,
                quantity_consumed=plan.consumed,
                unit=ingredient.recipe_unit,
                total_cost=plan.total_cost,
                lots=inventory_service.fifo_result(plan).breakdown,
                ingredient_name=ingredient.display_name,
            )
            for ingredient, _, plan in lines
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
    with Problems() as p:
        window = run_support.date_window(ProductionRun.produced_at, start_date, end_date, p)
        size, skip = run_support.page(limit, offset, p)
    query = select(ProductionRun).where(*window)
    for column, value in (
        (ProductionRun.recipe_id, recipe_id),
        (ProductionRun.finished_unit_id, finished_unit_id),
        (ProductionRun.event_id, event_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if not include_voided:
        query = query.where(ProductionRun.voided_at.is_(None))
    if standalone_only:
        query = query.where(ProductionRun.event_id.is_(None))
    options = [
        selectinload(ProductionRun.recipe),
        selectinload(ProductionRun.finished_unit),
        selectinload(ProductionRun.event),
    ]
    if include_consumptions:
        options.append(_consumption_loader())
    query = query.options(*options).order_by(
        ProductionRun.produced_at.desc(), ProductionRun.id.desc()
    )
    with use_session(session) as s:
        runs = s.scalars(query.limit(size).offset(skip)).all()
        return [run_dto(run, include_consumptions) for run in runs]


def get_production_run(
    production_run_id: int, *, session: Session | None = None
) -> ProductionRunDTO:
    """One run with its ledger down to the lots. Raises: ProductionRunNotFoundError."""
    with use_session(session) as s:
        return run_dto(load_run(s, production_run_id), True)


def count_production_runs(*, include_voided: bool = False, session: Session | None = None) -> int:
    with use_session(session) as s:
        query = select(func.count(ProductionRun.id))
        if not include_voided:
            query = query.where(ProductionRun.voided_at.is_(None))
        return s.scalar(query) or 0


def load_run(session: Session, production_run_id: int) -> ProductionRun:
    run = (
        session.scalar(
            select(ProductionRun)
            .where(ProductionRun.id == production_run_id)
            .options(_consumption_loader())
        )
        if isinstance(production_run_id, int) and not isinstance(production_run_id, bool)
        else None
    )
    if run is None:
        raise ProductionRunNotFoundError(production_run_id)
    return run


def _consumption_loader():
    return (
        selectinload(ProductionRun.consumptions)
        .selectinload(ProductionConsumption.lots)
        .selectinload(ProductionConsumptionLot.inventory_item)
        .selectinload(InventoryItem.product)
    )


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
            LotDraw(
                inventory_item_id=lot.inventory_item_id,
                product_id=lot.inventory_item.product_id,
                lot_date=lot.inventory_item.purchase_date,
                quantity=lot.quantity,
                unit=lot.unit,
                unit_cost=lot.unit_cost,
                cost=lot.cost,
                remaining_in_lot=lot.inventory_item.quantity,
            )
            for lot in consumption.lots
        ],
        ingredient_name=consumption.ingredient.display_name,
    )


# --- export and import of history (seed 013 WP08) -------------------------------------------------


def export_production_history(
    *,
    recipe_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    session: Session | None = None,
) -> dict:
    """Production runs (voided ones too) with their ledgers, by natural keys."""
    with Problems() as p:
        window = run_support.date_window(ProductionRun.produced_at, start_date, end_date, p)
    query = (
        select(ProductionRun).where(*window).order_by(ProductionRun.produced_at, ProductionRun.id)
    )
    if recipe_id is not None:
        query = query.where(ProductionRun.recipe_id == recipe_id)
    query = query.options(
        selectinload(ProductionRun.recipe),
        selectinload(ProductionRun.finished_unit),
        selectinload(ProductionRun.event),
        _consumption_loader(),
        selectinload(ProductionRun.consumptions).selectinload(ProductionConsumption.ingredient),
    )
    with use_session(session) as s:
        runs = s.scalars(query).all()
        return history_transfer.document(
            "production_runs", [history_transfer.production_record(r) for r in runs]
        )


def import_production_history(
    data: dict, *, skip_duplicates: bool = True, session: Session | None = None
) -> HistoryImportResult:
    """Restore production records (never stock); known uuids are skipped, unresolvable records
    reported. Raises: ImportVersionError."""
    records = history_transfer.records_of(data, "production_runs")
    with use_session(session) as s:
        return history_transfer.import_production(s, records, skip_duplicates)


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
    why = run_support.void_reason(reason)
    with use_session(session, write=True) as s:
        run = load_run(s, production_run_id)
        run_support.refuse_twice(run.voided_at, "production run")
        output = s.scalar(
            select(FinishedUnitLot).where(FinishedUnitLot.production_run_id == run.id)
        )
        if output is not None:
            _remove_output(s, run, output)
        _restore_lots(s, run)
        run.voided_at, run.void_reason = datetime.now(UTC), why
        s.flush()
        return run_dto(run, True)


def _remove_output(session: Session, run: ProductionRun, lot: FinishedUnitLot) -> None:
    if lot.quantity_remaining < lot.quantity_initial:
        raise RunInUseError(finished_stock.users_of(session, lot))
    unit = finished_unit_service.load_finished_unit(session, run.finished_unit_id)
    finished_stock.remove_output_lot(
        session,
        unit,
        lot,
        AssemblyFinishedUnitConsumptionLot,
        AssemblyFinishedUnitConsumptionLot.finished_unit_lot_id,
    )


def _restore_lots(session: Session, run: ProductionRun) -> None:
    inventory_service.restore_draws(
        session, [(lot.inventory_item_id, lot.quantity) for c in run.consumptions for lot in c.lots]
    )
