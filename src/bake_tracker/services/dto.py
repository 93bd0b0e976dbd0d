"""Frozen dataclasses that cross from the services into the UI, the command line and the tests.

Results never carry ORM objects. Money and quantities are ``Decimal``, dates ``datetime.date``
and timestamps timezone-aware UTC ``datetime`` (contract.md). The status enums reach the UI from
here, so the UI never imports ``bake_tracker.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bake_tracker.models.enums import (
    AdjustmentReason,
    AssemblyType,
    ComponentType,
    FulfillmentStatus,
    LossCategory,
    YieldMode,
)

__all__ = [
    "AdjustmentReason",
    "AssemblyType",
    "ComponentType",
    "DatabaseInfo",
    "FulfillmentStatus",
    "LossCategory",
    "YieldMode",
]


@dataclass(frozen=True)
class DatabaseInfo:
    """What was opened at start-up, for the status bar and Help ▸ About."""

    url: str  # with any password hidden
    backend: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file, None for a server
    revision: str
    migrated_from: str | None  # the revision before start-up migrations, when any ran
    backup_path: Path | None  # the pre-migration copy, when one was made


# --- catalog --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngredientDTO:
    id: int
    slug: str
    display_name: str
    category: str
    recipe_unit: str
    is_packaging: bool
    density_g_per_ml: Decimal | None
    density_volume_value: Decimal | None = None
    density_volume_unit: str | None = None
    density_weight_value: Decimal | None = None
    density_weight_unit: str | None = None
    description: str | None = None
    notes: str | None = None
    product_count: int = 0

    @property
    def density_text(self) -> str:
        """The density as typed ("1 cup = 4.25 oz"), or "" when none is set."""
        if self.density_volume_value is None:
            return ""
        return (
            f"{self.density_volume_value.normalize():f} {self.density_volume_unit} = "
            f"{self.density_weight_value.normalize():f} {self.density_weight_unit}"
        )


@dataclass(frozen=True)
class ProductDTO:
    id: int
    ingredient_slug: str
    display_name: str
    purchase_unit: str
    purchase_quantity: Decimal
    preferred: bool
    brand: str | None = None
    package_size: str | None = None
    package_type: str | None = None
    ingredient_name: str = ""
    last_unit_cost: Decimal | None = None  # per purchase unit, from the latest purchase


@dataclass(frozen=True)
class UnitConversionDTO:
    id: int
    ingredient_slug: str
    from_unit: str
    from_quantity: Decimal
    to_unit: str
    to_quantity: Decimal

    @property
    def text(self) -> str:
        return (
            f"{self.from_quantity.normalize():f} {self.from_unit} = "
            f"{self.to_quantity.normalize():f} {self.to_unit}"
        )


# --- inventory ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseDTO:
    id: int
    product_id: int
    quantity: Decimal
    total_cost: Decimal
    unit_cost: Decimal
    purchase_date: date
    inventory_item_id: int
    supplier: str | None = None


@dataclass(frozen=True)
class LotDTO:
    """One pantry lot; ``quantity`` is what remains, in ``unit`` (the product's purchase unit)."""

    id: int
    product_id: int
    ingredient_slug: str
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    purchase_date: date
    expiration_date: date | None
    ingredient_name: str = ""
    product_name: str = ""
    initial_quantity: Decimal = Decimal(0)
    location: str | None = None
    notes: str | None = None
    is_packaging: bool = False

    @property
    def value(self) -> Decimal:
        """What the remaining quantity cost, to the cent."""
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class LotDraw:
    """One lot drawn by a FIFO consumption; ``quantity`` is in the lot's ``unit``."""

    inventory_item_id: int
    product_id: int
    lot_date: date
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    cost: Decimal
    remaining_in_lot: Decimal


@dataclass(frozen=True)
class FifoResult:
    """A FIFO consumption (or its dry run); quantities in the ingredient's recipe unit."""

    consumed: Decimal
    shortfall: Decimal
    satisfied: bool
    total_cost: Decimal
    breakdown: list[LotDraw]
    unit: str = ""


@dataclass(frozen=True)
class InventorySummary:
    """The pantry's total value and what expires soon, for the Pantry tab's footer."""

    total_value: Decimal
    lot_count: int
    expiring_soon: int


# --- recipes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipeDTO:
    id: int
    slug: str
    name: str
    category: str
    yield_quantity: Decimal
    yield_unit: str
    notes: str | None = None
    source: str | None = None
    yield_description: str | None = None
    estimated_time_minutes: int | None = None


@dataclass(frozen=True)
class RecipeIngredientDTO:
    id: int
    recipe_id: int
    ingredient_slug: str
    quantity: Decimal
    unit: str
    ingredient_name: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class RecipeComponentDTO:
    id: int
    recipe_id: int
    component_recipe_id: int
    quantity: Decimal
    component_name: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class IngredientSource:
    """Where part of an aggregated line comes from, in the ingredient's recipe unit."""

    recipe_name: str
    quantity: Decimal


@dataclass(frozen=True)
class AggregatedIngredient:
    """One ingredient of a recipe and its sub-recipes, scaled, in the ingredient's recipe unit."""

    ingredient_id: int
    ingredient_slug: str
    ingredient_name: str
    total_quantity: Decimal
    unit: str
    sources: list[IngredientSource]


@dataclass(frozen=True)
class CostEstimate:
    cost_per_batch: Decimal
    cost_per_unit: Decimal
    unpriced_ingredients: list[str]


@dataclass(frozen=True)
class ComponentCost:
    """A sub-recipe's share of its parent's cost (already multiplied by its batch quantity)."""

    component_recipe_id: int
    component_recipe_name: str
    quantity: Decimal
    total_cost: Decimal


@dataclass(frozen=True)
class RecipeCostBreakdown:
    recipe_id: int
    recipe_name: str
    direct_ingredient_cost: Decimal
    component_costs: list[ComponentCost]
    total_cost: Decimal
    cost_per_unit: Decimal


@dataclass(frozen=True)
class RecipeDetail:
    """Everything the recipe editor shows."""

    recipe: RecipeDTO
    ingredients: list[RecipeIngredientDTO]
    components: list[RecipeComponentDTO]
    aggregated: list[AggregatedIngredient]
    estimate: CostEstimate
    batches_possible: int | None  # None when the recipe needs nothing


# --- finished units and goods, packages, recipients -----------------------------------------------


@dataclass(frozen=True)
class FinishedUnitDTO:
    id: int
    slug: str
    display_name: str
    recipe_id: int
    yield_mode: str
    items_per_batch: int | None
    batch_percentage: Decimal | None
    inventory_count: int
    unit_cost: Decimal  # FIFO cost of the next unit out, 0 when none
    recipe_name: str = ""
    item_unit: str | None = None
    category: str | None = None
    estimated_cost: Decimal = Decimal(0)  # recipe estimate per item
    portion_description: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CompositionDTO:
    id: int
    finished_good_id: int | None
    component_type: str
    component_id: int
    quantity: Decimal
    component_name: str = ""
    unit: str = ""
    unit_cost: Decimal = Decimal(0)  # current cost of one component (FIFO next, else estimate)
    package_id: int | None = None
    notes: str | None = None

    @property
    def line_cost(self) -> Decimal:
        return (self.unit_cost * self.quantity).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass(frozen=True)
class FinishedGoodDTO:
    id: int
    slug: str
    display_name: str
    assembly_type: str
    inventory_count: int
    unit_cost: Decimal  # FIFO cost of the next unit out, 0 when none
    estimated_cost: Decimal
    packaging_instructions: str | None = None
    notes: str | None = None
    component_count: int = 0


@dataclass(frozen=True)
class FinishedGoodDetail:
    finished_good: FinishedGoodDTO
    components: list[CompositionDTO]
    can_assemble_now: int  # how many could be assembled from stock on hand now


@dataclass(frozen=True)
class PackageDTO:
    id: int
    name: str
    description: str | None
    is_template: bool
    estimated_cost: Decimal = Decimal(0)
    item_count: int = 0
    notes: str | None = None


@dataclass(frozen=True)
class PackageItemDTO:
    id: int
    package_id: int
    finished_good_id: int
    quantity: int
    finished_good_name: str = ""
    unit_cost: Decimal = Decimal(0)

    @property
    def line_cost(self) -> Decimal:
        return self.unit_cost * self.quantity


@dataclass(frozen=True)
class PackageDetail:
    package: PackageDTO
    items: list[PackageItemDTO]
    packaging: list[CompositionDTO]


@dataclass(frozen=True)
class RecipientDTO:
    id: int
    name: str
    household_name: str | None
    address: str | None = None
    notes: str | None = None
    assignment_count: int = 0


# --- production and assembly ----------------------------------------------------------------------


@dataclass(frozen=True)
class IngredientAvailability:
    ingredient_slug: str
    ingredient_name: str
    needed: Decimal
    available: Decimal
    unit: str
    sufficient: bool


@dataclass(frozen=True)
class ProductionAvailability:
    can_produce: bool
    items: list[IngredientAvailability]
    missing: list[IngredientAvailability]


@dataclass(frozen=True)
class ConsumptionLine:
    """One ingredient consumed by a run, in its recipe unit, with the lots it came from."""

    ingredient_slug: str
    quantity_consumed: Decimal
    unit: str
    total_cost: Decimal
    lots: list[LotDraw]
    ingredient_name: str = ""


@dataclass(frozen=True)
class ProductionResult:
    production_run_id: int
    recipe_id: int
    finished_unit_id: int
    event_id: int | None
    num_batches: int
    expected_yield: int
    actual_yield: int
    total_ingredient_cost: Decimal
    per_unit_cost: Decimal
    consumptions: list[ConsumptionLine]


@dataclass(frozen=True)
class ProductionRunDTO:
    id: int
    uuid: str
    recipe_id: int
    recipe_name: str
    finished_unit_id: int
    finished_unit_name: str
    event_id: int | None
    event_name: str | None
    num_batches: int
    expected_yield: int
    actual_yield: int
    produced_at: datetime
    notes: str | None
    total_ingredient_cost: Decimal
    per_unit_cost: Decimal
    voided_at: datetime | None
    consumptions: list[ConsumptionLine]
    void_reason: str | None = None
    loss_quantity: int = 0
    loss_category: str | None = None

    @property
    def yield_variance(self) -> int:
        return self.expected_yield - self.actual_yield


@dataclass(frozen=True)
class ComponentAvailability:
    component_type: str
    component_id: int
    component_name: str
    needed: Decimal
    available: Decimal
    unit: str
    sufficient: bool


@dataclass(frozen=True)
class AssemblyAvailability:
    can_assemble: bool
    items: list[ComponentAvailability]
    missing: list[ComponentAvailability]
    reason: str | None = None  # why not, when it is not a shortage (no components)


@dataclass(frozen=True)
class StockLotDraw:
    """One finished-unit or finished-good lot drawn by an assembly."""

    lot_id: int
    lot_date: datetime
    quantity: int
    unit_cost: Decimal
    cost: Decimal


@dataclass(frozen=True)
class ComponentConsumption:
    component_id: int
    component_name: str
    quantity_consumed: Decimal
    unit: str
    total_cost: Decimal
    lots: list  # list[StockLotDraw] for finished items, list[LotDraw] for packaging


@dataclass(frozen=True)
class AssemblyResult:
    assembly_run_id: int
    finished_good_id: int
    event_id: int | None
    quantity_assembled: int
    total_component_cost: Decimal
    per_unit_cost: Decimal
    finished_unit_consumptions: list[ComponentConsumption]
    finished_good_consumptions: list[ComponentConsumption]
    packaging_consumptions: list[ComponentConsumption]


@dataclass(frozen=True)
class AssemblyRunDTO:
    id: int
    uuid: str
    finished_good_id: int
    finished_good_name: str
    event_id: int | None
    event_name: str | None
    quantity_assembled: int
    assembled_at: datetime
    notes: str | None
    total_component_cost: Decimal
    per_unit_cost: Decimal
    voided_at: datetime | None
    void_reason: str | None
    finished_unit_consumptions: list[ComponentConsumption]
    finished_good_consumptions: list[ComponentConsumption]
    packaging_consumptions: list[ComponentConsumption]


@dataclass(frozen=True)
class HistoryImportResult:
    imported: int
    skipped: int
    errors: list[str]


# --- events ---------------------------------------------------------------------------------------


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
    """One row of the Events tab."""

    id: int
    name: str
    event_date: date
    year: int
    recipient_count: int
    package_count: int
    estimated_cost: Decimal
    notes: str | None = None


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
        order = ("pending", "ready", "delivered")
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


# --- dashboard ------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ImportResult:
    """Rows added and skipped per section, and every problem found (nothing written if any)."""

    added: dict[str, int]
    skipped: dict[str, int]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class TargetCheck:
    """What recording ``adding`` more does to an event target (decision 14: warn, not block)."""

    target: int
    done: int
    adding: int
    after: int
    after_pct: Decimal
    exceeds: bool
