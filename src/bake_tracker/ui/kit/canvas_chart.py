"""``CanvasChart``: the frame every chart of the app is drawn in (a Tk canvas on a CustomTkinter
frame), and what all of them need besides their drawing.

It keeps fonts in the theme's family at the widget scaling (as CustomTkinter's own widgets scale
theirs), redraws when the canvas is resized, when the appearance changes (the colours are light
and dark pairs) and when the scaling changes (fonts and height follow it), and draws figures
given while it is hidden once it is shown (``draw_when_shown``). A chart implements
``draw`` (starting with ``start_drawing``) and ``chart_height``, and sets ``_shown`` to what it
shows (None until then: nothing to redraw).
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from typing import Any

import customtkinter as ctk


class CanvasChart(ctk.CTkFrame):
    """A chart on a canvas that follows resizing, appearance and scaling."""

    def __init__(
        self, master: tk.Misc, *, fg_color: Any, corner_radius: int, padding: int, height: int
    ) -> None:
        super().__init__(master, fg_color=fg_color, corner_radius=corner_radius)
        self.canvas = tk.Canvas(self, highlightthickness=0, bd=0, height=height)
        self.canvas.pack(fill="both", expand=True, padx=padding, pady=padding)
        self.canvas.bind("<Configure>", self._on_resize)
        self.canvas.bind("<Map>", self._on_resize)  # a drawing put off while hidden
        self.draw_count = 0  # drawings for new figures (tests: an unchanged refresh draws none)
        self._shown: tuple[Any, ...] | None = None
        self._drawn_size = (0, 0)
        self._fonts: dict[tuple[int, str], tkfont.Font] = {}

    # --- what a chart implements ---------------------------------------------------------------

    def draw(self) -> None:
        """Clear the canvas and draw the chart at its current size."""
        raise NotImplementedError

    def chart_height(self) -> int:
        """The canvas height for what is shown, in pixels at 100 % scaling."""
        raise NotImplementedError

    # --- shared -----------------------------------------------------------------------------------

    def texts(self, tag: str) -> list[str]:
        """The text of every text item tagged ``tag``, in drawing order."""
        return [self.canvas.itemcget(item, "text") for item in self.canvas.find_withtag(tag)]

    def start_drawing(self, face: str) -> tuple[int, int]:
        """Clear the canvas, paint it ``face`` and note its size; (width, height) to draw in."""
        canvas = self.canvas
        canvas.delete("all")
        canvas.configure(bg=face)
        self._drawn_size = (canvas.winfo_width(), canvas.winfo_height())
        return max(canvas.winfo_width(), 1), max(canvas.winfo_height(), int(canvas.cget("height")))

    def _font(self, size: int, weight: str = "normal") -> tkfont.Font:
        """The theme's family at ``size`` points × the widget scaling."""
        pixels = -round(self._apply_widget_scaling(size))
        key = (pixels, weight)
        if key not in self._fonts:
            family = ctk.ThemeManager.theme["CTkFont"]["family"]
            self._fonts[key] = tkfont.Font(
                root=self.canvas, family=family, size=pixels, weight=weight
            )
        return self._fonts[key]

    def draw_when_shown(self) -> None:
        """Draw now when the canvas is on the screen, else once it is shown at its laid-out size
        (a chart built with its window was drawn at 1x1 first and then again when laid out)."""
        if self.canvas.winfo_ismapped():
            self.draw()
        else:
            self._drawn_size = (0, 0)  # so the <Map> or <Configure> that shows it draws it

    def _on_resize(self, _event: tk.Event) -> None:
        size = (self.canvas.winfo_width(), self.canvas.winfo_height())
        if self._shown is not None and size != self._drawn_size:
            self.draw()

    def _set_appearance_mode(self, mode_string: str) -> None:
        super()._set_appearance_mode(mode_string)
        if getattr(self, "_shown", None) is not None:  # None also while being built
            self.draw()

    def _set_scaling(self, *args: Any, **kwargs: Any) -> None:
        super()._set_scaling(*args, **kwargs)
        if getattr(self, "_shown", None) is not None:
            self._fonts.clear()
            self.canvas.configure(height=self._apply_widget_scaling(self.chart_height()))
            self.draw()
