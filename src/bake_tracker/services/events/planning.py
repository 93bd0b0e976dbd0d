"""Working backwards from an event's gift list: recipe needs, target suggestions, shopping list.

Needs expand every assignment's packages into finished goods, nested finished goods and finally
finished units (quantities multiply along the way), then into batches per recipe: items per batch
for discrete units, the batch percentage for portions, rounded up only once per recipe. The
shopping list is the net shortfall against the pantry of what the event still has to make: the
ingredients of the batches not yet produced for each production target, and the packaging of the
finished goods not yet assembled for each assembly target (plus package-level packaging of packages
not yet ready).
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bake_tracker.core.numbers import ZERO, round_money, round_quantity
from bake_tracker.models import (
    EventProductionTarget,
    EventRecipientPackage,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    Package,
    PackageFinishedGood,
    Product,
)
from bake_tracker.services import (
    catalog_service,
    inventory_service,
    pantry_lots,
    recipe_tree,
)
from bake_tracker.services.dto import (
    FulfillmentStatus,
    RecipeNeed,
    ShoppingItem,
    ShoppingList,
    TargetSuggestion,
    YieldMode,
)
from bake_tracker.services.events import progress as event_progress
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import use_session
from bake_tracker.services.transfer import csv_files

MAX_DEPTH = 6

# --- recipe needs ---------------------------------------------------------------------------------


def _units_needed(session: Session, event_id: int) -> dict[int, Decimal]:
    """Finished units needed by every assignment of the event, by finished unit id."""
    assignments = session.scalars(
        select(EventRecipientPackage)
        .where(EventRecipientPackage.event_id == event_id)
        .options(
            selectinload(EventRecipientPackage.package)
            .selectinload(Package.items)
            .selectinload(PackageFinishedGood.finished_good)
            .selectinload(FinishedGood.components)
        )
    ).all()
    _load_nested_goods(
        session, [item.finished_good for a in assignments for item in a.package.items]
    )
    units: dict[int, Decimal] = defaultdict(Decimal)
    for assignment in assignments:
        for item in assignment.package.items:
            _expand(item.finished_good, Decimal(item.quantity * assignment.quantity), units)
    return units


def _load_nested_goods(session: Session, goods: list[FinishedGood]) -> None:
    """Read the goods nested in ``goods`` with their components, one statement per level, so
    that ``_expand`` finds them in the session instead of loading each one by itself."""
    seen = {good.id for good in goods}
    for _level in range(MAX_DEPTH + 1):
        wanted = {
            row.finished_good_id
            for good in goods
            for row in good.components
            if row.finished_good_id is not None and row.finished_good_id not in seen
        }
        if not wanted:
            return
        seen |= wanted
        goods = session.scalars(
            select(FinishedGood)
            .where(FinishedGood.id.in_(wanted))
            .options(selectinload(FinishedGood.components))
        ).all()


def _expand(good: FinishedGood, count: Decimal, units: dict[int, Decimal], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    for row in good.components:
        if row.finished_unit_id is not None:
            units[row.finished_unit_id] += row.component_quantity * count
        elif row.finished_good is not None:
            _expand(row.finished_good, row.component_quantity * count, units, depth + 1)


def _units_with_recipes(needed: dict[int, Decimal]):
    return (
        select(FinishedUnit)
        .where(FinishedUnit.id.in_(list(needed)))
        .options(selectinload(FinishedUnit.recipe))
    )


def _batches_of(unit: FinishedUnit, units: Decimal) -> Decimal:
    """Fractional batches of the unit's recipe that make ``units`` units."""
    if unit.yield_mode == YieldMode.BATCH_PORTION:
        return units * unit.batch_percentage / 100
    return units / Decimal(unit.items_per_batch or 1)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_CEILING))


