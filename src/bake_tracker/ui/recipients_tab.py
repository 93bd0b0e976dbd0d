"""The Recipients tab and its dialog: the people and places packages go to.

The tab lists recipients (search by name or household) with their address and how many package
assignments they have, from ``recipient_service``; the panel shows what each was given at every
event, newest first, and whether it was delivered (``get_recipient_history``), and saves that
history as CSV (``transfer_service.export_recipient_history_csv``).
``RecipientDialog`` makes one service call. Deleting asks once, with the whole picture: a
recipient who still has assignments is deleted with them (``delete_recipient(..., force=True)``)
only when the one question named them.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

import customtkinter as ctk

from bake_tracker.services import recipient_service, transfer_service
from bake_tracker.services.dto import FulfillmentStatus, RecipientDTO, RecipientHistoryLine
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.buttons import small_button
from bake_tracker.ui.kit.detail_panel import DetailPanel
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, NEW_LINE_HINT, FormDialog, fields_of
from bake_tracker.ui.kit.list_tab import ListTab
from bake_tracker.ui.kit.table import Column, Row
from bake_tracker.ui.kit.theme import MUTED_TEXT
from bake_tracker.ui.shell import main_window

CSV_TYPES = (("CSV spreadsheet", "*.csv"), ("All files", "*"))

RECIPIENT_COLUMNS = (
    Column("name", "Name", 180),
    Column("household", "Household", 170),
    Column("address", "Address", 280),
    Column("assignments", "Assignments", 110, "e"),
)
EMPTY_RECIPIENTS = "No recipients yet. Click “Add recipient” to start."
NO_MATCH = "No recipients match this search (by name or household)."


def one_line(text: str | None) -> str:
    """An address on one table line: "12 Elm St, Springfield"; "—" when absent."""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip()) if text else "—"


def recipient_row(recipient: RecipientDTO) -> Row:
    values = (
        recipient.name,
        recipient.household_name or "—",
        one_line(recipient.address),
        recipient.assignment_count,
    )
    return str(recipient.id), values, ()


class RecipientsTab(ListTab):
    """Recipients on the left; the selected one's address, notes and assignments on the right."""

    columns = RECIPIENT_COLUMNS
    empty_text = EMPTY_RECIPIENTS
    no_match_text = NO_MATCH
    add_text = "Add recipient"
    item_word = "recipient"
    detail_width = 480

    def load(self, search: str | None) -> list[RecipientDTO]:
        return recipient_service.list_recipients(search=search)

    def row(self, item: RecipientDTO) -> Row:
        return recipient_row(item)

    def make_detail(self) -> RecipientPanel:
        return RecipientPanel(self)

    def open_form(self, item: RecipientDTO | None) -> RecipientDialog:
        return RecipientDialog(
            self, recipient=item, show=self.show_dialogs, on_done=self.form_saved
        )

    def on_delete(self) -> None:
        """Ask once, with the whole picture (the check comes first): a recipient with package
        assignments is deleted with them only when the question said so."""
        recipient = self.selected()
        if recipient is None:
            return
        try:
            count = recipient_service.get_recipient(recipient.id).assignment_count
        except ServiceError as error:
            self.show_error("Cannot delete recipient", str(error))
            return
        question = f"Delete the recipient “{recipient.name}”? This cannot be undone."
        if count:
            assignments = forms.plural(count, "package assignment")
            question = (
                f"“{recipient.name}” has {assignments}. Delete “{recipient.name}” and remove "
                f"{'it' if count == 1 else 'them'} too? This cannot be undone."
            )
        if not self.ask_confirm(question):
            return
        self.run(
            "Cannot delete recipient",
            lambda: recipient_service.delete_recipient(recipient.id, force=bool(count)),
            f"Deleted recipient “{recipient.name}”.",
        )


