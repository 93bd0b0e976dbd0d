"""Assembly: turn finished units, nested finished goods and packaging into a finished-good lot.

Everything is planned first: finished-unit and finished-good lots FIFO at their actual cost, and
packaging FIFO across every lot of the composition product's ingredient (bags are bags, spec
decision 5). A shortage raises before anything changes. Then all draws are applied, the run is
written with its three ledgers (each with its lot-level rows) and one finished-good lot is added.
One transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.models import (
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
    Ingredient,
    Product,
    UnitConversion,
)
from bake_tracker.services import (
    catalog_service,
    finished_good_service,
    finished_stock,
    inventory_service,
    recipe_tree,
    run_support,
)
from bake_tracker.services.dto import (
    AssemblyAvailability,
    AssemblyResult,
    AssemblyRunDTO,
    ComponentAvailability,
    ComponentConsumption,
    HistoryImportResult,
    StockLotDraw,
)
from bake_tracker.services.errors import (
    AssemblyRunNotFoundError,
    FinishedGoodNotFoundError,
    InsufficientFinishedGoodError,
    InsufficientFinishedUnitError,
    InsufficientPackagingError,
    RunInUseError,
    ValidationError,
)
from bake_tracker.services.fifo import FifoPlan, LotSnapshot, round_money, round_quantity
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import history as history_transfer
from bake_tracker.services.validation import Problems, is_id, to_int, to_text

ZERO = Decimal("0.0000")


@dataclass(frozen=True, slots=True)
class _Packaging:
    """A packaging product as ``catalog_service.product_display_name`` reads it."""

    brand: str | None
    package_size: str | None
    package_type: str | None
    ingredient: recipe_tree.TreeIngredient


@dataclass(frozen=True, slots=True)
class _Row:
    """One composition row of the good, read with Core: exactly one of the three ids is set;
    ``name`` is the finished unit's or nested good's name, ``product`` the packaging product."""

    finished_unit_id: int | None
    finished_good_id: int | None
    packaging_product_id: int | None
    component_quantity: Decimal
    name: str | None
    product: _Packaging | None


@dataclass(frozen=True, slots=True)
class _Good:
    id: int
    display_name: str
    components: list[_Row]


@dataclass(frozen=True)
class _Part:
    """One composition row planned for an assembly."""

    row: _Row
    kind: str  # finished_unit | finished_good | packaging
    name: str
    unit: str
    needed: Decimal
    available: Decimal
    stock_plan: finished_stock.StockPlan | None = None
    fifo_plan: FifoPlan | None = None

    @property
    def sufficient(self) -> bool:
        return self.available >= self.needed

    @property
    def cost(self) -> Decimal:
        plan = self.stock_plan or self.fifo_plan
        return plan.total_cost


# --- planning -------------------------------------------------------------------------------------


_GOODS = FinishedGood.__table__
_NESTED = FinishedGood.__table__.alias("nested")
_ROWS = Composition.__table__
_UNITS = FinishedUnit.__table__
_PRODUCTS = Product.__table__
_INGREDIENTS = Ingredient.__table__
_CONVERSIONS = UnitConversion.__table__

_GOOD = (
    select(
        _GOODS.c.id,
        _GOODS.c.display_name,
        _ROWS.c.finished_unit_id,
        _ROWS.c.finished_good_id,
        _ROWS.c.packaging_product_id,
        _ROWS.c.component_quantity,
        func.coalesce(_UNITS.c.display_name, _NESTED.c.display_name),
        _PRODUCTS.c.brand,
        _PRODUCTS.c.package_size,
        _PRODUCTS.c.package_type,
        _INGREDIENTS.c.id,
        _INGREDIENTS.c.slug,
        _INGREDIENTS.c.display_name,
        _INGREDIENTS.c.recipe_unit,
        _INGREDIENTS.c.is_packaging,
        _INGREDIENTS.c.density_volume_value,
        _INGREDIENTS.c.density_volume_unit,
        _INGREDIENTS.c.density_weight_value,
        _INGREDIENTS.c.density_weight_unit,
    )
    .select_from(
        _GOODS.outerjoin(_ROWS, _ROWS.c.assembly_id == _GOODS.c.id)
        .outerjoin(_UNITS, _UNITS.c.id == _ROWS.c.finished_unit_id)
        .outerjoin(_NESTED, _NESTED.c.id == _ROWS.c.finished_good_id)
        .outerjoin(_PRODUCTS, _PRODUCTS.c.id == _ROWS.c.packaging_product_id)
        .outerjoin(_INGREDIENTS, _INGREDIENTS.c.id == _PRODUCTS.c.ingredient_id)
    )
    .where(_GOODS.c.id == bindparam("good_id"))
    .order_by(_ROWS.c.sort_order, _ROWS.c.id)
)
_CUSTOM_UNITS = (
    select(
        _CONVERSIONS.c.ingredient_id,
        _CONVERSIONS.c.from_unit,
        _CONVERSIONS.c.from_quantity,
        _CONVERSIONS.c.to_unit,
        _CONVERSIONS.c.to_quantity,
    )
    .where(_CONVERSIONS.c.ingredient_id.in_(bindparam("ingredient_ids", expanding=True)))
    .order_by(_CONVERSIONS.c.ingredient_id, _CONVERSIONS.c.id)
)


def _load_good(session: Session, finished_good_id: Any) -> _Good:
    """The good with its composition rows in order, their finished units' and goods' names, and
    their packaging products with ingredient and custom units, read as Core tuples (one query,
    a second for custom units when there is packaging; no ORM objects)."""
    if not is_id(finished_good_id):
        raise FinishedGoodNotFoundError(finished_good_id)
    if session.autoflush:
        session.flush()  # as a session query would: pending changes must be seen
    execute = session.connection().execute
    rows = execute(_GOOD, {"good_id": finished_good_id}).all()
    if not rows:
        raise FinishedGoodNotFoundError(finished_good_id)
    ingredients: dict[int, recipe_tree.TreeIngredient] = {}
    components = []
    for row in rows:
        unit_id, good_id, product_id = row[2:5]
        if unit_id is None and good_id is None and product_id is None:
            continue  # the outer join's row of a good without components
        packaging = None
        if product_id is not None:
            ingredient = ingredients.get(row[10])
            if ingredient is None:
                ingredient = ingredients[row[10]] = recipe_tree.TreeIngredient(*row[10:])
            packaging = _Packaging(*row[7:10], ingredient)
        components.append(_Row(unit_id, good_id, product_id, row[5], row[6], packaging))
    if ingredients:
        for ingredient_id, *custom in execute(_CUSTOM_UNITS, {"ingredient_ids": list(ingredients)}):
            ingredients[ingredient_id].unit_conversions.append(recipe_tree.TreeConversion(*custom))
    return _Good(rows[0][0], rows[0][1], components)


def _plan(session: Session, good: _Good, quantity: int) -> list[_Part]:
    """Plan every composition row: all open lots of the units and goods in one query per kind,
    the pantry lots of every packaging ingredient in one query."""
    rows = good.components
    unit_lots = finished_stock.open_lots_for(
        session, FinishedUnit, [r.finished_unit_id for r in rows if r.finished_unit_id]
    )
    good_lots = finished_stock.open_lots_for(
        session, FinishedGood, [r.finished_good_id for r in rows if r.finished_good_id]
    )
    for row in rows:
        if row.product is not None and not row.product.ingredient.is_packaging:
            # raises the ValidationError that composing the good would have raised
            finished_good_service.packaging_product(session, row.packaging_product_id)
    ingredient_ids = sorted({r.product.ingredient.id for r in rows if r.product is not None})
    snapshots = (
        inventory_service.lot_snapshots_for(session, ingredient_ids) if ingredient_ids else {}
    )
    converters: dict[int, inventory_service.UnitConverter] = {}
    parts: list[_Part] = []
    drawn: dict[int, Decimal] = {}  # pantry lot id → already planned by an earlier packaging row
    for row in rows:
        if row.finished_unit_id is not None:
            parts.append(_plan_stock(row, quantity, unit_lots[row.finished_unit_id]))
        elif row.finished_good_id is not None:
            parts.append(_plan_stock(row, quantity, good_lots[row.finished_good_id]))
        else:
            ingredient = row.product.ingredient
            if ingredient.id not in converters:
                converters[ingredient.id] = inventory_service.UnitConverter(ingredient)
            parts.append(
                _plan_packaging(
                    row,
                    quantity,
                    drawn,
                    snapshots.get(ingredient.id, []),
                    converters[ingredient.id],
                )
            )
    return parts


def _plan_stock(row: _Row, quantity: int, lots: list) -> _Part:
    needed = int(row.component_quantity) * quantity
    plan = finished_stock.plan_draws(lots, _component_id(row), needed)
    kind = "finished_unit" if row.finished_unit_id is not None else "finished_good"
    return _Part(
        row,
        kind,
        row.name,
        "each",
        Decimal(needed),
        Decimal(plan.available),
        stock_plan=plan,
    )


def _plan_packaging(
    row: _Row,
    quantity: int,
    drawn: dict[int, Decimal],
    snapshots: list[LotSnapshot],
    convert: inventory_service.UnitConverter,
) -> _Part:
    ingredient = row.product.ingredient
    needed = round_quantity(row.component_quantity * quantity)
    lots = [
        LotSnapshot(
            s.lot_id,
            s.lot_date,
            s.quantity - drawn.get(s.lot_id, 0),
            s.unit,
            s.unit_cost,
            s.product_id,
        )
        for s in snapshots
    ]
    plan = inventory_service.plan_ingredient(None, ingredient, needed, lots, convert)
    for draw in plan.draws:
        drawn[draw.lot_id] = drawn.get(draw.lot_id, 0) + draw.quantity
    return _Part(
        row,
        "packaging",
        catalog_service.product_display_name(row.product, ingredient),
        ingredient.recipe_unit,
        needed,
        inventory_service.on_hand_from(ingredient, lots, convert),
        fifo_plan=plan,
    )


def check_can_assemble(
    finished_good_id: int, quantity: Any, *, session: Session | None = None
) -> AssemblyAvailability:
    """Every component for ``quantity`` assemblies with what is in stock; writes nothing.

    Raises:
        FinishedGoodNotFoundError, ValidationError.
    """
    with Problems() as p:
        count = to_int(quantity, "Quantity", p, minimum=1)
    with use_session(session) as s:
        good = _load_good(s, finished_good_id)
        if not good.components:
            return AssemblyAvailability(
                False, [], [], reason=f"'{good.display_name}' has no components yet"
            )
        items = [
            ComponentAvailability(
                component_type=part.kind,
                component_id=_component_id(part.row),
                component_name=part.name,
                needed=part.needed,
                available=part.available,
                unit=part.unit,
                sufficient=part.sufficient,
            )
            for part in _plan(s, good, count)
        ]
        missing = [item for item in items if not item.sufficient]
        return AssemblyAvailability(not missing, items, missing)


def _component_id(row: _Row) -> int:
    return row.finished_unit_id or row.finished_good_id or row.packaging_product_id


# --- recording ------------------------------------------------------------------------------------


@retry_on_conflict
def record_assembly(
    finished_good_id: int,
    quantity: Any,
    *,
    event_id: int | None = None,
    assembled_at: datetime | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> AssemblyResult:
    """Assemble ``quantity`` finished goods from stock, at the FIFO cost of what goes in.

    Raises:
        ValidationError (bad arguments, no components, a product that is not packaging),
        FinishedGoodNotFoundError, EventNotFoundError, InsufficientFinishedUnitError,
        InsufficientFinishedGoodError, InsufficientPackagingError, DatabaseBusyError.
    """
    with Problems() as p:
        count = to_int(quantity, "Quantity", p, minimum=1)
        when = run_support.to_timestamp(assembled_at, "Assembled at", p)
        notes = to_text(notes, "Notes", p, max_length=2000, required=False)
    with use_session(session, write=True) as s:
        good = _load_good(s, finished_good_id)
        event = run_support.run_event(s, event_id)
        if not good.components:
            raise ValidationError(f"'{good.display_name}' has no components; add some first")
        parts = _plan(s, good, count)
        _raise_first_shortage(parts)
        _apply(s, parts)
        total = sum((part.cost for part in parts), ZERO)
        run = {
            "finished_good_id": good.id,
            "event_id": event.id if event else None,
            "quantity_assembled": count,
            "assembled_at": when,
            "notes": notes,
            "total_component_cost": total,
            "per_unit_cost": round_money(total / count),
        }
        run["id"] = _write_ledgers(s, run, parts)
        finished_stock.add_lot(
            s,
            FinishedGood,
            good.id,
            quantity=count,
            total_cost=total,
            lot_at=when,
            assembly_run_id=run["id"],
        )
        return _result(run, parts)


def _raise_first_shortage(parts: list[_Part]) -> None:
    for part in parts:
        if part.sufficient:
            continue
        if part.kind == "finished_unit":
            raise InsufficientFinishedUnitError(
                part.row.finished_unit_id, int(part.needed), int(part.available)
            )
        if part.kind == "finished_good":
            raise InsufficientFinishedGoodError(
                part.row.finished_good_id, int(part.needed), int(part.available)
            )
        raise InsufficientPackagingError(
            part.row.packaging_product_id, part.needed, part.available, part.unit
        )


def _apply(session: Session, parts: list[_Part]) -> None:
    """All draws: one guarded ``executemany`` per kind of lot, one per kind of count."""
    for kind, item_type in (("finished_unit", FinishedUnit), ("finished_good", FinishedGood)):
        plans = [part.stock_plan for part in parts if part.kind == kind]
        finished_stock.apply_many(session, item_type, plans)
    inventory_service.apply_draws(session, *(p.fifo_plan for p in parts if p.fifo_plan))


def _returning_ids(table):
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


_RUNS = AssemblyRun.__table__
_INSERT_RUN = insert(_RUNS).returning(_RUNS.c.id)
_LEDGERS = {
    "finished_unit": (
        _returning_ids(AssemblyFinishedUnitConsumption.__table__),
        insert(AssemblyFinishedUnitConsumptionLot.__table__),
        "finished_unit_id",
        "finished_unit_lot_id",
    ),
    "finished_good": (
        _returning_ids(AssemblyFinishedGoodConsumption.__table__),
        insert(AssemblyFinishedGoodConsumptionLot.__table__),
        "finished_good_id",
        "finished_good_lot_id",
    ),
}
_PACKAGING = _returning_ids(AssemblyPackagingConsumption.__table__)
_PACKAGING_LOTS = insert(AssemblyPackagingConsumptionLot.__table__)


def _write_ledgers(session: Session, run: dict, parts: list[_Part]) -> int:
    """The run and its three ledgers with Core: per ledger one multi-row insert of the summaries
    and one ``executemany`` of their lot rows."""
    connection = session.connection()
    run_id = connection.execute(_INSERT_RUN, run).scalar_one()
    for kind, (summaries, lot_rows, item_key, lot_key) in _LEDGERS.items():
        run_support.write_ledger(
            connection,
            [part for part in parts if part.kind == kind],
            summaries,
            partial(_item_summary, run_id, item_key),
            lot_rows,
            partial(_stock_rows, lot_key),
        )
    run_support.write_ledger(
        connection,
        [part for part in parts if part.kind == "packaging"],
        _PACKAGING,
        partial(_packaging_summary, run_id),
        _PACKAGING_LOTS,
        _packaging_rows,
    )
    return run_id


def _item_summary(run_id: int, item_key: str, part: _Part) -> dict[str, Any]:
    """The ledger row of a finished unit or good consumed (``item_key`` names its id column)."""
    quantity = int(part.needed)
    return {
        "assembly_run_id": run_id,
        item_key: _component_id(part.row),
        "quantity_consumed": quantity,
        "unit_cost_at_consumption": round_money(part.cost / quantity),
        "total_cost": part.cost,
    }


def _stock_rows(lot_key: str, consumption_id: int, part: _Part) -> list[dict[str, Any]]:
    """The lot rows of a finished unit or good consumed (``lot_key`` names the lot id column)."""
    return [
        {
            "consumption_id": consumption_id,
            lot_key: d.lot_id,
            "quantity": d.quantity,
            "unit_cost": d.unit_cost,
            "cost": d.cost,
        }
        for d in part.stock_plan.draws
    ]


def _packaging_summary(run_id: int, part: _Part) -> dict[str, Any]:
    return {
        "assembly_run_id": run_id,
        "product_id": part.row.packaging_product_id,
        "quantity_consumed": part.fifo_plan.consumed,
        "unit": part.unit,
        "total_cost": part.fifo_plan.total_cost,
    }


def _packaging_rows(consumption_id: int, part: _Part) -> list[dict[str, Any]]:
    return [
        {**run_support.pantry_lot_row(consumption_id, d), "product_id": d.product_id}
        for d in part.fifo_plan.draws
    ]


def _result(run: dict, parts: list[_Part]) -> AssemblyResult:
    def consumed(kind: str) -> list[ComponentConsumption]:
        return [
            ComponentConsumption(
                component_id=_component_id(part.row),
                component_name=part.name,
                quantity_consumed=part.needed,
                unit=part.unit,
                total_cost=part.cost,
                lots=(
                    inventory_service.fifo_result(part.fifo_plan).breakdown
                    if part.fifo_plan
                    else [
                        StockLotDraw(d.lot_id, run["assembled_at"], d.quantity, d.unit_cost, d.cost)
                        for d in part.stock_plan.draws
                    ]
                ),
            )
            for part in parts
            if part.kind == kind
        ]

    return AssemblyResult(
        assembly_run_id=run["id"],
        finished_good_id=run["finished_good_id"],
        event_id=run["event_id"],
        quantity_assembled=run["quantity_assembled"],
        total_component_cost=run["total_component_cost"],
        per_unit_cost=run["per_unit_cost"],
        finished_unit_consumptions=consumed("finished_unit"),
        finished_good_consumptions=consumed("finished_good"),
        packaging_consumptions=consumed("packaging"),
    )


# --- history --------------------------------------------------------------------------------------


def get_assembly_history(
    *,
    finished_good_id: int | None = None,
    event_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    include_voided: bool = False,
    limit: Any = 100,
    offset: Any = 0,
    include_consumptions: bool = False,
    standalone_only: bool = False,
    session: Session | None = None,
) -> list[AssemblyRunDTO]:
    """Assembly runs newest first, filtered (all filters combine), one query plus eager loads.

    Raises:
        ValidationError (bad dates or paging).
    """
    return run_support.history(
        AssemblyRun.assembled_at,
        [(AssemblyRun.finished_good_id, finished_good_id), (AssemblyRun.event_id, event_id)],
        start_date=start_date,
        end_date=end_date,
        include_voided=include_voided,
        limit=limit,
        offset=offset,
        standalone_only=standalone_only,
        include_consumptions=include_consumptions,
        loaders=[selectinload(AssemblyRun.finished_good), selectinload(AssemblyRun.event)],
        consumption_loaders=_ledger_loaders(),
        to_dto=run_dto,
        session=session,
    )


def get_assembly_run(assembly_run_id: int, *, session: Session | None = None) -> AssemblyRunDTO:
    """Raises: AssemblyRunNotFoundError."""
    with use_session(session) as s:
        return run_dto(load_run(s, assembly_run_id), True)


def load_run(session: Session, assembly_run_id: int) -> AssemblyRun:
    return run_support.load_run(
        session, AssemblyRun, assembly_run_id, _ledger_loaders(), AssemblyRunNotFoundError
    )


def _ledger_loaders() -> list:
    return [
        selectinload(AssemblyRun.finished_unit_consumptions)
        .selectinload(AssemblyFinishedUnitConsumption.lots)
        .selectinload(AssemblyFinishedUnitConsumptionLot.finished_unit_lot),
        selectinload(AssemblyRun.finished_unit_consumptions).selectinload(
            AssemblyFinishedUnitConsumption.finished_unit
        ),
        selectinload(AssemblyRun.finished_good_consumptions)
        .selectinload(AssemblyFinishedGoodConsumption.lots)
        .selectinload(AssemblyFinishedGoodConsumptionLot.finished_good_lot),
        selectinload(AssemblyRun.finished_good_consumptions).selectinload(
            AssemblyFinishedGoodConsumption.finished_good
        ),
        selectinload(AssemblyRun.packaging_consumptions)
        .selectinload(AssemblyPackagingConsumption.lots)
        .selectinload(AssemblyPackagingConsumptionLot.inventory_item),
        selectinload(AssemblyRun.packaging_consumptions).selectinload(
            AssemblyPackagingConsumption.product
        ),
    ]


def run_dto(run: AssemblyRun, with_consumptions: bool) -> AssemblyRunDTO:
    ledgers = {"finished_unit_consumptions": [], "finished_good_consumptions": []}
    packaging: list[ComponentConsumption] = []
    if with_consumptions:
        ledgers = {
            "finished_unit_consumptions": _item_consumptions(
                run.finished_unit_consumptions, "finished_unit", "finished_unit_lot"
            ),
            "finished_good_consumptions": _item_consumptions(
                run.finished_good_consumptions, "finished_good", "finished_good_lot"
            ),
        }
        packaging = _packaging_consumptions(run.packaging_consumptions)
    return AssemblyRunDTO(
        id=run.id,
        uuid=run.uuid,
        finished_good_id=run.finished_good_id,
        finished_good_name=run.finished_good.display_name,
        event_id=run.event_id,
        event_name=run.event.name if run.event else None,
        quantity_assembled=run.quantity_assembled,
        assembled_at=run.assembled_at,
        notes=run.notes,
        total_component_cost=run.total_component_cost,
        per_unit_cost=run.per_unit_cost,
        voided_at=run.voided_at,
        void_reason=run.void_reason,
        packaging_consumptions=packaging,
        **ledgers,
    )


def _item_consumptions(rows, item_attr: str, lot_attr: str) -> list[ComponentConsumption]:
    """Finished units or goods consumed, with the finished lots they came from."""
    consumed = []
    for row in rows:
        item = getattr(row, item_attr)
        lots = [(getattr(draw, lot_attr), draw) for draw in row.lots]
        consumed.append(
            ComponentConsumption(
                component_id=item.id,
                component_name=item.display_name,
                quantity_consumed=Decimal(row.quantity_consumed),
                unit="each",
                total_cost=row.total_cost,
                lots=[
                    StockLotDraw(lot.id, lot.lot_at, draw.quantity, draw.unit_cost, draw.cost)
                    for lot, draw in lots
                ],
            )
        )
    return consumed


def _packaging_consumptions(rows) -> list[ComponentConsumption]:
    return [
        ComponentConsumption(
            component_id=row.product_id,
            component_name=catalog_service.product_display_name(
                row.product, row.product.ingredient
            ),
            quantity_consumed=row.quantity_consumed,
            unit=row.unit,
            total_cost=row.total_cost,
            lots=[run_support.pantry_lot_draw(lot, lot.product_id) for lot in row.lots],
        )
        for row in rows
    ]


# --- export and import of history (seed 013 WP08) -------------------------------------------------


def export_assembly_history(
    *,
    finished_good_id: int | None = None,
    start_date: Any = None,
    end_date: Any = None,
    session: Session | None = None,
) -> dict:
    """Assembly runs (voided ones too) with their ledgers, by natural keys."""
    return run_support.export_history(
        AssemblyRun.assembled_at,
        "assembly_runs",
        history_transfer.assembly_record,
        (AssemblyRun.finished_good_id, finished_good_id),
        [
            selectinload(AssemblyRun.finished_good),
            selectinload(AssemblyRun.event),
            *_ledger_loaders(),
        ],
        start_date=start_date,
        end_date=end_date,
        session=session,
    )


def import_assembly_history(
    data: dict, *, skip_duplicates: bool = True, session: Session | None = None
) -> HistoryImportResult:
    """Restore assembly records (never stock). Raises: ImportVersionError."""
    records = history_transfer.records_of(data, "assembly_runs")
    with use_session(session) as s:
        return history_transfer.import_assembly(s, records, skip_duplicates)


# --- void -----------------------------------------------------------------------------------------


@retry_on_conflict
def void_assembly_run(
    assembly_run_id: int, *, reason: str, session: Session | None = None
) -> AssemblyRunDTO:
    """Undo an assembly: components and packaging go back to their lots exactly; the output lot
    is removed; the run stays in history, marked voided.

    Raises:
        AssemblyRunNotFoundError, ValidationError, RunInUseError (its output was used).
    """
    why = run_support.void_reason(reason)
    with use_session(session, write=True) as s:
        run = load_run(s, assembly_run_id)
        run_support.refuse_twice(run.voided_at, "assembly run")
        good = finished_good_service.load_finished_good(s, run.finished_good_id)
        output = s.scalar(select(FinishedGoodLot).where(FinishedGoodLot.assembly_run_id == run.id))
        if output.quantity_remaining < output.quantity_initial:
            raise RunInUseError(finished_stock.users_of(s, output))
        finished_stock.remove_output_lot(
            s,
            good,
            output,
            AssemblyFinishedGoodConsumptionLot,
            AssemblyFinishedGoodConsumptionLot.finished_good_lot_id,
        )
        _restore(s, run)
        run.voided_at, run.void_reason = datetime.now(UTC), why
        s.flush()
        return run_dto(run, True)


def _restore(session: Session, run: AssemblyRun) -> None:
    for row in run.finished_unit_consumptions:
        for lot in row.lots:
            finished_stock.restore_draw(
                session, row.finished_unit, lot.finished_unit_lot_id, lot.quantity, lot.cost
            )
    for row in run.finished_good_consumptions:
        for lot in row.lots:
            finished_stock.restore_draw(
                session, row.finished_good, lot.finished_good_lot_id, lot.quantity, lot.cost
            )
    inventory_service.restore_draws(
        session,
        [
            (lot.inventory_item_id, lot.quantity)
            for row in run.packaging_consumptions
            for lot in row.lots
        ],
    )
