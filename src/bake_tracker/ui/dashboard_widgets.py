"""The pieces of the Production tab's home page: event cards, progress lists, the cost panel, the
planned-versus-actual chart and the cost drill-down dialog.

Every figure comes from ``dashboard_service`` and ``event_service``; this module only words and
draws them. Two things are computed here for display only: how full a progress bar is drawn
(min(done / target, 1)) and the event's over / under budget amount, the difference of the two
totals ``EventSummary`` carries (it has no variance field of its own).

The chart is a matplotlib ``Figure`` (not pyplot, so no global figure registry) embedded with
``FigureCanvasTkAgg``; each redraw clears and reuses that one figure, so refreshing never leaks.
matplotlib is imported when the first chart is drawn, not when the window starts.
"""

from __future__ import annotations

import functools
import tkinter as tk
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING, Any

import customtkinter as ctk

from bake_tracker.services import batch_production_service, dashboard_service
from bake_tracker.services.dto import DrilldownLine, EventSummary, ProductionRunDTO, RecipeCost
from bake_tracker.ui import forms
from bake_tracker.ui.kit.labels import section_label
from bake_tracker.ui.kit.table import (
    TABLE_STYLE,
    Column,
    DataTable,
    Row,
    ensure_table_style,
    tree_rows,
)
from bake_tracker.ui.kit.theme import (
    ERROR_TEXT,
    INNER_TABLE,
    MUTED_TEXT,
    PRIMARY_COLOR,
    TABLE_BACKGROUND,
)
from bake_tracker.ui.kit.windows import ModalWindow

if TYPE_CHECKING:  # matplotlib is imported when the first chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_tkagg import FigureCanvasTkAgg
    from matplotlib.figure import Figure

GOOD_TEXT = ("#2E7D32", "#66BB6A")
COMPLETE_COLOR = ("#2E7D32", "#2E7D32")
IN_PROGRESS_COLOR = ("#EF6C00", "#E65100")
DONE_BAR = ("#43A047", "#2E7D32")
CARD_BORDER = ("gray82", "gray30")
SELECTED_CARD = ("#E8F1FA", "#1D3347")
SELECTED_BORDER = PRIMARY_COLOR
NO_PACKAGES = "No packages planned"
PROGRESS_NAME_WIDTH = 210
ON_BUDGET = "On budget"
LIGHT, DARK = 0, 1


# --- words for the figures (pure) -----------------------------------------------------------------


def whole_percent(pct: Decimal) -> int:
    """The service's percentage as a whole number for display (62.5 → 63)."""
    return int(pct.quantize(Decimal(1), ROUND_HALF_UP))


def bar_fraction(done: int, target: int) -> float:
    """How full a progress bar is drawn: min(done / target, 1) (display only)."""
    return min(done / target, 1.0) if target > 0 else 0.0


