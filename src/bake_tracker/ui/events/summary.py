"""The Event Detail window's Summary tab: recipients, packages, the planned cost (the targets,
the dashboard's figure) and the cost of the packages assigned, with a caption saying what each
counts; then production, assembly and delivery progress and the event's notes.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.core.wording import count_text
from bake_tracker.services import event_service
from bake_tracker.services.dto.documents import COST_REPORT
from bake_tracker.ui import forms
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.scroll import AutoHideScrollbar, ScrollFrame
from bake_tracker.ui.kit.theme import GOOD_TEXT, MUTED_TEXT, TAB_CARD_COLOR, TEXT
from bake_tracker.ui.production.wording import COSTS_CAPTION, PACKAGES_COST, PLANNED_COST

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


class SummaryPanel(PlanningPanel):
    """Recipients, packages and both costs, then production, assembly and delivery progress."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        # scrolls on a short screen (768 high at 150 %) instead of cutting the notes off
        self.body = ScrollFrame(self, fg_color="transparent", corner_radius=0)
        self.body.pack(fill="both", expand=True)
        AutoHideScrollbar(self.body)
        tiles = ctk.CTkFrame(self.body, fg_color="transparent")
        tiles.pack(fill="x", pady=(8, 12))
        # Four equal columns that share the width: at the window's minimum width all four show.
        tiles.grid_columnconfigure((0, 1, 2, 3), weight=1, uniform="tile")
        self.recipients_value = self._tile(tiles, 0, "Recipients")
        self.packages_value = self._tile(tiles, 1, "Packages")
        self.planned_value = self._tile(tiles, 2, PLANNED_COST)
        self.cost_value = self._tile(tiles, 3, PACKAGES_COST)
        self.costs_caption = ctk.CTkLabel(
            self.body, text=COSTS_CAPTION, text_color=MUTED_TEXT, anchor="w", justify="left"
        )
        self.costs_caption.pack(fill="x", padx=4, pady=(0, 4))
        self.print_costs_button = self.print_button(self.body, COST_REPORT, "Print cost report…")
        self.print_costs_button.pack(anchor="w", padx=4, pady=(0, 8))
        section_label(self.body, "Progress").pack(fill="x", padx=4, pady=(4, 4))
        self.production_label = self._line()
        self.assembly_label = self._line()
        self.fulfillment_label = self._line()
        section_label(self.body, "Notes").pack(fill="x", padx=4, pady=(14, 4))
        self.notes_label = self._line(text_color=MUTED_TEXT)

    @staticmethod
    def _tile(master: ctk.CTkFrame, column: int, caption: str) -> ctk.CTkLabel:
        tile = ctk.CTkFrame(master, fg_color=TAB_CARD_COLOR, corner_radius=10, width=120, height=90)
        tile.grid(row=0, column=column, sticky="ew", padx=(0, 12 if column < 3 else 0))
        tile.pack_propagate(False)
        value = ctk.CTkLabel(tile, text="", font=ctk.CTkFont(size=26, weight="bold"))
        value.pack(pady=(14, 0))
        ctk.CTkLabel(tile, text=caption, text_color=MUTED_TEXT).pack()
        return value

    def _line(self, **kwargs: object) -> ctk.CTkLabel:
        label = ctk.CTkLabel(
            self.body, text="", anchor="w", justify="left", font=ctk.CTkFont(size=14), **kwargs
        )
        label.pack(fill="x", padx=8, pady=2)
        return label

    def refresh(self) -> None:
        event = self.window.event
        rows = event_service.list_event_summaries(year=event.year)
        summary = next((row for row in rows if row.id == event.id), None)
        if summary is not None:
            self.recipients_value.configure(text=str(summary.recipient_count))
            self.packages_value.configure(text=str(summary.package_count))
            self.planned_value.configure(text=forms.format_money(summary.planned_cost))
            self.cost_value.configure(text=forms.format_money(summary.estimated_cost))
        progress = event_service.get_event_overall_progress(event.id)
        self._show_targets(
            self.production_label,
            "Production",
            progress.production_complete_count,
            progress.production_targets_count,
            "recipe",
        )
        self._show_targets(
            self.assembly_label,
            "Assembly",
            progress.assembly_complete_count,
            progress.assembly_targets_count,
            "finished good",
        )
        self.fulfillment_label.configure(
            text=f"Packages: {progress.packages_pending} pending · "
            f"{progress.packages_ready} ready · {progress.packages_delivered} delivered"
        )
        self.notes_label.configure(text=event.notes or "No notes.")

    @staticmethod
    def _show_targets(label: ctk.CTkLabel, what: str, done: int, total: int, item: str) -> None:
        """ "Production: 1 of 2 recipes complete", "1 of 1 recipe" (the noun follows the total)."""
        if total == 0:
            label.configure(text=f"{what}: no targets set", text_color=MUTED_TEXT)
            return
        complete = done == total
        text = f"{what}: {done} of {count_text(total, item)} complete" + ("  ✓" if complete else "")
        label.configure(text=text, text_color=GOOD_TEXT if complete else TEXT)
