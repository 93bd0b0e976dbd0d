"""Planning an assembly: every composition row of a finished good against what is in stock.

Finished-unit and finished-good lots are planned FIFO at their actual cost; packaging is planned
FIFO across every pantry lot of the composition product's ingredient, whichever product a lot is of
(bags are bags). Two packaging rows of one ingredient share its lots: the second plans on what the
first left. Planning reads and never writes; ``raise_first_shortage`` refuses a plan that is short,
before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, null, select
from sqlalchemy.orm import Session

from bake_tracker.core.fifo import FifoPlan, LotSnapshot
from bake_tracker.core.numbers import round_quantity
from bake_tracker.models import (
    Composition,
    Event,
    FinishedGood,
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
    pantry_lots,
    recipe_tree,
)
from bake_tracker.services.dto import ComponentType
from bake_tracker.services.errors import (
    FinishedGoodNotFoundError,
    InsufficientFinishedGoodError,
    InsufficientFinishedUnitError,
    InsufficientPackagingError,
)
from bake_tracker.services.validation import is_id


@dataclass(frozen=True, slots=True)
class Packaging:
    """A packaging product as ``catalog_service.product_display_name`` reads it."""

    brand: str | None
    package_size: str | None
    package_type: str | None
    ingredient: recipe_tree.TreeIngredient


@dataclass(frozen=True, slots=True)
class CompositionRow:
    """One composition row of the good: exactly one of the three ids is set; ``name`` is the
    finished unit's or nested good's name, ``product`` the packaging product."""

    finished_unit_id: int | None
    finished_good_id: int | None
    packaging_product_id: int | None
    component_quantity: Decimal
    name: str | None
    product: Packaging | None
    in_stock: int | None = None  # the finished unit's or nested good's stored inventory_count
    row_id: int | None = None  # the composition row's id

    @property
    def component_id(self) -> int:
        return self.finished_unit_id or self.finished_good_id or self.packaging_product_id


@dataclass(frozen=True, slots=True)
class Good:
    """The finished good to assemble, with its composition rows in order."""

    id: int
    display_name: str
    components: list[CompositionRow]
    event_id: int | None = None  # the event asked for (``load_good``), when it exists


@dataclass(frozen=True)
class Part:
    """One composition row planned for an assembly."""

    row: CompositionRow
    kind: ComponentType
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


# --- reading the good -----------------------------------------------------------------------------


_GOODS = FinishedGood.__table__
_NESTED = FinishedGood.__table__.alias("nested")
_ROWS = Composition.__table__
_UNITS = FinishedUnit.__table__
_PRODUCTS = Product.__table__
_INGREDIENTS = Ingredient.__table__
_CONVERSIONS = UnitConversion.__table__

_GOOD_COLUMNS = (
    _GOODS.c.id.label("good_id"),
    _GOODS.c.display_name.label("good_name"),
    _ROWS.c.id.label("row_id"),
    _ROWS.c.finished_unit_id,
    _ROWS.c.finished_good_id,
    _ROWS.c.packaging_product_id,
    _ROWS.c.component_quantity,
    func.coalesce(_UNITS.c.display_name, _NESTED.c.display_name).label("component_name"),
    func.coalesce(_UNITS.c.inventory_count, _NESTED.c.inventory_count).label("in_stock"),
    _PRODUCTS.c.brand,
    _PRODUCTS.c.package_size,
    _PRODUCTS.c.package_type,
    _INGREDIENTS.c.id.label("ingredient_id"),
    _INGREDIENTS.c.slug.label("ingredient_slug"),
    _INGREDIENTS.c.display_name.label("ingredient_name"),
    _INGREDIENTS.c.recipe_unit,
    _INGREDIENTS.c.is_packaging,
    _INGREDIENTS.c.density_volume_value,
    _INGREDIENTS.c.density_volume_unit,
    _INGREDIENTS.c.density_weight_value,
    _INGREDIENTS.c.density_weight_unit,
    _CONVERSIONS.c.from_unit,
    _CONVERSIONS.c.from_quantity,
    _CONVERSIONS.c.to_unit,
    _CONVERSIONS.c.to_quantity,
)
# The good, each composition row in order and, for a packaging row, its product and ingredient,
# once per custom unit of that ingredient (a few at most; once when it has none): one statement.
_GOOD_ROWS = (
    _GOODS.outerjoin(_ROWS, _ROWS.c.assembly_id == _GOODS.c.id)
    .outerjoin(_UNITS, _UNITS.c.id == _ROWS.c.finished_unit_id)
    .outerjoin(_NESTED, _NESTED.c.id == _ROWS.c.finished_good_id)
    .outerjoin(_PRODUCTS, _PRODUCTS.c.id == _ROWS.c.packaging_product_id)
    .outerjoin(_INGREDIENTS, _INGREDIENTS.c.id == _PRODUCTS.c.ingredient_id)
    .outerjoin(_CONVERSIONS, _CONVERSIONS.c.ingredient_id == _INGREDIENTS.c.id)
)
_EVENTS = Event.__table__
_EVENT_ID = select(_EVENTS.c.id).where(_EVENTS.c.id == bindparam("event_id")).scalar_subquery()


def _good_statement(with_event: bool):
    """The good's statement; ``with_event`` adds the id of the event ``:event_id`` names (None
    when there is no such event) to every row, so a run's event is checked in the same read."""
    event = _EVENT_ID if with_event else null()
    return (
        select(*_GOOD_COLUMNS, event.label("event_id"))
        .select_from(_GOOD_ROWS)
        .where(_GOODS.c.id == bindparam("good_id"))
        .order_by(_ROWS.c.sort_order, _ROWS.c.id, _CONVERSIONS.c.id)
    )


