"""Finished units and goods, packages and recipients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal


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


@dataclass(frozen=True)
class RecipientHistoryLine:
    """One package a recipient was given at one event: which, how many, and how far it came
    (``fulfillment_status`` pending → ready → delivered; delivered when and to whom)."""

    assignment_id: int
    event_id: int
    event_name: str
    event_date: date
    year: int
    package_id: int
    package_name: str
    quantity: int
    fulfillment_status: str
    delivered_at: datetime | None = None
    delivered_to: str | None = None
    notes: str | None = None
    recipient_id: int | None = None  # whose line it is (the export lists every recipient's)
    recipient_name: str | None = None


@dataclass(frozen=True)
class LastAssignment:
    """What a recipient got last time (``recipient_service.last_assignment``): the latest event
    before the one being planned, one of its packages, and how many other packages they got there
    (``other_packages``: the assign dialog says "and 1 more")."""

    event_id: int
    event_name: str
    event_date: date
    year: int
    package_name: str
    quantity: int
    fulfillment_status: str
    delivered_at: datetime | None
    other_packages: int
