"""The main window: menu bar, the tab view, the status bar and the last-resort error presenter.

``App`` opens the database through ``database_service`` before any window exists, so a refused
database (``DatabaseStartupError``) reaches the caller with nothing drawn. It closes the database on
exit. Dialog calls sit in one-line methods (``ask_confirm``, ``show_info``, ``show_error``,
``ask_open_path``, ``ask_save_path``) that tests replace with recorders. Long jobs (import, export,
backup, restore) go through ``run_in_background``; ``DataMenu`` owns those menu entries.
Unexpected errors in callbacks are not caught by widgets: Tk hands them to
``report_callback_exception``, which logs the traceback and tells the user where the log is.

Only the tab in view is built at start: ``tab_frames`` builds a tab (imports its module, makes its
widgets) the first time it is shown or asked for, and every tab reloads whenever it is shown.
"""

from __future__ import annotations

import importlib
import logging
import tkinter as tk
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.config import (
    APPEARANCE,
    WINDOW_GEOMETRY,
    WINDOW_MAXIMISED,
    Settings,
    load_preferences,
    load_settings,
    save_preferences,
)
from bake_tracker.services import backup_service, database_service
from bake_tracker.services.dto import DatabaseInfo
from bake_tracker.services.errors import ServiceError
from bake_tracker.ui import desktop
from bake_tracker.ui.background import BackgroundRunner
from bake_tracker.ui.data_menu import DataMenu
from bake_tracker.ui.folders import FileChooser, first_extension
from bake_tracker.ui.help_menu import HelpMenu
from bake_tracker.ui.kit import message as message_box
from bake_tracker.ui.kit.geometry import (
    MAIN_CAP,
    MAIN_MINIMUM,
    Placement,
    fit_window,
    restore_window,
)
from bake_tracker.ui.kit.jobs import cancel_jobs_on_destroy
from bake_tracker.ui.kit.keyboard import install_keyboard, shortcut_keys
from bake_tracker.ui.kit.tab import TabFrame
from bake_tracker.ui.kit.tabview import MainTabview
from bake_tracker.ui.kit.theme import APPEARANCES, MUTED_TEXT
from bake_tracker.version import app_version

if TYPE_CHECKING:
    from pathlib import Path

    from bake_tracker.ui.events.detail import EventDetailWindow
    from bake_tracker.ui.printing import PrintDialog, Printer
    from bake_tracker.ui.record.assembly import RecordAssemblyDialog
    from bake_tracker.ui.record.production import RecordProductionDialog

log = logging.getLogger("bake_tracker.ui")

APP_NAME = "bake-tracker"

# Tab name and the one sentence its empty state shows, in menu order (Production is the default).
TABS: tuple[tuple[str, str], ...] = (
    ("Production", "Each event's batches and assemblies against its targets, and what is left."),
    ("Events", "Your events: who receives which package, what they need and what they cost."),
    ("Recipes", "Your recipes with their ingredients, sub-recipes, yields and cost per batch."),
    ("Finished Units", "The cookies, loaves and bars your recipes make, with stock and unit cost."),
    ("Finished Goods", "Gift bags and boxes assembled from finished units and packaging."),
    ("Packages", "What each recipient gets: finished goods bundled for delivery."),
    ("Recipients", "The people and places you bake for."),
    ("Ingredients", "Your ingredients, the products you buy them as, and their unit conversions."),
    ("Pantry", "Your purchase lots, oldest first, with their cost and expiry dates."),
)
TAB_NAMES: tuple[str, ...] = tuple(name for name, _ in TABS)
TAB_DESCRIPTIONS: dict[str, str] = dict(TABS)
# The module and class of each tab. A tab is built (module imported, widgets made) the first time
# it is shown or asked for; it reads nothing while it is built, and loads whenever it is shown.
TAB_CLASSES: dict[str, tuple[str, str]] = {
    "Production": ("bake_tracker.ui.production.tab", "ProductionTab"),
    "Events": ("bake_tracker.ui.events.tab", "EventsTab"),
    "Recipes": ("bake_tracker.ui.recipes.tab", "RecipesTab"),
    "Finished Units": ("bake_tracker.ui.finished_units_tab", "FinishedUnitsTab"),
    "Finished Goods": ("bake_tracker.ui.finished_goods_tab", "FinishedGoodsTab"),
    "Packages": ("bake_tracker.ui.packages_tab", "PackagesTab"),
    "Recipients": ("bake_tracker.ui.recipients_tab", "RecipientsTab"),
    "Ingredients": ("bake_tracker.ui.ingredients.tab", "IngredientsTab"),
    "Pantry": ("bake_tracker.ui.pantry_tab", "PantryTab"),
}
FIRST_START_DELAY_MS = 300  # offer the sample season once the window is drawn
# How often the "System" appearance asks the desktop whether it is light or dark. CustomTkinter
# asks every 30 ms, on Linux by starting a ``gsettings`` process each time: ~17 processes a
# second for as long as the window is open (~7 % of a core when idle) and two or three while the
# window starts. Once a second still follows a change of the desktop's theme.
SYSTEM_APPEARANCE_POLL_MS = 1000
DAILY_BACKUP_REVEAL_MS = 400  # a daily backup that takes longer shows its progress dialog
IDLE_CHECKPOINT_MS = 5000  # fold the WAL back into the file this often, between use cases
FileTypes = tuple[tuple[str, str], ...]
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def tab_class(name: str) -> type[TabFrame]:
    """The class of the tab ``name``, importing its module on first use."""
    module, class_name = TAB_CLASSES[name]
    return getattr(importlib.import_module(module), class_name)


