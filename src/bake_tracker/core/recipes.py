"""Recipe arithmetic over a tree already read: nesting rules, aggregated needs, prices and costs.

A recipe has ingredient lines (quantity and unit per batch) and components: other recipes, with
the number of their batches that go into one batch of it. Rules:

* Nesting: a recipe cannot contain itself, directly or through others, and a chain of recipes
  inside recipes is at most ``MAX_RECIPE_NESTING_DEPTH`` levels deep (the top recipe counts).
* Aggregation: every ingredient of a recipe and its sub-recipes, each line scaled by the batches
  above it and converted to the ingredient's recipe unit at full precision, merged per ingredient;
  a total (and each recipe's share of it) is then rounded half-up to 3 places.
* Price of one recipe unit: the preferred product's latest purchase, else the latest purchase of
  the most recently bought product, else the newest lot; its cost per purchase unit times the
  purchase units in one recipe unit.
* Cost: a line costs its quantity in the recipe unit × that price, rounded half-up to 4 places;
  a recipe costs the exact sum of its lines and its components, so a parent's cost always equals
  its direct lines plus its components. A line without a price is left out and reported.

Conversions depend on the ingredient (its density and custom units), so the caller passes a
``convert(ingredient, quantity, from_unit, to_unit)``. The tree shapes below are what the services
read from the database; any object with the same attribute names will do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from bake_tracker.core.errors import ValidationError
from bake_tracker.core.numbers import MONEY_STEP, ZERO, round_money, round_quantity

MAX_RECIPE_NESTING_DEPTH = 3
ONE = Decimal(1)

IngredientConverter = Callable[[Any, Decimal, str, str], Decimal]
"""(ingredient, quantity, from_unit, to_unit) -> quantity, with that ingredient's conversions."""


# --- the tree -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TreeConversion:
    """A custom unit of an ingredient: ``from_quantity from_unit = to_quantity to_unit``."""

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


# Lines and components are NamedTuples (immutable like frozen dataclasses, several times cheaper
# to make): a dashboard reads every line of every targeted recipe, some two thousand, each call.


class TreeLine(NamedTuple):
    """One ingredient line of a recipe, for one batch."""

    id: int
    ingredient_id: int
    ingredient: TreeIngredient
    quantity: Decimal
    unit: str


class TreeComponent(NamedTuple):
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


Recipes = Mapping[int, TreeRecipe]


# --- nesting rules --------------------------------------------------------------------------------


def nesting_problem(
    parent: TreeRecipe | Any, child: TreeRecipe | Any, edges: Iterable[tuple[int, int]]
) -> str | None:
    """Why ``child`` cannot become a component of ``parent`` (a circle, or too deep), or None.

    ``edges`` are every (recipe id, component recipe id) pair there is; the recipes are read for
    their ``id`` and ``name``.
    """
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


@dataclass(frozen=True, slots=True)
class Need:
    """One ingredient of a recipe tree, scaled and merged, in the ingredient's recipe unit."""

    ingredient: TreeIngredient
    quantity: Decimal  # 3 places
    sources: dict[str, Decimal]  # recipe name → its share (3 places), in the order first met


@dataclass(slots=True)
class _Total:
    ingredient: TreeIngredient
    quantity: Decimal = ZERO
    sources: dict[str, Decimal] = field(default_factory=dict)


def aggregate(
    recipes: Recipes, root_id: int, convert: IngredientConverter, multiplier: Decimal = ONE
) -> list[Need]:
    """Every ingredient of the recipe and its sub-recipes for ``multiplier`` batches, merged,
    sorted by ingredient name (then id)."""
    totals: dict[int, _Total] = {}
    for recipe, line, factor in walk_lines(recipes, root_id, multiplier):
        ingredient = line.ingredient
        quantity = in_recipe_unit(ingredient, line.quantity * factor, line.unit, convert)
        total = totals.get(ingredient.id)
        if total is None:
            total = totals[ingredient.id] = _Total(ingredient)
        total.quantity += quantity
        total.sources[recipe.name] = total.sources.get(recipe.name, ZERO) + quantity
    needs = [
        Need(
            t.ingredient,
            round_quantity(t.quantity),
            {name: round_quantity(q) for name, q in t.sources.items()},
        )
        for t in totals.values()
    ]
    needs.sort(key=lambda n: (n.ingredient.display_name.lower(), n.ingredient.id))
    return needs


