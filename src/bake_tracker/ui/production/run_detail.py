"""A run's details: its facts and its ledger, each line with quantity and cost and the lots it was
drawn from (``RunDetailDialog``).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from dataclasses import dataclass
from tkinter import ttk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import assembly_service, batch_production_service
from bake_tracker.services.dto import (
    AssemblyRunDTO,
    ComponentConsumption,
    ComponentType,
    LotDraw,
    ProductionRunDTO,
    StockLotDraw,
)
from bake_tracker.ui import forms
from bake_tracker.ui.component_kinds import COMPONENT_TAGS
from bake_tracker.ui.kit.table import TABLE_STYLE, ensure_table_style, tree_rows
from bake_tracker.ui.kit.theme import ERROR_TEXT, MUTED_TEXT
from bake_tracker.ui.kit.windows import ModalWindow
from bake_tracker.ui.production.runs import run_label, run_name, sentence

if TYPE_CHECKING:
    from bake_tracker.ui.production.runs import Run


@dataclass(frozen=True)
class LedgerLine:
    """One row of a run's ledger: what was used (or one lot it came from) and what it cost."""

    text: str
    quantity: str
    unit_cost: str
    cost: str
    lots: tuple[LedgerLine, ...] = ()


def pantry_lot_line(lot: LotDraw) -> LedgerLine:
    return LedgerLine(
        f"Lot bought {forms.format_date(lot.lot_date)}",
        forms.format_quantity(lot.quantity, lot.unit),
        f"{forms.format_unit_cost(lot.unit_cost)}/{lot.unit}",
        forms.format_money(lot.cost),
    )


def stock_lot_line(lot: StockLotDraw) -> LedgerLine:
    return LedgerLine(
        f"Lot made {forms.format_local_date(lot.lot_date)}",
        forms.format_quantity(lot.quantity, "each"),
        f"{forms.format_unit_cost(lot.unit_cost)}/each",
        forms.format_money(lot.cost),
    )


def production_ledger(run: ProductionRunDTO) -> list[LedgerLine]:
    """Each ingredient used, in its recipe unit, with the pantry lots it came from."""
    return [
        LedgerLine(
            line.ingredient_name or line.ingredient_slug,
            forms.format_quantity(line.quantity_consumed, line.unit),
            "",
            forms.format_money(line.total_cost),
            tuple(pantry_lot_line(lot) for lot in line.lots),
        )
        for line in run.consumptions
    ]


def assembly_ledger(run: AssemblyRunDTO) -> list[LedgerLine]:
    """Finished units, nested goods and packaging used, each with the lots it came from."""
    groups: tuple[tuple[ComponentType, list[ComponentConsumption]], ...] = (
        (ComponentType.FINISHED_UNIT, run.finished_unit_consumptions),
        (ComponentType.FINISHED_GOOD, run.finished_good_consumptions),
        (ComponentType.PACKAGING, run.packaging_consumptions),
    )
    return [
        LedgerLine(
            f"{COMPONENT_TAGS[kind]} {line.component_name}",
            forms.format_quantity(line.quantity_consumed, line.unit),
            "",
            forms.format_money(line.total_cost),
            tuple(
                pantry_lot_line(lot) if isinstance(lot, LotDraw) else stock_lot_line(lot)
                for lot in line.lots
            ),
        )
        for kind, lines in groups
        for line in lines
    ]


def production_facts(run: ProductionRunDTO) -> list[str]:
    facts = [
        f"Recorded {forms.format_local_time(run.produced_at)} · Recipe: {run.recipe_name}",
        f"Event: {run.event_name or 'none (standalone)'}",
        f"{forms.plural(run.num_batches, 'batch', 'batches')} · yield {run.actual_yield} of "
        f"{run.expected_yield} expected",
        f"Ingredient cost {forms.format_money(run.total_ingredient_cost)} · "
        f"{forms.format_unit_cost(run.per_unit_cost)} per unit",
    ]
    if run.loss_quantity:
        facts.insert(3, f"Lost: {run.loss_quantity} ({run.loss_category})")
    return facts


def assembly_facts(run: AssemblyRunDTO) -> list[str]:
    return [
        f"Assembled {forms.format_local_time(run.assembled_at)}",
        f"Event: {run.event_name or 'none (standalone)'}",
        f"Quantity: {run.quantity_assembled}",
        f"Component cost {forms.format_money(run.total_component_cost)} · "
        f"{forms.format_unit_cost(run.per_unit_cost)} per unit",
    ]


