"""The start-up error box and the smoke-test close of the real window (used by .ci/bundle-smoke)."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from tkinter import messagebox

import pytest

from bake_tracker import main as cli
from bake_tracker.ui.app import TAB_NAMES

pytestmark = pytest.mark.gui


def test_the_start_up_error_box_is_a_tk_message_box_over_a_hidden_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, str, int]] = []

    def record(title: str, message: str, parent) -> None:
        seen.append((title, message, parent.winfo_viewable()))

    monkeypatch.setattr(messagebox, "showerror", record)
    cli.show_startup_error("the database is damaged")
    assert seen == [("bake-tracker could not start", "the database is damaged", 0)]


def test_the_window_closes_itself_once_drawn_when_asked(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    database = tmp_path / "smoke.sqlite3"
    assert cli.main(["--db", str(database), "demo"]) == 0  # not empty: no first-start question
    monkeypatch.setenv(cli.CLOSE_AFTER_ENV, "50")
    assert cli.main(["--db", str(database), "gui"]) == cli.EXIT_OK  # returns: the window closed
    out = capsys.readouterr().out
    stamp = r"\d+\.\d{3}"
    marks = rf"\(imports done at {stamp}, window built at {stamp}\)"
    assert re.search(rf"^window drawn at {stamp} {marks} \(cpu \d+\.\d\d s\)$", out, re.M), out
    assert re.findall(r"^tab (.+) shown$", out, re.M) == list(TAB_NAMES)
    assert cli.main(["--db", str(database), "check"]) == 0  # closed cleanly, file released


def test_garbage_collection_paused_for_the_start_runs_again_once_the_window_is_up(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "gc.sqlite3"
    assert cli.main(["--db", str(database), "demo"]) == 0
    seen: list[bool] = []
    real_close = cli.close_when_drawn

    def close(app, delay_ms: int, marks: str = "") -> None:
        seen.append(gc.isenabled())  # the window is drawn: collection is back on
        real_close(app, delay_ms, marks)

    monkeypatch.setattr(cli, "close_when_drawn", close)
    monkeypatch.setenv(cli.CLOSE_AFTER_ENV, "0")
    assert cli.main(["--db", str(database), "gui"]) == cli.EXIT_OK
    assert seen == [True] and gc.isenabled()


def test_garbage_collection_is_resumed_when_the_window_cannot_start() -> None:
    with pytest.raises(RuntimeError), cli.garbage_collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("the database was refused")
    assert gc.isenabled()
