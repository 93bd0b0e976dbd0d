"""The first start on an empty database: the window offers the sample season once, after it is
drawn; Yes fills the tabs, No is remembered for that database."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bake_tracker.config import sqlite_url
from bake_tracker.services import catalog_service, sample_data_service
from bake_tracker.ui.app import FIRST_START_DELAY_MS, App
from bake_tracker.ui.data_menu import DECLINED_FILE, FIRST_START_QUESTION
from tests.ui.conftest import Recorder

pytestmark = pytest.mark.gui

AFTER_THE_OFFER = FIRST_START_DELAY_MS / 1000 + 0.4


def run_for(app: App, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.update()
        time.sleep(0.01)


def wait_until(app: App, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the window"
        app.update()
        time.sleep(0.01)


def test_accepting_the_offer_loads_the_sample_season_into_the_tabs(
    make_app: Callable[..., App],
) -> None:
    app = make_app(offer_sample_data=True)
    asked_on = app.ask_confirm
    drawn_when_asked: list[bool] = []

    def ask(message: str) -> bool:  # not before the window is drawn
        drawn_when_asked.append(bool(app.winfo_viewable()))
        return asked_on(message)

    if not asked_on.calls:  # on a slow machine it may have come during make_app's update
        app.ask_confirm = ask
    wait_until(app, lambda: bool(asked_on.calls))
    assert drawn_when_asked in ([], [True])
    assert asked_on.calls == [(FIRST_START_QUESTION,)]
    wait_until(app, lambda: not app.busy)
    app.update()
    assert app.status_label.cget("text").startswith("Sample season loaded")
    assert not sample_data_service.is_empty()
    assert app.tab_frames["Production"].home.cards  # the tab in view shows the season at once
    app.tabs.set("Pantry")
    app.update()
    assert app.tab_frames["Pantry"].table.row_ids()
    app.tabs.set("Ingredients")
    app.update()
    names = app.tab_frames["Ingredients"].table.column_values("name")
    assert "All-Purpose Flour" in names
    assert app.show_error.calls == []


def test_declining_is_remembered_for_that_database(
    make_app: Callable[..., App], data_dir: Path, db_file: Path
) -> None:
    app = make_app(offer_sample_data=True, confirm=False)
    run_for(app, AFTER_THE_OFFER)
    assert app.ask_confirm.calls == [(FIRST_START_QUESTION,)]
    assert not app.busy and sample_data_service.is_empty()
    assert str(db_file) in (data_dir / DECLINED_FILE).read_text(encoding="utf-8").splitlines()
    app.on_close()

    again = make_app(offer_sample_data=True)
    run_for(again, AFTER_THE_OFFER)
    assert again.ask_confirm.calls == []


def test_another_empty_database_is_still_offered(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    first = make_app(offer_sample_data=True, confirm=False)
    run_for(first, AFTER_THE_OFFER)
    first.on_close()

    other = App(database_url=sqlite_url(tmp_path / "other.sqlite3"))
    other.ask_confirm = Recorder(False)
    try:
        run_for(other, AFTER_THE_OFFER)
        assert other.ask_confirm.calls == [(FIRST_START_QUESTION,)]
    finally:
        other.on_close()


def test_a_database_with_data_is_not_offered_anything(
    make_app: Callable[..., App],
) -> None:
    first = make_app()
    catalog_service.create_ingredient("Saffron", category="Spices", recipe_unit="tsp")
    first.on_close()
    app = make_app(offer_sample_data=True)
    run_for(app, AFTER_THE_OFFER)
    assert app.ask_confirm.calls == []


def test_no_offer_when_the_window_is_told_not_to(make_app: Callable[..., App]) -> None:
    app = make_app(offer_sample_data=False)
    run_for(app, AFTER_THE_OFFER)
    assert app.ask_confirm.calls == []
    assert sample_data_service.is_empty()
