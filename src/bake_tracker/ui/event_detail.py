"""The Event Detail window, "Event Planning - {name}": one event's packages, targets and shopping.

Five tabs, each a panel with its own ``refresh()``: **Assignments** (who gets which package, moved
one status step at a time), **Targets** (production and assembly targets with progress bars),
**Recipe Needs**, **Shopping List** (with a CSV export) and **Summary** (counts, cost and overall
progress). ``EventDetailWindow.refresh()`` reloads them all; a change made here also refreshes the
main window's tabs. Every figure (progress %, costs, needs) is the services'; the bar's fill,
min(produced / target, 1), is display only. The window's dialog methods (``ask_confirm``,
``show_error``, ``show_info``, ``show_warning``, ``ask_text``, ``ask_save_path``) are one-liners
that tests replace.
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from tkinter import filedialog, messagebox

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import AssignmentDTO, EventDTO, ShoppingItem
from bake_tracker.services.errors import InvalidTransitionError, NotFoundError, ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.event_dialogs import (
    ASSEMBLY,
    PRODUCTION,
    AssignPackageDialog,
    EditAssignmentDialog,
    SuggestTargetsDialog,
    TargetDialog,
    TargetKind,
    TargetProgress,
)
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.tabview import MainTabview
from bake_tracker.ui.kit.theme import CARD_COLOR, MUTED_TEXT
from bake_tracker.ui.shell import main_window

DETAIL_TABS = ("Assignments", "Targets", "Recipe Needs", "Shopping List", "Summary")
DONE_TEXT = ("#2E7D32", "#66BB6A")
DONE_BAR = ("#43A047", "#2E7D32")
DONE_ROW = "#2E7D32"
READY_ROW = "#1F6AA5"
MISSING_ROW = "#8A4B00"
STATUS_NAMES = {"pending": "Pending", "ready": "Ready", "delivered": "Delivered"}
DELIVERED_TEXT = "✓ Delivered"


# --- pure helpers ---------------------------------------------------------------------------------


def whole_percent(pct: Decimal) -> int:
    """The service's percentage rounded to a whole number for display (62.5 → 63)."""
    return int(pct.quantize(Decimal(1), ROUND_HALF_UP))


def progress_text(done: int, target: int, pct: Decimal) -> str:
    """ "5/4 (125%)": produced over target, and the service's (uncapped) percentage."""
    return f"{done}/{target} ({whole_percent(pct)}%)"


def bar_fraction(done: int, target: int) -> float:
    """How full the bar is drawn: min(done / target, 1) (display only)."""
    return min(done / target, 1.0) if target > 0 else 0.0


def progress_bar(master: tk.Misc, fraction: float, *, complete: bool) -> ctk.CTkProgressBar:
    """A bar filled to ``fraction``: green when complete, truly empty at 0 (CustomTkinter would
    still draw a rounded blue cap)."""
    bar = ctk.CTkProgressBar(master, width=170, height=12)
    if complete:
        bar.configure(progress_color=DONE_BAR)
    elif fraction <= 0:
        bar.configure(progress_color=bar.cget("fg_color"))
    bar.set(fraction)
    return bar


def long_date(when: date) -> str:
    """ "Thursday, December 25, 2025"."""
    return f"{when:%A, %B} {when.day}, {when.year}"


def status_text(assignment: AssignmentDTO) -> str:
    if assignment.fulfillment_status == "delivered":
        return DELIVERED_TEXT
    return STATUS_NAMES.get(assignment.fulfillment_status, assignment.fulfillment_status)


def assignment_row(a: AssignmentDTO) -> Row:
    values = (
        a.recipient_name,
        a.package_name,
        str(a.quantity),
        forms.format_money(a.estimated_cost),
        status_text(a),
    )
    tags = (a.fulfillment_status,) if a.fulfillment_status in ("ready", "delivered") else ()
    return str(a.id), values, tags


