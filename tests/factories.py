"""Factories that build a valid row of every table, with its parents, for tests.

``make_<thing>(session, **overrides)`` builds a row with plain domain defaults (a sugar cookie made
48 to a batch, flour at $0.8980 a pound...), creates any parent it needs, adds the row, flushes
(never commits) and returns the ORM object. A parent may be given as an object (``recipe=r``) or as
an id (``recipe_id=r.id``); giving ``None`` leaves a nullable link empty. Any other keyword
overrides a column. Names and slugs are made unique with a counter.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.orm import Session

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
    Event,
    EventAssemblyTarget,
    EventProductionTarget,
    EventRecipientPackage,
    FinishedGood,
    FinishedGoodLot,
    FinishedUnit,
    FinishedUnitLot,
    Ingredient,
    InventoryItem,
    Package,
    PackageFinishedGood,
    Product,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
    Purchase,
    Recipe,
    RecipeComponent,
    RecipeIngredient,
    Recipient,
    StockAdjustment,
    UnitConversion,
)
from bake_tracker.models.enums import AdjustmentReason, AssemblyType, FulfillmentStatus, YieldMode

T = TypeVar("T")
Factory = Callable[..., Any]

_counter = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC)


def _n() -> int:
    return next(_counter)


def _given(kw: dict, column: str) -> bool:
    """Whether the caller chose the parent for FK ``column`` (as an id, an object or None)."""
    return column in kw or column.removesuffix("_id") in kw


def _parent_id(session: Session, kw: dict, column: str, factory: Factory | None = None):
    """Take the parent for FK ``column`` out of ``kw``; else make one with ``factory`` (or None)."""
    if column in kw:
        return kw.pop(column)
    name = column.removesuffix("_id")
    if name in kw:
        parent = kw.pop(name)
        return None if parent is None else parent.id
    return factory(session).id if factory else None


def _add(session: Session, model: type[T], overrides: dict, **defaults) -> T:
    row = model(**(defaults | overrides))
    session.add(row)
    session.flush()
    return row


# --- catalog ----------------------------------------------------------------------------------


def make_ingredient(session: Session, **kw) -> Ingredient:
    n = _n()
    return _add(
        session,
        Ingredient,
        kw,
        display_name=f"All-Purpose Flour {n}",
        slug=f"all-purpose-flour-{n}",
        category="Flour",
        recipe_unit="cup",
    )


def make_unit_conversion(session: Session, **kw) -> UnitConversion:
    ingredient_id = _parent_id(session, kw, "ingredient_id", make_ingredient)
    return _add(
        session,
        UnitConversion,
        kw,
        ingredient_id=ingredient_id,
        from_unit="scoop",
        from_quantity=Decimal("1.000"),
        to_unit="cup",
        to_quantity=Decimal("0.250"),
    )


def make_product(session: Session, **kw) -> Product:
    ingredient_id = _parent_id(session, kw, "ingredient_id", make_ingredient)
    return _add(
        session,
        Product,
        kw,
        ingredient_id=ingredient_id,
        brand="King Arthur",
        package_size="5 lb bag",
        purchase_unit="lb",
        purchase_quantity=Decimal("5.000"),
    )


def make_packaging_product(session: Session, **kw) -> Product:
    """A product of a packaging ingredient: cellophane bags, 100 to a pack, used by the bag."""
    if not _given(kw, "ingredient_id"):
        n = _n()
        kw["ingredient"] = make_ingredient(
            session,
            display_name=f"Cellophane Bag {n}",
            slug=f"cellophane-bag-{n}",
            category="Packaging",
            recipe_unit="bag",
            is_packaging=True,
        )
    defaults = {
        "brand": "Wilton",
        "package_size": "100 bags",
        "purchase_unit": "bag",
        "purchase_quantity": Decimal("100.000"),
    }
    return make_product(session, **(defaults | kw))


def make_purchase(session: Session, **kw) -> Purchase:
    product_id = _parent_id(session, kw, "product_id", make_product)
    return _add(
        session,
        Purchase,
        kw,
        product_id=product_id,
        purchase_date=date.today(),
        quantity_purchased=Decimal("10.000"),
        total_cost=Decimal("8.9800"),
        unit_cost=Decimal("0.8980"),
    )


def make_inventory_item(session: Session, **kw) -> InventoryItem:
    """A pantry lot (10 lb of flour at $0.8980/lb); ``purchase`` is optional and None by default."""
    product_id = _parent_id(session, kw, "product_id", make_product)
    purchase_id = _parent_id(session, kw, "purchase_id")
    return _add(
        session,
        InventoryItem,
        kw,
        product_id=product_id,
        purchase_id=purchase_id,
        initial_quantity=Decimal("10.000"),
        quantity=Decimal("10.000"),
        unit_cost=Decimal("0.8980"),
        purchase_date=date.today(),
    )


make_lot = make_inventory_item


def make_stock_adjustment(session: Session, **kw) -> StockAdjustment:
    """One spoiled unit of a pantry lot, unless a finished unit or good target is given."""
    targets = ("inventory_item_id", "finished_unit_id", "finished_good_id")
    default = None if any(_given(kw, t) for t in targets) else make_inventory_item
    inventory_item_id = _parent_id(session, kw, "inventory_item_id", default)
    finished_unit_id = _parent_id(session, kw, "finished_unit_id")
    finished_good_id = _parent_id(session, kw, "finished_good_id")
    return _add(
        session,
        StockAdjustment,
        kw,
        inventory_item_id=inventory_item_id,
        finished_unit_id=finished_unit_id,
        finished_good_id=finished_good_id,
        delta=Decimal("-1.000"),
        reason=AdjustmentReason.SPOILED.value,
        adjusted_at=now(),
    )


def make_adjustment_draw(session: Session, **kw) -> AdjustmentDraw:
    """Two units drawn from a finished-unit lot by a negative adjustment of that finished unit."""
    lots = ("finished_unit_lot_id", "finished_good_lot_id")
    default = None if any(_given(kw, lot) for lot in lots) else make_finished_unit_lot
    finished_unit_lot_id = _parent_id(session, kw, "finished_unit_lot_id", default)
    finished_good_lot_id = _parent_id(session, kw, "finished_good_lot_id")
    if not _given(kw, "adjustment_id"):
        target = {}
        if finished_unit_lot_id is not None:
            lot = session.get(FinishedUnitLot, finished_unit_lot_id)
            target["finished_unit_id"] = lot.finished_unit_id
        elif finished_good_lot_id is not None:
            lot = session.get(FinishedGoodLot, finished_good_lot_id)
            target["finished_good_id"] = lot.finished_good_id
        kw["adjustment"] = make_stock_adjustment(session, delta=Decimal("-2.000"), **target)
    adjustment_id = _parent_id(session, kw, "adjustment_id")
    return _add(
        session,
        AdjustmentDraw,
        kw,
        adjustment_id=adjustment_id,
        finished_unit_lot_id=finished_unit_lot_id,
        finished_good_lot_id=finished_good_lot_id,
        quantity=2,
        unit_cost=Decimal("0.2500"),
        cost=Decimal("0.5000"),
    )


# --- recipes ----------------------------------------------------------------------------------


def make_recipe(session: Session, **kw) -> Recipe:
    n = _n()
    return _add(
        session,
        Recipe,
        kw,
        name=f"Sugar Cookies {n}",
        slug=f"sugar-cookies-{n}",
        category="Cookies",
        yield_quantity=Decimal("48.000"),
        yield_unit="cookies",
    )


def make_recipe_ingredient(session: Session, **kw) -> RecipeIngredient:
    recipe_id = _parent_id(session, kw, "recipe_id", make_recipe)
    ingredient_id = _parent_id(session, kw, "ingredient_id", make_ingredient)
    return _add(
        session,
        RecipeIngredient,
        kw,
        recipe_id=recipe_id,
        ingredient_id=ingredient_id,
        quantity=Decimal("2.250"),
        unit="cup",
    )


def make_recipe_component(session: Session, **kw) -> RecipeComponent:
    recipe_id = _parent_id(session, kw, "recipe_id", make_recipe)
    component_recipe_id = _parent_id(session, kw, "component_recipe_id", make_recipe)
    return _add(
        session,
        RecipeComponent,
        kw,
        recipe_id=recipe_id,
        component_recipe_id=component_recipe_id,
        quantity=Decimal("1.000"),
    )


# --- goods ------------------------------------------------------------------------------------


def make_finished_unit(session: Session, **kw) -> FinishedUnit:
    """A discrete finished unit: 48 cookies per batch of its recipe."""
    n = _n()
    recipe_id = _parent_id(session, kw, "recipe_id", make_recipe)
    return _add(
        session,
        FinishedUnit,
        kw,
        recipe_id=recipe_id,
        slug=f"sugar-cookie-{n}",
        display_name=f"Sugar Cookie {n}",
        yield_mode=YieldMode.DISCRETE_COUNT.value,
        items_per_batch=48,
        item_unit="cookie",
    )


def make_finished_good(session: Session, **kw) -> FinishedGood:
    n = _n()
    return _add(
        session,
        FinishedGood,
        kw,
        slug=f"holiday-gift-box-{n}",
        display_name=f"Holiday Gift Box {n}",
        assembly_type=AssemblyType.GIFT_BOX.value,
    )


def make_composition(session: Session, **kw) -> Composition:
    """Six cookies in a gift box; a package's row holds one packaging bag instead."""
    parent_given = _given(kw, "assembly_id") or _given(kw, "package_id")
    assembly_id = _parent_id(
        session, kw, "assembly_id", None if parent_given else make_finished_good
    )
    package_id = _parent_id(session, kw, "package_id")
    components = ("finished_unit_id", "finished_good_id", "packaging_product_id")
    if not any(_given(kw, c) for c in components):
        if package_id is None:
            kw["finished_unit_id"] = make_finished_unit(session).id
        else:
            kw["packaging_product_id"] = make_packaging_product(session).id
    ids = {c: _parent_id(session, kw, c) for c in components}
    quantity = Decimal("1.000") if ids["packaging_product_id"] else Decimal("6.000")
    return _add(
        session,
        Composition,
        kw,
        assembly_id=assembly_id,
        package_id=package_id,
        **ids,
        component_quantity=quantity,
    )


