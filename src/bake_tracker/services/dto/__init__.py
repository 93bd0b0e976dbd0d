"""Frozen dataclasses that cross from the services into the UI, the command line and the tests.

Results never carry ORM objects. Money and quantities are ``Decimal`` (never ``float``), dates
``datetime.date`` and timestamps timezone-aware UTC ``datetime``. The status enums reach the UI from
here, so the UI never imports ``bake_tracker.models``. One module per topic; every name is
importable from ``bake_tracker.services.dto`` itself.
"""

from __future__ import annotations

from bake_tracker.models.enums import (
    AdjustmentReason,
    AssemblyType,
    ComponentType,
    FulfillmentStatus,
    LossCategory,
    YieldMode,
)
from bake_tracker.services.dto.catalog import (
    IngredientDTO,
    ProductDTO,
    UnitConversionDTO,
)
from bake_tracker.services.dto.dashboard import (
    DrilldownLine,
    DrilldownLot,
    EventSummary,
    RecipeCost,
)
from bake_tracker.services.dto.data import (
    DatabaseInfo,
    HistoryImportResult,
    ImportResult,
)
from bake_tracker.services.dto.events import (
    AssemblyProgress,
    AssemblyTargetDTO,
    AssignmentDTO,
    EventDTO,
    EventSummaryRow,
    OverallProgress,
    ProductionProgress,
    ProductionTargetDTO,
    RecipeNeed,
    ShoppingItem,
    ShoppingList,
    TargetCheck,
    TargetSuggestion,
)
from bake_tracker.services.dto.goods import (
    CompositionDTO,
    FinishedGoodDetail,
    FinishedGoodDTO,
    FinishedUnitDTO,
    PackageDetail,
    PackageDTO,
    PackageItemDTO,
    RecipientDTO,
    RecipientHistoryLine,
)
from bake_tracker.services.dto.inventory import (
    FifoResult,
    InventorySummary,
    LotDraw,
    LotDTO,
    PurchaseDTO,
)
from bake_tracker.services.dto.recipes import (
    AggregatedIngredient,
    ComponentCost,
    CostEstimate,
    IngredientSource,
    RecipeComponentDTO,
    RecipeCostBreakdown,
    RecipeDetail,
    RecipeDTO,
    RecipeIngredientDTO,
)
from bake_tracker.services.dto.runs import (
    AssemblyAvailability,
    AssemblyResult,
    AssemblyRunDTO,
    ComponentAvailability,
    ComponentConsumption,
    ConsumptionLine,
    IngredientAvailability,
    ProductionAvailability,
    ProductionResult,
    ProductionRunDTO,
    StockLotDraw,
)

__all__ = [
    "AdjustmentReason",
    "AggregatedIngredient",
    "AssemblyAvailability",
    "AssemblyProgress",
    "AssemblyResult",
    "AssemblyRunDTO",
    "AssemblyTargetDTO",
    "AssemblyType",
    "AssignmentDTO",
    "ComponentAvailability",
    "ComponentConsumption",
    "ComponentCost",
    "ComponentType",
    "CompositionDTO",
    "ConsumptionLine",
    "CostEstimate",
    "DatabaseInfo",
    "DrilldownLine",
    "DrilldownLot",
    "EventDTO",
    "EventSummary",
    "EventSummaryRow",
    "FifoResult",
    "FinishedGoodDTO",
    "FinishedGoodDetail",
    "FinishedUnitDTO",
    "FulfillmentStatus",
    "HistoryImportResult",
    "ImportResult",
    "IngredientAvailability",
    "IngredientDTO",
    "IngredientSource",
    "InventorySummary",
    "LossCategory",
    "LotDTO",
    "LotDraw",
    "OverallProgress",
    "PackageDTO",
    "PackageDetail",
    "PackageItemDTO",
    "ProductDTO",
    "ProductionAvailability",
    "ProductionProgress",
    "ProductionResult",
    "ProductionRunDTO",
    "ProductionTargetDTO",
    "PurchaseDTO",
    "RecipeComponentDTO",
    "RecipeCost",
    "RecipeCostBreakdown",
    "RecipeDTO",
    "RecipeDetail",
    "RecipeIngredientDTO",
    "RecipeNeed",
    "RecipientDTO",
    "RecipientHistoryLine",
    "ShoppingItem",
    "ShoppingList",
    "StockLotDraw",
    "TargetCheck",
    "TargetSuggestion",
    "UnitConversionDTO",
    "YieldMode",
]