class TabFrames(Mapping[str, TabFrame]):
    """The window's tabs by name, built on first use: ``frames["Pantry"]`` builds the Pantry tab
    (into its place in the tab view, not loaded) unless it already is. Iterating lists every name
    without building anything; ``built`` names the tabs built so far."""

    def __init__(self, names: tuple[str, ...], build: Callable[[str], TabFrame]) -> None:
        self._names = names
        self._build = build
        self._frames: dict[str, TabFrame] = {}

    def __getitem__(self, name: str) -> TabFrame:
        frame = self._frames.get(name)
        if frame is None:
            if name not in self._names:
                raise KeyError(name)
            frame = self._frames[name] = self._build(name)
        return frame

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    @property
    def built(self) -> tuple[str, ...]:
        """The names of the tabs built so far, in the order they were built."""
        return tuple(self._frames)


class App(ctk.CTk):
    """The root window, the ``MainWindow`` the rest of the UI reaches through ``main_window``.

    ``database_url=None`` opens the configured default database.

    ``settings`` (from the command line) wins over ``database_url``; it also tells Help ▸ About
    where the address came from. ``offer_sample_data=False`` never offers the sample season on
    an empty database (tests).
    """

    def __init__(
        self,
        *,
        database_url: str | None = None,
        settings: Settings | None = None,
        offer_sample_data: bool = True,
    ) -> None:
        self.settings = settings if settings is not None else load_settings(database_url)
        self.preferences = load_preferences(self.settings.preferences_file)
        self.database: DatabaseInfo = database_service.open_database(self.settings.database_url)
        self.daily_backup_note = ""  # what the day's automatic backup did, once it is done
        self._closed = False
        self.background = BackgroundRunner(self)
        appearance = self.preferences.get(APPEARANCE)
        if appearance in APPEARANCES:  # else CustomTkinter's (System unless set before)
            ctk.set_appearance_mode(str(appearance))
        ctk.AppearanceModeTracker.update_loop_interval = SYSTEM_APPEARANCE_POLL_MS  # before Tk
        try:
            super().__init__()
        except tk.TclError:  # no display: release the database before reporting
            database_service.close_database()
            raise
        cancel_jobs_on_destroy(self)  # before any widget that schedules jobs exists
        self.version = app_version()
        self.title(f"{APP_NAME} - v{self.version}")
        self.placement = self._placement()
        self.minsize(self.placement.min_width, self.placement.min_height)
        self.geometry(self.placement.geometry)
        if self.preferences.get(WINDOW_MAXIMISED) is True:
            desktop.maximise(self)  # as it was left; un-maximising gives the saved size back
        self._build_menu()
        self._build_body()
        self._bind_keys()
        desktop.install(self, on_quit=self.on_exit)  # icon, macOS Command keys and Quit
        self.protocol("WM_DELETE_WINDOW", self.on_close)
        self.set_status(self._ready_text())
        if offer_sample_data:
            self.after(FIRST_START_DELAY_MS, self.data_menu.offer_sample_data)
        if self._daily_backup_due():
            self.after_idle(self._start_daily_backup)
        self.after(IDLE_CHECKPOINT_MS, self._checkpoint_when_idle)

    # --- layout -------------------------------------------------------------------------------

    def _placement(self) -> Placement:
        """Where the window opens: where the user left it if that fits this screen, else the
        largest size up to ``MAIN_CAP`` that does (sizes in pixels: see ``kit.geometry``)."""
        screen = (self.winfo_screenwidth(), self.winfo_screenheight())
        scaling = ctk.ScalingTracker.get_window_scaling(self)
        saved = self.preferences.get(WINDOW_GEOMETRY)
        restored = restore_window(saved, screen, scaling, MAIN_MINIMUM)
        return restored or fit_window(screen, scaling, MAIN_CAP, MAIN_MINIMUM)

    def _build_menu(self) -> None:
        self.menubar = tk.Menu(self, tearoff=False)
        self.file_menu = tk.Menu(self.menubar, tearoff=False)
        self.data_menu = DataMenu(self)
        self.data_menu.add_file_entries(self.file_menu)
        self.file_menu.add_command(label="Exit", accelerator="Ctrl+Q", command=self.on_exit)
        self.menubar.add_cascade(label="File", menu=self.file_menu)
        self.tools_menu = tk.Menu(self.menubar, tearoff=False)
        self.data_menu.add_tools_entries(self.tools_menu)
        self.menubar.add_cascade(label="Tools", menu=self.tools_menu)
        self._build_view_menu()
        self.help_menu = tk.Menu(self.menubar, tearoff=False)
        self.help = HelpMenu(self)
        self.help.add_entries(self.help_menu)
        self.menubar.add_cascade(label="Help", menu=self.help_menu)
        self.configure(menu=self.menubar)

    def _build_view_menu(self) -> None:
        self.view_menu = tk.Menu(self.menubar, tearoff=False)
        self.appearance_menu = tk.Menu(self.view_menu, tearoff=False)
        saved = self.preferences.get(APPEARANCE)
        self.appearance_var = tk.StringVar(self, saved if saved in APPEARANCES else "System")
        for mode in APPEARANCES:
            self.appearance_menu.add_radiobutton(
                label=mode,
                value=mode,
                variable=self.appearance_var,
                command=lambda mode=mode: self.set_appearance(mode),
            )
        self.view_menu.add_cascade(label="Appearance", menu=self.appearance_menu)
        self.menubar.add_cascade(label="View", menu=self.view_menu)

    def set_appearance(self, mode: str) -> None:
        """View ▸ Appearance: "System", "Light" or "Dark", applied now and remembered."""
        if mode not in APPEARANCES:
            raise ValueError(f"unknown appearance {mode!r}")
        self.appearance_var.set(mode)
        ctk.set_appearance_mode(mode)
        self.preferences[APPEARANCE] = mode
        save_preferences(self.settings.preferences_file, {APPEARANCE: mode})

    def _build_body(self) -> None:
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(0, weight=1)
        self.tabs = MainTabview(self, anchor="nw")
        self.tabs.grid(row=0, column=0, sticky="nsew", padx=12, pady=(4, 8))
        self.tab_frames = TabFrames(TAB_NAMES, self._build_tab)
        for name in TAB_NAMES:
            self.tabs.add(name)  # an empty place; the tab itself is built when first shown
            self.tabs.on_show(name, lambda tab=name: self.tab_frames[tab].refresh())
        self.tabs.set(TAB_NAMES[0])
        self._build_status_bar()

    def _build_tab(self, name: str) -> TabFrame:
        frame = tab_class(name)(self.tabs.tab(name), TAB_DESCRIPTIONS[name])
        frame.pack(fill="both", expand=True)
        return frame

    def _build_status_bar(self) -> None:
        bar = ctk.CTkFrame(self, corner_radius=0, height=30, fg_color=("gray85", "gray20"))
        bar.grid(row=1, column=0, sticky="ew")
        bar.grid_columnconfigure(0, weight=1)
        self.status_label = ctk.CTkLabel(bar, text="", anchor="w")
        self.status_label.grid(row=0, column=0, sticky="ew", padx=12, pady=2)
        detail = f"{self.backend_name()} · schema {self.database.revision} · v{self.version}"
        self.status_detail_label = ctk.CTkLabel(bar, text=detail, text_color=MUTED_TEXT)
        self.status_detail_label.grid(row=0, column=1, sticky="e", padx=12, pady=2)

    def _bind_keys(self) -> None:
        install_keyboard(self)  # Tab reaches every control; Ctrl+A selects all (kit.keyboard)
        for key in shortcut_keys(self, "q"):
            self.bind(key, lambda _event: self.on_exit())
        self.data_menu.bind_keys()
        for number, name in enumerate(TAB_NAMES, start=1):
            self.bind(f"<Control-Key-{number}>", lambda _event, tab=name: self.select_tab(tab))

    # --- status -------------------------------------------------------------------------------

    def set_status(self, text: str) -> None:
        """Show ``text`` in the status bar at the bottom of the window."""
        self.status_label.configure(text=text)

    def database_location(self) -> str:
        """The SQLite file, or the server address with its password hidden."""
        return str(self.database.path) if self.database.path else self.database.url

    def backend_name(self) -> str:
        return BACKEND_NAMES.get(self.database.backend, self.database.backend)

    def _daily_backup_due(self) -> bool:
        try:
            return backup_service.daily_backup_due()
        except ServiceError as error:
            self._daily_backup_failed(error)
            return False

    def _start_daily_backup(self) -> None:
        """The first start of the day copies the database into the backups folder (SQLite; a
        server backs itself up), on the worker once the window is drawn: a large season takes
        seconds to copy and verify. The job entries of the File menu wait for it; its progress
        dialog shows only if it takes a while. A failure does not stop the app: the status bar
        says it."""
        keep = self.settings.keep_backups
        self.data_menu.run(
            lambda: backup_service.daily_backup(keep=keep),
            self._daily_backup_done,
            self._daily_backup_failed,
            message="Saving today's backup…",
            reveal_after_ms=DAILY_BACKUP_REVEAL_MS,
        )

    def _daily_backup_done(self, made: Path | None) -> None:
        self.daily_backup_note = f"Daily backup saved to {made}" if made is not None else ""

    def _daily_backup_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", str(error))
        log.warning("daily backup failed: %s", message)
        self.daily_backup_note = f"The daily backup was not made: {message}"
        self.set_status(self._ready_text())

    def _ready_text(self) -> str:
        if self.database.read_only:
            return (
                f"Read-only — {self.database_location()}: everything can be viewed and exported, "
                "but changes cannot be saved (the file, its folder or the disk cannot be written)."
            )
        if self.daily_backup_note.startswith("The daily backup was not made"):
            return self.daily_backup_note
        text = f"Ready — {self.database_location()}"
        if self.database.backup_path is not None:
            text += f"  ·  Database updated; a backup was saved to {self.database.backup_path}"
        elif self.database.migrated_from is not None:
            text += f"  ·  Database updated from schema {self.database.migrated_from}"
        return text

    def select_tab(self, name: str) -> None:
        self.tabs.set(name)

    def refresh_all(self) -> None:
        """After a change that touches several tabs (a run recorded, an import): reload the tab
        in view now. The others are stale until shown, and every tab reloads when it is shown."""
        name = self.tabs.get()
        if name in self.tab_frames:
            self.tab_frames[name].refresh()

    # --- recording ----------------------------------------------------------------------------

    def open_record_production(
        self, finished_unit_id: int, *, event_id: int | None = None, show: bool = True
    ) -> RecordProductionDialog:
        """Open and return the Record Production dialog for a finished unit (maybe an event's)."""
        from bake_tracker.ui.record.production import RecordProductionDialog

        return RecordProductionDialog(self, finished_unit_id, event_id=event_id, show=show)

    def open_record_assembly(
        self, finished_good_id: int, *, event_id: int | None = None, show: bool = True
    ) -> RecordAssemblyDialog:
        """Open and return the Record Assembly dialog for a finished good (maybe an event's)."""
        from bake_tracker.ui.record.assembly import RecordAssemblyDialog

        return RecordAssemblyDialog(self, finished_good_id, event_id=event_id, show=show)

    @cached_property
    def printer(self) -> Printer:
        """Made at the first print, so the window's start does not import the PDF writer."""
        from bake_tracker.ui.printing import Printer

        return Printer(self)

    def open_print_dialog(
        self,
        *,
        kind: str = "shopping-list",
        event_id: int | None = None,
        parent: tk.Misc | None = None,
        show: bool = True,
    ) -> PrintDialog | None:
        """File ▸ Print… (Ctrl+P) and the Print buttons: the Print dialog, preselecting ``kind``
        and the event; None while a job runs or when there is no event."""
        return self.printer.open_dialog(kind=kind, event_id=event_id, parent=parent, show=show)

    def open_event_detail(self, event_id: int, *, show: bool = True) -> EventDetailWindow:
        """Open (or bring forward) an event's Event Detail window and return it."""
        from bake_tracker.ui.events.detail import EventDetailWindow  # with the first one opened

        return EventDetailWindow.open_for(self, event_id, show=show)

    def close_event_detail(self, event_id: int) -> None:
        """Close an event's Event Detail window, if one is open (after the event is deleted)."""
        from bake_tracker.ui.events.detail import EventDetailWindow

        EventDetailWindow.close_for(self, event_id)

    # --- menu commands ------------------------------------------------------------------------

    def on_exit(self) -> None:
        """File ▸ Exit and Ctrl+Q: close after a yes/no confirmation."""
        if self.ask_confirm(f"Exit {APP_NAME}?"):
            self.on_close()

    def on_close(self) -> None:
        """Close the database (folding the WAL back into the file), then the window."""
        if self._closed:
            return
        self._closed = True
        self._remember_geometry()
        self.background.shutdown()  # a running import or restore finishes first
        database_service.close_database()
        self._cancel_pending_callbacks()
        self.destroy()

    def _checkpoint_when_idle(self) -> None:
        """Every few seconds, from Tk's event loop (so never in the middle of a use case): fold
        the database's WAL back into the file, off the user's writes (issue 16 T9, db.py)."""
        if self._closed:
            return
        if not self.background.busy:
            database_service.checkpoint_when_idle()
        self.after(IDLE_CHECKPOINT_MS, self._checkpoint_when_idle)

    def _remember_geometry(self) -> None:
        """Save whether the window was maximised, and the size and place the user left a normal
        window at (a maximised or minimised window's size is the screen's or nothing: the next
        start restores the last normal one, and only if it fits that screen)."""
        try:
            if self.state() in ("iconic", "withdrawn"):  # minimised: keep what was saved
                return
            maximised = desktop.is_maximised(self)
            geometry = self.geometry()  # logical size, pixel place, as ``_placement`` reads it
        except tk.TclError:
            return
        changes: dict[str, object] = {WINDOW_MAXIMISED: maximised}
        if not maximised:
            changes[WINDOW_GEOMETRY] = geometry
        self.preferences.update(changes)
        save_preferences(self.settings.preferences_file, changes)

    def _cancel_pending_callbacks(self) -> None:
        """Drop queued ``after`` jobs (CustomTkinter redraws) so none runs on a dead window."""
        for job in self.tk.splitlist(self.tk.call("after", "info")):
            self.tk.call("after", "cancel", job)  # the owning widget deletes its command

    @property
    def closed(self) -> bool:
        return self._closed

    def on_about(self) -> None:
        self.show_info(f"About {APP_NAME}", self.about_text())

    def about_text(self) -> str:
        return "\n".join(
            [
                f"{APP_NAME} {self.version}",
                "Plan, bake, assemble and deliver for events.",
                "",
                f"Database: {self.database_location()}",
                f"Kind: {self.backend_name()}, schema {self.database.revision}",
                f"Chosen by: {self.settings.source}",
                f"Data folder: {self.settings.data_dir}",
                f"Log file: {self.settings.log_file}",
            ]
        )

    # --- errors and dialogs -------------------------------------------------------------------

    def report_callback_exception(
        self, exc: type[BaseException], val: BaseException, tb: TracebackType | None
    ) -> None:
        """Last resort for errors no widget expected: log the traceback, tell the user politely."""
        log.error("Unexpected error in the window", exc_info=(exc, val, tb))
        detail = str(val) or exc.__name__
        self.show_error(
            "Something went wrong",
            f"Something went wrong and the last action may not have finished.\n\n{detail}\n\n"
            f"The details were written to the log file:\n{self.settings.log_file}",
        )

    def ask_confirm(self, message: str) -> bool:
        return message_box.ask_yes_no(self, APP_NAME, message)

    def show_info(self, title: str, message: str) -> None:
        message_box.tell(self, title, message)

    def show_error(self, title: str, message: str) -> None:
        message_box.tell(self, title, message, "error")

    def ask_open_path(
        self, title: str, filetypes: FileTypes, folder: str | None = None
    ) -> str | None:
        """A file to open, the dialog starting in ``folder``, else the last folder used, else
        Documents (``folders.FileChooser``)."""
        return FileChooser(self.settings.data_dir).open_path(self, title, filetypes, folder)

    def ask_save_path(
        self,
        title: str,
        initial_name: str,
        filetypes: FileTypes,
        *,
        defaultextension: str | None = None,
        parent: tk.Misc | None = None,
    ) -> str | None:
        """Where to save ``initial_name`` (None: cancelled), asked over ``parent`` (else this
        window): the event window's Print buttons ask over the event window. A name typed
        without an extension gets ``defaultextension``, by default the first file type's."""
        extension = defaultextension if defaultextension is not None else first_extension(filetypes)
        return FileChooser(self.settings.data_dir).save_path(
            parent or self, title, initial_name, filetypes, defaultextension=extension
        )

    # --- background work ----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a background job (import, export, backup, restore…) runs."""
        return self.background.busy

    def run_in_background(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        **options: Any,
    ) -> bool:
        """Run ``fn`` (a service call) on the worker thread behind a progress dialog; the
        callbacks run on this thread. False, and nothing started, while another job runs.
        Options: ``message``, ``error_title``, ``expected`` (see ``BackgroundRunner.run``)."""
        return self.background.run(fn, on_done, on_error, **options)