def walk_lines(
    recipes: Recipes, recipe_id: int, factor: Decimal, depth: int = 1
) -> Iterator[tuple[TreeRecipe, TreeLine, Decimal]]:
    """(recipe, line, batches of that recipe) for every ingredient line in the tree, depth
    first; refuses a tree nested deeper than the rules allow (only corrupt data can be)."""
    if depth > MAX_RECIPE_NESTING_DEPTH + 1:
        raise ValidationError(f"Recipe {recipe_id} is nested too deeply to aggregate")
    recipe = recipes[recipe_id]
    for line in recipe.ingredients:
        yield recipe, line, factor
    for component in recipe.components:
        yield from walk_lines(
            recipes, component.component_recipe_id, factor * component.quantity, depth + 1
        )


def in_recipe_unit(
    ingredient: TreeIngredient, quantity: Decimal, unit: str, convert: IngredientConverter
) -> Decimal:
    """``quantity`` ``unit`` of the ingredient in its recipe unit (full precision)."""
    if unit == ingredient.recipe_unit:
        return quantity
    return convert(ingredient, quantity, unit, ingredient.recipe_unit)


# --- prices ---------------------------------------------------------------------------------------

Purchase = tuple[bool, date | datetime, int, Decimal, str]
"""A product's latest purchase: (product preferred, purchase date, purchase id, unit cost, unit)."""


def choose_price(
    purchases: list[Purchase], newest_lot: tuple[Decimal, str] | None
) -> tuple[Decimal, str] | None:
    """(unit cost, purchase unit) to price an ingredient with, from the latest purchase of each
    of its products and its newest lot; None when nothing is known."""
    preferred = [p for p in purchases if p[0]]
    if preferred:
        return preferred[0][3], preferred[0][4]
    if purchases:
        newest = max(purchases, key=lambda p: (p[1], p[2]))
        return newest[3], newest[4]
    return newest_lot


def price_per_recipe_unit(
    ingredient: TreeIngredient, unit_cost: Decimal, purchase_unit: str, convert: IngredientConverter
) -> Decimal:
    """Cost of one recipe unit = cost per purchase unit × purchase units in one recipe unit."""
    if purchase_unit == ingredient.recipe_unit:
        return unit_cost * ONE
    return unit_cost * convert(ingredient, ONE, ingredient.recipe_unit, purchase_unit)


# --- costs ----------------------------------------------------------------------------------------

Prices = Mapping[int, Decimal | None]  # ingredient id → price of one recipe unit (None: unknown)


@dataclass(frozen=True, slots=True)
class ComponentTotal:
    """A sub-recipe's share of its parent's cost (already multiplied by its batch quantity)."""

    recipe_id: int
    recipe_name: str
    quantity: Decimal
    total_cost: Decimal


@dataclass(frozen=True, slots=True)
class CostTree:
    """The estimated cost of some batches of a recipe, split into direct lines and components."""

    recipe_id: int
    recipe_name: str
    direct_cost: Decimal
    components: list[ComponentTotal]
    total_cost: Decimal
    cost_per_unit: Decimal  # per unit of the recipe's yield, 4 places
    unpriced: list[str]  # slugs of ingredients of lines with no price at all, sorted


def cost_tree(
    recipes: Recipes,
    root_id: int,
    prices: Prices,
    convert: IngredientConverter,
    multiplier: Decimal = ONE,
) -> CostTree:
    """Estimated cost of ``multiplier`` batches: direct lines plus each component, exactly."""
    recipe = recipes[root_id]
    unpriced: list[str] = []
    direct = _direct_cost(recipe, prices, convert, multiplier, unpriced)
    components = [
        ComponentTotal(
            c.component_recipe_id,
            recipes[c.component_recipe_id].name,
            c.quantity,
            _total(
                recipes, c.component_recipe_id, prices, convert, multiplier * c.quantity, unpriced
            ),
        )
        for c in recipe.components
    ]
    total = direct + sum((c.total_cost for c in components), ZERO)
    return CostTree(
        recipe.id,
        recipe.name,
        direct,
        components,
        total,
        round_money(total / (recipe.yield_quantity * multiplier)),
        sorted(set(unpriced)),
    )


