"""Ingredients, their products and custom units, and conversions for a given ingredient.

Slugs follow domain.md §1.1 and stay stable when an ingredient is renamed (they are the natural key
used by import and export). A product's purchase unit must be convertible to its ingredient's
recipe unit, so FIFO can always count its lots in the unit recipes use (domain.md §5 #3).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from bake_tracker.models import (
    Ingredient,
    InventoryItem,
    Product,
    ProductionConsumption,
    Purchase,
    RecipeIngredient,
    UnitConversion,
)
from bake_tracker.services import units
from bake_tracker.services.dto import IngredientDTO, ProductDTO, UnitConversionDTO
from bake_tracker.services.errors import (
    IngredientNotFoundError,
    InUseError,
    ProductNotFoundError,
    UnitConversionError,
    ValidationError,
)
from bake_tracker.services.loading import get_or_raise, missing
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    is_utf8,
    to_decimal,
    to_filter,
    to_text,
)

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


# --- slugs ----------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """ "All-Purpose Flour" → "all_purpose_flour"; "100% Whole Wheat" → "100_whole_wheat"."""
    ascii_name = unicodedata.normalize("NFD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[\s\-]+", "_", ascii_name.lower())
    slug = re.sub(r"[^a-z0-9_]", "", slug)
    return re.sub(r"_+", "_", slug).strip("_")


def unique_slug(session: Session, column, name: str, fallback: str) -> str:
    """The slug of ``name``, suffixed ``_1``, ``_2`` … while ``column`` already holds it."""
    base = slugify(name) or fallback
    taken = set(session.scalars(select(column).where(column.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 1
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


# --- ingredients ----------------------------------------------------------------------------------


def with_counts(model, name_column, foreign_key, count):
    """``select(model, n)`` for every row of ``model`` by ``name_column`` case-insensitively,
    with ``n`` the ``count`` of the rows whose ``foreign_key`` points at it (0 for none)."""
    counts = select(foreign_key, count.label("n")).group_by(foreign_key).subquery()
    return (
        select(model, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c[foreign_key.key] == model.id)
        .order_by(func.lower(name_column))
    )


def refuse_unknown_fields(fields: dict[str, Any], allowed, what: str) -> None:
    """Refuse update ``fields`` that are not ``allowed``: "Unknown ingredient field(s): a, b"."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(f"Unknown {what} field(s): {', '.join(unknown)}")


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
        _refuse_duplicate_name(s, values["display_name"])
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
        return [_ingredient_dto(i, product_count=n) for i, n in s.execute(query)]


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
            _refuse_duplicate_name(s, values["display_name"])
        for name, value in values.items():
            setattr(ingredient, name, value)
        _check_products_convert(ingredient)
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
        counts = ingredient_dependencies(s, ingredient.id)
        if any(counts.values()):
            raise InUseError(
                counts,
                f"'{ingredient.display_name}' is still used by "
                + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items() if n)
                + ". Remove those first.",
            )
        s.delete(ingredient)
        s.flush()


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


def load_ingredient(session: Session, slug: str) -> Ingredient:
    """The ingredient with this slug (or this exact display name, for forgiving callers)."""
    if not isinstance(slug, str) or not slug.strip() or not is_utf8(slug):
        raise IngredientNotFoundError(slug, f"Ingredient {slug!r} not found")
    key = slug.strip()
    ingredient = session.scalar(select(Ingredient).where(Ingredient.slug == key))
    if ingredient is None:
        ingredient = session.scalar(
            select(Ingredient).where(
                func.lower(Ingredient.display_name) == func.lower(literal(key))
            )
        )
    if ingredient is None:
        raise IngredientNotFoundError(slug, f"Ingredient '{slug}' not found")
    return ingredient


def _refuse_duplicate_name(session: Session, name: str) -> None:
    exists = session.scalar(
        select(Ingredient.id).where(
            func.lower(Ingredient.display_name) == func.lower(literal(name))
        )
    )
    if exists is not None:
        raise ValidationError(f"An ingredient named '{name}' already exists")


