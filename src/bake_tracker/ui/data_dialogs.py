"""The data actions' dialogs: ``ImportModeDialog`` (Merge or Replace, each explained),
``ErrorListDialog`` (every problem an import, a restore or Check Data found, scrollable and
copyable) and ``RestoreDialog`` (the backups, newest first with their dates, or another file).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import customtkinter as ctk

from bake_tracker.core import faults
from bake_tracker.services.dto import BackupEntry, EventDTO
from bake_tracker.ui.forms import FieldError
from bake_tracker.ui.kit.buttons import ActionButton
from bake_tracker.ui.kit.dialog import FormDialog
from bake_tracker.ui.kit.scroll import AutoHideScrollbar
from bake_tracker.ui.kit.theme import ERROR_TEXT, MUTED_TEXT, TEXT
from bake_tracker.ui.kit.windows import ModalWindow

MERGE, REPLACE = "merge", "replace"
LIST_LINE_HEIGHT, LIST_MIN_HEIGHT, LIST_MAX_HEIGHT = 30, 120, 360


class ImportModeDialog(FormDialog):
    """Merge (the default) or Replace, each explained; Replace asks once more before importing."""

    ok_text = "Import"
    min_width = 520

    def __init__(
        self,
        parent: tk.Misc,
        path: Path,
        *,
        confirm_replace: Callable[[Path], bool],
        on_done: Callable[[Any], None] | None = None,
        show: bool = True,
    ) -> None:
        self.path = path
        self._confirm_replace = confirm_replace
        super().__init__(parent, title="Import Data", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(f"Import {self.path.name}", pady=(0, 8))
        self.mode = tk.StringVar(value=MERGE)
        self._choice(
            MERGE,
            "Merge into my data (recommended)",
            "Keeps everything you have and adds what is new in the file. Records you already "
            "have are skipped.",
        )
        self._choice(
            REPLACE,
            "Replace all my data",
            "Deletes everything now in bake-tracker, then loads the file. Use this to move to "
            "another computer or to go back to an export.",
        )
        self.add_wide(
            ctk.CTkLabel(
                body,
                text="Either way the file is checked first: if it has any problem, nothing is "
                "imported.",
                text_color=MUTED_TEXT,
                font=ctk.CTkFont(size=12),
                anchor="w",
                justify="left",
                wraplength=self.min_width - 44,
            ),
            pady=(10, 0),
        )

    def _choice(self, value: str, label: str, explanation: str) -> None:
        button = ctk.CTkRadioButton(self.body, text=label, variable=self.mode, value=value)
        self.add_wide(button, pady=(8, 2))
        text = ctk.CTkLabel(
            self.body,
            text=explanation,
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
            anchor="w",
            justify="left",
            wraplength=self.min_width - 80,
        )
        text.grid(row=self._next_row, column=0, columnspan=2, sticky="w", padx=(30, 0))
        self._next_row += 1

    def validate(self) -> str:
        return self.mode.get()

    def confirm(self, values: Any) -> bool:
        return values != REPLACE or self._confirm_replace(self.path)

    def apply(self, values: Any) -> str:
        return values


class ErrorListDialog(ModalWindow):
    """A modal list of problems (every one, scrollable and selectable) with Copy and Close."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        title: str,
        intro: str,
        problems: Iterable[str],
        show: bool = True,
    ) -> None:
        super().__init__(parent)
        self.problems = list(problems)
        self.title(title)
        self.minsize(480, 320)
        self.grid_columnconfigure(0, weight=1)
        self.grid_rowconfigure(2, weight=1)
        self._build_text(title, intro)
        self._build_list()
        self._build_buttons()
        self.bind("<Escape>", lambda _event: self.close())
        self.bind("<Return>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        if show:
            self._show_modal()

    def focus_first(self) -> None:
        self.close_button.focus_set()

    def _build_text(self, title: str, intro: str) -> None:
        ctk.CTkLabel(
            self,
            text=title,
            font=ctk.CTkFont(size=17, weight="bold"),
            text_color=ERROR_TEXT,
            anchor="w",
        ).grid(row=0, column=0, sticky="ew", padx=22, pady=(18, 2))
        self.intro_label = ctk.CTkLabel(
            self, text=intro, anchor="w", justify="left", wraplength=600
        )
        self.intro_label.grid(row=1, column=0, sticky="ew", padx=22, pady=(0, 10))

    def _build_list(self) -> None:
        height = min(
            LIST_MAX_HEIGHT, max(LIST_MIN_HEIGHT, 24 + LIST_LINE_HEIGHT * len(self.problems))
        )
        self.textbox = ctk.CTkTextbox(
            self, width=640, height=height, wrap="word", font=ctk.CTkFont(size=13), border_width=1
        )
        self.textbox.grid(row=2, column=0, sticky="nsew", padx=22)
        # wrapped lines hang under the text, not under the bullet; a little air between problems
        self.textbox.tag_config(
            "problem", lmargin1=4, lmargin2=22, tabs=(22,), spacing1=2, spacing3=4
        )
        lines = "\n".join(f"•\t{problem}" for problem in self.problems)
        self.textbox.insert("1.0", lines, "problem")
        self.textbox.configure(state="disabled")

    def _build_buttons(self) -> None:
        buttons = ctk.CTkFrame(self, fg_color="transparent")
        buttons.grid(row=3, column=0, sticky="ew", padx=22, pady=(12, 18))
        count = f"{len(self.problems)} problem" + ("" if len(self.problems) == 1 else "s")
        ctk.CTkLabel(buttons, text=count, text_color=MUTED_TEXT).pack(side="left")
        self.close_button = ActionButton(buttons, text="Close", width=110, command=self.close)
        self.close_button.pack(side="right")
        ctk.CTkButton(
            buttons,
            text="Copy List",
            width=110,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=self.copy,
        ).pack(side="right", padx=(0, 10))

    @property
    def text(self) -> str:
        """The list as shown, one problem a line."""
        return self.textbox.get("1.0", "end").rstrip("\n")

    def copy(self) -> None:
        """Put every problem on the clipboard, one a line."""
        self.clipboard_clear()
        self.clipboard_append("\n".join(self.problems))


class RestoreDialog(FormDialog):
    """Choose the backup to restore: the backups folder's copies, newest first, each with its
    date, who made it and its size — or any other file (Other File…). Restore asks once more
    (``confirm``) before ``on_done(path)``."""

    ok_text = "Restore"
    min_width = 780  # room for a date, a kind, a size and a dated file name on one line

    def __init__(
        self,
        parent: tk.Misc,
        backups: Sequence[BackupEntry],
        *,
        folder: str,
        choose_other: Callable[[], str | None],
        confirm: Callable[[Path], bool],
        on_done: Callable[[Any], None] | None = None,
        show: bool = True,
    ) -> None:
        self.backups = list(backups)
        self.folder = folder
        self._choose_other = choose_other
        self._confirm = confirm
        self.choices: list[ctk.CTkRadioButton] = []
        super().__init__(parent, title="Restore from Backup", show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading("Restore from Backup", pady=(0, 4))
        self.add_note(
            f"Backups in {self.folder}, newest first. Everything now in bake-tracker is replaced "
            "by the one you choose; a copy of it is saved first."
        )
        first = str(self.backups[0].path) if self.backups else ""
        self.choice = tk.StringVar(value=first)
        rows = max(1, min(len(self.backups), 8))
        self.list_frame = ctk.CTkScrollableFrame(body, height=rows * 34, fg_color="transparent")
        self.list_frame.grid_columnconfigure(0, weight=1)
        self.scrollbar = AutoHideScrollbar(self.list_frame)
        self.add_wide(self.list_frame, pady=(0, 6))
        if not self.backups:
            self.empty_label = ctk.CTkLabel(
                self.list_frame, text="No backups yet.", text_color=MUTED_TEXT, anchor="w"
            )
            self.empty_label.grid(row=0, column=0, sticky="w")
        for entry in self.backups:
            self._add_choice(str(entry.path), describe_backup(entry))
        self.other_button = ctk.CTkButton(
            body,
            text="Other File…",
            width=130,
            fg_color="transparent",
            border_width=1,
            text_color=TEXT,
            command=self.on_other,
        )
        self.other_button.grid(row=self._next_row, column=0, sticky="w", pady=(2, 0))
        self._next_row += 1

    def _add_choice(self, value: str, text: str) -> ctk.CTkRadioButton:
        button = ctk.CTkRadioButton(self.list_frame, text=text, variable=self.choice, value=value)
        button.grid(row=len(self.choices) + 1, column=0, sticky="w", pady=3)
        self.choices.append(button)
        return button

    @property
    def labels(self) -> list[str]:
        """The choices as listed, top to bottom."""
        return [str(button.cget("text")) for button in self.choices]

    def on_other(self) -> None:
        """Any other backup or export file, chosen in the file dialog, becomes the choice."""
        chosen = self._choose_other()
        if not chosen:
            return
        if chosen not in {str(button.cget("value")) for button in self.choices}:
            self._add_choice(chosen, f"{Path(chosen).name}  ·  chosen file  ·  {chosen}")
        self.choice.set(chosen)

    def validate(self) -> str:
        if not self.choice.get():
            raise FieldError("Choose a backup to restore (or Other File… for one elsewhere).")
        return self.choice.get()

    def confirm(self, values: Any) -> bool:
        return self._confirm(Path(values))

    def apply(self, values: Any) -> Path:
        return Path(values)


def describe_backup(entry: BackupEntry) -> str:
    """``Sat 5 Dec 2026, 09:12  ·  daily  ·  796 KB  ·  name.sqlite3``."""
    when = f"{entry.taken_at:%a} {entry.taken_at.day} {entry.taken_at:%b %Y, %H:%M}"
    return f"{when}  ·  {entry.kind}  ·  {faults.size_text(entry.size)}  ·  {entry.path.name}"


class EventChoiceDialog(FormDialog):
    """Pick one event (upcoming nearest first, then past ones newest first): ``on_done(event)``."""

    ok_text = "Next…"
    min_width = 480

    def __init__(
        self,
        parent: tk.Misc,
        events: Sequence[EventDTO],
        *,
        title: str,
        heading: str,
        on_done: Callable[[Any], None] | None = None,
        show: bool = True,
    ) -> None:
        self.events = list(events)
        self.heading = heading
        super().__init__(parent, title=title, show=show, on_done=on_done)

    def build(self, body: ctk.CTkFrame) -> None:
        self.add_heading(self.heading, pady=(0, 8))
        labels = [event.label for event in self.events]
        self.event_box = ctk.CTkComboBox(body, values=labels, state="readonly", width=300)
        self.event_box.set(labels[0] if labels else "")
        self.add_field("Event", self.event_box)

    def validate(self) -> EventDTO:
        chosen = self.event_box.get()
        for event in self.events:
            if event.label == chosen:
                return event
        raise FieldError("Choose an event.")

    def apply(self, values: Any) -> EventDTO:
        return values
