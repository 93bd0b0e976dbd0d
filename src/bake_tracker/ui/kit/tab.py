"""``TabFrame``: the base of a working tab (and of the pages inside one).

A tab reloads in ``refresh()``; it posts to the status bar and asks and warns through the window.
"""

from __future__ import annotations

from tkinter import messagebox

import customtkinter as ctk


class TabFrame(ctk.CTkFrame):
    """Base of a working tab: ``refresh()`` reloads it; status, confirm and errors go to the window.

    The window builds a tab the first time it is shown (or asked for), and a tab reads nothing
    while it is built: the window calls ``refresh()`` whenever the tab is shown (so a tab never
    seen costs nothing at start, and a tab shown again shows current data).

    The window (``App``) offers ``set_status``, ``ask_confirm`` and ``show_error``; under another
    toplevel the tab falls back to plain message boxes.
    """

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, fg_color="transparent")
        self.description = description

    def refresh(self) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def post_status(self, text: str) -> None:
        set_status = getattr(self.winfo_toplevel(), "set_status", None)
        if set_status is not None:
            set_status(text)

    def ask_confirm(self, message: str) -> bool:
        ask = getattr(self.winfo_toplevel(), "ask_confirm", None)
        if ask is not None:
            return bool(ask(message))
        return messagebox.askyesno("Please confirm", message, parent=self)

    def show_error(self, title: str, message: str) -> None:
        show = getattr(self.winfo_toplevel(), "show_error", None)
        if show is not None:
            show(title, message)
        else:
            messagebox.showerror(title, message, parent=self)
