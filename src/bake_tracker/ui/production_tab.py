"""The Production tab, the app's home: every active event at a glance, and the recent runs.

"Overview" (``DashboardView``) lists the events with targets or assignments as cards
(``dashboard_service.get_dashboard_summary``); the selected event's panel shows its target
progress, "Record production…" / "Record assembly…" launchers that preselect it, its actual vs
planned cost, a matplotlib chart and the per-recipe breakdown with a drill-down to the lots.
"Recent runs" (``RecentRunsView``) lists production and assembly runs newest first, filtered by
event, with their ledgers ("Details…") and "Void…". Every figure comes from the services.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from tkinter import ttk
from typing import Any

import customtkinter as ctk

from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    dashboard_service,
    event_service,
    finished_good_service,
    finished_unit_service,
)
from bake_tracker.services.dto import (
    AssemblyProgress,
    AssemblyRunDTO,
    ComponentConsumption,
    EventSummary,
    FinishedGoodDTO,
    FinishedUnitDTO,
    LotDraw,
    ProductionProgress,
    ProductionRunDTO,
    RecipeCost,
    StockLotDraw,
)
from bake_tracker.ui import forms
from bake_tracker.ui.dashboard_widgets import (
    CARD_BORDER,
    NO_PACKAGES,
    AutoHideScrollbar,
    CostPanel,
    DashboardChart,
    DrilldownDialog,
    EventCard,
    ProgressList,
    StatusBadge,
    batches_text,
    long_date,
    order_events,
    packages_text,
    quantity_text,
    relative_day,
    signed_money,
    signed_percent,
)
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.labels import muted_label, section_label
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.table import (
    TABLE_STYLE,
    Column,
    DataTable,
    Row,
    ensure_table_style,
    tree_rows,
)
from bake_tracker.ui.kit.theme import (
    CARD_COLOR,
    DANGER_COLOR,
    DANGER_DISABLED_COLOR,
    DANGER_HOVER,
    ERROR_TEXT,
    INNER_TABLE,
    MUTED_TEXT,
    TABLE_BACKGROUND,
)
from bake_tracker.ui.kit.windows import ModalWindow, when_closed
from bake_tracker.ui.record_dialogs import RecordAssemblyDialog, RecordProductionDialog
from bake_tracker.ui.shell import main_window

OVERVIEW = "Overview"
RECENT_RUNS = "Recent runs"
PAGES = (OVERVIEW, RECENT_RUNS)
CARD_LIST_WIDTH = 330
COST_PANEL_WIDTH = 300
OVER_BUDGET_ROW = "#C62828"
BREAKDOWN_COLUMNS = (
    Column("recipe", "Recipe", 220),
    Column("batches", "Batches", 90, "center", stretch=False),
    Column("actual", "Actual", 100, "e", stretch=False),
    Column("planned", "Planned", 100, "e", stretch=False),
    Column("variance", "Variance", 100, "e", stretch=False),
    Column("percent", "%", 90, "e", stretch=False),
)
NO_EVENTS_UPCOMING = (
    "No upcoming events with targets or packages. Tick “Show past events” to see earlier ones."
)
NO_EVENTS_PAST = "No events with targets or packages yet."
EMPTY_DASHBOARD = (
    "Events show up here once they have production targets or packages assigned to "
    "recipients. Plan one on the Events tab: add the event, assign packages, then accept the "
    "suggested targets."
)
NO_RECIPE_TARGETS = "No production targets yet. Set them with “Open event…” ▸ Targets."
NO_GOODS_TARGETS = "No assembly targets yet."
NO_UNITS = (
    "There is nothing to make yet. Add a finished unit (what a recipe makes) on the Finished "
    "Units tab, then record its production here."
)
NO_GOODS = (
    "There is nothing to assemble yet. Add a finished good (a gift bag or box) with its "
    "components on the Finished Goods tab, then record its assembly here."
)
PRODUCTION = "production"
ASSEMBLY = "assembly"
# The title and field of the first step of recording (choosing what), by kind of run.
CHOOSE_TEXTS = {
    PRODUCTION: ("Record production", "Finished unit", NO_UNITS),
    ASSEMBLY: ("Record assembly", "Finished good", NO_GOODS),
}
VIEW_NAMES = {PRODUCTION: "Production runs", ASSEMBLY: "Assembly runs"}
ALL_EVENTS = "All events"
STANDALONE_ONLY = "Standalone"
HISTORY_LIMIT = 500
PRODUCTION_COLUMNS = (
    Column("date", "Date", 100, "center", stretch=False),
    Column("item", "Item", 220),
    Column("event", "Event", 220),
    Column("batches", "Batches", 80, "e", stretch=False),
    Column("yield", "Yield", 100, "e", stretch=False),
    Column("cost", "Cost", 100, "e", stretch=False),
    Column("per_unit", "Per unit", 100, "e", stretch=False),
    Column("status", "Status", 90, "center", stretch=False),
)
ASSEMBLY_COLUMNS = (
    Column("date", "Date", 100, "center", stretch=False),
    Column("item", "Item", 220),
    Column("event", "Event", 220),
    Column("quantity", "Quantity", 80, "e", stretch=False),
    Column("cost", "Cost", 100, "e", stretch=False),
    Column("per_unit", "Per unit", 100, "e", stretch=False),
    Column("status", "Status", 90, "center", stretch=False),
)
EMPTY_TEXT = {
    PRODUCTION: "No production runs yet. Click “Record production…” to record your first batch.",
    ASSEMBLY: "No assembly runs yet. Click “Record assembly…” to put gift bags and boxes together.",
}
NO_MATCH = "No runs match these filters."
COMPONENT_PREFIXES = {"finished_unit": "[FU]", "finished_good": "[FG]", "packaging": "[Pkg]"}

Run = ProductionRunDTO | AssemblyRunDTO


# --- rows -----------------------------------------------------------------------------------------


def event_text(name: str | None) -> str:
    return name if name else "—"


def status_tags(run: Run) -> tuple[str, tuple[str, ...]]:
    return ("Voided", ("voided",)) if run.voided_at is not None else ("", ())


def production_row(run: ProductionRunDTO) -> Row:
    status, tags = status_tags(run)
    values = (
        forms.format_local_date(run.produced_at),
        run.finished_unit_name,
        event_text(run.event_name),
        run.num_batches,
        f"{run.actual_yield} / {run.expected_yield}",
        forms.format_money(run.total_ingredient_cost),
        forms.format_unit_cost(run.per_unit_cost),
        status,
    )
    return str(run.id), values, tags


def assembly_row(run: AssemblyRunDTO) -> Row:
    status, tags = status_tags(run)
    values = (
        forms.format_local_date(run.assembled_at),
        run.finished_good_name,
        event_text(run.event_name),
        run.quantity_assembled,
        forms.format_money(run.total_component_cost),
        forms.format_unit_cost(run.per_unit_cost),
        status,
    )
    return str(run.id), values, tags


def counts_text(production: int, assembly: int) -> str:
    """ "2 production runs · 1 assembly run", noting when the list stops at the limit."""
    text = (
        f"{forms.plural(production, 'production run')} · {forms.plural(assembly, 'assembly run')}"
    )
    if HISTORY_LIMIT in (production, assembly):
        text += f" (the latest {HISTORY_LIMIT} of each)"
    return text


def sentence(text: str) -> str:
    """The first letter in capitals, the rest as it is (names keep their case)."""
    return text[:1].upper() + text[1:]


def run_name(run: Run) -> str:
    if isinstance(run, ProductionRunDTO):
        return run.finished_unit_name
    return run.finished_good_name


def run_label(run: Run) -> str:
    """ "production run #3 of Sugar Cookie (2025-12-15)"."""
    if isinstance(run, ProductionRunDTO):
        kind, when = PRODUCTION, run.produced_at
    else:
        kind, when = ASSEMBLY, run.assembled_at
    return f"{kind} run #{run.id} of {run_name(run)} ({forms.format_local_date(when)})"


# --- the tab --------------------------------------------------------------------------------------


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


class SubPage(TabFrame):
    """A page of the Production tab; dialogs follow the tab's ``show_dialogs``."""

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.tab = tab

    @property
    def show_dialogs(self) -> bool:
        return self.tab.show_dialogs

    def refresh_window(self) -> None:
        """After a change that touches several tabs: reload the tab in view (this one)."""
        main_window(self).refresh_all()