def make_package(session: Session, **kw) -> Package:
    return _add(session, Package, kw, name=f"Family Cookie Tin {_n()}")


def make_package_finished_good(session: Session, **kw) -> PackageFinishedGood:
    package_id = _parent_id(session, kw, "package_id", make_package)
    finished_good_id = _parent_id(session, kw, "finished_good_id", make_finished_good)
    return _add(
        session,
        PackageFinishedGood,
        kw,
        package_id=package_id,
        finished_good_id=finished_good_id,
        quantity=1,
    )


# --- stock of finished units and goods ----------------------------------------------------------


def make_finished_unit_lot(session: Session, **kw) -> FinishedUnitLot:
    """The lot of a production run: 48 cookies at $0.2500, none drawn yet."""
    finished_unit_id = _parent_id(session, kw, "finished_unit_id", make_finished_unit)
    if not (_given(kw, "production_run_id") or _given(kw, "adjustment_id")):
        kw["production_run"] = make_production_run(session, finished_unit_id=finished_unit_id)
    return _add(
        session,
        FinishedUnitLot,
        kw,
        finished_unit_id=finished_unit_id,
        production_run_id=_parent_id(session, kw, "production_run_id"),
        adjustment_id=_parent_id(session, kw, "adjustment_id"),
        lot_at=now(),
        quantity_initial=48,
        quantity_remaining=48,
        unit_cost=Decimal("0.2500"),
        total_cost=Decimal("12.0000"),
        remaining_cost=Decimal("12.0000"),
    )


