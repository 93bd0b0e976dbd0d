"""A recipe with its sub-recipes: loading the tree, nesting rules, aggregation and costing.

Session-first helpers used by ``recipe_service`` and by the production use cases. The whole tree is
read in a fixed number of queries (a recursive query for the recipe ids, then recipes, lines with
their ingredients, custom units and components), so cost does not grow with the depth or the number
of lines.

Rounding (one documented place per figure): an aggregated need is rounded half-up to 3 places in
the ingredient's recipe unit; a line's estimated cost is rounded half-up to 4 places; every total
is the exact sum of its parts, so a parent's cost always equals its direct lines plus its
components.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from src.models import (
    Ingredient,
    InventoryItem,
    Product,
    Purchase,
    Recipe,
    RecipeComponent,
    RecipeIngredient,
)
from src.services import catalog_service
from src.services.dto import (
    AggregatedIngredient,
    ComponentCost,
    IngredientSource,
    RecipeCostBreakdown,
)
from src.services.errors import ValidationError
from src.services.fifo import round_money, round_quantity

MAX_RECIPE_NESTING_DEPTH = 3
ZERO = Decimal(0)


# --- loading --------------------------------------------------------------------------------------


def reachable_recipe_ids(session: Session, root_id: int | Iterable[int]) -> set[int]:
    """The recipe(s) and every recipe nested in them, in one recursive query."""
    roots = [root_id] if isinstance(root_id, int) else list(root_id)
    if not roots:
        return set()
    tree = select(Recipe.id.label("id")).where(Recipe.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union(
        select(RecipeComponent.component_recipe_id).join(
            tree, RecipeComponent.recipe_id == tree.c.id
        )
    )
    return set(session.scalars(select(tree.c.id)))


def load_recipes(session: Session, ids: Iterable[int]) -> dict[int, Recipe]:
    """Recipes with lines, ingredients, custom units and components loaded (4 queries)."""
    recipes = session.scalars(
        select(Recipe)
        .where(Recipe.id.in_(list(ids)))
        .options(
            selectinload(Recipe.ingredients)
            .joinedload(RecipeIngredient.ingredient)
            .selectinload(Ingredient.unit_conversions),
            selectinload(Recipe.components),
        )
    ).all()
    return {recipe.id: recipe for recipe in recipes}


def load_tree(session: Session, root_id: int) -> dict[int, Recipe]:
    return load_recipes(session, reachable_recipe_ids(session, root_id))


# --- nesting rules --------------------------------------------------------------------------------


def nesting_problem(session: Session, parent: Recipe, child: Recipe) -> str | None:
    """Why ``child`` cannot become a component of ``parent`` (a circle, or too deep), or None."""
    edges = session.execute(select(RecipeComponent.recipe_id, RecipeComponent.component_recipe_id))
    children: dict[int, set[int]] = {}
    parents: dict[int, set[int]] = {}
    for up, down in edges:
        children.setdefault(up, set()).add(down)
        parents.setdefault(down, set()).add(up)
    if parent.id == child.id:
        return f"'{parent.name}' cannot contain itself"
    if parent.id in _descendants(child.id, children):
        return (
            f"Adding '{child.name}' to '{parent.name}' would make a circle: "
            f"'{child.name}' already contains '{parent.name}'"
        )
    depth = _depth_from_top(parent.id, parents) + _height(child.id, children)
    if depth > MAX_RECIPE_NESTING_DEPTH:
        return (
            f"Adding '{child.name}' to '{parent.name}' would nest recipes {depth} levels deep; "
            f"at most {MAX_RECIPE_NESTING_DEPTH} levels are allowed"
        )
    return None


def _descendants(node: int, children: dict[int, set[int]]) -> set[int]:
    seen: set[int] = set()
    stack = [node]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _depth_from_top(node: int, parents: dict[int, set[int]], guard: int = 0) -> int:
    """1 for a top-level recipe, 2 for a recipe used directly inside one, and so on."""
    ups = parents.get(node, ())
    if not ups or guard > 10:
        return 1
    return 1 + max(_depth_from_top(up, parents, guard + 1) for up in ups)


def _height(node: int, children: dict[int, set[int]], guard: int = 0) -> int:
    """1 for a recipe without components, 2 if it has leaf components, and so on."""
    downs = children.get(node, ())
    if not downs or guard > 10:
        return 1
    return 1 + max(_height(down, children, guard + 1) for down in downs)


# --- aggregation ----------------------------------------------------------------------------------


@dataclass
class _Total:
    ingredient: Ingredient
    quantity: Decimal = ZERO
    sources: dict[str, Decimal] = field(default_factory=dict)


def aggregate(
    recipes: dict[int, Recipe], root_id: int, multiplier: Decimal = Decimal(1)
) -> list[AggregatedIngredient]:
    """Every ingredient of the recipe and its sub-recipes, scaled, in recipe units, merged."""
    totals: dict[int, _Total] = {}
    for recipe, line, factor in _walk_lines(recipes, root_id, multiplier):
        ingredient = line.ingredient
        quantity = _in_recipe_unit(ingredient, line.quantity * factor, line.unit)
        total = totals.setdefault(ingredient.id, _Total(ingredient))
        total.quantity += quantity
        total.sources[recipe.name] = total.sources.get(recipe.name, ZERO) + quantity
    return sorted(
        (
            AggregatedIngredient(
                ingredient_id=t.ingredient.id,
                ingredient_slug=t.ingredient.slug,
                ingredient_name=t.ingredient.display_name,
                total_quantity=round_quantity(t.quantity),
                unit=t.ingredient.recipe_unit,
                sources=[IngredientSource(n, round_quantity(q)) for n, q in t.sources.items()],
            )
            for t in totals.values()
        ),
        key=lambda line: (line.ingredient_name.lower(), line.ingredient_id),
    )


def _walk_lines(recipes: dict[int, Recipe], recipe_id: int, factor: Decimal, depth: int = 1):
    """(recipe, line, factor) for every ingredient line in the tree, depth first."""
    if depth > MAX_RECIPE_NESTING_DEPTH + 1:  # only reachable with corrupt data: refuse, never loop
        raise ValidationError(f"Recipe {recipe_id} is nested too deeply to aggregate")
    recipe = recipes[recipe_id]
    for line in recipe.ingredients:
        yield recipe, line, factor
    for component in recipe.components:
        yield from _walk_lines(
            recipes, component.component_recipe_id, factor * component.quantity, depth + 1
        )


def _in_recipe_unit(ingredient: Ingredient, quantity: Decimal, unit: str) -> Decimal:
    if unit == ingredient.recipe_unit:
        return quantity
    return catalog_service.convert_for(ingredient, quantity, unit, ingredient.recipe_unit)


# --- prices and costs -----------------------------------------------------------------------------


def recipe_unit_prices(
    session: Session, ingredients: Iterable[Ingredient]
) -> dict[int, Decimal | None]:
    """Estimated price of one recipe unit of each ingredient (None when nothing is known).

    Rule (contract.md): the preferred product's latest purchase unit cost, else the most recently
    purchased product's, else the newest lot's unit cost; converted from purchase to recipe unit.
    """
    by_id = {i.id: i for i in ingredients}
    if not by_id:
        return {}
    latest = _latest_purchase_per_product(session, list(by_id))
    newest_lots = _newest_lot_per_ingredient(session, list(by_id))
    prices: dict[int, Decimal | None] = {}
    for ingredient_id, ingredient in by_id.items():
        found = _choose_price(latest.get(ingredient_id, []), newest_lots.get(ingredient_id))
        prices[ingredient_id] = None if found is None else _per_recipe_unit(ingredient, *found)
    return prices


def _latest_purchase_per_product(session, ingredient_ids):
    """{ingredient id: [(preferred, purchase date, purchase id, unit cost, purchase unit)]}."""
    ranked = (
        select(
            Product.ingredient_id,
            Product.preferred,
            Product.purchase_unit,
            Purchase.purchase_date,
            Purchase.id.label("purchase_id"),
            Purchase.unit_cost,
            func.row_number()
            .over(
                partition_by=Purchase.product_id,
                order_by=(Purchase.purchase_date.desc(), Purchase.id.desc()),
            )
            .label("rank"),
        )
        .join(Purchase, Purchase.product_id == Product.id)
        .where(Product.ingredient_id.in_(ingredient_ids))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    found: dict[int, list[tuple]] = {}
    for row in rows:
        found.setdefault(row.ingredient_id, []).append(
            (row.preferred, row.purchase_date, row.purchase_id, row.unit_cost, row.purchase_unit)
        )
    return found


def _newest_lot_per_ingredient(session, ingredient_ids) -> dict[int, tuple[Decimal, str]]:
    ranked = (
        select(
            Product.ingredient_id,
            InventoryItem.unit_cost,
            Product.purchase_unit,
            func.row_number()
            .over(
                partition_by=Product.ingredient_id,
                order_by=(InventoryItem.purchase_date.desc(), InventoryItem.id.desc()),
            )
            .label("rank"),
        )
        .join(InventoryItem, InventoryItem.product_id == Product.id)
        .where(Product.ingredient_id.in_(ingredient_ids))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.ingredient_id: (row.unit_cost, row.purchase_unit) for row in rows}


def _choose_price(purchases: list[tuple], newest_lot: tuple | None) -> tuple[Decimal, str] | None:
    preferred = [p for p in purchases if p[0]]
    if preferred:
        return preferred[0][3], preferred[0][4]
    if purchases:
        newest = max(purchases, key=lambda p: (p[1], p[2]))
        return newest[3], newest[4]
    return newest_lot


def _per_recipe_unit(ingredient: Ingredient, unit_cost: Decimal, purchase_unit: str) -> Decimal:
    """Cost of one recipe unit = cost per purchase unit × purchase units in one recipe unit."""
    return unit_cost * _in_recipe_unit_factor(ingredient, purchase_unit)


def _in_recipe_unit_factor(ingredient: Ingredient, purchase_unit: str) -> Decimal:
    if purchase_unit == ingredient.recipe_unit:
        return Decimal(1)
    return catalog_service.convert_for(
        ingredient, Decimal(1), ingredient.recipe_unit, purchase_unit
    )


@dataclass(frozen=True)
class TreeCost:
    breakdown: RecipeCostBreakdown
    unpriced: list[str]  # slugs of lines with no price at all


def cost_tree(
    recipes: dict[int, Recipe],
    root_id: int,
    prices: dict[int, Decimal | None],
    multiplier: Decimal = Decimal(1),
) -> TreeCost:
    """Estimated cost of ``multiplier`` batches: direct lines plus each component, exactly."""
    recipe = recipes[root_id]
    unpriced: list[str] = []
    direct = ZERO
    for line in recipe.ingredients:
        price = prices.get(line.ingredient_id)
        if price is None:
            if line.quantity > 0:
                unpriced.append(line.ingredient.slug)
            continue
        quantity = _in_recipe_unit(line.ingredient, line.quantity * multiplier, line.unit)
        direct += round_money(quantity * price)
    components = []
    for component in recipe.components:
        child = cost_tree(
            recipes, component.component_recipe_id, prices, multiplier * component.quantity
        )
        unpriced.extend(child.unpriced)
        components.append(
            ComponentCost(
                component_recipe_id=component.component_recipe_id,
                component_recipe_name=recipes[component.component_recipe_id].name,
                quantity=component.quantity,
                total_cost=child.breakdown.total_cost,
            )
        )
    total = direct + sum((c.total_cost for c in components), ZERO)
    return TreeCost(
        RecipeCostBreakdown(
            recipe_id=recipe.id,
            recipe_name=recipe.name,
            direct_ingredient_cost=direct,
            component_costs=components,
            total_cost=total,
            cost_per_unit=round_money(total / (recipe.yield_quantity * multiplier)),
        ),
        sorted(set(unpriced)),
    )


def estimate_batch_costs(session: Session, recipe_ids: Iterable[int]) -> dict[int, Decimal]:
    """Estimated cost of one batch of each recipe, for many recipes at once (fixed query count)."""
    roots = set(recipe_ids)
    recipes = load_recipes(session, reachable_recipe_ids(session, roots))
    ingredients = {
        line.ingredient.id: line.ingredient for r in recipes.values() for line in r.ingredients
    }
    prices = recipe_unit_prices(session, ingredients.values())
    return {
        recipe_id: cost_tree(recipes, recipe_id, prices).breakdown.total_cost
        for recipe_id in roots
        if recipe_id in recipes
    }
