"""The ORM models. Importing this package registers every table on ``Base.metadata``."""

from bake_tracker.models.base import Base, Entity
from bake_tracker.models.catalog import (
    AdjustmentDraw,
    Ingredient,
    InventoryItem,
    Product,
    Purchase,
    StockAdjustment,
    UnitConversion,
)
from bake_tracker.models.events import (
    Event,
    EventAssemblyTarget,
    EventProductionTarget,
    EventRecipientPackage,
    Recipient,
)
from bake_tracker.models.goods import (
    Composition,
    FinishedGood,
    FinishedUnit,
    Package,
    PackageFinishedGood,
)
from bake_tracker.models.recipes import Recipe, RecipeComponent, RecipeIngredient
from bake_tracker.models.runs import (
    AssemblyFinishedGoodConsumption,
    AssemblyFinishedGoodConsumptionLot,
    AssemblyFinishedUnitConsumption,
    AssemblyFinishedUnitConsumptionLot,
    AssemblyPackagingConsumption,
    AssemblyPackagingConsumptionLot,
    AssemblyRun,
    ProductionConsumption,
    ProductionConsumptionLot,
    ProductionRun,
)
from bake_tracker.models.stock import FinishedGoodLot, FinishedUnitLot
from bake_tracker.models.totals import EventAssemblyTotal, EventProductionTotal, ProductStockTotal

__all__ = [
    "AdjustmentDraw",
    "AssemblyFinishedGoodConsumption",
    "AssemblyFinishedGoodConsumptionLot",
    "AssemblyFinishedUnitConsumption",
    "AssemblyFinishedUnitConsumptionLot",
    "AssemblyPackagingConsumption",
    "AssemblyPackagingConsumptionLot",
    "AssemblyRun",
    "Base",
    "Composition",
    "Entity",
    "Event",
    "EventAssemblyTarget",
    "EventAssemblyTotal",
    "EventProductionTarget",
    "EventProductionTotal",
    "EventRecipientPackage",
    "FinishedGood",
    "FinishedGoodLot",
    "FinishedUnit",
    "FinishedUnitLot",
    "Ingredient",
    "InventoryItem",
    "Package",
    "PackageFinishedGood",
    "Product",
    "ProductStockTotal",
    "ProductionConsumption",
    "ProductionConsumptionLot",
    "ProductionRun",
    "Purchase",
    "Recipe",
    "RecipeComponent",
    "RecipeIngredient",
    "Recipient",
    "StockAdjustment",
    "UnitConversion",
]
