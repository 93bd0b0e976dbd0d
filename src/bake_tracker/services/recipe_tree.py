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

from sqlalchemy import select
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import ZERO, round_money, round_quantity
from bake_tracker.models import (
    Ingredient,
    InventoryItem,
    Product,
    Purchase,
    Recipe,
    RecipeComponent,
    RecipeIngredient,
    UnitConversion,
)
from bake_tracker.services import catalog_service
from bake_tracker.services.dto import (
    AggregatedIngredient,
    ComponentCost,
    IngredientSource,
    RecipeCostBreakdown,
)
from bake_tracker.services.errors import ValidationError

MAX_RECIPE_NESTING_DEPTH = 3


# --- loading --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TreeConversion:
    """A custom unit of an ingredient, read for conversions: ``from_quantity from_unit =
    to_quantity to_unit`` (the fields ``catalog_service.custom_units_of`` reads)."""

    from_unit: str
    from_quantity: Decimal
    to_unit: str
    to_quantity: Decimal


@dataclass(eq=False, slots=True)
class TreeIngredient:
    """What aggregation, costing, FIFO planning and conversions read from an ingredient; the same
    attribute names as the ``Ingredient`` model, so both serve the same helpers."""

    id: int
    slug: str
    display_name: str
    recipe_unit: str
    is_packaging: bool
    density_volume_value: Decimal | None
    density_volume_unit: str | None
    density_weight_value: Decimal | None
    density_weight_unit: str | None
    unit_conversions: list[TreeConversion] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TreeLine:
    """One ingredient line of a recipe, for one batch."""

    id: int
    ingredient_id: int
    ingredient: TreeIngredient
    quantity: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class TreeComponent:
    """``quantity`` batches of ``component_recipe_id`` go into one batch of the recipe."""

    component_recipe_id: int
    quantity: Decimal


@dataclass(eq=False, slots=True)
class TreeRecipe:
    """A recipe as read for aggregation and costing: lines and components in their sort order."""

    id: int
    name: str
    slug: str
    yield_quantity: Decimal
    yield_unit: str
    ingredients: list[TreeLine] = field(default_factory=list)
    components: list[TreeComponent] = field(default_factory=list)


_RECIPES = Recipe.__table__
_COMPONENTS = RecipeComponent.__table__
_LINES = RecipeIngredient.__table__
_INGREDIENTS = Ingredient.__table__
_CONVERSIONS = UnitConversion.__table__


def _tree_cte(roots: list[int]):
    recipes, components = _RECIPES.c, _COMPONENTS.c
    tree = select(recipes.id).where(recipes.id.in_(roots)).cte("tree", recursive=True)
    return tree.union(
        select(components.component_recipe_id).where(components.recipe_id == tree.c.id)
    )


def _roots(root_id: int | Iterable[int]) -> list[int]:
    return [root_id] if isinstance(root_id, int) else list(root_id)


def reachable_recipe_ids(session: Session, root_id: int | Iterable[int]) -> set[int]:
    """The recipe(s) and every recipe nested in them, in one recursive query."""
    roots = _roots(root_id)
    if not roots:
        return set()
    tree = _tree_cte(roots)
    return set(session.scalars(select(tree.c.id)))


def load_recipes(session: Session, ids: Iterable[int]) -> dict[int, TreeRecipe]:
    """Recipes with lines, ingredients, custom units and components, as plain tuples read with
    Core (3 queries whatever the number of recipes); recipes that do not exist are left out."""
    return _read_recipes(session, _RECIPES.c.id.in_(list(ids)))


def load_tree(session: Session, root_id: int | Iterable[int]) -> dict[int, TreeRecipe]:
    """The recipe(s) and every recipe nested in them (3 queries, each finding the tree with the
    same recursive subquery); an unknown root is simply absent from the result."""
    roots = _roots(root_id)
    if not roots:
        return {}
    return _read_recipes(session, _RECIPES.c.id.in_(select(_tree_cte(roots).c.id)))


