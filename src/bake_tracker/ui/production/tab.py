"""The Production tab, the app's home: every active event at a glance, and the recent runs.

"Overview" (``DashboardView``) lists the events with targets or assignments as cards
(``dashboard_service.get_dashboard_summary``); the selected event's panel shows its target
progress, "Record production…" / "Record assembly…" launchers that preselect it, its actual vs
planned cost, a bar chart on a canvas and the per-recipe breakdown with a drill-down to the lots.
"Recent runs" (``RecentRunsView``) lists production and assembly runs newest first, filtered by
event, with their ledgers ("Details…") and "Void…". Every figure comes from the services.

The recent runs are built and loaded when first shown (or asked for): the overview is what the app
opens on, and 500 runs of each kind are the largest thing a start would otherwise read and draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.production.overview import DashboardView

if TYPE_CHECKING:
    from bake_tracker.ui.kit.table import DataTable
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
        self._recent: RecentRunsView | None = None
        self.show_page(OVERVIEW)

    @property
    def recent(self) -> RecentRunsView:
        """The recent runs page, built and loaded on first use (its module too: it brings the
        run services, which the overview does not need)."""
        if self._recent is None:
            from bake_tracker.ui.production.recent_runs import RecentRunsView

            self._recent = RecentRunsView(self)
            self._recent.refresh()
        return self._recent

    @property
    def pages(self) -> dict[str, TabFrame]:
        return {OVERVIEW: self.home, RECENT_RUNS: self.recent}

    # the run tables, where other tests and dialogs look for them
    @property
    def production_table(self) -> DataTable:
        return self.recent.production_table

    @property
    def assembly_table(self) -> DataTable:
        return self.recent.assembly_table

    def show_page(self, name: str) -> None:
        """Show the overview or the recent runs (what clicking the switch does)."""
        self.page_switch.set(name)
        shown = self.home if name == OVERVIEW else self.recent
        hidden = self._recent if name == OVERVIEW else self.home
        shown.grid(row=1, column=0, sticky="nsew")
        if hidden is not None:
            hidden.grid_remove()

    @property
    def current_page(self) -> str:
        return str(self.page_switch.get())

    def refresh(self) -> None:
        """Reload the pages built so far (the window calls it whenever the tab is shown or a run
        changes)."""
        self.home.refresh()
        if self._recent is not None:
            self._recent.refresh()
