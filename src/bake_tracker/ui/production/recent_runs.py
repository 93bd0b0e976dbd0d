"""The Production tab's "Recent runs": production and assembly runs newest first, filtered by
event, with Record…, their ledgers (Details…) and Void….
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    event_service,
    finished_good_service,
    finished_unit_service,
)
from bake_tracker.services.dto import AssemblyRunDTO, ProductionRunDTO
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.tabview import Tabview
from bake_tracker.ui.kit.theme import MUTED_TEXT
from bake_tracker.ui.production.choosing import choose_item
from bake_tracker.ui.production.page import SubPage
from bake_tracker.ui.production.run_detail import RunDetailDialog
from bake_tracker.ui.production.runs import RunKind, event_text, run_label, status_tags
from bake_tracker.ui.production.void_run import VoidRunDialog, void_refusal
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.production.runs import Run
    from bake_tracker.ui.production.tab import ProductionTab
    from bake_tracker.ui.record.assembly import RecordAssemblyDialog
    from bake_tracker.ui.record.production import RecordProductionDialog


VIEW_NAMES = {RunKind.PRODUCTION: "Production runs", RunKind.ASSEMBLY: "Assembly runs"}
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
    RunKind.PRODUCTION: "No production runs yet. Click “Record production…” to record your first "
    "batch.",
    RunKind.ASSEMBLY: "No assembly runs yet. Click “Record assembly…” to put gift bags and boxes "
    "together.",
}
NO_MATCH = "No runs match these filters."


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


class RecentRunsView(SubPage):
    """Production and assembly runs with an event filter, Record…, Details… and Void…."""

    def __init__(self, tab: ProductionTab) -> None:
        super().__init__(tab)
        self.runs: dict[RunKind, dict[str, Run]] = {RunKind.PRODUCTION: {}, RunKind.ASSEMBLY: {}}
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
        self.views = Tabview(self, command=self._update_buttons, height=300)
        self.views.grid(row=1, column=0, sticky="nsew")
        self.tables: dict[RunKind, DataTable] = {}
        for kind, columns in (
            (RunKind.PRODUCTION, PRODUCTION_COLUMNS),
            (RunKind.ASSEMBLY, ASSEMBLY_COLUMNS),
        ):
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
        self.production_table = self.tables[RunKind.PRODUCTION]
        self.assembly_table = self.tables[RunKind.ASSEMBLY]

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
        self._show(RunKind.PRODUCTION, production, production_row)
        self._show(RunKind.ASSEMBLY, assembly, assembly_row)
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

    def _show(self, kind: RunKind, runs: Sequence[Run], to_row: Callable[[Any], Row]) -> None:
        self.runs[kind] = {str(run.id): run for run in runs}
        filtered = self.event_var.get() != ALL_EVENTS
        self.tables[kind].empty_label.configure(text=NO_MATCH if filtered else EMPTY_TEXT[kind])
        self.tables[kind].set_rows([to_row(run) for run in runs])

    def current_kind(self) -> RunKind:
        if self.views.get() == VIEW_NAMES[RunKind.PRODUCTION]:
            return RunKind.PRODUCTION
        return RunKind.ASSEMBLY

    def show_view(self, kind: RunKind) -> None:
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
            RunKind.PRODUCTION,
            [(u.id, u.display_name, f"Recipe: {u.recipe_name}") for u in units],
            initial,
        )

    def on_record_assembly(self) -> None:
        """Choose a finished good (the selected run's first), then record its assembly."""
        goods = finished_good_service.list_finished_goods()
        run = self.selected_run()
        initial = run.finished_good_id if isinstance(run, AssemblyRunDTO) else None
        self._choose(
            RunKind.ASSEMBLY,
            [(g.id, g.display_name, f"In stock: {g.inventory_count}") for g in goods],
            initial,
        )

    def _choose(
        self, kind: RunKind, choices: list[tuple[int, str, str]], initial: int | None
    ) -> None:
        self.active_dialog = choose_item(
            self,
            kind,
            choices,
            initial,
            show=self.show_dialogs,
            on_done=self.open_production if kind == RunKind.PRODUCTION else self.open_assembly,
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
        if run is None or run.voided_at is not None:
            return
        try:
            refused = void_refusal(run)  # the check comes before any question
        except ServiceError as error:
            refused = str(error)
        if refused:
            self.show_error("Cannot void this run", refused)
            return
        self.active_dialog = VoidRunDialog(
            self, run, show=self.show_dialogs, on_done=self._run_voided
        )

    def _run_voided(self, run: Run) -> None:
        self.refresh_window()
        self.post_status(f"Voided {run_label(run)}.")
