"""Issue 17 items 3-7 on a real display: layouts at the minimum size, text kept whole, tables in
dark mode and at 150 %, View ▸ Appearance, the mouse wheel, and empty states.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from tkinter import ttk
from types import SimpleNamespace

import customtkinter as ctk
import pytest

from bake_tracker.config import APPEARANCE, load_preferences
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import event_service, sample_data_service
from bake_tracker.ui.app import App
from bake_tracker.ui.finished_units_tab import FinishedUnitsTab
from bake_tracker.ui.kit import table as table_module
from bake_tracker.ui.kit.geometry import SCREEN_CHROME
from bake_tracker.ui.kit.list_tab import DETAIL_MIN_WIDTH, detail_share
from bake_tracker.ui.kit.scroll import NOTCH_UNITS, ScrollFrame, wheel_units
from bake_tracker.ui.kit.table import (
    MIN_COLUMN,
    TABLE_STYLE,
    Column,
    DataTable,
    fit_column_widths,
    style_table,
)
from bake_tracker.ui.kit.theme import TABLE_BACKGROUND, TABLE_COLORS
from bake_tracker.ui.kit.windows import place_over
from bake_tracker.ui.production.event_panel import EventPanel
from bake_tracker.ui.production.tab import RECENT_RUNS, ProductionTab
from bake_tracker.ui.recipes.tab import RecipesTab
from tests.ui.conftest import open_tab
from tests.ui.test_record_dialogs import make_cookie

pytestmark = pytest.mark.gui

# read at each use, not at import: a run that passes midnight must not expect yesterday
today = date.today


def settle(app: App, rounds: int = 4) -> None:
    for _ in range(rounds):
        app.update_idletasks()
        app.update()


def resize(app: App, width: int, height: int) -> None:
    app.minsize(200, 200)
    app.geometry(f"{width}x{height}+0+0")
    settle(app)


def overproduced() -> SimpleNamespace:
    """A Bake Sale whose 1-batch target got 2 batches (200 %), and an untouched Christmas."""
    cookie = make_cookie(flour="30", sugar="15")
    sale = event_service.create_event("Bake Sale", today() + timedelta(days=5))
    christmas = event_service.create_event("Christmas", today() + timedelta(days=20))
    event_service.set_production_target(sale.id, cookie.recipe_id, 1)
    event_service.set_production_target(christmas.id, cookie.recipe_id, 3)
    bps.record_batch_production(cookie.recipe_id, cookie.id, 2, 96, event_id=sale.id)
    return SimpleNamespace(cookie=cookie, sale=sale, christmas=christmas)


def dashboard_panel(app: App) -> EventPanel:
    tab = open_tab(app, "Production", ProductionTab)
    tab.refresh()
    settle(app)
    return tab.home.panel


def whole(label: ctk.CTkLabel) -> bool:
    """Whether a CustomTkinter label shows its whole text (its Tk label got what it asked)."""
    inner = label._label
    return inner.winfo_width() >= inner.winfo_reqwidth() - 1


# --- layout from the minimum size up ----------------------------------------------------------


@pytest.mark.parametrize("size", [(960, 540), (1264, 704), (1440, 900)])
def test_the_dashboard_keeps_its_labels_and_title_at_every_size(app: App, size) -> None:
    overproduced()
    panel = dashboard_panel(app)
    resize(app, *size)
    panel.reflow()
    settle(app)
    # the percentage of an over-target row is shown whole ("(200%)"), and the bar is not a dot
    [(_, bar, figure)] = panel.recipe_progress.rows
    assert figure.cget("text").endswith("(200%)")
    assert whole(figure), size
    assert bar.winfo_width() >= 40
    # the launchers never sit on the title: beside it when there is room, else below
    title = panel.title_label
    button = panel.record_production_button
    title_right = title.winfo_rootx() + title.winfo_width()
    beside = button.winfo_rooty() < title.winfo_rooty() + title.winfo_height()
    assert not beside or button.winfo_rootx() >= title_right
    assert panel.buttons_beside_title == beside
    assert whole(title)


def test_the_buttons_move_under_the_title_on_a_narrow_window_and_back(app: App) -> None:
    overproduced()
    panel = dashboard_panel(app)
    resize(app, 960, 540)
    panel.reflow()
    assert panel.buttons_beside_title is False
    assert panel.record_production_button.winfo_rooty() > panel.date_label.winfo_rooty()
    resize(app, 1440, 900)
    panel.reflow()
    assert panel.buttons_beside_title is True


def test_finished_units_cost_column_is_whole_at_1280x800(app: App) -> None:
    make_cookie()
    tab = open_tab(app, "Finished Units", FinishedUnitsTab)
    resize(app, 1264, 704)  # what a 1280x800 screen gives the window
    tree = tab.table.tree
    widths = [int(tree.column(column.key, "width")) for column in tab.table.columns]
    assert sum(widths) <= tree.winfo_width()  # no column runs past the table's right edge
    last = tab.table.columns[-1]
    # the heading whole (no sort arrow shows until the column is sorted)
    assert int(tree.column(last.key, "width")) >= tab.table._heading_width(last.title, arrow=False)
    assert tab.detail.winfo_width() <= 0.46 * tab.winfo_width()


def test_fit_column_widths_shrinks_text_before_figures() -> None:
    wanted = [(200, True, True), (170, True, True), (90, True, False), (130, True, False)]
    widths = fit_column_widths(wanted, 520, 56)
    assert sum(widths) == 520
    assert widths[2:] == [90, 130]  # figures whole while the names can give way
    roomy = fit_column_widths(wanted, 800, 56)
    assert sum(roomy) == 800 and roomy[2] > 90
    tight = fit_column_widths(wanted, 200, 56)
    assert tight[:2] == [56, 56] and tight[2] < 90  # then the figures, none below the minimum


def test_the_detail_panel_leaves_the_list_the_larger_part() -> None:
    assert detail_share(1400, 470) == 470
    assert detail_share(1236, 740) == int(1236 * 0.45)
    assert detail_share(700, 740) == DETAIL_MIN_WIDTH


# --- dark mode and scaling ----------------------------------------------------------------------


@pytest.fixture
def appearance_restored():
    yield
    ctk.set_appearance_mode("System")


def test_the_system_appearance_is_asked_once_a_second_and_still_followed(
    make_app: Callable[..., App], appearance_restored, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CustomTkinter asks the desktop for its theme every 30 ms (on Linux a ``gsettings``
    process each time); the window asks once a second, and still follows a change."""
    import darkdetect

    app = make_app()
    ctk.set_appearance_mode("System")
    theme = {"now": "Light"}
    asked: list[str] = []

    def desktop_theme() -> str:
        asked.append(theme["now"])
        return theme["now"]

    monkeypatch.setattr(darkdetect, "theme", desktop_theme)
    # CustomTkinter's loop runs on its first live window; a window of an earlier test closed with
    # it pending (closing cancels pending callbacks), so it is started again here, as it is once
    # in a real start.
    ctk.AppearanceModeTracker.update()
    asked.clear()
    pump(app, seconds=0.6)
    assert len(asked) <= 2  # every 30 ms would be about 20
    assert ctk.get_appearance_mode() == "Light"
    theme["now"] = "Dark"  # the user switches the desktop to dark
    pump(app, seconds=5.0, until=lambda: ctk.get_appearance_mode() == "Dark")
    assert ctk.get_appearance_mode() == "Dark"
    theme["now"] = "Light"  # and back, as the other tests expect to find it
    pump(app, seconds=5.0, until=lambda: ctk.get_appearance_mode() == "Light")
    assert ctk.get_appearance_mode() == "Light"


