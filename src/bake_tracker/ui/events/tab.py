"""The Events tab: the events you bake for, by year, with their recipients, packages and cost.

Each row comes from ``event_service.list_event_summaries`` (the counts and both costs are the
service's: the planned cost of the targets, the dashboard's figure, and the cost of the packages
assigned; a caption under the table says what each counts). Add, Edit and Clone open small
forms that make one ``event_service`` call; "Details…" (or a double-click) opens the Event
Detail window. Delete asks first; when the event still has package assignments it asks a second
time, naming them, before deleting with ``cascade_assignments=True``. An event with recorded
runs is refused in the service's words.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.services import event_service
from bake_tracker.services.dto import EventDTO, EventSummaryRow
from bake_tracker.services.errors import EventHasAssignmentsError, ServiceError
from bake_tracker.ui import forms
from bake_tracker.ui.events.dialogs import CloneEventDialog, EventDialog
from bake_tracker.ui.kit.buttons import ActionButton, DangerButton, set_enabled
from bake_tracker.ui.kit.dialog import FormDialog
from bake_tracker.ui.kit.fields import quiet_menu
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.table import Column, DataTable, Row
from bake_tracker.ui.kit.theme import MUTED_TEXT, TEXT
from bake_tracker.ui.production.wording import COSTS_CAPTION, PACKAGES_COST, PLANNED_COST
from bake_tracker.ui.shell import main_window

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


ALL_YEARS = "All years"
EVENT_COLUMNS = (
    Column("name", "Event", 300),
    Column("date", "Date", 120, "center"),
    Column("year", "Year", 80, "center"),
    Column("recipients", "Recipients", 110, "e"),
    Column("packages", "Packages", 110, "e"),
    Column("planned", PLANNED_COST, 120, "e"),
    Column("cost", PACKAGES_COST, 130, "e"),
)
EMPTY_EVENTS = "No events yet. Click “Add event…” to plan the first one."
NO_EVENTS_IN_YEAR = "No events in {year}."
FOOTER_HINT = (
    "Double-click an event (or click “Details…”) to plan its packages, targets and shopping. "
    "Past events are grey."
)
PAST_TEXT = "#8A8A8A"


def event_row(row: EventSummaryRow, *, today: date | None = None) -> Row:
    """A table row for one event; past events are greyed."""
    values = (
        row.name,
        forms.format_date(row.event_date),
        str(row.year),
        str(row.recipient_count),
        str(row.package_count),
        forms.format_money(row.planned_cost),
        forms.format_money(row.estimated_cost),
    )
    past = row.event_date < (today or date.today())
    return str(row.id), values, ("past",) if past else ()


class EventsTab(TabFrame):
    """Events newest first, a year filter, and Add / Edit / Clone / Details / Delete / Refresh."""

    show_dialogs = True  # tests may build dialogs and the detail window hidden

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, description)
        self.events: dict[str, EventSummaryRow] = {}
        self.active_dialog: FormDialog | None = None
        self.detail_window: EventDetailWindow | None = None
        self._refreshing = False
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_toolbar()
        self.table = DataTable(
            self,
            EVENT_COLUMNS,
            empty_text=EMPTY_EVENTS,
            on_select=lambda _iid: self._update_buttons(),
            on_activate=lambda _iid: self.on_details(),
        )
        self.table.tree.tag_configure("past", foreground=PAST_TEXT)
        self.table.grid(row=1, column=0, sticky="nsew", pady=(0, 4))
        self._build_footer()
        self._update_buttons()  # nothing loaded yet: the window loads the tab when it is shown

    def _build_toolbar(self) -> None:
        bar = ctk.CTkFrame(self, fg_color="transparent")
        bar.grid(row=0, column=0, sticky="ew", pady=(4, 10))
        ctk.CTkLabel(bar, text="Year").pack(side="left", padx=(2, 8))
        self.year_var = tk.StringVar(self, value=ALL_YEARS)
        self.year_filter = quiet_menu(bar, 140, [ALL_YEARS], self.year_var)
        self.year_filter.pack(side="left")
        buttons = ctk.CTkFrame(bar, fg_color="transparent")
        buttons.pack(side="right")
        self.add_button = self._button(buttons, "Add event…", self.on_add, 120)
        self.edit_button = self._button(buttons, "Edit…", self.on_edit)
        self.clone_button = self._button(buttons, "Clone…", self.on_clone)
        self.details_button = self._button(buttons, "Details…", self.on_details, 100)
        self.delete_button = DangerButton(buttons, text="Delete", width=80, command=self.on_delete)
        self.delete_button.pack(side="left", padx=(0, 8))
        self.refresh_button = ctk.CTkButton(
            buttons,
            text="Refresh",
            width=80,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=self.on_refresh,
        )
        self.refresh_button.pack(side="left")
        self.year_var.trace_add("write", lambda *_: self.refresh())

    @staticmethod
    def _button(
        master: ctk.CTkFrame, text: str, command: Callable[[], None], width: int = 80
    ) -> ActionButton:
        button = ActionButton(master, text=text, width=width, command=command)
        button.pack(side="left", padx=(0, 8))
        return button

    def _build_footer(self) -> None:
        footer = ctk.CTkFrame(self, fg_color="transparent")
        footer.grid(row=2, column=0, sticky="ew", pady=(4, 0))
        self.count_label = ctk.CTkLabel(
            footer, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.count_label.pack(side="left", padx=(4, 16))
        self.hint_label = ctk.CTkLabel(footer, text=FOOTER_HINT, text_color=MUTED_TEXT)
        self.hint_label.pack(side="left")
        self.costs_caption = ctk.CTkLabel(
            self, text=COSTS_CAPTION, text_color=MUTED_TEXT, anchor="w", justify="left"
        )
        self.costs_caption.grid(row=3, column=0, sticky="ew", padx=4)

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the year choices and the events of the chosen year."""
        if self._refreshing:
            return
        self._refreshing = True
        try:
            self._load_years()
            rows = event_service.list_event_summaries(year=self.selected_year())
        finally:
            self._refreshing = False
        self.events = {str(row.id): row for row in rows}
        year = self.selected_year()
        empty = EMPTY_EVENTS if year is None else NO_EVENTS_IN_YEAR.format(year=year)
        self.table.empty_label.configure(text=empty)
        today = date.today()
        self.table.set_rows([event_row(row, today=today) for row in rows])
        self.count_label.configure(text=forms.plural(len(rows), "event"))
        self._update_buttons()

    def _load_years(self) -> None:
        labels = [ALL_YEARS, *(str(year) for year in event_service.get_available_years())]
        self.year_filter.configure(values=labels)
        if self.year_var.get() not in labels:
            self.year_var.set(ALL_YEARS)

    def selected_year(self) -> int | None:
        value = self.year_var.get()
        return None if value == ALL_YEARS else int(value)

    def selected(self) -> EventSummaryRow | None:
        iid = self.table.selected_id()
        return self.events.get(iid) if iid is not None else None

    def _update_buttons(self) -> None:
        buttons = (self.edit_button, self.clone_button, self.details_button, self.delete_button)
        set_enabled(buttons, self.selected() is not None)

    # --- commands -----------------------------------------------------------------------------

    def on_refresh(self) -> None:
        self.refresh()
        self.post_status("Events reloaded.")

    def on_add(self) -> None:
        self.active_dialog = EventDialog(
            self, show=self.show_dialogs, on_done=lambda e: self._saved(e, "Added")
        )

    def on_edit(self) -> None:
        row = self.selected()
        if row is not None:
            self.active_dialog = EventDialog(
                self, event=row, show=self.show_dialogs, on_done=lambda e: self._saved(e, "Saved")
            )

    def on_clone(self) -> None:
        row = self.selected()
        if row is not None:
            self.active_dialog = CloneEventDialog(
                self, source=row, show=self.show_dialogs, on_done=lambda e: self._saved(e, "Cloned")
            )

    def _saved(self, event: EventDTO, verb: str) -> None:
        self.refresh()
        if str(event.id) not in self.events:  # the year filter hides it: show its year
            self.year_var.set(str(event.year))
        self.table.select(str(event.id))
        self.post_status(f"{verb} “{event.name}” ({forms.format_date(event.event_date)}).")

    def on_details(self) -> None:
        """Open (or bring forward) the Event Detail window of the selected event."""
        row = self.selected()
        if row is not None:
            self.detail_window = main_window(self).open_event_detail(row.id, show=self.show_dialogs)

    def on_delete(self) -> None:
        """Ask; ask again before removing assignments; refuse an event with recorded runs."""
        row = self.selected()
        if row is None or not self.ask_confirm(
            f"Delete the event “{row.name}” and its production and assembly targets? "
            "This cannot be undone."
        ):
            return
        try:
            self._delete(row)
        except ServiceError as error:  # EventHasAttributedRunsError: the runs keep their event
            self.show_error("Cannot delete event", str(error))
        self.refresh()

    def _delete(self, row: EventSummaryRow) -> None:
        try:
            event_service.delete_event(row.id)
        except EventHasAssignmentsError as error:
            count = error.counts.get("assignments", 0)
            if not self.ask_confirm(
                f"“{row.name}” has {forms.plural(count, 'package assignment')} "
                f"({forms.plural(row.recipient_count, 'recipient')}). They will be removed too. "
                "Delete the event and its assignments?"
            ):
                return
            event_service.delete_event(row.id, cascade_assignments=True)
        main_window(self).close_event_detail(row.id)
        self.post_status(f"Deleted event “{row.name}”.")
