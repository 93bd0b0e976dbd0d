"""The command line: ``where``, ``migrate``, start-up refusals, and ``python -m bake_tracker``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import customtkinter
import pytest

from bake_tracker import main as cli
from bake_tracker.config import DATABASE_URL_ENV
from bake_tracker.db import head_revision

pytestmark = pytest.mark.sqlite_only

REPO_ROOT = Path(__file__).resolve().parent.parent
CORRUPT_BYTES = b"this is not a database" * 100
UNREACHABLE_PG = "postgresql+psycopg://u:p@127.0.0.1:1/x"


@pytest.fixture
def corrupt_file(tmp_path: Path) -> Path:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(CORRUPT_BYTES)
    return path


@pytest.fixture
def no_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything tries to create the main window."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a window was created")

    monkeypatch.setattr(customtkinter.CTk, "__init__", refuse)


def schema_revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_where_prints_data_folder_database_and_log(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "where"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    assert "(from --db)" in out
    assert str(data_dir) in out
    assert str(data_dir / "logs" / "bake-tracker.log") in out
    assert not path.exists()  # 'where' only reports


def test_where_names_the_environment_variable_and_hides_passwords(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://baker:s3cret-pw@db.local/bakery")
    assert cli.main(["where"]) == 0
    out = capsys.readouterr().out
    assert f"(from {DATABASE_URL_ENV})" in out
    assert "baker:***@db.local/bakery" in out
    assert "s3cret-pw" not in out


def test_migrate_creates_the_database_at_head(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new" / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "migrate"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    assert head_revision() in out
    assert schema_revision(path) == head_revision()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert (data_dir / "logs" / "bake-tracker.log").exists()


def test_migrate_again_changes_nothing_and_makes_no_backup(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "migrate"]) == 0
    assert cli.main(["--db", str(path), "migrate"]) == 0
    out = capsys.readouterr().out
    assert "backup" not in out
    assert not (tmp_path / "backups").exists()


def test_corrupt_file_is_refused_and_left_untouched(
    corrupt_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", str(corrupt_file), "migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bake-tracker: ")
    assert str(corrupt_file) in err
    assert "not a bake-tracker database" in err
    assert corrupt_file.read_bytes() == CORRUPT_BYTES
    assert not Path(f"{corrupt_file}-wal").exists()
    assert not Path(f"{corrupt_file}-shm").exists()


def test_a_folder_as_database_is_refused(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    assert cli.main(["--db", str(folder), "migrate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bake-tracker: ")
    assert f"{folder} is a folder, not a database file" in err
    assert list(folder.iterdir()) == []


def test_unreachable_postgresql_fails_clearly_without_the_password(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--db", UNREACHABLE_PG, "migrate"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("bake-tracker: ")
    assert captured.err.count("\n") == 1  # one line, no traceback
    assert "127.0.0.1" in captured.err
    assert "u:***@" in captured.err
    assert ":p@" not in captured.err + captured.out
    assert ":p@" not in (data_dir / "logs" / "bake-tracker.log").read_text(encoding="utf-8")


def test_gui_shows_the_startup_error_and_opens_no_window(
    corrupt_file: Path,
    data_dir: Path,
    no_window: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown: list[str] = []
    # a damaged file: the error box asks whether to restore a backup (here: not now)
    monkeypatch.setattr(cli, "ask_backup_at_startup", lambda text, _folder: shown.append(text))
    assert cli.main(["--db", str(corrupt_file)]) == 2
    err = capsys.readouterr().err
    [message] = shown
    assert err == f"bake-tracker: {message}\n"
    assert str(corrupt_file) in message and "not a bake-tracker database" in message
    assert corrupt_file.read_bytes() == CORRUPT_BYTES


def test_other_commands_never_show_a_dialog(
    corrupt_file: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(cli, "show_startup_error", shown.append)
    assert cli.main(["--db", str(corrupt_file), "migrate"]) == 2
    assert shown == []


def test_startup_error_box_without_a_display_just_returns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    cli.show_startup_error("the message is already on stderr")


def test_gui_without_a_display_says_so(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "gui"]) == 1
    assert "cannot open the window" in capsys.readouterr().err
    assert cli.main(["--db", str(path), "migrate"]) == 0  # the database was released


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["bake"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_src_runs_the_command_line(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "bakery.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "bake_tracker", "--db", str(path), "where"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout


def test_python_dash_m_src_exit_code_on_a_refused_database(
    corrupt_file: Path, data_dir: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bake_tracker", "--db", str(corrupt_file), "migrate"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "not a bake-tracker database" in result.stderr


# --- data commands ----------------------------------------------------------------------------


def test_demo_export_import_backup_restore(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    exported = tmp_path / "season.json"
    assert cli.main(["--db", str(first), "demo"]) == 0
    assert "sample season loaded" in capsys.readouterr().out
    assert cli.main(["--db", str(first), "demo"]) == 3  # only into an empty database
    assert "empty database" in capsys.readouterr().err
    assert cli.main(["--db", str(first), "export", str(exported)]) == 0
    assert exported.exists() and "exported" in capsys.readouterr().out
    assert cli.main(["--db", str(second), "import", str(exported)]) == 0
    assert "5 recipes" in capsys.readouterr().out
    assert cli.main(["--db", str(second), "import", str(exported), "--mode", "merge"]) == 0
    assert "nothing new" in capsys.readouterr().out
    backup = tmp_path / "copy.sqlite3"
    assert cli.main(["--db", str(second), "backup", str(backup)]) == 0
    assert backup.exists()
    assert cli.main(["--db", str(second), "restore", str(backup)]) == 0
    assert "restored" in capsys.readouterr().out


def test_import_lists_every_problem_and_fails(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "bake-tracker", "version": 1, "recipes": [{"uuid": "x"}]}')
    assert cli.main(["--db", str(tmp_path / "db.sqlite3"), "import", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "Recipe (recipes, record 1): Name is required. Fill it in." in err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in cli.COMMANDS:
        with pytest.raises(SystemExit) as excinfo:
            cli.main([command, "--help"])
        assert excinfo.value.code == 0
        assert command in capsys.readouterr().out


def test_check_reports_balance_and_drift(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "season.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    assert cli.main(["--db", str(path), "check"]) == 0
    assert "everything balances" in capsys.readouterr().out
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE inventory_items SET quantity = quantity + 1000 WHERE id = 1")
    assert cli.main(["--db", str(path), "check"]) == 4
    assert "pantry lot balance: pantry lot #1 (" in capsys.readouterr().out


def _index_out_of_step(path: Path) -> None:
    """An index whose entries no longer match its table (its definition rewritten behind SQLite's
    back): every table still reads, but PRAGMA integrity_check lists the missing entries."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE INDEX ix_probe ON recipes (name)")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(name)', '(category)') "
            "WHERE name = 'ix_probe'"
        )
    sqlite3.connect(path).close()


