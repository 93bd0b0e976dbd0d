"""``RecordDialog``: what Record Production and Record Assembly share.

The event selector (the services' events, "(None - standalone)" first), the count, the notes and
the availability list, checked on opening and again ``CHECK_DELAY_MS`` after the count changes;
Confirm stays disabled while anything is short or the count is not a whole number of at least 1.
Confirm asks first (and warns when the run would take the event past its target), then makes the
one service call; a ``ServiceError`` shows inline and nothing closes. After a success the main
window reloads the tab in view and the status bar says what was recorded.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from typing import Any

import customtkinter as ctk

from bake_tracker.services import (
    event_service,
)
from bake_tracker.services.dto import (
    EventDTO,
    TargetCheck,
)
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.kit.dialog import FIELD_WIDTH, NEW_LINE_HINT, FormDialog
from bake_tracker.ui.kit.theme import MUTED_TEXT
from bake_tracker.ui.record.availability import Availability, AvailabilityDisplay
from bake_tracker.ui.shell import main_window

STANDALONE = "(None - standalone)"
CHECK_DELAY_MS = 300
COUNT_WIDTH = 90
VOID_LATER = "You can void the run later from the Production tab."


def over_target_text(check: TargetCheck | None, what: str, event: str) -> str | None:
    """The question asked before a run takes an event past its target (None when it does not):
    going over is the baker's call, so it is a yes/no question, never a refusal."""
    if check is None or not check.exceeds:
        return None
    return (
        f"Over-Production Warning\n\n{event} needs {check.target} {what}; {check.done} are done. "
        f"Recording {check.adding} more makes {check.after} ({check.after_pct:.0f}% of the "
        "target). Record anyway?"
    )


def event_choices(events: Sequence[EventDTO]) -> dict[str, int | None]:
    """Selector labels in the services' order ("(None - standalone)" first) mapped to event ids."""
    choices: dict[str, int | None] = {STANDALONE: None}
    for event in events:
        label = event.label if event.label not in choices else f"{event.label} #{event.id}"
        choices[label] = event.id
    return choices


