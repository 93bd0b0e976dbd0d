"""The keyboard in dialogs and windows: Tab order through every control, Space and Return on
buttons, drop-downs and check boxes, Return and Tab in a Notes box, Escape, Ctrl+A; the
"Mark delivered" box opens over the window that asked. Driven with real key events under Xvfb."""

from __future__ import annotations

import pytest

from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import recipe_service as rs
from bake_tracker.ui.app import App
from bake_tracker.ui.events.dialogs import EventDialog
from bake_tracker.ui.events.tab import EventsTab
from bake_tracker.ui.finished_units_tab import FinishedUnitDialog
from bake_tracker.ui.ingredients.dialogs import IngredientDialog
from bake_tracker.ui.kit import keyboard
from bake_tracker.ui.kit.dialog import TextPromptDialog, ask_text
from bake_tracker.ui.record.production import RecordProductionDialog
from tests.ui.conftest import open_tab, type_into
from tests.ui.test_record_dialogs import make_cookie

pytestmark = pytest.mark.gui


def focused(window) -> object:
    """The control holding the focus (a CustomTkinter control for its inner label)."""
    widget = window.focus_get()
    assert widget is not None, "nothing has the focus"
    return keyboard.owner_control(widget)


def press(window, key: str) -> None:
    """Send ``key`` to the widget with the focus, as the keyboard does."""
    widget = window.focus_get()
    assert widget is not None
    widget.event_generate(key)
    window.update()


def tab_walk(window, steps: int, key: str = "<Tab>") -> list[object]:
    seen = []
    for _ in range(steps):
        press(window, key)
        seen.append(focused(window))
    return seen


def two_recipes() -> None:
    rs.create_recipe("Brownies", category="Bars", yield_quantity=24, yield_unit="brownie")
    rs.create_recipe("Sugar Cookies", category="Cookies", yield_quantity=48, yield_unit="cookie")


def unit_dialog(app: App) -> FinishedUnitDialog:
    dialog = FinishedUnitDialog(app, show=True)
    dialog.update()
    return dialog


def test_tab_reaches_every_control_of_a_form_in_reading_order(app: App) -> None:
    two_recipes()
    dialog = unit_dialog(app)
    assert focused(dialog) is dialog.name_entry
    counted, portion = dialog.mode_buttons._buttons_dict.values()
    expected = [
        dialog.recipe_menu,
        counted,
        portion,
        dialog.items_entry,  # the portion field is disabled in this mode, so it is skipped
        dialog.item_unit_box,
        dialog.category_box,
        dialog.cancel_button,
        dialog.ok_button,
        dialog.name_entry,  # round again
    ]
    assert tab_walk(dialog, len(expected)) == expected
    assert tab_walk(dialog, 3, "<Shift-Tab>") == [
        dialog.ok_button,
        dialog.cancel_button,
        dialog.category_box,
    ]
    dialog.close()


def test_a_focused_control_shows_a_ring_and_space_uses_it(app: App) -> None:
    two_recipes()
    dialog = unit_dialog(app)
    press(dialog, "<Tab>")
    assert focused(dialog) is dialog.recipe_menu
    assert keyboard.has_focus_ring(dialog.recipe_menu)
    assert dialog.recipe_menu.get() == "Brownies"
    press(dialog, "<Down>")  # the next recipe, and the yield follows it
    assert dialog.recipe_menu.get() == "Sugar Cookies"
    assert dialog.items_entry.get() == "48"
    press(dialog, "<Up>")
    assert (dialog.recipe_menu.get(), dialog.items_entry.get()) == ("Brownies", "24")
    press(dialog, "<Tab>")
    press(dialog, "<Tab>")  # to "Portion of a batch"
    assert not keyboard.has_focus_ring(dialog.recipe_menu)
    press(dialog, "<space>")
    assert dialog.mode() == "batch_portion"
    assert dialog.percentage_entry.cget("state") == "normal"
    dialog.close()


def test_return_on_a_focused_button_presses_that_button(app: App) -> None:
    two_recipes()
    dialog = unit_dialog(app)
    type_into(dialog.name_entry, "Brownie")
    dialog.cancel_button.focus_set()
    dialog.update()
    assert keyboard.has_focus_ring(dialog.cancel_button)
    press(dialog, "<Return>")
    assert not dialog.winfo_exists()
    assert fus.list_finished_units() == []


