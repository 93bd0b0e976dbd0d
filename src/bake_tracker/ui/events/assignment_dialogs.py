"""The Assignments tab's forms: give a recipient a package at the event, and change an
assignment's quantity and notes. Each makes one ``event_service`` call.

While a recipient is chosen, the assign form says what they got last time (the latest earlier
event, ``recipient_service.last_assignment``), so a baker can vary the box or keep a favourite.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

import customtkinter as ctk

from bake_tracker.services import event_service, package_service, recipient_service
from bake_tracker.services.dto import AssignmentDTO, LastAssignment
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog
from bake_tracker.ui.kit.fields import unique_labels
from bake_tracker.ui.kit.labels import notice_label, section_label
from bake_tracker.ui.kit.theme import MUTED_TEXT


@dataclass(frozen=True)
class AssignmentInput:
    """What the assign form says: who gets how many of which package, and the notes."""

    recipient_id: int
    package_id: int
    quantity: int
    notes: str | None


@dataclass(frozen=True)
class AssignmentChange:
    """What the edit form says: the new quantity and notes."""

    quantity: int
    notes: str | None


def last_time_text(last: LastAssignment | None) -> str:
    """ "Last time: Christmas 2024 — 2 × Cookie Tin (delivered)", "… and 1 more package"; or
    that there was none."""
    if last is None:
        return "Last time: nothing yet (first package for them)."
    event = last.event_name
    if str(last.year) not in event:
        event = f"{event} {last.year}"
    package = last.package_name
    if last.quantity != 1:
        package = f"{last.quantity} × {package}"
    if last.other_packages:
        package += f" and {forms.plural(last.other_packages, 'more package')}"
    return f"Last time: {event} — {package} ({last.fulfillment_status})"


class AssignPackageDialog(FormDialog):
    """Give a recipient a number of one package at this event."""

    ok_text = "Assign"
    min_width = 500

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event_id: int,
        show: bool = True,
        on_done: Callable[[AssignmentDTO], None] | None = None,
    ) -> None:
        self.event_id = event_id
        self.recipients = unique_labels(
            recipient_service.list_recipients(), lambda r: r.name, lambda r: r.id
        )
        self.packages = unique_labels(
            package_service.list_packages(), lambda p: p.name, lambda p: p.id
        )
        super().__init__(parent, title="Assign package", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.notice_label = notice_label(body, self._missing())
        if self.notice_label.cget("text"):
            self.add_wide(self.notice_label)
            return
        self.recipient_menu = self._menu(body, "Recipient", list(self.recipients))
        self.recipient_menu.configure(command=lambda _label: self._show_last_time())
        self.last_time_label = ctk.CTkLabel(  # a long name wraps rather than being cut
            body, text="", text_color=MUTED_TEXT, anchor="w", justify="left", wraplength=FIELD_WIDTH
        )
        self.add_field("", self.last_time_label, sticky="w")
        self.package_menu = self._menu(body, "Package", list(self.packages))
        self.package_menu.configure(command=lambda _label: self._show_cost())
        self.cost_label = ctk.CTkLabel(body, text="", text_color=MUTED_TEXT, anchor="w")
        self.add_field("", self.cost_label, sticky="w")
        self.quantity_entry = ctk.CTkEntry(body, width=110)
        self.quantity_entry.insert(0, "1")
        self.add_field("Quantity", self.quantity_entry, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)
        self._show_cost()
        self._show_last_time()

    def _menu(self, body: ctk.CTkFrame, label: str, values: list[str]) -> ctk.CTkOptionMenu:
        menu = ctk.CTkOptionMenu(body, width=FIELD_WIDTH, values=values, dynamic_resizing=False)
        self.add_field(label, menu, sticky="w")
        return menu

    def _missing(self) -> str:
        missing = []
        if not self.recipients:
            missing.append("a recipient on the Recipients tab")
        if not self.packages:
            missing.append("a package on the Packages tab")
        return f"First add {' and '.join(missing)}; then assign it here." if missing else ""

    def _show_cost(self) -> None:
        package = self.packages[self.package_menu.get()]
        cost = forms.format_money(package.estimated_cost)
        self.cost_label.configure(text=f"Estimated {cost} each")

    def _show_last_time(self) -> None:
        """One line under the recipient: what they got at their latest earlier event."""
        recipient = self.recipients[self.recipient_menu.get()]
        try:
            last = recipient_service.last_assignment(recipient.id, before_event_id=self.event_id)
        except ServiceError:  # deleted meanwhile (another window): say nothing
            last = None
            text = ""
        else:
            text = last_time_text(last)
        self.last_assignment = last
        self.last_time_label.configure(text=text)

    def ready(self) -> None:
        if self.notice_label.cget("text"):
            self.ok_button.configure(state="disabled")

    def focus_first(self) -> None:
        if not self.notice_label.cget("text"):
            self.quantity_entry.focus_set()

    def select(self, recipient_id: int, package_id: int) -> None:
        """Choose a recipient and a package by id, as a user would with the two menus."""
        for label, recipient in self.recipients.items():
            if recipient.id == recipient_id:
                self.recipient_menu.set(label)
        for label, package in self.packages.items():
            if package.id == package_id:
                self.package_menu.set(label)
        self._show_cost()
        self._show_last_time()

    def validate(self) -> AssignmentInput:
        if self.notice_label.cget("text"):
            raise forms.FieldError(self.notice_label.cget("text"))
        return AssignmentInput(
            recipient_id=self.recipients[self.recipient_menu.get()].id,
            package_id=self.packages[self.package_menu.get()].id,
            quantity=self.check(self.quantity_entry, forms.parse_int_text, "Quantity", minimum=1),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: AssignmentInput) -> AssignmentDTO:
        return event_service.assign_package_to_recipient(
            self.event_id,
            values.recipient_id,
            values.package_id,
            quantity=values.quantity,
            notes=values.notes,
        )


class EditAssignmentDialog(FormDialog):
    """Change how many packages a recipient gets, and the notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        assignment: AssignmentDTO,
        show: bool = True,
        on_done: Callable[[AssignmentDTO], None] | None = None,
    ) -> None:
        self.assignment = assignment
        super().__init__(parent, title="Edit assignment", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        a = self.assignment
        self.add_wide(section_label(body, f"{a.recipient_name} — {a.package_name}"), pady=(0, 6))
        self.quantity_entry = ctk.CTkEntry(body, width=110)
        self.quantity_entry.insert(0, str(a.quantity))
        self.add_field("Quantity", self.quantity_entry, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        if a.notes:
            self.notes_entry.insert(0, a.notes)
        self.add_field("Notes", self.notes_entry)

    def focus_first(self) -> None:
        self.quantity_entry.focus_set()
        self.quantity_entry.select_range(0, "end")

    def validate(self) -> AssignmentChange:
        return AssignmentChange(
            quantity=self.check(self.quantity_entry, forms.parse_int_text, "Quantity", minimum=1),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: AssignmentChange) -> AssignmentDTO:
        return event_service.update_assignment(
            self.assignment.id, quantity=values.quantity, notes=values.notes
        )
