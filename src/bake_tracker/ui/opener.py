"""Opening a file or folder with the system's own program (file manager, browser, text viewer).

``open_path`` is the one place the app hands something to the desktop; tests replace it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_path(target: str | os.PathLike[str]) -> None:
    """Open ``target`` with the default program; ``OSError`` when the system has none."""
    path = str(Path(target))
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        return
    command = ["open", path] if sys.platform == "darwin" else ["xdg-open", path]
    subprocess.Popen(command, env=_system_environment(), start_new_session=True)


def _system_environment() -> dict[str, str]:
    """The environment without the bundle's library path: a frozen Linux app points
    ``LD_LIBRARY_PATH`` at its own libraries, which the system's file manager must not load
    (PyInstaller keeps the user's value in ``LD_LIBRARY_PATH_ORIG``)."""
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            env.pop("LD_LIBRARY_PATH", None)
        else:
            env["LD_LIBRARY_PATH"] = original
    return env
