"""The Events tab's forms: add or edit an event (name, date, notes) and clone one under a new
name and date. Each makes one ``event_service`` call.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import EventDTO, EventSummaryRow
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, FormDialog, fields_of
from bake_tracker.ui.kit.fields import date_entry


def next_year(when: date) -> date:
    """The same day a year later (28 February for 29 February); in 9999 the same day."""
    if when.year >= 9999:  # the calendar's last year: nothing later to suggest
        return when
    try:
        return when.replace(year=when.year + 1)
    except ValueError:
        return when.replace(year=when.year + 1, day=28)


def clone_name(name: str, year: int) -> str:
    """ "Christmas 2025" → "Christmas 2026"; a name without its year stays as it is."""
    return name.replace(str(year), str(year + 1)) if str(year) in name else name


@dataclass(frozen=True)
class EventInput:
    """What the event form says: the event's name, date and notes."""

    name: str
    event_date: date
    notes: str | None


@dataclass(frozen=True)
class CloneInput:
    """What the clone form says: the copy's name and date."""

    new_name: str
    new_event_date: date


class EventDialog(FormDialog):
    """Add an event, or edit one (``event``): name, date and notes."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event: EventSummaryRow | EventDTO | None = None,
        show: bool = True,
        on_done: Callable[[EventDTO], None] | None = None,
    ) -> None:
        self.event = event
        self.ok_text = "Save" if event is not None else "Add event"
        title = "Edit event" if event is not None else "Add event"
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        event = self.event
        self.name_entry = ctk.CTkEntry(
            body, width=FIELD_WIDTH, placeholder_text="e.g. Christmas 2025"
        )
        if event is not None:
            self.name_entry.insert(0, event.name)
        self.add_field("Name", self.name_entry)
        self.date_entry = date_entry(body, event.event_date if event else date.today())
        self.add_field("Date", self.date_entry, sticky="w", hint="The year comes from the date.")
        self.notes_text = ctk.CTkTextbox(body, width=FIELD_WIDTH, height=70, border_width=2)
        if event is not None and event.notes:
            self.notes_text.insert("1.0", event.notes)
        self.add_field("Notes", self.notes_text)

    def focus_first(self) -> None:
        self.name_entry.focus_set()

    def validate(self) -> EventInput:
        return EventInput(
            name=self.check(self.name_entry, forms.parse_text, "Name"),
            event_date=self.check(self.date_entry, forms.parse_date_text, "Date"),
            notes=forms.parse_notes_text(self.notes_text.get("1.0", "end")),
        )

    def apply(self, values: EventInput) -> EventDTO:
        if self.event is None:
            return event_service.create_event(values.name, values.event_date, notes=values.notes)
        return event_service.update_event(self.event.id, **fields_of(values))


class CloneEventDialog(FormDialog):
    """Copy an event (assignments, back to pending, and targets) under a new name and date."""

    ok_text = "Clone"

    def __init__(
        self,
        parent: tk.Misc,
        *,
        source: EventSummaryRow | EventDTO,
        show: bool = True,
        on_done: Callable[[EventDTO], None] | None = None,
    ) -> None:
        self.source = source
        super().__init__(parent, title="Clone event", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        source = self.source
        self.add_heading(f"Copy “{source.name}”")
        self.add_note(
            "Its assignments (all back to pending), targets and notes are copied; "
            "recorded runs are not."
        )
        self.name_entry = ctk.CTkEntry(body, width=FIELD_WIDTH)
        self.name_entry.insert(0, clone_name(source.name, source.year))
        self.add_field("New name", self.name_entry)
        self.date_entry = date_entry(body, next_year(source.event_date))
        self.add_field("New date", self.date_entry, sticky="w")

    def focus_first(self) -> None:
        self.name_entry.focus_set()
        self.name_entry.select_range(0, "end")

    def validate(self) -> CloneInput:
        return CloneInput(
            new_name=self.check(self.name_entry, forms.parse_text, "New name"),
            new_event_date=self.check(self.date_entry, forms.parse_date_text, "New date"),
        )

    def apply(self, values: CloneInput) -> EventDTO:
        return event_service.clone_event(
            self.source.id, new_name=values.new_name, new_event_date=values.new_event_date
        )
