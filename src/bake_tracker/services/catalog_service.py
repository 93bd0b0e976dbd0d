"""Ingredients, their products and custom units, and conversions for a given ingredient.

An ingredient's slug is made from its first name and never changes (it is the natural key used by
import and export); names are unique, case-insensitively. An ingredient has a category (the known
ones are matched whatever their case), a recipe unit recipes count it in, and optionally a density
given in full ("1 cup = 4.25 oz", all four parts or none). An ingredient that recipes, products,
pantry lots or production records use is never deleted.

Products (``catalog.products``), conversions and custom units (``catalog.conversions``) and what
they share (``catalog.common``) are re-exported here, so callers use this one module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.core import units, wording
from bake_tracker.models import (
    Ingredient,
    InventoryItem,
    Product,
    ProductionConsumption,
    RecipeIngredient,
)
from bake_tracker.services import dto
from bake_tracker.services.catalog.common import (
    flag,
    known_unit,
    load_ingredient,
    load_product,
    product_display_name,
    product_name,
    slugify,
    unique_slug,
    with_counts,
)
from bake_tracker.services.catalog.conversions import (
    FactorCache,
    add_unit_conversion,
    check_products_convert,
    convert,
    convert_for,
    custom_units_of,
    delete_unit_conversion,
    density_of,
    list_unit_conversions,
)
from bake_tracker.services.catalog.products import (
    create_product,
    delete_product,
    get_product,
    latest_unit_costs,
    list_packaging_products,
    list_products,
    product_dto,
    set_preferred_product,
    update_product,
)
from bake_tracker.services.errors import InUseError
from bake_tracker.services.loading import refuse_taken_name
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_decimal,
    to_filter,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import IngredientDTO

FOOD_CATEGORIES = (
    "Flour",
    "Sugar",
    "Dairy",
    "Oils/Butters",
    "Nuts",
    "Spices",
    "Chocolate/Candies",
    "Cocoa Powders",
    "Dried Fruits",
    "Extracts",
    "Syrups",
    "Alcohol",
    "Misc",
)
PACKAGING_CATEGORIES = (
    "Bags",
    "Boxes",
    "Ribbon",
    "Labels",
    "Tissue Paper",
    "Wrapping",
    "Other Packaging",
)
CATEGORIES = FOOD_CATEGORIES + PACKAGING_CATEGORIES
DENSITY_FIELDS = (
    "density_volume_value",
    "density_volume_unit",
    "density_weight_value",
    "density_weight_unit",
)
EDITABLE_FIELDS = frozenset(
    {"display_name", "category", "recipe_unit", "is_packaging", "notes", "description"}
    | set(DENSITY_FIELDS)
)


def create_ingredient(
    display_name: str,
    *,
    category: str,
    recipe_unit: str,
    is_packaging: bool = False,
    density_volume_value: Any = None,
    density_volume_unit: str | None = None,
    density_weight_value: Any = None,
    density_weight_unit: str | None = None,
    notes: str | None = None,
    description: str | None = None,
    session: Session | None = None,
) -> IngredientDTO:
    """Add an ingredient (food or packaging).

    Raises:
        ValidationError: every problem with the arguments, including a name already in use.
    """
    values = _validated_ingredient_fields(
        {
            "display_name": display_name,
            "category": category,
            "recipe_unit": recipe_unit,
            "is_packaging": is_packaging,
            "notes": notes,
            "description": description,
            "density_volume_value": density_volume_value,
            "density_volume_unit": density_volume_unit,
            "density_weight_value": density_weight_value,
            "density_weight_unit": density_weight_unit,
        }
    )
    with use_session(session) as s:
        refuse_taken_name(s, Ingredient.display_name, values["display_name"], "An ingredient")
        slug = unique_slug(s, Ingredient.slug, values["display_name"], "ingredient")
        ingredient = Ingredient(slug=slug, **values)
        s.add(ingredient)
        s.flush()
        return _ingredient_dto(ingredient, product_count=0)


def get_ingredient(slug: str, *, session: Session | None = None) -> IngredientDTO:
    """Raises: IngredientNotFoundError."""
    with use_session(session) as s:
        ingredient = load_ingredient(s, slug)
        return _ingredient_dto(ingredient, product_count=len(ingredient.products))


def list_ingredients(
    *, search: str | None = None, is_packaging: bool | None = None, session: Session | None = None
) -> list[IngredientDTO]:
    """Ingredients by name; ``search`` matches name, slug or category, case-insensitively.

    Raises:
        ValidationError when ``search`` is not text.
    """
    with Problems() as p:
        search = to_filter(search, "Search", p)
    with use_session(session) as s:
        query = with_counts(
            Ingredient, Ingredient.display_name, Product.ingredient_id, func.count(Product.id)
        )
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                func.lower(Ingredient.display_name).like(pattern)
                | Ingredient.slug.like(pattern)
                | func.lower(Ingredient.category).like(pattern)
            )
        if is_packaging is not None:
            query = query.where(Ingredient.is_packaging.is_(bool(is_packaging)))
        rows = s.execute(query).mappings()
        return [_ingredient_dto(row["Ingredient"], product_count=row["count"]) for row in rows]


def update_ingredient(
    slug: str, /, *, session: Session | None = None, **fields: Any
) -> IngredientDTO:
    """Change an ingredient's fields; the slug never changes.

    Raises:
        IngredientNotFoundError, ValidationError (unknown field, bad value, a new recipe unit that
        existing products cannot be converted to).
    """
    refuse_unknown_fields(fields, EDITABLE_FIELDS, "ingredient")
    with use_session(session) as s:
        ingredient = load_ingredient(s, slug)
        current = {name: getattr(ingredient, name) for name in EDITABLE_FIELDS}
        values = _validated_ingredient_fields(current | fields)
        if values["display_name"].lower() != ingredient.display_name.lower():
            refuse_taken_name(s, Ingredient.display_name, values["display_name"], "An ingredient")
        for name, value in values.items():
            setattr(ingredient, name, value)
        check_products_convert(ingredient)
        s.flush()
        return _ingredient_dto(ingredient, product_count=len(ingredient.products))


def delete_ingredient(slug: str, *, session: Session | None = None) -> None:
    """Delete an ingredient nothing uses (its custom units go with it).

    Raises:
        IngredientNotFoundError; InUseError with the counts of recipes, products, pantry lots and
        production records that use it.
    """
    with use_session(session) as s:
        ingredient = load_ingredient(s, slug)
        _refuse_delete(s, ingredient)
        s.delete(ingredient)
        s.flush()


def check_delete_ingredient(slug: str, *, session: Session | None = None) -> str | None:
    """Why the ingredient cannot be deleted (what still uses it, the delete's own words), or None
    when it can: the window asks this before "are you sure?", so it never asks and then refuses.

    Raises:
        IngredientNotFoundError.
    """
    with use_session(session) as s:
        try:
            _refuse_delete(s, load_ingredient(s, slug))
        except InUseError as error:
            return str(error)
        return None


def _refuse_delete(session: Session, ingredient: Ingredient) -> None:
    """Raise InUseError with the counts of what uses ``ingredient`` (one rule for both)."""
    counts = ingredient_dependencies(session, ingredient.id)
    if any(counts.values()):
        users = ", ".join(
            wording.count_text(n, _USER_NOUNS[what]) for what, n in counts.items() if n
        )
        raise InUseError(
            counts, f"'{ingredient.display_name}' is still used by {users}. Remove those first."
        )


_USER_NOUNS = {
    "recipes": "recipe",
    "products": "product",
    "inventory_items": "pantry lot",
    "production_records": "production run",
}


def ingredient_dependencies(session: Session, ingredient_id: int) -> dict[str, int]:
    """How many recipes, products, pantry lots and production records use an ingredient."""
    recipes = session.scalar(
        select(func.count(func.distinct(RecipeIngredient.recipe_id))).where(
            RecipeIngredient.ingredient_id == ingredient_id
        )
    )
    products = session.scalar(
        select(func.count(Product.id)).where(Product.ingredient_id == ingredient_id)
    )
    lots = session.scalar(
        select(func.count(InventoryItem.id))
        .join(Product, InventoryItem.product_id == Product.id)
        .where(Product.ingredient_id == ingredient_id)
    )
    runs = session.scalar(
        select(func.count(ProductionConsumption.id)).where(
            ProductionConsumption.ingredient_id == ingredient_id
        )
    )
    return {
        "recipes": recipes,
        "products": products,
        "inventory_items": lots,
        "production_records": runs,
    }


def _validated_ingredient_fields(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as problems:
        values = {
            "display_name": to_text(raw["display_name"], "Name", problems, max_length=200),
            "category": _category(raw["category"], problems),
            "recipe_unit": known_unit(raw["recipe_unit"], "Recipe unit", problems),
            "is_packaging": flag(raw["is_packaging"], "Packaging", problems),
            "notes": to_text(raw.get("notes"), "Notes", problems, max_length=2000, required=False),
            "description": to_text(
                raw.get("description"), "Description", problems, max_length=500, required=False
            ),
        }
        values.update(_density(raw, problems))
    return values


def _category(value: Any, problems: Problems) -> str | None:
    text = to_text(value, "Category", problems, max_length=100)
    if text is None:
        return None
    known = {c.lower(): c for c in CATEGORIES}
    return known.get(text.lower(), text)


def _density(raw: dict[str, Any], problems: Problems) -> dict[str, Any]:
    given = [raw.get(name) not in (None, "") for name in DENSITY_FIELDS]
    if not any(given):
        return dict.fromkeys(DENSITY_FIELDS)
    if not all(given):
        problems.add("Density needs all four parts, like 1 cup = 4.25 oz (or none of them)")
        return dict.fromkeys(DENSITY_FIELDS)
    volume = to_decimal(raw["density_volume_value"], "Density volume", problems, allow_zero=False)
    weight = to_decimal(raw["density_weight_value"], "Density weight", problems, allow_zero=False)
    volume_unit = _unit_of(
        raw["density_volume_unit"], units.VOLUME, "Density volume unit", problems
    )
    weight_unit = _unit_of(
        raw["density_weight_unit"], units.WEIGHT, "Density weight unit", problems
    )
    return {
        "density_volume_value": volume,
        "density_volume_unit": volume_unit,
        "density_weight_value": weight,
        "density_weight_unit": weight_unit,
    }


def _unit_of(value: Any, dimension: str, field: str, problems: Problems) -> str | None:
    name = known_unit(value, field, problems)
    if name is not None and units.unit_dimension(name) != dimension:
        problems.add(f"{field} must be a {dimension} unit (got '{name}')")
        return None
    return name


def _ingredient_dto(ingredient: Ingredient, *, product_count: int) -> IngredientDTO:
    density = density_of(ingredient)
    return dto.IngredientDTO(
        id=ingredient.id,
        slug=ingredient.slug,
        display_name=ingredient.display_name,
        category=ingredient.category,
        recipe_unit=ingredient.recipe_unit,
        is_packaging=ingredient.is_packaging,
        density_g_per_ml=None if density is None else density.grams_per_ml(),
        density_volume_value=ingredient.density_volume_value,
        density_volume_unit=ingredient.density_volume_unit,
        density_weight_value=ingredient.density_weight_value,
        density_weight_unit=ingredient.density_weight_unit,
        description=ingredient.description,
        notes=ingredient.notes,
        product_count=product_count,
    )


__all__ = [
    "CATEGORIES",
    "DENSITY_FIELDS",
    "EDITABLE_FIELDS",
    "FOOD_CATEGORIES",
    "PACKAGING_CATEGORIES",
    "FactorCache",
    "add_unit_conversion",
    "convert",
    "convert_for",
    "create_ingredient",
    "create_product",
    "custom_units_of",
    "delete_ingredient",
    "delete_product",
    "delete_unit_conversion",
    "density_of",
    "get_ingredient",
    "get_product",
    "ingredient_dependencies",
    "latest_unit_costs",
    "list_ingredients",
    "list_packaging_products",
    "list_products",
    "list_unit_conversions",
    "load_ingredient",
    "load_product",
    "product_display_name",
    "product_dto",
    "product_name",
    "refuse_unknown_fields",
    "set_preferred_product",
    "slugify",
    "unique_slug",
    "units",
    "update_ingredient",
    "update_product",
    "with_counts",
]
