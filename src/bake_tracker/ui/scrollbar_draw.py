"""CustomTkinter's scrollbar drawn without flushing the whole window's pending work.

``CTkScrollbar._draw`` ends with ``update_idletasks()``: every ``set()`` (a table or scrollable
frame reporting its view, many times while a window is laid out) and every configure then runs
all the window's pending geometry and redraws at once, before the widgets being built are
complete, so the first layout is computed several times over (measured on the sample season's
start: ~40 ms of CPU). Tk redraws a changed canvas when idle anyway, so the bar looks the same.
``draw_scrollbars_when_idle`` (called once, when the UI package imports CustomTkinter) skips that
one flush; everything else the scrollbar draws is unchanged.
"""

from __future__ import annotations

import customtkinter as ctk


def _no_flush() -> None:
    """Stands in for the scrollbar canvas's ``update_idletasks`` during its own redraw."""


def draw_scrollbars_when_idle() -> None:
    """Make ``CTkScrollbar._draw`` leave the pending layout to the event loop (once)."""
    original = ctk.CTkScrollbar._draw
    if getattr(original, "skips_flush", False):
        return

    def _draw(self: ctk.CTkScrollbar, no_color_updates: bool = False) -> None:
        canvas = self._canvas
        canvas.update_idletasks = _no_flush  # the instance attribute hides Tk's method...
        try:
            original(self, no_color_updates)
        finally:
            del canvas.update_idletasks  # ...only for this redraw

    _draw.skips_flush = True  # type: ignore[attr-defined]
    ctk.CTkScrollbar._draw = _draw  # type: ignore[method-assign]
