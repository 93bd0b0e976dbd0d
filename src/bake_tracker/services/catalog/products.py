"""Products: a brand and size of an ingredient to buy, and their latest prices.

A product's purchase unit must convert to its ingredient's recipe unit, and cannot change once lots
of it are in the pantry. One product per ingredient may be preferred (the one shopping lists
recommend); making one preferred clears the others. A product that was bought or is in the pantry
is never deleted. A product's price is the unit cost of its latest purchase (by purchase date, then
id).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.core import units
from bake_tracker.models import Ingredient, Product, Purchase
from bake_tracker.services import dto
from bake_tracker.services.catalog.common import (
    flag,
    known_unit,
    load_ingredient,
    load_product,
    product_display_name,
)
from bake_tracker.services.catalog.conversions import convertible
from bake_tracker.services.errors import InUseError, ValidationError
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import (
    Problems,
    refuse_unknown_fields,
    to_decimal,
    to_text,
)

if TYPE_CHECKING:
    from bake_tracker.services.dto import ProductDTO


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
        rows = (
            s.execute(
                select(Product, Ingredient)
                .join(Ingredient, Product.ingredient_id == Ingredient.id)
                .where(Ingredient.is_packaging.is_(True))
                .order_by(func.lower(Ingredient.display_name), Product.id)
            )
            .mappings()
            .all()
        )
        prices = latest_unit_costs(s, [row["Product"].id for row in rows])
        return [
            product_dto(row["Product"], row["Ingredient"], prices.get(row["Product"].id))
            for row in rows
        ]


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
    ).mappings()
    return {row["product_id"]: row["unit_cost"] for row in rows}


def product_dto(
    product: Product, ingredient: Ingredient, price: Decimal | None = None
) -> ProductDTO:
    return dto.ProductDTO(
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
        unit = known_unit(raw["purchase_unit"], "Purchase unit", problems, extra=custom)
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
            "preferred": flag(raw.get("preferred", False), "Preferred", problems),
            "notes": to_text(raw.get("notes"), "Notes", problems, max_length=2000, required=False),
        }
        if unit is not None and not convertible(ingredient, unit, ingredient.recipe_unit):
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
