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


@dataclass(frozen=True)
class PricePoint:
    """One purchase of an ingredient (``price_history_service``): when, which product, where,
    how much for how much, and the price of one of the ingredient's recipe units.

    ``unit_cost`` is per purchase unit, as recorded; ``unit_price`` is per recipe unit, exactly as
    recipe costing prices it (``core.recipes.price_per_recipe_unit``, full precision), or None when
    the product's unit no longer converts to the recipe unit (a density removed since)."""

    purchase_id: int
    purchase_date: date
    product_id: int
    product_name: str
    supplier: str | None
    quantity: Decimal  # in purchase_unit
    purchase_unit: str
    total_cost: Decimal
    unit_cost: Decimal
    unit_price: Decimal | None


@dataclass(frozen=True)
class PriceHistory:
    """What an ingredient cost over time: its purchases newest first (at most the limit asked
    for), with the latest and the average price per recipe unit (``unit``).

    ``average_price`` is weighted by quantity over *all* its purchases — everything paid ÷
    everything bought, in the recipe unit, rounded half-up to 4 places — which is what a baker
    means by "what I paid on average" (a big sack counts more than a small bag). None without a
    purchase that converts."""

    ingredient_id: int
    ingredient_slug: str
    ingredient_name: str
    unit: str
    points: list[PricePoint]
    purchase_count: int  # all purchases, also those beyond the limit
    latest_price: Decimal | None
    average_price: Decimal | None
