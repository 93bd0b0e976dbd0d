"""``PlanningPanel``: the base of each tab of the Event Detail window."""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

import customtkinter as ctk

from bake_tracker.ui.kit.buttons import ActionButton

if TYPE_CHECKING:
    from bake_tracker.ui.events.detail import EventDetailWindow


class PlanningPanel(ctk.CTkFrame):
    """A tab of the Event Detail window: ``refresh()`` reloads it from the services; it asks,
    warns and reports through its ``window`` (whose dialog methods tests replace)."""

    def __init__(self, master: tk.Misc, window: EventDetailWindow) -> None:
        super().__init__(master, fg_color="transparent")
        self.window = window

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def print_button(self, master: tk.Misc, kind: str, text: str, width: int = 150) -> ActionButton:
        """A button opening the Print dialog on this event with the document ``kind`` chosen."""
        return ActionButton(
            master, text=text, width=width, command=lambda: self.window.print_document(kind)
        )
