"""Where file dialogs start: a named folder (Restore: backups), else the last folder the user
chose (remembered across runs), else Documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bake_tracker.ui import folders
from bake_tracker.ui.app import App
from bake_tracker.ui.folders import FileChooser
from tests.ui.conftest import Recorder


class FakeDialog:
    """Stands in for Tk's file dialog: records its options and answers ``answer``."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.options: list[dict] = []

    def __call__(self, **options) -> str:
        self.options.append(options)
        return self.answer


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home" / "Documents").mkdir(parents=True)
    return tmp_path / "home"


def test_the_first_dialog_starts_in_documents_then_in_the_last_folder(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = FileChooser(tmp_path / "data", home=home)
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    dialog = FakeDialog(str(elsewhere / "season.json"))
    monkeypatch.setattr(folders.filedialog, "askopenfilename", dialog)
    assert chooser.open_path(None, "Import Data", [("JSON", "*.json")]) == str(
        elsewhere / "season.json"
    )
    assert dialog.options[0]["initialdir"] == str(home / "Documents")
    # Remembered across runs: a new chooser on the same data folder starts there.
    again = FileChooser(tmp_path / "data", home=home)
    save = FakeDialog("")  # cancelled
    monkeypatch.setattr(folders.filedialog, "asksaveasfilename", save)
    assert again.save_path(None, "Export Data", "x.json", [("JSON", "*.json")]) is None
    assert save.options[0]["initialdir"] == str(elsewhere)
    assert save.options[0]["initialfile"] == "x.json"


def test_a_named_folder_wins_and_a_vanished_one_is_skipped(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chooser = FileChooser(tmp_path / "data", home=home)
    backups = tmp_path / "backups"
    backups.mkdir()
    assert chooser.start_folder(backups) == backups
    assert chooser.start_folder(tmp_path / "gone") == home / "Documents"
    chooser.remember(tmp_path / "gone" / "file.json")  # its folder no longer exists
    assert chooser.start_folder() == home / "Documents"
    (home / "Documents").rmdir()
    assert chooser.start_folder() == home  # no Documents: the home folder


def test_a_damaged_memory_is_ignored(tmp_path: Path, home: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / folders.FOLDERS_FILE).write_text("{not json", encoding="utf-8")
    assert FileChooser(tmp_path / "data", home=home).start_folder() == home / "Documents"


@pytest.mark.gui
def test_restore_opens_the_backups_folder(app: App) -> None:
    app.ask_open_path = Recorder(None)
    app.data_menu.on_restore()
    [(title, _types, folder)] = app.ask_open_path.calls
    assert title == "Restore from Backup"
    assert folder == app.data_menu.backups_folder()
    assert Path(folder).name == "backups"


def test_a_name_typed_without_an_extension_gets_the_first_file_types() -> None:
    assert folders.first_extension([("CSV spreadsheet", "*.csv"), ("All files", "*")]) == ".csv"
    assert folders.first_extension([("All files", "*"), ("PDF document", "*.pdf")]) == ".pdf"
    assert folders.first_extension([("All files", "*")]) == ""


@pytest.mark.gui
def test_csv_reports_are_saved_as_csv_when_no_extension_is_typed(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cost report and the run histories used to be given ".json" (the chooser's default).
    dialog = FakeDialog("")
    monkeypatch.setattr(folders.filedialog, "asksaveasfilename", dialog)
    app.ask_save_path("Export Cost Report", "costs.csv", (("CSV spreadsheet", "*.csv"),))
    app.ask_save_path("Export Data", "season.json", (("bake-tracker export", "*.json"),))
    app.ask_save_path("Print", "tags.pdf", (("PDF", "*.pdf"),), defaultextension=".PDF")
    assert [o["defaultextension"] for o in dialog.options] == [".csv", ".json", ".PDF"]
