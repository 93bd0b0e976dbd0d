"""What the catalog's parts share: slugs, the two loaders, units as typed, a product's name.

A slug is a name in lowercase ASCII, spaces and hyphens as one underscore, nothing but letters,
digits and underscores; it is suffixed ``_1``, ``_2`` … while taken and never changes once made (it
is the natural key import and export use). An ingredient is found by its slug or, for forgiving
callers, by its display name (case-insensitively). A product is named "brand size type", or
"<ingredient> (generic)" when it has none of them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from bake_tracker.core import units
from bake_tracker.models import Ingredient, Product
from bake_tracker.services.errors import (
    IngredientNotFoundError,
    ProductNotFoundError,
)
from bake_tracker.services.loading import get_or_raise
from bake_tracker.services.validation import Problems, is_utf8, to_text


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


def with_counts(model, name_column, foreign_key, count):
    """``select(model, count)`` for every row of ``model`` by ``name_column`` case-insensitively:
    columns named by the model's class ("Ingredient") and "count", the ``count`` of the rows whose
    ``foreign_key`` points at it (0 for none)."""
    counts = select(foreign_key, count.label("n")).group_by(foreign_key).subquery()
    return (
        select(model, func.coalesce(counts.c.n, 0).label("count"))
        .outerjoin(counts, counts.c[foreign_key.key] == model.id)
        .order_by(func.lower(name_column))
    )


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


def known_unit(
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


def flag(value: Any, field: str, problems: Problems) -> bool:
    if isinstance(value, bool):
        return value
    problems.add(f"{field} must be true or false")
    return False


def product_display_name(product: Product, ingredient: Ingredient) -> str:
    """ "brand package_size package_type", or "<ingredient> (generic)"."""
    return product_name(
        product.brand, product.package_size, product.package_type, ingredient.display_name
    )


def product_name(
    brand: str | None, package_size: str | None, package_type: str | None, ingredient_name: str
) -> str:
    """``product_display_name`` from the four values it reads."""
    parts = [p for p in (brand, package_size, package_type) if p]
    return " ".join(parts) if parts else f"{ingredient_name} (generic)"


def load_product(session: Session, product_id: int) -> Product:
    return get_or_raise(session, Product, product_id, ProductNotFoundError)
