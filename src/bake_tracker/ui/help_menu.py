"""The Help menu: User guide, Keyboard shortcuts, the data, backups and log folders, About.

``HelpMenu`` fills the App's Help menu. Files and folders are handed to the system through
``opener.open_path`` (looked up at call time, so tests replace that one function); a folder that
does not exist yet is made first, and a failure is a message, never a traceback.
"""

from __future__ import annotations

import tkinter as tk
from pathlib import Path
from typing import TYPE_CHECKING

from bake_tracker.ui import guide, opener

if TYPE_CHECKING:
    from bake_tracker.ui.app import App

GUIDE_LABEL = "User guide"
SHORTCUTS_LABEL = "Keyboard shortcuts…"
DATA_FOLDER_LABEL = "Open data folder"
BACKUPS_FOLDER_LABEL = "Open backups folder"
LOG_LABEL = "Open log"
ABOUT_LABEL = "About…"

# What the keys do, as the window binds them (Ctrl is Cmd on a Mac; see ui/desktop.py).
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+1 … Ctrl+9", "show the tabs in menu order (1 = Production … 9 = Pantry)"),
    ("Ctrl+I", "import a JSON file"),
    ("Ctrl+E", "export everything to a JSON file"),
    ("Ctrl+B", "back up the database now"),
    ("Ctrl+P", "print a list or gift tags (saved as a PDF, then opened)"),
    ("Ctrl+Q", "exit"),
    ("Tab / Shift+Tab", "move between fields and buttons (a tab bar is one stop)"),
    ("Left / Right on a tab bar", "show the previous / next tab"),
    ("Enter", "open the selected row; OK in a form"),
    ("Escape", "cancel a form or close a details window"),
)


def shortcuts_text(mac: bool = False) -> str:
    """One line per shortcut; on a Mac the Ctrl keys are written Cmd."""
    lines = []
    for keys, what in SHORTCUTS:
        lines.append(f"{keys.replace('Ctrl+', 'Cmd+') if mac else keys}    {what}")
    return "\n".join(lines)


class HelpMenu:
    """The Help menu's entries and what they do, for one ``App``."""

    def __init__(self, app: App) -> None:
        self.app = app

    def add_entries(self, menu: tk.Menu) -> None:
        menu.add_command(label=GUIDE_LABEL, command=self.on_user_guide)
        menu.add_command(label=SHORTCUTS_LABEL, command=self.on_shortcuts)
        menu.add_separator()
        menu.add_command(label=DATA_FOLDER_LABEL, command=self.on_data_folder)
        menu.add_command(label=BACKUPS_FOLDER_LABEL, command=self.on_backups_folder)
        menu.add_command(label=LOG_LABEL, command=self.on_log)
        menu.add_separator()
        menu.add_command(label=ABOUT_LABEL, command=self.app.on_about)

    def on_user_guide(self) -> None:
        try:
            page = guide.write_guide_page()
        except OSError as exc:
            self.app.show_error("User guide", f"The user guide could not be written:\n{exc}")
            return
        self._open(page, "the user guide")

    def on_shortcuts(self) -> None:
        mac = str(self.app.tk.call("tk", "windowingsystem")) == "aqua"
        self.app.show_info("Keyboard shortcuts", shortcuts_text(mac))

    def on_data_folder(self) -> None:
        self._open_folder(self.app.settings.data_dir, "the data folder")

    def on_backups_folder(self) -> None:
        self._open_folder(self.backups_folder(), "the backups folder")

    def on_log(self) -> None:
        log_file = self.app.settings.log_file
        if not log_file.exists():
            self.app.show_info("Log", f"Nothing has been logged yet.\nThe log will be:\n{log_file}")
            return
        self._open(log_file, "the log")

    def backups_folder(self) -> Path:
        """Where backups are written (as ``backup_service`` does): ``backups/`` beside the SQLite
        file, or in the data folder for a database on a server (its JSON backups)."""
        path = self.app.database.path
        base = self.app.settings.data_dir if path is None else Path(path).parent
        return base / "backups"

    def _open_folder(self, folder: Path, what: str) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.app.show_error("Cannot open folder", f"{folder} could not be made:\n{exc}")
            return
        self._open(folder, what)

    def _open(self, target: Path, what: str) -> None:
        try:
            opener.open_path(target)
        except OSError as exc:
            self.app.show_error(
                "Cannot open", f"The system could not open {what}:\n{target}\n\n{exc}"
            )
        else:
            self.app.set_status(f"Opened {what}: {target}")