def product_cell(item: ShoppingItem) -> str:
    """The recommended product in words: preferred ★, the cheapest of several, none, or enough."""
    if item.product_status == "sufficient":
        return "Enough on hand"
    if item.product_name is None:
        return "No product yet (add one on the Ingredients tab)"
    if item.product_status == "preferred":
        return f"★ {item.product_name}"
    return f"{item.product_name} (cheapest)"


def shopping_row(index: int, item: ShoppingItem) -> Row:
    values = (
        item.ingredient_name,
        forms.format_number(item.quantity_needed),
        forms.format_number(item.quantity_on_hand),
        forms.format_number(item.shortfall),
        item.unit,
        product_cell(item),
        str(item.packages_to_buy) if item.packages_to_buy else "—",
        forms.format_money(item.estimated_cost),
    )
    if item.product_status == "sufficient":
        tags: tuple[str, ...] = ("empty",)
    elif item.product_name is None:
        tags = ("missing",)
    else:
        tags = ()
    return f"{index}-{item.ingredient_slug}", values, tags


# --- target rows ----------------------------------------------------------------------------------


class TextLabel(ctk.CTkLabel):
    """A label that also compares equal to its text: contract.md calls ``progress_label`` text,
    so ``row.progress_label == "5/4 (125%)"`` holds as well as ``.cget("text") == ...``."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.text == other
        return self is other

    __hash__ = ctk.CTkLabel.__hash__

    def __contains__(self, part: str) -> bool:
        return part in self.text

    @property
    def text(self) -> str:
        return str(self.cget("text"))


@dataclass(eq=False)
class TargetRow:
    """One target as drawn on the Targets tab (the contract's handle)."""

    item_id: int
    name: str
    frame: ctk.CTkFrame
    progress_bar: ctk.CTkProgressBar
    progress_label: TextLabel
    check_label: ctk.CTkLabel
    notes_label: ctk.CTkLabel
    edit_button: ActionButton
    delete_button: DangerButton
    complete: bool


# --- the panels' base ----------------------------------------------------------------------------


class PlanningPanel(ctk.CTkFrame):
    """A tab of the Event Detail window: ``refresh()`` reloads it from the services; it asks,
    warns and reports through its ``window`` (whose dialog methods tests replace)."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, fg_color="transparent")
        self.window = window

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError


# --- the window -----------------------------------------------------------------------------------


class EventDetailWindow(ctk.CTkToplevel):
    """One event's planning window; ``show=False`` builds it hidden (and its dialogs too)."""

    def __init__(self, master: tk.Misc, event_id: int, *, show: bool = True) -> None:
        event = event_service.get_event(event_id)  # an unknown event opens nothing
        super().__init__(master)
        self.withdraw()
        self.event_id = event_id
        self.event: EventDTO = event
        self.show_dialogs = show
        self.active_dialog: ctk.CTkToplevel | None = None
        self._closed = False
        self.title(f"Event Planning - {event.name}")
        self.geometry("1000x700")
        self.minsize(900, 600)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_header()
        self._build_tabs()
        self._build_footer()
        self.protocol("WM_DELETE_WINDOW", self.close)
        self.refresh()
        if show:
            self.present()

    # --- opening and closing ------------------------------------------------------------------

    @classmethod
    def open_for(cls, master: tk.Misc, event_id: int, *, show: bool = True) -> EventDetailWindow:
        """The event's window, brought forward and refreshed if open, else a new one."""
        window = cls.find(master, event_id)
        if window is None:
            return cls(master, event_id, show=show)
        window.refresh()
        if show:
            window.present()
        return window

    @classmethod
    def find(cls, master: tk.Misc, event_id: int) -> EventDetailWindow | None:
        for child in master.winfo_children():
            if isinstance(child, cls) and child.event_id == event_id and not child.closed:
                return child
        return None

    @classmethod
    def close_for(cls, master: tk.Misc, event_id: int) -> None:
        """Close the event's window, if open (after the event is deleted)."""
        window = cls.find(master, event_id)
        if window is not None:
            window.close()

    def present(self) -> None:
        owner = self.master.winfo_toplevel()
        x, y = owner.winfo_rootx() + 60, owner.winfo_rooty() + 40
        self.geometry(f"1000x700+{x}+{y}")
        self.deiconify()
        self.lift()
        self.focus_force()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.destroy()

    @property
    def closed(self) -> bool:
        return self._closed

    # --- layout -------------------------------------------------------------------------------

    def _build_header(self) -> None:
        header = ctk.CTkFrame(self, fg_color="transparent")
        header.grid(row=0, column=0, sticky="ew", padx=20, pady=(14, 0))
        self.name_label = ctk.CTkLabel(
            header, text="", font=ctk.CTkFont(size=22, weight="bold"), anchor="w"
        )
        self.name_label.pack(anchor="w")
        self.date_label = ctk.CTkLabel(header, text="", text_color=MUTED_TEXT, anchor="w")
        self.date_label.pack(anchor="w")

    def _build_tabs(self) -> None:
        self.tabs = MainTabview(self, anchor="nw")
        self.tabs.grid(row=1, column=0, sticky="nsew", padx=14, pady=(0, 4))
        self.assignments = AssignmentsPanel(self.tabs.add("Assignments"), self)
        self.targets = TargetsPanel(self.tabs.add("Targets"), self)
        self.needs = NeedsPanel(self.tabs.add("Recipe Needs"), self)
        self.shopping = ShoppingPanel(self.tabs.add("Shopping List"), self)
        self.summary = SummaryPanel(self.tabs.add("Summary"), self)
        for name, panel in zip(DETAIL_TABS, self.panels, strict=True):
            panel.pack(fill="both", expand=True)
            self.tabs.on_show(name, panel.refresh)

    def _build_footer(self) -> None:
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=2, column=0, sticky="ew", padx=20, pady=(0, 14))
        self.status_label = ctk.CTkLabel(footer, text="", text_color=MUTED_TEXT, anchor="w")
        self.status_label.pack(side="left")
        self.close_button = ctk.CTkButton(
            footer,
            text="Close",
            width=100,
            fg_color="transparent",
            border_width=1,
            text_color=("gray10", "gray90"),
            command=self.close,
        )
        self.close_button.pack(side="right")

    @property
    def panels(self) -> tuple[PlanningPanel, ...]:
        return (self.assignments, self.targets, self.needs, self.shopping, self.summary)

    @property
    def production_target_rows(self) -> list[TargetRow]:
        return self.targets.production.rows

    @property
    def assembly_target_rows(self) -> list[TargetRow]:
        return self.targets.assembly.rows

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the header and every tab from the services (closes if the event is gone)."""
        if self._closed:
            return
        try:
            self.event = event_service.get_event(self.event_id)
        except NotFoundError:
            self.close()
            return
        self.title(f"Event Planning - {self.event.name}")
        self.name_label.configure(text=self.event.name)
        when = long_date(self.event.event_date)
        if self.event.year != self.event.event_date.year:
            when += f" · counted in {self.event.year}"
        self.date_label.configure(text=when)
        for panel in self.panels:
            panel.refresh()

    def changed(self, message: str) -> None:
        """After a change made here: reload this window and the main window, and say so."""
        self.refresh()
        self.set_status(message)
        main_window(self).refresh_all()

    # --- status and dialogs (one-liners tests replace) ----------------------------------------

    def set_status(self, text: str) -> None:
        self.status_label.configure(text=text)

    def ask_confirm(self, message: str) -> bool:
        return messagebox.askyesno("Please confirm", message, parent=self)

    def show_error(self, title: str, message: str) -> None:
        messagebox.showerror(title, message, parent=self)

    def show_info(self, title: str, message: str) -> None:
        messagebox.showinfo(title, message, parent=self)

    def show_warning(self, title: str, message: str) -> None:
        messagebox.showwarning(title, message, parent=self)

    def ask_text(self, title: str, prompt: str) -> str | None:
        """A line of text, "" when left blank, None when cancelled."""
        return ctk.CTkInputDialog(title=title, text=prompt).get_input()

    def ask_save_path(self) -> str | None:
        return filedialog.asksaveasfilename(parent=self, **self.save_options()) or None

    def save_options(self) -> dict[str, object]:
        name = "".join(c if c.isalnum() else "-" for c in self.event.name.lower()).strip("-")
        return {
            "title": "Export shopping list",
            "defaultextension": ".csv",
            "initialfile": f"{name}-shopping-list.csv",
            "filetypes": [("CSV files", "*.csv"), ("All files", "*")],
        }


# --- Assignments ----------------------------------------------------------------------------------

ASSIGNMENT_COLUMNS = (
    Column("recipient", "Recipient", 230),
    Column("package", "Package", 250),
    Column("quantity", "Qty", 70, "e"),
    Column("cost", "Cost", 110, "e"),
    Column("status", "Status", 140),
)
NO_ASSIGNMENTS = "No package assignments yet. Click “Assign package…” to give someone a package."


class AssignmentsPanel(PlanningPanel):
    """Who gets which package; the status menu offers only the current and the next step."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.assignments: dict[str, AssignmentDTO] = {}
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self.table = DataTable(
            self,
            ASSIGNMENT_COLUMNS,
            empty_text=NO_ASSIGNMENTS,
            on_select=lambda _iid: self._update_controls(),
            on_activate=lambda _iid: self.on_edit(),
        )
        self.table.tree.tag_configure("ready", foreground=READY_ROW)
        self.table.tree.tag_configure("delivered", foreground=DONE_ROW)
        self.table.grid(row=1, column=0, sticky="nsew", pady=(0, 4))
        hint = "A package moves one step at a time: Pending → Ready (assembled) → Delivered."
        ctk.CTkLabel(self, text=hint, text_color=MUTED_TEXT, anchor="w").grid(
            row=2, column=0, sticky="ew", padx=4
        )

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, sticky="ew", pady=(4, 8))
        self.assign_button = ActionButton(
            bar, text="Assign package…", width=140, command=self.on_assign
        )
        self.assign_button.pack(side="left", padx=(0, 8))
        self.edit_button = ActionButton(bar, text="Edit…", width=80, command=self.on_edit)
        self.edit_button.pack(side="left", padx=(0, 8))
        self.remove_button = DangerButton(bar, text="Remove", width=80, command=self.on_remove)
        self.remove_button.pack(side="left")
        self._build_status_control(bar)

    def _build_status_control(self, bar: ctk.CTkFrame) -> None:
        area = ctk.CTkFrame(bar, fg_color="transparent")
        area.pack(side="right")
        self.status_caption = ctk.CTkLabel(area, text="", text_color=MUTED_TEXT)
        self.status_caption.pack(side="left", padx=(0, 8))
        self.status_menu = quiet_menu(area, 130, ["Pending"], command=self.on_status_chosen)
        self.done_label = ctk.CTkLabel(
            area, text=DELIVERED_TEXT, text_color=DONE_TEXT, font=ctk.CTkFont(weight="bold")
        )

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        found = event_service.get_event_assignments(self.window.event_id)
        self.assignments = {str(a.id): a for a in found}
        self.table.set_rows([assignment_row(a) for a in found])
        self._update_controls()

    def selected(self) -> AssignmentDTO | None:
        iid = self.table.selected_id()
        return self.assignments.get(iid) if iid is not None else None

    def _update_controls(self) -> None:
        assignment = self.selected()
        set_enabled((self.edit_button, self.remove_button), assignment is not None)
        self.status_menu.pack_forget()
        self.done_label.pack_forget()
        if assignment is None:
            self.status_caption.configure(text="Select an assignment to change its status.")
        elif assignment.next_status is None:
            self.status_caption.configure(text=delivered_caption(assignment))
            self.done_label.pack(side="left")
        else:
            current = STATUS_NAMES[assignment.fulfillment_status]
            self.status_caption.configure(text=f"{assignment.recipient_name}:")
            self.status_menu.configure(values=[current, STATUS_NAMES[assignment.next_status]])
            self.status_menu.set(current)
            self.status_menu.pack(side="left")

    @property
    def status_control_shown(self) -> bool:
        return self.status_menu.winfo_manager() != ""

    # --- status -------------------------------------------------------------------------------

    def on_status_chosen(self, label: str) -> None:
        """The status menu's command: move the selected assignment to the chosen next step."""
        a = self.selected()
        if a is None or a.next_status is None or label != STATUS_NAMES[a.next_status]:
            self._update_controls()
            return
        delivered_to = None
        if a.next_status == "delivered":
            delivered_to = self.window.ask_text(
                "Mark delivered",
                f"Delivered to (optional): where or to whom {a.recipient_name}'s "
                f"{a.package_name} went",
            )
            if delivered_to is None:  # cancelled
                self._update_controls()
                return
        self._move(a, delivered_to.strip() if delivered_to else None)

    def _move(self, a: AssignmentDTO, delivered_to: str | None) -> None:
        try:
            moved = event_service.update_fulfillment_status(
                a.id, a.next_status, delivered_to=delivered_to
            )
        except InvalidTransitionError as error:
            self.window.show_error("Invalid transition", str(error))
            self.window.refresh()
            return
        except ServiceError as error:
            self.window.show_error("Cannot change the status", str(error))
            self.window.refresh()
            return
        if moved.fulfillment_status == "ready" and not moved.covered:
            self.window.show_warning("Not in stock yet", not_covered_text(moved))
        status = STATUS_NAMES[moved.fulfillment_status].lower()
        self.window.changed(f"{moved.recipient_name}: {moved.package_name} marked {status}.")

    # --- commands -----------------------------------------------------------------------------

    def on_assign(self) -> None:
        self.window.active_dialog = AssignPackageDialog(
            self,
            event_id=self.window.event_id,
            show=self.window.show_dialogs,
            on_done=self._assigned,
        )

    def _assigned(self, a: AssignmentDTO) -> None:
        self.window.changed(f"Assigned {a.quantity} × {a.package_name} to {a.recipient_name}.")
        self.table.select(str(a.id))

    def on_edit(self) -> None:
        a = self.selected()
        if a is not None:
            self.window.active_dialog = EditAssignmentDialog(
                self,
                assignment=a,
                show=self.window.show_dialogs,
                on_done=lambda done: self.window.changed(
                    f"Saved {done.recipient_name}'s {done.package_name}."
                ),
            )

    def on_remove(self) -> None:
        a = self.selected()
        if a is None or not self.window.ask_confirm(
            f"Remove {a.quantity} × “{a.package_name}” for {a.recipient_name} from this event?"
        ):
            return
        try:
            event_service.remove_assignment(a.id)
        except ServiceError as error:
            self.window.show_error("Cannot remove the assignment", str(error))
            return
        self.window.changed(f"Removed {a.package_name} for {a.recipient_name}.")


