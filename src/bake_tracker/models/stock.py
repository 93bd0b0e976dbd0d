"""Stock of finished units and finished goods as FIFO lots, so cost flows at what each unit cost.

Each production run creates one finished-unit lot (quantity = actual yield, total = the run's cost);
each assembly run one finished-good lot; a positive manual adjustment creates a lot at a stated unit
cost. Lots are drawn in (lot_at, id) order. A lot keeps its exact ``total_cost``; ``remaining_cost``
is what its undrawn units still carry, so the draw that empties a lot takes exactly what is left
and a lot's draws always add up to its total, without rounding drift.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from bake_tracker.models.base import Entity, money, partial_index


def _lot_checks(source: str) -> tuple:
    return (
        CheckConstraint(
            f"({source} IS NULL) <> (adjustment_id IS NULL)", name="exactly_one_source"
        ),
        CheckConstraint("quantity_initial > 0", name="quantity_initial_positive"),
        CheckConstraint(
            "quantity_remaining >= 0 AND quantity_remaining <= quantity_initial",
            name="quantity_remaining_in_range",
        ),
        CheckConstraint("unit_cost >= 0", name="unit_cost_non_negative"),
        CheckConstraint("total_cost >= 0", name="total_cost_non_negative"),
        CheckConstraint(
            "remaining_cost >= 0 AND remaining_cost <= total_cost", name="remaining_cost_in_range"
        ),
    )


class _StockLotColumns:
    """The columns every finished-stock lot has, whatever it holds."""

    lot_at: Mapped[datetime]
    quantity_initial: Mapped[int]
    quantity_remaining: Mapped[int]
    unit_cost: Mapped[money]
    total_cost: Mapped[money]
    remaining_cost: Mapped[money]


class FinishedUnitLot(_StockLotColumns, Entity):
    __tablename__ = "finished_unit_lots"
    __table_args__ = (
        *_lot_checks("production_run_id"),
        Index("ix_finished_unit_lots_fifo", "finished_unit_id", "lot_at", "id"),
        # Open lots only, oldest first: the leading lots are one range whatever the history.
        partial_index(
            "ix_finished_unit_lots_open_fifo",
            "finished_unit_id",
            "lot_at",
            "id",
            where="quantity_remaining > 0",
        ),
    )

    # no index of its own: ix_finished_unit_lots_fifo leads with it
    finished_unit_id: Mapped[int] = mapped_column(
        ForeignKey("finished_units.id", ondelete="RESTRICT")
    )
    production_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("production_runs.id", ondelete="RESTRICT"), unique=True
    )
    adjustment_id: Mapped[int | None] = mapped_column(
        ForeignKey("stock_adjustments.id", ondelete="RESTRICT"), unique=True
    )


class FinishedGoodLot(_StockLotColumns, Entity):
    __tablename__ = "finished_good_lots"
    __table_args__ = (
        *_lot_checks("assembly_run_id"),
        Index("ix_finished_good_lots_fifo", "finished_good_id", "lot_at", "id"),
        # Open lots only, oldest first: the leading lots are one range whatever the history.
        partial_index(
            "ix_finished_good_lots_open_fifo",
            "finished_good_id",
            "lot_at",
            "id",
            where="quantity_remaining > 0",
        ),
    )

    # no index of its own: ix_finished_good_lots_fifo leads with it
    finished_good_id: Mapped[int] = mapped_column(
        ForeignKey("finished_goods.id", ondelete="RESTRICT")
    )
    assembly_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("assembly_runs.id", ondelete="RESTRICT"), unique=True
    )
    adjustment_id: Mapped[int | None] = mapped_column(
        ForeignKey("stock_adjustments.id", ondelete="RESTRICT"), unique=True
    )