def make_finished_good_lot(session: Session, **kw) -> FinishedGoodLot:
    """The lot of an assembly run: one gift box at $3.0000."""
    finished_good_id = _parent_id(session, kw, "finished_good_id", make_finished_good)
    if not (_given(kw, "assembly_run_id") or _given(kw, "adjustment_id")):
        kw["assembly_run"] = make_assembly_run(session, finished_good_id=finished_good_id)
    return _add(
        session,
        FinishedGoodLot,
        kw,
        finished_good_id=finished_good_id,
        assembly_run_id=_parent_id(session, kw, "assembly_run_id"),
        adjustment_id=_parent_id(session, kw, "adjustment_id"),
        lot_at=now(),
        quantity_initial=1,
        quantity_remaining=1,
        unit_cost=Decimal("3.0000"),
        total_cost=Decimal("3.0000"),
        remaining_cost=Decimal("3.0000"),
    )


# --- events -----------------------------------------------------------------------------------


def make_recipient(session: Session, **kw) -> Recipient:
    return _add(session, Recipient, kw, name=f"Aunt Mary {_n()}", household_name="Smith")


def make_event(session: Session, **kw) -> Event:
    return _add(
        session, Event, kw, name=f"Christmas {_n()}", event_date=date(2026, 12, 24), year=2026
    )