def test_check_runs_sqlites_integrity_check_and_lists_each_problem(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "season.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    _index_out_of_step(path)
    assert cli.main(["--db", str(path), "check"]) == cli.EXIT_DRIFT
    out, err = capsys.readouterr()
    assert "problem(s) in the database file (PRAGMA integrity_check)" in out
    problems = [line for line in out.splitlines() if line.startswith("  - ") and "ix_probe" in line]
    assert problems, out
    assert "everything balances" not in out
    assert "damaged" in err and "Restore a backup" in err


def test_check_says_when_the_file_check_does_not_apply(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bake_tracker.services import integrity_service

    path = tmp_path / "season.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(
        integrity_service,
        "check_storage",
        lambda: integrity_service.StorageCheck(ran=False, problems=[], backend="postgresql"),
    )
    assert cli.main(["--db", str(path), "check"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "file check skipped" in out and "postgresql" in out
    assert "everything balances" in out


def test_command_line_works_where_tk_is_missing(tmp_path) -> None:
    """Only the window needs Tk: with ``tkinter`` unimportable, ``demo`` and ``check`` still run."""
    database = tmp_path / "no-tk.sqlite3"
    script = (
        "import sys; sys.modules['tkinter'] = None\n"
        "from bake_tracker.main import main\n"
        f"assert main(['--db', {str(database)!r}, 'demo']) == 0\n"
        f"raise SystemExit(main(['--db', {str(database)!r}, 'check']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "everything balances" in result.stdout
    assert "tkinter" not in result.stderr


def test_gui_entry_point_opens_the_window_on_the_given_database(monkeypatch) -> None:
    """``bake-tracker-gui [--db PATH]`` always asks for the window, on the database given."""
    calls = []
    monkeypatch.setattr(cli, "main", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(sys, "argv", ["bake-tracker-gui", "--db", "season.sqlite3"])
    assert cli.gui_main() == 0
    monkeypatch.setattr(sys, "argv", ["bake-tracker-gui"])
    assert cli.gui_main() == 0
    assert calls == [["--db", "season.sqlite3", "gui"], ["gui"]]


def test_the_window_offers_to_restore_a_damaged_database_and_then_opens(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    backup = tmp_path / "good.sqlite3"
    assert cli.main(["--db", str(path), "backup", str(backup)]) == 0
    with path.open("r+b") as handle:
        handle.write(b"\xff" * 16)  # the header is gone
    asked: list[tuple[str, Path]] = []
    opened: list[Path] = []

    def answer(message: str, folder: Path) -> str:
        asked.append((message, folder))
        return str(backup)

    monkeypatch.setattr(cli, "ask_backup_at_startup", answer)
    monkeypatch.setattr(cli, "run_gui", lambda settings: opened.append(settings.database_url) or 0)
    assert cli.main(["--db", str(path), "gui"]) == 0
    [(message, folder)] = asked
    assert "damaged" in message and folder == tmp_path / "backups"
    assert len(opened) == 1
    [kept] = tmp_path.glob("bakery-damaged-*.sqlite3")
    assert f"the damaged database was kept as {kept}" in capsys.readouterr().out
    assert cli.main(["--db", str(path), "check"]) == 0


def test_declining_the_restore_offer_leaves_the_damaged_file(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, corrupt_file: Path
) -> None:
    monkeypatch.setattr(cli, "ask_backup_at_startup", lambda _message, _folder: None)
    assert cli.main(["--db", str(corrupt_file), "gui"]) == 2
    assert corrupt_file.read_bytes() == CORRUPT_BYTES
    assert not list(tmp_path.glob("*-damaged-*"))