class RecordDialog(FormDialog):
    """What both record dialogs share: the event selector, the count, availability, confirm gate.

    Subclasses build their fields (calling ``add_event_selector``, ``add_count`` and
    ``add_availability``), say how to check availability, and parse, confirm and apply as any
    ``FormDialog`` does.
    """

    ok_text = "Confirm"
    min_width = 520
    count_field = "Quantity"
    availability_title = "Availability"
    shortage_text = "Not enough in stock"

    def __init__(
        self,
        master: tk.Misc,
        *,
        title: str,
        event_id: int | None,
        show: bool,
        on_done: Callable[[Any], None] | None,
    ) -> None:
        self.events = event_choices(event_service.list_events_for_picker())
        self.initial_event_id = event_id
        self.availability_rows: list[tuple[str, bool]] = []
        self.last_availability: Availability | None = None
        self._checked_count: int | None = None
        self._check_job: str | None = None
        self._count_valid = True
        self._after_done = on_done
        super().__init__(master, title=title, show=show, on_done=self._finished)

    # --- building -----------------------------------------------------------------------------

    def add_heading(self, title: str, subtitle: str) -> None:
        heading = ctk.CTkLabel(
            self.body, text=title, font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        )
        self.add_wide(heading, pady=(0, 0))
        self.subtitle_label = ctk.CTkLabel(self.body, text=subtitle, text_color=MUTED_TEXT)
        self.subtitle_label.configure(anchor="w", justify="left")
        self.add_wide(self.subtitle_label, pady=(0, 6))

    def add_event_selector(self) -> None:
        self.event_selector = ctk.CTkOptionMenu(
            self.body, width=FIELD_WIDTH, values=list(self.events), dynamic_resizing=False
        )
        self.event_selector.set(self._initial_event_label())
        self.add_field("Event", self.event_selector, sticky="w")

    def _initial_event_label(self) -> str:
        for label, event_id in self.events.items():
            if event_id is not None and event_id == self.initial_event_id:
                return label
        return STANDALONE

    def add_count(self, label: str) -> ctk.CTkEntry:
        """The count entry (default "1"); every change re-checks the count and, soon, the stock."""
        self.count_var = tk.StringVar(self, value="1")
        self.count_row = ctk.CTkFrame(self.body, fg_color="transparent")
        self.count_entry = ctk.CTkEntry(
            self.count_row, width=COUNT_WIDTH, textvariable=self.count_var
        )
        self.count_entry.pack(side="left")
        self.add_field(label, self.count_row, sticky="w")
        self.count_var.trace_add("write", lambda *_: self._on_count_change())
        return self.count_entry

    def add_notes(self) -> None:
        self.notes_text = ctk.CTkTextbox(self.body, width=FIELD_WIDTH, height=60, border_width=2)
        self.add_field("Notes", self.notes_text, hint=NEW_LINE_HINT)

    def add_availability(self) -> None:
        self.availability = AvailabilityDisplay(
            self.body, self.availability_title, self.refresh_availability
        )
        self.add_wide(self.availability, pady=(12, 0))

    def ready(self) -> None:
        self.confirm_button = self.ok_button
        self.refresh_availability()

    def focus_first(self) -> None:
        self.count_entry.focus_set()
        self.count_entry.select_range(0, "end")

    # --- the count and availability -----------------------------------------------------------

    def selected_event_id(self) -> int | None:
        return self.events.get(self.event_selector.get())

    def event_name(self, event_id: int) -> str:
        """The selector's label of an event (its name and date)."""
        return next((label for label, i in self.events.items() if i == event_id), "The event")

    def _count(self) -> int | None:
        """The typed count, or None when it is not usable (saying why, unless it is just blank:
        retyping the number passes through an empty entry)."""
        text = self.count_var.get()
        try:
            count = forms.parse_int_text(text, self.count_field, minimum=1)
        except forms.FieldError as error:
            if text.strip():
                self.show_error(error.message)
            return None
        return count

    def _on_count_change(self) -> None:
        self.clear_error()
        count = self._count()
        self._count_valid = count is not None
        self.count_changed(count)
        if count is None:
            self._cancel_check()
            self._checked_count = None
            self.availability.show_message(f"Enter a {self.count_field.lower()} of at least 1.")
            self.availability_rows = []
        else:
            self._schedule_check()
        self._update_confirm()

    def count_changed(self, count: int | None) -> None:
        """Hook: the count changed (None when it is not usable)."""

    def _schedule_check(self) -> None:
        self._cancel_check()
        self._check_job = self.after(CHECK_DELAY_MS, self.refresh_availability)

    def _cancel_check(self) -> None:
        if self._check_job is not None:
            self.after_cancel(self._check_job)
            self._check_job = None

    def refresh_availability(self) -> None:
        """Check the stock for the current count now and redraw the list."""
        self._check_job = None
        count = self._count()
        if count is None:
            return
        try:
            availability = self.check_availability(count)
        except ServiceError as error:
            availability = Availability([], reason=str(error))
        self.last_availability = availability
        self._checked_count = count
        self.availability.show(availability)
        self.availability_rows = list(self.availability.rows)
        self._update_confirm()

    def check_availability(self, count: int) -> Availability:  # pragma: no cover - overridden
        raise NotImplementedError

    def _update_confirm(self) -> None:
        """Enabled only for a usable count and a last check with nothing short (Confirm re-checks
        when the count changed since, so a pending check never lets a shortage through)."""
        available = self.last_availability is not None and self.last_availability.ok
        enabled = self._count_valid and available
        self.confirm_button.configure(state="normal" if enabled else "disabled")

    def validated_count(self) -> int:
        """The count, with the stock checked for exactly that count; raises ``FieldError``."""
        count = self.check(self.count_entry, forms.parse_int_text, self.count_field, minimum=1)
        if self._check_job is not None or self._checked_count != count:
            self.refresh_availability()
        availability = self.last_availability
        if availability is None or not availability.ok:
            raise forms.FieldError(self._shortage_message(availability))
        return count

    def _shortage_message(self, availability: Availability | None) -> str:
        if availability is None:
            return "Availability could not be checked."
        if availability.reason is not None:
            return availability.reason
        short = ", ".join(line.name for line in availability.lines if not line.sufficient)
        return f"{self.shortage_text}: {short}."

    def notes(self) -> str | None:
        return forms.parse_notes_text(self.notes_text.get("1.0", "end"))

    def event_line(self) -> str:
        """ "\\nEvent: Christmas 2025 (2025-12-25)" when an event is chosen, else ""."""
        label = self.event_selector.get()
        return f"\nEvent: {label}" if self.events.get(label) is not None else ""

    # --- finishing ----------------------------------------------------------------------------

    def success_text(self, result: Any) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def _finished(self, result: Any) -> None:
        """After the service call: refresh the window's tabs and post what was recorded."""
        window = main_window(self)
        window.refresh_all()
        window.set_status(self.success_text(result))
        if self._after_done is not None:
            self._after_done(result)

    def close(self) -> None:
        self._cancel_check()
        super().close()
