"""What each printable document of an event says: the data behind the PDFs, no drawing.

One public function per kind, each one transaction, each returning a frozen result of
``dto.documents`` that ``services.printing`` draws:

* ``shopping_list_document``: what to buy net of the pantry (``get_shopping_list``, the Shopping
  List tab's figures), with each product's package size and the ingredient's category;
* ``baking_plan_document``: per production target, batches still to make and what one batch takes
  (``get_production_progress`` and the recipe tree's aggregated needs, as
  ``get_aggregated_ingredients`` gives them: nested recipes included);
* ``packing_list_document``: per assignment, the package's finished goods and its status;
* ``gift_tags_document``: one tag per assignment, with an optional short message;
* ``cost_report_document``: planned vs actual per recipe and per finished good (the dashboard's
  figures), and on request the purchase lots behind the actual cost.

``build_document(kind, event_id, ...)`` picks one by its command-line name and
``print_document(...)`` builds it and writes the PDF. An event with nothing to print still gives a
document, which says so in words (one rule for every kind: the paper is never blank and never
refused).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bake_tracker.core.numbers import MONEY_ZERO
from bake_tracker.core.paper import PAGE_SIZES
from bake_tracker.models import (
    FinishedGood,
    Ingredient,
    PackageFinishedGood,
    Product,
    ProductionRun,
    Recipe,
)
from bake_tracker.services import (
    dashboard_service,
    event_service,
    recipe_tree,
)
from bake_tracker.services.dto import RecipeCost, ShoppingItem
from bake_tracker.services.dto.documents import (
    BAKING_PLAN,
    COST_REPORT,
    DOCUMENT_KINDS,
    DOCUMENT_TITLES,
    GIFT_TAGS,
    PACKING_LIST,
    SHOPPING_LIST,
    BakingPlanDocument,
    BakingPlanLine,
    BatchNeed,
    CostLine,
    CostLot,
    CostReportDocument,
    Document,
    DocumentHeader,
    GiftTag,
    GiftTagsDocument,
    PackedGood,
    PackingLine,
    PackingListDocument,
    ShoppingLine,
    ShoppingListDocument,
)
from bake_tracker.services.errors import ValidationError
from bake_tracker.services.loading import load_event
from bake_tracker.services.transactions import use_session

# A tag has room for a few lines; a longer "message" is a letter, and is refused with its length.
MAX_MESSAGE = 200


def shopping_list_document(
    event_id: int, *, today: date | None = None, session: Session | None = None
) -> ShoppingListDocument:
    """What the event's unmet targets need, net of the pantry, grouped by category (lines the
    pantry covers have ``to_buy`` 0).

    Raises:
        EventNotFoundError.
    """
    with use_session(session) as s:
        header = _header(s, event_id, SHOPPING_LIST, today)
        shopping = event_service.get_shopping_list(event_id, session=s)
        items = [("Ingredients", i) for i in shopping.items] + [
            ("Packaging", i) for i in shopping.packaging
        ]
        categories, sizes = _categories_and_sizes(s, [i for _, i in items])
        lines = [_shopping_line(section, i, categories, sizes) for section, i in items]
        lines.sort(key=lambda line: (line.section != "Ingredients", line.category.casefold()))
        return ShoppingListDocument(header, lines, shopping.total_estimated_cost)


def _shopping_line(
    section: str, item: ShoppingItem, categories: dict[str, str], sizes: dict[int, str]
) -> ShoppingLine:
    return ShoppingLine(
        section=section,
        category=categories.get(item.ingredient_slug) or "Other",
        ingredient_name=item.ingredient_name,
        product_name=item.product_name,
        package_size=sizes.get(item.product_id) if item.product_id is not None else None,
        packages_to_buy=item.packages_to_buy,
        needed=item.quantity_needed,
        on_hand=item.quantity_on_hand,
        to_buy=item.shortfall,
        unit=item.unit,
        estimated_cost=item.estimated_cost,
    )


def _categories_and_sizes(
    session: Session, items: list[ShoppingItem]
) -> tuple[dict[str, str], dict[int, str]]:
    """{ingredient slug: category} and {product id: "5 lb"} for the lines, two queries."""
    slugs = {i.ingredient_slug for i in items}
    product_ids = {i.product_id for i in items if i.product_id is not None}
    categories = dict(
        session.execute(
            select(Ingredient.slug, Ingredient.category).where(Ingredient.slug.in_(slugs))
        ).all()
    )
    sizes = {
        row.id: f"{_plain(row.purchase_quantity)} {row.purchase_unit}"
        for row in session.execute(
            select(Product.id, Product.purchase_quantity, Product.purchase_unit).where(
                Product.id.in_(product_ids)
            )
        )
    }
    return categories, sizes


def baking_plan_document(
    event_id: int, *, today: date | None = None, session: Session | None = None
) -> BakingPlanDocument:
    """Per production target: batches still to make and what one batch needs.

    Raises:
        EventNotFoundError.
    """
    with use_session(session) as s:
        header = _header(s, event_id, BAKING_PLAN, today)
        progress = event_service.get_production_progress(event_id, session=s)
        # every target's recipe tree in one read (3 queries), as get_aggregated_ingredients does
        tree = recipe_tree.load_tree(s, [row.recipe_id for row in progress])
        lines = []
        for row in progress:
            needs = recipe_tree.aggregate(tree, row.recipe_id)
            lines.append(
                BakingPlanLine(
                    recipe_name=row.recipe_name,
                    target_batches=row.target_batches,
                    produced_batches=row.produced_batches,
                    batches_to_make=max(row.target_batches - row.produced_batches, 0),
                    per_batch=[
                        BatchNeed(n.ingredient_name, n.total_quantity, n.unit) for n in needs
                    ],
                )
            )
        return BakingPlanDocument(header, lines)


def packing_list_document(
    event_id: int, *, today: date | None = None, session: Session | None = None
) -> PackingListDocument:
    """Per assignment (by recipient): the package, its finished goods and its status.

    Raises:
        EventNotFoundError.
    """
    with use_session(session) as s:
        header = _header(s, event_id, PACKING_LIST, today)
        assignments = event_service.get_event_assignments(event_id, session=s)
        contents = _package_contents(s, {a.package_id for a in assignments})
        lines = [
            PackingLine(
                recipient_name=a.recipient_name,
                package_name=a.package_name,
                quantity=a.quantity,
                status=a.fulfillment_status,
                delivered_to=a.delivered_to,
                delivered_at=a.delivered_at,
                contents=contents.get(a.package_id, []),
            )
            for a in assignments
        ]
        return PackingListDocument(header, lines)


def _package_contents(session: Session, package_ids: set[int]) -> dict[int, list[PackedGood]]:
    """{package id: its finished goods by name}, one query."""
    found: dict[int, list[PackedGood]] = defaultdict(list)
    rows = session.execute(
        select(
            PackageFinishedGood.package_id, FinishedGood.display_name, PackageFinishedGood.quantity
        )
        .join(FinishedGood, FinishedGood.id == PackageFinishedGood.finished_good_id)
        .where(PackageFinishedGood.package_id.in_(package_ids))
        .order_by(PackageFinishedGood.package_id, FinishedGood.display_name)
    )
    for package_id, name, quantity in rows:
        found[package_id].append(PackedGood(name, quantity))
    return found


def gift_tags_document(
    event_id: int,
    *,
    message: str | None = None,
    today: date | None = None,
    session: Session | None = None,
) -> GiftTagsDocument:
    """One tag per assignment (recipient, package, event) with an optional short message.

    Raises:
        EventNotFoundError, ValidationError (a message longer than ``MAX_MESSAGE`` characters).
    """
    cleaned = clean_message(message)
    with use_session(session) as s:
        header = _header(s, event_id, GIFT_TAGS, today)
        tags = [
            GiftTag(a.recipient_name, a.package_name, a.quantity)
            for a in event_service.get_event_assignments(event_id, session=s)
        ]
        return GiftTagsDocument(header, tags, cleaned)


def clean_message(message: Any) -> str | None:
    """The tag message as printed: control characters (NUL, tabs, line breaks) become spaces,
    runs of spaces one; empty means none.

    Raises:
        ValidationError: not text, or longer than ``MAX_MESSAGE`` characters.
    """
    if message is None:
        return None
    if not isinstance(message, str):
        raise ValidationError("The tag message must be text")
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            f"The tag message is {len(message):,} characters long; a tag holds "
            f"{MAX_MESSAGE} at most"
        )
    text = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in message)
    return " ".join(text.split()) or None


def cost_report_document(
    event_id: int,
    *,
    include_lots: bool = False,
    today: date | None = None,
    session: Session | None = None,
) -> CostReportDocument:
    """Planned vs actual per recipe and per finished good; with ``include_lots`` the purchase lots
    behind each production run's actual cost.

    Raises:
        EventNotFoundError.
    """
    with use_session(session) as s:
        header = _header(s, event_id, COST_REPORT, today)
        recipes = [
            _cost_line(c) for c in dashboard_service.get_recipe_cost_breakdown(event_id, session=s)
        ]
        goods = [
            _cost_line(c)
            for c in dashboard_service.get_finished_good_cost_breakdown(event_id, session=s)
        ]
        every = recipes + goods
        return CostReportDocument(
            header=header,
            recipes=recipes,
            finished_goods=goods,
            planned_total=sum((c.planned_cost for c in every), MONEY_ZERO),
            actual_total=sum((c.actual_cost for c in every), MONEY_ZERO),
            lots=_cost_lots(s, event_id) if include_lots else None,
        )


def _cost_line(cost: RecipeCost) -> CostLine:
    return CostLine(
        name=cost.recipe_name,
        required=cost.batches_required,
        made=cost.batches_produced,
        planned_cost=cost.planned_cost,
        actual_cost=cost.actual_cost,
        variance=cost.variance,
        variance_percent=cost.variance_percent,
    )


def _cost_lots(session: Session, event_id: int) -> list[CostLot]:
    """Every lot drawn by the event's live production runs, oldest run first."""
    runs = session.execute(
        select(ProductionRun.id, Recipe.name, ProductionRun.produced_at)
        .join(Recipe, Recipe.id == ProductionRun.recipe_id)
        .where(ProductionRun.event_id == event_id, ProductionRun.voided_at.is_(None))
        .order_by(ProductionRun.produced_at, ProductionRun.id)
    ).all()
    lots = []
    for run_id, recipe_name, produced_at in runs:
        run_name = f"{recipe_name}, {produced_at.date().isoformat()}"
        for line in dashboard_service.get_cost_drilldown(run_id, session=session):
            lots.extend(
                CostLot(
                    run_name=run_name,
                    ingredient_name=line.ingredient_name,
                    product_name=lot.product_name,
                    lot_date=lot.lot_date,
                    quantity=lot.quantity,
                    unit=lot.unit,
                    unit_cost=lot.unit_cost,
                    cost=lot.cost,
                )
                for lot in line.lots
            )
    return lots