class LedgerTable(ctk.CTkFrame):
    """A ``ttk.Treeview`` of ledger lines, each with its lots indented beneath it."""

    def __init__(self, master, first_title: str, lines: Sequence[LedgerLine]) -> None:
        super().__init__(master, fg_color=("white", "gray14"), corner_radius=8)
        ensure_table_style(self)
        rows = len(lines) + sum(len(line.lots) for line in lines)
        self.tree = ttk.Treeview(
            self,
            columns=("quantity", "unit_cost", "cost"),
            show="tree headings",
            height=max(3, min(rows, 12)),
            style=TABLE_STYLE,
            selectmode="none",
        )
        self.tree.heading("#0", text=first_title, anchor="w")
        self.tree.column("#0", width=260, anchor="w")
        for key, title, width in (
            ("quantity", "Quantity", 110),
            ("unit_cost", "Unit cost", 110),
            ("cost", "Cost", 90),
        ):
            self.tree.heading(key, text=title, anchor="e")
            self.tree.column(key, width=width, anchor="e", stretch=False)
        self.tree.tag_configure("lot", foreground="#5F6B76")
        self.tree.tag_configure("line", font=ctk.CTkFont(size=13, weight="bold"))
        for index, line in enumerate(lines):
            parent = self.tree.insert(
                "",
                "end",
                iid=f"line-{index}",
                text=line.text,
                open=True,
                tags=("line",),
                values=(line.quantity, line.unit_cost, line.cost),
            )
            for lot_index, lot in enumerate(line.lots):
                self.tree.insert(
                    parent,
                    "end",
                    iid=f"line-{index}-lot-{lot_index}",
                    text=lot.text,
                    tags=("lot",),
                    values=(lot.quantity, lot.unit_cost, lot.cost),
                )
        self.tree.pack(fill="both", expand=True, padx=6, pady=6)

    def rows(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """(depth, text, values) of every row in order (for tests)."""
        return tree_rows(self.tree)


class RunDetailDialog(ModalWindow):
    """A run's facts and its ledger: each line with quantity, cost and the lots drawn."""

    def __init__(self, parent: tk.Misc, run: Run, *, show: bool = True) -> None:
        super().__init__(parent)
        if isinstance(run, ProductionRunDTO):
            self.run: Run = batch_production_service.get_production_run(run.id)
            facts, lines, first = (
                production_facts(self.run),
                production_ledger(self.run),
                "Ingredient / lot",
            )
        else:
            self.run = assembly_service.get_assembly_run(run.id)
            facts, lines, first = (
                assembly_facts(self.run),
                assembly_ledger(self.run),
                "Component / lot",
            )
        self.title(sentence(run_label(self.run)))
        self._build(facts, lines, first)
        self.bind("<Escape>", lambda _event: self.close())
        self.bind("<Return>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        if show:
            self._show_modal()

    def _build(self, facts: list[str], lines: list[LedgerLine], first_title: str) -> None:
        self.grid_columnconfigure(0, weight=1)
        ctk.CTkLabel(
            self, text=run_name(self.run), font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        ).grid(row=0, column=0, sticky="ew", padx=22, pady=(18, 2))
        self.facts_label = ctk.CTkLabel(
            self, text="\n".join(facts), text_color=MUTED_TEXT, anchor="w", justify="left"
        )
        self.facts_label.grid(row=1, column=0, sticky="ew", padx=22)
        row = 2
        if self.run.voided_at is not None:
            voided = forms.format_local_time(self.run.voided_at)
            self.voided_label = ctk.CTkLabel(
                self,
                text=f"Voided {voided}: {self.run.void_reason}",
                text_color=ERROR_TEXT,
                anchor="w",
            )
            self.voided_label.grid(row=row, column=0, sticky="ew", padx=22, pady=(4, 0))
            row += 1
        if self.run.notes:
            notes = ctk.CTkLabel(self, text=f"Notes: {self.run.notes}", anchor="w", justify="left")
            notes.configure(wraplength=560)
            notes.grid(row=row, column=0, sticky="ew", padx=22, pady=(4, 0))
            row += 1
        self.ledger = LedgerTable(self, first_title, lines)
        self.ledger.grid(row=row, column=0, sticky="nsew", padx=22, pady=(12, 4))
        self.grid_rowconfigure(row, weight=1)
        if not lines:
            ctk.CTkLabel(self, text="Nothing was used.", text_color=MUTED_TEXT).grid(
                row=row + 1, column=0, sticky="w", padx=22
            )
        self.close_button = ctk.CTkButton(self, text="Close", width=100, command=self.close)
        self.close_button.grid(row=row + 2, column=0, sticky="e", padx=22, pady=(8, 18))

    def focus_first(self) -> None:
        self.close_button.focus_set()