def pump(app: App, *, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
    """Run the window's event loop for ``seconds``, or until ``until()`` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.update()
        time.sleep(0.01)


def test_tables_follow_the_appearance_live_and_it_is_remembered(
    make_app: Callable[..., App], appearance_restored
) -> None:
    app = make_app()
    make_cookie()
    tab = open_tab(app, "Finished Units", FinishedUnitsTab)
    style = ttk.Style(app)
    assert style.lookup(TABLE_STYLE, "background") == TABLE_COLORS["background"][0]
    tab.table.tag_colors("late", foreground=("#111111", "#EEEEEE"))  # a tab's own row colour
    assert str(tab.table.tree.tag_configure("late", "foreground")) == "#111111"
    app.appearance_menu.invoke(app.appearance_menu.index("Dark"))  # View ▸ Appearance ▸ Dark
    settle(app)
    assert ctk.get_appearance_mode() == "Dark"
    for name in (TABLE_STYLE, "Treeview"):
        assert style.lookup(name, "background") == TABLE_COLORS["background"][1]
        assert style.lookup(name, "foreground") == TABLE_COLORS["foreground"][1]
        assert style.lookup(f"{name}.Heading", "background") == TABLE_COLORS["heading"][1]
        assert style.lookup(name, "background", ("selected",)) == TABLE_COLORS["selected"][1]
    assert str(tab.table.tree.tag_configure("odd", "background")) == TABLE_COLORS["stripe"][1]
    assert str(tab.table.tree.tag_configure("late", "foreground")) == "#EEEEEE"
    assert load_preferences(app.settings.preferences_file)[APPEARANCE] == "Dark"
    app.on_close()
    again = make_app()  # the next start opens dark, with the menu saying so
    assert again.appearance_var.get() == "Dark"
    assert ctk.get_appearance_mode() == "Dark"
    again.set_appearance("Light")
    settle(again)
    assert ttk.Style(again).lookup(TABLE_STYLE, "background") == TABLE_COLORS["background"][0]


def test_every_widget_in_every_tab_follows_a_live_change_of_appearance(
    make_app: Callable[..., App], appearance_restored
) -> None:
    # CustomTkinter handed each tab frame one colour (the appearance in force), and every widget
    # built in a tab took its background from it once: after View ▸ Appearance ▸ Dark the
    # dashboard's headers, hints and card corners stayed light grey.
    app = make_app()
    sample_data_service.load_sample_data()
    app.set_appearance("Light")
    for name in app.tab_frames:
        app.select_tab(name)
        settle(app)
    production = app.tab_frames["Production"]
    assert isinstance(production, ProductionTab)
    production.show_page(RECENT_RUNS)  # its own tab view
    [event] = [e for e in event_service.list_events() if e.name.startswith("Christmas")]
    window = app.open_event_detail(event.id)
    for name in window.tabs._tab_dict:
        window.tabs.set(name)
        settle(app)
    app.set_appearance("Dark")
    settle(app)
    stuck = [
        f"{widget} {attr}={color!r}"
        for widget in descendants(app)
        for attr in ("_bg_color", "_fg_color")
        if isinstance(color := getattr(widget, attr, None), str) and color != "transparent"
    ]
    assert stuck == []


def descendants(widget):
    for child in widget.winfo_children():
        yield child
        yield from descendants(child)


def test_table_fonts_and_rows_follow_the_scaling(app: App, monkeypatch) -> None:
    monkeypatch.setattr(table_module, "table_scaling", lambda _widget: 1.5)
    style_table(app, "Light")
    style = ttk.Style(app)
    assert int(style.lookup(TABLE_STYLE, "rowheight")) == 42  # 28 × 1.5
    assert str(style.lookup(TABLE_STYLE, "font")).split()[-1] == "-20"  # 13 px × 1.5
    monkeypatch.setattr(table_module, "table_scaling", lambda _widget: 1.0)
    style_table(app, "Light")
    assert int(style.lookup(TABLE_STYLE, "rowheight")) == 28


# --- the mouse wheel ----------------------------------------------------------------------------


def test_wheel_units_on_every_platform() -> None:
    def event(**fields):
        return SimpleNamespace(num=fields.get("num", "??"), delta=fields.get("delta", 0))

    assert wheel_units(event(num=5), "linux") == NOTCH_UNITS
    assert wheel_units(event(num=4), "linux") == -NOTCH_UNITS
    assert wheel_units(event(delta=-120), "win32") == NOTCH_UNITS
    assert wheel_units(event(delta=240), "win32") == -2 * NOTCH_UNITS
    assert wheel_units(event(delta=-30), "win32") == 3  # a fine-grained wheel still moves
    assert wheel_units(event(delta=-1), "darwin") == 2
    assert wheel_units(event(delta=0), "darwin") == 0


def scroll_position(frame: ScrollFrame) -> float:
    return float(frame.canvas.yview()[0])


def test_the_wheel_scrolls_the_dashboard_from_anything_on_it(app: App) -> None:
    overproduced()
    panel = dashboard_panel(app)
    resize(app, 960, 540)
    content = panel.content
    assert isinstance(content, ScrollFrame)
    assert scroll_position(content) == 0
    label = panel.cost_panel.totals_label  # a label deep inside the page, not the canvas
    label.event_generate("<Button-5>")  # X11's wheel down
    settle(app)
    down = scroll_position(content)
    assert down > 0
    label._label.event_generate("<Button-4>")  # wheel up, on the label's inner Tk label
    settle(app)
    assert scroll_position(content) < down
    label.event_generate("<MouseWheel>", delta=-120)  # Windows and macOS
    settle(app)
    assert scroll_position(content) > 0


def test_the_wheel_scrolls_the_event_windows_targets(app: App) -> None:
    plan = overproduced()
    window = app.open_event_detail(plan.sale.id, show=True)
    window.tabs.set("Targets")
    window.minsize(200, 150)
    window.geometry("800x260")
    settle(app)
    scroll = window.targets.scroll
    before = scroll_position(scroll)
    window.targets.assembly.add_button.event_generate("<Button-5>")
    settle(app)
    assert scroll_position(scroll) > before
    window.close()


# --- empty states -------------------------------------------------------------------------------


def test_an_event_without_targets_says_so_right_under_the_heading(app: App) -> None:
    fair = event_service.create_event("Spring Fair", today() + timedelta(days=30))
    window = app.open_event_detail(fair.id, show=True)
    window.tabs.set("Targets")
    settle(app)
    section = window.targets.production
    assert section.empty_state_shown
    gap = section.empty_label.winfo_rooty() - (
        section.add_button.winfo_rooty() + section.add_button.winfo_height()
    )
    assert gap < 30  # under the heading, not under a 200-pixel blank
    window.close()


# --- dialogs on a small screen ------------------------------------------------------------------


def test_a_dialog_taller_than_the_screen_is_cut_to_it_with_its_buttons_in_view(app: App) -> None:
    plan = overproduced()
    dialog = app.open_record_production(plan.cookie.id, show=False)
    dialog.winfo_screenheight = lambda: 560  # a screen shorter than the dialog
    place_over(dialog, app)
    dialog.deiconify()
    settle(app)
    assert dialog.winfo_height() <= 560 - SCREEN_CHROME[1]
    bottom = dialog.winfo_rooty() + dialog.winfo_height()
    for button in (dialog.ok_button, dialog.cancel_button):
        assert button.winfo_ismapped()
        assert button.winfo_rooty() + button.winfo_height() <= bottom
    dialog.destroy()


def test_the_recipe_tables_show_rows_at_the_minimum_size(app: App) -> None:
    cookie = make_cookie()
    tab = open_tab(app, "Recipes", RecipesTab)
    resize(app, 960, 540)
    tab.table.select(str(cookie.recipe_id))
    settle(app, 8)
    detail = tab.detail
    rows = int(ttk.Style(app).lookup(TABLE_STYLE, "rowheight"))
    for table in (detail.lines_table, detail.needs_table):
        assert table.tree.winfo_height() >= 2 * rows  # a heading and rows, not squeezed away
        assert len(table.row_ids()) == 2
    # the panel scrolls to its last table instead of cutting it off
    assert detail.content.canvas.yview() != (0.0, 1.0)
    detail.needs_table.event_generate("<Button-5>")  # its rows all show: the panel scrolls
    settle(app)
    assert float(detail.content.canvas.yview()[0]) > 0


def test_short_of_room_figures_give_up_blank_space_and_the_name_shrinks_last() -> None:
    # Finished Units at 1024x640: name, recipe, yield, then three figures whose headings and
    # cells need less than they asked for; the name must stay readable.
    wanted = [(190, True, True), (170, True, True), (120, True, True)]
    wanted += [(80, True, False), (90, True, False), (150, True, False)]
    needed = [150, 150, 90, 75, 70, 140]
    widths = fit_column_widths(wanted, 600, 56, needed=needed)
    assert sum(widths) == 600
    assert widths[0] == 190  # the name whole while the other text columns can give way
    assert widths[3:] == [75, 70, 140]  # figures cut to their need, not below it
    tight = fit_column_widths(wanted, 490, 56, needed=needed)
    assert tight == [93, 56, 56, 75, 70, 140]  # then the name, the figures still whole


def test_a_narrow_table_keeps_the_name_before_blank_figure_space() -> None:
    # Finished Units beside its detail panel at 1024x640: the name column was cut to 56 px
    # ("Chocolat") while "Est. cost per item" kept room for a sort arrow it did not show.
    root = ctk.CTk()
    try:
        root.geometry("520x300")
        columns = [Column("name", "Name", 190), Column("recipe", "Recipe", 170)]
        columns += [Column("yield", "Yield", 120), Column("stock", "In stock", 80, "e")]
        columns += [Column("unit", "Unit cost", 90, "e")]
        columns += [Column("each", "Est. cost per item", 130, "e")]
        table = DataTable(root, columns)
        table.pack(fill="both", expand=True)
        table.set_rows(
            [
                (
                    "1",
                    (
                        "Chocolate Chip Cookie",
                        "Chocolate Chip Cookies",
                        "48 per batch",
                        "28",
                        "$0.2153",
                        "$0.2145",
                    ),
                    (),
                )
            ]
        )
        root.update()
        width = {c.key: int(table.tree.column(c.key, "width")) for c in columns}
        assert width["name"] > width["recipe"] >= MIN_COLUMN
        arrowless = table._heading_width("Est. cost per item", arrow=False)
        assert width["each"] >= arrowless and width["each"] < table._heading_width(
            "Est. cost per item"
        )
        table.sort_by("each")  # now the arrow shows: the column makes room for it
        root.update()
        assert int(table.tree.column("each", "width")) >= table._heading_width("Est. cost per item")
    finally:
        root.destroy()


def test_a_text_column_never_shrinks_below_its_heading() -> None:
    # The Ingredients table at 1920x1080, 150 %: "Recipe unit" was cut to the 56 px minimum
    # ("Recipe u…") while the table was short of room. A heading says what the column is.
    from bake_tracker.ui.ingredients.tab import INGREDIENT_COLUMNS

    root = ctk.CTk()
    try:
        root.geometry("560x300")
        table = DataTable(root, INGREDIENT_COLUMNS)
        table.pack(fill="both", expand=True)
        cells = ("Unsweetened chocolate", "Chocolate", "oz", "—", "2", "No")
        table.set_rows([("1", cells, ())])
        root.update()
        width = {c.key: int(table.tree.column(c.key, "width")) for c in INGREDIENT_COLUMNS}
        asked = sum(round(c.width * table._scale) for c in INGREDIENT_COLUMNS)
        assert table.tree.winfo_width() < asked  # short of room: the text columns gave way
        assert width["category"] < round(140 * table._scale)
        for column in INGREDIENT_COLUMNS:
            if column.anchor == "w":
                heading = table._heading_width(column.title, arrow=False)
                assert width[column.key] >= heading, column.title
        table.sort_by("recipe_unit")  # the arrow shows now: the heading with it stays whole
        root.update()
        assert int(table.tree.column("recipe_unit", "width")) >= table._heading_width("Recipe unit")
    finally:
        root.destroy()


def test_fit_column_widths_keeps_each_text_heading_whole() -> None:
    wanted = [(200, True, True), (120, True, True), (90, True, False)]
    plain = fit_column_widths(wanted, 260, 56)
    assert plain[1] < 95  # without headings the second name column goes down to the minimum
    titled = fit_column_widths(wanted, 260, 56, headings=[60, 95, 70])
    assert titled[1] == 95 and sum(titled) == 260  # its heading whole; the first name gives way
    squeezed = fit_column_widths(wanted, 200, 56, headings=[60, 95, 70])
    assert squeezed[:2] == [60, 95]  # both headings whole; only the figure goes below its ask


def test_every_card_stands_out_from_what_it_sits_on_in_both_appearances(
    make_app: Callable[..., App], appearance_restored
) -> None:
    # The event window's Summary tiles were gray17 on a gray17 tab body in dark mode: four
    # figures floating with no card around them. A card (a rounded frame of its own colour,
    # without a border) must differ from the colour behind it in light and in dark. Panels in the
    # tables' colour (a chart in its white pane) blend in on purpose.
    app = make_app()
    sample_data_service.load_sample_data()
    for name in app.tab_frames:  # tabs are built when first shown
        app.select_tab(name)
        settle(app)
    [event] = [e for e in event_service.list_events() if e.name.startswith("Christmas")]
    window = app.open_event_detail(event.id)
    for name in window.tabs._tab_dict:
        window.tabs.set(name)
        settle(app)
    for appearance in ("Light", "Dark"):
        app.set_appearance(appearance)
        settle(app)
        invisible = [
            f"{frame} {frame.cget('fg_color')} on {frame.cget('bg_color')}"
            for frame in descendants(app)
            if isinstance(frame, ctk.CTkFrame)
            and frame.cget("corner_radius") > 0
            and frame.cget("border_width") == 0
            and frame.cget("fg_color") not in ("transparent", TABLE_BACKGROUND)
            and frame._apply_appearance_mode(frame.cget("fg_color"))
            == frame._apply_appearance_mode(frame.cget("bg_color"))
        ]
        assert invisible == [], appearance
    window.close()