class RecipientPanel(DetailPanel):
    """The selected recipient: household, address, notes, and every package they were given,
    event by event (newest first): which package, how many, pending / ready / delivered (when);
    "Export CSV…" saves that history."""

    hint = "Select a recipient to see their address and packages."

    def build(self) -> None:
        self.address_label = self.add_label()
        self.notes_label = self.add_label(text_color=MUTED_TEXT)
        self.assignments_label = self.add_label()
        self.history_table, buttons = self.add_table(
            "Packages by event",
            HISTORY_COLUMNS,
            empty_text="No packages assigned yet (assign them on the Events tab).",
            height=6,
        )
        self.export_button = small_button(buttons, "Export CSV…", self.on_export, width=100)

    def fill(self, item: RecipientDTO) -> None:
        self.title_label.configure(text=item.name)
        self.facts_label.configure(text=item.household_name or "No household")
        self.address_label.configure(text=item.address or "No address yet.")
        self.notes_label.configure(text=item.notes or "")
        if item.notes:
            self.notes_label.grid()
        else:
            self.notes_label.grid_remove()
        history = self.read_detail(lambda: recipient_service.get_recipient_history(item.id))
        if history is None:
            return
        self.recipient, self.history = item, history
        self.assignments_label.configure(text=history_summary(history))
        self.history_table.set_rows([history_row(line) for line in history])

    def on_export(self) -> None:
        """Save this recipient's history as CSV (File ▸ Export Recipient History… saves
        everyone's): one small file, written at once, whole or not at all."""
        recipient = self.recipient
        window = main_window(self)
        chosen = window.ask_save_path(
            "Export Recipient History",
            history_file_name(recipient.name),
            CSV_TYPES,
            defaultextension=".csv",
        )
        if not chosen:
            return
        try:
            saved = transfer_service.export_recipient_history_csv(chosen, recipient_id=recipient.id)
        except ServiceError as error:
            self.tab.show_error("Cannot export the history", str(error))
            return
        self.tab.post_status(f"History of “{recipient.name}” saved to {saved}")


HISTORY_COLUMNS = (
    Column("event", "Event", 136),
    Column("package", "Package", 156),
    Column("status", "Status", 76, stretch=False),
    Column("delivered", "Delivered", 88, stretch=False),
)
STATUS_WORDS = {
    FulfillmentStatus.PENDING: "Pending",
    FulfillmentStatus.READY: "Ready",
    FulfillmentStatus.DELIVERED: "Delivered",
}


def history_row(line: RecipientHistoryLine) -> Row:
    """ "Christmas 2025 · 2 × Cookie Tin · Delivered · 2025-12-23" (the local date; "—" until
    delivered)."""
    event = (
        line.event_name if str(line.year) in line.event_name else f"{line.event_name} {line.year}"
    )
    package = line.package_name if line.quantity == 1 else f"{line.quantity} × {line.package_name}"
    status = STATUS_WORDS.get(line.fulfillment_status, line.fulfillment_status)
    delivered = forms.format_local_date(line.delivered_at)
    return str(line.assignment_id), (event, package, status, delivered), ()


def history_file_name(name: str) -> str:
    """ "alice-johnson-history.csv": the name in letters and digits, joined by hyphens."""
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    return f"{'-'.join(words) or 'recipient'}-history.csv"


def history_summary(history: list[RecipientHistoryLine]) -> str:
    """ "3 packages at 2 events · 1 delivered", or how to assign the first."""
    if not history:
        return "No packages assigned yet."
    packages = sum(line.quantity for line in history)
    events = len({line.event_id for line in history})
    delivered = sum(
        line.quantity for line in history if line.fulfillment_status == FulfillmentStatus.DELIVERED
    )
    return (
        f"{forms.plural(packages, 'package')} at {forms.plural(events, 'event')} · "
        f"{delivered} delivered"
    )


@dataclass(frozen=True)
class RecipientInput:
    """What the recipient form says: name, household, address, notes."""

    name: str
    household_name: str | None
    address: str | None
    notes: str | None


class RecipientDialog(FormDialog):
    """Add or edit a recipient: name, household, address, notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        recipient: RecipientDTO | None = None,
        show: bool = True,
        on_done: Callable[[RecipientDTO], None] | None = None,
    ) -> None:
        self.recipient = recipient
        title = "Add recipient" if recipient is None else f"Edit {recipient.name}"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Alice Johnson"
        )
        self.add_field("Name", self.name_entry)
        self.household_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="Optional, e.g. Johnson family"
        )
        self.add_field("Household", self.household_entry)
        self.address_text = ctk.CTkTextbox(body, width=FIELD_WIDTH, height=64, border_width=2)
        self.add_field("Address", self.address_text, hint=NEW_LINE_HINT)
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)
        recipient = self.recipient
        if recipient is None:
            return
        self.name_entry.insert(0, recipient.name)
        for entry, text in (
            (self.household_entry, recipient.household_name),
            (self.notes_entry, recipient.notes),
        ):
            if text:
                entry.insert(0, text)
        self.address_text.insert("1.0", recipient.address or "")

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> RecipientInput:
        return RecipientInput(
            name=self.check(self.name_entry, forms.parse_text, "Name"),
            household_name=self.check(
                self.household_entry, forms.parse_text, "Household", required=False
            ),
            address=forms.parse_notes_text(self.address_text.get("1.0", "end"), "Address"),
            notes=forms.parse_notes_text(self.notes_entry.get()),
        )

    def apply(self, values: RecipientInput) -> RecipientDTO:
        if self.recipient is None:
            return recipient_service.create_recipient(
                values.name, **fields_of(values, without=("name",))
            )
        return recipient_service.update_recipient(self.recipient.id, **fields_of(values))
