"""What is made and given: finished units, finished goods, their bills of materials, and packages.

A finished unit is one item a recipe makes (a cookie; or a cake as a portion of a batch). A finished
good is an assembly whose composition rows list finished units, nested finished goods and packaging
products. A package groups finished goods (and package-level packaging) for a recipient. Stock of
finished units and goods lives in lots (``stock.py``); ``inventory_count`` is the sum of their
remaining quantities, kept by the services in the same
transaction as every lot change, so a count can never disagree with its lots.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bake_tracker.models.base import Entity, name200, percent, quantity
from bake_tracker.models.enums import AssemblyType, YieldMode, enum_check

if TYPE_CHECKING:
    from bake_tracker.models.catalog import Product
    from bake_tracker.models.recipes import Recipe

ONE_COMPONENT = (
    "(CASE WHEN finished_unit_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN finished_good_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN packaging_product_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class FinishedUnit(Entity):
    __tablename__ = "finished_units"
    __table_args__ = (
        CheckConstraint("length(trim(display_name)) > 0", name="display_name_not_blank"),
        CheckConstraint("length(slug) > 0", name="slug_not_blank"),
        enum_check("yield_mode", YieldMode, "yield_mode_valid"),
        CheckConstraint(
            "items_per_batch IS NULL OR items_per_batch > 0", name="items_per_batch_positive"
        ),
        CheckConstraint(
            "batch_percentage IS NULL OR (batch_percentage > 0 AND batch_percentage <= 10000)",
            name="batch_percentage_range",  # hundredths: 0 < pct <= 100.00
        ),
        CheckConstraint(
            "(yield_mode <> 'discrete_count' OR items_per_batch IS NOT NULL)"
            " AND (yield_mode <> 'batch_portion' OR batch_percentage IS NOT NULL)",
            name="yield_mode_configured",
        ),
        CheckConstraint("inventory_count >= 0", name="inventory_count_non_negative"),
        Index("ix_finished_units_recipe_stock", "recipe_id", "inventory_count"),
    )

    slug: Mapped[str] = mapped_column(String(100), unique=True)  # stable on rename
    display_name: Mapped[name200] = mapped_column(index=True)
    description: Mapped[str | None]
    recipe_id: Mapped[int] = mapped_column(
        ForeignKey("recipes.id", ondelete="RESTRICT"), index=True
    )
    yield_mode: Mapped[str] = mapped_column(String(20), default=YieldMode.DISCRETE_COUNT.value)
    items_per_batch: Mapped[int | None]
    item_unit: Mapped[str | None] = mapped_column(String(50))
    batch_percentage: Mapped[percent | None]  # % of one batch that one unit uses
    portion_description: Mapped[str | None] = mapped_column(String(200))
    inventory_count: Mapped[int] = mapped_column(default=0, index=True)
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    production_notes: Mapped[str | None]
    notes: Mapped[str | None]

    recipe: Mapped["Recipe"] = relationship(back_populates="finished_units")


class FinishedGood(Entity):
    __tablename__ = "finished_goods"
    __table_args__ = (
        CheckConstraint("length(trim(display_name)) > 0", name="display_name_not_blank"),
        CheckConstraint("length(slug) > 0", name="slug_not_blank"),
        enum_check("assembly_type", AssemblyType, "assembly_type_valid"),
        CheckConstraint("inventory_count >= 0", name="inventory_count_non_negative"),
    )

    slug: Mapped[str] = mapped_column(String(100), unique=True)  # stable on rename
    display_name: Mapped[name200] = mapped_column(index=True)
    description: Mapped[str | None]
    assembly_type: Mapped[str] = mapped_column(
        String(20), default=AssemblyType.CUSTOM_ORDER.value, index=True
    )
    packaging_instructions: Mapped[str | None]
    inventory_count: Mapped[int] = mapped_column(default=0, index=True)
    notes: Mapped[str | None]

    components: Mapped[list["Composition"]] = relationship(
        back_populates="assembly",
        foreign_keys="Composition.assembly_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Composition.sort_order, Composition.id",
    )


class Composition(Entity):
    """One bill-of-materials row of a finished good or a package.

    Exactly one parent (a finished good, or a package, which holds packaging only) and exactly one
    component. ``component_quantity`` is a whole number for finished units and goods; packaging may
    be fractional (0.5 yd of ribbon), in its ingredient's recipe unit.
    """

    __tablename__ = "compositions"
    __table_args__ = (
        CheckConstraint("(assembly_id IS NULL) <> (package_id IS NULL)", name="exactly_one_parent"),
        CheckConstraint(ONE_COMPONENT, name="exactly_one_component"),
        CheckConstraint(
            "package_id IS NULL OR packaging_product_id IS NOT NULL",
            name="package_holds_packaging_only",
        ),
        CheckConstraint(
            "finished_good_id IS NULL OR assembly_id IS NULL OR assembly_id <> finished_good_id",
            name="not_self",
        ),
        CheckConstraint("component_quantity > 0", name="component_quantity_positive"),
        CheckConstraint(
            # Quantities are stored in thousandths: finished items come in whole units.
            "packaging_product_id IS NOT NULL OR component_quantity % 1000 = 0",
            name="whole_finished_items",
        ),
        CheckConstraint("sort_order >= 0", name="sort_order_non_negative"),
        UniqueConstraint("assembly_id", "finished_unit_id"),
        UniqueConstraint("assembly_id", "finished_good_id"),
        UniqueConstraint("assembly_id", "packaging_product_id"),
        UniqueConstraint("package_id", "packaging_product_id"),
        Index("ix_compositions_assembly_order", "assembly_id", "sort_order"),
    )

    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="CASCADE"), index=True
    )
    package_id: Mapped[int | None] = mapped_column(
        ForeignKey("packages.id", ondelete="CASCADE"), index=True
    )
    finished_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_units.id", ondelete="RESTRICT"), index=True
    )
    finished_good_id: Mapped[int | None] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )
    packaging_product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    component_quantity: Mapped[quantity] = mapped_column(default=Decimal(1))
    component_notes: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(default=0)

    assembly: Mapped["FinishedGood | None"] = relationship(
        back_populates="components", foreign_keys=[assembly_id]
    )
    package: Mapped["Package | None"] = relationship(back_populates="packaging")
    finished_unit: Mapped["FinishedUnit | None"] = relationship()
    finished_good: Mapped["FinishedGood | None"] = relationship(foreign_keys=[finished_good_id])
    packaging_product: Mapped["Product | None"] = relationship()


class Package(Entity):
    __tablename__ = "packages"
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),)

    name: Mapped[name200] = mapped_column(unique=True)
    description: Mapped[str | None]
    is_template: Mapped[bool] = mapped_column(default=False, index=True)
    notes: Mapped[str | None]

    items: Mapped[list["PackageFinishedGood"]] = relationship(
        back_populates="package", cascade="all, delete-orphan", passive_deletes=True
    )
    packaging: Mapped[list["Composition"]] = relationship(
        back_populates="package", cascade="all, delete-orphan", passive_deletes=True
    )


class PackageFinishedGood(Entity):
    __tablename__ = "package_finished_goods"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("package_id", "finished_good_id"),
    )

    package_id: Mapped[int] = mapped_column(
        ForeignKey("packages.id", ondelete="CASCADE"), index=True
    )
    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int] = mapped_column(default=1)

    package: Mapped["Package"] = relationship(back_populates="items")
    finished_good: Mapped["FinishedGood"] = relationship()
