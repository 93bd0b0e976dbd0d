"""The Event Detail window's Shopping List tab: ingredients and packaging still to buy for unmet
targets, the estimated total, and Export CSV.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import ShoppingItem
from bake_tracker.services.dto.documents import SHOPPING_LIST
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.kit.buttons import ActionButton
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import MUTED_TEXT

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


MISSING_ROW = ("#8A4B00", "#FFB74D")  # (light, dark)
SHOPPING_COLUMNS = (
    Column("ingredient", "Ingredient", 170),
    Column("needed", "Needed", 80, "e"),
    Column("on_hand", "On hand", 80, "e"),
    Column("to_buy", "To buy", 80, "e"),
    Column("unit", "Unit", 60),
    Column("product", "Product", 240),
    Column("packages", "Packages", 80, "e"),
    Column("cost", "Est. cost", 90, "e"),
)
NO_SHOPPING = "Nothing to buy: set production targets that are not yet met to see ingredients here."
NO_PACKAGING = "No packaging needed."


def product_cell(item: ShoppingItem) -> str:
    """The recommended product in words: preferred ★, the cheapest of several, none, or enough."""
    if item.product_status == "sufficient":
        return "Enough on hand"
    if item.product_name is None:
        return "No product yet (add one on the Ingredients tab)"
    if item.product_status == "preferred":
        return f"★ {item.product_name}"
    return f"{item.product_name} (cheapest)"


def shopping_row(index: int, item: ShoppingItem) -> Row:
    values = (
        item.ingredient_name,
        forms.format_number(item.quantity_needed),
        forms.format_number(item.quantity_on_hand),
        forms.format_number(item.shortfall),
        item.unit,
        product_cell(item),
        str(item.packages_to_buy) if item.packages_to_buy else "—",
        forms.format_money(item.estimated_cost),
    )
    if item.product_status == "sufficient":
        tags: tuple[str, ...] = ("empty",)
    elif item.product_name is None:
        tags = ("missing",)
    else:
        tags = ()
    return f"{index}-{item.ingredient_slug}", values, tags


class ShoppingPanel(PlanningPanel):
    """Ingredients and packaging still to buy for unmet targets, the total, and Export CSV."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=3)
        self.grid_rowconfigure(3, weight=2)
        section_label(self, "Ingredients").grid(row=0, column=0, sticky="w", padx=4, pady=(4, 4))
        self.table = self._table(NO_SHOPPING, 6)
        self.table.grid(row=1, column=0, sticky="nsew")
        section_label(self, "Packaging").grid(row=2, column=0, sticky="w", padx=4, pady=(10, 4))
        self.packaging_table = self._table(NO_PACKAGING, 3)
        self.packaging_table.grid(row=3, column=0, sticky="nsew")
        self._build_footer()

    def _table(self, empty_text: str, height: int) -> DataTable:
        table = DataTable(self, SHOPPING_COLUMNS, empty_text=empty_text, height=height)
        table.tag_colors("missing", foreground=MISSING_ROW)
        return table

    def _build_footer(self) -> None:
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=4, column=0, sticky="ew", pady=(8, 0))
        self.total_label = ctk.CTkLabel(
            footer, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.total_label.pack(side="left", padx=(4, 16))
        hint = "For targets not yet met, net of what is on hand."
        ctk.CTkLabel(footer, text=hint, text_color=MUTED_TEXT).pack(side="left")
        self.export_button = ActionButton(
            footer, text="Export CSV…", width=120, command=self.on_export
        )
        self.export_button.pack(side="right")
        self.print_list_button = self.print_button(footer, SHOPPING_LIST, "Print…", 100)
        self.print_list_button.pack(side="right", padx=(0, 8))

    def refresh(self) -> None:
        shopping = event_service.get_shopping_list(self.window.event_id)
        self.table.set_rows([shopping_row(i, item) for i, item in enumerate(shopping.items)])
        self.packaging_table.set_rows(
            [shopping_row(i, item) for i, item in enumerate(shopping.packaging)]
        )
        total = forms.format_money(shopping.total_estimated_cost)
        self.total_label.configure(text=f"Estimated total {total}")

    def on_export(self) -> None:
        path = self.window.ask_save_path()
        if not path:
            return
        try:
            saved = event_service.export_shopping_list_csv(self.window.event_id, path)
        except (ServiceError, OSError) as error:
            self.window.show_error("Cannot export the shopping list", str(error))
            return
        self.window.set_status(f"Shopping list saved to {saved}")
        self.window.show_info("Shopping list exported", f"Saved to:\n{saved}")
