"""File ▸ Import / Export / Backup / Restore / Load Sample Data and Tools ▸ Check Data on a real
display, with the file choosers and confirmations answered by recorders and real services behind.
"""

from __future__ import annotations

import faulthandler
import gc
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

from bake_tracker.core import faults
from bake_tracker.services import (
    backup_service,
    catalog_service,
    sample_data_service,
    transfer_service,
)
from bake_tracker.services.errors import ValidationError
from bake_tracker.ui.app import App
from bake_tracker.ui.background import ProgressDialog
from bake_tracker.ui.data_dialogs import REPLACE, ErrorListDialog, ImportModeDialog, RestoreDialog
from bake_tracker.ui.data_menu import (
    EVERYTHING_ADDS_UP,
    NOTHING_IMPORTED,
    SAMPLE_LABEL,
    SAMPLE_QUESTION,
    default_export_name,
)
from tests.ui.conftest import Recorder

pytestmark = pytest.mark.gui

JOB_TIMEOUT = 60.0


def wait_until(app: App, condition: Callable[[], bool], timeout: float = JOB_TIMEOUT) -> None:
    """Run the event loop (as ``mainloop`` would) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            faulthandler.dump_traceback(all_threads=True)  # where the worker is stuck
            pytest.fail("timed out waiting for the window")
        app.update()
        time.sleep(0.01)


def finish_job(app: App) -> None:
    wait_until(app, lambda: not app.busy)
    app.update()


def invoke(app: App, menu, label: str) -> None:
    menu.invoke(menu.index(label))
    app.update()


def menu_labels(menu) -> list[str]:
    last = menu.index("end")
    return [menu.entrycget(i, "label") for i in range(last + 1) if menu.type(i) != "separator"]


def ingredient_names() -> list[str]:
    return sorted(i.display_name for i in catalog_service.list_ingredients())


def shown_ingredient_names(app: App) -> list[str]:
    """The names the Ingredients tab lists once the user opens it."""
    app.tabs.set("Ingredients")
    app.update()
    return app.tab_frames["Ingredients"].table.column_values("name")


def snapshot() -> dict:
    """Everything in the database, minus the export's time stamp."""
    document = transfer_service.export_data()
    document.pop("exported_at")
    return document


def add_saffron() -> None:
    catalog_service.create_ingredient("Saffron", category="Spices", recipe_unit="tsp")


@pytest.fixture
def season(app: App) -> App:
    """The window on a database holding the sample season."""
    sample_data_service.load_sample_data()
    app.refresh_all()
    return app


# --- menus ----------------------------------------------------------------------------------------


def test_file_and_tools_menus_list_the_data_actions_with_their_shortcuts(app: App) -> None:
    assert menu_labels(app.file_menu) == [
        "Import Data…",
        "Export Data…",
        "Export Cost Report…",
        "Export Production History…",
        "Export Assembly History…",
        "Export Recipient History…",
        "Print…",
        "Backup Now",
        "Restore from Backup…",
        "Load Sample Data…",
        "Exit",
    ]
    accelerators = {
        label: app.file_menu.entrycget(label, "accelerator")
        for label in ("Import Data…", "Export Data…", "Backup Now")
    }
    assert accelerators == {
        "Import Data…": "Ctrl+I",
        "Export Data…": "Ctrl+E",
        "Backup Now": "Ctrl+B",
    }
    last = app.file_menu.index("end")
    assert app.file_menu.type(last - 1) == "separator"
    assert menu_labels(app.tools_menu) == ["Check Data"]


@pytest.mark.parametrize(
    ("key", "hook"), [("<Control-e>", "ask_save_path"), ("<Control-i>", "ask_open_path")]
)
def test_shortcuts_open_the_file_choosers(app: App, key: str, hook: str) -> None:
    chooser = Recorder(None)  # the user cancels
    setattr(app, hook, chooser)
    app.focus_force()
    app.update()
    app.event_generate(key)
    app.update()
    assert len(chooser.calls) == 1
    assert not app.busy


def test_ctrl_b_backs_up(app: App) -> None:
    app.focus_force()
    app.update()
    app.event_generate("<Control-b>")
    finish_job(app)
    [(title, _message)] = app.show_info.calls
    assert title == "Backup saved"


# --- background work ------------------------------------------------------------------------------