def batch_total(
    recipes: Recipes,
    recipe_id: int,
    prices: Prices,
    convert: IngredientConverter,
    totals: dict[tuple[int, Decimal], Decimal] | None = None,
) -> Decimal:
    """``cost_tree(...).total_cost`` of one batch, with the same arithmetic and no breakdown.

    Pass the same ``totals`` for several recipes of one tree: a sub-recipe they share is then
    costed once per number of batches.
    """
    return _batch_total(recipes, recipe_id, prices, convert, ONE, {} if totals is None else totals)


def _batch_total(recipes, recipe_id, prices, convert, multiplier, totals) -> Decimal:
    """``_total`` without the unpriced list, its per-line steps written out in place (the same
    operations in the same order, so the same digits): the dashboard costs some two thousand
    lines per call, and the five calls per line (``_direct_cost``, ``line_cost``,
    ``in_recipe_unit``, ``round_money``) cost more than the arithmetic."""
    key = (recipe_id, multiplier)
    found = totals.get(key)
    if found is not None:
        return found
    recipe = recipes[recipe_id]
    total = ZERO
    for line in recipe.ingredients:
        price = prices.get(line.ingredient_id)
        if price is None:
            continue
        ingredient = line.ingredient
        quantity = line.quantity * multiplier
        if line.unit != ingredient.recipe_unit:
            quantity = convert(ingredient, quantity, line.unit, ingredient.recipe_unit)
        total += (quantity * price).quantize(MONEY_STEP, rounding=ROUND_HALF_UP)
    components = ZERO
    for component in recipe.components:
        components += _batch_total(
            recipes,
            component.component_recipe_id,
            prices,
            convert,
            multiplier * component.quantity,
            totals,
        )
    total += components
    totals[key] = total
    return total


def _total(recipes, recipe_id, prices, convert, multiplier, unpriced, totals=None) -> Decimal:
    """A recipe's total for ``multiplier`` batches: its lines, then its components, in order.
    Lines without a price are added to ``unpriced`` (when given); ``totals`` (when given)
    remembers each (recipe, batches) costed."""
    key = (recipe_id, multiplier)
    if totals is not None and key in totals:
        return totals[key]
    recipe = recipes[recipe_id]
    direct = _direct_cost(recipe, prices, convert, multiplier, unpriced)
    components = ZERO
    for component in recipe.components:
        components += _total(
            recipes,
            component.component_recipe_id,
            prices,
            convert,
            multiplier * component.quantity,
            unpriced,
            totals,
        )
    total = direct + components
    if totals is not None:
        totals[key] = total
    return total


def _direct_cost(recipe, prices, convert, multiplier, unpriced) -> Decimal:
    direct = ZERO
    for line in recipe.ingredients:
        price = prices.get(line.ingredient_id)
        if price is None:
            if unpriced is not None and line.quantity > 0:
                unpriced.append(line.ingredient.slug)
            continue
        direct += line_cost(line, multiplier, price, convert)
    return direct


def line_cost(
    line: TreeLine, multiplier: Decimal, price: Decimal, convert: IngredientConverter
) -> Decimal:
    """An ingredient line for ``multiplier`` batches at ``price`` per recipe unit, in money."""
    quantity = in_recipe_unit(line.ingredient, line.quantity * multiplier, line.unit, convert)
    return round_money(quantity * price)


def find_cycles(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Every loop in a "contains" graph, each as the path that closes it (``[a, b, a]``).

    ``edges`` are (container id, contained id) pairs: recipes and their component recipes, or
    finished goods and the goods inside them. The walk keeps its own stack instead of recursing,
    so a graph thousands of levels deep (an import can bring one) cannot overflow Python's stack.
    Each loop is reported once, from the first of its members met in id order.
    """
    children: dict[int, list[int]] = {}
    for up, down in edges:
        children.setdefault(up, []).append(down)
    for kids in children.values():
        kids.sort()
    state: dict[int, int] = {}  # 1: on the current path, 2: finished
    cycles: list[list[int]] = []
    for root in sorted(children):
        if state.get(root):
            continue
        path, stack = [root], [iter(children.get(root, ()))]
        state[root] = 1
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(child) == 1:
                cycles.append([*path[path.index(child) :], child])
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append(iter(children.get(child, ())))
    return cycles
