"""Production and assembly runs with their ledgers (seed feature 013, spec decisions 4-7).

A production run turns pantry lots into one finished-unit lot; an assembly run turns finished-unit,
finished-good and packaging lots into one finished-good lot. Each run keeps a summary row per
ingredient or component and, below it, one row per lot drawn (quantity, unit cost, cost), which is
what cost drill-down and voiding use. A voided run stays in history with ``voided_at`` and a reason.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bake_tracker.models.base import Entity, money, quantity, unit_name
from bake_tracker.models.enums import LossCategory, enum_check

if TYPE_CHECKING:
    from bake_tracker.models.catalog import Ingredient, InventoryItem, Product
    from bake_tracker.models.events import Event
    from bake_tracker.models.goods import FinishedGood, FinishedUnit
    from bake_tracker.models.recipes import Recipe
    from bake_tracker.models.stock import FinishedGoodLot, FinishedUnitLot

VOID_REASON_WITH_VOIDED_AT = (
    "(voided_at IS NULL AND void_reason IS NULL)"
    " OR (voided_at IS NOT NULL AND void_reason IS NOT NULL AND length(trim(void_reason)) > 0)"
)


def _cost_checks(total: str) -> tuple:
    return (
        CheckConstraint(f"{total} >= 0", name=f"{total}_non_negative"),
        CheckConstraint("per_unit_cost >= 0", name="per_unit_cost_non_negative"),
        CheckConstraint(VOID_REASON_WITH_VOIDED_AT, name="void_reason_with_voided_at"),
    )


def _ledger_checks() -> tuple:
    return (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
        CheckConstraint("cost >= 0", name="cost_non_negative"),
    )


def _summary_checks() -> tuple:
    return (
        CheckConstraint("quantity_consumed > 0", name="quantity_consumed_positive"),
        CheckConstraint("total_cost >= 0", name="total_cost_non_negative"),
    )


class _DrawCost:
    """What one lot draw cost: ``quantity`` × ``unit_cost`` = ``cost``."""

    unit_cost: Mapped[money]
    cost: Mapped[money]


class _ConsumedItemColumns:
    """Summary of finished items consumed by an assembly (whole units at their FIFO cost)."""

    quantity_consumed: Mapped[int]
    unit_cost_at_consumption: Mapped[money]
    total_cost: Mapped[money]


# --- production ---------------------------------------------------------------------------------


class ProductionRun(Entity):
    __tablename__ = "production_runs"
    __table_args__ = (
        CheckConstraint("num_batches > 0", name="num_batches_positive"),
        CheckConstraint("expected_yield >= 0", name="expected_yield_non_negative"),
        CheckConstraint("actual_yield >= 0", name="actual_yield_non_negative"),
        CheckConstraint("loss_quantity >= 0", name="loss_quantity_non_negative"),
        enum_check("loss_category", LossCategory, "loss_category_valid", nullable=True),
        CheckConstraint(
            "loss_quantity = 0 OR loss_category IS NOT NULL", name="loss_needs_category"
        ),
        *_cost_checks("total_ingredient_cost"),
        # Covers the dashboard's and the event progress's per-event sums of batches, cost and
        # units over non-voided runs (actual_yield since migration 0006).
        Index(
            "ix_production_runs_event_totals",
            "event_id",
            "voided_at",
            "recipe_id",
            "num_batches",
            "total_ingredient_cost",
            "actual_yield",
        ),
    )

    recipe_id: Mapped[int] = mapped_column(
        ForeignKey("recipes.id", ondelete="RESTRICT"), index=True
    )
    finished_unit_id: Mapped[int] = mapped_column(
        ForeignKey("finished_units.id", ondelete="RESTRICT"), index=True
    )
    # no index of its own: ix_production_runs_event_totals leads with it
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="RESTRICT")
    )
    num_batches: Mapped[int]
    expected_yield: Mapped[int]
    actual_yield: Mapped[int]  # good units: the output lot's quantity and the cost denominator
    loss_quantity: Mapped[int] = mapped_column(default=0)
    loss_category: Mapped[str | None] = mapped_column(String(20))
    produced_at: Mapped[datetime] = mapped_column(index=True)
    notes: Mapped[str | None]
    total_ingredient_cost: Mapped[money]
    per_unit_cost: Mapped[money]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None]

    recipe: Mapped["Recipe"] = relationship()
    finished_unit: Mapped["FinishedUnit"] = relationship()
    event: Mapped["Event | None"] = relationship(back_populates="production_runs")
    consumptions: Mapped[list["ProductionConsumption"]] = relationship(
        back_populates="production_run", cascade="all, delete-orphan", passive_deletes=True
    )


class ProductionConsumption(Entity):
    """Ingredient-level ledger: one row per aggregated ingredient line, in its recipe unit."""

    __tablename__ = "production_consumptions"
    __table_args__ = (*_summary_checks(), UniqueConstraint("production_run_id", "ingredient_id"))

    # no index of its own: the unique (run, ingredient) leads with it
    production_run_id: Mapped[int] = mapped_column(
        ForeignKey("production_runs.id", ondelete="CASCADE")
    )
    ingredient_id: Mapped[int] = mapped_column(
        ForeignKey("ingredients.id", ondelete="RESTRICT"), index=True
    )
    quantity_consumed: Mapped[quantity]
    unit: Mapped[unit_name]
    total_cost: Mapped[money]

    production_run: Mapped["ProductionRun"] = relationship(back_populates="consumptions")
    ingredient: Mapped["Ingredient"] = relationship()
    lots: Mapped[list["ProductionConsumptionLot"]] = relationship(
        back_populates="consumption", cascade="all, delete-orphan", passive_deletes=True
    )


class ProductionConsumptionLot(_DrawCost, Entity):
    """Lot-level ledger: one pantry lot drawn, in the lot's own unit (the unit it was bought in, so
    the draw can be put back exactly when the run is voided)."""

    __tablename__ = "production_consumption_lots"
    __table_args__ = _ledger_checks()

    consumption_id: Mapped[int] = mapped_column(
        ForeignKey("production_consumptions.id", ondelete="CASCADE"), index=True
    )
    inventory_item_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_items.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[quantity]
    unit: Mapped[unit_name]

    consumption: Mapped["ProductionConsumption"] = relationship(back_populates="lots")
    inventory_item: Mapped["InventoryItem"] = relationship()


# --- assembly -----------------------------------------------------------------------------------


class AssemblyRun(Entity):
    __tablename__ = "assembly_runs"
    __table_args__ = (
        CheckConstraint("quantity_assembled > 0", name="quantity_assembled_positive"),
        *_cost_checks("total_component_cost"),
        # What the dashboard sums per event and finished good, read from the index alone.
        Index(
            "ix_assembly_runs_event_totals",
            "event_id",
            "voided_at",
            "finished_good_id",
            "quantity_assembled",
        ),
    )

    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )
    # no index of its own: ix_assembly_runs_event_totals leads with it
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="RESTRICT")
    )
    quantity_assembled: Mapped[int]
    assembled_at: Mapped[datetime] = mapped_column(index=True)
    notes: Mapped[str | None]
    total_component_cost: Mapped[money]
    per_unit_cost: Mapped[money]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None]

    finished_good: Mapped["FinishedGood"] = relationship()
    event: Mapped["Event | None"] = relationship(back_populates="assembly_runs")
    finished_unit_consumptions: Mapped[list["AssemblyFinishedUnitConsumption"]] = relationship(
        back_populates="assembly_run", cascade="all, delete-orphan", passive_deletes=True
    )
    finished_good_consumptions: Mapped[list["AssemblyFinishedGoodConsumption"]] = relationship(
        back_populates="assembly_run", cascade="all, delete-orphan", passive_deletes=True
    )
    packaging_consumptions: Mapped[list["AssemblyPackagingConsumption"]] = relationship(
        back_populates="assembly_run", cascade="all, delete-orphan", passive_deletes=True
    )


class AssemblyFinishedUnitConsumption(_ConsumedItemColumns, Entity):
    __tablename__ = "assembly_finished_unit_consumptions"
    __table_args__ = (
        *_summary_checks(),
        CheckConstraint("unit_cost_at_consumption >= 0", name="unit_cost_non_negative"),
        UniqueConstraint("assembly_run_id", "finished_unit_id"),
    )

    # no index of its own: the unique (run, finished unit) leads with it
    assembly_run_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_runs.id", ondelete="CASCADE")
    )
    finished_unit_id: Mapped[int] = mapped_column(
        ForeignKey("finished_units.id", ondelete="RESTRICT"), index=True
    )

    assembly_run: Mapped["AssemblyRun"] = relationship(back_populates="finished_unit_consumptions")
    finished_unit: Mapped["FinishedUnit"] = relationship()
    lots: Mapped[list["AssemblyFinishedUnitConsumptionLot"]] = relationship(
        back_populates="consumption", cascade="all, delete-orphan", passive_deletes=True
    )


class AssemblyFinishedUnitConsumptionLot(_DrawCost, Entity):
    __tablename__ = "assembly_finished_unit_consumption_lots"
    __table_args__ = _ledger_checks()

    consumption_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_finished_unit_consumptions.id", ondelete="CASCADE"), index=True
    )
    finished_unit_lot_id: Mapped[int] = mapped_column(
        ForeignKey("finished_unit_lots.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int]

    consumption: Mapped["AssemblyFinishedUnitConsumption"] = relationship(back_populates="lots")
    finished_unit_lot: Mapped["FinishedUnitLot"] = relationship()


class AssemblyFinishedGoodConsumption(_ConsumedItemColumns, Entity):
    """Nested finished goods consumed by an assembly."""

    __tablename__ = "assembly_finished_good_consumptions"
    __table_args__ = (
        *_summary_checks(),
        CheckConstraint("unit_cost_at_consumption >= 0", name="unit_cost_non_negative"),
        UniqueConstraint("assembly_run_id", "finished_good_id"),
    )

    # no index of its own: the unique (run, finished good) leads with it
    assembly_run_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_runs.id", ondelete="CASCADE")
    )
    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT"), index=True
    )

    assembly_run: Mapped["AssemblyRun"] = relationship(back_populates="finished_good_consumptions")
    finished_good: Mapped["FinishedGood"] = relationship()
    lots: Mapped[list["AssemblyFinishedGoodConsumptionLot"]] = relationship(
        back_populates="consumption", cascade="all, delete-orphan", passive_deletes=True
    )


class AssemblyFinishedGoodConsumptionLot(_DrawCost, Entity):
    __tablename__ = "assembly_finished_good_consumption_lots"
    __table_args__ = _ledger_checks()

    consumption_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_finished_good_consumptions.id", ondelete="CASCADE"), index=True
    )
    finished_good_lot_id: Mapped[int] = mapped_column(
        ForeignKey("finished_good_lots.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int]

    consumption: Mapped["AssemblyFinishedGoodConsumption"] = relationship(back_populates="lots")
    finished_good_lot: Mapped["FinishedGoodLot"] = relationship()


class AssemblyPackagingConsumption(Entity):
    """Packaging drawn by an assembly, for one composition product, in its recipe unit."""

    __tablename__ = "assembly_packaging_consumptions"
    __table_args__ = (*_summary_checks(), UniqueConstraint("assembly_run_id", "product_id"))

    # no index of its own: the unique (run, product) leads with it
    assembly_run_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_runs.id", ondelete="CASCADE")
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity_consumed: Mapped[quantity]
    unit: Mapped[unit_name]
    total_cost: Mapped[money]

    assembly_run: Mapped["AssemblyRun"] = relationship(back_populates="packaging_consumptions")
    product: Mapped["Product"] = relationship()
    lots: Mapped[list["AssemblyPackagingConsumptionLot"]] = relationship(
        back_populates="consumption", cascade="all, delete-orphan", passive_deletes=True
    )


class AssemblyPackagingConsumptionLot(_DrawCost, Entity):
    """One packaging lot drawn; bags are bags, so it may be another product of the ingredient."""

    __tablename__ = "assembly_packaging_consumption_lots"
    __table_args__ = _ledger_checks()

    consumption_id: Mapped[int] = mapped_column(
        ForeignKey("assembly_packaging_consumptions.id", ondelete="CASCADE"), index=True
    )
    inventory_item_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_items.id", ondelete="RESTRICT"), index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[quantity]
    unit: Mapped[unit_name]

    consumption: Mapped["AssemblyPackagingConsumption"] = relationship(back_populates="lots")
    inventory_item: Mapped["InventoryItem"] = relationship()
    product: Mapped["Product"] = relationship()
