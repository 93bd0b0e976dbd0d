"""Where the file dialogs start: the last folder the user chose, else their Documents folder.

Open and save dialogs that start in the program's working directory make the user hunt for their
files every time. ``FileChooser`` wraps Tk's dialogs: each starts in the folder the caller names
(Restore: the backups folder), else the last folder used (remembered across runs in
``folders.json`` in the data folder), else Documents (the home folder when there is none). A
folder that no longer exists is skipped. Nothing here reads a service.
"""

from __future__ import annotations

import json
import logging
import tkinter as tk
from collections.abc import Sequence
from pathlib import Path
from tkinter import filedialog
from typing import Any

log = logging.getLogger(__name__)

FOLDERS_FILE = "folders.json"
FileTypes = Sequence[tuple[str, str]]


def first_extension(filetypes: FileTypes) -> str:
    """The extension of the first file type with one ("*.csv" → ".csv"), else "" (a name typed
    without one is saved as typed)."""
    for _label, pattern in filetypes:
        suffix = pattern.rsplit("*", 1)[-1]
        if suffix.startswith(".") and len(suffix) > 1:
            return suffix
    return ""


def documents_folder(home: Path | None = None) -> Path:
    """The user's Documents folder, or their home folder when there is none."""
    home = Path.home() if home is None else home
    documents = home / "Documents"
    return documents if documents.is_dir() else home


class FileChooser:
    """Open and save dialogs that start where the user's files are, and remember where that is."""

    def __init__(self, data_dir: Path, home: Path | None = None) -> None:
        self.file = Path(data_dir) / FOLDERS_FILE
        self.home = home

    # --- the folder -----------------------------------------------------------------------------

    def last_folder(self) -> Path | None:
        """The folder of the last file chosen, if remembered and still there."""
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8")).get("last_folder")
        except (OSError, ValueError, AttributeError):
            return None
        if isinstance(saved, str) and Path(saved).is_dir():
            return Path(saved)
        return None

    def start_folder(self, preferred: str | Path | None = None) -> Path:
        """``preferred`` when it exists, else the last folder used, else Documents."""
        if preferred is not None and Path(preferred).is_dir():
            return Path(preferred)
        return self.last_folder() or documents_folder(self.home)

    def remember(self, chosen: str | Path) -> None:
        """Remember the folder of a file the user chose (a failure to save only costs that)."""
        folder = Path(chosen).expanduser().resolve().parent
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps({"last_folder": str(folder)}), encoding="utf-8")
        except OSError as error:
            log.warning("could not remember the folder in %s: %s", self.file, error)

    # --- the dialogs ----------------------------------------------------------------------------

    def open_path(
        self, parent: tk.Misc, title: str, filetypes: FileTypes, folder: str | Path | None = None
    ) -> str | None:
        """Ask for a file to open; None when cancelled."""
        chosen = filedialog.askopenfilename(
            parent=parent,
            title=title,
            filetypes=list(filetypes),
            initialdir=str(self.start_folder(folder)),
        )
        return self._chosen(chosen)

    def save_path(
        self,
        parent: tk.Misc,
        title: str,
        initial_name: str,
        filetypes: FileTypes,
        **options: Any,
    ) -> str | None:
        """Ask where to save ``initial_name``; None when cancelled."""
        chosen = filedialog.asksaveasfilename(
            parent=parent,
            title=title,
            initialfile=initial_name,
            filetypes=list(filetypes),
            initialdir=str(self.start_folder(options.pop("folder", None))),
            **options,
        )
        return self._chosen(chosen)

    def _chosen(self, chosen: Any) -> str | None:
        if not chosen:  # cancelled: "" or an empty tuple
            return None
        self.remember(str(chosen))
        return str(chosen)
