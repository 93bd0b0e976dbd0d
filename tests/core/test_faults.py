"""``core.faults``: each storage failure told apart by its code, its errno or the disk itself."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from bake_tracker.core import faults


def sqlite_error(code: int, text: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), faults.FULL),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), faults.FULL),
        (OSError(errno.EROFS, "Read-only file system"), faults.READ_ONLY),
        (OSError(errno.EACCES, "Permission denied"), faults.READ_ONLY),
        (sqlite_error(13, "database or disk is full"), faults.FULL),
        (sqlite_error(8 | (1 << 8), "attempt to write a readonly database"), faults.READ_ONLY),
        (sqlite_error(5, "database is locked"), faults.LOCKED),
        (sqlite_error(11, "database disk image is malformed"), faults.DAMAGED),
        (sqlite_error(26, "file is not a database"), faults.DAMAGED),
        (sqlite3.DatabaseError("database disk image is malformed"), faults.DAMAGED),
        (RuntimeError("canceling statement due to lock timeout"), faults.LOCKED),
        (RuntimeError("no such table: recipes"), None),
    ],
)
def test_each_fault_is_told_by_its_code_errno_or_words(error, kind) -> None:
    assert faults.classify(error) == kind


def test_an_io_error_is_read_from_the_disk(tmp_path: Path, monkeypatch) -> None:
    """SQLite says "disk I/O error" for a full disk: the free space tells."""
    io_error = sqlite_error(10 | (19 << 8), "disk I/O error")
    assert faults.classify(io_error, tmp_path / "x.sqlite3") == faults.IO
    monkeypatch.setattr(faults, "free_space", lambda _path: 4096)
    assert faults.classify(io_error, tmp_path / "x.sqlite3") == faults.FULL
    assert faults.classify(io_error) == faults.IO  # without a path there is nothing to look at


def test_messages_name_the_fault_the_place_and_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "bakery.sqlite3"
    full = faults.describe(faults.FULL, path, needed=800 * 1024)
    assert full.startswith("The disk is full") and "free, about 800 KB needed" in full
    assert str(tmp_path) in full and "Free some space" in full
    read_only = faults.describe(faults.READ_ONLY, path)
    assert f"{path} is read-only" in read_only and "--db" in read_only
    assert "restore" not in read_only.lower()
    assert "cannot be written" in faults.describe(faults.READ_ONLY, tmp_path, database=False)
    locked = faults.describe(faults.LOCKED, path)
    assert "locked by another program" in locked and "backup" not in locked
    damaged = faults.describe(faults.DAMAGED, path, reason="malformed")
    assert "damaged (malformed)" in damaged and "bake-tracker restore" in damaged


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (2048, "2.0 KB"),
        (815104, "796 KB"),
        (5 * 1024**2 + 1, "5.0 MB"),
        (3 * 1024**3, "3.0 GB"),
    ],
)
def test_sizes_read_at_a_glance(size: int, text: str) -> None:
    assert faults.size_text(size) == text
