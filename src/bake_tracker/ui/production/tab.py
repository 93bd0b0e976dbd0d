"""The Production tab, the app's home: every active event at a glance, and the recent runs.

"Overview" (``DashboardView``) lists the events with targets or assignments as cards
(``dashboard_service.get_dashboard_summary``); the selected event's panel shows its target
progress, "Record production…" / "Record assembly…" launchers that preselect it, its actual vs
planned cost, a bar chart on a canvas and the per-recipe breakdown with a drill-down to the lots.
"Recent runs" (``RecentRunsView``) lists production and assembly runs newest first, filtered by
event, with their ledgers ("Details…") and "Void…". Every figure comes from the services.
"""

from __future__ import annotations

import customtkinter as ctk

from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.production.overview import DashboardView
from bake_tracker.ui.production.recent_runs import RecentRunsView

OVERVIEW = "Overview"
RECENT_RUNS = "Recent runs"
PAGES = (OVERVIEW, RECENT_RUNS)


class ProductionTab(TabFrame):
    """The home tab: an "Overview" of the active events (``DashboardView``) and the "Recent runs"
    lists (``RecentRunsView``), switched by the segmented button at the top."""

    show_dialogs = True  # tests may build dialogs hidden and non-modal

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self.page_switch = ctk.CTkSegmentedButton(
            self, values=list(PAGES), command=self.show_page, font=ctk.CTkFont(size=13)
        )
        self.page_switch.grid(row=0, column=0, sticky="w", padx=2, pady=(4, 8))
        self.home = DashboardView(self)
        self.recent = RecentRunsView(self)
        self.pages: dict[str, TabFrame] = {OVERVIEW: self.home, RECENT_RUNS: self.recent}
        # the run tables, where other tests and dialogs look for them
        self.production_table = self.recent.production_table
        self.assembly_table = self.recent.assembly_table
        self.show_page(OVERVIEW)

    def show_page(self, name: str) -> None:
        """Show the overview or the recent runs (what clicking the switch does)."""
        self.page_switch.set(name)
        for page_name, page in self.pages.items():
            if page_name == name:
                page.grid(row=1, column=0, sticky="nsew")
            else:
                page.grid_remove()

    @property
    def current_page(self) -> str:
        return str(self.page_switch.get())

    def refresh(self) -> None:
        """Reload both pages (the window calls it whenever the tab is shown or a run changes)."""
        self.home.refresh()
        self.recent.refresh()
