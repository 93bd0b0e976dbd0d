"""A recipe with its sub-recipes, read from the database, and the figures ``core.recipes`` makes
of it.

Session-first helpers used by ``recipe_service`` and by the production use cases. The whole tree is
read in a fixed number of queries (a recursive query for the recipe ids, then recipes, lines with
their ingredients, custom units and components), so cost does not grow with the depth or the number
of lines. The rules themselves (nesting, aggregation, prices, costs and their rounding) are in
``core.recipes``; this module reads what they need and turns their results into DTOs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Row, bindparam, select, true
from sqlalchemy.orm import Session

from bake_tracker.core import recipes as rules
from bake_tracker.core.recipes import (
    MAX_RECIPE_NESTING_DEPTH,
    TreeComponent,
    TreeConversion,
    TreeIngredient,
    TreeLine,
    TreeRecipe,
)
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
from bake_tracker.services import catalog_service, dto
from bake_tracker.services.transactions import core_execute

if TYPE_CHECKING:
    from bake_tracker.services.dto import (
        AggregatedIngredient,
        RecipeCostBreakdown,
    )

__all__ = [
    "MAX_RECIPE_NESTING_DEPTH",
    "TreeComponent",
    "TreeConversion",
    "TreeCost",
    "TreeIngredient",
    "TreeLine",
    "TreeRecipe",
    "aggregate",
    "cost_tree",
    "load_ingredients",
    "load_recipes",
    "load_tree",
    "nesting_problem",
    "reachable_recipe_ids",
    "recipe_unit_prices",
]


# --- loading --------------------------------------------------------------------------------------


_RECIPES = Recipe.__table__
_COMPONENTS = RecipeComponent.__table__
_LINES = RecipeIngredient.__table__
_INGREDIENTS = Ingredient.__table__
_CONVERSIONS = UnitConversion.__table__


def _tree_cte():
    """Recipe ids reachable from the ``:roots`` (expanding bound parameter), roots included."""
    recipes, components = _RECIPES.c, _COMPONENTS.c
    roots = bindparam("roots", expanding=True)
    tree = select(recipes.id).where(recipes.id.in_(roots)).cte("tree", recursive=True)
    return tree.union(
        select(components.component_recipe_id).where(components.recipe_id == tree.c.id)
    )


def _roots(root_id: int | Iterable[int]) -> list[int]:
    return [root_id] if isinstance(root_id, int) else list(root_id)


_TREE_IDS = select(_tree_cte().c.id)


def reachable_recipe_ids(session: Session, root_id: int | Iterable[int]) -> set[int]:
    """The recipe(s) and every recipe nested in them, in one recursive query."""
    roots = _roots(root_id)
    if not roots:
        return set()
    return set(core_execute(session, _TREE_IDS, {"roots": roots}).scalars())


def load_recipes(session: Session, ids: Iterable[int]) -> dict[int, TreeRecipe]:
    """Recipes with lines, ingredients, custom units and components, as plain tuples read with
    Core (3 queries whatever the number of recipes); recipes that do not exist are left out."""
    return _read_recipes(session, _BY_ID, list(ids))


def load_tree(session: Session, root_id: int | Iterable[int]) -> dict[int, TreeRecipe]:
    """The recipe(s) and every recipe nested in them (3 queries: the recipes found by a recursive
    subquery, then their lines and ingredients by id; 2 for one root, whose few lines are read
    with their ingredients: ``_read_one_tree``); an unknown root is simply absent."""
    if isinstance(root_id, int):
        return _read_one_tree(session, root_id)
    roots = _roots(root_id)
    if not roots:
        return {}
    return _read_recipes(session, _IN_TREE, roots)


def _read_recipes(
    session: Session, statements: _Statements, ids: list[int]
) -> dict[int, TreeRecipe]:
    """Core reads on the session's connection: no ORM objects, no identity map. The statements
    are built once (module level), so each call reuses their compiled form without rebuilding
    them or their cache keys."""
    if session.autoflush:
        session.flush()  # as session.execute would: pending changes must be seen
    execute = session.connection().execute
    key = statements.key
    recipes = _recipes_of(execute(statements.recipes, {key: ids}))
    if recipes:  # their lines by the ids just read (a tree is not walked a second time)
        lines = execute(_LINES_BY_ID, {"ids": list(recipes)}).all()
        if lines:  # their ingredients by primary key, each once, with their custom units
            used = sorted({line[4] for line in lines})
            ingredients = _ingredients_of(execute(_INGREDIENTS_BY_ID, {"ids": used}))
            _add_lines(lines, recipes, ingredients)
    return recipes


def _read_one_tree(session: Session, root_id: int) -> dict[int, TreeRecipe]:
    """One recipe's tree in 2 reads: its recipes (recursive), then their lines each with its
    ingredient and that ingredient's custom units (``_LINES_WITH_INGREDIENTS``). One tree has a
    few dozen lines at most, so repeating an ingredient's columns on each of its lines costs less
    than a third statement (production and check_can_produce: ~0.1 ms CPU less a call); many
    trees at once (``_read_recipes``) keep lines and ingredients apart."""
    if session.autoflush:
        session.flush()  # as session.execute would: pending changes must be seen
    connection = session.connection()
    by_key = connection.dialect.name == "postgresql"
    recipes = _recipes_of(connection.execute(_ONE_TREE[by_key], {"roots": [root_id]}))
    if recipes:
        lines = connection.execute(_LINES_WITH_INGREDIENTS_BY[by_key], {"ids": list(recipes)})
        _add_lines_with_ingredients(lines, recipes)
    return recipes


@dataclass(frozen=True, slots=True)
class _Statements:
    """The reads of a set of recipes, selected by ``which`` with the bound list ``key``: recipes
    with their components; their lines are then read by the ids of the recipes found
    (``_LINES_BY_ID``: the recursive query runs once), and the ingredients the lines use by id
    (``_INGREDIENTS_BY_ID``, with their custom units). Lines and ingredients are read apart:
    each of a season's ~2,000 lines would otherwise carry its ingredient's nine columns again
    (twice the rows' cost on the dashboard), and reading the ingredients by the ids the lines
    hold spares reading the lines' table twice (1.5 ms of SQLite on the dashboard)."""

    key: str
    recipes: object


_INGREDIENT_COLUMNS = (
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
# A line's columns as every lines read returns them first, and their order
_LINE_COLUMNS = tuple(
    _LINES.c[name] for name in ("recipe_id", "id", "quantity", "unit", "ingredient_id")
)
_LINES_ORDER = (_LINES.c.recipe_id, _LINES.c.sort_order, _LINES.c.id)
_CUSTOM_UNIT_COLUMNS = (
    _CONVERSIONS.c.from_unit,
    _CONVERSIONS.c.from_quantity,
    _CONVERSIONS.c.to_unit,
    _CONVERSIONS.c.to_quantity,
)


def _statements(key: str, which) -> _Statements:
    recipe, component = _RECIPES.c, _COMPONENTS.c
    recipes = (
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
    return _Statements(key, recipes)


def _lines_statement():
    """Ingredient lines of the recipes ``:ids``, by recipe then sort order."""
    line = _LINES.c
    return (
        select(*_LINE_COLUMNS)
        .where(line.recipe_id.in_(bindparam("ids", expanding=True)))
        .order_by(*_LINES_ORDER)
    )


def _ingredients_statement(ids):
    """Ingredients whose id is in ``ids``, each with its custom units (one row per custom unit,
    one with NULLs when it has none), by ingredient then custom unit id."""
    ingredient, conversion = _INGREDIENTS.c, _CONVERSIONS.c
    return (
        select(*_INGREDIENT_COLUMNS, *_CUSTOM_UNIT_COLUMNS)
        .select_from(
            _INGREDIENTS.outerjoin(_CONVERSIONS, conversion.ingredient_id == ingredient.id)
        )
        .where(ingredient.id.in_(ids))
        .order_by(ingredient.id, conversion.id)
    )


def _lines_with_ingredients_statement():
    """``_lines_statement``'s lines, each with its ingredient's columns and custom units (one
    row per custom unit, one with NULLs when it has none), in the lines' order, custom units by
    id: the rows of ``_lines_statement`` then ``_ingredients_statement``, side by side."""
    line, ingredient, conversion = _LINES.c, _INGREDIENTS.c, _CONVERSIONS.c
    return (
        select(*_LINE_COLUMNS, *_INGREDIENT_COLUMNS, *_CUSTOM_UNIT_COLUMNS)
        .select_from(
            _LINES.join(_INGREDIENTS, ingredient.id == line.ingredient_id).outerjoin(
                _CONVERSIONS, conversion.ingredient_id == ingredient.id
            )
        )
        .where(line.recipe_id.in_(bindparam("ids", expanding=True)))
        .order_by(*_LINES_ORDER, conversion.id)
    )


_BY_ID = _statements("ids", _RECIPES.c.id.in_(bindparam("ids", expanding=True)))
_IN_TREE = _statements("roots", _RECIPES.c.id.in_(_TREE_IDS))
_INGREDIENTS_BY_ID = _ingredients_statement(bindparam("ids", expanding=True))
_LINES_BY_ID = _lines_statement()
_LINES_WITH_INGREDIENTS = _lines_with_ingredients_statement()


# --- PostgreSQL: one tree read by keys ------------------------------------------------------------
# The same rows in the same order, each row found by its key in a lateral subquery PostgreSQL
# cannot fold back into a join (``OFFSET 0``). As joins, the planner costs a scan of a small
# table below a few index probes: it hashed all ~1,000 ingredients for the ~15 lines of a tree
# (0.25 of the lines' 0.31 ms) and all 500 recipes and 245 components for the 3 recipes of one
# (the recursive read's 0.17 ms; its estimate of the tree is ~120 rows). By key: 0.06 and 0.11
# ms (EXPLAIN ANALYZE, prepared, ``big``). SQLite keeps the joins (it probes by key already).


def _one_tree_by_key():
    """``_IN_TREE.recipes`` for PostgreSQL: the recipes of the tree from ``:roots``, each with its
    components, by recipe id then component order."""
    recipe, component = _RECIPES.c, _COMPONENTS.c
    roots = bindparam("roots", expanding=True)
    tree = select(recipe.id).where(recipe.id.in_(roots)).cte("tree", recursive=True)
    children = (
        select(component.component_recipe_id)
        .where(component.recipe_id == tree.c.id)
        .offset(0)
        .lateral("children")
    )
    tree = tree.union(
        select(children.c.component_recipe_id).select_from(tree.join(children, true()))
    )
    found = (
        select(recipe.id, recipe.name, recipe.slug, recipe.yield_quantity, recipe.yield_unit)
        .where(recipe.id == tree.c.id)
        .offset(0)
        .lateral("found")
    )
    parts = (
        select(
            component.component_recipe_id, component.quantity, component.sort_order, component.id
        )
        .where(component.recipe_id == found.c.id)
        .offset(0)
        .lateral("parts")
    )
    return (
        select(
            found.c.id,
            found.c.name,
            found.c.slug,
            found.c.yield_quantity,
            found.c.yield_unit,
            parts.c.component_recipe_id,
            parts.c.quantity,
        )
        .select_from(tree.join(found, true()).outerjoin(parts, true()))
        .order_by(found.c.id, parts.c.sort_order, parts.c.id)
    )


def _lines_with_ingredients_by_key():
    """``_LINES_WITH_INGREDIENTS`` for PostgreSQL: each line's ingredient read by its key; the
    custom units joined on the line's ingredient id (the same rows: as a join on the lateral
    ingredient's id, they were hashed once per line)."""
    line, conversion = _LINES.c, _CONVERSIONS.c
    ingredient = (
        select(*_INGREDIENT_COLUMNS)
        .where(_INGREDIENTS.c.id == line.ingredient_id)
        .offset(0)
        .lateral("ingredient")
    )
    return (
        select(*_LINE_COLUMNS, *ingredient.c, *_CUSTOM_UNIT_COLUMNS)
        .select_from(
            _LINES.join(ingredient, true()).outerjoin(
                _CONVERSIONS, conversion.ingredient_id == line.ingredient_id
            )
        )
        .where(line.recipe_id.in_(bindparam("ids", expanding=True)))
        .order_by(*_LINES_ORDER, conversion.id)
    )


# {by key (PostgreSQL): statement}
_ONE_TREE = {False: _IN_TREE.recipes, True: _one_tree_by_key()}
_LINES_WITH_INGREDIENTS_BY = {
    False: _LINES_WITH_INGREDIENTS,
    True: _lines_with_ingredients_by_key(),
}


def _recipes_of(rows) -> dict[int, TreeRecipe]:
    """The recipes read, each with its components in their sort order."""
    recipes: dict[int, TreeRecipe] = {}
    for recipe_id, name, slug, yield_quantity, yield_unit, child_id, child_quantity in rows:
        found = recipes.get(recipe_id)
        if found is None:
            found = recipes[recipe_id] = TreeRecipe(
                recipe_id, name, slug, yield_quantity, yield_unit
            )
        if child_id is not None:
            found.components.append(TreeComponent(child_id, child_quantity))
    return recipes


def _ingredients_of(rows) -> dict[int, TreeIngredient]:
    """{id: ingredient} from ``_ingredients_statement`` rows, custom units in their order."""
    ingredients: dict[int, TreeIngredient] = {}
    for row in rows:
        ingredient_id = row[0]
        known = ingredients.get(ingredient_id)
        if known is None:
            known = ingredients[ingredient_id] = TreeIngredient(*row[:9])
        if row[9] is not None:  # from_unit: the row carries a custom unit
            known.unit_conversions.append(TreeConversion(*row[9:]))
    return ingredients


def _add_lines(rows, recipes: dict[int, TreeRecipe], ingredients: dict[int, TreeIngredient]):
    """Adds the recipes' ingredient lines in their sort order, each with its ingredient (one
    object per ingredient, shared by its lines)."""
    for recipe_id, line_id, quantity, unit, ingredient_id in rows:
        recipes[recipe_id].ingredients.append(
            TreeLine(line_id, ingredient_id, ingredients[ingredient_id], quantity, unit)
        )


def _add_lines_with_ingredients(rows, recipes: dict[int, TreeRecipe]) -> None:
    """``_add_lines`` from ``_LINES_WITH_INGREDIENTS`` rows: a line's rows come together (one per
    custom unit of its ingredient); an ingredient is built once, at its first line, and takes its
    custom units from that line's rows only (a later line of it repeats them)."""
    ingredients: dict[int, TreeIngredient] = {}
    first_line: dict[int, int] = {}  # ingredient id -> the line whose rows carry its custom units
    last_line = None
    for row in rows:
        recipe_id, line_id, quantity, unit, ingredient_id = row[:5]
        known = ingredients.get(ingredient_id)
        if known is None:
            known = ingredients[ingredient_id] = TreeIngredient(*row[5:14])
            first_line[ingredient_id] = line_id
        if row[14] is not None and first_line[ingredient_id] == line_id:  # a custom unit
            known.unit_conversions.append(TreeConversion(*row[14:]))
        if line_id != last_line:
            recipes[recipe_id].ingredients.append(
                TreeLine(line_id, ingredient_id, known, quantity, unit)
            )
            last_line = line_id


def load_ingredients(session: Session, ids: Iterable[int]) -> dict[int, TreeIngredient]:
    """Ingredients (with their custom units) as ``TreeIngredient``, for costing what is not a
    recipe line (packaging): one Core query whatever the number."""
    ids = list(ids)
    if not ids:
        return {}
    return _ingredients_of(core_execute(session, _INGREDIENTS_BY_ID, {"ids": ids}))


# --- nesting rules --------------------------------------------------------------------------------


def nesting_problem(session: Session, parent: Recipe, child: Recipe) -> str | None:
    """Why ``child`` cannot become a component of ``parent`` (a circle, or too deep), or None."""
    edges = session.execute(select(RecipeComponent.recipe_id, RecipeComponent.component_recipe_id))
    return rules.nesting_problem(parent, child, edges)


# --- aggregation ----------------------------------------------------------------------------------


def aggregate(
    recipes: dict[int, TreeRecipe], root_id: int, multiplier: Decimal = Decimal(1)
) -> list[AggregatedIngredient]:
    """Every ingredient of the recipe and its sub-recipes, scaled, in recipe units, merged."""
    return [
        dto.AggregatedIngredient(
            ingredient_id=need.ingredient.id,
            ingredient_slug=need.ingredient.slug,
            ingredient_name=need.ingredient.display_name,
            total_quantity=need.quantity,
            unit=need.ingredient.recipe_unit,
            sources=[dto.IngredientSource(name, q) for name, q in need.sources.items()],
        )
        for need in rules.aggregate(recipes, root_id, catalog_service.FactorCache(), multiplier)
    ]


# --- prices and costs -----------------------------------------------------------------------------


def recipe_unit_prices(
    session: Session,
    ingredients: Iterable[Ingredient | TreeIngredient],
    convert: rules.IngredientConverter | None = None,
) -> dict[int, Decimal | None]:
    """Estimated price of one recipe unit of each ingredient (None when nothing is known), by the
    rule of ``core.recipes.choose_price``.

    Two index lookups per product (purchases and lots by product, date, id), never a scan of the
    history: the lots are read only for ingredients that have no purchase at all.
    """
    by_id = {i.id: i for i in ingredients}
    if not by_id:
        return {}
    latest = _latest_purchase_per_product(session, list(by_id))
    without_purchase = [ingredient_id for ingredient_id in by_id if ingredient_id not in latest]
    newest_lots = newest_lot_per_ingredient(session, without_purchase)
    convert = convert or catalog_service.FactorCache()
    prices: dict[int, Decimal | None] = {}
    for ingredient_id, ingredient in by_id.items():
        found = rules.choose_price(latest.get(ingredient_id, []), newest_lots.get(ingredient_id))
        prices[ingredient_id] = (
            None if found is None else rules.price_per_recipe_unit(ingredient, *found, convert)
        )
    return prices


def _latest_purchase_per_product(session, ingredient_ids):
    """{ingredient id: [(preferred, purchase date, purchase id, unit cost, purchase unit)]}: the
    one purchase ``core.recipes.choose_price`` takes from the latest purchase of each product, so
    the rule gives the same price from this one-item list as from every product's latest.

    One row per ingredient that has a purchase (not one per product: a season's prices read a
    few hundred rows instead of a couple of thousand). Per product, its latest purchase (by
    date, then id) through the index on purchases (product_id, purchase_date, id); of those, the
    preferred product's, else the latest by (date, id), as ``choose_price`` picks.
    """
    if not ingredient_ids:
        return {}
    rows = core_execute(session, _CHOSEN_PURCHASES, {"ingredient_ids": list(ingredient_ids)})
    return {
        ingredient_id: [(preferred, purchase_date, purchase_id, unit_cost, purchase_unit)]
        for ingredient_id, preferred, purchase_unit, purchase_date, purchase_id, unit_cost in rows
    }


def _newest_of_product(model, alias: str, product=None):
    """The id of the product's newest row of ``model`` (purchases or lots: by purchase date, then
    id), as a scalar subquery correlated to ``product`` (``Product``'s table or an alias of it),
    over the table aliased as ``alias``."""
    product = Product.__table__ if product is None else product
    rows = model.__table__.alias(alias)
    return (
        select(rows.c.id)
        .where(rows.c.product_id == product.c.id)
        .order_by(rows.c.purchase_date.desc(), rows.c.id.desc())
        .limit(1)
        .correlate(product)
        .scalar_subquery()
    )


def chosen_purchase_id():
    """The id of the purchase ``choose_price`` takes for an ingredient (docstring of
    ``_latest_purchase_per_product``), as a scalar subquery correlated to the ingredients table:
    None when none of its products was ever bought."""
    products, purchases = Product.__table__, Purchase.__table__
    candidate = products.alias("candidate")
    latest = purchases.alias("latest")
    return (
        select(latest.c.id)
        .select_from(
            candidate.join(latest, latest.c.id == _newest_of_product(Purchase, "later", candidate))
        )
        .where(candidate.c.ingredient_id == _INGREDIENTS.c.id)
        .order_by(candidate.c.preferred.desc(), latest.c.purchase_date.desc(), latest.c.id.desc())
        .limit(1)
        .correlate(_INGREDIENTS)
        .scalar_subquery()
    )


def chosen_purchases_of(ids: str):
    """(ingredient id, id of the purchase ``choose_price`` takes or None) for each ingredient of
    the bound list ``ids``, as a derived table to join ``purchases`` to by primary key.

    ``OFFSET 0`` keeps it a table of its own: PostgreSQL would otherwise fold the subquery into
    the join and, the join condition being a subquery, hash every purchase ever made (28 of 35 ms
    for 90 ingredients on ``big``; 2.3 ms with it). SQLite plans both the same."""
    ingredients = _INGREDIENTS
    return (
        select(ingredients.c.id.label("ingredient_id"), chosen_purchase_id().label("purchase_id"))
        .where(ingredients.c.id.in_(bindparam(ids, expanding=True)))
        .offset(0)
        .subquery("chosen")
    )


def _chosen_purchases():
    """Per ingredient of ``:ingredient_ids``, the purchase ``choose_price`` takes (module
    docstring of ``_latest_purchase_per_product``), with its product's preferred flag and unit."""
    products, purchases = Product.__table__, Purchase.__table__
    chosen = chosen_purchases_of("ingredient_ids")
    return select(
        chosen.c.ingredient_id.label("id"),
        products.c.preferred,
        products.c.purchase_unit,
        purchases.c.purchase_date,
        purchases.c.id,
        purchases.c.unit_cost,
    ).select_from(
        chosen.join(purchases, purchases.c.id == chosen.c.purchase_id).join(
            products, products.c.id == purchases.c.product_id
        )
    )


_CHOSEN_PURCHASES = _chosen_purchases()
_LOTS = InventoryItem.__table__
_NEWEST_LOTS = (  # table columns, not ORM attributes: the dashboard's first paint may run it
    select(
        Product.__table__.c.ingredient_id,
        _LOTS.c.purchase_date,
        _LOTS.c.id,
        _LOTS.c.unit_cost,
        Product.__table__.c.purchase_unit,
    )
    .select_from(Product.__table__)
    .join(_LOTS, _LOTS.c.id == _newest_of_product(InventoryItem, "newer"))
    .where(Product.__table__.c.ingredient_id.in_(bindparam("ingredient_ids", expanding=True)))
)


def newest_lot_per_ingredient(session, ingredient_ids) -> dict[int, tuple[Decimal, str]]:
    """{ingredient id: (unit cost, purchase unit)} of its newest lot (by date, then id)."""
    if not ingredient_ids:
        return {}
    rows = core_execute(session, _NEWEST_LOTS, {"ingredient_ids": list(ingredient_ids)})
    newest: dict[int, Row] = {}
    for row in rows:
        best = newest.get(row.ingredient_id)
        if best is None or (row.purchase_date, row.id) > (best.purchase_date, best.id):
            newest[row.ingredient_id] = row
    return {i: (row.unit_cost, row.purchase_unit) for i, row in newest.items()}


@dataclass(frozen=True)
class TreeCost:
    breakdown: RecipeCostBreakdown
    unpriced: list[str]  # slugs of lines with no price at all


def cost_tree(
    recipes: dict[int, TreeRecipe],
    root_id: int,
    prices: dict[int, Decimal | None],
    multiplier: Decimal = Decimal(1),
) -> TreeCost:
    """Estimated cost of ``multiplier`` batches: direct lines plus each component, exactly."""
    tree = rules.cost_tree(recipes, root_id, prices, catalog_service.FactorCache(), multiplier)
    return TreeCost(
        dto.RecipeCostBreakdown(
            recipe_id=tree.recipe_id,
            recipe_name=tree.recipe_name,
            direct_ingredient_cost=tree.direct_cost,
            component_costs=[
                dto.ComponentCost(
                    component_recipe_id=c.recipe_id,
                    component_recipe_name=c.recipe_name,
                    quantity=c.quantity,
                    total_cost=c.total_cost,
                )
                for c in tree.components
            ],
            total_cost=tree.total_cost,
            cost_per_unit=tree.cost_per_unit,
        ),
        tree.unpriced,
    )