def test_progress_dialog_shows_while_a_slow_job_runs_and_the_window_stays_responsive(
    app: App,
) -> None:
    release = threading.Event()
    done = Recorder()
    ticks: list[int] = []

    def tick() -> None:
        ticks.append(1)
        app.after(20, tick)

    tick()
    assert app.run_in_background(lambda: release.wait(20) and 42, done, message="Importing x…")
    dialog = app.background.dialog
    assert isinstance(dialog, ProgressDialog)
    assert dialog.winfo_viewable() and dialog.message == "Importing x…"
    assert dialog.grab_current() is not None
    assert app.busy
    assert not app.run_in_background(lambda: 1, Recorder())  # one job at a time
    started = time.monotonic()
    before = len(ticks)
    while time.monotonic() - started < 0.5:
        app.update()  # the Tk thread keeps running while the worker waits
        time.sleep(0.01)
    assert len(ticks) - before >= 10
    assert app.file_menu.entrycget("Import Data…", "state") == "normal"  # only menu jobs grey it
    assert done.calls == []
    release.set()
    finish_job(app)
    assert done.calls == [(42,)]
    assert not dialog.winfo_exists()
    assert app.background.dialog is None


def test_menu_job_greys_the_data_entries_until_it_ends(season: App, tmp_path: Path) -> None:
    season.ask_save_path = Recorder(str(tmp_path / "out.json"))
    invoke(season, season.file_menu, "Export Data…")
    if season.busy:
        assert season.file_menu.entrycget("Import Data…", "state") == "disabled"
    finish_job(season)
    assert season.file_menu.entrycget("Import Data…", "state") == "normal"
    assert season.file_menu.entrycget(SAMPLE_LABEL, "state") == "disabled"  # not empty


class FreedOn:
    """A garbage cycle (like a closed dialog's widgets and callbacks) that notes the thread that
    frees it."""

    threads: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.cycle = self

    def __del__(self) -> None:
        FreedOn.threads.append(threading.current_thread().name)


def test_tk_garbage_is_collected_on_the_tk_thread_not_left_for_the_worker(app: App) -> None:
    """Freed on the worker, every Tcl call of a closed dialog waits about 1 s for the Tk thread:
    a collection there took dozens of seconds. The runner collects on the Tk thread first."""
    gc.collect()
    FreedOn.threads.clear()
    was_enabled = gc.isenabled()
    gc.disable()  # no collection may happen by chance before the job starts
    try:
        for _ in range(3):
            ErrorListDialog(app, title="Old", intro="Closed", problems=["a"], show=False).close()
            FreedOn()
        app.run_in_background(gc.collect, Recorder())
        finish_job(app)
    finally:
        if was_enabled:
            gc.enable()
    assert FreedOn.threads == [threading.main_thread().name] * 3


def test_a_service_error_in_the_worker_is_shown_with_its_message(app: App) -> None:
    def refuse() -> None:
        raise ValidationError("The oven is not preheated")

    done = Recorder()
    app.run_in_background(refuse, done, error_title="Could not bake")
    finish_job(app)
    assert app.show_error.calls == [("Could not bake", "The oven is not preheated")]
    assert done.calls == []


def test_an_unexpected_worker_error_goes_to_the_last_resort_handler(app: App) -> None:
    def explode() -> None:
        raise RuntimeError("the mixer caught fire")

    app.run_in_background(explode, Recorder())
    finish_job(app)
    [(title, message)] = app.show_error.calls
    assert title == "Something went wrong"
    assert "the mixer caught fire" in message


# --- export and import ----------------------------------------------------------------------------


def test_export_then_replace_import_round_trips_through_the_menu(
    season: App, tmp_path: Path
) -> None:
    before = snapshot()
    target = tmp_path / default_export_name()
    season.ask_save_path = Recorder(str(target))
    invoke(season, season.file_menu, "Export Data…")
    finish_job(season)
    [(title, initial, _types)] = season.ask_save_path.calls
    assert initial == default_export_name() and initial.startswith("bake-tracker-")
    records = sum(len(v) for v in json.loads(target.read_text()).values() if isinstance(v, list))
    assert season.status_label.cget("text") == f"Exported {records} records to {target}"

    add_saffron()
    assert "Saffron" in ingredient_names()
    season.ask_open_path = Recorder(str(target))
    invoke(season, season.file_menu, "Import Data…")
    dialog = season.data_menu.import_dialog
    assert isinstance(dialog, ImportModeDialog) and dialog.mode.get() == "merge"
    dialog.mode.set(REPLACE)
    dialog.on_ok()
    [(question,)] = season.ask_confirm.calls
    assert "Replace everything" in question and "deleted" in question
    finish_job(season)

    [(title, message)] = season.show_info.calls
    assert title == "Import finished"
    assert f"Added {records} records." in message
    assert "Saffron" not in ingredient_names()
    assert snapshot() == before
    names = shown_ingredient_names(season)
    assert "All-Purpose Flour" in names and "Saffron" not in names
    assert season.status_label.cget("text").startswith(f"Imported {records} records from")


