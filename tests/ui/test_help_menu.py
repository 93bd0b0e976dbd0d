"""Help menu entries of the real window, with only the hand-over to the system (``open_path``)
replaced by a recorder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from platformdirs import user_cache_dir

from bake_tracker.ui import help_menu, opener
from bake_tracker.ui.app import App
from tests.ui.conftest import Recorder

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(opener, "open_path", recorder)
    return recorder


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def invoke(app: App, label: str) -> None:
    app.help_menu.invoke(app.help_menu.index(label))
    app.update()


def test_user_guide_opens_the_guide_as_a_web_page(
    app: App, opened: Recorder, cache_dir: Path
) -> None:
    invoke(app, help_menu.GUIDE_LABEL)
    [(page,)] = opened.calls
    assert Path(page) == Path(user_cache_dir("bake-tracker", appauthor=False)) / "user-guide.html"
    if sys.platform.startswith("linux"):  # XDG_CACHE_HOME is the Linux user cache folder
        assert Path(page).parent.is_relative_to(cache_dir)
    text = Path(page).read_text(encoding="utf-8")
    assert "<h1>bake-tracker user guide</h1>" in text
    assert "<h2>First steps</h2>" in text and "<h2>Keyboard shortcuts</h2>" in text
    assert "<ol><li><strong>Pantry.</strong>" in text  # the numbered first steps
    assert "<td>Ctrl+B</td>" in text  # the shortcuts table
    assert app.show_error.calls == []


def test_keyboard_shortcuts_lists_the_keys_the_window_binds(app: App) -> None:
    invoke(app, help_menu.SHORTCUTS_LABEL)
    [(title, message)] = app.show_info.calls
    assert title == "Keyboard shortcuts"
    for keys in ("Ctrl+1 … Ctrl+9", "Ctrl+I", "Ctrl+E", "Ctrl+B", "Ctrl+P", "Ctrl+Q", "Escape"):
        assert keys in message
    bound = {s.lower() for s in app.bind()}
    for letter in "iebpq":  # every Ctrl+letter listed is really bound
        assert f"<control-key-{letter}>" in bound


def test_shortcuts_say_cmd_on_a_mac() -> None:
    assert "Cmd+Q" in help_menu.shortcuts_text(mac=True)
    assert "Ctrl" not in help_menu.shortcuts_text(mac=True)


def test_open_data_folder(app: App, opened: Recorder) -> None:
    invoke(app, help_menu.DATA_FOLDER_LABEL)
    assert opened.calls == [(app.settings.data_dir,)]
    assert "Opened the data folder" in app.status_label.cget("text")


def test_open_backups_folder_makes_it_beside_the_database(
    app: App, opened: Recorder, db_file: Path
) -> None:
    invoke(app, help_menu.BACKUPS_FOLDER_LABEL)
    folder = db_file.parent / "backups"
    assert opened.calls == [(folder,)]
    assert folder.is_dir()


def test_open_log_before_anything_was_logged_says_where_it_will_be(
    app: App, opened: Recorder
) -> None:
    assert not app.settings.log_file.exists()
    invoke(app, help_menu.LOG_LABEL)
    assert opened.calls == []
    [(_title, message)] = app.show_info.calls
    assert str(app.settings.log_file) in message


def test_open_log_opens_the_log_file(app: App, opened: Recorder) -> None:
    app.settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    app.settings.log_file.write_text("started\n", encoding="utf-8")
    invoke(app, help_menu.LOG_LABEL)
    assert opened.calls == [(app.settings.log_file,)]


def test_a_system_without_an_opener_gets_a_message_not_a_traceback(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_program(target: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")

    monkeypatch.setattr(opener, "open_path", no_program)
    invoke(app, help_menu.DATA_FOLDER_LABEL)
    [(title, message)] = app.show_error.calls
    assert title == "Cannot open"
    assert str(app.settings.data_dir) in message and "xdg-open" in message