def delivered_caption(a: AssignmentDTO) -> str:
    when = forms.format_local_date(a.delivered_at) if a.delivered_at else ""
    to = f"to {a.delivered_to}" if a.delivered_to else ""
    parts = [part for part in (a.recipient_name, when, to) if part]
    return " · ".join(parts)


def not_covered_text(a: AssignmentDTO) -> str:
    return (
        f"{a.recipient_name}'s {a.quantity} × “{a.package_name}” is marked ready, but the "
        "assembled finished goods in stock do not cover it yet. Record the assembly on the "
        "Production tab before delivering."
    )


# --- Targets --------------------------------------------------------------------------------------


class TargetsPanel(PlanningPanel):
    """Production targets, then assembly targets, each row with its progress bar."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.scroll = ctk.CTkScrollableFrame(self, fg_color="transparent")
        self.scroll.pack(fill="both", expand=True)
        self.production = TargetSection(self.scroll, window, PRODUCTION, suggest=True)
        self.production.pack(fill="x", padx=(0, 8))
        separator = ctk.CTkFrame(self.scroll, height=2, fg_color=("gray80", "gray30"))
        separator.pack(fill="x", padx=(4, 12), pady=(14, 10))
        self.assembly = TargetSection(self.scroll, window, ASSEMBLY)
        self.assembly.pack(fill="x", padx=(0, 8))

    def refresh(self) -> None:
        self.production.refresh()
        self.assembly.refresh()


class TargetSection(ctk.CTkFrame):
    """A heading with "+ Add Target", then one card per target (or the empty-state line)."""

    def __init__(
        self, master: tk.Misc, window: EventDetailWindow, kind: TargetKind, *, suggest: bool = False
    ) -> None:
        super().__init__(master, fg_color="transparent")
        self.window = window
        self.kind = kind
        self.rows: list[TargetRow] = []
        self.notes: dict[int, str | None] = {}
        header = ctk.CTkFrame(self, fg_color="transparent")
        header.pack(fill="x", pady=(6, 6))
        title = section_label(header, kind.title)
        title.configure(font=ctk.CTkFont(size=16, weight="bold"))
        title.pack(side="left", padx=(4, 0))
        self.add_button = ActionButton(
            header, text="+ Add Target", width=120, height=30, command=self.on_add
        )
        self.add_button.pack(side="right")
        self.suggest_button: ctk.CTkButton | None = None
        if suggest:
            self.suggest_button = ctk.CTkButton(
                header,
                text="Suggest from assignments…",
                width=200,
                height=30,
                fg_color="transparent",
                border_width=1,
                text_color=("gray10", "gray90"),
                command=self.on_suggest,
            )
            self.suggest_button.pack(side="right", padx=(0, 8))
        self.body = ctk.CTkFrame(self, fg_color="transparent")
        self.body.pack(fill="x")
        self.empty_label = ctk.CTkLabel(
            self,
            text=kind.empty_text,
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=13, slant="italic"),
            anchor="w",
        )

    def refresh(self) -> None:
        progress = self.kind.progress(self.window.event_id)
        self.notes = self.kind.notes(self.window.event_id) if progress else {}
        for row in self.rows:
            row.frame.destroy()
        self.rows = [self._make_row(p) for p in progress]
        if progress:
            self.empty_label.pack_forget()
        else:
            self.empty_label.pack(fill="x", padx=8, pady=(2, 8))

    @property
    def empty_state_shown(self) -> bool:
        return self.empty_label.winfo_manager() != ""

    def _make_row(self, p: TargetProgress) -> TargetRow:
        card = ctk.CTkFrame(self.body, fg_color=CARD_COLOR, corner_radius=8)
        card.pack(fill="x", pady=3)
        card.grid_columnconfigure(4, weight=1)
        name = ctk.CTkLabel(card, text=p.name, width=210, anchor="w", font=ctk.CTkFont(size=14))
        name.grid(row=0, column=0, sticky="w", padx=(12, 8), pady=8)
        bar = progress_bar(card, bar_fraction(p.done, p.target), complete=p.complete)
        bar.grid(row=0, column=1, padx=(0, 12))
        label = TextLabel(card, text=progress_text(p.done, p.target, p.pct), width=110, anchor="w")
        label.grid(row=0, column=2)
        check = ctk.CTkLabel(
            card,
            text="✓" if p.complete else "",
            width=24,
            text_color=DONE_TEXT,
            font=ctk.CTkFont(size=16, weight="bold"),
        )
        check.grid(row=0, column=3)
        notes = ctk.CTkLabel(card, text=self.notes.get(p.item_id) or "", text_color=MUTED_TEXT)
        notes.grid(row=0, column=4, sticky="w", padx=(8, 8))
        edit = ActionButton(card, text="Edit", width=56, height=28, command=lambda: self.on_edit(p))
        edit.grid(row=0, column=5, padx=(0, 6))
        delete = DangerButton(
            card, text="Del", width=50, height=28, command=lambda: self.on_delete(p)
        )
        delete.grid(row=0, column=6, padx=(0, 10))
        return TargetRow(
            p.item_id, p.name, card, bar, label, check, notes, edit, delete, p.complete
        )

    def row_named(self, name: str) -> TargetRow:
        return next(row for row in self.rows if row.name == name)

    # --- commands -----------------------------------------------------------------------------

    def on_add(self) -> None:
        self.window.active_dialog = TargetDialog(
            self,
            kind=self.kind,
            event_id=self.window.event_id,
            show=self.window.show_dialogs,
            on_done=lambda _target: self.window.changed(f"Added a {self.kind.noun}."),
        )

    def on_edit(self, p: TargetProgress) -> None:
        self.window.active_dialog = TargetDialog(
            self,
            kind=self.kind,
            event_id=self.window.event_id,
            existing=p,
            notes=self.notes.get(p.item_id),
            show=self.window.show_dialogs,
            on_done=lambda _target: self.window.changed(
                f"Saved the {self.kind.noun} for {p.name}."
            ),
        )

    def on_delete(self, p: TargetProgress) -> None:
        if not self.window.ask_confirm(f"Delete this {self.kind.noun} ({p.name})?"):
            return
        try:
            self.kind.delete(self.window.event_id, p.item_id)
        except ServiceError as error:
            self.window.show_error(f"Cannot delete the {self.kind.noun}", str(error))
            return
        self.window.changed(f"Deleted the {self.kind.noun} for {p.name}.")

    def on_suggest(self) -> None:
        self.window.active_dialog = SuggestTargetsDialog(
            self,
            event_id=self.window.event_id,
            show=self.window.show_dialogs,
            on_done=lambda count: self.window.changed(
                f"Set {forms.plural(count, 'production target')} from the assignments."
            ),
        )


# --- Recipe Needs ---------------------------------------------------------------------------------

NEED_COLUMNS = (
    Column("recipe", "Recipe", 260),
    Column("unit", "Finished unit", 260),
    Column("units", "Units needed", 130, "e"),
    Column("batches", "Batches needed", 130, "e"),
)
NO_NEEDS = "Nothing to bake yet: assign packages to recipients on the Assignments tab."


class NeedsPanel(PlanningPanel):
    """What the assignments need baked, per finished unit, in units and whole batches."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.table = DataTable(self, NEED_COLUMNS, empty_text=NO_NEEDS)
        self.table.pack(fill="both", expand=True, pady=(4, 4))
        hint = (
            "From the packages assigned to recipients. Batches are rounded up; "
            "“Suggest from assignments…” on the Targets tab turns them into production targets."
        )
        ctk.CTkLabel(self, text=hint, text_color=MUTED_TEXT, anchor="w", wraplength=900).pack(
            fill="x", padx=4
        )

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


