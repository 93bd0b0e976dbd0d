"""Estimated cost of one batch of many recipes at once: the planned costs of the dashboard, the
Events tab, the cost breakdowns and the finished units' costs.

Same figures as costing each recipe's tree with ``recipe_tree.cost_tree`` (the arithmetic is
``core.recipes.batch_total``; prices follow ``core.recipes.choose_price``), read with only what
costing needs, in two statements whatever the number of recipes (three when some ingredient was
never bought):

* the trees: one recursive query from the roots gives every recipe in them, their components and
  their ingredient lines (``UNION ALL``; no names, yields or sort order: a batch's cost is an exact
  sum of 4-place amounts, the same in any order);
* the ingredients: each one those lines (and the packaging asked for) use, with its custom units
  and, in the same row, the purchase ``choose_price`` takes (``recipe_tree.chosen_purchase_id``:
  the preferred product's latest, else the latest of any product; on PostgreSQL a lateral walk
  of each product's latest purchase, ``_ingredient_rows_by_key``); the newest lot only for
  ingredients never bought.

Reading the trees and the ingredients' prices apart (recipes, lines, ingredients, packaging
ingredients, prices: six statements, ~2,400 bound ids) cost the dashboard ~4 ms more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import bindparam, null, select, true, union_all
from sqlalchemy.orm import Session

from bake_tracker.core import recipes as rules
from bake_tracker.core.recipes import TreeComponent, TreeConversion, TreeIngredient, TreeLine
from bake_tracker.models import (
    Ingredient,
    Product,
    Purchase,
    Recipe,
    RecipeComponent,
    RecipeIngredient,
    UnitConversion,
)
from bake_tracker.services import catalog_service, recipe_tree
from bake_tracker.services.transactions import core_execute


@dataclass(eq=False, slots=True)
class _Costed:
    """What ``core.recipes.batch_total`` reads of a recipe: its lines and its components."""

    ingredients: list[TreeLine] = field(default_factory=list)
    components: list[TreeComponent] = field(default_factory=list)


def _tree_rows():
    """(recipe id, other id, quantity, unit, line id) for every recipe reachable from ``:roots``:
    a line (ingredient id, quantity, unit, line id), a component (component recipe id,
    quantity, NULL, NULL) and one row per recipe (id, NULL, NULL, NULL, NULL), so a recipe
    without lines or components is still known."""
    recipes, components, lines = (
        Recipe.__table__.c,
        RecipeComponent.__table__.c,
        RecipeIngredient.__table__.c,
    )
    tree = (
        select(recipes.id)
        .where(recipes.id.in_(bindparam("roots", expanding=True)))
        .cte("tree", recursive=True)
    )
    tree = tree.union(
        select(components.component_recipe_id).where(components.recipe_id == tree.c.id)
    )
    in_tree = select(tree.c.id)
    return union_all(
        select(lines.recipe_id, lines.ingredient_id, lines.quantity, lines.unit, lines.id).where(
            lines.recipe_id.in_(in_tree)
        ),
        select(
            components.recipe_id,
            components.component_recipe_id,
            components.quantity,
            null(),
            null(),
        ).where(components.recipe_id.in_(in_tree)),
        select(tree.c.id, null(), null(), null(), null()),
    )


def _ingredient_rows():
    """Ingredients of ``:ids``, one row per custom unit (one with NULLs without any), each with
    the unit cost and purchase unit of the purchase that prices it (NULLs: never bought)."""
    ingredients, conversions = Ingredient.__table__, UnitConversion.__table__
    purchases, products = Purchase.__table__, Product.__table__
    chosen = recipe_tree.chosen_purchases_of("ids")  # joined by key: see its docstring
    return (
        select(
            *recipe_tree._INGREDIENT_COLUMNS,
            *recipe_tree._CUSTOM_UNIT_COLUMNS,
            purchases.c.unit_cost,
            products.c.purchase_unit,
        )
        .select_from(
            chosen.join(ingredients, ingredients.c.id == chosen.c.ingredient_id)
            .outerjoin(conversions, conversions.c.ingredient_id == ingredients.c.id)
            .outerjoin(purchases, purchases.c.id == chosen.c.purchase_id)
            .outerjoin(products, products.c.id == purchases.c.product_id)
        )
        .order_by(ingredients.c.id, conversions.c.id)
    )


def _ingredient_rows_by_key():
    """``_ingredient_rows`` for PostgreSQL: the same rows, each ingredient's price found in a
    lateral subquery that walks its products and, per product, takes the latest purchase's
    (date, id, unit cost) from the end of ``ix_purchases_product_latest``: only the index leaf
    and the row of each product's latest purchase are read.

    ``_ingredient_rows`` chose the purchase's id in a correlated subquery that joins each
    product's latest purchase back by key to order them by date, then joined the chosen one
    again by key for its unit cost: two more B-tree descents into ``purchases`` per product and
    one per ingredient, each deeper as purchases pile up (13,109 buffers per dashboard on
    ``big``, 16,548 on ``big10``; 6,572 and 8,015 this way). SQLite has no ``LATERAL``."""
    ingredients, conversions = Ingredient.__table__, UnitConversion.__table__
    candidate, later = Product.__table__.alias("candidate"), Purchase.__table__.alias("later")
    latest = (
        select(later.c.purchase_date, later.c.id, later.c.unit_cost)
        .where(later.c.product_id == candidate.c.id)
        .order_by(later.c.purchase_date.desc(), later.c.id.desc())
        .limit(1)
        .lateral("latest")
    )
    # choose_price: the preferred product's latest purchase, else the latest of any product
    chosen = (
        select(latest.c.unit_cost, candidate.c.purchase_unit)
        .select_from(candidate.join(latest, true()))
        .where(candidate.c.ingredient_id == ingredients.c.id)
        .order_by(candidate.c.preferred.desc(), latest.c.purchase_date.desc(), latest.c.id.desc())
        .limit(1)
        .lateral("chosen")
    )
    return (
        select(
            *recipe_tree._INGREDIENT_COLUMNS,
            *recipe_tree._CUSTOM_UNIT_COLUMNS,
            chosen.c.unit_cost,
            chosen.c.purchase_unit,
        )
        .select_from(
            ingredients.outerjoin(chosen, true()).outerjoin(
                conversions, conversions.c.ingredient_id == ingredients.c.id
            )
        )
        .where(ingredients.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(ingredients.c.id, conversions.c.id)
    )


# Built once: each call reuses their compiled form and cache key.
_TREE_ROWS = _tree_rows()
# {by key (PostgreSQL): the statement}
_INGREDIENT_ROWS = {False: _ingredient_rows(), True: _ingredient_rows_by_key()}


def estimate_batch_costs(session: Session, recipe_ids: Iterable[int]) -> dict[int, Decimal]:
    """Estimated cost of one batch of each recipe, for many recipes at once (fixed query count);
    recipes that do not exist are left out."""
    return estimate_costs(session, recipe_ids)[0]


def estimate_costs(
    session: Session, recipe_ids: Iterable[int], other_ingredients: Iterable[int] = ()
) -> tuple[dict[int, Decimal], dict[int, Decimal | None]]:
    """(estimated cost of one batch of each recipe, price of one recipe unit of every ingredient
    of their trees and of ``other_ingredients``), with each (ingredient, unit) conversion factor
    found once (fixed query count: module docstring)."""
    roots = set(recipe_ids)
    rows = core_execute(session, _TREE_ROWS, {"roots": list(roots)}).all() if roots else []
    # a row is (recipe, ingredient or component, quantity, unit, line id): module docstring
    used = {row[1] for row in rows if row[3] is not None}
    ingredients, bought = _read_ingredients(session, used | set(other_ingredients))
    convert = catalog_service.FactorCache()  # each (ingredient, unit) factor once per call
    never_bought = [i for i in ingredients if i not in bought]
    newest = recipe_tree.newest_lot_per_ingredient(session, never_bought)
    prices: dict[int, Decimal | None] = {}
    for ingredient_id, ingredient in ingredients.items():
        # choose_price over the one purchase the statement chose, else the newest lot
        found = bought.get(ingredient_id) or newest.get(ingredient_id)
        prices[ingredient_id] = (
            None if found is None else rules.price_per_recipe_unit(ingredient, *found, convert)
        )
    recipes = _trees_of(rows, ingredients)
    totals: dict[tuple[int, Decimal], Decimal] = {}
    batch_costs = {
        recipe_id: rules.batch_total(recipes, recipe_id, prices, convert, totals)
        for recipe_id in roots
        if recipe_id in recipes
    }
    return batch_costs, prices


def _trees_of(rows, ingredients: dict[int, TreeIngredient]) -> dict[int, _Costed]:
    """{recipe: its lines (each with its ingredient) and components} from ``_TREE_ROWS``."""
    recipes: dict[int, _Costed] = {}
    for row in rows:
        if row[2] is None:
            recipes[row[0]] = _Costed()
    for recipe_id, other_id, quantity, unit, line_id in rows:
        if unit is not None:
            recipes[recipe_id].ingredients.append(
                TreeLine(line_id, other_id, ingredients[other_id], quantity, unit)
            )
        elif quantity is not None:
            recipes[recipe_id].components.append(TreeComponent(other_id, quantity))
    return recipes


def _read_ingredients(
    session: Session, ids: set[int]
) -> tuple[dict[int, TreeIngredient], dict[int, tuple[Decimal, str]]]:
    """({id: ingredient with its custom units}, {id: (unit cost, purchase unit) of the purchase
    that prices it, for those ever bought}), in one statement."""
    ingredients: dict[int, TreeIngredient] = {}
    bought: dict[int, tuple[Decimal, str]] = {}
    if not ids:
        return ingredients, bought
    by_key = session.connection().dialect.name == "postgresql"
    statement = _INGREDIENT_ROWS[by_key]
    for row in core_execute(session, statement, {"ids": sorted(ids)}).all():
        ingredient_id = row[0]
        known = ingredients.get(ingredient_id)
        if known is None:
            known = ingredients[ingredient_id] = TreeIngredient(*row[:9])
            if row[13] is not None:
                bought[ingredient_id] = (row[13], row[14])
        if row[9] is not None:  # from_unit: the row carries a custom unit
            known.unit_conversions.append(TreeConversion(*row[9:13]))
    return ingredients, bought
