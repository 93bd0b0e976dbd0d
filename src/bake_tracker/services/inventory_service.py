"""The pantry: purchases that create lots, lots in FIFO order, adjustments, and FIFO consumption.

A lot (``InventoryItem``) is counted in its product's purchase unit at the unit cost captured when
it was bought. Consumption plans first over read-only snapshots (``fifo.plan_fifo``) and only then
applies the planned draws, each with a guarded ``UPDATE ... WHERE quantity >= drawn`` so a lot can
never go below zero even if another process drew from it meanwhile. A short plan raises
``InsufficientInventoryError`` before any lot is touched.

Helpers that take a session first (``plan_ingredient``, ``apply_draws``) are for other services'
use cases (production, assembly), which run them inside their own single transaction.

Every write of a lot's quantity here (a new lot, an adjustment, draws, draws put back) moves its
product's stored stock total (``totals.move_stock``) in the same transaction, once per use case
with the changes added per product: "on hand" reads those totals, never every open lot.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, BigInteger, Integer, bindparam, column, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bake_tracker.core import units
from bake_tracker.core.fifo import Converter, FifoPlan, LotSnapshot, plan_fifo
from bake_tracker.core.numbers import MONEY_PLACES, round_money, round_quantity
from bake_tracker.models import Ingredient, InventoryItem, Product, Purchase, StockAdjustment
from bake_tracker.models.types import Quantity, to_scaled
from bake_tracker.services import catalog_service, dto, pantry_lots, totals
from bake_tracker.services.dto import AdjustmentReason
from bake_tracker.services.errors import (
    DatabaseBusyError,
    InsufficientInventoryError,
    LotNotFoundError,
    Shortage,
    ValidationError,
)
from bake_tracker.services.loading import columns, get_or_raise
from bake_tracker.services.retry import retry_on_conflict
from bake_tracker.services.runs import driver_form, stored_form
from bake_tracker.services.runs.pipeline import ANSWER
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    is_id,
    to_choice,
    to_date,
    to_decimal,
    to_filter,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import FifoResult, InventorySummary, LotDTO, PurchaseDTO

# The reasons a lot correction may give: the enum's values, in its order (the UI lists these).
EXPIRING_SOON_DAYS = 14


# --- purchases and lots ---------------------------------------------------------------------------


def record_purchase(
    product_id: int,
    *,
    quantity: Any,
    total_cost: Any,
    purchase_date: Any = None,
    supplier: str | None = None,
    notes: str | None = None,
    expiration_date: Any = None,
    location: str | None = None,
    session: Session | None = None,
) -> PurchaseDTO:
    """Record a purchase and put its lot in the pantry, at total ÷ quantity per purchase unit.

    ``quantity`` is in the product's purchase unit (25 for a 25 lb bag bought by the pound).

    Raises:
        ProductNotFoundError, ValidationError.
    """
    with Problems() as problems:
        total = to_decimal(total_cost, "Total cost", problems, places=MONEY_PLACES)
        supplier = to_text(supplier, "Supplier", problems, max_length=200, required=False)
        lot = _lot_fields(problems, quantity, purchase_date, expiration_date, location, notes)
    unit_cost = round_money(total / lot.quantity)  # per purchase unit: this figure's one rounding
    with use_session(session) as s:
        product = catalog_service.load_product(s, product_id)
        purchase = Purchase(
            product=product,
            purchase_date=lot.purchase_date,
            quantity_purchased=lot.quantity,
            total_cost=total,
            unit_cost=unit_cost,
            supplier=supplier,
            notes=lot.notes,
        )
        lot.product, lot.purchase, lot.unit_cost = product, purchase, unit_cost
        s.add_all([purchase, lot])
        s.flush()
        totals.move_stock(s, {product.id: lot.quantity})
        return dto.PurchaseDTO(
            id=purchase.id,
            product_id=product.id,
            quantity=lot.quantity,
            total_cost=total,
            unit_cost=unit_cost,
            purchase_date=lot.purchase_date,
            inventory_item_id=lot.id,
            supplier=supplier,
        )


def add_to_inventory(
    product_id: int,
    *,
    quantity: Any,
    unit_cost: Any,
    purchase_date: Any = None,
    expiration_date: Any = None,
    location: str | None = None,
    notes: str | None = None,
    session: Session | None = None,
) -> LotDTO:
    """Put a lot in the pantry without a purchase record (stock already on the shelf).

    Raises:
        ProductNotFoundError, ValidationError.
    """
    with Problems() as problems:
        cost = to_decimal(unit_cost, "Unit cost", problems, places=MONEY_PLACES)
        lot = _lot_fields(problems, quantity, purchase_date, expiration_date, location, notes)
    with use_session(session) as s:
        product = catalog_service.load_product(s, product_id)
        lot.product, lot.unit_cost = product, cost
        s.add(lot)
        s.flush()
        totals.move_stock(s, {product.id: lot.quantity})
        return _lot_dto(lot, product, product.ingredient)


def _lot_fields(
    problems: Problems, quantity: Any, bought: Any, expires: Any, location: Any, notes: Any
) -> InventoryItem:
    """A new lot (not yet in a session) from validated form values; problems are recorded."""
    qty = to_decimal(quantity, "Quantity", problems, allow_zero=False)
    bought = to_date(bought or date.today(), "Purchase date", problems)
    expires = to_date(expires, "Expiry date", problems, required=False)
    if bought and expires and expires < bought:
        problems.add("Expiry date cannot be before the purchase date")
    return InventoryItem(
        initial_quantity=qty,
        quantity=qty,
        purchase_date=bought,
        expiration_date=expires,
        location=to_text(location, "Location", problems, max_length=100, required=False),
        notes=to_text(notes, "Notes", problems, max_length=2000, required=False),
    )


def get_inventory_items(
    *,
    ingredient_slug: str | None = None,
    product_id: int | None = None,
    location: str | None = None,
    include_empty: bool = False,
    session: Session | None = None,
) -> list[LotDTO]:
    """Lots in FIFO order (purchase date, then id), with product and ingredient names.

    Raises:
        IngredientNotFoundError when ``ingredient_slug`` names no ingredient; ValidationError.
    """
    with Problems() as p:
        location = to_filter(location, "Location", p)
        if product_id is not None and not is_id(product_id):
            p.add("Product id must be a whole number greater than 0")
    with use_session(session) as s:
        query = (
            select(*_LOT_ROW)  # plain columns, not ORM objects: the Pantry lists ~10k lots
            .join(Product, InventoryItem.product_id == Product.id)
            .join(Ingredient, Product.ingredient_id == Ingredient.id)
            .order_by(InventoryItem.purchase_date, InventoryItem.id)
        )
        if ingredient_slug is not None:
            ingredient = catalog_service.load_ingredient(s, ingredient_slug)
            query = query.where(Product.ingredient_id == ingredient.id)
        if product_id is not None:
            query = query.where(InventoryItem.product_id == product_id)
        if location:
            query = query.where(InventoryItem.location == location)
        if not include_empty:
            query = query.where(InventoryItem.quantity > 0)
        names: dict[int, str] = {}  # product id -> display name (many lots share a product)
        return [_lot_dto_from_row(row, names) for row in s.execute(query).mappings()]


def get_lot(inventory_item_id: int, *, session: Session | None = None) -> LotDTO:
    with use_session(session) as s:
        lot = _load_lot(s, inventory_item_id)
        return _lot_dto(lot, lot.product, lot.product.ingredient)


def list_locations(*, session: Session | None = None) -> list[str]:
    """Every storage location used so far, for the Pantry filter and the purchase form."""
    with use_session(session) as s:
        query = select(InventoryItem.location).where(InventoryItem.location.is_not(None))
        return sorted(set(s.scalars(query.distinct())), key=str.lower)


def get_inventory_summary(
    *, today: date | None = None, session: Session | None = None
) -> InventorySummary:
    """Total value of what remains, how many lots hold something, and how many expire soon."""
    today = today or date.today()
    with use_session(session) as s:
        rows = s.execute(
            select(
                InventoryItem.quantity, InventoryItem.unit_cost, InventoryItem.expiration_date
            ).where(InventoryItem.quantity > 0)
        )
        lots = list(map(columns(rows, "quantity", "unit_cost", "expiration_date"), rows))
    soon = today + timedelta(days=EXPIRING_SOON_DAYS)
    value = sum((round_money(quantity * cost) for quantity, cost, _ in lots), Decimal(0))
    expiring = sum(1 for *_, expires in lots if expires is not None and expires <= soon)
    return dto.InventorySummary(
        total_value=value.quantize(Decimal("0.01")), lot_count=len(lots), expiring_soon=expiring
    )


def summarize_lots(lots: list[LotDTO], *, today: date | None = None) -> InventorySummary:
    """``get_inventory_summary`` of lots already read: with every open lot (an unfiltered
    ``get_inventory_items``) it gives the same figures without reading them again."""
    soon = (today or date.today()) + timedelta(days=EXPIRING_SOON_DAYS)
    open_lots = [lot for lot in lots if lot.quantity > 0]
    value = sum((lot.value for lot in open_lots), Decimal(0))
    expiring = sum(
        1 for lot in open_lots if lot.expiration_date is not None and lot.expiration_date <= soon
    )
    return dto.InventorySummary(
        total_value=value.quantize(Decimal("0.01")),
        lot_count=len(open_lots),
        expiring_soon=expiring,
    )


def is_expiring_soon(lot: LotDTO, *, today: date | None = None) -> bool:
    """Expired already, or within the next two weeks."""
    if lot.expiration_date is None:
        return False
    return lot.expiration_date <= (today or date.today()) + timedelta(days=EXPIRING_SOON_DAYS)


def get_on_hand(ingredient_slug: str, *, session: Session | None = None) -> Decimal:
    """Everything on hand of an ingredient, in its recipe unit (3 places).

    Raises:
        IngredientNotFoundError, UnitConversionError.
    """
    with use_session(session) as s:
        ingredient = catalog_service.load_ingredient(s, ingredient_slug)
        totals = pantry_lots.open_totals(s, [ingredient.id]).get(ingredient.id, [])
        return pantry_lots.on_hand(totals, ingredient.recipe_unit, UnitConverter(ingredient))


def on_hand_from(
    ingredient: Ingredient, lots: list[LotSnapshot], convert: Converter | None = None
) -> Decimal:
    """What ``lots`` hold in all, in the ingredient's recipe unit (3 places)."""
    convert = convert or UnitConverter(ingredient)
    unit = ingredient.recipe_unit
    return round_quantity(
        sum(
            (
                lot.quantity if lot.unit == unit else convert(lot.quantity, lot.unit, unit)
                for lot in lots
            ),
            Decimal(0),
        )
    )


