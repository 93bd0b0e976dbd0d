"""Fixtures for tests that drive the real window: a display (Xvfb when none is set) and an ``App``.

GUI tests never skip: without ``DISPLAY`` a private Xvfb server is started for the session (it
picks a free display number itself and reports it through ``-displayfd`` once it accepts
connections); with neither a display nor Xvfb the session fails, saying what to install.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from bake_tracker.ui.app import App
from bake_tracker.ui.kit.table import DataTable

T = TypeVar("T")
XVFB_SCREEN = "1600x1000x24"
XVFB_START_TIMEOUT = 15.0


@pytest.fixture(scope="session", autouse=True)
def display() -> Iterator[str]:
    """The X display the tests draw on; starts and finally stops Xvfb when none is set."""
    existing = os.environ.get("DISPLAY")
    if not needs_xvfb(sys.platform, existing):
        yield existing or "native"
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail(
            "The GUI tests need an X display: set DISPLAY, or install Xvfb "
            "(Debian/Ubuntu: apt-get install xvfb) so the tests can start one.",
            pytrace=False,
        )
    with tempfile.TemporaryFile() as log:
        process, name = _start_xvfb(xvfb, log)
        os.environ["DISPLAY"] = name
        try:
            yield name
        finally:
            os.environ.pop("DISPLAY", None)
            process.terminate()
            process.wait(timeout=10)


def needs_xvfb(platform: str, display: str | None) -> bool:
    """Start Xvfb only on an X11 system (Linux, the BSDs) with no display set. Windows and macOS
    (the GitHub runners): Tk draws on the system's own desktop, which the runners have, and
    their Tk is not an X11 client, so DISPLAY means nothing to it."""
    if platform in ("win32", "darwin"):
        return False
    return not display


def _start_xvfb(xvfb: str, log) -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    command = [xvfb, "-displayfd", str(write_fd), "-screen", "0", XVFB_SCREEN, "-nolisten", "tcp"]
    process = subprocess.Popen(command, pass_fds=(write_fd,), stdout=log, stderr=log)
    os.close(write_fd)
    try:
        number = _read_display_number(read_fd)
    finally:
        os.close(read_fd)
    if number is None or not _accepts_connections(number):
        process.kill()
        process.wait()
        log.seek(0)
        output = log.read().decode(errors="replace").strip()[-2000:]
        pytest.fail(f"Xvfb did not start: {' '.join(command)}\n{output}", pytrace=False)
    return process, f":{number}"


def _read_display_number(fd: int) -> int | None:
    """The number Xvfb writes once it is ready, or None on exit or timeout."""
    data = b""
    deadline = time.monotonic() + XVFB_START_TIMEOUT
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return None
        data += chunk
    return int(data.split(b"\n", 1)[0])


def _accepts_connections(number: int) -> bool:
    path = Path(f"/tmp/.X11-unix/X{number}")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


class Recorder:
    """Stands in for a dialog method: records each call's arguments and returns ``result``."""

    def __init__(self, result: object = None) -> None:
        self.result = result
        self.calls: list[tuple] = []

    def __call__(self, *args: object) -> object:
        self.calls.append(args)
        return self.result


def type_into(entry, text: str) -> None:
    """Replace what an entry holds, as typing would (an empty text leaves the placeholder)."""
    entry.delete(0, "end")
    if text:
        entry.insert(0, text)


def table_texts(table: DataTable) -> list[tuple[str, ...]]:
    """A ``DataTable``'s rows as shown, in order."""
    return [table.row_values(iid) for iid in table.row_ids()]


def open_tab(app: App, name: str, kind: type[T]) -> T:
    """Show the main window's tab ``name`` (building it) and return its frame, a ``kind``."""
    app.tabs.set(name)
    app.update()
    tab = app.tab_frames[name]
    assert isinstance(tab, kind)
    return tab


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "t.sqlite3"


def settle(app: App, timeout: float = 60.0) -> None:
    """Let the job a start begins (the day's backup) finish, running the event loop meanwhile."""
    deadline = time.monotonic() + timeout
    while app.busy and time.monotonic() < deadline:
        app.update()
        time.sleep(0.01)
    assert not app.busy, "the start-up job did not finish"
    app.update()


@pytest.fixture
def make_app(db_file: Path, data_dir: Path) -> Iterator[Callable[[], App]]:
    """Build ``App`` windows on ``db_file`` with recording dialogs; closes any left open.

    The first-start offer of sample data is off unless a test passes ``offer_sample_data=True``;
    ``confirm`` is every question's answer, set before the event loop first runs (the offer can
    come during the first ``update`` on a slow machine).
    """
    apps: list[App] = []

    def make(*, offer_sample_data: bool = False, confirm: bool = True) -> App:
        app = App(database_url=f"sqlite:///{db_file}", offer_sample_data=offer_sample_data)
        app.ask_confirm = Recorder(confirm)
        app.show_info = Recorder()
        app.show_error = Recorder()
        apps.append(app)
        app.update()
        settle(app)
        return app

    yield make
    for app in apps:
        app.on_close()


@pytest.fixture
def app(make_app: Callable[[], App]) -> App:
    return make_app()