_GOOD = {with_event: _good_statement(with_event) for with_event in (False, True)}


def load_good(session: Session, finished_good_id: Any, event_id: Any = None) -> Good:
    """The good with its composition rows in order, their finished units' and goods' names and
    stored counts, and their packaging products with ingredient and custom units, read with Core
    in one query (no ORM objects). With ``event_id``, ``Good.event_id`` is that event's id when it
    exists (None when it does not, or when ``event_id`` is no id at all).

    Raises:
        FinishedGoodNotFoundError.
    """
    if not is_id(finished_good_id):
        raise FinishedGoodNotFoundError(finished_good_id)
    if session.autoflush:
        session.flush()  # as a session query would: pending changes must be seen
    with_event = is_id(event_id)  # an id no event could have names none (no driver overflow)
    parameters = {"good_id": finished_good_id} | ({"event_id": event_id} if with_event else {})
    rows = session.connection().execute(_GOOD[with_event], parameters).mappings().all()
    if not rows:
        raise FinishedGoodNotFoundError(finished_good_id)
    components: list[CompositionRow] = []
    ingredients: dict[int, recipe_tree.TreeIngredient] = {}
    first_row_of: dict[int, int] = {}  # ingredient id -> the composition row that read it first
    for row in rows:
        row_id = row["row_id"]
        if row_id is None:  # the outer join's row of a good without components
            continue
        if not components or components[-1].row_id != row_id:
            components.append(_composition_row(row, ingredients, first_row_of))
        ingredient_id = row["ingredient_id"]
        if row["from_unit"] is not None and first_row_of[ingredient_id] == row_id:
            ingredients[ingredient_id].unit_conversions.append(
                recipe_tree.TreeConversion(
                    row["from_unit"], row["from_quantity"], row["to_unit"], row["to_quantity"]
                )
            )
    first = rows[0]
    return Good(first["good_id"], first["good_name"], components, first["event_id"])


def _composition_row(
    row, ingredients: dict[int, recipe_tree.TreeIngredient], first_row_of: dict[int, int]
) -> CompositionRow:
    """A composition row; a packaging row's ingredient is read once into ``ingredients``."""
    packaging = None
    if row["packaging_product_id"] is not None:
        ingredient = ingredients.get(row["ingredient_id"])
        if ingredient is None:
            ingredient = ingredients[row["ingredient_id"]] = _ingredient(row)
            first_row_of[ingredient.id] = row["row_id"]
        packaging = Packaging(row["brand"], row["package_size"], row["package_type"], ingredient)
    return CompositionRow(
        finished_unit_id=row["finished_unit_id"],
        finished_good_id=row["finished_good_id"],
        packaging_product_id=row["packaging_product_id"],
        component_quantity=row["component_quantity"],
        name=row["component_name"],
        product=packaging,
        in_stock=row["in_stock"],
        row_id=row["row_id"],
    )