def build_document(
    kind: str,
    event_id: int,
    *,
    message: str | None = None,
    include_lots: bool = False,
    today: date | None = None,
    session: Session | None = None,
) -> Document:
    """The document of ``kind`` (one of ``DOCUMENT_KINDS``) for the event.

    Raises:
        ValidationError (an unknown kind, a message too long), EventNotFoundError.
    """
    kind = check_kind(kind)
    if kind == GIFT_TAGS:
        return gift_tags_document(event_id, message=message, today=today, session=session)
    if kind == COST_REPORT:
        return cost_report_document(
            event_id, include_lots=include_lots, today=today, session=session
        )
    builder = {
        SHOPPING_LIST: shopping_list_document,
        BAKING_PLAN: baking_plan_document,
        PACKING_LIST: packing_list_document,
    }[kind]
    return builder(event_id, today=today, session=session)


def print_document(
    kind: str,
    event_id: int,
    path: str | Path,
    *,
    page_size: str = "letter",
    message: str | None = None,
    include_lots: bool = False,
) -> Path:
    """Build the document and write it as a PDF to ``path`` (whole or not at all); the path.

    Every argument is checked before the database is read or the file touched.

    Raises:
        ValidationError (unknown kind or page size, message too long), EventNotFoundError,
        ExportError (the file could not be written).
    """
    from bake_tracker.services import printing  # fpdf2 is imported only when printing

    kind, page_size = check_kind(kind), check_page_size(page_size)
    document = build_document(kind, event_id, message=message, include_lots=include_lots)
    return printing.write_pdf(document, path, page_size=page_size)


