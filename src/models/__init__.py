"""The ORM models. Importing this package registers every table on ``Base.metadata``."""

from src.models.base import Base, Entity
from src.models.catalog import (
    AdjustmentDraw,
    Ingredient,
    InventoryItem,
    Product,
    Purchase,
    StockAdjustment,
    UnitConversion,
)
from src.models.events import (
    Event,
    EventAssemblyTarget,
    EventProductionTarget,
    EventRecipientPackage,
    Recipient,
)
from src.models.goods import Composition, FinishedGood, FinishedUnit, Package, PackageFinishedGood
from src.models.recipes import Recipe, RecipeComponent, RecipeIngredient
from src.models.runs import (
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
from src.models.stock import FinishedGoodLot, FinishedUnitLot

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
    "EventProductionTarget",
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
