"""An X display for the app-start benchmark: ``DISPLAY`` if set, else a private Xvfb server.

Same approach as ``tests/ui/conftest.py``: Xvfb picks a free display number itself and reports it
through ``-displayfd`` once it accepts connections.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

XVFB_SCREEN = "1600x1000x24"
XVFB_START_TIMEOUT = 15.0


class NoDisplayError(RuntimeError):
    pass


@contextmanager
def x_display() -> Iterator[str]:
    """The display to draw on (``:N``); an Xvfb started here is stopped on exit."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise NoDisplayError("no DISPLAY and no Xvfb (Debian/Ubuntu: apt-get install xvfb)")
    with tempfile.TemporaryFile() as log:
        read_fd, write_fd = os.pipe()
        command = [xvfb, "-displayfd", str(write_fd), "-screen", "0", XVFB_SCREEN]
        command += ["-nolisten", "tcp"]
        process = subprocess.Popen(command, pass_fds=(write_fd,), stdout=log, stderr=log)
        os.close(write_fd)
        try:
            number = _read_number(read_fd)
        finally:
            os.close(read_fd)
        if number is None:
            process.kill()
            process.wait()
            log.seek(0)
            raise NoDisplayError(f"Xvfb did not start: {log.read().decode(errors='replace')}")
        try:
            yield f":{number}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _read_number(fd: int) -> int | None:
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
    return int(data.strip())
