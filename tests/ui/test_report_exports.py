"""File ▸ Export Cost Report / Production History / Assembly History, and the same from the
command line: the reports that existed only as services, now reachable (issue 17, item 16)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bake_tracker import main as cli
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import event_service, sample_data_service
from bake_tracker.ui.app import App
from bake_tracker.ui.data_dialogs import EventChoiceDialog
from tests.ui.conftest import Recorder
from tests.ui.test_data_menu import finish_job, invoke

pytestmark = pytest.mark.gui


@pytest.fixture
def season(app: App) -> App:
    """The window on a database holding the sample season."""
    sample_data_service.load_sample_data()
    app.refresh_all()
    return app


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_cost_report_of_a_chosen_event_is_saved_as_csv(season: App, tmp_path: Path) -> None:
    target = tmp_path / "costs.csv"
    season.ask_save_path = Recorder(str(target))
    invoke(season, season.file_menu, "Export Cost Report…")
    dialog = season.data_menu.event_dialog
    assert isinstance(dialog, EventChoiceDialog)
    labels = [e.label for e in event_service.list_events_for_picker()]
    assert dialog.event_box.cget("values") == labels
    christmas = next(label for label in labels if label.startswith("Christmas"))
    dialog.event_box.set(christmas)
    dialog.on_ok()
    [(title, initial, _types)] = season.ask_save_path.calls
    assert title == "Export Cost Report" and initial.startswith("cost-report-Christmas-Gifts-")
    finish_job(season)
    table = rows(target)
    assert table[0][0].startswith("Recipe (Christmas") and table[0][3] == "Planned cost"
    assert len(table) > 2
    assert season.status_label.cget("text") == f"Cost report of {christmas} saved to {target}"


def test_production_history_is_saved_as_csv_and_assembly_history_as_json(
    season: App, tmp_path: Path
) -> None:
    runs = bps.get_production_history(include_voided=True, limit=1000)
    target = tmp_path / "production.csv"
    season.ask_save_path = Recorder(str(target))
    invoke(season, season.file_menu, "Export Production History…")
    finish_job(season)
    table = rows(target)
    assert table[0][:2] == ["Date", "Recipe"] and len(table) == 1 + len(runs)
    assert season.status_label.cget("text") == (
        f"Exported {len(runs)} production run{'s' if len(runs) != 1 else ''} to {target}"
    )
    target = tmp_path / "assembly.json"
    season.ask_save_path = Recorder(str(target))
    invoke(season, season.file_menu, "Export Assembly History…")
    finish_job(season)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["assembly_runs"]
    [(_title, initial, _types)] = season.ask_save_path.calls
    assert initial.startswith("assembly-history-") and initial.endswith(".json")


def test_the_command_line_writes_the_same_reports(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    history = tmp_path / "production.json"
    assert cli.main(["--db", str(path), "history", str(history)]) == 0
    document = json.loads(history.read_text(encoding="utf-8"))
    assert f"exported {len(document['production_runs'])} production run(s)" in (
        capsys.readouterr().out
    )
    assert cli.main(["--db", str(path), "history", "--assembly", str(tmp_path / "a.csv")]) == 3
    assert "saved as a .json file" in capsys.readouterr().err
    report = tmp_path / "costs.csv"
    code = cli.main(["--db", str(path), "cost-report", str(report), "--event", "winter bake sale"])
    assert code == 0 and rows(report)[0][0] == "Recipe (Winter Bake Sale)"
    code = cli.main(["--db", str(path), "cost-report", str(report), "--event", "Easter"])
    assert code == 3 and "No event called 'Easter'" in capsys.readouterr().err
