"""How each list document is laid out on the page: its columns, groups and totals.

An empty document says why in a sentence under the header (the one rule for every kind).
"""

from __future__ import annotations

from itertools import groupby

from bake_tracker.core.dates import format_date
from bake_tracker.core.wording import format_number
from bake_tracker.services.dto.documents import (
    BakingPlanDocument,
    CostLine,
    CostReportDocument,
    PackedGood,
    PackingListDocument,
    ShoppingLine,
    ShoppingListDocument,
)
from bake_tracker.services.printing.sheet import MAX_BOXES, Column, Sheet, money, quantity

NOTHING_TO_BUY = "Nothing to buy: the pantry covers everything the targets still need."
NO_NEEDS = (
    "Nothing to buy: the event has no production or assembly targets still to make. Set "
    "targets on the event's Targets tab to see what they need."
)
NO_TARGETS = "Nothing to bake: the event has no production targets yet."
NO_ASSIGNMENTS = "Nothing to pack: no packages are assigned to recipients for this event yet."
NO_COSTS = "No costs yet: the event has no production or assembly targets."
STATUS_WORDS = {"pending": "Pending", "ready": "Ready", "delivered": "Delivered"}

SHOPPING_COLUMNS = (
    Column("Got", 0.06, check=True),
    Column("Ingredient", 0.21),
    Column("Product", 0.22),
    Column("Package size", 0.12),
    Column("Packages", 0.11, "R"),
    Column("To buy", 0.14, "R"),
    Column("Est. cost", 0.14, "R"),
)
COVERED_COLUMNS = (
    Column("Ingredient", 0.34),
    Column("Category", 0.26),
    Column("Needed", 0.20, "R"),
    Column("On hand", 0.20, "R"),
)
BAKING_COLUMNS = (
    Column("Recipe", 0.25),
    Column("Batches to make", 0.12, "R"),
    Column("One batch needs", 0.27),
    Column("Amount", 0.16, "R"),
    Column("Done (one box a batch)", 0.20, check=True),
)
PACKING_COLUMNS = (
    Column("Done", 0.07, check=True),
    Column("Recipient", 0.20),
    Column("Package", 0.19),
    Column("Contents", 0.24),
    Column("Status", 0.11),
    Column("Signature / notes", 0.19),
)
COST_COLUMNS = (
    Column("Name", 0.30),
    Column("Required", 0.10, "R"),
    Column("Made", 0.09, "R"),
    Column("Planned", 0.13, "R"),
    Column("Actual", 0.13, "R"),
    Column("Variance", 0.13, "R"),
    Column("%", 0.12, "R"),
)
LOT_COLUMNS = (
    Column("Run", 0.22),
    Column("Ingredient", 0.16),
    Column("Lot (product, bought)", 0.24),
    Column("Drawn", 0.12, "R"),
    Column("Unit cost", 0.13, "R"),
    Column("Cost", 0.13, "R"),
)


def draw_shopping_list(sheet: Sheet, document: ShoppingListDocument) -> None:
    to_buy = [line for line in document.lines if line.to_buy > 0]
    covered = [line for line in document.lines if line.to_buy <= 0]
    if not document.lines:
        sheet.paragraph(NO_NEEDS)
        return
    if not to_buy:
        sheet.paragraph(NOTHING_TO_BUY)
    else:
        _draw_to_buy(sheet, to_buy, document)
    if covered:
        sheet.section("Already in the pantry (nothing to buy)")
        sheet.start_table(COVERED_COLUMNS)
        for line in covered:
            sheet.row(
                (
                    line.ingredient_name,
                    line.category,
                    quantity(line.needed, line.unit),
                    quantity(line.on_hand, line.unit),
                )
            )
        sheet.end_table()


def _draw_to_buy(sheet: Sheet, lines: list[ShoppingLine], document: ShoppingListDocument) -> None:
    sheet.start_table(SHOPPING_COLUMNS)
    for (section, category), group in groupby(
        lines, key=lambda line: (line.section, line.category)
    ):
        sheet.group(f"{section}: {category}" if section != "Ingredients" else category)
        for line in group:
            sheet.row(
                (
                    "",
                    line.ingredient_name,
                    line.product_name or "No product yet",
                    line.package_size or "—",
                    str(line.packages_to_buy) if line.packages_to_buy else "—",
                    quantity(line.to_buy, line.unit),
                    money(line.estimated_cost),
                )
            )
    total = money(document.total_estimated_cost)
    sheet.row(("", "Estimated total", "", "", "", "", total), bold=True, checks=False)
    sheet.end_table()


