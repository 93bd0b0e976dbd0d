"""The dashboard: event summaries, planned vs actual cost, cost drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class EventStatus(StrEnum):
    """Where an event stands: nothing done yet, some work done, or everything done."""

    NOT_STARTED = "not_started"  # no batch baked, nothing assembled, no package moved on
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"  # every target met and every package delivered


@dataclass(frozen=True)
class EventSummary:
    event_id: int
    event_name: str
    event_date: date
    recipes_complete: int
    recipes_total: int
    finished_goods_complete: int
    finished_goods_total: int
    packages_pending: int
    packages_ready: int
    packages_delivered: int
    packages_total: int
    actual_cost: Decimal
    planned_cost: Decimal
    is_complete: bool
    variance: Decimal = Decimal(0)  # actual − planned
    variance_percent: Decimal = Decimal("0.00")
    status: EventStatus = EventStatus.IN_PROGRESS


@dataclass(frozen=True)
class RecipeCost:
    recipe_id: int
    recipe_name: str
    batches_required: int
    batches_produced: int
    actual_cost: Decimal
    planned_cost: Decimal
    variance: Decimal
    variance_percent: Decimal


@dataclass(frozen=True)
class DrilldownLot:
    """A lot draw behind a run (every ``LotDraw`` field) with the product it came from."""

    inventory_item_id: int
    product_id: int
    product_name: str
    lot_date: date  # the purchase date
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    cost: Decimal
    remaining_in_lot: Decimal = Decimal(0)


@dataclass(frozen=True)
class DrilldownLine:
    ingredient_slug: str
    ingredient_name: str
    quantity_consumed: Decimal
    unit: str
    total_cost: Decimal
    lots: list[DrilldownLot]