def in_recipe_unit(ingredient: Ingredient, lot: LotSnapshot) -> Decimal:
    if lot.unit == ingredient.recipe_unit:
        return lot.quantity
    return catalog_service.convert_for(ingredient, lot.quantity, lot.unit, ingredient.recipe_unit)


class UnitConverter:
    """``catalog_service.convert_for`` for one ingredient, with each (from, to) pair's
    ``units.conversion_factor`` looked up once and applied to every quantity: identical to
    ``units.convert`` to the last digit. For the length of one use case (custom units may change
    between calls). Pairs that do not convert are looked up again every time, which raises."""

    __slots__ = ("_factors", "_ingredient")

    def __init__(self, ingredient: Ingredient) -> None:
        self._ingredient = ingredient
        self._factors: dict[tuple[str, str], units.Factor] = {}

    def __call__(self, quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
        factor = self._factors.get((from_unit, to_unit))
        if factor is None:
            ingredient = self._ingredient
            factor = self._factors[from_unit, to_unit] = units.conversion_factor(
                from_unit,
                to_unit,
                density=catalog_service.density_of(ingredient),
                custom=catalog_service.custom_units_of(ingredient),
                ingredient_name=ingredient.display_name,
            )
        return factor.apply(quantity)


@retry_on_conflict
def adjust_lot(
    inventory_item_id: int,
    delta: Any,
    *,
    reason: str,
    notes: str | None = None,
    session: Session | None = None,
) -> LotDTO:
    """Correct a lot by ``delta`` (in its purchase unit) with a reason, kept as an adjustment.

    Raises:
        LotNotFoundError, ValidationError (zero delta, unknown reason, or a result below zero).
    """
    with Problems() as problems:
        change = to_decimal(delta, "Change", problems, minimum=None, allow_zero=False)
        why = to_choice(reason, "Reason", tuple(AdjustmentReason), problems)
        notes = to_text(notes, "Notes", problems, max_length=2000, required=False)
    with use_session(session, write=True) as s:
        lot = _load_lot(s, inventory_item_id)
        _change_lot_quantity(s, lot, change)
        s.add(
            StockAdjustment(
                inventory_item_id=lot.id,
                delta=change,
                reason=why,
                unit_cost=lot.unit_cost,
                adjusted_at=datetime.now(UTC),
                notes=notes,
            )
        )
        s.flush()
        return _lot_dto(lot, lot.product, lot.product.ingredient)


def _change_lot_quantity(session: Session, lot: InventoryItem, change: Decimal) -> None:
    """Add ``change`` to what the lot holds, in the database itself, never below zero.

    A guarded set-based update (``SET quantity = quantity + change WHERE quantity + change >= 0``)
    instead of writing back a figure computed in Python: two workstations adjusting the same lot
    at once each apply their own change to what the other left (on PostgreSQL the second waits for
    the first's row lock, then re-checks the guard on the new row), so no change is lost.
    """
    held = session.execute(
        update(InventoryItem)
        .where(InventoryItem.id == lot.id, InventoryItem.quantity + change >= 0)
        .values(quantity=InventoryItem.quantity + change)
        .returning(InventoryItem.quantity)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if held is None:
        now = session.scalar(select(InventoryItem.quantity).where(InventoryItem.id == lot.id))
        raise ValidationError(
            f"This lot holds {now} {lot.product.purchase_unit}; it cannot go down by {-change}"
        )
    set_committed_value(lot, "quantity", held)
    totals.move_stock(session, {lot.product_id: change})


def _load_lot(session: Session, inventory_item_id: int) -> InventoryItem:
    return get_or_raise(session, InventoryItem, inventory_item_id, LotNotFoundError)


_LOT_ROW = (
    InventoryItem.id,
    InventoryItem.product_id,
    Ingredient.slug,
    InventoryItem.quantity,
    Product.purchase_unit,
    InventoryItem.unit_cost,
    InventoryItem.purchase_date,
    InventoryItem.expiration_date,
    Ingredient.display_name,
    Product.brand,
    Product.package_size,
    Product.package_type,
    InventoryItem.initial_quantity,
    InventoryItem.location,
    InventoryItem.notes,
    Ingredient.is_packaging,
)


def _lot_dto_from_row(row: Any, names: dict[int, str]) -> LotDTO:
    """A ``LotDTO`` from a row (a mapping) of ``_LOT_ROW``, the same fields as ``_lot_dto``;
    ``names`` caches product display names by product id."""
    product_id = row["product_id"]
    product_name = names.get(product_id)
    if product_name is None:
        product_name = names[product_id] = catalog_service.product_name(
            row["brand"], row["package_size"], row["package_type"], row["display_name"]
        )
    return dto.LotDTO(
        id=row["id"],
        product_id=product_id,
        ingredient_slug=row["slug"],
        quantity=row["quantity"],
        unit=row["purchase_unit"],
        unit_cost=row["unit_cost"],
        purchase_date=row["purchase_date"],
        expiration_date=row["expiration_date"],
        ingredient_name=row["display_name"],
        product_name=product_name,
        initial_quantity=row["initial_quantity"],
        location=row["location"],
        notes=row["notes"],
        is_packaging=row["is_packaging"],
    )


def _lot_dto(lot: InventoryItem, product: Product, ingredient: Ingredient) -> LotDTO:
    return dto.LotDTO(
        id=lot.id,
        product_id=product.id,
        ingredient_slug=ingredient.slug,
        quantity=lot.quantity,
        unit=product.purchase_unit,
        unit_cost=lot.unit_cost,
        purchase_date=lot.purchase_date,
        expiration_date=lot.expiration_date,
        ingredient_name=ingredient.display_name,
        product_name=catalog_service.product_display_name(product, ingredient),
        initial_quantity=lot.initial_quantity,
        location=lot.location,
        notes=lot.notes,
        is_packaging=ingredient.is_packaging,
    )


# --- FIFO -----------------------------------------------------------------------------------------


def consume_fifo(
    ingredient_slug: str,
    quantity_needed: Any,
    *,
    dry_run: bool = False,
    session: Session | None = None,
) -> FifoResult:
    """Draw ``quantity_needed`` (in the ingredient's recipe unit) from its lots, oldest first.

    A dry run plans only and writes nothing. A real consumption that would be short raises before
    any lot is touched.

    Raises:
        IngredientNotFoundError, ValidationError, UnitConversionError,
        InsufficientInventoryError (not dry run, and not enough on hand).
    """
    with Problems() as problems:
        need = to_decimal(quantity_needed, "Quantity needed", problems, places=None)
    with use_session(session, write=not dry_run) as s:
        ingredient = catalog_service.load_ingredient(s, ingredient_slug)
        plan = plan_ingredient(s, ingredient, need)
        if not dry_run:
            if not plan.satisfied:
                raise InsufficientInventoryError([shortage_of(ingredient, plan)])
            apply_draws(s, plan)
        return fifo_result(plan)


def lot_snapshots(session: Session, ingredient_id: int) -> list[LotSnapshot]:
    """Non-empty lots of every product of an ingredient, as immutable snapshots (one query)."""
    return lot_snapshots_for(session, [ingredient_id]).get(ingredient_id, [])


def lot_snapshots_for(session: Session, ingredient_ids: list[int]) -> dict[int, list[LotSnapshot]]:
    """Every open lot of several ingredients at once, FIFO-ordered per ingredient (one query;
    planning reads only the leading lots instead: ``pantry_lots.plan_needs``)."""
    return pantry_lots.all_open_lots(session, ingredient_ids)


def plan_ingredient(
    session: Session,
    ingredient: Ingredient,
    need: Decimal,
    snapshots: list[LotSnapshot] | None = None,
    convert: Converter | None = None,
) -> FifoPlan:
    """A FIFO plan for ``need`` in the ingredient's recipe unit; reads, never writes. Without
    ``snapshots`` it reads only the ingredient's leading lots (more only if they fall short)."""
    convert = convert or UnitConverter(ingredient)
    if snapshots is not None:
        return plan_fifo(snapshots, need, ingredient.recipe_unit, convert)
    wanted = pantry_lots.Need(ingredient.id, need, ingredient.recipe_unit, convert)
    return pantry_lots.plan_needs(session, [wanted])[ingredient.id]


def _draw_lot(lots):
    """Take ``:take`` from lot ``:lot_id`` only if it still holds that much (guarded)."""
    return (
        update(lots)
        .where(lots.c.id == bindparam("lot_id"), lots.c.quantity >= bindparam("take"))
        .values(quantity=lots.c.quantity - bindparam("take"), updated_at=bindparam("now"))
    )


def _draw_lots_at_once(lots):
    """PostgreSQL: every draw in one statement, ``:lot_ids`` and ``:takes`` as arrays (each lot
    once), with the same guard per lot. An ``executemany`` of the statement above runs one
    server-side execution per lot; this one runs one in all (17 draws: ~2 ms less, figures.md
    session 7)."""
    drawn = (
        func.unnest(
            bindparam("lot_ids", type_=ARRAY(Integer)), bindparam("takes", type_=ARRAY(BigInteger))
        )
        .table_valued(column("lot_id", Integer), column("take", BigInteger))
        .render_derived(name="drawn")
    )
    return (
        update(lots)
        .where(lots.c.id == drawn.c.lot_id, lots.c.quantity >= drawn.c.take)
        .values(quantity=lots.c.quantity - drawn.c.take, updated_at=bindparam("now"))
    )


# In stored form (``runs.driver_form``): every draw of every production and assembly goes through
# it, one parameter set per lot drawn.
_DRAW_LOT = _draw_lot(stored_form.plain(InventoryItem.__table__))
_DRAW_LOTS_AT_ONCE = _draw_lots_at_once(stored_form.plain(InventoryItem.__table__))


def apply_draws(session: Session, *plans: FifoPlan) -> None:
    """Take every planned draw from its lot in one guarded statement, and what they take from
    their products' stock totals in one more; refuses, and so rolls the whole use case back, if
    any lot no longer holds what was planned."""
    now = stored_form.now()
    places = Quantity.places
    params = [
        {"lot_id": d.lot_id, "take": to_scaled(d.quantity, places), "now": now}
        for plan in plans
        for d in plan.draws
    ]
    if not params:
        return
    taken: dict[int, Decimal] = {}
    for draw in (d for plan in plans for d in plan.draws):
        taken[draw.product_id] = taken.get(draw.product_id, Decimal(0)) - draw.quantity
    connection = session.connection()
    lot_ids = [p["lot_id"] for p in params]
    if connection.dialect.name == "postgresql" and len(set(lot_ids)) == len(lot_ids):
        arrays = {"lot_ids": lot_ids, "takes": [p["take"] for p in params], "now": now}
        # its row count is read now, also inside ``runs.pipeline.batched``
        changed = connection.execute(_DRAW_LOTS_AT_ONCE, arrays, execution_options=ANSWER).rowcount
    elif connection.dialect.supports_sane_multi_rowcount:
        changed = driver_form.execute(connection, _DRAW_LOT, params, ANSWER).rowcount
    else:
        changed = sum(
            driver_form.execute(connection, _DRAW_LOT, [p], ANSWER).rowcount for p in params
        )
    if changed != len(params):
        # Another window or workstation drew from one of these lots after it was read.
        raise DatabaseBusyError(
            "The pantry changed while this was being recorded (another window or "
            "workstation used the same lots). Nothing was saved; please try again."
        )
    totals.move_stock(session, taken)
    _expire_lots(session, {p["lot_id"] for p in params})


def restore_draws(session: Session, draws: list[tuple[int, Decimal]]) -> None:
    """Put ``(lot id, quantity)`` draws back into their lots exactly (used by void), and into
    their products' stock totals (one statement for all of them)."""
    now = datetime.now(UTC)
    returned: dict[int, Decimal] = {}
    for lot_id, quantity in draws:
        product_id = session.execute(
            update(InventoryItem)
            .where(InventoryItem.id == lot_id)
            .values(quantity=InventoryItem.quantity + quantity, updated_at=now)
            .returning(InventoryItem.product_id)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        returned[product_id] = returned.get(product_id, Decimal(0)) + quantity
    totals.move_stock(session, returned)
    _expire_lots(session, {lot_id for lot_id, _ in draws})


def _expire_lots(session: Session, lot_ids: set[int]) -> None:
    """Lots already loaded in the session must not keep the quantities the database changed."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, InventoryItem) and obj.id in lot_ids:
            session.expire(obj, ["quantity", "updated_at"])


def shortage_of(ingredient: Ingredient, plan: FifoPlan) -> Shortage:
    return Shortage(
        ingredient_slug=ingredient.slug,
        needed=round_quantity(plan.need),
        available=plan.consumed,
        unit=ingredient.recipe_unit,
    )


def fifo_result(plan: FifoPlan) -> FifoResult:
    return dto.FifoResult(
        consumed=plan.consumed,
        shortfall=plan.shortfall,
        satisfied=plan.satisfied,
        total_cost=plan.total_cost,
        breakdown=[
            dto.LotDraw(
                inventory_item_id=d.lot_id,
                product_id=d.product_id,
                lot_date=d.lot_date,
                quantity=d.quantity,
                unit=d.unit,
                unit_cost=d.unit_cost,
                cost=d.cost,
                remaining_in_lot=d.remaining_in_lot,
            )
            for d in plan.draws
        ],
        unit=plan.unit,
    )