# --- Shopping List --------------------------------------------------------------------------------

SHOPPING_COLUMNS = (
    Column("ingredient", "Ingredient", 170),
    Column("needed", "Needed", 80, "e"),
    Column("on_hand", "On hand", 80, "e"),
    Column("to_buy", "To buy", 80, "e"),
    Column("unit", "Unit", 60),
    Column("product", "Product", 240),
    Column("packages", "Packages", 80, "e"),
    Column("cost", "Est. cost", 90, "e"),
)
NO_SHOPPING = "Nothing to buy: set production targets that are not yet met to see ingredients here."
NO_PACKAGING = "No packaging needed."


class ShoppingPanel(PlanningPanel):
    """Ingredients and packaging still to buy for unmet targets, the total, and Export CSV."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=3)
        self.grid_rowconfigure(3, weight=2)
        section_label(self, "Ingredients").grid(row=0, column=0, sticky="w", padx=4, pady=(4, 4))
        self.table = self._table(NO_SHOPPING, 6)
        self.table.grid(row=1, column=0, sticky="nsew")
        section_label(self, "Packaging").grid(row=2, column=0, sticky="w", padx=4, pady=(10, 4))
        self.packaging_table = self._table(NO_PACKAGING, 3)
        self.packaging_table.grid(row=3, column=0, sticky="nsew")
        self._build_footer()

    def _table(self, empty_text: str, height: int) -> DataTable:
        table = DataTable(self, SHOPPING_COLUMNS, empty_text=empty_text, height=height)
        table.tree.tag_configure("missing", foreground=MISSING_ROW)
        return table

    def _build_footer(self) -> None:
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=4, column=0, sticky="ew", pady=(8, 0))
        self.total_label = ctk.CTkLabel(
            footer, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.total_label.pack(side="left", padx=(4, 16))
        hint = "For targets not yet met, net of what is on hand."
        ctk.CTkLabel(footer, text=hint, text_color=MUTED_TEXT).pack(side="left")
        self.export_button = ActionButton(
            footer, text="Export CSV…", width=120, command=self.on_export
        )
        self.export_button.pack(side="right")

    def refresh(self) -> None:
        shopping = event_service.get_shopping_list(self.window.event_id)
        self.table.set_rows([shopping_row(i, item) for i, item in enumerate(shopping.items)])
        self.packaging_table.set_rows(
            [shopping_row(i, item) for i, item in enumerate(shopping.packaging)]
        )
        total = forms.format_money(shopping.total_estimated_cost)
        self.total_label.configure(text=f"Estimated total {total}")

    def on_export(self) -> None:
        path = self.window.ask_save_path()
        if not path:
            return
        try:
            saved = event_service.export_shopping_list_csv(self.window.event_id, path)
        except (ServiceError, OSError) as error:
            self.window.show_error("Cannot export the shopping list", str(error))
            return
        self.window.set_status(f"Shopping list saved to {saved}")
        self.window.show_info("Shopping list exported", f"Saved to:\n{saved}")


# --- Summary --------------------------------------------------------------------------------------


class SummaryPanel(PlanningPanel):
    """Recipients, packages and estimated cost, then production, assembly and delivery progress."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, window)
        tiles = ctk.CTkFrame(self, fg_color="transparent")
        tiles.pack(fill="x", pady=(8, 12))
        self.recipients_value = self._tile(tiles, "Recipients")
        self.packages_value = self._tile(tiles, "Packages")
        self.cost_value = self._tile(tiles, "Estimated cost")
        section_label(self, "Progress").pack(fill="x", padx=4, pady=(4, 4))
        self.production_label = self._line()
        self.assembly_label = self._line()
        self.fulfillment_label = self._line()
        section_label(self, "Notes").pack(fill="x", padx=4, pady=(14, 4))
        self.notes_label = self._line(text_color=MUTED_TEXT)

    @staticmethod
    def _tile(master: ctk.CTkFrame, caption: str) -> ctk.CTkLabel:
        tile = ctk.CTkFrame(master, fg_color=CARD_COLOR, corner_radius=10, width=200, height=90)
        tile.pack(side="left", padx=(0, 12))
        tile.pack_propagate(False)
        value = ctk.CTkLabel(tile, text="", font=ctk.CTkFont(size=26, weight="bold"))
        value.pack(pady=(14, 0))
        ctk.CTkLabel(tile, text=caption, text_color=MUTED_TEXT).pack()
        return value

    def _line(self, **kwargs: object) -> ctk.CTkLabel:
        label = ctk.CTkLabel(
            self, text="", anchor="w", justify="left", font=ctk.CTkFont(size=14), **kwargs
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
            self.cost_value.configure(text=forms.format_money(summary.estimated_cost))
        progress = event_service.get_event_overall_progress(event.id)
        self._show_targets(
            self.production_label,
            "Production",
            progress.production_complete_count,
            progress.production_targets_count,
            "recipes",
        )
        self._show_targets(
            self.assembly_label,
            "Assembly",
            progress.assembly_complete_count,
            progress.assembly_targets_count,
            "finished goods",
        )
        self.fulfillment_label.configure(
            text=f"Packages: {progress.packages_pending} pending · "
            f"{progress.packages_ready} ready · {progress.packages_delivered} delivered"
        )
        self.notes_label.configure(text=event.notes or "No notes.")

    @staticmethod
    def _show_targets(label: ctk.CTkLabel, what: str, done: int, total: int, items: str) -> None:
        if total == 0:
            label.configure(text=f"{what}: no targets set", text_color=MUTED_TEXT)
            return
        complete = done == total
        text = f"{what}: {done} of {total} {items} complete" + ("  ✓" if complete else "")
        label.configure(text=text, text_color=DONE_TEXT if complete else ("gray10", "gray90"))
