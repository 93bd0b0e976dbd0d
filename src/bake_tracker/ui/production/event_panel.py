"""The overview's panel for the selected event: its header with the Record production… / Record
assembly… / Open event… launchers (which preselect the event), its target progress, actual vs
planned cost, the chart and the per-recipe cost breakdown with a drill-down to the lots.
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import (
    dashboard_service,
    event_service,
    finished_good_service,
    finished_unit_service,
)
from bake_tracker.services.dto import AssemblyProgress, EventSummary, ProductionProgress, RecipeCost
from bake_tracker.ui import forms
from bake_tracker.ui.kit.buttons import ActionButton, set_enabled
from bake_tracker.ui.kit.labels import muted_label, section_label
from bake_tracker.ui.kit.layout import Reflow
from bake_tracker.ui.kit.scroll import AutoHideScrollbar, ScrollFrame
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import INNER_TABLE, TAB_CARD_COLOR, TABLE_BACKGROUND
from bake_tracker.ui.kit.windows import when_closed
from bake_tracker.ui.production.cards import CARD_BORDER, StatusBadge
from bake_tracker.ui.production.chart import DashboardChart
from bake_tracker.ui.production.choosing import choose_item, good_choices, unit_choices
from bake_tracker.ui.production.progress import CostPanel, ProgressList
from bake_tracker.ui.production.runs import RunKind
from bake_tracker.ui.production.wording import (
    NO_PACKAGES,
    batches_text,
    long_date,
    packages_text,
    quantity_text,
    relative_day,
    signed_money,
    signed_percent,
)
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.production.overview import DashboardView
    from bake_tracker.ui.record.assembly import RecordAssemblyDialog
    from bake_tracker.ui.record.production import RecordProductionDialog


COST_PANEL_WIDTH = 300
OVER_BUDGET_ROW = ("#C62828", "#EF5350")  # (light, dark)
BREAKDOWN_COLUMNS = (
    Column("recipe", "Recipe", 220),
    Column("batches", "Batches", 90, "center", stretch=False),
    Column("actual", "Actual", 100, "e", stretch=False),
    Column("planned", "Planned", 100, "e", stretch=False),
    Column("variance", "Variance", 100, "e", stretch=False),
    Column("percent", "%", 90, "e", stretch=False),
)
EMPTY_DASHBOARD = (
    "Events show up here once they have production targets or packages assigned to "
    "recipients. Plan one on the Events tab: add the event, assign packages, then accept the "
    "suggested targets."
)
NO_RECIPE_TARGETS = "No production targets yet. Set them with “Open event…” ▸ Targets."
NO_GOODS_TARGETS = "No assembly targets yet."


BREAKDOWN_NOTE = (
    "Rows count each recipe's ingredients; the event's planned and actual totals above also "
    "count packaging."
)


class EventPanel(ctk.CTkFrame):
    """The selected event: header and launchers, target progress, cost, chart and breakdown."""

    def __init__(self, view: DashboardView) -> None:
        super().__init__(view, fg_color="transparent")
        self.view = view
        self.summary: EventSummary | None = None
        self.production: list[ProductionProgress] = []
        self.assembly: list[AssemblyProgress] = []
        self.costs: dict[str, RecipeCost] = {}
        self.active_dialog: tk.Misc | None = None
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self._build_empty_state()
        self.content = ScrollFrame(self, fg_color="transparent")
        self.content.grid_columnconfigure(0, weight=1)
        self.content_scrollbar = AutoHideScrollbar(self.content)
        self._build_header()
        self._build_progress()
        self.chart = DashboardChart(self.content)
        self.chart.grid(row=2, column=0, sticky="ew", padx=(0, 6), pady=(0, 12))
        self._build_breakdown()

    # --- building -----------------------------------------------------------------------------

    def _build_empty_state(self) -> None:
        self.empty_state = ctk.CTkFrame(self, fg_color=TAB_CARD_COLOR, corner_radius=12)
        ctk.CTkLabel(
            self.empty_state, text="Nothing planned yet", font=ctk.CTkFont(size=22, weight="bold")
        ).pack(padx=48, pady=(32, 8))
        self.empty_text_label = ctk.CTkLabel(
            self.empty_state,
            text=EMPTY_DASHBOARD,
            font=ctk.CTkFont(size=14),
            wraplength=520,
            justify="center",
        )
        self.empty_text_label.pack(padx=48, pady=(0, 16))
        self.go_to_events_button = ActionButton(
            self.empty_state, text="Go to Events", width=160, command=self.on_go_to_events
        )
        self.go_to_events_button.pack(padx=48, pady=(0, 32))

    def _build_header(self) -> None:
        header = ctk.CTkFrame(self.content, fg_color="transparent")
        header.grid(row=0, column=0, sticky="ew", padx=(0, 6), pady=(0, 10))
        header.grid_columnconfigure(0, weight=1)
        title_row = ctk.CTkFrame(header, fg_color="transparent")
        title_row.grid(row=0, column=0, sticky="w")
        self.title_label = ctk.CTkLabel(
            title_row, text="", font=ctk.CTkFont(size=22, weight="bold"), anchor="w"
        )
        self.title_label.pack(side="left")
        self.badge = StatusBadge(title_row)
        self.badge.pack(side="left", padx=(12, 0), pady=(4, 0))
        self.date_label = muted_label(header)
        self.date_label.grid(row=1, column=0, columnspan=2, sticky="w")
        self.header_buttons = buttons = ctk.CTkFrame(header, fg_color="transparent")
        for name, text, width, command in (
            ("record_production_button", "Record production…", 160, self.on_record_production),
            ("record_assembly_button", "Record assembly…", 150, self.on_record_assembly),
            ("open_event_button", "Open event…", 120, self.on_open_event),
        ):
            button = ActionButton(buttons, text=text, width=width, command=command)
            button.pack(side="left", padx=(8, 0))
            setattr(self, name, button)
        self.header_reflow = Reflow(
            header,
            lambda width: width >= title_row.winfo_reqwidth() + buttons.winfo_reqwidth() + 16,
            wide=lambda: buttons.grid(row=0, column=1, sticky="e", padx=0, pady=0),
            narrow=lambda: buttons.grid(row=2, column=0, columnspan=2, sticky="w", pady=(8, 0)),
        )

    @property
    def buttons_beside_title(self) -> bool:
        """Whether the launchers sit beside the title (room enough) or under the date line."""
        return bool(self.header_reflow.wide)

    def _build_progress(self) -> None:
        strip = ctk.CTkFrame(self.content, fg_color=TABLE_BACKGROUND, corner_radius=8)
        strip.grid(row=1, column=0, sticky="ew", padx=(0, 6), pady=(0, 12))
        strip.grid_columnconfigure(0, weight=1)
        strip.grid_columnconfigure(2, minsize=COST_PANEL_WIDTH)
        self.recipe_progress = ProgressList(strip, "Recipes", NO_RECIPE_TARGETS)
        self.recipe_progress.grid(row=0, column=0, sticky="nsew", padx=18, pady=(14, 6))
        self.goods_progress = ProgressList(strip, "Finished goods", NO_GOODS_TARGETS)
        self.goods_progress.grid(row=1, column=0, sticky="nsew", padx=18, pady=(6, 14))
        strip.grid_rowconfigure(2, weight=1)  # a taller cost panel leaves its room at the bottom
        divider = ctk.CTkFrame(strip, width=2, fg_color=CARD_BORDER, corner_radius=0)
        self.cost_panel = CostPanel(strip)

        def beside() -> None:  # the cost to the right of the progress
            strip.grid_columnconfigure(2, minsize=COST_PANEL_WIDTH)
            divider.grid(row=0, column=1, rowspan=3, sticky="ns", pady=16)
            self.cost_panel.grid(row=0, column=2, rowspan=3, sticky="nsew", padx=18, pady=14)

        def below() -> None:  # a narrow window: the cost under the progress, the bars keep room
            strip.grid_columnconfigure(2, minsize=0)
            divider.grid_remove()
            self.cost_panel.grid(row=3, column=0, sticky="nsew", padx=18, pady=(0, 14))

        def roomy(width: int) -> bool:
            progress = max(
                self.recipe_progress.winfo_reqwidth(), self.goods_progress.winfo_reqwidth()
            )
            return width >= progress + COST_PANEL_WIDTH + 2 + 4 * 18

        self.strip_reflow = Reflow(strip, roomy, wide=beside, narrow=below)

    def _build_breakdown(self) -> None:
        header = ctk.CTkFrame(self.content, fg_color="transparent")
        header.grid(row=3, column=0, sticky="ew", padx=(0, 6), pady=(0, 4))
        title = section_label(header, "Recipe breakdown")
        title.pack(side="left", padx=(2, 12))
        hint = muted_label(
            header, "Double-click a recipe to see its runs and the lots behind them."
        )
        self.drilldown_button = ActionButton(
            header, text="Drill down…", width=110, height=28, command=self.on_drilldown
        )
        self.drilldown_button.pack(side="right")
        # the hint only where it fits whole: the button says the same on a narrow window
        self.hint_reflow = Reflow(
            header,
            lambda width: (
                width
                >= title.winfo_reqwidth()
                + hint.winfo_reqwidth()
                + self.drilldown_button.winfo_reqwidth()
                + 30
            ),
            wide=lambda: hint.pack(side="left"),
            narrow=hint.pack_forget,
        )
        self.breakdown_table = DataTable(
            self.content,
            BREAKDOWN_COLUMNS,
            empty_text=NO_RECIPE_TARGETS,
            height=4,
            on_select=lambda _iid: self._update_buttons(),
            on_activate=lambda _iid: self.on_drilldown(),
        )
        self.breakdown_table.configure(**INNER_TABLE)
        self.breakdown_table.scrollbar.configure(height=40)  # else 200 px sets the table's floor
        self.breakdown_table.tag_colors("over", foreground=OVER_BUDGET_ROW)
        self.breakdown_table.grid(row=4, column=0, sticky="ew", padx=(0, 6), pady=(0, 2))
        # the rows add up to less than the totals above: say what else those count
        self.breakdown_note = muted_label(self.content, BREAKDOWN_NOTE, font=ctk.CTkFont(size=12))
        self.breakdown_note.grid(row=5, column=0, sticky="w", padx=(2, 6), pady=(0, 8))

    # --- reading ------------------------------------------------------------------------------

    @property
    def event_id(self) -> int | None:
        return self.summary.event_id if self.summary is not None else None

    def show(self, summary: EventSummary | None) -> None:
        """Show an event (reloading its progress, costs and chart), or the empty state."""
        self.summary = summary
        if summary is None:
            self.content.grid_forget()
            self.empty_state.grid(row=0, column=0, padx=40, pady=40)
            return
        self.empty_state.grid_forget()
        self.content.grid(row=0, column=0, sticky="nsew")
        self.production = event_service.get_production_progress(summary.event_id)
        self.assembly = event_service.get_assembly_progress(summary.event_id)
        costs = dashboard_service.get_recipe_cost_breakdown(summary.event_id)
        self.costs = {str(cost.recipe_id): cost for cost in costs}
        self._fill_header(summary)
        self._fill_progress()
        self.cost_panel.show(summary.actual_cost, summary.planned_cost, summary.variance)
        self.chart.show(costs)
        self.breakdown_table.set_rows([breakdown_row(cost) for cost in costs])
        self.breakdown_table.tree.configure(height=min(max(len(costs), 2), 8))
        self._update_buttons()
        self.after_idle(self.reflow)  # new texts, new widths: re-decide once they are measured

    def reflow(self) -> None:
        """Lay the header and the progress strip out for the room they have now."""
        self.update_idletasks()
        self.header_reflow.check()
        self.strip_reflow.check()
        self.hint_reflow.check()

    def _fill_header(self, summary: EventSummary) -> None:
        self.title_label.configure(text=summary.event_name)
        self.badge.show(summary.status)
        parts = [long_date(summary.event_date), relative_day(summary.event_date, date.today())]
        parts.append(packages_text(summary) or NO_PACKAGES)
        self.date_label.configure(text=" · ".join(parts))

    def _fill_progress(self) -> None:
        self.recipe_progress.show(
            [
                (
                    p.recipe_name,
                    p.produced_batches,
                    p.target_batches,
                    batches_text(p.produced_batches, p.target_batches, p.progress_pct),
                    p.is_complete,
                )
                for p in self.production
            ]
        )
        self.goods_progress.show(
            [
                (
                    a.finished_good_name,
                    a.assembled_quantity,
                    a.target_quantity,
                    quantity_text(a.assembled_quantity, a.target_quantity, a.progress_pct),
                    a.is_complete,
                )
                for a in self.assembly
            ]
        )

    def selected_cost(self) -> RecipeCost | None:
        iid = self.breakdown_table.selected_id()
        return self.costs.get(iid) if iid is not None else None

    def _update_buttons(self) -> None:
        set_enabled((self.drilldown_button,), self.selected_cost() is not None)

    # --- commands -----------------------------------------------------------------------------

    def on_record_production(self) -> None:
        """Choose a finished unit (the event's target recipes first), then record it."""
        if self.summary is not None:
            units = finished_unit_service.list_finished_units()
            self._choose(RunKind.PRODUCTION, *unit_choices(units, self.production))

    def open_production(self, finished_unit_id: int) -> RecordProductionDialog:
        """Open Record Production for this unit with this event preselected."""
        self.active_dialog = main_window(self).open_record_production(
            finished_unit_id, event_id=self.event_id, show=self.view.show_dialogs
        )
        return self.active_dialog

    def on_record_assembly(self) -> None:
        """Choose a finished good (the event's assembly targets first), then record it."""
        if self.summary is not None:
            goods = finished_good_service.list_finished_goods()
            self._choose(RunKind.ASSEMBLY, *good_choices(goods, self.assembly))

    def _choose(
        self, kind: RunKind, choices: list[tuple[int, str, str]], initial: int | None
    ) -> None:
        self.active_dialog = choose_item(
            self,
            kind,
            choices,
            initial,
            event_name=self.summary.event_name if self.summary else None,
            show=self.view.show_dialogs,
            on_done=self.open_production if kind == RunKind.PRODUCTION else self.open_assembly,
        )

    def open_assembly(self, finished_good_id: int) -> RecordAssemblyDialog:
        """Open Record Assembly for this good with this event preselected."""
        self.active_dialog = main_window(self).open_record_assembly(
            finished_good_id, event_id=self.event_id, show=self.view.show_dialogs
        )
        return self.active_dialog

    def on_open_event(self) -> None:
        """Open the event's planning window; the overview reloads when it closes."""
        if self.summary is None:
            return
        window = main_window(self).open_event_detail(
            self.summary.event_id, show=self.view.show_dialogs
        )
        self.active_dialog = window
        when_closed(window, self.view.refresh)

    def on_drilldown(self) -> None:
        """The selected recipe's runs for this event and the lots behind each."""
        cost = self.selected_cost()
        if cost is None or self.summary is None:
            return
        # imported at the first drill-down: it brings the production services
        from bake_tracker.ui.production.drilldown import DrilldownDialog

        self.active_dialog = DrilldownDialog(
            self,
            event_id=self.summary.event_id,
            event_name=self.summary.event_name,
            cost=cost,
            show=self.view.show_dialogs,
        )

    def on_go_to_events(self) -> None:
        main_window(self).select_tab("Events")


def breakdown_row(cost: RecipeCost) -> Row:
    """Recipe | Batches p/r | Actual | Planned | Variance | %; over budget in red."""
    values = (
        cost.recipe_name,
        f"{cost.batches_produced}/{cost.batches_required}",
        forms.format_money(cost.actual_cost),
        forms.format_money(cost.planned_cost),
        signed_money(cost.variance),
        signed_percent(cost.variance_percent),
    )
    return str(cost.recipe_id), values, ("over",) if cost.variance > 0 else ()
