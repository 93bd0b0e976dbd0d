"""The overview's chart: planned vs actual cost per recipe and batches produced of each target.

A matplotlib ``Figure`` (not pyplot, so no global figure registry) embedded with
``FigureCanvasTkAgg``; each redraw clears and reuses that one figure, so refreshing never leaks.
matplotlib is imported when the first chart is drawn, not when the window starts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services.dto import RecipeCost
from bake_tracker.ui import forms
from bake_tracker.ui.kit.theme import TABLE_BACKGROUND
from bake_tracker.ui.production.wording import short_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
    from matplotlib.figure import Figure


LIGHT, DARK = 0, 1  # the index of each mode in a (light, dark) colour pair
CHART_DPI = 100
CHART_MIN_HEIGHT, CHART_MAX_HEIGHT = 200, 340
CHART_COLORS = {
    # light, dark
    "face": ("#FFFFFF", "#242424"),
    "text": ("#333333", "#DCE4EE"),
    "muted": ("#6B7580", "#9AA4AE"),
    "grid": ("#E6E9ED", "#3A3F44"),
    "planned": ("#B8C7D6", "#5A6B7C"),
    "actual": ("#3B8ED0", "#3B8ED0"),
    "over": ("#E57373", "#E57373"),
    "track": ("#E6E9ED", "#3A3F44"),
    "done": ("#43A047", "#43A047"),
    "progress": ("#3B8ED0", "#3B8ED0"),
}


@functools.cache
def chart_font() -> str:
    """Use CustomTkinter's Roboto in the chart, as in the rest of the window, when it is there
    (registered with matplotlib once, when the first chart is drawn)."""
    from matplotlib import font_manager

    folder = Path(ctk.__file__).parent / "assets" / "fonts" / "Roboto"
    for path in sorted(folder.glob("Roboto-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    families = {entry.name for entry in font_manager.fontManager.ttflist}
    return "Roboto" if "Roboto" in families else "DejaVu Sans"


def draw_forgiving_font_errors(canvas) -> None:
    """Draw the canvas; if FreeType fails to read a glyph from a cached font file (a rare
    "FT_Load_Glyph ... invalid stream operation" seen under heavy load), reopen the fonts and draw
    again once, rather than fail the refresh that asked for the chart."""
    try:
        canvas.draw()
    except RuntimeError as error:
        if not str(error).startswith("FT_"):
            raise
        from matplotlib import font_manager

        get_font = getattr(font_manager, "_get_font", None)
        if get_font is not None and hasattr(get_font, "cache_clear"):
            get_font.cache_clear()
        canvas.draw()


def chart_height(recipes: int) -> int:
    """Pixels for the chart: room for titles and axes plus a slot per recipe, within bounds."""
    return max(CHART_MIN_HEIGHT, min(CHART_MAX_HEIGHT, 100 + 40 * recipes))


def money_tick(value: float, _position: int) -> str:
    """An axis tick in dollars ("$12"); matplotlib works in floats, the figures stay Decimal."""
    return f"${value:,.0f}"


class DashboardChart(ctk.CTkFrame):
    """Planned vs actual cost per recipe (grouped horizontal bars) and batches produced of each
    target, drawn by matplotlib in one reused figure (made, and matplotlib imported, on the first
    ``show``)."""

    def __init__(self, master) -> None:
        super().__init__(master, fg_color=TABLE_BACKGROUND, corner_radius=8)
        self.figure: Figure | None = None
        self.canvas: FigureCanvasTkAgg | None = None
        self.cost_axes: Axes | None = None
        self.progress_axes: Axes | None = None
        self.draw_count = 0
        self._shown: tuple[Any, ...] | None = None

    def _make_figure(self) -> tuple[Figure, FigureCanvasTkAgg]:
        if self.figure is None or self.canvas is None:
            from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
            from matplotlib.figure import Figure

            height = chart_height(0)
            self.figure = Figure(figsize=(6, height / CHART_DPI), dpi=CHART_DPI, layout="tight")
            self.canvas = FigureCanvasTkAgg(self.figure, master=self)
            widget = self.canvas.get_tk_widget()
            widget.configure(highlightthickness=0, height=height)
            widget.pack(fill="both", expand=True, padx=8, pady=8)
        return self.figure, self.canvas

    def _color(self, key: str) -> str:
        mode = DARK if ctk.get_appearance_mode() == "Dark" else LIGHT
        return CHART_COLORS[key][mode]

    def show(self, costs: Sequence[RecipeCost]) -> None:
        """Redraw for these recipes (the figure is cleared and reused, never replaced); the same
        figures as last time keep the drawing as it is (refreshes come often, drawing is slow)."""
        shown = (tuple(costs), ctk.get_appearance_mode())
        if shown == self._shown:
            return
        self._shown = shown
        import matplotlib

        figure, canvas = self._make_figure()
        figure.clear()
        figure.set_facecolor(self._color("face"))
        canvas.get_tk_widget().configure(bg=self._color("face"), height=chart_height(len(costs)))
        with matplotlib.rc_context(self._style()):
            if costs:
                self.cost_axes, self.progress_axes = figure.subplots(1, 2)
                self._draw_costs(self.cost_axes, costs)
                self._draw_progress(self.progress_axes, costs)
            else:
                self.cost_axes = self.progress_axes = None
                figure.text(
                    0.5,
                    0.5,
                    "No production targets yet: set them on the event's Targets tab\n"
                    "to compare planned and actual cost here.",
                    ha="center",
                    va="center",
                    color=self._color("muted"),
                    fontsize=11,
                )
            draw_forgiving_font_errors(canvas)
        self.draw_count += 1

    def _style(self) -> dict[str, Any]:
        text, grid, font = self._color("text"), self._color("grid"), chart_font()
        return {
            "font.family": font,
            "font.size": 9,
            "axes.edgecolor": grid,
            "axes.labelcolor": text,
            "axes.titlesize": 11,
            "axes.titleweight": "medium" if font == "Roboto" else "bold",
            "axes.titlecolor": text,
            "xtick.color": self._color("muted"),
            "ytick.color": text,
            "legend.fontsize": 8,
        }

    def _axes_style(self, axes: Axes, names: Sequence[str]) -> None:
        axes.set_facecolor(self._color("face"))
        axes.set_yticks(range(len(names)), [short_name(name) for name in names])
        axes.invert_yaxis()  # the first recipe on top, as in the table
        axes.tick_params(axis="both", length=0)
        axes.grid(axis="x", color=self._color("grid"), linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)

    def _draw_costs(self, axes: Axes, costs: Sequence[RecipeCost]) -> None:
        names = [cost.recipe_name for cost in costs]
        positions = list(range(len(costs)))
        planned = [float(cost.planned_cost) for cost in costs]
        actual = [float(cost.actual_cost) for cost in costs]
        actual_colors = [self._color("over" if cost.variance > 0 else "actual") for cost in costs]
        planned_at = [p - 0.19 for p in positions]
        actual_at = [p + 0.19 for p in positions]
        axes.barh(planned_at, planned, 0.36, color=self._color("planned"), label="Planned")
        bars = axes.barh(actual_at, actual, 0.36, color=actual_colors, label="Actual")
        for bar, cost in zip(bars, costs, strict=True):
            axes.annotate(
                forms.format_money(cost.actual_cost),
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=self._color("muted"),
            )
        self._axes_style(axes, names)
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        axes.xaxis.set_major_formatter(FuncFormatter(money_tick))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.margins(x=0.18)
        axes.set_title("Cost per recipe", loc="left")
        axes.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
            frameon=False,
            handlelength=1.0,
            borderaxespad=0.2,
        )

    def _draw_progress(self, axes: Axes, costs: Sequence[RecipeCost]) -> None:
        names = [cost.recipe_name for cost in costs]
        positions = list(range(len(costs)))
        targets = [cost.batches_required for cost in costs]
        done = [cost.batches_produced for cost in costs]
        colors = [
            self._color("done" if cost.batches_produced >= cost.batches_required else "progress")
            for cost in costs
        ]
        axes.barh(positions, targets, 0.5, color=self._color("track"), label="Target")
        bars = axes.barh(positions, done, 0.5, color=colors, label="Produced")
        for bar, cost in zip(bars, costs, strict=True):
            axes.annotate(
                f"{cost.batches_produced}/{cost.batches_required}",
                (max(cost.batches_produced, cost.batches_required), bar.get_y() + 0.25),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
                color=self._color("text"),
            )
        self._axes_style(axes, names)
        from matplotlib.ticker import MaxNLocator

        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.margins(x=0.15)
        axes.set_title("Batches produced of target", loc="left")

    def bar_count(self) -> int:
        """How many bars are drawn across both charts (for tests)."""
        return sum(len(axes.patches) for axes in self.figure.axes) if self.figure else 0
