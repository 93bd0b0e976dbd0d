"""The app's own question and notice boxes (``kit.message``), driven by real key events and
button presses under Xvfb: Return answers with the default, Escape and closing say No, Tab
reaches the other button, and the box follows dark mode. The windows' ``ask_confirm`` and
``show_error`` use it (tests elsewhere replace those one-liners)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import customtkinter as ctk
import pytest

from bake_tracker.ui.app import App
from bake_tracker.ui.kit import keyboard
from bake_tracker.ui.kit import message as message_box
from bake_tracker.ui.kit.message import MessageDialog

pytestmark = pytest.mark.gui


def the_box(app: App) -> MessageDialog:
    [box] = [w for w in app.winfo_children() if isinstance(w, MessageDialog)]
    return box


def answer_with(app: App, *keys: str, then: Callable[[MessageDialog], None] | None = None):
    """Once the box is up, send ``keys`` to whatever has the focus (as the keyboard does)."""
    seen: dict[str, object] = {}

    def act() -> None:
        box = the_box(app)
        try:
            seen["box"] = box
            seen["text"] = box.message_label.cget("text")
            seen["focus"] = keyboard.owner_control(box.focus_get())
            seen["color"] = box._apply_appearance_mode(box.cget("fg_color"))
            if then is not None:
                then(box)
            for key in keys:
                box.focus_get().event_generate(key)
                box.update()
        finally:  # never leave the test waiting on a box nobody answered
            if box.winfo_exists():
                seen["left_open"] = True
                box.answer(None)

    app.after(200, act)
    return seen


@pytest.fixture
def dark() -> Iterator[None]:
    before = ctk.get_appearance_mode()
    ctk.set_appearance_mode("Dark")
    yield
    ctk.set_appearance_mode(before)


def test_return_says_yes_and_the_default_button_has_the_focus(app: App) -> None:
    seen = answer_with(app, "<Return>")
    assert message_box.ask_yes_no(app, "Delete", "Delete “Flour #1 – 100%”?") is True
    box = seen["box"]
    assert seen["text"] == "Delete “Flour #1 – 100%”?"
    assert seen["focus"] is box.buttons[message_box.YES]
    assert not box.winfo_exists()  # closed, the focus given back


def test_escape_says_no(app: App) -> None:
    seen = answer_with(app, "<Escape>")
    assert message_box.ask_yes_no(app, "Delete", "Delete it?") is False
    assert "left_open" not in seen


def test_tab_reaches_no_and_return_presses_it(app: App) -> None:
    seen = answer_with(app, "<Tab>", "<Return>")
    assert message_box.ask_yes_no(app, "Delete", "Delete it?") is False
    assert seen["focus"] is seen["box"].buttons[message_box.YES]
    assert "left_open" not in seen


def test_closing_the_window_says_no(app: App) -> None:
    seen = answer_with(app, then=lambda box: box.tk.call(box.protocol("WM_DELETE_WINDOW")))
    assert message_box.ask_yes_no(app, "Delete", "Delete it?") is False
    assert "left_open" not in seen


def test_a_notice_closes_on_ok_and_follows_dark_mode(app: App, dark) -> None:
    seen = answer_with(app, then=lambda box: box.buttons[message_box.OK].invoke())
    message_box.tell(app, "Could not save", "The disk is full.", "error")
    assert seen["text"] == "The disk is full."
    assert "left_open" not in seen
    assert seen["color"] == box_color("Dark")  # not Tk's light grey box


def box_color(mode: str) -> str:
    color = ctk.ThemeManager.theme["CTkToplevel"]["fg_color"]
    return color[1] if mode == "Dark" else color[0]


def test_the_windows_ask_and_tell_through_it(db_file, data_dir) -> None:
    # the real one-liners (the ``app`` fixture replaces them with recorders)
    app = App(database_url=f"sqlite:///{db_file}", offer_sample_data=False)
    try:
        seen = answer_with(app, "<Return>")
        assert app.ask_confirm("Remove the lot?") is True
        assert seen["text"] == "Remove the lot?"
        seen = answer_with(app, "<Return>")
        app.show_error("Could not save", "Locked by another program.")
        assert seen["text"] == "Locked by another program."
    finally:
        app.destroy()
