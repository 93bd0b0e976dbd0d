"""What a tab, page or dialog may ask of the main window, and the one way to reach it.

``MainWindow`` is the whole of it: the status bar, the yes/no question and the error and info
messages, reloading the tabs after a change, switching tabs, and opening the windows every part
of the UI shares (Record Production, Record Assembly, an event's Event Detail window, Print).
``App`` implements it; ``main_window(widget)`` returns it for any widget of the application,
however deep (tabs, their pages, dialogs, the Event Detail window). Each dialog is opened through
the window, so there is one path to it: the opener passes the event to preselect and whether to
show it.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # annotations only: the Event Detail window is imported when first opened
    from bake_tracker.ui.events.detail import EventDetailWindow
    from bake_tracker.ui.printing import PrintDialog
    from bake_tracker.ui.record.assembly import RecordAssemblyDialog
    from bake_tracker.ui.record.production import RecordProductionDialog


@runtime_checkable
class MainWindow(Protocol):
    """The main window as the rest of the UI sees it (``App``)."""

    @property
    def closed(self) -> bool:
        """True once the window is closing (callbacks that arrive late do nothing then)."""
        ...

    def set_status(self, text: str) -> None:
        """Show ``text`` in the status bar."""
        ...

    def ask_confirm(self, message: str) -> bool:
        """A yes/no question; True for yes."""
        ...

    def show_error(self, title: str, message: str) -> None: ...

    def show_info(self, title: str, message: str) -> None: ...

    def ask_save_path(
        self,
        title: str,
        initial_name: str,
        filetypes: tuple[tuple[str, str], ...],
        *,
        defaultextension: str | None = None,
        parent: tk.Misc | None = None,
    ) -> str | None:
        """Where to save a file (None when cancelled); a name typed without an extension gets
        ``defaultextension`` (by default the first file type's: ".csv" for a CSV report); the
        chooser opens over ``parent`` (else the main window)."""
        ...

    def refresh_all(self) -> None:
        """After a change that touches several tabs: reload the tab in view (the others reload
        when they are shown)."""
        ...

    def select_tab(self, name: str) -> None: ...

    def open_record_production(
        self, finished_unit_id: int, *, event_id: int | None = None, show: bool = True
    ) -> RecordProductionDialog: ...

    def open_record_assembly(
        self, finished_good_id: int, *, event_id: int | None = None, show: bool = True
    ) -> RecordAssemblyDialog: ...

    def open_event_detail(self, event_id: int, *, show: bool = True) -> EventDetailWindow:
        """Open (or bring forward) an event's Event Detail window."""
        ...

    def close_event_detail(self, event_id: int) -> None:
        """Close an event's Event Detail window, if one is open (after the event is deleted)."""
        ...

    def open_print_dialog(
        self,
        *,
        kind: str = "shopping-list",
        event_id: int | None = None,
        parent: tk.Misc | None = None,
        show: bool = True,
    ) -> PrintDialog | None:
        """The Print dialog (File ▸ Print…, the Print buttons), preselecting kind and event."""
        ...


def main_window(widget: tk.Misc) -> MainWindow:
    """The main window of ``widget``: the application's root window, which implements
    ``MainWindow`` (every tab, page, dialog and secondary window lives inside it)."""
    root = widget.nametowidget(".")
    if not isinstance(root, MainWindow):
        raise TypeError(f"{widget!s} is not inside the application's main window")
    return root
