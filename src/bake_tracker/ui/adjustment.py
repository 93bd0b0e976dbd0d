"""The part every stock adjustment dialog shares: why the stock changed, and a note.

Pantry lots and finished-unit stock are corrected the same way: a reason chosen from the services'
``AdjustmentReason`` list (shown in words) and optional notes. The dialogs mix this in beside
``FormDialog`` and ask only for what differs (the change and, for finished units, a unit cost).
"""

from __future__ import annotations

import customtkinter as ctk

from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH


class ReasonAndNotes:
    """Adds the Reason menu and Notes field to a ``FormDialog`` and reads them back."""

    reason_menu: ctk.CTkOptionMenu
    notes_entry: ctk.CTkEntry

    def add_reason_and_notes(self, body) -> None:
        labels = [forms.reason_label(r) for r in forms.ADJUSTMENT_REASON_CHOICES]
        self.reason_menu = ctk.CTkOptionMenu(body, width=200, values=labels)
        self.reason_menu.set(forms.CHOOSE_REASON)
        self.add_field("Reason", self.reason_menu, sticky="w")
        self.notes_entry = ctk.CTkEntry(body, width=FIELD_WIDTH, placeholder_text="Optional")
        self.add_field("Notes", self.notes_entry)

    def read_reason_and_notes(self) -> tuple[str, str | None]:
        """The chosen reason (as stored) and the notes; no reason chosen is a ``FieldError``."""
        reasons = {forms.reason_label(r): r for r in forms.ADJUSTMENT_REASON_CHOICES}
        reason = reasons.get(self.reason_menu.get())
        if reason is None:
            self.reason_menu.focus_set()
            raise forms.FieldError("Choose a reason for the change.")
        return reason, forms.parse_notes_text(self.notes_entry.get())