def make_assignment(session: Session, **kw) -> EventRecipientPackage:
    """One pending package for a recipient at an event."""
    event_id = _parent_id(session, kw, "event_id", make_event)
    recipient_id = _parent_id(session, kw, "recipient_id", make_recipient)
    package_id = _parent_id(session, kw, "package_id", make_package)
    return _add(
        session,
        EventRecipientPackage,
        kw,
        event_id=event_id,
        recipient_id=recipient_id,
        package_id=package_id,
        quantity=1,
        fulfillment_status=FulfillmentStatus.PENDING.value,
    )


def make_production_target(session: Session, **kw) -> EventProductionTarget:
    event_id = _parent_id(session, kw, "event_id", make_event)
    recipe_id = _parent_id(session, kw, "recipe_id", make_recipe)
    return _add(
        session,
        EventProductionTarget,
        kw,
        event_id=event_id,
        recipe_id=recipe_id,
        target_batches=2,
    )


def make_assembly_target(session: Session, **kw) -> EventAssemblyTarget:
    event_id = _parent_id(session, kw, "event_id", make_event)
    finished_good_id = _parent_id(session, kw, "finished_good_id", make_finished_good)
    return _add(
        session,
        EventAssemblyTarget,
        kw,
        event_id=event_id,
        finished_good_id=finished_good_id,
        target_quantity=10,
    )


# --- production -------------------------------------------------------------------------------


def make_production_run(session: Session, **kw) -> ProductionRun:
    """One batch of the finished unit's recipe: 48 good cookies for $12.0000, no event."""
    finished_unit_id = _parent_id(session, kw, "finished_unit_id", make_finished_unit)
    if not _given(kw, "recipe_id"):
        kw["recipe_id"] = session.get(FinishedUnit, finished_unit_id).recipe_id
    return _add(
        session,
        ProductionRun,
        kw,
        recipe_id=_parent_id(session, kw, "recipe_id"),
        finished_unit_id=finished_unit_id,
        event_id=_parent_id(session, kw, "event_id"),
        num_batches=1,
        expected_yield=48,
        actual_yield=48,
        loss_quantity=0,
        produced_at=now(),
        total_ingredient_cost=Decimal("12.0000"),
        per_unit_cost=Decimal("0.2500"),
    )


def make_production_consumption(session: Session, **kw) -> ProductionConsumption:
    production_run_id = _parent_id(session, kw, "production_run_id", make_production_run)
    ingredient_id = _parent_id(session, kw, "ingredient_id", make_ingredient)
    return _add(
        session,
        ProductionConsumption,
        kw,
        production_run_id=production_run_id,
        ingredient_id=ingredient_id,
        quantity_consumed=Decimal("2.250"),
        unit="cup",
        total_cost=Decimal("1.1225"),
    )