def test_return_in_a_field_saves_and_escape_cancels(app: App) -> None:
    two_recipes()
    dialog = unit_dialog(app)
    press(dialog, "<Escape>")
    assert not dialog.winfo_exists()
    dialog = unit_dialog(app)
    type_into(dialog.name_entry, "Brownie")
    press(dialog, "<Return>")
    assert not dialog.winfo_exists()
    [saved] = fus.list_finished_units()
    assert (saved.display_name, saved.items_per_batch) == ("Brownie", 24)


def test_ctrl_a_selects_all_the_text_of_a_field(app: App) -> None:
    two_recipes()
    dialog = unit_dialog(app)
    type_into(dialog.name_entry, "Brownie")
    press(dialog, "<Control-a>")
    entry = dialog.name_entry._entry
    assert entry.selection_present()
    assert entry.index("sel.first") == 0 and entry.index("sel.last") == len("Brownie")
    dialog.close()


def test_tab_and_return_leave_a_notes_box(app: App) -> None:
    unit = make_cookie()
    dialog = RecordProductionDialog(app, unit.id, show=True)
    dialog.update()
    notes = dialog.notes_text._textbox
    notes.focus_set()
    dialog.update()
    press(dialog, "<Tab>")
    assert dialog.notes_text.get("1.0", "end-1c") == ""  # no tab typed
    assert dialog.focus_get() is not notes
    notes.focus_set()
    notes.insert("end", "first line")
    dialog.update()
    press(dialog, "<Shift-Return>")
    notes.insert("end", "second")
    assert dialog.notes_text.get("1.0", "end-1c") == "first line\nsecond"
    confirmations: list[str] = []
    dialog.ask_confirm = lambda message: confirmations.append(message) or False
    press(dialog, "<Return>")  # Return in Notes is Confirm, which asks first
    assert len(confirmations) == 1 and "Record 1 batch" in confirmations[0]
    assert dialog.notes_text.get("1.0", "end-1c") == "first line\nsecond"
    dialog.close()


def test_tab_reaches_a_check_box_and_space_ticks_it(app: App) -> None:
    dialog = IngredientDialog(app, show=True)
    dialog.update()
    for _ in range(12):
        press(dialog, "<Tab>")
        if focused(dialog) is dialog.packaging_check:
            break
    assert focused(dialog) is dialog.packaging_check
    assert keyboard.has_focus_ring(dialog.packaging_check)
    press(dialog, "<space>")
    assert dialog.packaging_check.get() == 1
    press(dialog, "<space>")
    assert dialog.packaging_check.get() == 0
    dialog.close()


def test_the_text_prompt_opens_over_its_window_and_escape_cancels(app: App) -> None:
    app.geometry("900x600+300+200")
    app.update()
    dialog = TextPromptDialog(app, title="Mark delivered", prompt="Delivered to (optional)")
    dialog.update()
    x = dialog.winfo_rootx() - app.winfo_rootx()
    y = dialog.winfo_rooty() - app.winfo_rooty()
    assert 0 <= x <= app.winfo_width() - dialog.winfo_width()
    assert 0 <= y <= app.winfo_height() - dialog.winfo_height()
    assert focused(dialog) is dialog.text_entry
    press(dialog, "<Escape>")
    assert not dialog.winfo_exists() and dialog.result is None


def test_ask_text_returns_what_was_typed_or_none(app: App) -> None:
    def answer() -> None:
        dialog = next(w for w in app.winfo_children() if isinstance(w, TextPromptDialog))
        type_into(dialog.text_entry, "  the  neighbours ")
        press(dialog, "<Return>")

    app.after(300, answer)
    assert ask_text(app, "Mark delivered", "Delivered to") == "the neighbours"

    def cancel() -> None:
        dialog = next(w for w in app.winfo_children() if isinstance(w, TextPromptDialog))
        press(dialog, "<Escape>")

    app.after(300, cancel)
    assert ask_text(app, "Mark delivered", "Delivered to") is None