def _ingredient(row) -> recipe_tree.TreeIngredient:
    """A packaging row's ingredient (its custom units are added once all rows are read)."""
    return recipe_tree.TreeIngredient(
        id=row["ingredient_id"],
        slug=row["ingredient_slug"],
        display_name=row["ingredient_name"],
        recipe_unit=row["recipe_unit"],
        is_packaging=row["is_packaging"],
        density_volume_value=row["density_volume_value"],
        density_volume_unit=row["density_volume_unit"],
        density_weight_value=row["density_weight_value"],
        density_weight_unit=row["density_weight_unit"],
    )


# --- planning -------------------------------------------------------------------------------------


def plan(session: Session, good: Good, quantity: int) -> list[Part]:
    """Plan every composition row for ``quantity`` assemblies: the leading open lots of the units
    and goods and what they hold in one query per kind (every open lot only of those the leading
    ones do not cover), the pantry lots of every packaging ingredient in one query.

    Raises:
        ValidationError (a product that is not packaging).
    """
    rows = good.components
    unit_lots = finished_stock.covering_lots(
        session, FinishedUnit, _stock_needs(rows, quantity, "finished_unit_id")
    )
    good_lots = finished_stock.covering_lots(
        session, FinishedGood, _stock_needs(rows, quantity, "finished_good_id")
    )
    _refuse_non_packaging(session, rows)
    ingredient_ids = sorted({r.product.ingredient.id for r in rows if r.product is not None})
    leading, totals = (
        pantry_lots.read(session, ingredient_ids, with_totals=True) if ingredient_ids else ({}, {})
    )
    lots = {i: lead.lots for i, lead in leading.items()}
    parts = _plan_rows(rows, quantity, unit_lots, good_lots, lots, totals)
    # Packaging the leading lots did not cover: plan again over every open lot of those
    # ingredients (the rows of one ingredient share its lots, so all of them, in order).
    short = {
        part.row.product.ingredient.id
        for part in parts
        if part.fifo_plan is not None
        and not part.fifo_plan.satisfied
        and not leading[part.row.product.ingredient.id].complete
    }
    if short:
        lots.update({i: [] for i in short} | pantry_lots.all_open_lots(session, short))
        parts = _plan_rows(rows, quantity, unit_lots, good_lots, lots, totals)
    return parts


def availability(session: Session, good: Good, quantity: int) -> list[Part]:
    """What each composition row needs for ``quantity`` assemblies and what stock holds for it,
    as ``plan`` gives them (``needed``, ``available``), without planning any draw: the parts
    carry no plan.

    Read from the stored totals only, never a lot: a finished unit's or nested good's
    ``inventory_count`` (the sum of its open lots, moved in the same transaction as they are:
    ``finished_stock``), and what a packaging ingredient's products hold per purchase unit
    (``pantry_lots.open_totals``) converted once per unit, which is ``plan``'s ``available`` for a
    row that no earlier row of the good draws beside. A good with two packaging rows of one
    ingredient (the later one sees what the earlier one planned) is planned in full (``plan``).

    Raises:
        ValidationError (a product that is not packaging).
    """
    rows = good.components
    ingredient_ids = [r.product.ingredient.id for r in rows if r.product is not None]
    if len(set(ingredient_ids)) < len(ingredient_ids):
        return plan(session, good, quantity)
    _refuse_non_packaging(session, rows)
    totals = pantry_lots.open_totals(session, ingredient_ids) if ingredient_ids else {}
    parts = []
    for row in rows:
        if row.product is None:
            needed = Decimal(int(row.component_quantity) * quantity)
            kind = (
                ComponentType.FINISHED_UNIT
                if row.finished_unit_id is not None
                else ComponentType.FINISHED_GOOD
            )
            parts.append(Part(row, kind, row.name, "each", needed, Decimal(row.in_stock)))
            continue
        ingredient = row.product.ingredient
        convert = inventory_service.UnitConverter(ingredient)
        held = pantry_lots.on_hand(totals.get(ingredient.id, []), ingredient.recipe_unit, convert)
        parts.append(
            Part(
                row,
                ComponentType.PACKAGING,
                catalog_service.product_display_name(row.product, ingredient),
                ingredient.recipe_unit,
                round_quantity(row.component_quantity * quantity),
                held,
            )
        )
    return parts


def _refuse_non_packaging(session: Session, rows: list[CompositionRow]) -> None:
    """Raise the ValidationError that composing the good would have raised for a packaging row
    whose ingredient is no longer marked as packaging."""
    for row in rows:
        if row.product is not None and not row.product.ingredient.is_packaging:
            finished_good_service.packaging_product(session, row.packaging_product_id)


