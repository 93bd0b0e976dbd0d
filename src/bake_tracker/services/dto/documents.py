"""What a printed document says, as data: one frozen result per kind (``documents_service``).

The PDF renderer (``services.printing``) reads these and nothing else; every figure in them comes
from the service that shows the same figure in the window (shopping list, progress, cost
breakdown), so paper and screen never disagree. Money and quantities stay ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

SHOPPING_LIST = "shopping-list"
BAKING_PLAN = "baking-plan"
PACKING_LIST = "packing-list"
GIFT_TAGS = "gift-tags"
COST_REPORT = "cost-report"
DOCUMENT_KINDS = (SHOPPING_LIST, BAKING_PLAN, PACKING_LIST, GIFT_TAGS, COST_REPORT)
DOCUMENT_TITLES = {
    SHOPPING_LIST: "Shopping list",
    BAKING_PLAN: "Baking plan",
    PACKING_LIST: "Packing list",
    GIFT_TAGS: "Gift tags",
    COST_REPORT: "Cost report",
}


@dataclass(frozen=True)
class DocumentHeader:
    """The top of every page: which document, for which event, printed when."""

    kind: str
    title: str
    event_id: int
    event_name: str
    event_date: date
    printed_on: date


@dataclass(frozen=True)
class ShoppingLine:
    """One ingredient the unmet targets need; ``section`` is "Ingredients" or "Packaging",
    ``category`` the ingredient's category (the list is grouped by it). ``to_buy`` is 0 when the
    pantry covers it (such lines are listed apart, for a look before leaving)."""

    section: str
    category: str
    ingredient_name: str
    product_name: str | None
    package_size: str | None  # "5 lb" — one package of the product, in its purchase unit
    packages_to_buy: int
    needed: Decimal
    on_hand: Decimal
    to_buy: Decimal  # net of the pantry, in ``unit``
    unit: str
    estimated_cost: Decimal | None


@dataclass(frozen=True)
class ShoppingListDocument:
    header: DocumentHeader
    lines: list[ShoppingLine]
    total_estimated_cost: Decimal


@dataclass(frozen=True)
class BatchNeed:
    """What one batch of a recipe takes of an ingredient, nested recipes included."""

    ingredient_name: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class BakingPlanLine:
    recipe_name: str
    target_batches: int
    produced_batches: int
    batches_to_make: int  # target − produced, not below 0
    per_batch: list[BatchNeed]


@dataclass(frozen=True)
class BakingPlanDocument:
    header: DocumentHeader
    lines: list[BakingPlanLine]


@dataclass(frozen=True)
class PackedGood:
    name: str
    quantity: int  # per package


@dataclass(frozen=True)
class PackingLine:
    recipient_name: str
    package_name: str
    quantity: int  # packages for this recipient
    status: str  # pending | ready | delivered
    delivered_to: str | None
    delivered_at: datetime | None
    contents: list[PackedGood]


@dataclass(frozen=True)
class PackingListDocument:
    header: DocumentHeader
    lines: list[PackingLine]


@dataclass(frozen=True)
class GiftTag:
    recipient_name: str
    package_name: str
    quantity: int


@dataclass(frozen=True)
class GiftTagsDocument:
    header: DocumentHeader
    tags: list[GiftTag]
    message: str | None


@dataclass(frozen=True)
class CostLine:
    """Planned vs actual for one recipe (batches) or one finished good (quantity assembled)."""

    name: str
    required: int
    made: int
    planned_cost: Decimal
    actual_cost: Decimal
    variance: Decimal
    variance_percent: Decimal


@dataclass(frozen=True)
class CostLot:
    """A purchase lot behind an actual cost: which run drew what, from which lot, at what price."""

    run_name: str  # "Sugar Cookies, 2025-12-01"
    ingredient_name: str
    product_name: str
    lot_date: date
    quantity: Decimal
    unit: str
    unit_cost: Decimal
    cost: Decimal


@dataclass(frozen=True)
class CostReportDocument:
    header: DocumentHeader
    recipes: list[CostLine]
    finished_goods: list[CostLine]  # packaging cost per finished good (the dashboard's rule)
    planned_total: Decimal
    actual_total: Decimal
    lots: list[CostLot] | None  # None unless asked for


Document = (
    ShoppingListDocument
    | BakingPlanDocument
    | PackingListDocument
    | GiftTagsDocument
    | CostReportDocument
)
