"""``TabFrame``: the base of a working tab (and of the pages inside one).

A tab reloads in ``refresh()``; it posts to the status bar and asks and warns through the main
window (``shell.main_window``).
"""

from __future__ import annotations

import customtkinter as ctk

from bake_tracker.ui.shell import main_window


class TabFrame(ctk.CTkFrame):
    """Base of a working tab: ``refresh()`` reloads it; status, confirm and errors go to the window.

    The window builds a tab the first time it is shown (or asked for), and a tab reads nothing
    while it is built: the window calls ``refresh()`` whenever the tab is shown (so a tab never
    seen costs nothing at start, and a tab shown again shows current data).

    Status, questions and errors go to the main window (``MainWindow.set_status``,
    ``ask_confirm``, ``show_error``).
    """

    def __init__(self, master, description: str = "") -> None:
        super().__init__(master, fg_color="transparent")
        self.description = description

    def refresh(self) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError

    def post_status(self, text: str) -> None:
        main_window(self).set_status(text)

    def ask_confirm(self, message: str) -> bool:
        return bool(main_window(self).ask_confirm(message))

    def show_error(self, title: str, message: str) -> None:
        main_window(self).show_error(title, message)
