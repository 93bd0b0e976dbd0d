"""What shipping the app to desktop users adds to the command line: the Linux menu entry
(``install-desktop`` / ``uninstall-desktop``), start-up failures logged and shown in a dialog, the
the command line without Tk, and the user guide page."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bake_tracker import desktop_entry
from bake_tracker import main as cli
from bake_tracker.ui import guide
from bake_tracker.version import app_version

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


# --- install-desktop / uninstall-desktop ----------------------------------------------------


def test_install_desktop_writes_the_entry_and_icons_under_xdg_data_home(
    xdg_home: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not sys.platform.startswith("linux"):  # Windows, macOS: a message, nothing written
        assert cli.main(["install-desktop"]) == cli.EXIT_FAILED
        assert not xdg_home.exists()
        desktop_entry.install()  # the files themselves can still be written and removed
    else:
        assert cli.main(["install-desktop"]) == 0
    entry = xdg_home / "applications" / "bake-tracker.desktop"
    text = entry.read_text(encoding="utf-8")
    assert text.startswith("[Desktop Entry]\n")
    assert "Type=Application\n" in text and "Icon=bake-tracker\n" in text
    assert "Terminal=false\n" in text
    [exec_line] = [line for line in text.splitlines() if line.startswith("Exec=")]
    assert exec_line == "Exec=" + desktop_entry.exec_line(desktop_entry.gui_command())
    for size in (16, 32, 48, 256):
        icon = xdg_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "bake-tracker.png"
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if sys.platform.startswith("linux"):
        assert str(entry) in capsys.readouterr().out

    assert cli.main(["uninstall-desktop"]) == 0
    assert not entry.exists()
    assert not list((xdg_home / "icons").rglob("*.png"))
    assert "removed" in capsys.readouterr().out
    assert cli.main(["uninstall-desktop"]) == 0  # nothing left: says so, still fine
    assert "no menu entry was installed" in capsys.readouterr().out


def test_without_xdg_data_home_the_entry_goes_to_local_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"
    # the spec says a relative XDG_DATA_HOME is invalid and is ignored
    assert desktop_entry.data_home({"XDG_DATA_HOME": "rel/path"}) == tmp_path / ".local/share"


def test_exec_line_quotes_spaces_quotes_dollars_and_percent() -> None:
    line = desktop_entry.exec_line(['/home/Jo Ann/my "apps"/$HOME/100%/bake-tracker'])
    assert line == '"/home/Jo Ann/my \\"apps\\"/\\$HOME/100%%/bake-tracker"'


def test_the_entry_starts_the_program_that_installed_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bake-tracker" / "bake-tracker"))
    assert desktop_entry.gui_command() == [sys.executable]
    monkeypatch.delattr(sys, "frozen")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "venv" / "bin" / "python"))
    assert desktop_entry.gui_command() == [sys.executable, "-m", "bake_tracker"]
    script = tmp_path / "venv" / "bin" / "bake-tracker-gui"
    script.parent.mkdir(parents=True)
    script.touch()
    assert desktop_entry.gui_command() == [str(script)]


# --- start-up failures ----------------------------------------------------------------------


def test_an_unexpected_start_up_failure_is_logged_and_shown_in_a_dialog(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from bake_tracker.ui import app as app_module

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("the theme file is missing")

    monkeypatch.setattr(app_module, "App", broken)
    shown: list[str] = []
    monkeypatch.setattr(cli, "show_startup_error", shown.append)
    assert cli.main(["--db", str(tmp_path / "b.sqlite3"), "gui"]) == cli.EXIT_FAILED
    [message] = shown
    log_file = data_dir / "logs" / "bake-tracker.log"
    assert "the theme file is missing" in message and str(log_file) in message
    logged = log_file.read_text(encoding="utf-8")
    assert "the window could not start" in logged
    assert "Traceback" in logged and "RuntimeError: the theme file is missing" in logged
    assert "the theme file is missing" in capsys.readouterr().err
    logging.getLogger().removeHandler(cli._log_handler)


# --- the frozen bundle and the command line without Tk --------------------------------------


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"bake-tracker {app_version()}\n"


def test_the_command_line_runs_where_tk_is_missing(tmp_path: Path, data_dir: Path) -> None:
    code = (
        "import sys; sys.modules['tkinter'] = None\n"  # importing tkinter now fails
        "from bake_tracker.main import main\n"
        "raise SystemExit(main(sys.argv[1:]))"
    )
    database = tmp_path / "no-tk.sqlite3"
    for command in (["demo"], ["check"], ["where"], ["--version"]):
        result = subprocess.run(
            [sys.executable, "-c", code, "--db", str(database), *command],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "tkinter" not in result.stderr


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_import_no_database_or_window_module(option: str) -> None:
    """``--version`` and ``--help`` answer before SQLAlchemy, Alembic, the services or Tk are
    imported (they cost ~1.2 s of CPU), in a fresh interpreter so nothing was imported before."""
    code = (
        "import sys\n"
        "from bake_tracker.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlalchemy', 'alembic', 'bake_tracker.services', 'bake_tracker.db', 'tkinter')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, option],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "bake-tracker" in result.stdout  # the answer itself
    assert result.stdout.splitlines()[-1] == "[]"


# --- the user guide page --------------------------------------------------------------------


def test_the_guide_is_shipped_and_covers_the_first_steps() -> None:
    text = guide.guide_text()
    steps = [line for line in text.splitlines() if line[:2] in {f"{n}." for n in range(1, 7)}]
    assert [s.split("**")[1] for s in steps] == [
        "Pantry.",
        "Recipe.",
        "What you make and give.",
        "Event.",
        "Targets.",
        "Record and deliver.",
    ]
    assert "## Keyboard shortcuts" in text and "## Where your data lives" in text


def test_markdown_to_html_escapes_text_and_knows_the_guides_markup() -> None:
    page = guide.to_html(
        "# Title <b>\n\nA **bold** `code` [link](https://x.org) & more\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"
    )
    assert "<h1>Title &lt;b&gt;</h1>" in page
    assert (
        '<p>A <strong>bold</strong> <code>code</code> <a href="https://x.org">link</a> '
        "&amp; more</p>"
    ) in page
    assert "<ul><li>one</li><li>two</li></ul>" in page
    assert "<ol><li>first</li><li>second</li></ol>" in page
    assert "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>" in page