def _stock_needs(rows: list[CompositionRow], quantity: int, field: str) -> dict[int, int]:
    """{finished unit (or good) id: the most units any one row of it needs}: rows are planned
    one by one over the same lots, so lots that cover the largest need cover every row's."""
    needs: dict[int, int] = {}
    for row in rows:
        item_id = getattr(row, field)
        if item_id:
            needs[item_id] = max(needs.get(item_id, 0), int(row.component_quantity) * quantity)
    return needs


def _plan_rows(rows, quantity, unit_lots, good_lots, lots, totals) -> list[Part]:
    """Every composition row planned in order; packaging rows of one ingredient share its lots
    (what an earlier row planned is not there for a later one)."""
    converters: dict[int, inventory_service.UnitConverter] = {}
    parts: list[Part] = []
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
                    lots.get(ingredient.id, []),
                    totals.get(ingredient.id, []),
                    converters[ingredient.id],
                )
            )
    return parts


def _plan_stock(row: CompositionRow, quantity: int, stock: finished_stock.Covering) -> Part:
    needed = int(row.component_quantity) * quantity
    stock_plan = finished_stock.plan_draws(stock.lots, row.component_id, needed, stock.held)
    kind = (
        ComponentType.FINISHED_UNIT
        if row.finished_unit_id is not None
        else ComponentType.FINISHED_GOOD
    )
    return Part(
        row,
        kind,
        row.name,
        "each",
        Decimal(needed),
        Decimal(stock_plan.available),
        stock_plan=stock_plan,
    )


def _plan_packaging(
    row: CompositionRow,
    quantity: int,
    drawn: dict[int, Decimal],
    snapshots: list[LotSnapshot],
    totals: list[tuple[str, Decimal]],
    convert: inventory_service.UnitConverter,
) -> Part:
    """One packaging row: planned over the lots as earlier rows left them; available is what
    the ingredient holds per purchase unit less what earlier rows planned in that unit."""
    ingredient = row.product.ingredient
    needed = round_quantity(row.component_quantity * quantity)
    if drawn and any(s.lot_id in drawn for s in snapshots):
        lots, left = _left_by_earlier_rows(snapshots, totals, drawn)
    else:  # the first row of its ingredient: the lots and totals as read
        lots, left = snapshots, totals
    fifo_plan = inventory_service.plan_ingredient(None, ingredient, needed, lots, convert)
    for draw in fifo_plan.draws:
        drawn[draw.lot_id] = drawn.get(draw.lot_id, 0) + draw.quantity
    return Part(
        row,
        ComponentType.PACKAGING,
        catalog_service.product_display_name(row.product, ingredient),
        ingredient.recipe_unit,
        needed,
        pantry_lots.on_hand(left, ingredient.recipe_unit, convert),
        fifo_plan=fifo_plan,
    )


def _left_by_earlier_rows(
    snapshots: list[LotSnapshot], totals: list[tuple[str, Decimal]], drawn: dict[int, Decimal]
) -> tuple[list[LotSnapshot], list[tuple[str, Decimal]]]:
    """The ingredient's lots and per-unit totals less what earlier rows planned from them."""
    units_of = {s.lot_id: s.unit for s in snapshots}
    taken: dict[str, Decimal] = {}
    for lot_id, amount in drawn.items():
        if lot_id in units_of:
            taken[units_of[lot_id]] = taken.get(units_of[lot_id], 0) + amount
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
    return lots, [(unit, held - taken.get(unit, 0)) for unit, held in totals]


def raise_first_shortage(parts: list[Part]) -> None:
    """Refuse a plan with a part that is short, naming the first one.

    Raises:
        InsufficientFinishedUnitError, InsufficientFinishedGoodError, InsufficientPackagingError.
    """
    for part in parts:
        if part.sufficient:
            continue
        if part.kind == ComponentType.FINISHED_UNIT:
            raise InsufficientFinishedUnitError(
                part.row.finished_unit_id, int(part.needed), int(part.available)
            )
        if part.kind == ComponentType.FINISHED_GOOD:
            raise InsufficientFinishedGoodError(
                part.row.finished_good_id, int(part.needed), int(part.available)
            )
        raise InsufficientPackagingError(
            part.row.packaging_product_id, part.needed, part.available, part.unit
        )