def _validated_ingredient_fields(raw: dict[str, Any]) -> dict[str, Any]:
    with Problems() as problems:
        values = {
            "display_name": to_text(raw["display_name"], "Name", problems, max_length=200),
            "category": _category(raw["category"], problems),
            "recipe_unit": _known_unit(raw["recipe_unit"], "Recipe unit", problems),
            "is_packaging": _flag(raw["is_packaging"], "Packaging", problems),
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


def _known_unit(
    value: Any, field: str, problems: Problems, extra: tuple[str, ...] = ()
) -> str | None:
    text = to_text(value, field, problems, max_length=50)
    if text is None:
        return None
    name = units.normalize_unit(text)
    if units.is_known_unit(name) or name in extra:
        return name
    problems.add(f"{field} '{text}' is not a unit I know (for example cup, g, lb, each, bag)")
    return None


def _flag(value: Any, field: str, problems: Problems) -> bool:
    if isinstance(value, bool):
        return value
    problems.add(f"{field} must be true or false")
    return False


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
    name = _known_unit(value, field, problems)
    if name is not None and units.unit_dimension(name) != dimension:
        problems.add(f"{field} must be a {dimension} unit (got '{name}')")
        return None
    return name


def density_of(ingredient: Ingredient) -> units.Density | None:
    if ingredient.density_volume_value is None:
        return None
    return units.Density(
        ingredient.density_volume_value,
        ingredient.density_volume_unit,
        ingredient.density_weight_value,
        ingredient.density_weight_unit,
    )


def custom_units_of(ingredient: Ingredient) -> tuple[units.CustomConversion, ...]:
    return tuple(
        units.CustomConversion(c.from_unit, c.from_quantity, c.to_unit, c.to_quantity)
        for c in ingredient.unit_conversions
    )


def convert_for(ingredient: Ingredient, quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert with this ingredient's density and custom units (full precision)."""
    return units.convert(
        quantity,
        from_unit,
        to_unit,
        density=density_of(ingredient),
        custom=custom_units_of(ingredient),
        ingredient_name=ingredient.display_name,
    )


def _check_products_convert(ingredient: Ingredient) -> None:
    blocked = [
        f"{product_display_name(p, ingredient)} ({p.purchase_unit})"
        for p in ingredient.products
        if not _convertible(ingredient, p.purchase_unit, ingredient.recipe_unit)
    ]
    if blocked:
        raise ValidationError(
            f"These products of '{ingredient.display_name}' cannot be counted in "
            f"{ingredient.recipe_unit}: {', '.join(blocked)}. Set a density or a custom unit first."
        )


def _convertible(ingredient: Ingredient, from_unit: str, to_unit: str) -> bool:
    try:
        convert_for(ingredient, Decimal(1), from_unit, to_unit)
    except UnitConversionError:
        return False
    return True


def _ingredient_dto(ingredient: Ingredient, *, product_count: int) -> IngredientDTO:
    density = density_of(ingredient)
    return IngredientDTO(
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


# --- custom units -------------------------------------------------------------------------------


def add_unit_conversion(
    ingredient_slug: str,
    *,
    from_unit: str,
    from_quantity: Any,
    to_unit: str,
    to_quantity: Any,
    session: Session | None = None,
) -> UnitConversionDTO:
    """Teach an ingredient a unit: ``from_quantity from_unit = to_quantity to_unit``.

    One side may be a new unit ("stick", "egg"); the other must be a known unit, so the new one
    connects to everything else.

    Raises:
        IngredientNotFoundError, ValidationError.
    """
    with Problems() as problems:
        source = _unit_text(from_unit, "From unit", problems)
        target = _unit_text(to_unit, "To unit", problems)
        from_qty = to_decimal(from_quantity, "From quantity", problems, allow_zero=False)
        to_qty = to_decimal(to_quantity, "To quantity", problems, allow_zero=False)
        if source and target and source == target:
            problems.add("The two units must differ")
        if source and target and not (units.is_known_unit(source) or units.is_known_unit(target)):
            problems.add("At least one of the two units must be a standard unit (cup, g, each…)")
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        exists = s.scalar(
            select(UnitConversion.id).where(
                UnitConversion.ingredient_id == ingredient.id,
                UnitConversion.from_unit == source,
                UnitConversion.to_unit == target,
            )
        )
        if exists is not None:
            raise ValidationError(
                f"'{ingredient.display_name}' already converts {source} to {target}"
            )
        conversion = UnitConversion(
            ingredient=ingredient,
            from_unit=source,
            from_quantity=from_qty,
            to_unit=target,
            to_quantity=to_qty,
        )
        s.add(conversion)
        s.flush()
        return _conversion_dto(conversion, ingredient.slug)


def list_unit_conversions(
    ingredient_slug: str, *, session: Session | None = None
) -> list[UnitConversionDTO]:
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        return [_conversion_dto(c, ingredient.slug) for c in ingredient.unit_conversions]


def delete_unit_conversion(conversion_id: int, *, session: Session | None = None) -> None:
    """Remove a custom unit, unless a product of the ingredient is counted in it.

    Raises:
        NotFoundError (as ValidationError when the id is unknown), ValidationError.
    """
    with use_session(session) as s:
        conversion = get_or_raise(
            s, UnitConversion, conversion_id, missing("Unit conversion {} not found")
        )
        ingredient = conversion.ingredient
        ingredient.unit_conversions.remove(conversion)
        s.flush()
        _check_products_convert(ingredient)


def _unit_text(value: Any, field: str, problems: Problems) -> str | None:
    text = to_text(value, field, problems, max_length=50)
    return None if text is None else units.normalize_unit(text)


def _conversion_dto(conversion: UnitConversion, slug: str) -> UnitConversionDTO:
    return UnitConversionDTO(
        id=conversion.id,
        ingredient_slug=slug,
        from_unit=conversion.from_unit,
        from_quantity=conversion.from_quantity,
        to_unit=conversion.to_unit,
        to_quantity=conversion.to_quantity,
    )


def convert(
    quantity: Any,
    from_unit: str,
    to_unit: str,
    *,
    ingredient_slug: str | None = None,
    session: Session | None = None,
) -> Decimal:
    """Convert a quantity, with an ingredient's density and custom units when one is named.

    Raises:
        UnitConversionError, ValidationError, IngredientNotFoundError.
    """
    with Problems() as problems:
        number = to_decimal(quantity, "Quantity", problems, places=None)
    if ingredient_slug is None:
        return units.convert(number, from_unit, to_unit)
    with use_session(session) as s:
        return convert_for(load_ingredient(s, ingredient_slug), number, from_unit, to_unit)


# --- products -------------------------------------------------------------------------------------


def create_product(
    ingredient_slug: str,
    *,
    purchase_unit: str,
    purchase_quantity: Any,
    brand: str | None = None,
    package_size: str | None = None,
    package_type: str | None = None,
    preferred: bool = False,
    notes: str | None = None,
    session: Session | None = None,
) -> ProductDTO:
    """Add a product (a brand and size to buy) of an ingredient; ``preferred`` clears the others.

    Raises:
        IngredientNotFoundError, ValidationError (bad values, or a purchase unit that cannot be
        converted to the ingredient's recipe unit).
    """
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        values = _validated_product_fields(
            ingredient,
            purchase_unit=purchase_unit,
            purchase_quantity=purchase_quantity,
            brand=brand,
            package_size=package_size,
            package_type=package_type,
            preferred=preferred,
            notes=notes,
        )
        if values["preferred"]:
            _clear_preferred(s, ingredient.id)
        product = Product(ingredient=ingredient, **values)
        s.add(product)
        s.flush()
        return product_dto(product, ingredient)


def update_product(
    product_id: int, /, *, session: Session | None = None, **fields: Any
) -> ProductDTO:
    """Change a product's fields (those of ``create_product``).

    Raises:
        ProductNotFoundError, ValidationError.
    """
    allowed = {"purchase_unit", "purchase_quantity", "brand", "package_size", "package_type"}
    allowed |= {"preferred", "notes"}
    refuse_unknown_fields(fields, allowed, "product")
    with use_session(session) as s:
        product = load_product(s, product_id)
        ingredient = product.ingredient
        current = {name: getattr(product, name) for name in allowed}
        values = _validated_product_fields(ingredient, **(current | fields))
        if values["purchase_unit"] != product.purchase_unit and product.lots:
            raise ValidationError(
                "The purchase unit cannot change once lots of this product are in the pantry"
            )
        if values["preferred"] and not product.preferred:
            _clear_preferred(s, ingredient.id)
        for name, value in values.items():
            setattr(product, name, value)
        s.flush()
        return product_dto(product, ingredient)


def set_preferred_product(product_id: int, *, session: Session | None = None) -> ProductDTO:
    """Make this the ingredient's preferred product (the one shopping lists recommend)."""
    return update_product(product_id, preferred=True, session=session)


def list_products(ingredient_slug: str, *, session: Session | None = None) -> list[ProductDTO]:
    """The ingredient's products, preferred first, with their latest purchase price."""
    with use_session(session) as s:
        ingredient = load_ingredient(s, ingredient_slug)
        products = sorted(ingredient.products, key=lambda p: (not p.preferred, p.id))
        prices = latest_unit_costs(s, [p.id for p in products])
        return [product_dto(p, ingredient, prices.get(p.id)) for p in products]


def list_packaging_products(*, session: Session | None = None) -> list[ProductDTO]:
    """Every product of every packaging ingredient, by ingredient then product (one query)."""
    with use_session(session) as s:
        rows = s.execute(
            select(Product, Ingredient)
            .join(Ingredient, Product.ingredient_id == Ingredient.id)
            .where(Ingredient.is_packaging.is_(True))
            .order_by(func.lower(Ingredient.display_name), Product.id)
        ).all()
        prices = latest_unit_costs(s, [p.id for p, _ in rows])
        return [product_dto(p, i, prices.get(p.id)) for p, i in rows]


def get_product(product_id: int, *, session: Session | None = None) -> ProductDTO:
    with use_session(session) as s:
        product = load_product(s, product_id)
        price = latest_unit_costs(s, [product.id]).get(product.id)
        return product_dto(product, product.ingredient, price)


def delete_product(product_id: int, *, session: Session | None = None) -> None:
    """Delete a product that was never bought or used.

    Raises:
        ProductNotFoundError; InUseError with the counts of purchases and pantry lots.
    """
    with use_session(session) as s:
        product = load_product(s, product_id)
        counts = {"purchases": len(product.purchases), "inventory_items": len(product.lots)}
        if any(counts.values()):
            raise InUseError(
                counts,
                f"'{product_display_name(product, product.ingredient)}' has "
                f"{counts['purchases']} purchase(s) and {counts['inventory_items']} pantry lot(s); "
                "it cannot be deleted.",
            )
        s.delete(product)
        s.flush()


def load_product(session: Session, product_id: int) -> Product:
    return get_or_raise(session, Product, product_id, ProductNotFoundError)


def latest_unit_costs(session: Session, product_ids: list[int]) -> dict[int, Decimal]:
    """Each product's most recent purchase unit cost (by purchase date, then id)."""
    if not product_ids:
        return {}
    ranked = (
        select(
            Purchase.product_id,
            Purchase.unit_cost,
            func.row_number()
            .over(
                partition_by=Purchase.product_id,
                order_by=(Purchase.purchase_date.desc(), Purchase.id.desc()),
            )
            .label("rank"),
        )
        .where(Purchase.product_id.in_(product_ids))
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.product_id, ranked.c.unit_cost).where(ranked.c.rank == 1)
    )
    return {product_id: cost for product_id, cost in rows}


def product_display_name(product: Product, ingredient: Ingredient) -> str:
    """ "brand package_size package_type", or "<ingredient> (generic)"."""
    parts = [p for p in (product.brand, product.package_size, product.package_type) if p]
    return " ".join(parts) if parts else f"{ingredient.display_name} (generic)"


def product_dto(
    product: Product, ingredient: Ingredient, price: Decimal | None = None
) -> ProductDTO:
    return ProductDTO(
        id=product.id,
        ingredient_slug=ingredient.slug,
        display_name=product_display_name(product, ingredient),
        purchase_unit=product.purchase_unit,
        purchase_quantity=product.purchase_quantity,
        preferred=product.preferred,
        brand=product.brand,
        package_size=product.package_size,
        package_type=product.package_type,
        ingredient_name=ingredient.display_name,
        last_unit_cost=price,
    )


def _validated_product_fields(ingredient: Ingredient, **raw: Any) -> dict[str, Any]:
    custom = tuple(units.normalize_unit(c.from_unit) for c in ingredient.unit_conversions)
    custom += tuple(units.normalize_unit(c.to_unit) for c in ingredient.unit_conversions)
    with Problems() as problems:
        unit = _known_unit(raw["purchase_unit"], "Purchase unit", problems, extra=custom)
        values = {
            "purchase_unit": unit,
            "purchase_quantity": to_decimal(
                raw["purchase_quantity"], "Package quantity", problems, allow_zero=False
            ),
            "brand": to_text(raw.get("brand"), "Brand", problems, max_length=200, required=False),
            "package_size": to_text(
                raw.get("package_size"), "Package size", problems, max_length=100, required=False
            ),
            "package_type": to_text(
                raw.get("package_type"), "Package type", problems, max_length=50, required=False
            ),
            "preferred": _flag(raw.get("preferred", False), "Preferred", problems),
            "notes": to_text(raw.get("notes"), "Notes", problems, max_length=2000, required=False),
        }
        if unit is not None and not _convertible(ingredient, unit, ingredient.recipe_unit):
            problems.add(
                f"A product counted in '{unit}' cannot be used for '{ingredient.display_name}', "
                f"which recipes measure in {ingredient.recipe_unit}: set its density or add a "
                f"custom unit (for example 1 {unit} = … {ingredient.recipe_unit}) first"
            )
    return values


def _clear_preferred(session: Session, ingredient_id: int) -> None:
    for product in session.scalars(
        select(Product).where(Product.ingredient_id == ingredient_id, Product.preferred.is_(True))
    ):
        product.preferred = False
    session.flush()  # the partial unique index allows one preferred product per ingredient

