"""The overview's chart: planned vs actual cost per recipe and batches produced of each target.

Two horizontal bar charts drawn on one Tk canvas (no matplotlib: 160 MiB and 2.4 s for two bar
charts, see ``kitty-specs/013-ship-it/dependencies.md``). Each panel has a title, a legend on
the title's line when both fit and on the line below when not (so they never overlap), a recipe
name per row, bars with their value at the end, and a scale along the bottom. Colours are (light,
dark) pairs like the rest of the theme, resolved at every draw, so the chart follows the
appearance; it redraws when its width changes. Every canvas item carries tags saying what it is
("bar", "cost", "planned", "title", "legend", ...) so tests read the drawing, not pixels.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from tkinter import font as tkfont

import customtkinter as ctk

from bake_tracker.services.dto import RecipeCost
from bake_tracker.ui import forms
from bake_tracker.ui.kit.canvas_chart import CanvasChart
from bake_tracker.ui.kit.theme import MUTED_TEXT, TABLE_BACKGROUND, TEXT
from bake_tracker.ui.production.wording import short_name

CHART_MIN_HEIGHT, CHART_MAX_HEIGHT = 200, 340
EMPTY_CHART = (
    "No production targets yet: set them on the event's Targets tab\n"
    "to compare planned and actual cost here."
)
COLORS: dict[str, tuple[str, str]] = {
    # light, dark
    "face": TABLE_BACKGROUND,
    "text": TEXT,
    "muted": MUTED_TEXT,
    "grid": ("#E6E9ED", "#3A3F44"),
    "planned": ("#B8C7D6", "#5A6B7C"),
    "actual": ("#3B8ED0", "#3B8ED0"),
    "over": ("#E57373", "#E57373"),
    "track": ("#D9DEE4", "#454B52"),
    "done": ("#43A047", "#43A047"),
    "progress": ("#3B8ED0", "#3B8ED0"),
}
PAD, GAP = 12, 28  # around the drawing; between the two panels
TITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 14, 12, 11
SWATCH = 10  # a legend square


def chart_height(recipes: int) -> int:
    """Pixels (at 100 %) for the chart: titles and scale plus a slot per recipe, within bounds."""
    return max(CHART_MIN_HEIGHT, min(CHART_MAX_HEIGHT, 100 + 40 * recipes))


def nice_ticks(
    maximum: Decimal, count: int = 5, *, least_step: Decimal | None = None
) -> list[Decimal]:
    """Round scale marks from 0 past ``maximum``: steps of 1, 2, 2.5 or 5 × 10ⁿ, at most
    ``count`` + 1 marks (0 → [0, 1]), and never closer than ``least_step`` (a scale of batches
    counts in whole ones: 0, 1, 2, not 0, 0.5, 1, 1.5, 2)."""
    if maximum <= 0:
        return [Decimal(0), Decimal(1)]
    raw = maximum / count
    power = Decimal(10) ** (raw.adjusted())
    step = next(
        power * factor
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if power * factor >= raw
    )
    if least_step is not None:
        step = max(step, least_step)
    marks = [Decimal(0)]
    while marks[-1] < maximum:
        marks.append(marks[-1] + step)
    return marks


def money_tick(value: Decimal) -> str:
    """A scale mark in dollars: "$12", "$2.50"."""
    return f"${value:,.0f}" if value == value.to_integral() else forms.format_money(value)


@dataclass(frozen=True)
class Row:
    """One recipe's bars in one panel: (value, colour key, tags) from the back to the front."""

    name: str
    bars: tuple[tuple[Decimal, str, str], ...]
    label: str  # at the end of the longest bar
    thin: bool  # two bars side by side (cost) rather than one over the other (progress)


@dataclass(frozen=True)
class Panel:
    title: str
    kind: str  # "cost" or "progress": a tag on everything in the panel
    legend: tuple[tuple[str, str], ...]  # (text, colour key)
    rows: tuple[Row, ...]
    tick_text: Callable[[Decimal], str]
    least_step: Decimal | None = None  # the scale's marks never closer (``nice_ticks``)


