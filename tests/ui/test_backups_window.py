"""Backups in the window: the daily copy at start, the copy before an import, the Restore dialog
that lists the backups newest first with their dates, and a read-only database said in the status
bar. Real windows on a real display; file choosers and confirmations answered by recorders.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bake_tracker.services import backup_service, catalog_service, sample_data_service
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import StorageError
from bake_tracker.ui.app import App
from bake_tracker.ui.background import ProgressDialog
from bake_tracker.ui.data_dialogs import RestoreDialog
from tests.reliability.test_storage_faults import read_only
from tests.ui.conftest import Recorder, settle
from tests.ui.test_data_menu import finish_job, ingredient_names, invoke, wait_until

pytestmark = pytest.mark.gui


def backups(db_file: Path, pattern: str = "*") -> list[str]:
    folder = db_file.parent / "backups"
    return sorted(p.name for p in folder.glob(pattern)) if folder.is_dir() else []


def a_season_on_disk(make_app: Callable[..., App]) -> None:
    """Load the sample season through a first window, then close it (the next start is 'today'
    again, but the first one made no daily copy: the database was empty)."""
    first = make_app()
    sample_data_service.load_sample_data()
    first.on_close()


def test_the_first_start_of_the_day_saves_a_daily_backup_and_the_second_does_not(
    make_app: Callable[..., App], db_file: Path
) -> None:
    a_season_on_disk(make_app)
    assert backups(db_file) == []  # an empty database is not copied
    second = make_app()
    [daily] = backups(db_file)
    assert daily.startswith("t-auto-daily-") and daily.endswith(".sqlite3")
    assert second.daily_backup_note == f"Daily backup saved to {db_file.parent / 'backups' / daily}"
    second.on_close()
    make_app().on_close()
    assert backups(db_file) == [daily]


def test_the_daily_backup_runs_once_the_window_is_up_without_flashing_a_dialog(
    make_app: Callable[..., App], db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large season takes seconds to copy and verify: the window no longer waits for it.
    a_season_on_disk(make_app)
    revealed: list[str] = []
    monkeypatch.setattr(ProgressDialog, "_reveal", lambda dialog: revealed.append(dialog.message))
    copied_on: list[str] = []
    real_backup = backup_service.daily_backup

    def daily_backup(**options) -> Path | None:
        copied_on.append(threading.current_thread().name)
        return real_backup(**options)

    monkeypatch.setattr(backup_service, "daily_backup", daily_backup)
    app = App(database_url=f"sqlite:///{db_file}", offer_sample_data=False)
    try:
        assert backups(db_file) == []  # the window is built, the copy not begun
        settle(app)
        [daily] = backups(db_file)
        assert copied_on == ["bake-worker_0"] and revealed == []  # a quick copy shows nothing
        assert app.daily_backup_note.endswith(daily)
        assert app.file_menu.entrycget("Export Data…", "state") == "normal"
    finally:
        app.on_close()


def test_a_slow_daily_backup_shows_its_progress_and_a_failed_one_says_so(
    make_app: Callable[..., App], db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_season_on_disk(make_app)

    released = threading.Event()

    def slow_then_refused(**_options) -> Path:
        released.wait(30)  # slow until the test has seen the dialog
        raise StorageError("The disk is full (needs 2 MB more).")

    monkeypatch.setattr(backup_service, "daily_backup", slow_then_refused)
    app = App(database_url=f"sqlite:///{db_file}", offer_sample_data=False)
    try:
        app.update()
        assert app.file_menu.entrycget("Export Data…", "state") == "disabled"  # waits for it
        dialog = app.background.dialog
        assert dialog is not None
        wait_until(app, lambda: dialog.revealed, timeout=10)  # after DAILY_BACKUP_REVEAL_MS
        assert dialog.message == "Saving today's backup…"
        released.set()
        settle(app)
        status = app.status_label.cget("text")
        assert status == "The daily backup was not made: The disk is full (needs 2 MB more)."
        assert app.file_menu.entrycget("Export Data…", "state") == "normal"
        assert backups(db_file) == []
    finally:
        app.on_close()


def test_only_the_last_n_automatic_backups_are_kept_and_manual_ones_never_pruned(
    make_app: Callable[..., App], db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKE_TRACKER_KEEP_BACKUPS", "3")
    a_season_on_disk(make_app)
    app = make_app()
    manual = backup_service.backup_database()
    folder = db_file.parent / "backups"
    for n in range(5):  # five older automatic copies, dated a day apart
        shutil.copyfile(manual, folder / f"t-auto-before-import-2026010{n + 1}-120000.sqlite3")
    backup_service.prune_automatic(app.settings.keep_backups)
    kept = backups(db_file, "t-auto-*")
    assert len(kept) == 3 and kept[0].startswith("t-auto-before-import-20260104")
    assert kept[1].startswith("t-auto-before-import-20260105")
    assert kept[2].startswith("t-auto-daily-")  # today's is the newest
    assert manual.exists()


def test_an_import_saves_a_backup_first(make_app: Callable[..., App], db_file: Path) -> None:
    a_season_on_disk(make_app)
    app = make_app()
    export = db_file.parent / "season.json"
    ts.export_data(export)
    catalog_service.create_ingredient("Saffron", category="Spices", recipe_unit="tsp")
    app.data_menu.start_import(export, "replace")
    finish_job(app)
    [before_import] = backups(db_file, "t-auto-before-import-*")
    assert "Saffron" not in ingredient_names()
    restored = make_restore(app, db_file.parent / "backups" / before_import)
    assert restored and "Saffron" in ingredient_names()


def make_restore(app: App, path: Path) -> bool:
    """Choose ``path`` in the Restore dialog and restore it."""
    invoke(app, app.file_menu, "Restore from Backup…")
    dialog = app.data_menu.restore_dialog
    dialog.choice.set(str(path))
    dialog.on_ok()
    finish_job(app)
    return dialog.result == path and app.show_error.calls == []


def test_the_restore_dialog_lists_backups_newest_first_with_their_dates(
    make_app: Callable[..., App], db_file: Path
) -> None:
    a_season_on_disk(make_app)
    app = make_app()
    folder = db_file.parent / "backups"
    source = next(folder.glob("t-auto-daily-*"))
    names = {
        "t-20251124-080000.sqlite3": "Mon 24 Nov 2025, 08:00  ·  manual",
        "t-auto-before-restore-20251201-173000.sqlite3": "Mon 1 Dec 2025, 17:30  ·  before restore",
        "t-before-migration-20251115-090000.sqlite3": "Sat 15 Nov 2025, 09:00  ·  before migration",
    }
    for name in names:
        shutil.copyfile(source, folder / name)
    invoke(app, app.file_menu, "Restore from Backup…")
    dialog = app.data_menu.restore_dialog
    assert isinstance(dialog, RestoreDialog)
    labels = dialog.labels
    assert len(labels) == 4 and "  ·  daily  ·  " in labels[0]  # today's copy is the newest
    assert labels[1].startswith(names["t-auto-before-restore-20251201-173000.sqlite3"])
    assert labels[2].startswith(names["t-20251124-080000.sqlite3"])
    assert labels[3].startswith(names["t-before-migration-20251115-090000.sqlite3"])
    assert labels[2].endswith("t-20251124-080000.sqlite3")
    assert dialog.choice.get() == str(source)  # the newest is chosen
    # Other File… adds any file and chooses it
    elsewhere = db_file.parent / "elsewhere.sqlite3"
    shutil.copyfile(source, elsewhere)
    app.ask_open_path = Recorder(str(elsewhere))
    dialog.other_button.invoke()
    assert dialog.choice.get() == str(elsewhere) and "elsewhere.sqlite3" in dialog.labels[-1]
    dialog.on_cancel()


def test_restoring_from_the_dialog_says_where_the_replaced_data_went(
    make_app: Callable[..., App], db_file: Path
) -> None:
    a_season_on_disk(make_app)
    app = make_app()
    daily = db_file.parent / "backups" / backups(db_file)[0]
    catalog_service.create_ingredient("Saffron", category="Spices", recipe_unit="tsp")
    assert make_restore(app, daily)
    assert "Saffron" not in ingredient_names()
    [safety] = backups(db_file, "t-auto-before-restore-*")
    status = app.status_label.cget("text")
    assert status.startswith(f"Restored {daily.name}.") and safety in status


def test_a_read_only_database_says_so_in_the_status_bar_and_refuses_an_import(
    make_app: Callable[..., App], db_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    a_season_on_disk(make_app)
    export = tmp_path_factory.mktemp("writable") / "season.json"
    with read_only(db_file, db_file.parent):
        app = make_app()
        status = app.status_label.cget("text")
        assert app.database.read_only
        assert status.startswith(f"Read-only — {db_file}") and "cannot be saved" in status
        ts.export_data(export)  # reading works
        app.data_menu.start_import(export, "replace")
        finish_job(app)
        problems = app.data_menu.error_dialog.problems
        assert len(problems) == 1 and "read-only" in problems[0] and str(db_file) in problems[0]
        app.on_close()
    assert backups(db_file) == []
