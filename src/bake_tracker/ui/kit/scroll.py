"""``AutoHideScrollbar``: a ``CTkScrollableFrame``'s scrollbar drawn only while it is needed."""

from __future__ import annotations

import tkinter as tk

import customtkinter as ctk


class AutoHideScrollbar:
    """Draws a ``CTkScrollableFrame``'s scrollbar only while its content is taller than the view
    (CustomTkinter always draws it); the hidden bar takes the background's colour."""

    def __init__(self, frame: ctk.CTkScrollableFrame) -> None:
        self.frame = frame
        theme = ctk.ThemeManager.theme["CTkScrollbar"]
        self.shown_colors = (theme["button_color"], theme["button_hover_color"])
        self.needed = True
        frame.bind("<Configure>", self.sync, add="+")
        frame.master.bind("<Configure>", self.sync, add="+")  # the canvas that shows it

    def sync(self, _event: tk.Event | None = None) -> None:
        needed = self.frame.winfo_reqheight() > self.frame.master.winfo_height() + 1
        if needed == self.needed:
            return
        self.needed = needed
        background = self.frame.cget("bg_color")
        button, hover = self.shown_colors if needed else (background, background)
        self.frame.configure(scrollbar_button_color=button, scrollbar_button_hover_color=hover)
