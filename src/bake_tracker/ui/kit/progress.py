"""Progress toward a target: how full a bar is drawn, the bar itself, and the whole percentage.

Every percentage is the services'; only the bar's fill, min(done / target, 1), is worked out here
(display only).
"""

from __future__ import annotations

import tkinter as tk
from decimal import ROUND_HALF_UP, Decimal

import customtkinter as ctk

from bake_tracker.ui.kit.theme import DONE_BAR


def whole_percent(pct: Decimal) -> int:
    """The service's percentage rounded to a whole number for display (62.5 → 63)."""
    return int(pct.quantize(Decimal(1), ROUND_HALF_UP))


def bar_fraction(done: int, target: int) -> float:
    """How full a progress bar is drawn: min(done / target, 1) (display only)."""
    return min(done / target, 1.0) if target > 0 else 0.0


def progress_bar(
    master: tk.Misc, fraction: float, *, complete: bool, width: int = 170, height: int = 12
) -> ctk.CTkProgressBar:
    """A bar filled to ``fraction``: green when complete, truly empty at 0 (CustomTkinter would
    still draw a rounded blue cap)."""
    bar = ctk.CTkProgressBar(master, width=width, height=height)
    if complete:
        bar.configure(progress_color=DONE_BAR)
    elif fraction <= 0:
        bar.configure(progress_color=bar.cget("fg_color"))
    bar.set(fraction)
    return bar
