"""Importing CustomTkinter without rewriting font files other running windows are using.

On Linux, ``import customtkinter`` copies its Roboto fonts into ``~/.fonts`` every time, with
``shutil.copy``: the file is truncated and written again while any other running bake-tracker
(or test run) has it mapped through FreeType, which then dies of SIGBUS ("Bus error"). During
that one import, a copy is skipped when the file there is already the same, and otherwise
written to a temporary file and renamed into place, so a reader keeps the old file whole.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path


def copy_unless_same(source: str, target: str, *args: object, **kwargs: object) -> str:
    """``shutil.copy`` that leaves an identical file alone and replaces a different one whole."""
    destination = Path(target)
    if destination.is_dir():
        destination = destination / Path(source).name
    if destination.is_file() and filecmp.cmp(source, destination, shallow=False):
        return str(destination)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".bt-font-")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return str(destination)


def import_customtkinter() -> None:
    """Import CustomTkinter once with ``copy_unless_same`` standing in for ``shutil.copy``."""
    original = shutil.copy
    shutil.copy = copy_unless_same  # type: ignore[assignment]
    try:
        import customtkinter  # noqa: F401  (the import is the point: it loads the fonts)
    finally:
        shutil.copy = original