def make_production_consumption_lot(session: Session, **kw) -> ProductionConsumptionLot:
    consumption_id = _parent_id(session, kw, "consumption_id", make_production_consumption)
    inventory_item_id = _parent_id(session, kw, "inventory_item_id", make_inventory_item)
    return _add(
        session,
        ProductionConsumptionLot,
        kw,
        consumption_id=consumption_id,
        inventory_item_id=inventory_item_id,
        quantity=Decimal("1.250"),
        unit="lb",
        unit_cost=Decimal("0.8980"),
        cost=Decimal("1.1225"),
    )


# --- assembly ---------------------------------------------------------------------------------


def make_assembly_run(session: Session, **kw) -> AssemblyRun:
    """One gift box assembled for $3.0000, no event."""
    finished_good_id = _parent_id(session, kw, "finished_good_id", make_finished_good)
    return _add(
        session,
        AssemblyRun,
        kw,
        finished_good_id=finished_good_id,
        event_id=_parent_id(session, kw, "event_id"),
        quantity_assembled=1,
        assembled_at=now(),
        total_component_cost=Decimal("3.0000"),
        per_unit_cost=Decimal("3.0000"),
    )


def make_assembly_finished_unit_consumption(
    session: Session, **kw
) -> AssemblyFinishedUnitConsumption:
    assembly_run_id = _parent_id(session, kw, "assembly_run_id", make_assembly_run)
    finished_unit_id = _parent_id(session, kw, "finished_unit_id", make_finished_unit)
    return _add(
        session,
        AssemblyFinishedUnitConsumption,
        kw,
        assembly_run_id=assembly_run_id,
        finished_unit_id=finished_unit_id,
        quantity_consumed=12,
        unit_cost_at_consumption=Decimal("0.2500"),
        total_cost=Decimal("3.0000"),
    )


def make_assembly_finished_unit_consumption_lot(
    session: Session, **kw
) -> AssemblyFinishedUnitConsumptionLot:
    """Twelve cookies drawn from a lot of the consumption's finished unit."""
    consumption_id = _parent_id(
        session, kw, "consumption_id", make_assembly_finished_unit_consumption
    )
    if not _given(kw, "finished_unit_lot_id"):
        consumption = session.get(AssemblyFinishedUnitConsumption, consumption_id)
        kw["finished_unit_lot"] = make_finished_unit_lot(
            session, finished_unit_id=consumption.finished_unit_id
        )
    return _add(
        session,
        AssemblyFinishedUnitConsumptionLot,
        kw,
        consumption_id=consumption_id,
        finished_unit_lot_id=_parent_id(session, kw, "finished_unit_lot_id"),
        quantity=12,
        unit_cost=Decimal("0.2500"),
        cost=Decimal("3.0000"),
    )


def make_assembly_finished_good_consumption(
    session: Session, **kw
) -> AssemblyFinishedGoodConsumption:
    assembly_run_id = _parent_id(session, kw, "assembly_run_id", make_assembly_run)
    finished_good_id = _parent_id(session, kw, "finished_good_id", make_finished_good)
    return _add(
        session,
        AssemblyFinishedGoodConsumption,
        kw,
        assembly_run_id=assembly_run_id,
        finished_good_id=finished_good_id,
        quantity_consumed=1,
        unit_cost_at_consumption=Decimal("3.0000"),
        total_cost=Decimal("3.0000"),
    )


def make_assembly_finished_good_consumption_lot(
    session: Session, **kw
) -> AssemblyFinishedGoodConsumptionLot:
    """One nested finished good drawn from a lot of the consumption's finished good."""
    consumption_id = _parent_id(
        session, kw, "consumption_id", make_assembly_finished_good_consumption
    )
    if not _given(kw, "finished_good_lot_id"):
        consumption = session.get(AssemblyFinishedGoodConsumption, consumption_id)
        kw["finished_good_lot"] = make_finished_good_lot(
            session, finished_good_id=consumption.finished_good_id
        )
    return _add(
        session,
        AssemblyFinishedGoodConsumptionLot,
        kw,
        consumption_id=consumption_id,
        finished_good_lot_id=_parent_id(session, kw, "finished_good_lot_id"),
        quantity=1,
        unit_cost=Decimal("3.0000"),
        cost=Decimal("3.0000"),
    )


