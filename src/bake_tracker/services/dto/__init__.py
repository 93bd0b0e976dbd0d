"""Frozen dataclasses that cross from the services into the UI, the command line and the tests.

Results never carry ORM objects. Money and quantities are ``Decimal`` (never ``float``), dates
``datetime.date`` and timestamps timezone-aware UTC ``datetime``. The status enums reach the UI from
here, so the UI never imports ``bake_tracker.models``. One module per topic; every name is
importable from ``bake_tracker.services.dto`` itself.

The names load at first use: ``from bake_tracker.services.dto import EventSummary`` imports
``dto.dashboard`` only. Each module's frozen dataclasses cost about 1 ms apiece to create (the
dataclass machinery compiles their methods), ~60 ms for all of them, and the window's first
paint uses a few: it then loads the three modules it needs, not all nine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and readers see; at run time ``__getattr__`` loads
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
        EventStatus,
        EventSummary,
        RecipeCost,
    )
    from bake_tracker.services.dto.data import (
        BackupEntry,
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
        LastAssignment,
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
        PriceHistory,
        PricePoint,
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

# Where each name lives: the module is imported the first time one of its names is asked for.
_HOMES: dict[str, tuple[str, ...]] = {
    "bake_tracker.models.enums": (
        "AdjustmentReason",
        "AssemblyType",
        "ComponentType",
        "FulfillmentStatus",
        "LossCategory",
        "YieldMode",
    ),
    "bake_tracker.services.dto.catalog": (
        "IngredientDTO",
        "ProductDTO",
        "UnitConversionDTO",
    ),
    "bake_tracker.services.dto.dashboard": (
        "DrilldownLine",
        "DrilldownLot",
        "EventStatus",
        "EventSummary",
        "RecipeCost",
    ),
    "bake_tracker.services.dto.data": (
        "BackupEntry",
        "DatabaseInfo",
        "HistoryImportResult",
        "ImportResult",
    ),
    "bake_tracker.services.dto.events": (
        "AssemblyProgress",
        "AssemblyTargetDTO",
        "AssignmentDTO",
        "EventDTO",
        "EventSummaryRow",
        "OverallProgress",
        "ProductionProgress",
        "ProductionTargetDTO",
        "RecipeNeed",
        "ShoppingItem",
        "ShoppingList",
        "TargetCheck",
        "TargetSuggestion",
    ),
    "bake_tracker.services.dto.goods": (
        "CompositionDTO",
        "FinishedGoodDetail",
        "FinishedGoodDTO",
        "FinishedUnitDTO",
        "LastAssignment",
        "PackageDetail",
        "PackageDTO",
        "PackageItemDTO",
        "RecipientDTO",
        "RecipientHistoryLine",
    ),
    "bake_tracker.services.dto.inventory": (
        "FifoResult",
        "InventorySummary",
        "LotDraw",
        "LotDTO",
        "PriceHistory",
        "PricePoint",
        "PurchaseDTO",
    ),
    "bake_tracker.services.dto.recipes": (
        "AggregatedIngredient",
        "ComponentCost",
        "CostEstimate",
        "IngredientSource",
        "RecipeComponentDTO",
        "RecipeCostBreakdown",
        "RecipeDetail",
        "RecipeDTO",
        "RecipeIngredientDTO",
    ),
    "bake_tracker.services.dto.runs": (
        "AssemblyAvailability",
        "AssemblyResult",
        "AssemblyRunDTO",
        "ComponentAvailability",
        "ComponentConsumption",
        "ConsumptionLine",
        "IngredientAvailability",
        "ProductionAvailability",
        "ProductionResult",
        "ProductionRunDTO",
        "StockLotDraw",
    ),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

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
    "BackupEntry",
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
    "EventStatus",
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
    "LastAssignment",
    "LossCategory",
    "LotDTO",
    "LotDraw",
    "OverallProgress",
    "PackageDTO",
    "PackageDetail",
    "PackageItemDTO",
    "PriceHistory",
    "PricePoint",
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


def __getattr__(name: str) -> Any:
    """Load ``name``'s module at its first use and keep the name here (PEP 562)."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
