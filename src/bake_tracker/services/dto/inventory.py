"""The pantry: purchases, lots and FIFO draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


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
