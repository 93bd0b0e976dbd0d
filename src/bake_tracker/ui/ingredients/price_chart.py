"""The price history's chart: what one recipe unit of an ingredient cost at each purchase.

Drawn on a Tk canvas with the dashboard chart's kit (``ui.production.chart``: its colours, its
round scale marks; no matplotlib). Dates run left to right in proportion to the time between
purchases; prices go up from $0, so a rise looks as big as it is. Each purchase is a dot joined by
a line, the latest dot larger, and the quantity-weighted average a dashed line; a legend above the
plot names both (with the price of the average). An ingredient never bought shows "No purchases
yet". Colours are (light, dark) pairs resolved at every
draw, so the chart follows the appearance; it redraws when its size or the scaling changes. Every
item carries a tag saying what it is ("point", "latest", "line", "average", "legend", "tick",
"date", "empty") so tests read the drawing, not pixels.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from tkinter import font as tkfont

import customtkinter as ctk

from bake_tracker.core.numbers import round_money
from bake_tracker.services.dto import PricePoint
from bake_tracker.ui import forms
from bake_tracker.ui.kit.canvas_chart import CanvasChart
from bake_tracker.ui.kit.theme import NOTICE_TEXT
from bake_tracker.ui.production.chart import COLORS as DASHBOARD_COLORS
from bake_tracker.ui.production.chart import nice_ticks

CHART_HEIGHT = 150  # at 100 % scaling
EMPTY_PRICES = "No purchases yet"
COLORS: dict[str, tuple[str, str]] = {
    "face": DASHBOARD_COLORS["face"],
    "text": DASHBOARD_COLORS["text"],
    "muted": DASHBOARD_COLORS["muted"],
    "grid": DASHBOARD_COLORS["grid"],
    "line": DASHBOARD_COLORS["actual"],
    "average": NOTICE_TEXT,
}
PAD = 10
TEXT_SIZE, SMALL_SIZE = 12, 11
DOT, LATEST_DOT = 3, 5  # radii


def price_text(value: Decimal) -> str:
    """A price or scale mark to 4 places at most, half-up: "$0.28", "$0.0043"."""
    return forms.format_unit_cost(round_money(value))


class PriceChart(CanvasChart):
    """Unit price over time for one ingredient; ``show`` redraws only when the prices, the
    average or the appearance changed."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, fg_color=COLORS["face"], corner_radius=6, padding=4, height=0)
        self.canvas.configure(height=self._apply_widget_scaling(CHART_HEIGHT))
        self.points: tuple[tuple[date, Decimal], ...] = ()  # oldest first, priced ones only
        self.average: Decimal | None = None

    # --- public -------------------------------------------------------------------------------

    def show(self, points: Sequence[PricePoint], average: Decimal | None) -> None:
        """Draw these purchases (any order) and the average line."""
        priced = tuple(
            sorted(
                ((p.purchase_date, p.unit_price) for p in points if p.unit_price is not None),
                key=lambda point: point[0],
            )
        )
        shown = (priced, average, ctk.get_appearance_mode())
        if shown == self._shown:
            return
        self._shown = shown
        self.points, self.average = priced, average
        self.draw()
        self.draw_count += 1

    def items(self, tag: str) -> tuple[int, ...]:
        """The canvas items tagged ``tag``."""
        return self.canvas.find_withtag(tag)

    def color(self, key: str) -> str:
        return self._apply_appearance_mode(COLORS[key])

    # --- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas, scale = self.canvas, self._apply_widget_scaling
        width, height = self.start_drawing(self.color("face"))
        small = self._font(SMALL_SIZE)
        if not self.points:
            canvas.create_text(
                width / 2,
                height / 2,
                text=EMPTY_PRICES,
                fill=self.color("muted"),
                font=self._font(TEXT_SIZE),
                tags=("empty",),
            )
            return
        top_price = max(price for _day, price in self.points)
        if self.average is not None:
            top_price = max(top_price, self.average)
        ticks = nice_ticks(top_price, count=3)
        pad = scale(PAD)
        line = small.metrics("linespace")
        left = pad + max(small.measure(price_text(tick)) for tick in ticks) + scale(6)
        right = width - pad - scale(LATEST_DOT)
        self._draw_legend(width - pad, pad + line / 2, small)
        top, bottom = pad + line + scale(8), height - pad - line - scale(4)

        def y_of(price: Decimal) -> float:
            return bottom - float(price / ticks[-1]) * (bottom - top)

        for tick in ticks:
            y = y_of(tick)
            canvas.create_line(left, y, right, y, fill=self.color("grid"), tags=("grid",))
            canvas.create_text(
                left - scale(6),
                y,
                text=price_text(tick),
                anchor="e",
                fill=self.color("muted"),
                font=small,
                tags=("tick",),
            )
        first, last = self.points[0][0], self.points[-1][0]
        span = (last - first).days

        def x_of(day: date) -> float:
            if span == 0:
                return (left + right) / 2
            return left + (day - first).days / span * (right - left)

        self._draw_dates(first, last, x_of, bottom + scale(4), small)
        if self.average is not None:
            y = y_of(self.average)
            canvas.create_line(
                left,
                y,
                right,
                y,
                fill=self.color("average"),
                dash=(4, 3),
                tags=("average",),
            )
        xy = [(x_of(day), y_of(price)) for day, price in self.points]
        if len(xy) > 1:
            canvas.create_line(
                *[c for point in xy for c in point],
                fill=self.color("line"),
                width=scale(2),
                tags=("line",),
            )
        for index, (x, y) in enumerate(xy):
            latest = index == len(xy) - 1
            r = scale(LATEST_DOT if latest else DOT)
            canvas.create_oval(
                x - r,
                y - r,
                x + r,
                y + r,
                fill=self.color("line"),
                outline=self.color("face"),
                tags=("point", "latest") if latest else ("point",),
            )

    def _draw_legend(self, right: float, middle: float, font: tkfont.Font) -> None:
        """ "● Unit price  - - Average $0.2559", ending at ``right`` (the average only when
        there is one)."""
        scale, canvas = self._apply_widget_scaling, self.canvas
        entries = [("Unit price", "line", None)]
        if self.average is not None:
            entries.append((f"Average {price_text(self.average)}", "average", (4, 3)))
        swatch, gap = scale(16), scale(14)
        width = sum(swatch + scale(4) + font.measure(text) for text, _k, _d in entries)
        x = right - width - gap * (len(entries) - 1)
        for text, key, dash in entries:
            if dash is None:
                r = scale(DOT)
                canvas.create_oval(
                    x + swatch / 2 - r,
                    middle - r,
                    x + swatch / 2 + r,
                    middle + r,
                    fill=self.color(key),
                    outline="",
                    tags=("legend",),
                )
            else:
                canvas.create_line(
                    x, middle, x + swatch, middle, fill=self.color(key), dash=dash, tags=("legend",)
                )
            x += swatch + scale(4)
            canvas.create_text(
                x,
                middle,
                text=text,
                anchor="w",
                fill=self.color("text"),
                font=font,
                tags=("legend", "legend_text"),
            )
            x += font.measure(text) + gap

    def _draw_dates(self, first: date, last: date, x_of, y: float, font: tkfont.Font) -> None:
        """The first and the last purchase date under the plot (one date when they agree)."""
        days = [(first, "w"), (last, "e")] if first != last else [(first, "center")]
        for day, anchor in days:
            self.canvas.create_text(
                x_of(day),
                y,
                text=forms.format_date(day),
                anchor=f"n{anchor}" if anchor != "center" else "n",
                fill=self.color("muted"),
                font=font,
                tags=("date",),
            )

    # --- fonts, sizes, appearance ------------------------------------------------------------

    def chart_height(self) -> int:
        return CHART_HEIGHT