def test_replace_needs_the_extra_confirmation(season: App, tmp_path: Path) -> None:
    target = tmp_path / "season.json"
    transfer_service.export_data(target)
    add_saffron()
    season.ask_open_path = Recorder(str(target))
    season.ask_confirm.result = False
    invoke(season, season.file_menu, "Import Data…")
    dialog = season.data_menu.import_dialog
    dialog.mode.set(REPLACE)
    dialog.on_ok()
    assert dialog.winfo_exists()  # still open: the user can choose Merge instead
    assert not season.busy
    dialog.on_cancel()
    assert "Saffron" in ingredient_names()


def test_merge_import_skips_what_is_already_there(season: App, tmp_path: Path) -> None:
    target = tmp_path / "season.json"
    transfer_service.export_data(target)
    before = snapshot()
    season.ask_open_path = Recorder(str(target))
    invoke(season, season.file_menu, "Import Data…")
    season.data_menu.import_dialog.on_ok()
    assert season.ask_confirm.calls == []  # merge asks nothing more
    finish_job(season)
    [(_title, message)] = season.show_info.calls
    assert "Added 0 records." in message and "Skipped" in message
    assert "- the same uuid is already in the database: 14 ingredients, " in message
    assert snapshot() == before


def break_file(source: Path, target: Path) -> None:
    document = json.loads(source.read_text())
    document["ingredients"][0]["recipe_unit"] = 12
    document["products"][0]["ingredient_slug"] = "no_such_ingredient"
    document["purchases"][0]["unit_cost"] = "lots"
    target.write_text(json.dumps(document))


def test_a_broken_file_lists_every_problem_and_changes_nothing(season: App, tmp_path: Path) -> None:
    good, broken = tmp_path / "good.json", tmp_path / "broken.json"
    transfer_service.export_data(good)
    break_file(good, broken)
    add_saffron()
    before = snapshot()
    season.ask_open_path = Recorder(str(broken))
    invoke(season, season.file_menu, "Import Data…")
    season.data_menu.import_dialog.mode.set(REPLACE)
    season.data_menu.import_dialog.on_ok()
    finish_job(season)

    dialog = season.data_menu.error_dialog
    assert isinstance(dialog, ErrorListDialog) and dialog.winfo_viewable()
    assert dialog.title() == NOTHING_IMPORTED
    expected = transfer_service.import_data(broken, mode=REPLACE).errors
    assert len(expected) >= 3
    assert dialog.problems == expected
    for problem in expected:
        assert problem in dialog.text
    assert "nothing was imported" in dialog.intro_label.cget("text")
    assert season.show_info.calls == []
    assert snapshot() == before
    dialog.copy()
    assert season.clipboard_get() == "\n".join(expected)
    dialog.close()
    assert not dialog.winfo_exists()