# --- the overview ---------------------------------------------------------------------------------


class DashboardView(SubPage):
    """Active events as cards on the left; the selected event's progress and costs on the right.

    The selection is kept by event id across refreshes (a run recorded, the tab shown again);
    when the selected event is no longer listed the nearest upcoming one is selected.
    """

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.summaries: dict[int, EventSummary] = {}
        self.cards: dict[int, EventCard] = {}
        self.selected_event_id: int | None = None
        self.grid_columnconfigure(1, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self._build_list()
        self.panel = EventPanel(self)
        self.panel.grid(row=0, column=1, sticky="nsew", padx=(12, 0), pady=(0, 4))
        self._show_selected()  # nothing loaded yet: the window loads the tab when it is shown

    def _build_list(self) -> None:
        column = ctk.CTkFrame(self, fg_color="transparent", width=CARD_LIST_WIDTH)
        column.grid(row=0, column=0, sticky="nsew", pady=(0, 4))
        column.grid_rowconfigure(1, weight=1)
        column.grid_columnconfigure(0, weight=1)
        header = ctk.CTkFrame(column, fg_color="transparent")
        header.grid(row=0, column=0, sticky="ew", pady=(0, 6))
        section_label(header, "Active events").pack(side="left", padx=(4, 0))
        self.past_var = tk.BooleanVar(self, value=False)
        self.past_check = ctk.CTkCheckBox(
            header,
            text="Show past events",
            variable=self.past_var,
            command=self.refresh,
            checkbox_width=18,
            checkbox_height=18,
            font=ctk.CTkFont(size=12),
        )
        self.past_check.pack(side="right", padx=(0, 4))
        self.card_list = ctk.CTkScrollableFrame(
            column, fg_color="transparent", width=CARD_LIST_WIDTH - 20
        )
        self.card_list.grid(row=1, column=0, sticky="nsew")
        self.card_scrollbar = AutoHideScrollbar(self.card_list)
        self.card_list.grid_columnconfigure(0, weight=1)
        self.empty_label = muted_label(
            self.card_list, "", wraplength=CARD_LIST_WIDTH - 50, justify="left"
        )

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the cards (keeping the selected event) and the selected event's panel."""
        today = date.today()
        found = dashboard_service.get_dashboard_summary(
            include_past=self.past_var.get(), today=today
        )
        ordered = order_events(found, today)
        self.summaries = {summary.event_id: summary for summary in ordered}
        self._draw_cards(ordered, today)
        if self.selected_event_id not in self.summaries:
            self.selected_event_id = ordered[0].event_id if ordered else None
        self._show_selected()

    def _draw_cards(self, summaries: Sequence[EventSummary], today: date) -> None:
        """Refill the cards in place when the same events are listed, else rebuild them."""
        self._show_empty_label(not summaries)
        if [s.event_id for s in summaries] == list(self.cards):
            for summary in summaries:
                self.cards[summary.event_id].fill(summary, today)
            return
        for card in self.cards.values():
            card.destroy()
        self.cards = {}
        for row, summary in enumerate(summaries):
            card = EventCard(self.card_list, summary, today, self.select_event)
            card.grid(row=row, column=0, sticky="ew", padx=(2, 8), pady=(0, 10))
            self.cards[summary.event_id] = card

    def _show_empty_label(self, empty: bool) -> None:
        if not empty:
            self.empty_label.grid_forget()
            return
        self.empty_label.configure(
            text=NO_EVENTS_PAST if self.past_var.get() else NO_EVENTS_UPCOMING
        )
        self.empty_label.grid(row=0, column=0, sticky="ew", padx=6, pady=6)

    def select_event(self, event_id: int) -> None:
        """Select an event's card and show its panel (what clicking a card does)."""
        if event_id in self.summaries:
            self.selected_event_id = event_id
            self._show_selected()

    def _show_selected(self) -> None:
        for event_id, card in self.cards.items():
            card.set_selected(event_id == self.selected_event_id)
        selected = self.summaries.get(self.selected_event_id) if self.selected_event_id else None
        self.panel.show(selected)

    @property
    def selected_card(self) -> EventCard | None:
        return self.cards.get(self.selected_event_id) if self.selected_event_id else None

    def card_texts(self) -> list[list[str]]:
        """Every card's lines in order (for tests)."""
        return [card.texts() for card in self.cards.values()]


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
        self.content = ctk.CTkScrollableFrame(self, fg_color="transparent")
        self.content.grid_columnconfigure(0, weight=1)
        self.content_scrollbar = AutoHideScrollbar(self.content)
        self._build_header()
        self._build_progress()
        self.chart = DashboardChart(self.content)
        self.chart.grid(row=2, column=0, sticky="ew", padx=(0, 6), pady=(0, 12))
        self._build_breakdown()

    # --- building -----------------------------------------------------------------------------

    def _build_empty_state(self) -> None:
        self.empty_state = ctk.CTkFrame(self, fg_color=CARD_COLOR, corner_radius=12)
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
        self.date_label.grid(row=1, column=0, sticky="w")
        buttons = ctk.CTkFrame(header, fg_color="transparent")
        buttons.grid(row=0, column=1, rowspan=2, sticky="e")
        for name, text, width, command in (
            ("record_production_button", "Record production…", 160, self.on_record_production),
            ("record_assembly_button", "Record assembly…", 150, self.on_record_assembly),
            ("open_event_button", "Open event…", 120, self.on_open_event),
        ):
            button = ActionButton(buttons, text=text, width=width, command=command)
            button.pack(side="left", padx=(8, 0))
            setattr(self, name, button)

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
        divider.grid(row=0, column=1, rowspan=3, sticky="ns", pady=16)
        self.cost_panel = CostPanel(strip)
        self.cost_panel.grid(row=0, column=2, rowspan=3, sticky="nsew", padx=18, pady=14)

    def _build_breakdown(self) -> None:
        header = ctk.CTkFrame(self.content, fg_color="transparent")
        header.grid(row=3, column=0, sticky="ew", padx=(0, 6), pady=(0, 4))
        section_label(header, "Recipe breakdown").pack(side="left", padx=(2, 12))
        muted_label(header, "Double-click a recipe to see its runs and the lots behind them.").pack(
            side="left"
        )
        self.drilldown_button = ActionButton(
            header, text="Drill down…", width=110, height=28, command=self.on_drilldown
        )
        self.drilldown_button.pack(side="right")
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
        self.breakdown_table.tree.tag_configure("over", foreground=OVER_BUDGET_ROW)
        self.breakdown_table.grid(row=4, column=0, sticky="ew", padx=(0, 6), pady=(0, 8))

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

    def _fill_header(self, summary: EventSummary) -> None:
        self.title_label.configure(text=summary.event_name)
        self.badge.show(summary.is_complete)
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
            self._choose(PRODUCTION, *unit_choices(units, self.production))

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
            self._choose(ASSEMBLY, *good_choices(goods, self.assembly))

    def _choose(self, kind: str, choices: list[tuple[int, str, str]], initial: int | None) -> None:
        self.active_dialog = choose_item(
            self,
            kind,
            choices,
            initial,
            event_name=self.summary.event_name if self.summary else None,
            show=self.view.show_dialogs,
            on_done=self.open_production if kind == PRODUCTION else self.open_assembly,
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


def unit_choices(
    units: Sequence[FinishedUnitDTO], progress: Sequence[ProductionProgress]
) -> tuple[list[tuple[int, str, str]], int | None]:
    """Chooser entries with the event's target recipes first, and the unit to start on: the first
    whose target is not met yet (else the first targeted one)."""
    targets = {p.recipe_id: p for p in progress}
    return targets_first(units, lambda u: targets.get(u.recipe_id), unit_info)


def targets_first(
    items: Sequence[Any],
    target_of: Callable[[Any], Any | None],
    info: Callable[[Any, Any | None], str],
) -> tuple[list[tuple[int, str, str]], int | None]:
    """``(id, name, info)`` entries for ``items``, those with a target (``target_of``) first, and
    the id to start on: the first whose target is not complete, else the first with a target."""
    targeted = [item for item in items if target_of(item) is not None]
    ordered = targeted + [item for item in items if target_of(item) is None]
    choices = [(item.id, item.display_name, info(item, target_of(item))) for item in ordered]
    open_items = [item.id for item in targeted if not target_of(item).is_complete]
    initial = (open_items or [item.id for item in targeted] or [None])[0]
    return choices, initial


def unit_info(unit: FinishedUnitDTO, target: ProductionProgress | None) -> str:
    """ "Recipe: Sugar Cookies · target 2/4 batches (50%)" and the like."""
    if target is None:
        return f"Recipe: {unit.recipe_name} · not a target of this event"
    figures = batches_text(target.produced_batches, target.target_batches, target.progress_pct)
    if target.is_complete:
        return f"Recipe: {unit.recipe_name} · target met ({figures}); more is extra"
    return f"Recipe: {unit.recipe_name} · target {figures}"


def good_choices(
    goods: Sequence[FinishedGoodDTO], progress: Sequence[AssemblyProgress]
) -> tuple[list[tuple[int, str, str]], int | None]:
    """Like ``unit_choices`` for finished goods and the event's assembly targets."""
    targets = {a.finished_good_id: a for a in progress}
    return targets_first(goods, lambda g: targets.get(g.id), good_info)


def good_info(good: FinishedGoodDTO, target: AssemblyProgress | None) -> str:
    """ "In stock: 3 · target 3/8 (38%)" and the like."""
    stock = f"In stock: {good.inventory_count}"
    if target is None:
        return f"{stock} · not a target of this event"
    figures = quantity_text(target.assembled_quantity, target.target_quantity, target.progress_pct)
    if target.is_complete:
        return f"{stock} · target met ({figures}); more is extra"
    return f"{stock} · target {figures}"


# --- recent runs ----------------------------------------------------------------------------------


class RecentRunsView(SubPage):
    """Production and assembly runs with an event filter, Record…, Details… and Void…."""

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.runs: dict[str, dict[str, Run]] = {PRODUCTION: {}, ASSEMBLY: {}}
        self.event_filters: dict[str, int | None] = {}
        self.active_dialog: tk.Misc | None = None
        self._refreshing = False
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self._build_views()
        self.counts_label = ctk.CTkLabel(self, text="", text_color=MUTED_TEXT, anchor="w")
        self.counts_label.grid(row=2, column=0, sticky="ew", padx=4, pady=(2, 0))
        self._update_buttons()  # nothing loaded yet: the window loads the tab when it is shown

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, sticky="ew", pady=(4, 4))
        bar.grid_columnconfigure(2, weight=1)
        self.event_var = tk.StringVar(self, value=ALL_EVENTS)
        self.event_filter = quiet_menu(bar, 260, [ALL_EVENTS], self.event_var)
        self.event_filter.grid(row=0, column=0, padx=(2, 16))
        self.voided_var = tk.BooleanVar(self, value=False)
        self.voided_check = ctk.CTkCheckBox(bar, text="Show voided", variable=self.voided_var)
        self.voided_check.grid(row=0, column=1)
        buttons = (
            ("record_production_button", "Record production…", 160, self.on_record_production),
            ("record_assembly_button", "Record assembly…", 150, self.on_record_assembly),
            ("details_button", "Details…", 100, self.on_details),
        )
        for column, (name, text, width, command) in enumerate(buttons, start=3):
            button = ActionButton(bar, text=text, width=width, command=command)
            button.grid(row=0, column=column, padx=(0, 8))
            setattr(self, name, button)
        self.void_button = DangerButton(bar, text="Void…", width=90, command=self.on_void)
        self.void_button.grid(row=0, column=6)
        for variable in (self.event_var, self.voided_var):
            variable.trace_add("write", lambda *_: self.refresh())

    def _build_views(self) -> None:
        self.views = ctk.CTkTabview(self, command=self._update_buttons, height=300)
        self.views.grid(row=1, column=0, sticky="nsew")
        self.tables: dict[str, DataTable] = {}
        for kind, columns in ((PRODUCTION, PRODUCTION_COLUMNS), (ASSEMBLY, ASSEMBLY_COLUMNS)):
            page = self.views.add(VIEW_NAMES[kind])
            table = DataTable(
                page,
                columns,
                empty_text=EMPTY_TEXT[kind],
                on_select=lambda _iid: self._update_buttons(),
                on_activate=lambda _iid: self.on_details(),
            )
            table.pack(fill="both", expand=True)
            self.tables[kind] = table
        self.production_table = self.tables[PRODUCTION]
        self.assembly_table = self.tables[ASSEMBLY]

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the event filter and both run lists (with the filters)."""
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._load_event_filter()
            filters = {
                "event_id": self.event_filters.get(self.event_var.get()),
                "standalone_only": self.event_var.get() == STANDALONE_ONLY,
                "include_voided": self.voided_var.get(),
                "limit": HISTORY_LIMIT,
            }
            production = batch_production_service.get_production_history(**filters)
            assembly = assembly_service.get_assembly_history(**filters)
        finally:
            self._refreshing = False
        self._show(PRODUCTION, production, production_row)
        self._show(ASSEMBLY, assembly, assembly_row)
        self.counts_label.configure(text=counts_text(len(production), len(assembly)))
        self._update_buttons()

    def _load_event_filter(self) -> None:
        events = event_service.list_events_for_picker()
        self.event_filters = {ALL_EVENTS: None, STANDALONE_ONLY: None}
        self.event_filters |= {event.label: event.id for event in events}
        labels = list(self.event_filters)
        self.event_filter.configure(values=labels)
        if self.event_var.get() not in labels:
            self.event_var.set(ALL_EVENTS)

    def _show(self, kind: str, runs: Sequence[Run], to_row: Callable[[Any], Row]) -> None:
        self.runs[kind] = {str(run.id): run for run in runs}
        filtered = self.event_var.get() != ALL_EVENTS
        self.tables[kind].empty_label.configure(text=NO_MATCH if filtered else EMPTY_TEXT[kind])
        self.tables[kind].set_rows([to_row(run) for run in runs])

    def current_kind(self) -> str:
        return PRODUCTION if self.views.get() == VIEW_NAMES[PRODUCTION] else ASSEMBLY

    def show_view(self, kind: str) -> None:
        """Switch to the production or assembly runs (what clicking a sub-tab does)."""
        self.views.set(VIEW_NAMES[kind])
        self._update_buttons()

    def selected_run(self) -> Run | None:
        kind = self.current_kind()
        iid = self.tables[kind].selected_id()
        return self.runs[kind].get(iid) if iid is not None else None

    def selected_event_id(self) -> int | None:
        """The event chosen in the filter, to preselect when recording."""
        return self.event_filters.get(self.event_var.get())

    def _update_buttons(self) -> None:
        run = self.selected_run()
        set_enabled((self.details_button,), run is not None)
        set_enabled((self.void_button,), run is not None and run.voided_at is None)

    # --- commands -----------------------------------------------------------------------------

    def on_record_production(self) -> None:
        """Choose a finished unit (the selected run's first), then record its production."""
        units = finished_unit_service.list_finished_units()
        run = self.selected_run()
        initial = run.finished_unit_id if isinstance(run, ProductionRunDTO) else None
        self._choose(
            PRODUCTION, [(u.id, u.display_name, f"Recipe: {u.recipe_name}") for u in units], initial
        )

    def on_record_assembly(self) -> None:
        """Choose a finished good (the selected run's first), then record its assembly."""
        goods = finished_good_service.list_finished_goods()
        run = self.selected_run()
        initial = run.finished_good_id if isinstance(run, AssemblyRunDTO) else None
        self._choose(
            ASSEMBLY,
            [(g.id, g.display_name, f"In stock: {g.inventory_count}") for g in goods],
            initial,
        )

    def _choose(self, kind: str, choices: list[tuple[int, str, str]], initial: int | None) -> None:
        self.active_dialog = choose_item(
            self,
            kind,
            choices,
            initial,
            show=self.show_dialogs,
            on_done=self.open_production if kind == PRODUCTION else self.open_assembly,
        )

    def open_production(self, finished_unit_id: int) -> RecordProductionDialog:
        """Open Record Production for this unit, with the filter's event chosen."""
        self.active_dialog = main_window(self).open_record_production(
            finished_unit_id, event_id=self.selected_event_id(), show=self.show_dialogs
        )
        return self.active_dialog

    def open_assembly(self, finished_good_id: int) -> RecordAssemblyDialog:
        """Open Record Assembly for this good, with the filter's event chosen."""
        self.active_dialog = main_window(self).open_record_assembly(
            finished_good_id, event_id=self.selected_event_id(), show=self.show_dialogs
        )
        return self.active_dialog

    def on_details(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.active_dialog = RunDetailDialog(self, run, show=self.show_dialogs)

    def on_void(self) -> None:
        run = self.selected_run()
        if run is not None and run.voided_at is None:
            self.active_dialog = VoidRunDialog(
                self, run, show=self.show_dialogs, on_done=self._run_voided
            )

    def _run_voided(self, run: Run) -> None:
        self.refresh_window()
        self.post_status(f"Voided {run_label(run)}.")


# --- choosing what to record ----------------------------------------------------------------------


class ChooseItemDialog(FormDialog):
    """Pick the finished unit (or good) to record; OK returns its id, nothing is written."""

    ok_text = "Next…"
    min_width = 440

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        field: str,
        choices: Sequence[tuple[int, str, str]],
        empty_text: str,
        initial_id: int | None = None,
        show: bool = True,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        self.field = field
        self.choices = item_choices(choices)
        self.empty_text = empty_text
        self.initial_id = initial_id
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        if not self.choices:
            notice = ctk.CTkLabel(
                body, text=self.empty_text, anchor="w", justify="left", wraplength=390
            )
            self.add_wide(notice)
            return
        self.item_menu = ctk.CTkOptionMenu(
            body,
            width=FIELD_WIDTH,
            values=list(self.choices),
            command=self.choose,
            dynamic_resizing=False,
        )
        self.add_field(self.field, self.item_menu, sticky="w")
        self.info_label = self.add_hint("")

    def ready(self) -> None:
        if not self.choices:
            self.ok_button.configure(state="disabled")
            return
        labels = [
            label for label, (item_id, _) in self.choices.items() if item_id == self.initial_id
        ]
        self.choose(labels[0] if labels else next(iter(self.choices)))

    def choose(self, label: str) -> None:
        """Select an item by its label (the menu's command)."""
        self.item_menu.set(label)
        self.info_label.configure(text=self.choices[label][1])

    def focus_first(self) -> None:
        if self.choices:
            self.item_menu.focus_set()

    def validate(self) -> int:
        if not self.choices:
            raise forms.FieldError(f"There is no {self.field.lower()} to choose yet.")
        return self.choices[self.item_menu.get()][0]

    def apply(self, values: int) -> int:
        return values


def item_choices(choices: Sequence[tuple[int, str, str]]) -> dict[str, tuple[int, str]]:
    """Menu labels (a repeated name gets its id) mapped to (id, one line about the item)."""
    names = [name for _, name, _ in choices]
    labels: dict[str, tuple[int, str]] = {}
    for item_id, name, info in choices:
        label = f"{name} (#{item_id})" if names.count(name) > 1 else name
        labels[label] = (item_id, info)
    return labels


def choose_item(
    parent: tk.Misc,
    kind: str,
    choices: Sequence[tuple[int, str, str]],
    initial_id: int | None,
    *,
    show: bool,
    on_done: Callable[[int], Any],
    event_name: str | None = None,
) -> ChooseItemDialog:
    """The first step of recording a run of ``kind``: choose the finished unit (production) or
    the finished good (assembly); ``on_done(id)`` opens the recording dialog."""
    title, field, empty_text = CHOOSE_TEXTS[kind]
    return ChooseItemDialog(
        parent,
        title=f"{title} - {event_name}" if event_name else title,
        field=field,
        choices=choices,
        empty_text=empty_text,
        initial_id=initial_id,
        show=show,
        on_done=on_done,
    )


# --- run details ----------------------------------------------------------------------------------


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
    groups: tuple[tuple[str, list[ComponentConsumption]], ...] = (
        ("finished_unit", run.finished_unit_consumptions),
        ("finished_good", run.finished_good_consumptions),
        ("packaging", run.packaging_consumptions),
    )
    return [
        LedgerLine(
            f"{COMPONENT_PREFIXES[kind]} {line.component_name}",
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


# --- voiding --------------------------------------------------------------------------------------


class VoidRunDialog(FormDialog):
    """Undo a run, with a reason: what it used goes back, what it made leaves stock."""

    ok_text = "Void run"
    min_width = 500

    def __init__(
        self,
        parent: tk.Misc,
        run: Run,
        *,
        show: bool = True,
        on_done: Callable[[Run], None] | None = None,
    ) -> None:
        self.run = run
        kind = PRODUCTION if isinstance(run, ProductionRunDTO) else ASSEMBLY
        super().__init__(parent, title=f"Void {kind} run", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(sentence(run_label(self.run)))
        self.effect_label = self.add_note(self.effect(), pady=(2, 8))
        self.reason_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. recorded twice"
        )
        self.add_field("Reason", self.reason_entry)

    def ready(self) -> None:
        self.ok_button.normal_color = DANGER_COLOR
        self.ok_button.disabled_color = DANGER_DISABLED_COLOR
        self.ok_button.configure(fg_color=DANGER_COLOR, hover_color=DANGER_HOVER)

    def effect(self) -> str:
        run = self.run
        if isinstance(run, ProductionRunDTO):
            made = (
                f"the {run.actual_yield} {run.finished_unit_name} it made leave stock"
                if run.actual_yield
                else "it made nothing, so stock is unchanged"
            )
            used = "Its ingredients go back to the pantry lots they came from, and " + made
        else:
            used = (
                "Its finished items and packaging go back to the lots they came from, and the "
                f"{run.quantity_assembled} {run.finished_good_name} it made leave stock"
            )
        return f"{used}. The run stays in the history, marked voided."

    def focus_first(self) -> None:
        self.reason_entry.focus_set()

    def validate(self) -> str:
        return self.check(self.reason_entry, forms.parse_text, "Reason", max_length=2000)

    def confirm(self, values: str) -> bool:
        return self.ask_confirm(f"Void {run_label(self.run)}?\n\n{self.effect()}")

    def apply(self, values: str) -> Run:
        if isinstance(self.run, ProductionRunDTO):
            return batch_production_service.void_production_run(self.run.id, reason=values)
        return assembly_service.void_assembly_run(self.run.id, reason=values)
