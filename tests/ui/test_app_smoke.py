"""The real main window under a display: title, tabs, menu, status bar, error hook and closing."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bake_tracker import main as cli
from bake_tracker.ui import app as app_module
from bake_tracker.ui.app import TAB_NAMES, App
from bake_tracker.ui.events.tab import EventsTab
from bake_tracker.ui.finished_goods_tab import FinishedGoodsTab
from bake_tracker.ui.finished_units_tab import FinishedUnitsTab
from bake_tracker.ui.ingredients.tab import IngredientsTab
from bake_tracker.ui.packages_tab import PackagesTab
from bake_tracker.ui.pantry_tab import PantryTab
from bake_tracker.ui.production.tab import ProductionTab
from bake_tracker.ui.recipes.tab import RecipesTab
from bake_tracker.ui.recipients_tab import RecipientsTab
from bake_tracker.version import app_version

pytestmark = pytest.mark.gui

EXPECTED_TABS = [
    "Production",
    "Events",
    "Recipes",
    "Finished Units",
    "Finished Goods",
    "Packages",
    "Recipients",
    "Ingredients",
    "Pantry",
]


def menu_labels(menu) -> list[str]:
    last = menu.index("end")
    return [menu.entrycget(i, "label") for i in range(last + 1) if menu.type(i) != "separator"]


def test_title_size_and_version(app: App) -> None:
    assert app.title() == f"bake-tracker - v{app_version()}"
    assert app_version() in app.title()
    # CTk's minsize() cannot be read back; ask Tk (no scaling under Xvfb's 96 dpi)
    assert app.tk.call("wm", "minsize", app._w) == (960, 540)
    # the test screen (1600x1000) is larger than the cap: the window opens at the cap
    assert app.geometry().startswith("1440x900")


def test_tabs_in_order_with_production_selected(app: App) -> None:
    assert list(TAB_NAMES) == EXPECTED_TABS
    assert [app.tabs.index(name) for name in EXPECTED_TABS] == list(range(9))
    assert app.tabs.get() == "Production"


BUILT_TABS = {
    "Production": ProductionTab,
    "Events": EventsTab,
    "Recipes": RecipesTab,
    "Finished Units": FinishedUnitsTab,
    "Finished Goods": FinishedGoodsTab,
    "Packages": PackagesTab,
    "Recipients": RecipientsTab,
    "Ingredients": IngredientsTab,
    "Pantry": PantryTab,
}


def test_every_tab_is_built():
    """No tab is left as a "coming soon" placeholder."""
    assert set(BUILT_TABS) == set(EXPECTED_TABS)


@pytest.mark.parametrize("name", list(BUILT_TABS))
def test_built_tabs_are_mounted_and_can_be_selected(app: App, name: str) -> None:
    app.tabs.set(name)
    app.update()
    assert app.tabs.get() == name
    frame = app.tab_frames[name]
    assert isinstance(frame, BUILT_TABS[name])
    assert frame.winfo_ismapped()


def test_pantry_tab_keeps_its_description(app: App) -> None:
    assert "purchase lots, oldest first" in app.tab_frames["Pantry"].description


def test_ctrl_number_switches_tabs(app: App) -> None:
    app.focus_force()
    app.update()
    app.event_generate("<Control-Key-3>")
    app.update()
    assert app.tabs.get() == "Recipes"
    app.event_generate("<Control-Key-9>")
    app.update()
    assert app.tabs.get() == "Pantry"


def test_menu_bar_has_file_exit_and_help_about(app: App) -> None:
    assert menu_labels(app.menubar) == ["File", "Tools", "View", "Help"]
    assert menu_labels(app.file_menu)[-1] == "Exit"  # the data entries come first
    last = app.file_menu.index("end")
    assert app.file_menu.type(last - 1) == "separator"
    assert app.file_menu.entrycget("Exit", "accelerator") == "Ctrl+Q"
    assert menu_labels(app.help_menu) == [
        "User guide",
        "Keyboard shortcuts…",
        "Open data folder",
        "Open backups folder",
        "Open log",
        "About…",
    ]


def test_help_about_shows_version_database_data_folder_and_log(app: App, db_file: Path) -> None:
    app.help_menu.invoke(app.help_menu.index("About…"))
    [(title, message)] = app.show_info.calls
    assert title == "About bake-tracker"
    assert app_version() in message
    assert str(db_file) in message
    assert "SQLite" in message
    assert str(app.settings.data_dir) in message
    assert str(app.settings.log_file) in message


def test_file_exit_asks_first_and_stays_open_on_no(app: App) -> None:
    app.ask_confirm.result = False
    app.file_menu.invoke(app.file_menu.index("Exit"))
    assert app.ask_confirm.calls == [("Exit bake-tracker?",)]
    assert not app.closed
    assert app.winfo_exists()


def test_file_exit_confirmed_closes_the_window(app: App, make_app: Callable[[], App]) -> None:
    app.file_menu.invoke(app.file_menu.index("Exit"))
    assert app.closed
    assert make_app().tabs.get() == "Production"


def test_ctrl_q_asks_to_exit(app: App) -> None:
    app.ask_confirm.result = False
    app.focus_force()
    app.update()
    app.event_generate("<Control-q>")
    app.update()
    assert app.ask_confirm.calls == [("Exit bake-tracker?",)]


def test_status_bar_names_the_database_file(app: App, db_file: Path) -> None:
    assert app.status_label.cget("text") == f"Ready — {db_file}"
    assert "SQLite" in app.status_detail_label.cget("text")
    app.set_status("Import completed successfully.")
    assert app.status_label.cget("text") == "Import completed successfully."


def test_status_bar_mentions_a_migration_and_its_backup(
    make_app: Callable[[], App], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backups" / "t-before-migration.sqlite3"
    real_open = app_module.database_service.open_database

    def open_after_migration(url: str):
        return dataclasses.replace(real_open(url), migrated_from="0000", backup_path=backup)

    monkeypatch.setattr(app_module.database_service, "open_database", open_after_migration)
    text = make_app().status_label.cget("text")
    assert "Database updated" in text and str(backup) in text


def test_unexpected_callback_error_is_logged_and_shown_kindly(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    handler = cli.configure_logging(app.settings.log_file)
    try:

        def broken_callback() -> None:
            raise ValueError("the oven exploded")

        app.after_idle(broken_callback)
        app.update()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    [(title, message)] = app.show_error.calls
    assert title == "Something went wrong"
    assert "Something went wrong" in message
    assert "the oven exploded" in message
    assert str(app.settings.log_file) in message
    assert any(r.name == "bake_tracker.ui" and r.exc_info for r in caplog.records)
    logged = app.settings.log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "ValueError: the oven exploded" in logged
    assert "broken_callback" in logged


def test_window_close_button_disposes_cleanly_and_the_file_reopens(
    app: App, make_app: Callable[[], App], db_file: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    app.tabs.set("Pantry")  # queues a CustomTkinter redraw that must not outlive the window
    handler = app.protocol("WM_DELETE_WINDOW")
    app.tk.call(handler)
    assert app.closed
    assert app.show_error.calls == []
    assert not Path(f"{db_file}-wal").exists() or Path(f"{db_file}-wal").stat().st_size == 0
    again = make_app()
    deadline = time.monotonic() + 0.3  # let any job left behind by the first window fire
    while time.monotonic() < deadline:
        again.update()
        time.sleep(0.02)
    assert again.status_label.cget("text") == f"Ready — {db_file}"
    assert again.show_error.calls == []
    assert "invalid command name" not in capfd.readouterr().err


def test_gui_command_opens_the_window_and_closes_the_database(
    db_file: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[App] = []

    def run_briefly(self: App) -> None:
        opened.append(self)
        # the empty database's first-start offer is a modal question: on a slow machine it comes
        # due inside this first update, so it is answered here rather than waited on for ever
        self.ask_confirm = lambda *_args, **_kwargs: False
        self.update()
        self.on_close()

    monkeypatch.setattr(App, "mainloop", run_briefly)
    assert cli.main(["--db", str(db_file)]) == 0
    assert len(opened) == 1 and opened[0].closed
    assert opened[0].settings.source == "--db"


def test_the_window_folds_the_wal_back_between_use_cases(app: App, db_file: Path) -> None:
    """Issue 16 T9: commits are synced (FULL) and the automatic checkpoint is set far off, so the
    window runs a passive one from its idle loop: what was recorded reaches the file itself."""
    import sqlite3

    from bake_tracker.services import catalog_service

    def in_main_file() -> list:
        raw = sqlite3.connect(db_file.resolve().as_uri() + "?immutable=1", uri=True)
        try:
            return raw.execute("SELECT slug FROM ingredients WHERE slug = 'rye'").fetchall()
        finally:
            raw.close()

    scheduled = [app.tk.call("after", "info", job) for job in app.tk.call("after", "info")]
    assert any("_checkpoint_when_idle" in str(script) for script, _ in scheduled)
    app._checkpoint_when_idle()  # the schema the app created at start reaches the file
    catalog_service.create_ingredient("Rye", category="Flour", recipe_unit="cup")
    assert in_main_file() == []  # only in the WAL so far
    app._checkpoint_when_idle()  # what the idle timer runs
    assert in_main_file() == [("rye",)]
