"""The ORM models. Importing this package registers every table on ``Base.metadata``.

The model modules do not postpone their annotations (no ``from __future__ import annotations``):
a column's ``Mapped[...]`` is then an object when the class is made, where a string would be
``eval``-ed by SQLAlchemy, for every class that inherits it too (~40 ms of each start). Only the
relationships name their target classes as strings (``Mapped[list["Product"]]``), which
SQLAlchemy resolves when the mappers are configured; ``tests/models/test_annotations.py``.
"""

from sqlalchemy import Index

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


def _unique_uuid_indexes() -> None:
    """Every table's ``uuid`` is unique through an index named ``uq_<table>_uuid`` (migration
    0009 turned the constraints into these), so a bulk load can drop and rebuild it."""
    for table in Base.metadata.tables.values():
        if "uuid" in table.c:
            Index(f"uq_{table.name}_uuid", table.c.uuid, unique=True)


_unique_uuid_indexes()

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
