"""Disk and file faults in plain words: which of four things went wrong, and what to do about it.

Whatever the layer that met it — a SQLite error, an ``OSError`` from writing a file, SQLAlchemy's
wrapper around either — a storage failure is one of:

* ``FULL``: no space left on the disk (``SQLITE_FULL``, ``ENOSPC``, ``EDQUOT``);
* ``READ_ONLY``: the file, its folder or the whole disk cannot be written (``SQLITE_READONLY``,
  ``EROFS``, ``EACCES``, ``EPERM``);
* ``LOCKED``: another program holds the database past the busy timeout (``SQLITE_BUSY``/``LOCKED``);
* ``DAMAGED``: the file is not a database or is malformed (``SQLITE_CORRUPT``/``NOTADB``).

SQLite reports some of them as a bare "disk I/O error" (it cannot grow the ``-shm`` file on a full
disk, for one), so ``classify`` looks at the disk itself when it is given the path: almost no free
space is ``FULL``, an unwritable file or folder is ``READ_ONLY``. Each kind has one sentence that
says what happened and a way out that works (``describe``). Pure standard library: used by the
services and the command line alike.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

FULL, READ_ONLY, LOCKED, DAMAGED, IO = "full", "read-only", "locked", "damaged", "i/o"

# Below this much free space an I/O error is taken for a full disk: SQLite needs room for the
# ``-wal`` and ``-shm`` files (32 KB and up) before it can even read a WAL database.
NEARLY_FULL_BYTES = 1024 * 1024

CANT_OPEN = 14  # SQLITE_CANTOPEN
_SQLITE_CODES = {13: FULL, 8: READ_ONLY, 5: LOCKED, 6: LOCKED, 11: DAMAGED, 26: DAMAGED, 10: IO}
_ERRNO = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EFBIG: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.EIO: IO,
}
_WORDS = (
    (("database or disk is full", "disk is full", "no space left"), FULL),
    (("readonly", "read-only", "read only"), READ_ONLY),
    (
        # SQLite's busy timeout ran out, or PostgreSQL aborted the transaction because another
        # one got in the way (deadlock victim, serialization failure): nothing was written.
        (
            "database is locked",
            "database is busy",
            "table is locked",
            "lock timeout",
            "could not serialize",
            "deadlock detected",
        ),
        LOCKED,
    ),
    (("malformed", "not a database", "file is encrypted"), DAMAGED),
    (("disk i/o error", "unable to open database file"), IO),
)


def classify(error: BaseException, path: Path | None = None) -> str | None:
    """The kind of storage fault ``error`` is (None: not a storage fault).

    ``error`` may be an ``OSError``, a ``sqlite3.Error`` or anything wrapping one in ``orig`` (as
    SQLAlchemy does). With ``path`` (the file written), a bare I/O error is told apart by looking
    at the disk: a full disk, or a file or folder that cannot be written.
    """
    error = getattr(error, "orig", None) or error
    kind = None
    if isinstance(error, OSError) and error.errno in _ERRNO:
        kind = _ERRNO[error.errno]
    elif isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        kind = _SQLITE_CODES.get(code & 0xFF) if isinstance(code, int) else None
        if code == CANT_OPEN:
            kind = IO  # the file or its -wal/-shm could not be made: the disk tells why
    if kind is None:
        text = str(error).lower()
        kind = next((k for words, k in _WORDS if any(w in text for w in words)), None)
    if kind == IO and path is not None:
        kind = _look_at_the_disk(path) or kind
    return kind


def _look_at_the_disk(path: Path) -> str | None:
    """FULL or READ_ONLY when the disk under ``path`` shows it, else None."""
    free = free_space(path)
    if free is not None and free < NEARLY_FULL_BYTES:
        return FULL
    if not writable(path):
        return READ_ONLY
    return None


def existing_folder(path: Path) -> Path:
    """``path`` if it is a folder, else the nearest folder above it that exists."""
    folder = Path(path).absolute()
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def free_space(path: Path) -> int | None:
    """Bytes free on the disk holding ``path`` (None when it cannot be told)."""
    try:
        return shutil.disk_usage(existing_folder(path)).free
    except OSError:
        return None


def writable(path: Path) -> bool:
    """Can ``path`` be written: the file (when it exists) and the folder it is in?

    ``os.access`` sees permissions, a read-only mount (``EROFS``) and, on Linux, an immutable file;
    root passes permission bits but not the other two.
    """
    path = Path(path)
    if path.exists() and not os.access(path, os.W_OK):
        return False
    folder = existing_folder(path if path.is_dir() else path.parent)
    return os.access(folder, os.W_OK)


def size_text(size: int) -> str:
    """``"0 bytes"``, ``"12 KB"``, ``"3.4 MB"``, ``"1.2 GB"``: a size a person reads at a glance."""
    if size < 1024:
        return f"{size} bytes"
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    raise AssertionError("unreachable")


def describe(
    kind: str,
    path: Path | None,
    *,
    needed: int | None = None,
    reason: str = "",
    database: bool = True,
) -> str:
    """One sentence for the fault ``kind`` at ``path``, with the way out that works.

    ``database=False``: ``path`` is a file being written (a backup, an export), not the database.
    """
    where = str(path) if path is not None else "the database"
    if kind == READ_ONLY and not database:
        return (
            f"{where} cannot be written (it, its folder or the disk is read-only). Choose another "
            "folder, or make this one writable."
        )
    if kind == FULL:
        folder = existing_folder(path) if path is not None else None
        free = free_space(folder) if folder is not None else None
        parts = [f"{size_text(free)} free"] if free is not None else []
        parts += [f"about {size_text(needed)} needed"] if needed else []
        room = f" ({', '.join(parts)})" if parts else ""
        disk = f"the disk holding {folder}" if folder is not None else "the disk"
        return (
            f"The disk is full: {disk} has no room left{room}. Free some space there (or choose "
            "a folder on another disk) and try again."
        )
    if kind == READ_ONLY:
        return (
            f"{where} is read-only (the file, its folder or the disk cannot be written), so "
            "nothing can be saved there. Reading still works; to make changes, make it writable "
            "or copy the database to a writable folder and open that copy with --db."
        )
    if kind == LOCKED:
        return (
            f"{where} is locked by another program (it did not let go within the time allowed). "
            "Close the other program or bake-tracker window that is using it, then try again."
        )
    if kind == DAMAGED:
        detail = f" ({reason})" if reason else ""
        return (
            f"{where} is damaged{detail}. Restore a backup: 'bake-tracker restore BACKUP' (or "
            "File ▸ Restore from Backup) keeps a dated copy of the damaged file beside it."
        )
    detail = f" ({reason})" if reason else ""
    return (
        f"The disk reported an error while reading or writing {where}{detail}. Check the disk "
        "(or copy the database to another one) and try again."
    )
