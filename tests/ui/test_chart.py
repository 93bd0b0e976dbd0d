"""The dashboard chart on a Tk canvas: the scale, the legend never on the title, resizing, the
empty state, and colours that read in light and dark (no matplotlib)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import customtkinter as ctk
import pytest

from bake_tracker.services.dto import RecipeCost
from bake_tracker.ui.app import App
from bake_tracker.ui.production.chart import (
    COLORS,
    EMPTY_CHART,
    DashboardChart,
    money_tick,
    nice_ticks,
)

pytestmark = pytest.mark.gui


def cost(
    recipe_id: int, name: str, required: int, produced: int, actual: str, planned: str
) -> RecipeCost:
    variance = Decimal(actual) - Decimal(planned)
    return RecipeCost(
        recipe_id, name, required, produced, Decimal(actual), Decimal(planned), variance, Decimal(0)
    )


COSTS = (
    cost(1, "Chocolate Chip Cookies", 3, 2, "3.20", "4.80"),
    cost(2, "Gingerbread Men", 2, 3, "9.75", "6.00"),  # over plan, over target
)


@pytest.fixture
def window(app: App) -> Iterator[ctk.CTkToplevel]:
    top = ctk.CTkToplevel(app)
    top.geometry("1100x360+0+0")
    yield top
    top.destroy()


def make_chart(window: ctk.CTkToplevel, costs=COSTS) -> DashboardChart:
    chart = DashboardChart(window)
    chart.pack(fill="both", expand=True)
    window.update()
    chart.show(costs)
    window.update()
    return chart


def boxes(chart: DashboardChart, tags: str) -> list[tuple[int, int, int, int]]:
    return [chart.canvas.bbox(item) for item in chart.canvas.find_withtag(tags)]


def overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def luminance(widget, color: str) -> float:
    """Relative luminance (WCAG) of the colour Tk really draws."""

    def linear(channel: int) -> float:
        value = channel / 65535
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in widget.winfo_rgb(color))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(widget, first: str, second: str) -> float:
    light, dark = sorted((luminance(widget, first), luminance(widget, second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def resize(window: ctk.CTkToplevel, chart: DashboardChart, width: int) -> None:
    window.geometry(f"{width}x360")
    for _ in range(3):
        window.update()


@pytest.fixture(params=["light", "dark"])
def appearance(request: pytest.FixtureRequest) -> Iterator[str]:
    before = ctk.get_appearance_mode()
    ctk.set_appearance_mode(request.param)
    yield request.param
    ctk.set_appearance_mode(before)


# --- the scale ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        ("14.45", ["0", "5", "10", "15"]),
        ("3", ["0", "1", "2", "3"]),
        ("7", ["0", "2", "4", "6", "8"]),
        ("0.8", ["0", "0.2", "0.4", "0.6", "0.8"]),
        ("1234", ["0", "250", "500", "750", "1000", "1250"]),
        ("0", ["0", "1"]),
    ],
)
def test_the_scale_has_round_marks_past_the_largest_bar(maximum: str, ticks: list[str]) -> None:
    assert nice_ticks(Decimal(maximum)) == [Decimal(tick) for tick in ticks]


def test_a_scale_of_whole_things_marks_whole_steps() -> None:
    assert nice_ticks(Decimal(2)) == [Decimal(t) for t in ("0", "0.5", "1", "1.5", "2")]
    assert nice_ticks(Decimal(2), least_step=Decimal(1)) == [Decimal(t) for t in (0, 1, 2)]
    assert nice_ticks(Decimal("0.5"), least_step=Decimal(1)) == [Decimal(0), Decimal(1)]
    assert nice_ticks(Decimal(40), least_step=Decimal(1)) == nice_ticks(Decimal(40))


def test_money_marks() -> None:
    assert money_tick(Decimal(1250)) == "$1,250"
    assert money_tick(Decimal("2.5")) == "$2.50"


# --- the drawing ----------------------------------------------------------------------------------


def test_bars_names_scale_and_legends(window: ctk.CTkToplevel) -> None:
    chart = make_chart(window)
    assert chart.bar_count() == 8
    assert chart.texts("title") == ["Cost per recipe", "Batches produced of target"]
    assert chart.texts("legend&&cost") == ["Planned", "Actual", "Over plan"]
    assert chart.texts("legend&&progress") == ["Target", "Produced", "Met"]
    assert chart.texts("name&&progress") == ["Chocolate Chip Cookies", "Gingerbread Men"]
    assert chart.texts("tick&&cost") == ["$0", "$2", "$4", "$6", "$8", "$10"]
    assert chart.texts("tick&&progress") == ["0", "1", "2", "3"]
    assert chart.texts("value&&progress") == ["2/3", "3/2"]
    canvas = chart.canvas
    [_, over] = canvas.find_withtag("bar&&actual")
    assert canvas.itemcget(over, "fill") == chart.color("over")  # over plan is red
    [_, met] = canvas.find_withtag("bar&&produced")
    assert canvas.itemcget(met, "fill") == chart.color("done")  # target met is green
    # Bars start at the scale's zero and end at their value on it.
    zero = canvas.coords(canvas.find_withtag("tick&&cost")[0])[0]
    ten = canvas.coords(canvas.find_withtag("tick&&cost")[-1])[0]
    x0, _, x1, _ = canvas.coords(over)
    assert x0 == pytest.approx(zero) and (x1 - x0) / (ten - zero) == pytest.approx(0.975)


def test_the_batches_scale_never_repeats_a_mark(window: ctk.CTkToplevel) -> None:
    """Targets of 1 and 2 batches: the scale reads 0, 1, 2 (it read 0, 0, 1, 2, 2: marks every
    half batch, each shown as a whole number)."""
    costs = (
        cost(1, "Chocolate Chip Cookies", 1, 1, "9.90", "10.30"),
        cost(2, "Decorated Sugar Cookies", 2, 1, "8.69", "18.23"),
    )
    chart = make_chart(window, costs)
    assert chart.texts("tick&&progress") == ["0", "1", "2"]


@pytest.mark.parametrize("width", [1100, 700, 460])
def test_the_legend_never_covers_the_title_or_the_bars(window: ctk.CTkToplevel, width: int) -> None:
    chart = make_chart(window)
    resize(window, chart, width)
    for kind in ("cost", "progress"):
        [title] = boxes(chart, f"title&&{kind}")
        legend = boxes(chart, f"legend&&{kind}") + boxes(chart, f"swatch&&{kind}")
        bars = boxes(chart, f"bar&&{kind}")
        assert not any(overlaps(title, box) for box in legend), (width, kind)
        assert not any(overlaps(bar, box) for bar in bars for box in legend), (width, kind)
    titles = boxes(chart, "title")
    assert not overlaps(titles[0], titles[1])
    # Both legends beside their titles, or both below them: the plots stay level.
    cost_top = min(box[1] for box in boxes(chart, "bar&&cost"))
    progress_top = min(box[1] for box in boxes(chart, "bar&&progress"))
    assert cost_top == pytest.approx(progress_top, abs=1)


def test_the_legend_moves_below_the_title_when_narrow(window: ctk.CTkToplevel) -> None:
    chart = make_chart(window)
    [title] = boxes(chart, "title&&cost")
    first_legend = boxes(chart, "legend&&cost")[0]
    assert first_legend[1] < title[3]  # wide: on the title's line
    resize(window, chart, 460)
    [title] = boxes(chart, "title&&cost")
    first_legend = boxes(chart, "legend&&cost")[0]
    assert first_legend[1] >= title[3] - 1  # narrow: on a line of its own


def test_it_redraws_to_the_new_width(window: ctk.CTkToplevel) -> None:
    chart = make_chart(window)
    drawn = chart.draw_count

    def right_edge() -> float:
        return max(chart.canvas.coords(item)[0] for item in chart.canvas.find_withtag("tick"))

    wide = right_edge()
    resize(window, chart, 640)
    assert right_edge() < wide - 200
    assert right_edge() < chart.canvas.winfo_width()
    assert chart.draw_count == drawn  # the same figures: only the layout changed


def test_long_names_are_shortened_to_fit(window: ctk.CTkToplevel) -> None:
    long = cost(3, "Grandmother's Famous Triple Chocolate Hazelnut Torte", 1, 0, "0", "9")
    chart = make_chart(window, (*COSTS, long))
    resize(window, chart, 640)
    names = chart.texts("name&&cost")
    assert names[2].endswith("…") and len(names[2]) < 22
    left = min(box[0] for box in boxes(chart, "name&&cost"))
    assert left >= 0


def test_without_targets_the_chart_says_where_to_set_them(window: ctk.CTkToplevel) -> None:
    chart = make_chart(window, ())
    assert chart.bar_count() == 0
    assert chart.texts("empty") == [EMPTY_CHART]
    chart.show(COSTS)
    window.update()
    assert chart.texts("empty") == [] and chart.bar_count() == 8


# --- light and dark -------------------------------------------------------------------------------


def test_text_reads_on_the_background(window: ctk.CTkToplevel, appearance: str) -> None:
    chart = make_chart(window)
    canvas = chart.canvas
    background = canvas.cget("bg")
    assert (luminance(canvas, background) < 0.05) == (appearance == "dark")
    for tags in ("title", "legend", "name", "value&&progress"):
        for item in canvas.find_withtag(tags):
            fill = canvas.itemcget(item, "fill")
            assert contrast(canvas, fill, background) >= 4.5, (appearance, tags, fill)
    for item in canvas.find_withtag("tick"):  # muted, but readable
        assert contrast(canvas, canvas.itemcget(item, "fill"), background) >= 3.0


def test_switching_the_appearance_recolours_the_drawing(window: ctk.CTkToplevel) -> None:
    before = ctk.get_appearance_mode()
    try:
        ctk.set_appearance_mode("light")
        chart = make_chart(window)
        assert chart.canvas.cget("bg") == COLORS["face"][0]
        ctk.set_appearance_mode("dark")
        window.update()
        assert chart.canvas.cget("bg") == COLORS["face"][1]
        [legend] = chart.canvas.find_withtag("legend&&cost")[:1]
        assert chart.canvas.itemcget(legend, "fill") == COLORS["text"][1]
    finally:
        ctk.set_appearance_mode(before)


def test_figures_given_while_hidden_are_drawn_once_it_is_shown(
    window: ctk.CTkToplevel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dashboard's chart gets its figures while the window is being built: it was drawn at
    # 1x1 then, for nothing, and again once laid out. Now only at the size it is shown at.
    window.withdraw()
    chart = DashboardChart(window)
    chart.pack(fill="both", expand=True)
    sizes: list[tuple[int, int]] = []
    real_draw = chart.draw

    def draw() -> None:
        sizes.append((chart.canvas.winfo_width(), chart.canvas.winfo_height()))
        real_draw()

    monkeypatch.setattr(chart, "draw", draw)
    chart.show(COSTS)
    assert sizes == [] and chart.bar_count() == 0  # hidden: nothing drawn yet
    window.deiconify()
    window.update()
    assert sizes and all(width > 1 for width, _ in sizes)  # drawn at its laid-out size only
    assert chart.bar_count() == 8
    drawn = len(sizes)
    window.withdraw()
    window.update()
    chart.show(COSTS[:1])  # new figures while hidden again, the size unchanged
    window.deiconify()
    window.update()
    assert len(sizes) == drawn + 1 and chart.bar_count() == 4  # shown: the new figures drawn
