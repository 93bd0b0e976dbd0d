"""The Production tab: production and assembly runs, recording new ones, their ledgers, voiding.

Two sub-tabs list the runs newest first (``get_production_history`` / ``get_assembly_history``),
filtered by event (all, standalone, or one event) and, on request, with voided runs greyed out.
"Record production…" and "Record assembly…" pick the item in a small chooser, then open the record
dialogs of ``record_dialogs``; "Details…" shows a run's ledger down to the lots it drew; "Void…"
asks for a reason and undoes the run through the services. Every figure comes from the services.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from tkinter import ttk
from typing import Any

import customtkinter as ctk

from src.services import (
    assembly_service,
    batch_production_service,
    event_service,
    finished_good_service,
    finished_unit_service,
)
from src.services.dto import (
    AssemblyRunDTO,
    ComponentConsumption,
    LotDraw,
    ProductionRunDTO,
    StockLotDraw,
)
from src.ui import forms
from src.ui.dialogs import FIELD_WIDTH, FormDialog
from src.ui.pantry_tab import filter_menu
from src.ui.record_dialogs import RecordAssemblyDialog, RecordProductionDialog
from src.ui.widgets import (
    DANGER_COLOR,
    DANGER_DISABLED_COLOR,
    DANGER_HOVER,
    ERROR_TEXT,
    MUTED_TEXT,
    TABLE_STYLE,
    ActionButton,
    Column,
    DangerButton,
    DataTable,
    Row,
    TabFrame,
    ensure_table_style,
    set_enabled,
)

PRODUCTION = "production"
ASSEMBLY = "assembly"
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
    """Production and assembly runs with an event filter, Record…, Details… and Void…."""

    show_dialogs = True  # tests may build dialogs hidden and non-modal

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
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
        self.refresh()

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, sticky="ew", pady=(4, 4))
        bar.grid_columnconfigure(2, weight=1)
        self.event_var = tk.StringVar(self, value=ALL_EVENTS)
        self.event_filter = filter_menu(bar, 260, self.event_var, ALL_EVENTS)
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
        """Choose a finished unit, then record its production."""
        units = finished_unit_service.list_finished_units()
        run = self.selected_run()
        self.active_dialog = ChooseItemDialog(
            self,
            title="Record production",
            field="Finished unit",
            choices=[(u.id, u.display_name, f"Recipe: {u.recipe_name}") for u in units],
            empty_text="There is nothing to make yet. Add a finished unit (what a recipe makes) "
            "on the Finished Units tab, then record its production here.",
            initial_id=run.finished_unit_id if isinstance(run, ProductionRunDTO) else None,
            show=self.show_dialogs,
            on_done=self.open_production,
        )

    def open_production(self, finished_unit_id: int) -> RecordProductionDialog:
        self.active_dialog = RecordProductionDialog(
            self, finished_unit_id, event_id=self.selected_event_id(), show=self.show_dialogs
        )
        return self.active_dialog

    def on_record_assembly(self) -> None:
        """Choose a finished good, then record its assembly."""
        goods = finished_good_service.list_finished_goods()
        run = self.selected_run()
        self.active_dialog = ChooseItemDialog(
            self,
            title="Record assembly",
            field="Finished good",
            choices=[(g.id, g.display_name, f"In stock: {g.inventory_count}") for g in goods],
            empty_text="There is nothing to assemble yet. Add a finished good (a gift bag or box) "
            "with its components on the Finished Goods tab, then record its assembly here.",
            initial_id=run.finished_good_id if isinstance(run, AssemblyRunDTO) else None,
            show=self.show_dialogs,
            on_done=self.open_assembly,
        )

    def open_assembly(self, finished_good_id: int) -> RecordAssemblyDialog:
        self.active_dialog = RecordAssemblyDialog(
            self, finished_good_id, event_id=self.selected_event_id(), show=self.show_dialogs
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
        refresh_all = getattr(self.winfo_toplevel(), "refresh_all", None)
        if refresh_all is not None:
            refresh_all()
        else:
            self.refresh()
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
        found = []
        for parent in self.tree.get_children():
            found.append((0, self.tree.item(parent, "text"), self._values(parent)))
            for child in self.tree.get_children(parent):
                found.append((1, self.tree.item(child, "text"), self._values(child)))
        return found

    def _values(self, iid: str) -> tuple[str, ...]:
        return tuple(str(value) for value in self.tree.item(iid, "values"))


class RunDetailDialog(ctk.CTkToplevel):
    """A run's facts and its ledger: each line with quantity, cost and the lots drawn."""

    def __init__(self, parent: tk.Misc, run: Run, *, show: bool = True) -> None:
        super().__init__(parent)
        self.withdraw()
        self.parent = parent
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

    def _show_modal(self) -> None:
        owner = self.parent.winfo_toplevel()
        self.transient(owner)
        self.update_idletasks()
        width, height = self.winfo_reqwidth(), self.winfo_reqheight()
        x = owner.winfo_rootx() + max(0, (owner.winfo_width() - width) // 2)
        y = owner.winfo_rooty() + max(0, (owner.winfo_height() - height) // 3)
        self.geometry(f"+{x}+{y}")
        self.deiconify()
        self.wait_visibility()
        self.grab_set()
        self.close_button.focus_set()

    def close(self) -> None:
        owner = self.parent.winfo_toplevel()
        self.grab_release()
        self.destroy()
        owner.focus_set()


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
        heading = ctk.CTkLabel(
            body,
            text=sentence(run_label(self.run)),
            font=ctk.CTkFont(size=15, weight="bold"),
            anchor="w",
        )
        self.add_wide(heading, pady=(0, 0))
        self.effect_label = ctk.CTkLabel(
            body, text=self.effect(), text_color=MUTED_TEXT, anchor="w", justify="left"
        )
        self.effect_label.configure(wraplength=self.min_width - 50)
        self.add_wide(self.effect_label, pady=(2, 8))
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
