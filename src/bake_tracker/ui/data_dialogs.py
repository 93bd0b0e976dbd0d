"""The data actions' dialogs: ``ImportModeDialog`` (Merge or Replace, each explained) and
``ErrorListDialog`` (every problem an import, a restore or Check Data found, scrollable and
copyable).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import customtkinter as ctk

from bake_tracker.ui.kit.buttons import ActionButton
from bake_tracker.ui.kit.dialog import FormDialog
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
