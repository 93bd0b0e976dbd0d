"""The Event Detail window's Recipe Needs tab: what the assignments need baked, per finished unit,
in units and whole batches.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto.documents import BAKING_PLAN
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.kit.table import Column, DataTable
from bake_tracker.ui.kit.theme import MUTED_TEXT

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


NEED_COLUMNS = (
    Column("recipe", "Recipe", 260),
    Column("unit", "Finished unit", 260),
    Column("units", "Units needed", 130, "e"),
    Column("batches", "Batches needed", 130, "e"),
)
NO_NEEDS = (
    "No packages are assigned yet, so they need nothing baked: assign packages to recipients on "
    "the Assignments tab. Targets set by hand are on the Targets tab."
)


class NeedsPanel(PlanningPanel):
    """What the assignments need baked, per finished unit, in units and whole batches."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.table = DataTable(self, NEED_COLUMNS, empty_text=NO_NEEDS)
        hint = (
            "From the packages assigned to recipients. Batches are rounded up; "
            "“Suggest from assignments…” on the Targets tab turns them into production targets."
        )
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.pack(side="bottom", fill="x")  # packed first: on a short window the table gives way
        self.table.pack(fill="both", expand=True, pady=(4, 4))
        self.print_plan_button = self.print_button(bar, BAKING_PLAN, "Print baking plan…")
        self.print_plan_button.pack(side="right", padx=(8, 0))
        ctk.CTkLabel(
            bar, text=hint, text_color=MUTED_TEXT, anchor="w", justify="left", wraplength=480
        ).pack(side="left", fill="x", expand=True, padx=4)

    def refresh(self) -> None:
        needs = event_service.get_recipe_needs(self.window.event_id)
        self.table.set_rows(
            [
                (
                    f"{n.recipe_id}-{n.finished_unit_id}",
                    (
                        n.recipe_name,
                        n.finished_unit_name,
                        str(n.total_units_needed),
                        str(n.batches_needed),
                    ),
                    (),
                )
                for n in needs
            ]
        )
