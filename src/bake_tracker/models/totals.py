"""Totals kept beside the rows they sum, so a read costs what it shows, not what history holds.

* ``product_stock_totals``: what a product's pantry lots still hold (Σ ``inventory_items.quantity``,
  in the product's purchase unit), so "on hand" reads one row per product, not every open lot.
* ``event_production_totals``: per event and recipe, the live (non-voided) production runs, their
  batches, good units (actual yield) and ingredient cost.
* ``event_assembly_totals``: per event and finished good, the live assembly runs, the goods
  assembled, their component cost and the packaging part of it.

Every row is derived. The service that writes the rows a total sums moves the total in the same
transaction, with a guarded set-based update (``x = x + :delta``, never a value computed in Python
from a value read earlier, so two workstations cannot lose each other's update); an import rebuilds
them all; ``integrity_service.check_invariants`` compares them with the sums. A missing row means
zero. None is exported: the rows they sum are (``services/totals.py`` owns the writes).
"""

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from bake_tracker.models.base import Base, money, quantity


def _non_negative(*columns: str) -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{c} >= 0", name=f"{c}_non_negative") for c in columns)


class ProductStockTotal(Base):
    __tablename__ = "product_stock_totals"
    __table_args__ = _non_negative("quantity_on_hand")

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    quantity_on_hand: Mapped[quantity]  # in the product's purchase unit


class EventProductionTotal(Base):
    __tablename__ = "event_production_totals"
    __table_args__ = (
        *_non_negative("runs", "num_batches", "actual_yield", "total_ingredient_cost"),
        # An event's actual ingredient cost (the dashboard) summed from the index alone.
        Index("ix_event_production_totals_event_cost", "event_id", "total_ingredient_cost"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    recipe_id: Mapped[int] = mapped_column(
        ForeignKey("recipes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    runs: Mapped[int]
    num_batches: Mapped[int]
    actual_yield: Mapped[int]
    total_ingredient_cost: Mapped[money]


class EventAssemblyTotal(Base):
    __tablename__ = "event_assembly_totals"
    __table_args__ = (
        *_non_negative("runs", "quantity_assembled", "total_component_cost", "packaging_cost"),
        # An event's packaging cost (the dashboard) summed from the index alone.
        Index("ix_event_assembly_totals_event_packaging", "event_id", "packaging_cost"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    runs: Mapped[int]
    quantity_assembled: Mapped[int]
    total_component_cost: Mapped[money]
    packaging_cost: Mapped[money]  # the part of total_component_cost that is packaging


DERIVED_TABLES = frozenset(
    model.__tablename__ for model in (ProductStockTotal, EventProductionTotal, EventAssemblyTotal)
)
