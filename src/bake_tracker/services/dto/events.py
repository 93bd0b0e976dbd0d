"""Events: assignments, targets, progress, needs and the shopping list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bake_tracker.models.enums import FulfillmentStatus


@dataclass(frozen=True)
class EventDTO:
    id: int
    name: str
    event_date: date
    year: int
    notes: str | None

    @property
    def label(self) -> str:
        """How pickers show it: "Christmas 2025 (2025-12-25)"."""
        return f"{self.name} ({self.event_date.isoformat()})"


@dataclass(frozen=True)
class EventSummaryRow:
    """One row of the Events tab.

    Two costs, two facts: ``planned_cost`` is what the event's targets (batches to bake, goods to
    assemble) cost at today's estimated prices (``dashboard_service.planned_costs``, the figure the
    dashboard shows); ``estimated_cost`` is what the packages assigned to recipients contain, at
    today's estimated prices. They differ when the targets make more (or less) than is assigned.
    """

    id: int
    name: str
    event_date: date
    year: int
    recipient_count: int
    package_count: int
    estimated_cost: Decimal
    notes: str | None = None
    planned_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class AssignmentDTO:
    id: int
    event_id: int
    recipient_id: int
    recipient_name: str
    package_id: int
    package_name: str
    quantity: int
    fulfillment_status: str
    delivered_to: str | None
    delivered_at: datetime | None
    covered: bool  # finished-good stock on hand covers this assignment's packages
    notes: str | None = None
    estimated_cost: Decimal = Decimal(0)

    @property
    def next_status(self) -> str | None:
        order = tuple(status.value for status in FulfillmentStatus)
        position = order.index(self.fulfillment_status)
        return order[position + 1] if position + 1 < len(order) else None


@dataclass(frozen=True)
class ProductionTargetDTO:
    id: int
    event_id: int
    recipe_id: int
    recipe_name: str
    target_batches: int
    notes: str | None


@dataclass(frozen=True)
class AssemblyTargetDTO:
    id: int
    event_id: int
    finished_good_id: int
    finished_good_name: str
    target_quantity: int
    notes: str | None


@dataclass(frozen=True)
class ProductionProgress:
    recipe_id: int
    recipe_name: str
    target_batches: int
    produced_batches: int
    produced_yield: int
    progress_pct: Decimal
    is_complete: bool


@dataclass(frozen=True)
class AssemblyProgress:
    finished_good_id: int
    finished_good_name: str
    target_quantity: int
    assembled_quantity: int
    progress_pct: Decimal
    is_complete: bool


@dataclass(frozen=True)
class OverallProgress:
    production_targets_count: int
    production_complete_count: int
    production_complete: bool
    assembly_targets_count: int
    assembly_complete_count: int
    assembly_complete: bool
    assignments_pending: int
    assignments_ready: int
    assignments_delivered: int
    assignments_total: int
    packages_pending: int
    packages_ready: int
    packages_delivered: int
    packages_total: int


@dataclass(frozen=True)
class TargetCheck:
    """What recording ``adding`` more does to an event target. A target is a goal, not a limit:
    going over it (``exceeds``) is for a warning, never a refusal."""

    target: int
    done: int
    adding: int
    after: int
    after_pct: Decimal
    exceeds: bool


@dataclass(frozen=True)
class RecipeNeed:
    recipe_id: int
    recipe_name: str
    finished_unit_id: int
    total_units_needed: int
    batches_needed: int
    finished_unit_name: str = ""


@dataclass(frozen=True)
class TargetSuggestion:
    recipe_id: int
    recipe_name: str
    batches_needed: int
    current_target: int | None


@dataclass(frozen=True)
class ShoppingItem:
    ingredient_slug: str
    ingredient_name: str
    unit: str
    quantity_needed: Decimal
    quantity_on_hand: Decimal
    shortfall: Decimal
    product_status: str  # preferred | multiple | none | sufficient
    product_id: int | None
    packages_to_buy: int
    estimated_cost: Decimal | None
    product_name: str | None = None


@dataclass(frozen=True)
class ShoppingList:
    items: list[ShoppingItem]
    packaging: list[ShoppingItem]
    total_estimated_cost: Decimal
