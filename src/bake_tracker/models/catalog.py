"""The pantry's catalog and stock: ingredients, custom units, products, purchases and lots.

An ingredient is a generic thing used in recipes (flour, or packaging such as cellophane bags). A
product is a brand and size of it that can be bought. A purchase records a price; recording one
creates an inventory item, which is one *lot* on hand, counted in the product's purchase unit and
consumed first-in-first-out by (purchase_date, id) at its own unit cost.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bake_tracker.models.base import Entity, money, name200, partial_index, quantity, unit_name
from bake_tracker.models.enums import AdjustmentReason, enum_check

if TYPE_CHECKING:
    from bake_tracker.models.recipes import RecipeIngredient

DENSITY_ALL_OR_NONE = """
(density_volume_value IS NULL AND density_volume_unit IS NULL
 AND density_weight_value IS NULL AND density_weight_unit IS NULL)
OR (density_volume_value IS NOT NULL AND density_volume_unit IS NOT NULL
 AND density_weight_value IS NOT NULL AND density_weight_unit IS NOT NULL
 AND density_volume_value > 0 AND density_weight_value > 0)
"""


class Ingredient(Entity):
    __tablename__ = "ingredients"
    __table_args__ = (
        CheckConstraint("length(trim(display_name)) > 0", name="display_name_not_blank"),
        CheckConstraint("length(slug) > 0", name="slug_not_blank"),
        CheckConstraint("length(trim(recipe_unit)) > 0", name="recipe_unit_not_blank"),
        CheckConstraint(DENSITY_ALL_OR_NONE, name="density_all_or_none"),
    )

    display_name: Mapped[name200] = mapped_column(unique=True)
    slug: Mapped[name200] = mapped_column(unique=True)
    category: Mapped[str] = mapped_column(String(100), index=True)
    recipe_unit: Mapped[unit_name]
    is_packaging: Mapped[bool] = mapped_column(default=False, index=True)
    description: Mapped[str | None]
    notes: Mapped[str | None]
    # "1 cup = 4.25 oz" is stored as (1, cup, 4.25, oz): all four or none.
    density_volume_value: Mapped[quantity | None]
    density_volume_unit: Mapped[str | None] = mapped_column(String(20))
    density_weight_value: Mapped[quantity | None]
    density_weight_unit: Mapped[str | None] = mapped_column(String(20))

    products: Mapped[list["Product"]] = relationship(
        back_populates="ingredient", passive_deletes="all"
    )
    unit_conversions: Mapped[list["UnitConversion"]] = relationship(
        back_populates="ingredient", cascade="all, delete-orphan", passive_deletes=True
    )
    recipe_lines: Mapped[list["RecipeIngredient"]] = relationship(
        back_populates="ingredient", passive_deletes="all"
    )


class UnitConversion(Entity):
    """A per-ingredient custom unit: ``from_quantity from_unit = to_quantity to_unit``."""

    __tablename__ = "unit_conversions"
    __table_args__ = (
        CheckConstraint("from_quantity > 0", name="from_quantity_positive"),
        CheckConstraint("to_quantity > 0", name="to_quantity_positive"),
        CheckConstraint("from_unit <> to_unit", name="units_differ"),
        UniqueConstraint("ingredient_id", "from_unit", "to_unit"),
    )

    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("ingredients.id", ondelete="CASCADE"), index=True
    )
    from_unit: Mapped[unit_name]
    from_quantity: Mapped[quantity]
    to_unit: Mapped[unit_name]
    to_quantity: Mapped[quantity]
    notes: Mapped[str | None]

    ingredient: Mapped["Ingredient"] = relationship(back_populates="unit_conversions")


class Product(Entity):
    """A purchasable brand and size of an ingredient; its lots are counted in ``purchase_unit``."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("purchase_quantity > 0", name="purchase_quantity_positive"),
        CheckConstraint("length(trim(purchase_unit)) > 0", name="purchase_unit_not_blank"),
        # At most one preferred product per ingredient.
        partial_index(
            "uq_products_preferred_per_ingredient",
            "ingredient_id",
            unique=True,
            where="preferred",
        ),
    )

    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("ingredients.id", ondelete="RESTRICT"), index=True
    )
    brand: Mapped[str | None] = mapped_column(String(200), index=True)
    package_size: Mapped[str | None] = mapped_column(String(100))
    package_type: Mapped[str | None] = mapped_column(String(50))
    purchase_unit: Mapped[unit_name]
    purchase_quantity: Mapped[quantity]  # amount of purchase_unit in one package
    upc_code: Mapped[str | None] = mapped_column(String(20), index=True)
    gtin: Mapped[str | None] = mapped_column(String(20), unique=True)
    supplier: Mapped[str | None] = mapped_column(String(200))
    supplier_sku: Mapped[str | None] = mapped_column(String(100))
    preferred: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None]

    ingredient: Mapped["Ingredient"] = relationship(back_populates="products")
    purchases: Mapped[list["Purchase"]] = relationship(
        back_populates="product", passive_deletes="all"
    )
    lots: Mapped[list["InventoryItem"]] = relationship(
        back_populates="product", passive_deletes="all"
    )