def make_assembly_packaging_consumption(session: Session, **kw) -> AssemblyPackagingConsumption:
    assembly_run_id = _parent_id(session, kw, "assembly_run_id", make_assembly_run)
    product_id = _parent_id(session, kw, "product_id", make_packaging_product)
    return _add(
        session,
        AssemblyPackagingConsumption,
        kw,
        assembly_run_id=assembly_run_id,
        product_id=product_id,
        quantity_consumed=Decimal("1.000"),
        unit="bag",
        total_cost=Decimal("0.1500"),
    )


def make_assembly_packaging_consumption_lot(
    session: Session, **kw
) -> AssemblyPackagingConsumptionLot:
    """One bag drawn from a pantry lot of the consumption's product, recorded as that product."""
    consumption_id = _parent_id(session, kw, "consumption_id", make_assembly_packaging_consumption)
    if not _given(kw, "inventory_item_id"):
        consumption = session.get(AssemblyPackagingConsumption, consumption_id)
        kw["inventory_item"] = make_inventory_item(
            session,
            product_id=consumption.product_id,
            initial_quantity=Decimal("100.000"),
            quantity=Decimal("100.000"),
            unit_cost=Decimal("0.1500"),
        )
    inventory_item_id = _parent_id(session, kw, "inventory_item_id")
    if not _given(kw, "product_id"):
        kw["product_id"] = session.get(InventoryItem, inventory_item_id).product_id
    return _add(
        session,
        AssemblyPackagingConsumptionLot,
        kw,
        consumption_id=consumption_id,
        inventory_item_id=inventory_item_id,
        product_id=_parent_id(session, kw, "product_id"),
        quantity=Decimal("1.000"),
        unit="bag",
        unit_cost=Decimal("0.1500"),
        cost=Decimal("0.1500"),
    )


#: The factory of every table, by table name (the model tests check that none is missing).
FACTORIES: dict[str, Factory] = {
    "ingredients": make_ingredient,
    "unit_conversions": make_unit_conversion,
    "products": make_product,
    "purchases": make_purchase,
    "inventory_items": make_inventory_item,
    "stock_adjustments": make_stock_adjustment,
    "adjustment_draws": make_adjustment_draw,
    "recipes": make_recipe,
    "recipe_ingredients": make_recipe_ingredient,
    "recipe_components": make_recipe_component,
    "finished_units": make_finished_unit,
    "finished_goods": make_finished_good,
    "compositions": make_composition,
    "packages": make_package,
    "package_finished_goods": make_package_finished_good,
    "finished_unit_lots": make_finished_unit_lot,
    "finished_good_lots": make_finished_good_lot,
    "recipients": make_recipient,
    "events": make_event,
    "event_recipient_packages": make_assignment,
    "event_production_targets": make_production_target,
    "event_assembly_targets": make_assembly_target,
    "production_runs": make_production_run,
    "production_consumptions": make_production_consumption,
    "production_consumption_lots": make_production_consumption_lot,
    "assembly_runs": make_assembly_run,
    "assembly_finished_unit_consumptions": make_assembly_finished_unit_consumption,
    "assembly_finished_unit_consumption_lots": make_assembly_finished_unit_consumption_lot,
    "assembly_finished_good_consumptions": make_assembly_finished_good_consumption,
    "assembly_finished_good_consumption_lots": make_assembly_finished_good_consumption_lot,
    "assembly_packaging_consumptions": make_assembly_packaging_consumption,
    "assembly_packaging_consumption_lots": make_assembly_packaging_consumption_lot,
}
