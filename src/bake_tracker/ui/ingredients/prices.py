"""The Ingredients tab's price history page: what the selected ingredient cost each time it was
bought (``price_history_service``), as labels (latest and average price per recipe unit), a chart
of unit price over time and a table of the purchases, newest first."""

from __future__ import annotations

import tkinter as tk

import customtkinter as ctk

from bake_tracker.services import price_history_service
from bake_tracker.services.dto import PriceHistory, PricePoint
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.ingredients.price_chart import PriceChart, price_text
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import INNER_TABLE, MUTED_TEXT

PRICE_COLUMNS = (
    Column("date", "Date", 92, stretch=False),
    Column("product", "Product", 130),
    Column("supplier", "Supplier", 100),
    Column("price", "Unit price", 96, "e", stretch=False),
)
NO_PURCHASES = "No purchases yet. Record one on the Pantry tab (Record purchase…)."


def price_row(point: PricePoint, unit: str) -> Row:
    """ "2025-11-02 · King Arthur 5 lb bag · Costco · $0.3294/cup"."""
    price = "—" if point.unit_price is None else f"{price_text(point.unit_price)}/{unit}"
    values = (
        forms.format_date(point.purchase_date),
        point.product_name,
        point.supplier or "—",
        price,
    )
    return str(point.purchase_id), values, ()


def latest_text(history: PriceHistory) -> str:
    if history.latest_price is None:
        return "Latest price: —"
    when = forms.format_date(history.points[0].purchase_date)
    return f"Latest price: {price_text(history.latest_price)}/{history.unit} ({when})"


def average_text(history: PriceHistory) -> str:
    """The average and what it is: weighted by quantity, over every purchase."""
    if history.average_price is None:
        return "Average price: —"
    count = forms.plural(history.purchase_count, "purchase")
    return (
        f"Average price: {price_text(history.average_price)}/{history.unit} "
        f"(all {count}, weighted by quantity)"
    )


def shown_text(history: PriceHistory) -> str:
    """Said only when the table holds fewer purchases than there are."""
    if len(history.points) >= history.purchase_count:
        return ""
    return f"The newest {len(history.points):,} of {history.purchase_count:,} purchases are shown."


class PriceHistoryView(ctk.CTkFrame):
    """Latest and average price, the chart, and the purchases table of one ingredient."""

    def __init__(self, master: tk.Misc, *, wraplength: int) -> None:
        super().__init__(master, fg_color="transparent")
        self.history: PriceHistory | None = None
        self.grid_columnconfigure(0, weight=1)
        self.latest_label = ctk.CTkLabel(self, text="", anchor="w", justify="left")
        self.latest_label.grid(row=0, column=0, sticky="ew", padx=4)
        self.average_label = ctk.CTkLabel(
            self, text="", anchor="w", justify="left", wraplength=wraplength
        )
        self.average_label.grid(row=1, column=0, sticky="ew", padx=4)
        self.chart = PriceChart(self)
        self.chart.grid(row=2, column=0, sticky="ew", pady=(4, 6))
        self.table = DataTable(self, PRICE_COLUMNS, empty_text=NO_PURCHASES, height=4)
        self.table.configure(**INNER_TABLE)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.grid_rowconfigure(3, weight=1)
        self.shown_label = ctk.CTkLabel(self, text="", anchor="w", text_color=MUTED_TEXT)
        self.shown_label.grid(row=4, column=0, sticky="ew", padx=4)

    def fit_width(self, wraplength: int) -> None:
        self.average_label.configure(wraplength=wraplength)

    def show(self, ingredient_id: int) -> str | None:
        """Load and show this ingredient's prices; the refusal's message when the service
        refuses (the ingredient was deleted meanwhile), else None."""
        try:
            history = price_history_service.get_price_history(ingredient_id)
        except ServiceError as error:
            return str(error)
        self.history = history
        self.latest_label.configure(text=latest_text(history))
        self.average_label.configure(text=average_text(history))
        self.chart.show(history.points, history.average_price)
        self.table.set_rows([price_row(point, history.unit) for point in history.points])
        self.shown_label.configure(text=shown_text(history))
        if self.shown_label.cget("text"):
            self.shown_label.grid()
        else:
            self.shown_label.grid_remove()
        return None
