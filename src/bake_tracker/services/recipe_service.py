"""Recipes: ingredient lines and sub-recipes, aggregated needs, cost and "how many can I make".

Names are unique (the natural key for import) and slugs stable. A line's unit must be convertible
to its ingredient's recipe unit when it is added, so aggregation and production can always convert.
Nesting is at most three levels deep and never circular; both are checked before anything is
written, with messages that name the recipes involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.core import units
from bake_tracker.core.numbers import round_money
from bake_tracker.models import (
    EventProductionTarget,
    FinishedUnit,
    ProductionRun,
    Recipe,
    RecipeComponent,
    RecipeIngredient,
)
from bake_tracker.services import catalog_service, dto, inventory_service, pantry_lots, recipe_tree
from bake_tracker.services.errors import (
    InUseError,
    RecipeNotFoundError,
    ValidationError,
    in_use_refusal,
)
from bake_tracker.services.loading import (
    count_rows,
    get_or_none,
    get_or_raise,
    missing,
    refuse_if_used,
    refuse_taken_name,
)
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_decimal,
    to_filter,
    to_int,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import (
        AggregatedIngredient,
        CostEstimate,
        RecipeComponentDTO,
        RecipeCostBreakdown,
        RecipeDetail,
        RecipeDTO,
        RecipeIngredientDTO,
    )

RECIPE_CATEGORIES = (
    "Cookies",
    "Cakes",
    "Candies",
    "Bars",
    "Brownies",
    "Breads",
    "Pastries",
    "Pies",
    "Tarts",
    "Frostings & Fillings",
    "Other",
)
EDITABLE_FIELDS = frozenset(
    {"name", "category", "yield_quantity", "yield_unit", "notes", "source", "yield_description"}
    | {"estimated_time_minutes"}
)
MAX_RECIPE_NESTING_DEPTH = recipe_tree.MAX_RECIPE_NESTING_DEPTH


# --- recipes --------------------------------------------------------------------------------------


def create_recipe(
    name: str,
    *,
    category: str,
    yield_quantity: Any,
    yield_unit: str,
    ingredients: Iterable[tuple[str, Any, str]] = (),
    notes: str | None = None,
    source: str | None = None,
    yield_description: str | None = None,
    estimated_time_minutes: Any = None,
    session: Session | None = None,
) -> RecipeDTO:
    """Add a recipe, optionally with ``(ingredient_slug, quantity, unit)`` lines, in one step.

    Raises:
        ValidationError (every problem, including a name in use or an unknown ingredient).
    """
    if ingredients is None:  # no lines, as with the default
        ingredients = ()
    if isinstance(ingredients, str | bytes | dict) or not isinstance(ingredients, Iterable):
        raise ValidationError("Ingredients must be a list of (ingredient, quantity, unit) lines")
    values = _validated_fields(
        {
            "name": name,
            "category": category,
            "yield_quantity": yield_quantity,
            "yield_unit": yield_unit,
            "notes": notes,
            "source": source,
            "yield_description": yield_description,
            "estimated_time_minutes": estimated_time_minutes,
        }
    )
    with use_session(session) as s:
        refuse_taken_name(s, Recipe.name, values["name"], "A recipe")
        slug = catalog_service.unique_slug(s, Recipe.slug, values["name"], "recipe")
        recipe = Recipe(slug=slug, **values)
        s.add(recipe)
        s.flush()
        for position, line in enumerate(ingredients):
            if not isinstance(line, tuple | list) or len(line) != 3:
                raise ValidationError(
                    f"Ingredient line {position + 1} must be (ingredient, quantity, unit)"
                )
            _add_line(s, recipe, *line, sort_order=position)
        return recipe_dto(recipe)


def get_recipe(recipe_id: int, *, session: Session | None = None) -> RecipeDTO:
    with use_session(session) as s:
        return recipe_dto(load_recipe(s, recipe_id))


def list_recipes(
    *, category: str | None = None, search: str | None = None, session: Session | None = None
) -> list[RecipeDTO]:
    """Recipes by name; ``search`` matches the name, ``category`` exactly (case-insensitive).

    Raises:
        ValidationError when ``category`` or ``search`` is not text.
    """
    with Problems() as p:
        category = to_filter(category, "Category", p)
        search = to_filter(search, "Search", p)
    with use_session(session) as s:
        query = select(Recipe).order_by(func.lower(Recipe.name))
        if category:
            query = query.where(func.lower(Recipe.category) == category.lower())
        if search:
            query = query.where(func.lower(Recipe.name).like(f"%{search.lower()}%"))
        return [recipe_dto(r) for r in s.scalars(query)]


def list_categories(*, session: Session | None = None) -> list[str]:
    """The standard categories plus any the user typed."""
    with use_session(session) as s:
        used = set(s.scalars(select(Recipe.category).distinct()))
    return list(RECIPE_CATEGORIES) + sorted(used - set(RECIPE_CATEGORIES), key=str.lower)


def update_recipe(recipe_id: int, /, *, session: Session | None = None, **fields: Any) -> RecipeDTO:
    """Change a recipe's own fields (not its lines); the slug stays.

    Raises:
        RecipeNotFoundError, ValidationError.
    """
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "recipe")
    with use_session(session) as s:
        recipe = load_recipe(s, recipe_id)
        values = _validated_fields({f: getattr(recipe, f) for f in EDITABLE_FIELDS} | fields)
        if values["name"].lower() != recipe.name.lower():
            refuse_taken_name(s, Recipe.name, values["name"], "A recipe")
        for name, value in values.items():
            setattr(recipe, name, value)
        s.flush()
        return recipe_dto(recipe)


def delete_recipe(recipe_id: int, *, session: Session | None = None) -> None:
    """Delete a recipe nothing depends on (its own lines and component links go with it).

    Raises:
        RecipeNotFoundError; InUseError naming the recipes that use it, or counting its finished
        units, production runs and event targets.
    """
    with use_session(session) as s:
        recipe = load_recipe(s, recipe_id)
        _refuse_delete(s, recipe)
        s.delete(recipe)
        s.flush()


def check_delete_recipe(recipe_id: int, *, session: Session | None = None) -> str | None:
    """Why the recipe cannot be deleted (the delete's own words), or None when it can.

    Raises:
        RecipeNotFoundError.
    """
    with use_session(session) as s:
        recipe = load_recipe(s, recipe_id)
        return in_use_refusal(lambda: _refuse_delete(s, recipe))


def _refuse_delete(s: Session, recipe: Recipe) -> None:
    users = sorted(link.recipe.name for link in recipe.used_in)
    if users:
        raise InUseError(
            {"recipes": len(users)},
            f"'{recipe.name}' is part of {', '.join(repr(u) for u in users)}; "
            "remove it from there first.",
        )
    counts = {
        "finished units": count_rows(s, FinishedUnit.recipe_id, recipe.id),
        "production runs": count_rows(s, ProductionRun.recipe_id, recipe.id),
        "event targets": count_rows(s, EventProductionTarget.recipe_id, recipe.id),
    }
    refuse_if_used(recipe.name, counts)


def load_recipe(session: Session, recipe_id: int) -> Recipe:
    return get_or_raise(session, Recipe, recipe_id, RecipeNotFoundError)


def recipe_dto(recipe: Recipe) -> RecipeDTO:
    return dto.RecipeDTO(
        id=recipe.id,
        slug=recipe.slug,
        name=recipe.name,
        category=recipe.category,
        yield_quantity=recipe.yield_quantity,
        yield_unit=recipe.yield_unit,
        notes=recipe.notes,
        source=recipe.source,
        yield_description=recipe.yield_description,
        estimated_time_minutes=recipe.estimated_time_minutes,
    )


def _validated_fields(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as p:
        values = {
            "name": to_text(raw["name"], "Name", p, max_length=200),
            "category": to_text(raw["category"], "Category", p, max_length=100),
            "yield_quantity": to_decimal(raw["yield_quantity"], "Yield", p, allow_zero=False),
            "yield_unit": to_text(raw["yield_unit"], "Yield unit", p, max_length=50),
            "notes": to_text(raw.get("notes"), "Notes", p, max_length=2000, required=False),
            "source": to_text(raw.get("source"), "Source", p, max_length=500, required=False),
            "yield_description": to_text(
                raw.get("yield_description"), "Yield description", p, max_length=200, required=False
            ),
            "estimated_time_minutes": to_int(
                raw.get("estimated_time_minutes"), "Time (minutes)", p, required=False
            ),
        }
    known = {c.lower(): c for c in RECIPE_CATEGORIES}
    values["category"] = known.get(values["category"].lower(), values["category"])
    return values


# --- ingredient lines -----------------------------------------------------------------------------


def add_ingredient_to_recipe(
    recipe_id: int,
    ingredient_slug: str,
    quantity: Any,
    unit: str,
    *,
    notes: str | None = None,
    session: Session | None = None,
) -> RecipeIngredientDTO:
    """Add an ingredient line (for one batch) in any unit convertible to the ingredient's unit.

    Raises:
        RecipeNotFoundError, IngredientNotFoundError, ValidationError, UnitConversionError.
    """
    with use_session(session) as s:
        recipe = load_recipe(s, recipe_id)
        position = len(recipe.ingredients)
        return _add_line(
            s, recipe, ingredient_slug, quantity, unit, notes=notes, sort_order=position
        )


def update_recipe_ingredient(
    line_id: int, *, quantity: Any, unit: str, session: Session | None = None
) -> RecipeIngredientDTO:
    with use_session(session) as s:
        line = get_or_raise(s, RecipeIngredient, line_id, missing("Recipe line {} not found"))
        line.quantity, line.unit = _validated_line(line.ingredient, quantity, unit)
        s.flush()
        return _line_dto(line)


def remove_ingredient_from_recipe(line_id: int, *, session: Session | None = None) -> bool:
    """Remove one ingredient line; False when there was no such line."""
    with use_session(session) as s:
        line = get_or_none(s, RecipeIngredient, line_id)
        if line is None:
            return False
        line.recipe.ingredients.remove(line)
        s.flush()
        return True


def _add_line(session, recipe, ingredient_slug, quantity, unit, *, notes=None, sort_order=0):
    ingredient = catalog_service.load_ingredient(session, ingredient_slug)
    qty, unit_name = _validated_line(ingredient, quantity, unit)
    with Problems() as p:
        notes = to_text(notes, "Notes", p, max_length=500, required=False)
    line = RecipeIngredient(
        recipe=recipe,
        ingredient=ingredient,
        quantity=qty,
        unit=unit_name,
        notes=notes,
        sort_order=sort_order,
    )
    session.add(line)
    session.flush()
    return _line_dto(line)


def _validated_line(ingredient, quantity: Any, unit: Any) -> tuple[Decimal, str]:
    with Problems() as p:
        qty = to_decimal(quantity, f"Quantity of {ingredient.display_name}", p)
        text = to_text(unit, f"Unit of {ingredient.display_name}", p, max_length=50)
    unit_name = units.normalize_unit(text)
    catalog_service.convert_for(ingredient, Decimal(1), unit_name, ingredient.recipe_unit)
    return qty, unit_name


def _line_dto(line: RecipeIngredient) -> RecipeIngredientDTO:
    return dto.RecipeIngredientDTO(
        id=line.id,
        recipe_id=line.recipe_id,
        ingredient_slug=line.ingredient.slug,
        quantity=line.quantity,
        unit=line.unit,
        ingredient_name=line.ingredient.display_name,
        notes=line.notes,
    )


# --- components -----------------------------------------------------------------------------------


def add_recipe_component(
    recipe_id: int,
    component_recipe_id: int,
    *,
    quantity: Any = 1,
    notes: str | None = None,
    session: Session | None = None,
) -> RecipeComponentDTO:
    """Make ``quantity`` batches of another recipe part of one batch of this one.

    Raises:
        RecipeNotFoundError; ValidationError for a circle, nesting deeper than three levels, a
        repeated component or a bad quantity ("Batch quantity must be greater than 0").
    """
    with Problems() as p:
        qty = to_decimal(quantity, "Batch quantity", p, allow_zero=False)
        notes = to_text(notes, "Notes", p, max_length=500, required=False)
    with use_session(session) as s:
        parent = load_recipe(s, recipe_id)
        child = load_recipe(s, component_recipe_id)
        if any(c.component_recipe_id == child.id for c in parent.components):
            raise ValidationError(f"'{child.name}' is already part of '{parent.name}'")
        problem = recipe_tree.nesting_problem(s, parent, child)
        if problem:
            raise ValidationError(problem)
        order = max((c.sort_order for c in parent.components), default=-1) + 1
        link = RecipeComponent(
            recipe=parent, component_recipe=child, quantity=qty, notes=notes, sort_order=order
        )
        s.add(link)
        s.flush()
        return _component_dto(link)


def update_recipe_component(
    recipe_id: int, component_recipe_id: int, *, quantity: Any, session: Session | None = None
) -> RecipeComponentDTO:
    with Problems() as p:
        qty = to_decimal(quantity, "Batch quantity", p, allow_zero=False)
    with use_session(session) as s:
        link = _load_link(s, recipe_id, component_recipe_id)
        link.quantity = qty
        s.flush()
        return _component_dto(link)


def remove_recipe_component(
    recipe_id: int, component_recipe_id: int, *, session: Session | None = None
) -> bool:
    with use_session(session) as s:
        parent = load_recipe(s, recipe_id)
        link = next(
            (c for c in parent.components if c.component_recipe_id == component_recipe_id), None
        )
        if link is None:
            return False
        parent.components.remove(link)
        s.flush()
        return True


def get_recipe_components(
    recipe_id: int, *, session: Session | None = None
) -> list[RecipeComponentDTO]:
    with use_session(session) as s:
        return [_component_dto(c) for c in load_recipe(s, recipe_id).components]


def get_recipes_using_component(
    component_recipe_id: int, *, session: Session | None = None
) -> list[RecipeDTO]:
    with use_session(session) as s:
        recipe = load_recipe(s, component_recipe_id)
        return sorted((recipe_dto(link.recipe) for link in recipe.used_in), key=lambda r: r.name)


def _load_link(session: Session, recipe_id: int, component_recipe_id: int) -> RecipeComponent:
    parent = load_recipe(session, recipe_id)
    link = next(
        (c for c in parent.components if c.component_recipe_id == component_recipe_id), None
    )
    if link is None:
        raise ValidationError(f"Recipe {component_recipe_id} is not part of '{parent.name}'")
    return link


def _component_dto(link: RecipeComponent) -> RecipeComponentDTO:
    return dto.RecipeComponentDTO(
        id=link.id,
        recipe_id=link.recipe_id,
        component_recipe_id=link.component_recipe_id,
        quantity=link.quantity,
        component_name=link.component_recipe.name,
        notes=link.notes,
    )


# --- aggregation, cost, availability --------------------------------------------------------------


def get_aggregated_ingredients(
    recipe_id: int, *, multiplier: Any = 1, session: Session | None = None
) -> list[AggregatedIngredient]:
    """Every ingredient of the recipe and its sub-recipes × ``multiplier`` batches, in each
    ingredient's recipe unit, same ingredients merged, sorted by name.

    Raises:
        RecipeNotFoundError, ValidationError, UnitConversionError.
    """
    with Problems() as p:
        factor = to_decimal(multiplier, "Multiplier", p, places=None, allow_zero=False)
    with use_session(session) as s:
        load_recipe(s, recipe_id)
        return recipe_tree.aggregate(recipe_tree.load_tree(s, recipe_id), recipe_id, factor)


def get_cost_breakdown(recipe_id: int, *, session: Session | None = None) -> RecipeCostBreakdown:
    """Estimated cost of one batch: direct lines plus each sub-recipe × its batch quantity."""
    with use_session(session) as s:
        return _tree_cost(s, recipe_id).breakdown


def calculate_estimated_cost(recipe_id: int, *, session: Session | None = None) -> Decimal:
    """Estimated cost of one batch at current prices (unpriced lines count 0)."""
    return get_cost_breakdown(recipe_id, session=session).total_cost


def get_cost_estimate(recipe_id: int, *, session: Session | None = None) -> CostEstimate:
    with use_session(session) as s:
        cost = _tree_cost(s, recipe_id)
        return dto.CostEstimate(
            cost_per_batch=cost.breakdown.total_cost,
            cost_per_unit=cost.breakdown.cost_per_unit,
            unpriced_ingredients=cost.unpriced,
        )


def calculate_actual_cost(recipe_id: int, *, session: Session | None = None) -> Decimal:
    """Cost of one batch drawn FIFO from the pantry now, plus the estimate for what is missing."""
    with use_session(session) as s:
        load_recipe(s, recipe_id)
        recipes = recipe_tree.load_tree(s, recipe_id)
        needs = recipe_tree.aggregate(recipes, recipe_id)
        ingredients = {
            line.ingredient.id: line.ingredient for r in recipes.values() for line in r.ingredients
        }
        prices = recipe_tree.recipe_unit_prices(s, ingredients.values())
        total = Decimal(0)
        for need in needs:
            if need.total_quantity <= 0:
                continue
            plan = inventory_service.plan_ingredient(
                s, ingredients[need.ingredient_id], need.total_quantity
            )
            total += plan.total_cost
            price = prices.get(need.ingredient_id)
            if plan.shortfall and price is not None:
                total += round_money(plan.shortfall * price)
        return total


def batches_possible(recipe_id: int, *, session: Session | None = None) -> int | None:
    """How many whole batches the pantry covers now (None when the recipe needs nothing)."""
    with use_session(session) as s:
        load_recipe(s, recipe_id)
        return _batches_possible(s, recipe_id)


def _batches_possible(
    session: Session, recipe_id: int, recipes: dict[int, recipe_tree.TreeRecipe] | None = None
) -> int | None:
    """Whole batches that what is on hand covers: every line's on hand from its ingredient's
    products' stored stock totals, in one query for the whole tree."""
    recipes = recipes or recipe_tree.load_tree(session, recipe_id)
    needs = [n for n in recipe_tree.aggregate(recipes, recipe_id) if n.total_quantity > 0]
    if not needs:
        return None
    ingredients = {
        line.ingredient_id: line.ingredient for r in recipes.values() for line in r.ingredients
    }
    held = pantry_lots.open_totals(session, [n.ingredient_id for n in needs])

    def on_hand(ingredient_id: int) -> Decimal:
        ingredient = ingredients[ingredient_id]
        convert = inventory_service.UnitConverter(ingredient)
        return pantry_lots.on_hand(held.get(ingredient_id, []), ingredient.recipe_unit, convert)

    return min(
        int((on_hand(n.ingredient_id) / n.total_quantity).to_integral_value(ROUND_FLOOR))
        for n in needs
    )


def get_recipe_detail(recipe_id: int, *, session: Session | None = None) -> RecipeDetail:
    """The recipe with its lines, components, aggregated needs, estimate and batches possible."""
    with use_session(session) as s:
        recipe = load_recipe(s, recipe_id)
        recipes = recipe_tree.load_tree(s, recipe_id)
        cost = _tree_cost(s, recipe_id, recipes)
        return dto.RecipeDetail(
            recipe=recipe_dto(recipe),
            ingredients=[_line_dto(line) for line in recipe.ingredients],
            components=[_component_dto(c) for c in recipe.components],
            aggregated=recipe_tree.aggregate(recipes, recipe_id),
            estimate=dto.CostEstimate(
                cost.breakdown.total_cost, cost.breakdown.cost_per_unit, cost.unpriced
            ),
            batches_possible=_batches_possible(s, recipe_id, recipes),
        )


def _tree_cost(session: Session, recipe_id: int, recipes=None) -> recipe_tree.TreeCost:
    load_recipe(session, recipe_id)
    recipes = recipes or recipe_tree.load_tree(session, recipe_id)
    ingredients = {
        line.ingredient.id: line.ingredient for r in recipes.values() for line in r.ingredients
    }
    prices = recipe_tree.recipe_unit_prices(session, ingredients.values())
    return recipe_tree.cost_tree(recipes, recipe_id, prices)
