"""The cost drill-down: a recipe's runs for one event and, for the chosen run, the purchase lots
behind its cost (``dashboard_service.get_cost_drilldown``).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from tkinter import ttk

import customtkinter as ctk

from bake_tracker.core.wording import singular_or_plural
from bake_tracker.services import batch_production_service, dashboard_service
from bake_tracker.services.dto import DrilldownLine, ProductionRunDTO, RecipeCost
from bake_tracker.ui import forms
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.table import (
    TABLE_STYLE,
    Column,
    DataTable,
    Row,
    ensure_table_style,
    tree_rows,
)
from bake_tracker.ui.kit.theme import INNER_TABLE, MUTED_TEXT, TABLE_BACKGROUND
from bake_tracker.ui.kit.windows import ModalWindow
from bake_tracker.ui.production.wording import signed_money, signed_percent, totals_text

RUN_COLUMNS = (
    Column("date", "Date", 100, "center", stretch=False),
    Column("item", "Item", 200),
    Column("batches", "Batches", 70, "e", stretch=False),
    Column("yield", "Yield", 90, "e", stretch=False),
    Column("cost", "Cost", 90, "e", stretch=False),
    Column("per_unit", "Per unit", 90, "e", stretch=False),
)
LOT_COLUMNS = (
    ("product", "Product", 230, "w"),
    ("purchased", "Purchased", 100, "center"),
    ("quantity", "Quantity", 100, "e"),
    ("unit_cost", "Unit cost", 110, "e"),
    ("cost", "Cost", 80, "e"),
)
DRILLDOWN_LIMIT = 200


def run_row(run: ProductionRunDTO) -> Row:
    return (
        str(run.id),
        (
            forms.format_local_date(run.produced_at),
            run.finished_unit_name,
            run.num_batches,
            f"{run.actual_yield} / {run.expected_yield}",
            forms.format_money(run.total_ingredient_cost),
            forms.format_unit_cost(run.per_unit_cost),
        ),
        (),
    )


class LotTable(ctk.CTkFrame):
    """Each ingredient of a run (bold) with the purchase lots it was drawn from beneath it."""

    def __init__(self, master) -> None:
        super().__init__(master, fg_color=TABLE_BACKGROUND, corner_radius=8, **INNER_TABLE)
        ensure_table_style(self)
        self.tree = ttk.Treeview(
            self,
            columns=[key for key, *_ in LOT_COLUMNS],
            show="tree headings",
            height=8,
            style=TABLE_STYLE,
            selectmode="none",
        )
        self.tree.heading("#0", text="Ingredient", anchor="w")
        self.tree.column("#0", width=190, anchor="w")
        for key, title, width, anchor in LOT_COLUMNS:
            self.tree.heading(key, text=title, anchor=anchor)
            self.tree.column(key, width=width, anchor=anchor, stretch=key == "product")
        self.tree.tag_configure("line", font=ctk.CTkFont(size=13, weight="bold"))
        self.tree.tag_configure("lot", foreground="#5F6B76")
        self.tree.pack(fill="both", expand=True, padx=6, pady=6)

    def show(self, lines: Sequence[DrilldownLine]) -> None:
        self.tree.delete(*self.tree.get_children())
        for index, line in enumerate(lines):
            parent = self.tree.insert(
                "",
                "end",
                iid=f"line-{index}",
                text=line.ingredient_name or line.ingredient_slug,
                open=True,
                tags=("line",),
                values=(
                    "",
                    "",
                    forms.format_quantity(line.quantity_consumed, line.unit),
                    "",
                    forms.format_money(line.total_cost),
                ),
            )
            for lot_index, lot in enumerate(line.lots):
                self.tree.insert(
                    parent,
                    "end",
                    iid=f"line-{index}-lot-{lot_index}",
                    text="",
                    tags=("lot",),
                    values=(
                        lot.product_name,
                        forms.format_date(lot.lot_date),
                        forms.format_quantity(lot.quantity, lot.unit),
                        f"{forms.format_unit_cost(lot.unit_cost)}/{lot.unit}",
                        forms.format_money(lot.cost),
                    ),
                )

    def rows(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """(depth, ingredient text, values) of every row in order (for tests)."""
        return tree_rows(self.tree)


class DrilldownDialog(ModalWindow):
    """A recipe's runs for one event; choosing a run lists the lots, products and purchase dates
    behind its cost (``get_cost_drilldown``)."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event_id: int,
        event_name: str,
        cost: RecipeCost,
        show: bool = True,
    ) -> None:
        super().__init__(parent)
        self.cost = cost
        self.runs = {
            str(run.id): run
            for run in batch_production_service.get_production_history(
                recipe_id=cost.recipe_id, event_id=event_id, limit=DRILLDOWN_LIMIT
            )
        }
        self.title(f"Cost drill-down - {cost.recipe_name} · {event_name}")
        self._build(event_name)
        self.bind("<Escape>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        if self.runs:
            self.run_table.select(next(iter(self.runs)))
        else:
            self.show_run(None)
        if show:
            self._show_modal()

    def _build(self, event_name: str) -> None:
        self.grid_columnconfigure(0, weight=1)
        ctk.CTkLabel(
            self, text=self.cost.recipe_name, font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        ).grid(row=0, column=0, sticky="ew", padx=22, pady=(18, 0))
        cost = self.cost
        self.facts_label = ctk.CTkLabel(
            self,
            text=f"{event_name} · {batches_done_text(cost)} · "
            f"{totals_text(cost.actual_cost, cost.planned_cost)} · "
            f"variance {signed_money(cost.variance)} ({signed_percent(cost.variance_percent)})",
            text_color=MUTED_TEXT,
            anchor="w",
        )
        self.facts_label.grid(row=1, column=0, sticky="ew", padx=22)
        section_label(self, "Runs for this event").grid(
            row=2, column=0, sticky="w", padx=22, pady=(12, 4)
        )
        self.run_table = DataTable(
            self,
            RUN_COLUMNS,
            empty_text="No runs of this recipe for this event yet.",
            height=min(max(len(self.runs), 3), 8),
            on_select=self.show_run,
        )
        self.run_table.configure(**INNER_TABLE)
        self.run_table.scrollbar.configure(height=40)  # else 200 px sets the table's floor
        self.run_table.set_rows([run_row(run) for run in self.runs.values()])
        self.run_table.grid(row=3, column=0, sticky="nsew", padx=22)
        self.lots_title = section_label(self, "Lots behind the run")
        self.lots_title.grid(row=4, column=0, sticky="w", padx=22, pady=(12, 4))
        self.lot_table = LotTable(self)
        self.lot_table.grid(row=5, column=0, sticky="nsew", padx=22)
        self.grid_rowconfigure(5, weight=1)
        self.close_button = ctk.CTkButton(self, text="Close", width=100, command=self.close)
        self.close_button.grid(row=6, column=0, sticky="e", padx=22, pady=(10, 18))

    def show_run(self, iid: str | None) -> None:
        """List the lots behind the chosen run (nothing when none is chosen)."""
        run = self.runs.get(iid) if iid is not None else None
        if run is None:
            self.lots_title.configure(text="Lots behind the run")
            self.lot_table.show([])
            return
        when = forms.format_local_date(run.produced_at)
        self.lots_title.configure(text=f"Lots behind run #{run.id} ({when})")
        self.lot_table.show(dashboard_service.get_cost_drilldown(run.id))

    def focus_first(self) -> None:
        self.close_button.focus_set()


def batches_done_text(cost: RecipeCost) -> str:
    """ "1/2 batches", "1/1 batch" (the noun follows the batches required)."""
    noun = singular_or_plural(cost.batches_required, "batch")
    return f"{cost.batches_produced}/{cost.batches_required} {noun}"
