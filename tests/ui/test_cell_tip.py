"""A cell its column cuts off shows its whole text under a resting pointer (``kit.cell_tip``)."""

from __future__ import annotations

import time

import customtkinter as ctk
import pytest

from bake_tracker.ui.app import App
from bake_tracker.ui.kit import cell_tip
from bake_tracker.ui.kit.table import Column, DataTable

pytestmark = pytest.mark.gui

LONG_NAME = "Grandma Rosa's cardamom & orange-blossom shortbread, the big #2 batch (100 % butter)"


@pytest.fixture
def table(app: App):
    window = ctk.CTkToplevel(app)
    window.geometry("420x260+40+40")
    table = DataTable(window, [Column("name", "Name", 160), Column("cost", "Cost", 90, anchor="e")])
    table.pack(fill="both", expand=True)
    table.set_rows([("1", (LONG_NAME, "$12.50"), ()), ("2", ("Oats", "$1.00"), ())])
    window.update()
    yield table
    window.destroy()


def rest_on(table: DataTable, iid: str, key: str) -> None:
    """Move the pointer onto a cell and wait as a user would, longer than the tip's delay."""
    x, y, width, height = table.tree.bbox(iid, key)
    table.tree.event_generate("<Motion>", x=x + width // 2, y=y + height // 2)
    deadline = time.monotonic() + cell_tip.DELAY_MS / 1000 + 0.5
    while time.monotonic() < deadline:
        table.update()
        time.sleep(0.02)


def test_a_cut_off_cell_shows_its_whole_text_and_a_whole_one_shows_nothing(table) -> None:
    assert table.tree.column("name", "width") < 400  # the name really is cut off
    rest_on(table, "1", "name")
    assert table.cell_tip.shown_text() == LONG_NAME
    tip = table.cell_tip._window
    assert tip is not None and tip.winfo_ismapped()
    # on the screen, below the pointer
    assert tip.winfo_rootx() >= 0
    assert tip.winfo_rootx() + tip.winfo_width() <= tip.winfo_screenwidth()

    rest_on(table, "2", "name")  # "Oats" fits
    assert table.cell_tip.shown_text() is None
    rest_on(table, "1", "cost")
    assert table.cell_tip.shown_text() is None


def test_leaving_clicking_or_scrolling_hides_the_tip(table) -> None:
    for sequence in ("<Leave>", "<ButtonPress-1>", "<MouseWheel>"):
        rest_on(table, "1", "name")
        assert table.cell_tip.shown_text() == LONG_NAME, sequence
        table.tree.event_generate(sequence, x=5, y=5)
        table.update()
        assert table.cell_tip.shown_text() is None, sequence


def test_a_tip_about_to_open_is_forgotten_when_the_pointer_moves_on(table) -> None:
    x, y, _width, height = table.tree.bbox("1", "name")
    table.tree.event_generate("<Motion>", x=x + 5, y=y + height // 2)
    table.tree.event_generate("<Leave>")
    deadline = time.monotonic() + cell_tip.DELAY_MS / 1000 + 0.3
    while time.monotonic() < deadline:
        table.update()
        time.sleep(0.02)
    assert table.cell_tip.shown_text() is None


def test_a_very_long_cell_is_shown_up_to_a_limit(table) -> None:
    huge = "x" * 5000
    table.set_rows([("1", (huge, "$1"), ())])
    table.update()
    rest_on(table, "1", "name")
    shown = table.cell_tip.shown_text()
    assert shown == "x" * cell_tip.LONGEST_SHOWN + "…"
    tip = table.cell_tip._window
    assert tip.winfo_width() <= tip.winfo_screenwidth()


def test_the_tip_follows_dark_mode(table) -> None:
    ctk.set_appearance_mode("dark")
    try:
        table.update()
        rest_on(table, "1", "name")
        label = table.cell_tip._window.winfo_children()[0]
        assert label.cget("background") == cell_tip.TIP_BACKGROUND[1]
    finally:
        ctk.set_appearance_mode("light")