def get_recipe_needs(event_id: int, *, session: Session | None = None) -> list[RecipeNeed]:
    """Finished units and batches the event's assignments need, per finished unit."""
    with use_session(session) as s:
        load_event(s, event_id)
        needed = _units_needed(s, event_id)
        finished = {u.id: u for u in s.scalars(_units_with_recipes(needed))}
        needs = [
            RecipeNeed(
                recipe_id=unit.recipe_id,
                recipe_name=unit.recipe.name,
                finished_unit_id=unit.id,
                total_units_needed=_ceil(needed[unit.id]),
                batches_needed=_ceil(_batches_of(unit, needed[unit.id])),
                finished_unit_name=unit.display_name,
            )
            for unit in finished.values()
        ]
        return sorted(needs, key=lambda n: (n.recipe_name.lower(), n.finished_unit_name.lower()))


def suggest_production_targets(
    event_id: int, *, session: Session | None = None
) -> list[TargetSuggestion]:
    """Batches per recipe the gift list needs (rounded up once per recipe) and current targets."""
    with use_session(session) as s:
        load_event(s, event_id)
        needed = _units_needed(s, event_id)
        per_recipe: dict[int, Decimal] = defaultdict(Decimal)
        names: dict[int, str] = {}
        for unit in s.scalars(_units_with_recipes(needed)):
            per_recipe[unit.recipe_id] += _batches_of(unit, needed[unit.id])
            names[unit.recipe_id] = unit.recipe.name
        targets = s.execute(
            select(EventProductionTarget.recipe_id, EventProductionTarget.target_batches).where(
                EventProductionTarget.event_id == event_id
            )
        )
        current = {row.recipe_id: row.target_batches for row in targets}
        return sorted(
            (
                TargetSuggestion(
                    recipe_id, names[recipe_id], _ceil(batches), current.get(recipe_id)
                )
                for recipe_id, batches in per_recipe.items()
            ),
            key=lambda t: t.recipe_name.lower(),
        )


# --- shopping list --------------------------------------------------------------------------------


def get_shopping_list(event_id: int, *, session: Session | None = None) -> ShoppingList:
    """What to buy for what the event still has to make, net of the pantry, with a product each."""
    with use_session(session) as s:
        load_event(s, event_id)
        ingredient_needs = _ingredient_needs(s, event_id)
        packaging_needs = _packaging_needs(s, event_id)
        items = _shopping_items(s, ingredient_needs)
        packaging = _shopping_items(s, packaging_needs)
        total = sum(
            (i.estimated_cost for i in (*items, *packaging) if i.estimated_cost is not None), ZERO
        )
        return ShoppingList(items=items, packaging=packaging, total_estimated_cost=total)


def _ingredient_needs(session: Session, event_id: int) -> dict[int, Decimal]:
    """The ingredients of the batches each production target still lacks; the recipe trees of
    all targets are read at once (3 queries, not 3 per target)."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    remaining = {
        target.recipe_id: target.target_batches - target.produced_batches
        for target in event_progress.get_production_progress(event_id, session=session)
        if target.target_batches > target.produced_batches
    }
    recipes = recipe_tree.load_tree(session, list(remaining)) if remaining else {}
    for recipe_id, batches in remaining.items():
        for line in recipe_tree.aggregate(recipes, recipe_id, Decimal(batches)):
            needs[line.ingredient_id] += line.total_quantity
    return needs


def _packaging_needs(session: Session, event_id: int) -> dict[int, Decimal]:
    """The packaging of the goods each assembly target still lacks, and the package-level
    packaging of the assignments still pending."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    for target in event_progress.get_assembly_progress(event_id, session=session):
        remaining = max(target.target_quantity - target.assembled_quantity, 0)
        if remaining:
            good = session.get(FinishedGood, target.finished_good_id)
            _packaging_of(good, Decimal(remaining), needs)
    pending = session.scalars(
        select(EventRecipientPackage).where(
            EventRecipientPackage.event_id == event_id,
            EventRecipientPackage.fulfillment_status == FulfillmentStatus.PENDING.value,
        )
    ).all()
    for assignment in pending:
        for row in assignment.package.packaging:
            needs[row.packaging_product.ingredient_id] += (
                row.component_quantity * assignment.quantity
            )
    return needs


