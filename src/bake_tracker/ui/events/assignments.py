"""The Event Detail window's Assignments tab: who gets which package, moved one status step at a
time (Pending → Ready → Delivered), with Assign, Edit and Remove.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import AssignmentDTO, FulfillmentStatus
from bake_tracker.services.dto.documents import GIFT_TAGS, PACKING_LIST
from bake_tracker.services.errors import InvalidTransitionError, ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.events.assignment_dialogs import AssignPackageDialog, EditAssignmentDialog
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import GOOD_TEXT, MUTED_TEXT

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


DONE_ROW = ("#2E7D32", "#66BB6A")  # (light, dark)
READY_ROW = ("#1F6AA5", "#5DADE2")
STATUS_NAMES = {
    FulfillmentStatus.PENDING: "Pending",
    FulfillmentStatus.READY: "Ready",
    FulfillmentStatus.DELIVERED: "Delivered",
}
DELIVERED_TEXT = "✓ Delivered"
ASSIGNMENT_COLUMNS = (
    Column("recipient", "Recipient", 230),
    Column("package", "Package", 250),
    Column("quantity", "Qty", 70, "e"),
    Column("cost", "Cost", 110, "e"),
    Column("status", "Status", 140),
)
NO_ASSIGNMENTS = "No package assignments yet. Click “Assign package…” to give someone a package."


def status_text(assignment: AssignmentDTO) -> str:
    if assignment.fulfillment_status == FulfillmentStatus.DELIVERED:
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
    shown = (FulfillmentStatus.READY, FulfillmentStatus.DELIVERED)
    tags = (a.fulfillment_status,) if a.fulfillment_status in shown else ()
    return str(a.id), values, tags


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
        self.table.tag_colors(FulfillmentStatus.READY, foreground=READY_ROW)
        self.table.tag_colors(FulfillmentStatus.DELIVERED, foreground=DONE_ROW)
        self.table.grid(row=1, column=0, sticky="nsew", pady=(0, 4))
        self._build_footer()

    def _build_footer(self) -> None:
        """The fulfillment hint, and the two papers printed from this list (room for them at the
        window's minimum width is here, not in the toolbar beside the status control)."""
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=2, column=0, sticky="ew")
        self.print_tags_button = self.print_button(footer, GIFT_TAGS, "Print gift tags…", 130)
        self.print_tags_button.pack(side="right")
        self.print_packing_button = self.print_button(
            footer, PACKING_LIST, "Print packing list…", 150
        )
        self.print_packing_button.pack(side="right", padx=(8, 8))
        hint = "A package moves one step at a time: Pending → Ready (assembled) → Delivered."
        ctk.CTkLabel(
            footer, text=hint, text_color=MUTED_TEXT, anchor="w", justify="left", wraplength=420
        ).pack(side="left", fill="x", expand=True, padx=4)

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
            area, text=DELIVERED_TEXT, text_color=GOOD_TEXT, font=ctk.CTkFont(weight="bold")
        )

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        found = event_service.get_event_assignments(self.window.event_id)
        self.assignments = {str(a.id): a for a in found}
        self.table.set_rows([assignment_row(a) for a in found])
        # Tags and packing lists are one entry per assignment: with none there is nothing to print.
        set_enabled((self.print_tags_button, self.print_packing_button), bool(found))
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
        if a.next_status == FulfillmentStatus.DELIVERED:
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
        if moved.fulfillment_status == FulfillmentStatus.READY and not moved.covered:
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
