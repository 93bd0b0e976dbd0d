"""Price history: what an ingredient cost each time it was bought, in its own recipe unit.

A purchase records its unit cost per *purchase* unit (``$0.7596`` per lb). To compare purchases of
different products (a 25 lb sack, a 5 lb bag, a box counted in cups) the history prices each in
the ingredient's recipe unit, exactly as recipe costing does (``core.recipes.price_per_recipe_unit``
with the same conversion factors): the latest price here is the price a recipe estimate uses when
that purchase is the one it picks. Lots put in the pantry without a purchase (opening stock,
corrections) are not purchases and are not listed.

Cost: two index-driven queries in one transaction, both reaching the purchases only through this
ingredient's products (``products.ingredient_id``, then ``purchases (product_id, purchase_date,
id)``), so the work grows with this ingredient's purchases, never with the database.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.core import recipes as rules
from bake_tracker.core.numbers import round_money
from bake_tracker.models import Ingredient, Product, Purchase
from bake_tracker.services.catalog import common
from bake_tracker.services.catalog.conversions import FactorCache
from bake_tracker.services.dto import PriceHistory, PricePoint
from bake_tracker.services.errors import IngredientNotFoundError, UnitConversionError
from bake_tracker.services.loading import get_or_raise
from bake_tracker.services.transactions import use_session
from bake_tracker.services.validation import Problems, to_int

DEFAULT_LIMIT = 100  # purchases listed; the average still covers them all
MAX_LIMIT = 10_000


def get_price_history(
    ingredient_id: int, *, limit: Any = DEFAULT_LIMIT, session: Session | None = None
) -> PriceHistory:
    """The ingredient's purchases, newest first (at most ``limit``), each priced per recipe unit,
    with the latest price and the quantity-weighted average over all its purchases.

    Raises:
        IngredientNotFoundError, ValidationError (``limit`` not a whole number from 1 to 10,000).
    """
    with Problems() as problems:
        count = to_int(limit, "Limit", problems, minimum=1)
        if count is not None and count > MAX_LIMIT:
            problems.add(f"Limit must be at most {MAX_LIMIT:,}")
    with use_session(session) as s:
        ingredient = get_or_raise(s, Ingredient, ingredient_id, IngredientNotFoundError)
        prices = _UnitPrices(ingredient)
        points = [prices.point(row) for row in s.execute(_newest_purchases(ingredient.id, count))]
        totals = s.execute(_totals_per_product(ingredient.id)).all()
        paid = sum((row.paid for row in totals), Decimal(0))
        bought = Decimal(0)
        for row in totals:
            converted = prices.in_recipe_unit(row.bought, row.purchase_unit)
            if converted is None:  # cannot be compared: left out of the average
                paid -= row.paid
                continue
            bought += converted
        return PriceHistory(
            ingredient_id=ingredient.id,
            ingredient_slug=ingredient.slug,
            ingredient_name=ingredient.display_name,
            unit=ingredient.recipe_unit,
            points=points,
            purchase_count=sum(row.purchases for row in totals),
            latest_price=points[0].unit_price if points else None,
            # everything paid ÷ everything bought: this figure's one rounding (4 places, half-up)
            average_price=round_money(paid / bought) if bought > 0 else None,
        )


def _newest_purchases(ingredient_id: int, limit: int):
    return (
        select(
            Purchase.id,
            Purchase.purchase_date,
            Purchase.quantity_purchased,
            Purchase.total_cost,
            Purchase.unit_cost,
            Purchase.supplier,
            Product.id.label("product_id"),
            Product.brand,
            Product.package_size,
            Product.package_type,
            Product.purchase_unit,
        )
        .join(Product, Purchase.product_id == Product.id)
        .where(Product.ingredient_id == ingredient_id)
        .order_by(Purchase.purchase_date.desc(), Purchase.id.desc())
        .limit(limit)
    )


def _totals_per_product(ingredient_id: int):
    """Σ paid and Σ bought (in the purchase unit) per product: one unit per group, so each group
    converts with one factor."""
    return (
        select(
            Product.purchase_unit,
            func.sum(Purchase.total_cost).label("paid"),
            func.sum(Purchase.quantity_purchased).label("bought"),
            func.count().label("purchases"),
        )
        .join(Product, Purchase.product_id == Product.id)
        .where(Product.ingredient_id == ingredient_id)
        .group_by(Product.id, Product.purchase_unit)
    )


class _UnitPrices:
    """One ingredient's purchase units converted to its recipe unit, each factor found once."""

    def __init__(self, ingredient: Ingredient) -> None:
        self.ingredient = ingredient
        self.convert = FactorCache()
        self.broken: set[str] = set()  # units that do not convert (asked once)

    def price(self, unit_cost: Decimal, purchase_unit: str) -> Decimal | None:
        if purchase_unit in self.broken:
            return None
        try:
            return rules.price_per_recipe_unit(
                self.ingredient, unit_cost, purchase_unit, self.convert
            )
        except UnitConversionError:
            self.broken.add(purchase_unit)
            return None

    def in_recipe_unit(self, quantity: Decimal, purchase_unit: str) -> Decimal | None:
        recipe_unit = self.ingredient.recipe_unit
        if purchase_unit == recipe_unit:
            return quantity
        if purchase_unit in self.broken:
            return None
        try:
            return self.convert(self.ingredient, quantity, purchase_unit, recipe_unit)
        except UnitConversionError:
            self.broken.add(purchase_unit)
            return None

    def point(self, row: Any) -> PricePoint:
        return PricePoint(
            purchase_id=row.id,
            purchase_date=row.purchase_date,
            product_id=row.product_id,
            product_name=common.product_name(
                row.brand, row.package_size, row.package_type, self.ingredient.display_name
            ),
            supplier=row.supplier,
            quantity=row.quantity_purchased,
            purchase_unit=row.purchase_unit,
            total_cost=row.total_cost,
            unit_cost=row.unit_cost,
            unit_price=self.price(row.unit_cost, row.purchase_unit),
        )