def test_escape_closes_the_event_window_and_its_prompt_opens_over_it(app: App) -> None:
    from datetime import date

    from bake_tracker.services import event_service

    event = event_service.create_event("Christmas", date(2026, 12, 24))
    window = app.open_event_detail(event.id)
    window.geometry("1000x700+400+150")
    window.update()
    # The "Mark delivered" box opens over the event window, not in a corner of the screen.
    prompt = TextPromptDialog(window, title="Mark delivered", prompt="Delivered to")
    prompt.update()
    x = prompt.winfo_rootx() - window.winfo_rootx()
    y = prompt.winfo_rooty() - window.winfo_rooty()
    assert 0 <= x <= window.winfo_width() - prompt.winfo_width()
    assert 0 <= y <= window.winfo_height() - prompt.winfo_height()
    press(prompt, "<Escape>")  # closes the prompt only
    assert not prompt.winfo_exists() and window.winfo_exists()
    window.focus_force()
    window.update()
    press(window, "<Escape>")
    assert window.closed


def test_shortcuts_take_either_case_and_command_on_macos(app: App) -> None:
    assert keyboard.shortcut_keys(app, "i") == ["<Control-i>", "<Control-I>"]  # X11 here
    assert keyboard.shortcut_keys(app, "i", "aqua") == [
        "<Control-i>", "<Control-I>", "<Command-i>", "<Command-I>",
    ]  # fmt: skip


def test_left_and_right_on_the_tab_bar_show_the_neighbouring_tabs(app: App) -> None:
    # The tab bar was out of Tab's reach (CustomTkinter hides it from winfo_children): only
    # Ctrl+1…9 switched tabs from the keyboard.
    tab = open_tab(app, "Events", EventsTab)
    bar = app.tabs._segmented_button._buttons_dict
    tab.table.tree.focus_force()
    app.update()
    press(app, "<Tab>")
    assert focused(app) is bar["Events"]
    press(app, "<Right>")
    assert app.tabs.get() == "Recipes" and focused(app) is bar["Recipes"]
    assert app.tab_frames["Recipes"].winfo_viewable()  # built and shown, as a click does
    press(app, "<Left>")
    press(app, "<Left>")
    assert app.tabs.get() == "Production" and focused(app) is bar["Production"]
    press(app, "<Left>")  # the first tab: nowhere further
    assert app.tabs.get() == "Production"
    press(app, "<Shift-Tab>")  # Shift-Tab from the bar leaves it, not along it
    assert focused(app) not in bar.values()


def test_a_tab_switched_away_from_is_hidden_at_once_so_tab_cannot_land_on_it(app: App) -> None:
    # CustomTkinter hides the previous tab 100 ms after set(); on a loaded machine the first Tab
    # pressed in that window landed on the hidden Production tab's buttons.
    production = app.tabs.tab("Production")
    app.update()
    assert production.winfo_viewable()
    app.tabs.set("Events")
    app.update_idletasks()  # not the 100 ms timer
    assert not production.winfo_viewable()
    assert app.tabs.tab("Events").winfo_viewable()


def test_tab_in_the_main_window_reaches_the_tab_buttons_and_return_presses_them(app: App) -> None:
    # Tab from the Events table used to stay on the table: the main window's buttons and
    # drop-downs were never made focusable, so a keyboard user could not add an event. The
    # first Tab must not land on a hidden tab's control either.
    tab = open_tab(app, "Events", EventsTab)
    tab.table.tree.focus_force()
    app.update()
    events_button = app.tabs._segmented_button._buttons_dict["Events"]
    seen = tab_walk(app, 5)
    # the tab bar is one stop (the current tab's button), then the tab in reading order
    assert seen[:4] == [events_button, tab.year_filter, tab.add_button, tab.refresh_button]
    assert seen[4] is tab.table.tree  # round again (Edit…, Clone…, Delete disabled: skipped)
    press(app, "<Tab>")
    press(app, "<Tab>")
    press(app, "<Tab>")
    assert focused(app) is tab.add_button
    press(app, "<Return>")
    assert isinstance(tab.active_dialog, EventDialog)
    tab.active_dialog.on_cancel()