def draw_baking_plan(sheet: Sheet, document: BakingPlanDocument) -> None:
    if not document.lines:
        sheet.paragraph(NO_TARGETS)
        return
    sheet.start_table(BAKING_COLUMNS)
    for line in document.lines:
        to_make = (
            f"{line.batches_to_make} of {line.target_batches}"
            if line.batches_to_make
            else f"done ({line.produced_batches} of {line.target_batches})"
        )
        needs = line.per_batch or []
        first = needs[0] if needs else None
        sheet.row(
            (
                line.recipe_name,
                to_make,
                first.ingredient_name if first else "(no ingredients)",
                quantity(first.quantity, first.unit) if first else "",
                _boxes(line.batches_to_make),
            ),
            bold=False,
        )
        for need in needs[1:]:
            cells = ("", "", need.ingredient_name, quantity(need.quantity, need.unit), "")
            sheet.row(cells, checks=False)
    sheet.end_table()


def _boxes(count: int) -> str:
    """The Done cell: one box per batch to make (the sheet draws them), else in words."""
    if count <= 0:
        return "all done"
    if count > MAX_BOXES:
        return f"{count} batches"
    return str(count)


def draw_packing_list(sheet: Sheet, document: PackingListDocument) -> None:
    if not document.lines:
        sheet.paragraph(NO_ASSIGNMENTS)
        return
    sheet.start_table(PACKING_COLUMNS)
    for line in document.lines:
        package = line.package_name + (f" × {line.quantity}" if line.quantity != 1 else "")
        status = STATUS_WORDS.get(line.status, line.status)
        if line.status == "delivered" and line.delivered_at is not None:
            status += f" {format_date(line.delivered_at.date())}"
        contents = line.contents or []
        first = _packed(contents[0]) if contents else "(empty package)"
        note = f"to {line.delivered_to}" if line.delivered_to else ""
        sheet.row(("", line.recipient_name, package, first, status, note))
        for good in contents[1:]:
            sheet.row(("", "", "", _packed(good), "", ""), checks=False)
    sheet.end_table()


def _packed(good: PackedGood) -> str:
    return f"{good.quantity} × {good.name}"


def draw_cost_report(sheet: Sheet, document: CostReportDocument) -> None:
    if not document.recipes and not document.finished_goods:
        sheet.paragraph(NO_COSTS)
    for title, lines, unit in (
        ("Recipes (ingredients)", document.recipes, "batches"),
        ("Finished goods (packaging)", document.finished_goods, "assembled"),
    ):
        if not lines:
            continue
        sheet.section(f"{title}: required and made in {unit}")
        sheet.start_table(COST_COLUMNS)
        for line in lines:
            sheet.row(_cost_cells(line))
        sheet.end_table()
    if document.recipes or document.finished_goods:
        variance = document.actual_total - document.planned_total
        sheet.paragraph(
            f"Total planned {money(document.planned_total)}  ·  actual "
            f"{money(document.actual_total)}  ·  variance {money(variance)}",
            bold=True,
        )
    if document.lots is not None:
        _draw_lots(sheet, document)


def _cost_cells(line: CostLine) -> tuple[str, ...]:
    return (
        line.name,
        str(line.required),
        str(line.made),
        money(line.planned_cost),
        money(line.actual_cost),
        money(line.variance),
        f"{format_number(line.variance_percent)} %",
    )


def _draw_lots(sheet: Sheet, document: CostReportDocument) -> None:
    sheet.section("Purchase lots behind the actual cost")
    if not document.lots:
        sheet.paragraph("No production recorded for this event yet.")
        return
    sheet.start_table(LOT_COLUMNS)
    for lot in document.lots:
        sheet.row(
            (
                lot.run_name,
                lot.ingredient_name,
                f"{lot.product_name}, {format_date(lot.lot_date)}",
                quantity(lot.quantity, lot.unit),
                money(lot.unit_cost) if lot.unit_cost >= 1 else f"${lot.unit_cost:.4f}",
                money(lot.cost),
            )
        )
    sheet.end_table()
