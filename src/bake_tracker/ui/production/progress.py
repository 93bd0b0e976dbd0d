"""The event panel's progress and cost: ``ProgressList`` (a bar and "2/4 batches (50%)" per
target) and ``CostPanel`` (actual and planned cost, and the budget line).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from decimal import Decimal

import customtkinter as ctk

from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.progress import bar_fraction, progress_bar
from bake_tracker.ui.kit.theme import ERROR_TEXT, GOOD_TEXT, MUTED_TEXT, TEXT
from bake_tracker.ui.production.wording import (
    PLANNED_MEANS,
    budget_text,
    short_name,
    totals_text,
)

PROGRESS_NAME_WIDTH = 160  # the names line up across both lists; longer ones widen it
BAR_WIDTH = 120  # what a bar asks for; it grows with the room and gives way before the figures
BUDGET_COLORS = {"over": ERROR_TEXT, "under": GOOD_TEXT, "on": MUTED_TEXT}


class ProgressList(ctk.CTkFrame):
    """A titled list of rows: name, a bar filled to min(done/target, 1), and "2/4 batches (50%)"."""

    def __init__(self, master, title: str, empty_text: str) -> None:
        super().__init__(master, fg_color="transparent")
        self.empty_text = empty_text
        # the bar's column takes what room is left, and gives it back first when short: the
        # name and the figure ("2/4 batches (200%)") keep their whole text
        self.grid_columnconfigure(0, minsize=PROGRESS_NAME_WIDTH)
        self.grid_columnconfigure(1, weight=1)
        section_label(self, title).grid(row=0, column=0, columnspan=3, sticky="w", pady=(0, 4))
        self.rows: list[tuple[str, ctk.CTkProgressBar, ctk.CTkLabel]] = []
        self._widgets: list[tk.Misc] = []

    def show(self, rows: Sequence[tuple[str, int, int, str, bool]]) -> None:
        """Draw ``(name, done, target, text, complete)`` rows, or the empty text when none."""
        for widget in self._widgets:
            widget.destroy()
        self._widgets, self.rows = [], []
        if not rows:
            note = ctk.CTkLabel(
                self, text=self.empty_text, text_color=MUTED_TEXT, anchor="w", justify="left"
            )
            note.configure(wraplength=480)
            note.grid(row=1, column=0, columnspan=3, sticky="w")
            self._widgets.append(note)
            return
        for index, row in enumerate(rows, start=1):
            self._add_row(index, *row)

    def _add_row(
        self, index: int, name: str, done: int, target: int, text: str, complete: bool
    ) -> None:
        label = ctk.CTkLabel(self, text=short_name(name, 30), anchor="w", height=24)
        label.grid(row=index, column=0, sticky="w", padx=(0, 10))
        bar = progress_bar(
            self, bar_fraction(done, target), complete=complete, width=BAR_WIDTH, height=10
        )
        bar.grid(row=index, column=1, sticky="ew", padx=(0, 10))
        figure = ctk.CTkLabel(
            self,
            text=("✓ " if complete else "") + text,
            text_color=GOOD_TEXT if complete else TEXT,
            anchor="w",
            height=24,
        )
        figure.grid(row=index, column=2, sticky="w")
        self._widgets += [label, bar, figure]
        self.rows.append((name, bar, figure))

    def texts(self) -> list[tuple[str, str]]:
        """(name, figure text) of every row (for tests)."""
        return [(name, str(label.cget("text"))) for name, _, label in self.rows]


class CostPanel(ctk.CTkFrame):
    """ "Actual $x · Planned $y" and the budget line (red over, green under, grey on budget)."""

    def __init__(self, master) -> None:
        super().__init__(master, fg_color="transparent")
        self.grid_columnconfigure(0, weight=1)
        section_label(self, "Cost").grid(row=0, column=0, sticky="w", pady=(0, 4))
        self.totals_label = ctk.CTkLabel(
            self, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.totals_label.grid(row=1, column=0, sticky="w")
        self.budget_label = ctk.CTkLabel(
            self, text="", font=ctk.CTkFont(size=14, weight="bold"), anchor="w"
        )
        self.budget_label.grid(row=2, column=0, sticky="w")
        self.note_label = ctk.CTkLabel(
            self,
            text="Actual: ingredients of this event's runs and packaging of its assemblies, at "
            f"the lots' real cost. Planned: {PLANNED_MEANS}.",
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
            anchor="w",
            justify="left",
            wraplength=300,
        )
        self.note_label.grid(row=3, column=0, sticky="w", pady=(4, 0))
        self.budget_kind = "on"

    def show(self, actual: Decimal, planned: Decimal, variance: Decimal) -> None:
        text, kind = budget_text(variance)
        self.budget_kind = kind
        self.totals_label.configure(text=totals_text(actual, planned))
        self.budget_label.configure(text=text, text_color=BUDGET_COLORS[kind])
