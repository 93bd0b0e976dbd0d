"""The whole text of a table cell that its column cuts off, shown beside the pointer.

A ``ttk.Treeview`` cuts a cell's text at its column's edge without any mark, so on a laptop
screen a long recipe or supplier name loses its end. Resting the pointer on such a cell for a
moment shows its whole text in a small box under the pointer; a cell that fits shows nothing,
and moving on, clicking, scrolling or leaving the table hides the box.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

import customtkinter as ctk

from bake_tracker.ui.kit.theme import TEXT, mode_index

DELAY_MS = 450  # long enough not to flash while the pointer crosses the table
LONGEST_SHOWN = 400  # characters: a name longer than this is shown up to here, then "…"
TIP_BACKGROUND = ("#FFFDE7", "gray25")
TIP_BORDER = ("gray55", "gray45")


class CellTip:
    """Shows a clipped cell's whole text for ``tree``; ``font`` gives the cells' font and
    ``padding`` the pixels a cell loses to its margins (both follow the table's scaling)."""

    def __init__(self, tree: ttk.Treeview, font: Callable[[], str], padding: int) -> None:
        self.tree = tree
        self._font = font
        self._padding = padding
        self._cell: tuple[str, str] | None = None  # (row iid, column key) under the pointer
        self._job: str | None = None
        self._window: tk.Toplevel | None = None
        self._text = ""
        tree.bind("<Motion>", self._on_motion, add="+")
        for sequence in ("<Leave>", "<ButtonPress>", "<MouseWheel>", "<KeyPress>", "<Unmap>"):
            tree.bind(sequence, self.hide, add="+")

    def shown_text(self) -> str | None:
        """The text the box shows, or None when none is shown (for tests)."""
        return self._text if self._window is not None else None

    def _on_motion(self, event: tk.Event) -> None:
        cell = self._cell_at(event.x, event.y)
        if cell == self._cell:
            return
        self.hide()
        self._cell = cell
        if cell is not None and self._clipped(*cell):
            self._job = self.tree.after(DELAY_MS, self._show, event.x_root, event.y_root)

    def _cell_at(self, x: int, y: int) -> tuple[str, str] | None:
        if self.tree.identify_region(x, y) != "cell":
            return None
        row, column = self.tree.identify_row(y), self.tree.identify_column(x)
        shown = self.tree["displaycolumns"]
        keys = self.tree["columns"] if shown in ("#all", ("#all",)) else shown
        index = int(column.lstrip("#") or 0) - 1
        if not row or not 0 <= index < len(keys):
            return None
        return row, str(keys[index])

    def _clipped(self, row: str, key: str) -> bool:
        text = str(self.tree.set(row, key))
        if not text:
            return False
        try:
            needed = int(self.tree.tk.call("font", "measure", self._font(), text))
        except tk.TclError:
            return False
        return needed + self._padding > int(self.tree.column(key, "width"))

    def _show(self, x_root: int, y_root: int) -> None:
        self._job = None
        if self._cell is None or not self.tree.winfo_ismapped():
            return
        text = str(self.tree.set(*self._cell))
        if len(text) > LONGEST_SHOWN:
            text = text[:LONGEST_SHOWN] + "…"
        mode = mode_index(ctk.get_appearance_mode())
        window = tk.Toplevel(self.tree)
        window.withdraw()
        window.overrideredirect(True)
        window.configure(background=TIP_BORDER[mode])
        label = tk.Label(
            window,
            text=text,
            font=self._font(),
            background=TIP_BACKGROUND[mode],
            foreground=TEXT[mode],
            justify="left",
            wraplength=max(200, self.tree.winfo_screenwidth() // 3),
            padx=6,
            pady=3,
        )
        label.pack(padx=1, pady=1)
        window.update_idletasks()
        # below and right of the pointer, kept on the screen
        width, height = window.winfo_reqwidth(), window.winfo_reqheight()
        x = min(x_root + 12, self.tree.winfo_screenwidth() - width - 4)
        y = y_root + 20
        if y + height > self.tree.winfo_screenheight():
            y = y_root - height - 8
        window.geometry(f"+{max(0, x)}+{max(0, y)}")
        window.deiconify()
        window.lift()
        self._window, self._text = window, text

    def hide(self, _event: tk.Event | None = None) -> None:
        """Close the box (and forget a box about to open)."""
        if self._job is not None:
            self.tree.after_cancel(self._job)
            self._job = None
        if self._window is not None:
            self._window.destroy()
            self._window = None
        if _event is not None:
            self._cell = None
