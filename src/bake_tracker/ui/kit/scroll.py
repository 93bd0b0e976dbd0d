"""Scrollable areas: ``ScrollFrame`` (a ``CTkScrollableFrame`` the mouse wheel scrolls on every
platform), the wheel routing behind it, and ``AutoHideScrollbar`` (its bar drawn only while
needed).

The wheel: Windows and macOS send ``<MouseWheel>`` with a delta (±120 a notch on Windows, small
steps on macOS trackpads); X11 with Tk 8.6 sends ``<Button-4>`` / ``<Button-5>``, which
CustomTkinter ignores. One handler per window (bound to "all") takes every wheel event, walks up
from the widget under the pointer and scrolls the first area that can scroll: a table or text box
scrolls itself (its own class binding), else the nearest ``ScrollFrame``. So a wheel over a card,
a label or a table with nothing to scroll scrolls the page it is on, and never two things at once.
"""

from __future__ import annotations

import sys
import tkinter as tk
from tkinter import ttk

import customtkinter as ctk

WHEEL_EVENTS = ("<MouseWheel>", "<Button-4>", "<Button-5>")
SCROLL_INCREMENT = 4  # pixels per scroll unit of a ScrollFrame's canvas
NOTCH_UNITS = 12  # units (48 px) per wheel notch
# widgets that scroll themselves with the wheel (ttk and Tk class bindings)
SELF_SCROLLING = (ttk.Treeview, tk.Text, tk.Listbox)


def wheel_units(event: tk.Event, platform: str = sys.platform) -> int:
    """Scroll units for a wheel event: positive scrolls down, 0 for none."""
    if getattr(event, "num", None) == 4:
        return -NOTCH_UNITS
    if getattr(event, "num", None) == 5:
        return NOTCH_UNITS
    delta = int(getattr(event, "delta", 0) or 0)
    if delta == 0:
        return 0
    if platform == "darwin":  # small deltas, many events: a trackpad
        return -delta * 2
    steps = -delta * NOTCH_UNITS // 120
    return steps if steps else (-1 if delta > 0 else 1)  # a high-resolution wheel's small delta


def can_scroll(widget: tk.Misc) -> bool:
    """Whether ``widget`` has content out of view vertically."""
    try:
        first, last = (float(v) for v in widget.yview())  # type: ignore[attr-defined]
    except (AttributeError, tk.TclError, ValueError):
        return False
    return first > 0.0 or last < 1.0


def scroll_target(widget: tk.Misc | None) -> tk.Misc | None:
    """What a wheel over ``widget`` scrolls: the first area up from it that can scroll (a table
    or text scrolling itself, or a ``ScrollFrame``'s canvas); None when nothing can."""
    while widget is not None:
        if isinstance(widget, SELF_SCROLLING) and can_scroll(widget):
            return widget
        if getattr(widget, "_wheel_scrolls", False) and can_scroll(widget):
            return widget
        widget = widget.master
    return None


def _on_wheel(event: tk.Event) -> str | None:
    widget = event.widget
    if isinstance(widget, str):  # a Tk-internal path (menus): nothing of ours
        return None
    target = scroll_target(widget)
    if target is None or isinstance(target, SELF_SCROLLING):
        return None  # nothing to scroll here, or the table does it (its class binding ran)
    units = wheel_units(event)
    if units:
        target.yview_scroll(units, "units")  # type: ignore[attr-defined]
    return "break"


def route_wheel(widget: tk.Misc) -> None:
    """Install the wheel handler for ``widget``'s Tk root (once)."""
    root = widget._root()
    if getattr(root, "_wheel_routed", False):
        return
    root._wheel_routed = True  # type: ignore[attr-defined]
    for sequence in WHEEL_EVENTS:
        root.bind_all(sequence, _on_wheel, add="+")


class ScrollFrame(ctk.CTkScrollableFrame):
    """A ``CTkScrollableFrame`` scrolled by the wheel over anything inside it, on every platform
    (CustomTkinter's own handler, which misses X11's buttons 4 and 5, is switched off).

    ``fill_height=True``: the content is at least as tall as the view, so rows given a grid
    weight share a tall window's room, and it scrolls once the window is shorter than the
    content needs (call ``fit_height`` after changing the content).
    """

    def __init__(self, master, *, fill_height: bool = False, **options) -> None:
        super().__init__(master, **options)
        canvas = self._parent_canvas
        canvas.configure(yscrollincrement=SCROLL_INCREMENT)
        canvas._wheel_scrolls = True  # type: ignore[attr-defined]
        route_wheel(self)
        self.fill_height = fill_height
        if fill_height:
            canvas.bind("<Configure>", self.fit_height, add="+")

    def fit_height(self, _event: tk.Event | None = None) -> None:
        """Make the content the view's height, or its own when that is more (then it scrolls)."""
        if not self.fill_height:
            return
        canvas = self._parent_canvas
        height = max(self.winfo_reqheight(), canvas.winfo_height())
        canvas.itemconfigure(self._create_window_id, height=height)
        canvas.configure(scrollregion=(0, 0, canvas.winfo_width(), height))

    def _mouse_wheel_all(self, event: tk.Event) -> None:
        """CustomTkinter's wheel handler: ``route_wheel``'s does the scrolling instead."""

    @property
    def canvas(self) -> tk.Canvas:
        """The canvas that shows the frame (its ``yview`` is the scroll position)."""
        return self._parent_canvas

    def see(self, child: tk.Misc) -> None:
        """Scroll the least that brings ``child`` (a widget placed in this frame) into view."""
        self.update_idletasks()
        total = max(self.winfo_height(), 1)
        first, last = self._parent_canvas.yview()
        view_top, view_bottom = first * total, last * total
        top, bottom = child.winfo_y(), child.winfo_y() + child.winfo_height()
        if top < view_top:
            self._parent_canvas.yview_moveto(top / total)
        elif bottom > view_bottom:
            self._parent_canvas.yview_moveto((bottom - (view_bottom - view_top)) / total)


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