class Purchase(Entity):
    """Price history: one purchase of a product (its lot is created in the same transaction)."""

    __tablename__ = "purchases"
    __table_args__ = (
        CheckConstraint("quantity_purchased > 0", name="quantity_purchased_positive"),
        CheckConstraint("total_cost >= 0", name="total_cost_non_negative"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
        # A product's latest purchase (by date, then id) is one index seek: estimated prices.
        Index("ix_purchases_product_latest", "product_id", "purchase_date", "id"),
    )

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    purchase_date: Mapped[date] = mapped_column(index=True)
    quantity_purchased: Mapped[quantity]
    total_cost: Mapped[money]
    unit_cost: Mapped[money]  # per purchase_unit, total / quantity rounded half-up to 4 places
    supplier: Mapped[str | None] = mapped_column(String(200))
    receipt_number: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None]

    product: Mapped["Product"] = relationship(back_populates="purchases")
    lots: Mapped[list["InventoryItem"]] = relationship(
        back_populates="purchase", passive_deletes="all"
    )


class InventoryItem(Entity):
    """One pantry lot; ``quantity`` is what remains, in the product's purchase unit."""

    __tablename__ = "inventory_items"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        CheckConstraint("initial_quantity > 0", name="initial_quantity_positive"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
        CheckConstraint(
            "expiration_date IS NULL OR expiration_date >= purchase_date",
            name="expiration_not_before_purchase",
        ),
        # A product's lots in FIFO order; also the index of ``product_id`` (its leading column:
        # lookups by product and the foreign-key checks of a product's deletion).
        Index("ix_inventory_items_fifo", "product_id", "purchase_date", "id"),
        # A product's open lots in FIFO order with what FIFO and "on hand" read (covering), and
        # nothing else: the leading lots are one range whatever the history (pantry_lots).
        partial_index(
            "ix_inventory_items_open_fifo",
            "product_id",
            "purchase_date",
            "id",
            "quantity",
            "unit_cost",
            where="quantity > 0",
        ),
    )

    # indexed by ix_inventory_items_fifo's leading column (migration 0010: no index of its own,
    # and none on (product_id, quantity), which every draw rewrote)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    purchase_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchases.id", ondelete="RESTRICT"), index=True
    )
    initial_quantity: Mapped[quantity]
    quantity: Mapped[quantity]
    unit_cost: Mapped[money]  # per purchase_unit, captured at purchase
    purchase_date: Mapped[date] = mapped_column(index=True)
    expiration_date: Mapped[date | None] = mapped_column(index=True)
    opened_date: Mapped[date | None]
    location: Mapped[str | None] = mapped_column(String(100), index=True)
    lot_or_batch: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None]

    product: Mapped["Product"] = relationship(back_populates="lots")
    purchase: Mapped["Purchase | None"] = relationship(back_populates="lots")


class StockAdjustment(Entity):
    """A manual correction of one kind of stock, with a reason; auditable forever.

    Exactly one of the three targets is set. For a pantry lot ``delta`` is in the lot's purchase
    unit and changes that lot; for finished units and goods a positive delta creates a lot at
    ``unit_cost`` and a negative one draws lots FIFO (recorded in ``adjustment_draws``).
    """

    __tablename__ = "stock_adjustments"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN inventory_item_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN finished_unit_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN finished_good_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_target",
        ),
        CheckConstraint("delta <> 0", name="delta_not_zero"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_non_negative"),
        enum_check("reason", AdjustmentReason, "reason_valid"),
    )

    inventory_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("inventory_items.id", ondelete="RESTRICT"), index=True
    )
    finished_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_units.id", ondelete="RESTRICT"), index=True
    )
    finished_good_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )
    delta: Mapped[quantity]
    reason: Mapped[str] = mapped_column(String(20))
    unit_cost: Mapped[money | None]
    adjusted_at: Mapped[datetime] = mapped_column(index=True)
    notes: Mapped[str | None]

    draws: Mapped[list["AdjustmentDraw"]] = relationship(
        back_populates="adjustment", cascade="all, delete-orphan", passive_deletes=True
    )


class AdjustmentDraw(Entity):
    """One finished-unit or finished-good lot drawn by a negative adjustment."""

    __tablename__ = "adjustment_draws"
    __table_args__ = (
        CheckConstraint(
            "(finished_unit_lot_id IS NULL) <> (finished_good_lot_id IS NULL)",
            name="exactly_one_lot",
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
        CheckConstraint("cost >= 0", name="cost_non_negative"),
    )

    adjustment_id: Mapped[int] = mapped_column(
        ForeignKey("stock_adjustments.id", ondelete="CASCADE"), index=True
    )
    finished_unit_lot_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_unit_lots.id", ondelete="RESTRICT"), index=True
    )
    finished_good_lot_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_good_lots.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int]
    unit_cost: Mapped[money]
    cost: Mapped[money]

    adjustment: Mapped["StockAdjustment"] = relationship(back_populates="draws")


__all__ = [
    "AdjustmentDraw",
    "Ingredient",
    "InventoryItem",
    "Product",
    "Purchase",
    "StockAdjustment",
    "UnitConversion",
]