class DashboardChart(CanvasChart):
    """Cost per recipe (planned and actual bars) and batches produced of target, on a canvas;
    ``show`` redraws only when the figures or the appearance changed."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(
            master, fg_color=TABLE_BACKGROUND, corner_radius=8, padding=8, height=chart_height(0)
        )
        self.costs: tuple[RecipeCost, ...] = ()

    # --- public -------------------------------------------------------------------------------

    def show(self, costs: Sequence[RecipeCost]) -> None:
        """Draw these recipes (the same figures in the same appearance keep the drawing)."""
        shown = (tuple(costs), ctk.get_appearance_mode())
        if shown == self._shown:
            return
        self._shown = shown
        self.costs = tuple(costs)
        height = self._apply_widget_scaling(chart_height(len(costs)))
        self.canvas.configure(height=height)
        self.draw_when_shown()
        self.draw_count += 1

    def bar_count(self) -> int:
        """How many bars are drawn across both panels."""
        return len(self.canvas.find_withtag("bar"))

    def color(self, key: str) -> str:
        """A chart colour in the current appearance."""
        return self._apply_appearance_mode(COLORS[key])

    # --- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        """Clear the canvas and draw both panels at its current size."""
        canvas = self.canvas
        width, height = self.start_drawing(self.color("face"))
        if not self.costs:
            canvas.create_text(
                width / 2,
                height / 2,
                text=EMPTY_CHART,
                fill=self.color("muted"),
                font=self._font(TEXT_SIZE),
                justify="center",
                width=max(width - 2 * PAD, 50),
                tags=("empty",),
            )
            return
        pad, gap = self._apply_widget_scaling(PAD), self._apply_widget_scaling(GAP)
        panel_width = (width - 2 * pad - gap) / 2
        panels = (self._cost_panel(), self._progress_panel())
        # Both legends beside their titles, or both below: the two plots stay level.
        beside = all(self._legend_fits_beside(panel, panel_width) for panel in panels)
        left = pad
        for panel in panels:
            self._draw_panel(panel, left, pad, panel_width, height - 2 * pad, beside=beside)
            left += panel_width + gap

    def _cost_panel(self) -> Panel:
        legend = [("Planned", "planned"), ("Actual", "actual")]
        if any(cost.variance > 0 for cost in self.costs):
            legend.append(("Over plan", "over"))
        rows = tuple(
            Row(
                cost.recipe_name,
                (
                    (cost.planned_cost, "planned", "planned"),
                    (cost.actual_cost, "over" if cost.variance > 0 else "actual", "actual"),
                ),
                forms.format_money(cost.actual_cost),
                thin=True,
            )
            for cost in self.costs
        )
        return Panel("Cost per recipe", "cost", tuple(legend), rows, money_tick)

    def _progress_panel(self) -> Panel:
        rows = tuple(
            Row(
                cost.recipe_name,
                (
                    (Decimal(cost.batches_required), "track", "target"),
                    (
                        Decimal(cost.batches_produced),
                        "done" if cost.batches_produced >= cost.batches_required else "progress",
                        "produced",
                    ),
                ),
                f"{cost.batches_produced}/{cost.batches_required}",
                thin=False,
            )
            for cost in self.costs
        )
        legend = (("Target", "track"), ("Produced", "progress"), ("Met", "done"))
        return Panel(
            "Batches produced of target",
            "progress",
            legend,
            rows,
            lambda v: f"{v:,.0f}",  # whole batches: the scale's marks are at least 1 apart
            least_step=Decimal(1),
        )

    def _legend_fits_beside(self, panel: Panel, width: float) -> bool:
        """Whether the title, a gap and the legend fit on one line ``width`` wide."""
        title = self._font(TITLE_SIZE, "bold").measure(panel.title)
        legend = self._legend_width(panel, self._font(SMALL_SIZE))
        return title + self._apply_widget_scaling(16) + legend <= width

    def _draw_panel(
        self, panel: Panel, x: float, y: float, width: float, height: float, *, beside: bool
    ) -> None:
        canvas, scale = self.canvas, self._apply_widget_scaling
        title_font, text_font, small_font = (
            self._font(TITLE_SIZE, "bold"),
            self._font(TEXT_SIZE),
            self._font(SMALL_SIZE),
        )
        line = title_font.metrics("linespace")
        canvas.create_text(
            x,
            y,
            text=panel.title,
            anchor="nw",
            fill=self.color("text"),
            font=title_font,
            tags=("title", panel.kind),
        )
        # The legend shares the title's line when both fit, else takes the next one.
        legend_width = self._legend_width(panel, small_font)
        legend_y = y + line / 2 if beside else y + line + small_font.metrics("linespace") / 2
        self._draw_legend(panel, max(x, x + width - legend_width), legend_y, small_font)
        top = y + line + scale(8) + (0 if beside else small_font.metrics("linespace") + scale(4))
        axis = small_font.metrics("linespace") + scale(6)
        names = [short_name(row.name) for row in panel.rows]
        name_width = min(max(text_font.measure(name) for name in names), width * 0.38)
        plot_left = x + name_width + scale(10)
        label_room = max(small_font.measure(row.label) for row in panel.rows) + scale(8)
        plot_width = max(width - (plot_left - x) - label_room, scale(20))
        plot_bottom = y + height - axis
        maximum = max(value for row in panel.rows for value, _key, _tag in row.bars)
        ticks = nice_ticks(maximum, least_step=panel.least_step)
        top_value = ticks[-1]

        def at(value: Decimal) -> float:
            return plot_left + float(value / top_value) * plot_width

        for tick in ticks:
            canvas.create_line(
                at(tick), top, at(tick), plot_bottom, fill=self.color("grid"), tags=("grid",)
            )
            canvas.create_text(
                at(tick),
                plot_bottom + scale(4),
                text=panel.tick_text(tick),
                anchor="n",
                fill=self.color("muted"),
                font=small_font,
                tags=("tick", panel.kind),
            )
        slot = (plot_bottom - top) / len(panel.rows)
        for index, (row, name) in enumerate(zip(panel.rows, names, strict=True)):
            middle = top + slot * (index + 0.5)
            canvas.create_text(
                plot_left - scale(8),
                middle,
                text=self._fit(name, text_font, name_width),
                anchor="e",
                fill=self.color("text"),
                font=text_font,
                tags=("name", panel.kind),
            )
            self._draw_bars(row, middle, min(slot * 0.7, scale(26)), at, panel.kind)
            end = max(at(value) for value, _key, _tag in row.bars)
            canvas.create_text(
                end + scale(4),
                middle + (min(slot * 0.7, scale(26)) / 4 if row.thin else 0),
                text=row.label,
                anchor="w",
                fill=self.color("muted" if row.thin else "text"),
                font=small_font,
                tags=("value", panel.kind),
            )

    def _draw_bars(
        self, row: Row, middle: float, thickness: float, at: Callable[[Decimal], float], kind: str
    ) -> None:
        """Cost: planned above actual, each half the thickness; progress: produced over target."""
        for index, (value, key, tag) in enumerate(row.bars):
            if row.thin:
                half = thickness / 2
                y0 = middle - half + index * half
                y1 = y0 + half - 1
            else:
                y0, y1 = middle - thickness / 2, middle + thickness / 2
            self.canvas.create_rectangle(
                at(Decimal(0)),
                y0,
                at(value),
                y1,
                fill=self.color(key),
                width=0,
                tags=("bar", kind, tag),
            )

    def _legend_width(self, panel: Panel, font: tkfont.Font) -> float:
        scale = self._apply_widget_scaling
        return sum(
            scale(SWATCH + 4) + font.measure(text) + scale(12) for text, _key in panel.legend
        ) - scale(12)

    def _draw_legend(self, panel: Panel, x: float, middle: float, font: tkfont.Font) -> None:
        scale = self._apply_widget_scaling
        half = scale(SWATCH) / 2
        for text, key in panel.legend:
            self.canvas.create_rectangle(
                x,
                middle - half,
                x + 2 * half,
                middle + half,
                fill=self.color(key),
                width=0,
                tags=("swatch", panel.kind),
            )
            x += scale(SWATCH + 4)
            self.canvas.create_text(
                x,
                middle,
                text=text,
                anchor="w",
                fill=self.color("text"),
                font=font,
                tags=("legend", panel.kind),
            )
            x += font.measure(text) + scale(12)

    # --- fonts, sizes, appearance ------------------------------------------------------------

    def chart_height(self) -> int:
        return chart_height(len(self.costs))

    @staticmethod
    def _fit(text: str, font: tkfont.Font, width: float) -> str:
        """``text``, shortened with "…" until it fits ``width``."""
        if font.measure(text) <= width:
            return text
        while len(text) > 1 and font.measure(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"
