"""The start-up error box and the smoke-test close of the real window (used by .ci/bundle-smoke)."""

from __future__ import annotations

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
    assert re.search(r"^window drawn at \d+\.\d{3} \(cpu \d+\.\d\d s\)$", out, re.M), out
    assert re.findall(r"^tab (.+) shown$", out, re.M) == list(TAB_NAMES)
    assert cli.main(["--db", str(database), "check"]) == 0  # closed cleanly, file released
