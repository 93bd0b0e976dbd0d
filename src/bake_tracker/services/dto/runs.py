"""Production and assembly: availability, results and recorded runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bake_tracker.services.dto.inventory import LotDraw


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