def _packaging_of(
    good: FinishedGood, count: Decimal, needs: dict[int, Decimal], depth: int = 0
) -> None:
    if depth > MAX_DEPTH:
        return
    for row in good.components:
        if row.packaging_product is not None:
            needs[row.packaging_product.ingredient_id] += row.component_quantity * count
        elif row.finished_good is not None:
            _packaging_of(row.finished_good, row.component_quantity * count, needs, depth + 1)


def _shopping_items(session: Session, needs: dict[int, Decimal]) -> list[ShoppingItem]:
    if not needs:
        return []
    ingredients = session.scalars(
        select(Ingredient)
        .where(Ingredient.id.in_(list(needs)))
        .options(selectinload(Ingredient.products), selectinload(Ingredient.unit_conversions))
    ).all()
    # on hand from the products' stored stock totals (one row per product, not every open lot)
    held = pantry_lots.open_totals(session, list(needs))
    prices = catalog_service.latest_unit_costs(
        session, [p.id for i in ingredients for p in i.products]
    )
    items = [
        _shopping_item(i, round_quantity(needs[i.id]), held.get(i.id, []), prices)
        for i in ingredients
    ]
    return sorted(items, key=lambda item: item.ingredient_name.lower())


def _shopping_item(
    ingredient: Ingredient, needed: Decimal, held: list[tuple[str, Decimal]], prices
) -> ShoppingItem:
    convert = inventory_service.UnitConverter(ingredient)
    on_hand = pantry_lots.on_hand(held, ingredient.recipe_unit, convert)
    shortfall = max(needed - on_hand, ZERO)
    status, product = _recommend(ingredient, prices)
    packages, cost = 0, None
    if shortfall > 0 and product is not None:
        in_purchase_units = catalog_service.convert_for(
            ingredient, shortfall, ingredient.recipe_unit, product.purchase_unit
        )
        packages = max(1, math.ceil(in_purchase_units / product.purchase_quantity))
        price = prices.get(product.id)
        if price is not None:
            cost = round_money(packages * product.purchase_quantity * price)
    return ShoppingItem(
        ingredient_slug=ingredient.slug,
        ingredient_name=ingredient.display_name,
        unit=ingredient.recipe_unit,
        quantity_needed=needed,
        quantity_on_hand=on_hand,
        shortfall=shortfall,
        product_status="sufficient" if shortfall == 0 else status,
        product_id=None if product is None else product.id,
        packages_to_buy=packages,
        estimated_cost=cost,
        product_name=None
        if product is None
        else catalog_service.product_display_name(product, ingredient),
    )


def _recommend(ingredient: Ingredient, prices: dict[int, Decimal]) -> tuple[str, Product | None]:
    """ "preferred" (its preferred product), "multiple" (the cheapest priced), or "none"."""
    products = list(ingredient.products)
    if not products:
        return "none", None
    preferred = next((p for p in products if p.preferred), None)
    if preferred is not None:
        return "preferred", preferred
    priced = [p for p in products if prices.get(p.id) is not None]
    return "multiple", min(priced, key=lambda p: prices[p.id]) if priced else products[0]


def export_shopping_list_csv(
    event_id: int, path: str | Path, *, session: Session | None = None
) -> Path:
    """The shopping list as CSV (formula-like cells neutralised)."""
    shopping = get_shopping_list(event_id, session=session)
    header = [
        "Section",
        "Ingredient",
        "Needed",
        "On hand",
        "To buy",
        "Unit",
        "Product",
        "Packages",
        "Estimated cost",
    ]
    rows = [
        [
            section,
            i.ingredient_name,
            i.quantity_needed,
            i.quantity_on_hand,
            i.shortfall,
            i.unit,
            i.product_name or "",
            i.packages_to_buy or "",
            ""
            if i.estimated_cost is None
            else i.estimated_cost.quantize(Decimal("0.01"), ROUND_HALF_UP),
        ]
        for section, group in (("Ingredients", shopping.items), ("Packaging", shopping.packaging))
        for i in group
    ]
    rows.append(
        [
            "Total",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            shopping.total_estimated_cost.quantize(Decimal("0.01"), ROUND_HALF_UP),
        ]
    )
    return csv_files.write_csv(path, header, rows)