def _read_recipes(session: Session, which) -> dict[int, TreeRecipe]:
    """Core reads on the session's connection: no ORM objects, no identity map."""
    if session.autoflush:
        session.flush()  # as session.execute would: pending changes must be seen
    execute = session.connection().execute
    recipe, component = _RECIPES.c, _COMPONENTS.c
    recipes: dict[int, TreeRecipe] = {}
    rows = execute(
        select(
            recipe.id,
            recipe.name,
            recipe.slug,
            recipe.yield_quantity,
            recipe.yield_unit,
            component.component_recipe_id,
            component.quantity,
        )
        .select_from(_RECIPES.outerjoin(_COMPONENTS, component.recipe_id == recipe.id))
        .where(which)
        .order_by(recipe.id, component.sort_order, component.id)
    )
    for recipe_id, name, slug, yield_quantity, yield_unit, child_id, child_quantity in rows:
        found = recipes.get(recipe_id)
        if found is None:
            found = recipes[recipe_id] = TreeRecipe(
                recipe_id, name, slug, yield_quantity, yield_unit
            )
        if child_id is not None:
            found.components.append(TreeComponent(child_id, child_quantity))
    if not recipes:
        return recipes
    line, ingredient = _LINES.c, _INGREDIENTS.c
    recipe_ids = select(recipe.id).where(which)
    ingredients: dict[int, TreeIngredient] = {}
    rows = execute(
        select(
            line.recipe_id,
            line.id,
            line.quantity,
            line.unit,
            ingredient.id,
            ingredient.slug,
            ingredient.display_name,
            ingredient.recipe_unit,
            ingredient.is_packaging,
            ingredient.density_volume_value,
            ingredient.density_volume_unit,
            ingredient.density_weight_value,
            ingredient.density_weight_unit,
        )
        .select_from(_LINES.join(_INGREDIENTS, ingredient.id == line.ingredient_id))
        .where(line.recipe_id.in_(recipe_ids))
        .order_by(line.recipe_id, line.sort_order, line.id)
    )
    for recipe_id, line_id, quantity, unit, ingredient_id, *about in rows:
        known = ingredients.get(ingredient_id)
        if known is None:
            known = ingredients[ingredient_id] = TreeIngredient(ingredient_id, *about)
        recipes[recipe_id].ingredients.append(
            TreeLine(line_id, ingredient_id, known, quantity, unit)
        )
    if ingredients:
        conversion = _CONVERSIONS.c
        rows = execute(
            select(
                conversion.ingredient_id,
                conversion.from_unit,
                conversion.from_quantity,
                conversion.to_unit,
                conversion.to_quantity,
            )
            .where(
                conversion.ingredient_id.in_(
                    select(line.ingredient_id).where(line.recipe_id.in_(recipe_ids))
                )
            )
            .order_by(conversion.ingredient_id, conversion.id)
        )
        for ingredient_id, *custom in rows:
            ingredients[ingredient_id].unit_conversions.append(TreeConversion(*custom))
    return recipes


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
    depth = _levels(parent.id, parents) + _levels(child.id, children)
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


