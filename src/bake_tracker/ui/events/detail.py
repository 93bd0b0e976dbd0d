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
from datetime import date
from tkinter import filedialog

import customtkinter as ctk

from bake_tracker.core.dates import format_long_date
from bake_tracker.services import event_service
from bake_tracker.services.dto import EventDTO
from bake_tracker.services.errors import NotFoundError
from bake_tracker.ui.events.assignments import AssignmentsPanel
from bake_tracker.ui.events.needs import NeedsPanel
from bake_tracker.ui.events.panel import PlanningPanel
from bake_tracker.ui.events.shopping import ShoppingPanel
from bake_tracker.ui.events.summary import SummaryPanel
from bake_tracker.ui.events.targets import TargetRow, TargetsPanel
from bake_tracker.ui.kit import message as message_box
from bake_tracker.ui.kit.dialog import ask_text
from bake_tracker.ui.kit.geometry import EVENT_CAP, EVENT_MINIMUM, Placement, fit_window
from bake_tracker.ui.kit.tabview import MainTabview
from bake_tracker.ui.kit.theme import MUTED_TEXT, TEXT
from bake_tracker.ui.printing import PrintDialog
from bake_tracker.ui.shell import main_window

DETAIL_TABS = ("Assignments", "Targets", "Recipe Needs", "Shopping List", "Summary")


def long_date(when: date) -> str:
    """ "Thursday, December 25, 2025"."""
    return format_long_date(when)  # the one long form (core.dates)


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
        self.print_dialog: PrintDialog | None = None
        self._closed = False
        self.title(f"Event Planning - {event.name}")
        self.placement = self._placement()
        self.minsize(self.placement.min_width, self.placement.min_height)
        self.geometry(f"{self.placement.width}x{self.placement.height}")
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(1, weight=1)
        self._build_header()
        self._build_tabs()
        self._build_footer()
        self.protocol("WM_DELETE_WINDOW", self.close)
        self.bind("<Escape>", lambda _event: self.close())
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

    def _placement(self) -> Placement:
        """Up to ``EVENT_CAP``, fitted to the screen, a little below and right of its owner."""
        owner = self.master.winfo_toplevel()
        near = (owner.winfo_rootx() + 60, owner.winfo_rooty() + 40)
        screen = (self.winfo_screenwidth(), self.winfo_screenheight())
        scaling = ctk.ScalingTracker.get_window_scaling(self)
        return fit_window(screen, scaling, EVENT_CAP, EVENT_MINIMUM, near=near)

    def present(self) -> None:
        if not self.winfo_ismapped():  # a window already shown stays where the user put it
            self.placement = self._placement()
            self.geometry(self.placement.geometry)
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
            header, text="", font=ctk.CTkFont(size=22, weight="bold"), anchor="w", justify="left"
        )
        self.name_label.pack(anchor="w")
        # a long event name wraps onto more lines instead of running off the window's edge
        header.bind("<Configure>", self._wrap_name, add="+")
        self.date_label = ctk.CTkLabel(header, text="", text_color=MUTED_TEXT, anchor="w")
        self.date_label.pack(anchor="w")

    def _wrap_name(self, event: tk.Event) -> None:
        """Wrap the name at the header's width (CustomTkinter scales wraplength: unscale it)."""
        scaling = ctk.ScalingTracker.get_widget_scaling(self.name_label)
        width = max(100, round((event.width - 8) / scaling))
        if self.name_label.cget("wraplength") != width:
            self.name_label.configure(wraplength=width)

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
            text_color=TEXT,
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
        return message_box.ask_yes_no(self, "Please confirm", message)

    def show_error(self, title: str, message: str) -> None:
        message_box.tell(self, title, message, "error")

    def show_info(self, title: str, message: str) -> None:
        message_box.tell(self, title, message)

    def show_warning(self, title: str, message: str) -> None:
        message_box.tell(self, title, message, "warning")

    def ask_text(self, title: str, prompt: str) -> str | None:
        """A line of text, "" when left blank, None when cancelled."""
        return ask_text(self, title, prompt)

    def print_document(self, kind: str) -> PrintDialog | None:
        """The Print dialog over this window, on this event, with ``kind`` chosen."""
        dialog = main_window(self).open_print_dialog(
            kind=kind, event_id=self.event_id, parent=self, show=self.show_dialogs
        )
        self.print_dialog = dialog
        return dialog

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