def check_kind(kind: Any) -> str:
    """``kind`` as a known document kind.

    Raises:
        ValidationError naming the kinds.
    """
    text = str(kind).strip().lower()
    if text not in DOCUMENT_KINDS:
        raise ValidationError(
            f"Unknown document {str(kind)[:40]!r}; choose one of: {', '.join(DOCUMENT_KINDS)}"
        )
    return text


def check_page_size(page_size: Any) -> str:
    text = str(page_size).strip().lower()
    if text not in PAGE_SIZES:
        raise ValidationError(f"Unknown page size {str(page_size)[:40]!r}; choose a4 or letter")
    return text


def _header(session: Session, event_id: int, kind: str, today: date | None) -> DocumentHeader:
    event = load_event(session, event_id)
    return DocumentHeader(
        kind=kind,
        title=DOCUMENT_TITLES[kind],
        event_id=event.id,
        event_name=event.name,
        event_date=event.event_date,
        printed_on=today or date.today(),
    )


def _plain(value: Decimal) -> str:
    """1.500 → "1.5", 5.000 → "5" (a package size as people write it)."""
    text = format(value.normalize(), "f")
    return text


__all__ = [
    "DOCUMENT_KINDS",
    "MAX_MESSAGE",
    "PAGE_SIZES",
    "baking_plan_document",
    "build_document",
    "check_kind",
    "check_page_size",
    "clean_message",
    "cost_report_document",
    "gift_tags_document",
    "packing_list_document",
    "print_document",
    "shopping_list_document",
]