def test_a_file_that_is_not_an_export_is_refused_kindly(app: App, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    app.ask_open_path = Recorder(str(other))
    invoke(app, app.file_menu, "Import Data…")
    app.data_menu.import_dialog.on_ok()
    finish_job(app)
    dialog = app.data_menu.error_dialog
    assert dialog.title() == NOTHING_IMPORTED
    [problem] = dialog.problems
    assert "other.json is not a bake-tracker export" in problem


def test_cancelling_the_file_chooser_does_nothing(app: App) -> None:
    app.ask_open_path = Recorder(None)
    invoke(app, app.file_menu, "Import Data…")
    assert app.data_menu.import_dialog is None
    assert not app.busy


def test_an_export_that_cannot_be_written_says_why(app: App, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app.ask_save_path = Recorder(str(blocker / "out.json"))
    invoke(app, app.file_menu, "Export Data…")
    finish_job(app)
    [(title, message)] = app.show_error.calls
    assert title == "Export failed"
    assert str(blocker / "out.json") in message


# --- backup and restore ---------------------------------------------------------------------------


def test_backup_now_creates_a_file_and_names_it(app: App, db_file: Path) -> None:
    invoke(app, app.file_menu, "Backup Now")
    finish_job(app)
    [(_title, message)] = app.show_info.calls
    backups = list((db_file.parent / "backups").glob("*.sqlite3"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0
    assert str(backups[0]) in message
    assert app.status_label.cget("text") == f"Backup saved to {backups[0]}"


def test_restore_brings_back_the_backed_up_state_and_keeps_a_safety_copy(
    season: App, db_file: Path
) -> None:
    backup = backup_service.backup_database()
    before = snapshot()
    add_saffron()
    season.refresh_all()
    invoke(season, season.file_menu, "Restore from Backup…")
    dialog = season.data_menu.restore_dialog
    assert isinstance(dialog, RestoreDialog) and dialog.choice.get() == str(backup)
    assert dialog.labels[0].endswith(
        f"manual  ·  {faults.size_text(backup.stat().st_size)}  ·  {backup.name}"
    )
    dialog.on_ok()
    [(question,)] = season.ask_confirm.calls
    assert "replaced" in question and "safety copy" in question
    finish_job(season)

    assert season.show_error.calls == []
    assert "Saffron" not in ingredient_names()
    assert snapshot() == before
    assert season.status_label.cget("text").startswith(f"Restored {backup.name}.")
    assert len(list(backup.parent.glob("*.sqlite3"))) == 2  # the backup and the safety copy
    assert "Saffron" not in shown_ingredient_names(season)


def test_restore_from_a_json_export(season: App, tmp_path: Path) -> None:
    export = tmp_path / "season.json"
    transfer_service.export_data(export)
    before = snapshot()
    add_saffron()
    season.ask_open_path = Recorder(str(export))
    invoke(season, season.file_menu, "Restore from Backup…")
    finish_job(season)
    assert snapshot() == before


def test_restore_refuses_a_file_that_is_not_a_backup(app: App, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 10)
    add_saffron()
    app.ask_open_path = Recorder(str(junk))
    invoke(app, app.file_menu, "Restore from Backup…")
    finish_job(app)
    dialog = app.data_menu.error_dialog
    assert dialog.title() == "Nothing was restored"
    assert "junk.sqlite3" in dialog.text
    assert ingredient_names() == ["Saffron"]


def test_declining_the_restore_changes_nothing(season: App) -> None:
    backup_service.backup_database()
    add_saffron()
    season.ask_confirm.result = False
    invoke(season, season.file_menu, "Restore from Backup…")
    season.data_menu.restore_dialog.on_ok()
    assert season.data_menu.restore_dialog.result is None
    assert not season.busy
    assert "Saffron" in ingredient_names()


# --- sample data and check ------------------------------------------------------------------------


def test_load_sample_data_is_offered_only_on_an_empty_database(app: App) -> None:
    app.data_menu.update_menu_state()
    assert app.file_menu.entrycget(SAMPLE_LABEL, "state") == "normal"
    invoke(app, app.file_menu, SAMPLE_LABEL)
    assert app.ask_confirm.calls == [(SAMPLE_QUESTION,)]
    finish_job(app)
    assert app.status_label.cget("text").startswith("Sample season loaded")
    assert "All-Purpose Flour" in shown_ingredient_names(app)
    app.data_menu.update_menu_state()
    assert app.file_menu.entrycget(SAMPLE_LABEL, "state") == "disabled"


def test_check_data_says_everything_adds_up(season: App) -> None:
    invoke(season, season.tools_menu, "Check Data")
    finish_job(season)
    assert season.show_info.calls == [("Check Data", EVERYTHING_ADDS_UP)]


def test_check_data_lists_what_does_not_add_up(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeDrift:
        def __init__(self, text: str) -> None:
            self.text = text

        def describe(self) -> str:
            return self.text

    drifts = [FakeDrift("pantry lot 3: remaining is 2, expected 1"), FakeDrift("run 7: total")]
    monkeypatch.setattr("bake_tracker.services.integrity_service.check_invariants", lambda: drifts)
    invoke(app, app.tools_menu, "Check Data")
    finish_job(app)
    dialog = app.data_menu.error_dialog
    assert dialog.problems == ["pantry lot 3: remaining is 2, expected 1", "run 7: total"]
    assert app.show_info.calls == []


def test_closing_the_window_waits_for_a_running_job(app: App) -> None:
    release = threading.Event()
    finished: list[bool] = []

    def slow() -> None:
        release.wait(10)
        finished.append(True)

    app.run_in_background(slow, Recorder())
    threading.Timer(0.2, release.set).start()
    app.on_close()
    assert finished == [True]
    assert app.closed