def relative_day(when: date, today: date) -> str:
    """ "today", "tomorrow", "in 18 days", "yesterday", "3 days ago"."""
    days = (when - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def date_line(when: date, today: date) -> str:
    """ "Wed, Dec 24, 2025 · in 18 days"."""
    return f"{when:%a, %b} {when.day}, {when.year} · {relative_day(when, today)}"


def long_date(when: date) -> str:
    """ "Wednesday, December 24, 2025"."""
    return f"{when:%A, %B} {when.day}, {when.year}"


def count_text(label: str, done: int, total: int) -> str:
    """ "Recipes: 1/3", or "Recipes: none planned" when there is no target."""
    return f"{label}: {done}/{total}" if total else f"{label}: none planned"


def packages_text(summary: EventSummary) -> str | None:
    """ "Packages: 2 delivered · 1 ready · 3 pending", or None when no package is assigned."""
    if not summary.packages_total:
        return None
    return (
        f"Packages: {summary.packages_delivered} delivered · {summary.packages_ready} ready · "
        f"{summary.packages_pending} pending"
    )


def cost_text(summary: EventSummary) -> str:
    """ "Cost: $3.20 of $4.80 planned"."""
    actual, planned = (
        forms.format_money(summary.actual_cost),
        forms.format_money(summary.planned_cost),
    )
    return f"Cost: {actual} of {planned} planned"


def totals_text(actual: Decimal, planned: Decimal) -> str:
    """ "Actual $3.20 · Planned $4.80"."""
    return f"Actual {forms.format_money(actual)} · Planned {forms.format_money(planned)}"


def budget_text(variance: Decimal) -> tuple[str, str]:
    """("Over budget: +$1.60", "over"), ("Under budget: $1.60", "under") or ("On budget", "on")
    for the service's variance (actual − planned); less than a cent either way is on budget."""
    difference = variance
    if forms.format_money(abs(difference)) == "$0.00":
        return ON_BUDGET, "on"
    if difference > 0:
        return f"Over budget: +{forms.format_money(difference)}", "over"
    return f"Under budget: {forms.format_money(-difference)}", "under"


BUDGET_COLORS = {"over": ERROR_TEXT, "under": GOOD_TEXT, "on": MUTED_TEXT}


def signed_money(value: Decimal) -> str:
    """ "+$0.40", "−$1.60", "$0.00"."""
    text = forms.format_money(abs(value))
    if text == "$0.00":
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def signed_percent(value: Decimal) -> str:
    """ "+12.50%", "−33.33%", "0.00%" (the service's two places)."""
    if value == 0:
        return "0.00%"
    return f"+{value:.2f}%" if value > 0 else f"−{-value:.2f}%"


def batches_text(done: int, target: int, pct: Decimal) -> str:
    """ "2/4 batches (50%)"."""
    return f"{done}/{target} {'batch' if target == 1 else 'batches'} ({whole_percent(pct)}%)"


def quantity_text(done: int, target: int, pct: Decimal) -> str:
    """ "3/8 (38%)"."""
    return f"{done}/{target} ({whole_percent(pct)}%)"


def order_events(summaries: Sequence[EventSummary], today: date) -> list[EventSummary]:
    """Upcoming events nearest first, then past ones newest first (decision 10's order)."""
    upcoming = [s for s in summaries if s.event_date >= today]
    past = [s for s in summaries if s.event_date < today]
    upcoming.sort(key=lambda s: (s.event_date, s.event_id))
    past.sort(key=lambda s: (s.event_date, s.event_id), reverse=True)
    return upcoming + past


def all_descendants(widget: tk.Misc) -> Iterator[tk.Misc]:
    """``widget`` and every widget inside it (CustomTkinter's inner canvases and labels too)."""
    yield widget
    for child in widget.winfo_children():
        yield from all_descendants(child)


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


# --- event cards ----------------------------------------------------------------------------------

COMPLETE_TEXT, IN_PROGRESS_TEXT = "COMPLETE", "In progress"


class StatusBadge(ctk.CTkLabel):
    """ "COMPLETE" in white on green, or "In progress" in white on orange."""

    def __init__(self, master) -> None:
        super().__init__(
            master,
            text="",
            text_color="white",
            corner_radius=6,
            height=22,
            width=86,
            font=ctk.CTkFont(size=11, weight="bold"),
        )

    def show(self, complete: bool) -> None:
        self.configure(
            text=COMPLETE_TEXT if complete else IN_PROGRESS_TEXT,
            fg_color=COMPLETE_COLOR if complete else IN_PROGRESS_COLOR,
        )


class EventCard(ctk.CTkFrame):
    """One event at a glance; a click anywhere on it calls ``on_click(event_id)``.

    ``fill`` rewrites the figures in place, so a refresh reuses the cards it already has.
    """

    def __init__(
        self, master, summary: EventSummary, today: date, on_click: Callable[[int], None]
    ) -> None:
        super().__init__(
            master,
            fg_color=TABLE_BACKGROUND,
            border_color=CARD_BORDER,
            border_width=1,
            corner_radius=10,
        )
        self.summary = summary
        self.event_id = summary.event_id
        self.on_click = on_click
        self.selected = False
        self.grid_columnconfigure(0, weight=1)
        self._build()
        for widget in all_descendants(self):
            tk.Misc.bind(widget, "<Button-1>", lambda _event: self.click(), "+")
            widget.configure(cursor="hand2")
        self.fill(summary, today)

    def _build(self) -> None:
        self.name_label = ctk.CTkLabel(
            self,
            text="",
            font=ctk.CTkFont(size=15, weight="bold"),
            anchor="w",
            justify="left",
            wraplength=190,
        )
        self.name_label.grid(row=0, column=0, sticky="w", padx=(14, 6), pady=(10, 0))
        self.badge = StatusBadge(self)
        self.badge.grid(row=0, column=1, sticky="ne", padx=(0, 12), pady=(11, 0))
        self.date_label = self._line(1, text_color=MUTED_TEXT)
        self.recipes_label = self._line(2)
        self.goods_label = self._line(3)
        self.packages_label = self._line(4, padx=2)  # room for the italic overhang
        self.cost_label = self._line(5, bottom=10)
        self.plain_font = self.recipes_label.cget("font")
        self.italic_font = ctk.CTkFont(size=13, slant="italic")

    def _line(self, row: int, *, padx: int = 0, bottom: int = 0, **options: Any) -> ctk.CTkLabel:
        label = ctk.CTkLabel(self, text="", anchor="w", height=22, padx=padx, **options)
        label.grid(
            row=row, column=0, columnspan=2, sticky="w", padx=(14 - padx, 14), pady=(0, bottom)
        )
        return label

    def fill(self, summary: EventSummary, today: date) -> None:
        """Show ``summary``'s figures (the same event, maybe changed)."""
        self.summary = summary
        self.name_label.configure(text=summary.event_name)
        self.badge.show(summary.is_complete)
        self.date_label.configure(text=date_line(summary.event_date, today))
        self.recipes_label.configure(
            text=count_text("Recipes", summary.recipes_complete, summary.recipes_total)
        )
        self.goods_label.configure(
            text=count_text(
                "Finished goods", summary.finished_goods_complete, summary.finished_goods_total
            )
        )
        packages = packages_text(summary)
        self.packages_label.configure(
            text=packages or NO_PACKAGES,
            text_color=("gray10", "gray90") if packages else MUTED_TEXT,
            font=self.plain_font if packages else self.italic_font,
        )
        self.cost_label.configure(text=cost_text(summary))

    def click(self) -> None:
        """What a click on the card does: select its event."""
        self.on_click(self.event_id)

    def set_selected(self, selected: bool) -> None:
        """Highlight the card (blue border, tinted) or draw it plain."""
        self.selected = selected
        if selected:
            self.configure(fg_color=SELECTED_CARD, border_color=SELECTED_BORDER, border_width=2)
        else:
            self.configure(fg_color=TABLE_BACKGROUND, border_color=CARD_BORDER, border_width=1)

    def texts(self) -> list[str]:
        """Every line of the card as shown (for tests and screen readers)."""
        labels = (
            self.name_label,
            self.date_label,
            self.recipes_label,
            self.goods_label,
            self.packages_label,
            self.cost_label,
            self.badge,
        )
        return [str(label.cget("text")) for label in labels]


# --- progress lists -------------------------------------------------------------------------------


class ProgressList(ctk.CTkFrame):
    """A titled list of rows: name, a bar filled to min(done/target, 1), and "2/4 batches (50%)"."""

    def __init__(self, master, title: str, empty_text: str) -> None:
        super().__init__(master, fg_color="transparent")
        self.empty_text = empty_text
        self.grid_columnconfigure(0, minsize=PROGRESS_NAME_WIDTH)
        self.grid_columnconfigure(3, weight=1)
        section_label(self, title).grid(row=0, column=0, columnspan=3, sticky="w", pady=(0, 4))
        self.rows: list[tuple[str, ctk.CTkProgressBar, ctk.CTkLabel]] = []
        self._widgets: list[tk.Misc] = []

    def show(self, rows: Sequence[tuple[str, int, int, str, bool]]) -> None:
        """Draw ``(name, done, target, text, complete)`` rows, or the empty text when none."""
        for widget in self._widgets:
            widget.destroy()
        self._widgets, self.rows = [], []
        if not rows:
            note = ctk.CTkLabel(
                self, text=self.empty_text, text_color=MUTED_TEXT, anchor="w", justify="left"
            )
            note.configure(wraplength=480)
            note.grid(row=1, column=0, columnspan=3, sticky="w")
            self._widgets.append(note)
            return
        for index, row in enumerate(rows, start=1):
            self._add_row(index, *row)

    def _add_row(
        self, index: int, name: str, done: int, target: int, text: str, complete: bool
    ) -> None:
        label = ctk.CTkLabel(self, text=short_name(name, 30), anchor="w", height=24)
        label.grid(row=index, column=0, sticky="w", padx=(0, 10))
        bar = ctk.CTkProgressBar(self, width=180, height=10)
        fraction = bar_fraction(done, target)
        if complete:
            bar.configure(progress_color=DONE_BAR)
        elif fraction <= 0:
            bar.configure(progress_color=bar.cget("fg_color"))  # truly empty, no blue cap
        bar.set(fraction)
        bar.grid(row=index, column=1, sticky="w", padx=(0, 10))
        figure = ctk.CTkLabel(
            self,
            text=("✓ " if complete else "") + text,
            text_color=GOOD_TEXT if complete else ("gray10", "gray90"),
            anchor="w",
            height=24,
        )
        figure.grid(row=index, column=2, sticky="w")
        self._widgets += [label, bar, figure]
        self.rows.append((name, bar, figure))

    def texts(self) -> list[tuple[str, str]]:
        """(name, figure text) of every row (for tests)."""
        return [(name, str(label.cget("text"))) for name, _, label in self.rows]


# --- the cost panel -------------------------------------------------------------------------------


class CostPanel(ctk.CTkFrame):
    """ "Actual $x · Planned $y" and the budget line (red over, green under, grey on budget)."""

    def __init__(self, master) -> None:
        super().__init__(master, fg_color="transparent")
        self.grid_columnconfigure(0, weight=1)
        section_label(self, "Cost").grid(row=0, column=0, sticky="w", pady=(0, 4))
        self.totals_label = ctk.CTkLabel(
            self, text="", font=ctk.CTkFont(size=15, weight="bold"), anchor="w"
        )
        self.totals_label.grid(row=1, column=0, sticky="w")
        self.budget_label = ctk.CTkLabel(
            self, text="", font=ctk.CTkFont(size=14, weight="bold"), anchor="w"
        )
        self.budget_label.grid(row=2, column=0, sticky="w")
        self.note_label = ctk.CTkLabel(
            self,
            text="Actual: ingredients of this event's runs and packaging of its assemblies, at "
            "the lots' real cost. Planned: targets at current prices.",
            text_color=MUTED_TEXT,
            font=ctk.CTkFont(size=12),
            anchor="w",
            justify="left",
            wraplength=300,
        )
        self.note_label.grid(row=3, column=0, sticky="w", pady=(4, 0))
        self.budget_kind = "on"

    def show(self, actual: Decimal, planned: Decimal, variance: Decimal) -> None:
        text, kind = budget_text(variance)
        self.budget_kind = kind
        self.totals_label.configure(text=totals_text(actual, planned))
        self.budget_label.configure(text=text, text_color=BUDGET_COLORS[kind])


# --- the chart ------------------------------------------------------------------------------------

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


def short_name(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


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


# --- the drill-down -------------------------------------------------------------------------------

RUN_COLUMNS = (
    Column("date", "Date", 100, "center", stretch=False),
    Column("item", "Item", 200),
    Column("batches", "Batches", 70, "e", stretch=False),
    Column("yield", "Yield", 90, "e", stretch=False),
    Column("cost", "Cost", 90, "e", stretch=False),
    Column("per_unit", "Per unit", 90, "e", stretch=False),
)
LOT_COLUMNS = (
    ("product", "Product", 230, "w"),
    ("purchased", "Purchased", 100, "center"),
    ("quantity", "Quantity", 100, "e"),
    ("unit_cost", "Unit cost", 110, "e"),
    ("cost", "Cost", 80, "e"),
)
DRILLDOWN_LIMIT = 200


def run_row(run: ProductionRunDTO) -> Row:
    return (
        str(run.id),
        (
            forms.format_local_date(run.produced_at),
            run.finished_unit_name,
            run.num_batches,
            f"{run.actual_yield} / {run.expected_yield}",
            forms.format_money(run.total_ingredient_cost),
            forms.format_unit_cost(run.per_unit_cost),
        ),
        (),
    )


class LotTable(ctk.CTkFrame):
    """Each ingredient of a run (bold) with the purchase lots it was drawn from beneath it."""

    def __init__(self, master) -> None:
        super().__init__(master, fg_color=TABLE_BACKGROUND, corner_radius=8, **INNER_TABLE)
        ensure_table_style(self)
        self.tree = ttk.Treeview(
            self,
            columns=[key for key, *_ in LOT_COLUMNS],
            show="tree headings",
            height=8,
            style=TABLE_STYLE,
            selectmode="none",
        )
        self.tree.heading("#0", text="Ingredient", anchor="w")
        self.tree.column("#0", width=190, anchor="w")
        for key, title, width, anchor in LOT_COLUMNS:
            self.tree.heading(key, text=title, anchor=anchor)
            self.tree.column(key, width=width, anchor=anchor, stretch=key == "product")
        self.tree.tag_configure("line", font=ctk.CTkFont(size=13, weight="bold"))
        self.tree.tag_configure("lot", foreground="#5F6B76")
        self.tree.pack(fill="both", expand=True, padx=6, pady=6)

    def show(self, lines: Sequence[DrilldownLine]) -> None:
        self.tree.delete(*self.tree.get_children())
        for index, line in enumerate(lines):
            parent = self.tree.insert(
                "",
                "end",
                iid=f"line-{index}",
                text=line.ingredient_name or line.ingredient_slug,
                open=True,
                tags=("line",),
                values=(
                    "",
                    "",
                    forms.format_quantity(line.quantity_consumed, line.unit),
                    "",
                    forms.format_money(line.total_cost),
                ),
            )
            for lot_index, lot in enumerate(line.lots):
                self.tree.insert(
                    parent,
                    "end",
                    iid=f"line-{index}-lot-{lot_index}",
                    text="",
                    tags=("lot",),
                    values=(
                        lot.product_name,
                        forms.format_date(lot.lot_date),
                        forms.format_quantity(lot.quantity, lot.unit),
                        f"{forms.format_unit_cost(lot.unit_cost)}/{lot.unit}",
                        forms.format_money(lot.cost),
                    ),
                )

    def rows(self) -> list[tuple[int, str, tuple[str, ...]]]:
        """(depth, ingredient text, values) of every row in order (for tests)."""
        return tree_rows(self.tree)


class DrilldownDialog(ModalWindow):
    """A recipe's runs for one event; choosing a run lists the lots, products and purchase dates
    behind its cost (``get_cost_drilldown``)."""

    def __init__(
        self,
        parent: tk.Misc,
        *,
        event_id: int,
        event_name: str,
        cost: RecipeCost,
        show: bool = True,
    ) -> None:
        super().__init__(parent)
        self.cost = cost
        self.runs = {
            str(run.id): run
            for run in batch_production_service.get_production_history(
                recipe_id=cost.recipe_id, event_id=event_id, limit=DRILLDOWN_LIMIT
            )
        }
        self.title(f"Cost drill-down - {cost.recipe_name} · {event_name}")
        self._build(event_name)
        self.bind("<Escape>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        if self.runs:
            self.run_table.select(next(iter(self.runs)))
        else:
            self.show_run(None)
        if show:
            self._show_modal()

    def _build(self, event_name: str) -> None:
        self.grid_columnconfigure(0, weight=1)
        ctk.CTkLabel(
            self, text=self.cost.recipe_name, font=ctk.CTkFont(size=18, weight="bold"), anchor="w"
        ).grid(row=0, column=0, sticky="ew", padx=22, pady=(18, 0))
        cost = self.cost
        self.facts_label = ctk.CTkLabel(
            self,
            text=f"{event_name} · {cost.batches_produced}/{cost.batches_required} batches · "
            f"{totals_text(cost.actual_cost, cost.planned_cost)} · "
            f"variance {signed_money(cost.variance)} ({signed_percent(cost.variance_percent)})",
            text_color=MUTED_TEXT,
            anchor="w",
        )
        self.facts_label.grid(row=1, column=0, sticky="ew", padx=22)
        section_label(self, "Runs for this event").grid(
            row=2, column=0, sticky="w", padx=22, pady=(12, 4)
        )
        self.run_table = DataTable(
            self,
            RUN_COLUMNS,
            empty_text="No runs of this recipe for this event yet.",
            height=min(max(len(self.runs), 3), 8),
            on_select=self.show_run,
        )
        self.run_table.configure(**INNER_TABLE)
        self.run_table.scrollbar.configure(height=40)  # else 200 px sets the table's floor
        self.run_table.set_rows([run_row(run) for run in self.runs.values()])
        self.run_table.grid(row=3, column=0, sticky="nsew", padx=22)
        self.lots_title = section_label(self, "Lots behind the run")
        self.lots_title.grid(row=4, column=0, sticky="w", padx=22, pady=(12, 4))
        self.lot_table = LotTable(self)
        self.lot_table.grid(row=5, column=0, sticky="nsew", padx=22)
        self.grid_rowconfigure(5, weight=1)
        self.close_button = ctk.CTkButton(self, text="Close", width=100, command=self.close)
        self.close_button.grid(row=6, column=0, sticky="e", padx=22, pady=(10, 18))

    def show_run(self, iid: str | None) -> None:
        """List the lots behind the chosen run (nothing when none is chosen)."""
        run = self.runs.get(iid) if iid is not None else None
        if run is None:
            self.lots_title.configure(text="Lots behind the run")
            self.lot_table.show([])
            return
        when = forms.format_local_date(run.produced_at)
        self.lots_title.configure(text=f"Lots behind run #{run.id} ({when})")
        self.lot_table.show(dashboard_service.get_cost_drilldown(run.id))

    def focus_first(self) -> None:
        self.close_button.focus_set()