def _levels(node: int, edges: dict[int, set[int]], guard: int = 0) -> int:
    """The number of recipes on the longest path from ``node`` along ``edges``, ``node``
    included (at most 12 deep). Along parents: 1 for a top-level recipe, 2 for a recipe used
    directly inside one, and so on; along children: 1 for a recipe without components, 2 if it
    has leaf components, and so on."""
    nexts = edges.get(node, ())
    if not nexts or guard > 10:
        return 1
    return 1 + max(_levels(next_node, edges, guard + 1) for next_node in nexts)


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
    Two index lookups per product (purchases and lots by product, date, id), never a scan of the
    history: the lots are read only for ingredients that have no purchase at all.
    """
    by_id = {i.id: i for i in ingredients}
    if not by_id:
        return {}
    latest = _latest_purchase_per_product(session, list(by_id))
    without_purchase = [ingredient_id for ingredient_id in by_id if ingredient_id not in latest]
    newest_lots = _newest_lot_per_ingredient(session, without_purchase)
    prices: dict[int, Decimal | None] = {}
    for ingredient_id, ingredient in by_id.items():
        found = _choose_price(latest.get(ingredient_id, []), newest_lots.get(ingredient_id))
        prices[ingredient_id] = None if found is None else _per_recipe_unit(ingredient, *found)
    return prices


def _latest_purchase_per_product(session, ingredient_ids):
    """{ingredient id: [(preferred, purchase date, purchase id, unit cost, purchase unit)]}.

    One row per product that has a purchase: its latest (by date, then id), found through the
    index on purchases (product_id, purchase_date, id).
    """
    if not ingredient_ids:
        return {}
    latest_id = _newest_of_product(Purchase, "later")
    rows = session.execute(
        select(
            Product.ingredient_id,
            Product.preferred,
            Product.purchase_unit,
            Purchase.purchase_date,
            Purchase.id,
            Purchase.unit_cost,
        )
        .join(Purchase, Purchase.id == latest_id)
        .where(Product.ingredient_id.in_(ingredient_ids))
    )
    found: dict[int, list[tuple]] = {}
    for ingredient_id, preferred, purchase_unit, purchase_date, purchase_id, unit_cost in rows:
        found.setdefault(ingredient_id, []).append(
            (preferred, purchase_date, purchase_id, unit_cost, purchase_unit)
        )
    return found


def _newest_of_product(model, alias: str):
    """The id of the product's newest row of ``model`` (purchases or lots: by purchase date, then
    id), as a scalar subquery correlated to ``Product``, over the table aliased as ``alias``."""
    rows = model.__table__.alias(alias)
    return (
        select(rows.c.id)
        .where(rows.c.product_id == Product.id)
        .order_by(rows.c.purchase_date.desc(), rows.c.id.desc())
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def _newest_lot_per_ingredient(session, ingredient_ids) -> dict[int, tuple[Decimal, str]]:
    """{ingredient id: (unit cost, purchase unit)} of its newest lot (by date, then id)."""
    if not ingredient_ids:
        return {}
    newest_id = _newest_of_product(InventoryItem, "newer")
    rows = session.execute(
        select(
            Product.ingredient_id,
            InventoryItem.purchase_date,
            InventoryItem.id,
            InventoryItem.unit_cost,
            Product.purchase_unit,
        )
        .join(InventoryItem, InventoryItem.id == newest_id)
        .where(Product.ingredient_id.in_(ingredient_ids))
    )
    newest: dict[int, tuple] = {}
    for ingredient_id, lot_date, lot_id, unit_cost, purchase_unit in rows:
        if ingredient_id not in newest or (lot_date, lot_id) > newest[ingredient_id][:2]:
            newest[ingredient_id] = (lot_date, lot_id, unit_cost, purchase_unit)
    return {ingredient_id: lot[2:] for ingredient_id, lot in newest.items()}


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
        direct += _line_cost(line, multiplier, price)
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


def _line_cost(line, multiplier: Decimal, price: Decimal) -> Decimal:
    """The cost of an ingredient line for ``multiplier`` batches at ``price`` per recipe unit,
    rounded to money."""
    quantity = _in_recipe_unit(line.ingredient, line.quantity * multiplier, line.unit)
    return round_money(quantity * price)


def estimate_batch_costs(session: Session, recipe_ids: Iterable[int]) -> dict[int, Decimal]:
    """Estimated cost of one batch of each recipe, for many recipes at once (fixed query count)."""
    roots = set(recipe_ids)
    recipes = load_recipes(session, reachable_recipe_ids(session, roots))
    ingredients = {
        line.ingredient.id: line.ingredient for r in recipes.values() for line in r.ingredients
    }
    prices = recipe_unit_prices(session, ingredients.values())
    totals: dict[tuple[int, Decimal], Decimal] = {}
    return {
        recipe_id: _batch_total(recipes, recipe_id, prices, Decimal(1), totals)
        for recipe_id in roots
        if recipe_id in recipes
    }


def _batch_total(recipes, recipe_id, prices, multiplier, totals) -> Decimal:
    """``cost_tree(...).breakdown.total_cost`` with the same arithmetic, without the breakdown.

    A sub-recipe shared by several roots is costed once per multiplier (``totals`` remembers).
    """
    key = (recipe_id, multiplier)
    total = totals.get(key)
    if total is not None:
        return total
    recipe = recipes[recipe_id]
    direct = ZERO
    for line in recipe.ingredients:
        price = prices.get(line.ingredient_id)
        if price is not None:
            direct += _line_cost(line, multiplier, price)
    components = ZERO
    for component in recipe.components:
        components += _batch_total(
            recipes,
            component.component_recipe_id,
            prices,
            multiplier * component.quantity,
            totals,
        )
    totals[key] = total = direct + components
    return total
