"""Backups and restores of the whole database, manual and automatic.

A SQLite database is copied with SQLite's online backup API (consistent even while the app has it
open, WAL included) into ``backups/`` beside it; a PostgreSQL database is backed up as the JSON
export document (automatic backups of a server are the server's job: none are made here).

Names say who made a backup, so the app only ever prunes its own:

* ``<name>-<date-time>`` — made by the user (Backup Now, ``bake-tracker backup``), never pruned;
* ``<name>-auto-daily-<date-time>`` — the first start of each day (the window, and every command
  that writes);
* ``<name>-auto-before-restore-…`` / ``-auto-before-import-…`` — before every restore and import;
* ``<name>-before-migration-…`` — before a schema update (``database_service``), never pruned.

Only the ``-auto-`` copies are pruned, to the newest ``keep`` (a setting, ``KEEP_AUTOMATIC`` by
default). ``list_backups`` lists them all, newest first, with their dates.

Restoring asks nothing itself (the window confirms first): it checks the backup, saves an automatic
copy of the current database, replaces the contents, and reopens the database — migrating it if the
backup came from an older version. A damaged database cannot be copied: it is set aside instead,
renamed ``<name>-damaged-<date-time>`` beside itself, and put back if the restore fails. A
read-only database is refused as read-only before anything happens.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from bake_tracker import db
from bake_tracker.config import default_data_dir
from bake_tracker.core import faults
from bake_tracker.services import database_service, sample_data_service
from bake_tracker.services.dto import BackupEntry, DatabaseInfo
from bake_tracker.services.errors import DatabaseStartupError, StorageError, ValidationError

KEEP_AUTOMATIC = 10
STAMP = "%Y%m%d-%H%M%S"
AUTO = "auto"
DAILY, BEFORE_RESTORE, BEFORE_IMPORT = "daily", "before-restore", "before-import"
BACKUP_SUFFIXES = (".sqlite3", ".sqlite", ".db", ".json")
_STAMP_IN_NAME = re.compile(r"(\d{8}-\d{6})(?:-\d+)?$")
PRUNED_KINDS = ("daily", "before restore", "before import")
_KINDS = (
    (f"-{AUTO}-{DAILY}-", "daily"),
    (f"-{AUTO}-{BEFORE_RESTORE}-", "before restore"),
    (f"-{AUTO}-{BEFORE_IMPORT}-", "before import"),
    ("-before-migration-", "before migration"),
)


# --- where backups go -------------------------------------------------------------------------


def backups_folder() -> Path:
    """``<database folder>/backups`` for a SQLite file, ``<data folder>/backups`` for a server."""
    path = db.sqlite_file(_engine())
    return (path.parent if path is not None else default_data_dir()) / "backups"


def default_backup_path(suffix: str | None = None, *, kind: str = "") -> Path:
    """``<backups folder>/<name>-[<kind>-]<date-time><suffix>``, a name not yet taken."""
    stamp = datetime.now().strftime(STAMP)
    path = db.sqlite_file(_engine())
    stem = path.stem if path is not None else "bake-tracker"
    suffix = suffix or ((path.suffix or ".sqlite3") if path is not None else ".json")
    middle = f"{kind}-" if kind else ""
    return _free(backups_folder() / f"{stem}-{middle}{stamp}{suffix}")


# --- making backups ---------------------------------------------------------------------------


def backup_database(path: str | Path | None = None) -> Path:
    """Copy the open database to ``path`` (default: a dated file in the backups folder).

    Raises:
        ValidationError (nothing open), StorageError (the copy could not be written: a full or
        read-only disk, named with the space free and needed; no partial file is left).
    """
    engine = _engine()
    source = db.sqlite_file(engine)
    target = Path(path) if path is not None else default_backup_path()
    try:
        if source is not None and target.suffix.lower() != ".json":
            return db.backup_sqlite(source, target)
        from bake_tracker.services import transfer_service  # a server's backup: the export

        transfer_service.export_data(target)
        return target
    except (OSError, sqlite3.Error) as error:
        raise _cannot_write(target, error, source) from None


def _cannot_write(target: Path, error: BaseException, source: Path | None) -> StorageError:
    kind = faults.classify(error, target)
    if kind in (faults.FULL, faults.READ_ONLY):
        needed = source.stat().st_size if source is not None and source.exists() else None
        reason = faults.describe(kind, target.parent, needed=needed, database=False)
        return StorageError(
            f"Could not write the backup {target}. {reason} No partial backup was left behind.",
            kind=kind,
        )
    return StorageError(
        f"Could not write the backup {target}: {error}. No partial backup was left behind.",
        kind=kind,
    )


def automatic_backup(reason: str, *, keep: int = KEEP_AUTOMATIC) -> Path | None:
    """An automatic copy of a SQLite database (``<name>-auto-<reason>-<date-time>``), then the
    automatic copies beyond the newest ``keep`` removed. None on a server (its own job).

    Raises:
        StorageError (the copy could not be written; nothing was left).
    """
    if db.sqlite_file(_engine()) is None:
        return None
    refuse_read_only("make an automatic backup")
    made = backup_database(default_backup_path(kind=f"{AUTO}-{reason}"))
    prune_automatic(keep)
    return made


def daily_backup(*, keep: int = KEEP_AUTOMATIC, today: date | None = None) -> Path | None:
    """The day's automatic backup, when none was made today (None: made already, a server, a
    read-only file or an empty database).

    Called on the first start of the day by the window and by every command that writes.
    """
    if not daily_backup_due(today=today):
        return None
    return automatic_backup(DAILY, keep=keep)


def daily_backup_due(*, today: date | None = None) -> bool:
    """True when ``daily_backup`` would copy: a writable SQLite file with data and no copy made
    today (a server backs itself up; a read-only file cannot change; an empty one holds nothing).
    Cheap: one count and one folder listing."""
    path = db.sqlite_file(_engine())
    if path is None or database_service.is_read_only() or sample_data_service.is_empty():
        return False
    day = (today or date.today()).strftime("%Y%m%d")
    folder = backups_folder()
    return not (folder.is_dir() and any(folder.glob(f"{path.stem}-{AUTO}-{DAILY}-{day}-*")))


def prune_automatic(keep: int) -> list[Path]:
    """Remove the automatic copies beyond the newest ``keep``; the removed paths. Copies made
    by the user and before a migration are never touched."""
    automatic = [
        e for e in list_backups() if e.kind in ("daily", "before restore", "before import")
    ]
    removed = []
    for entry in automatic[max(keep, 0) :]:
        db.remove_database_file(entry.path)
        removed.append(entry.path)
    return removed


def list_backups() -> list[BackupEntry]:
    """Every backup of the open database in its backups folder, newest first."""
    folder = backups_folder()
    path = db.sqlite_file(_engine())
    stem = path.stem if path is not None else "bake-tracker"
    if not folder.is_dir():
        return []
    entries = [
        _entry(candidate)
        for candidate in folder.iterdir()
        if candidate.is_file()
        and candidate.name.startswith(f"{stem}-")
        and candidate.suffix.lower() in BACKUP_SUFFIXES
    ]
    # copies made within the same second: the one written last is the newer
    return sorted(entries, key=lambda e: (e.taken_at, e.path.stat().st_mtime_ns), reverse=True)


def _entry(path: Path) -> BackupEntry:
    stat = path.stat()
    found = _STAMP_IN_NAME.search(path.stem)
    try:
        taken_at = datetime.strptime(found.group(1), STAMP) if found else None
    except ValueError:
        taken_at = None
    kind = next((k for marker, k in _KINDS if marker in f"{path.stem}-"), "manual")
    return BackupEntry(
        path=path,
        taken_at=taken_at or datetime.fromtimestamp(stat.st_mtime),
        kind=kind,
        size=stat.st_size,
    )


# --- restoring --------------------------------------------------------------------------------


def restore_backup(path: str | Path, *, keep: int = KEEP_AUTOMATIC) -> DatabaseInfo:
    """Replace the open database's contents with a backup (a ``.json`` export or a SQLite copy).

    An automatic copy of the current database is saved first (a damaged one is set aside as
    ``<name>-damaged-<date-time>`` instead); the database is then reopened.

    Raises:
        ValidationError (a broken JSON backup, with its problems), DatabaseStartupError (a file
        that is not a usable bake-tracker database), StorageError (a read-only database or a full
        disk), ImportVersionError.
    """
    backup = Path(path)
    engine = _engine()
    url = database_service.current_url()
    current = db.sqlite_file(engine)
    refuse_read_only("restore a backup")
    if backup.suffix.lower() == ".json":
        return _restore_json(backup, url, keep)
    if current is None:
        raise ValidationError("A server database is restored from a .json backup")
    database_service.check_backup_file(backup)
    safety = _safety_copy(current, keep)
    database_service.close_database()
    aside = _replace_file(current, backup, set_aside=safety is None)
    info = database_service.open_database(url)
    return replace(info, safety_copy=safety, damaged_copy=aside)


def refuse_read_only(doing: str) -> None:
    """Raise the read-only ``StorageError`` when the open database was opened read-only: a
    write use case says so before it starts (``doing``: what it would have done)."""
    path = db.sqlite_file(_engine())
    if path is not None and database_service.is_read_only():
        raise StorageError(
            f"Cannot {doing}: {faults.describe(faults.READ_ONLY, path)} Nothing was changed.",
            kind=faults.READ_ONLY,
        )


def restore_into(url: str, path: str | Path, *, keep: int = KEEP_AUTOMATIC) -> DatabaseInfo:
    """The command line's restore: open the database at ``url`` and restore ``path`` into it —
    also when the database is too damaged to open, which is when a restore is needed most (it is
    set aside as ``<name>-damaged-<date-time>`` and the backup copied in its place)."""
    backup = Path(path)
    try:
        database_service.open_database(url)
    except DatabaseStartupError as error:
        current = db.sqlite_file(url)
        if error.kind != faults.DAMAGED or current is None:
            raise
        if backup.suffix.lower() == ".json":
            raise DatabaseStartupError(
                f"{error.message} A damaged database is restored from a SQLite backup "
                "(.sqlite3); restore one of those, then import the .json file.",
                kind=faults.DAMAGED,
            ) from None
        database_service.check_backup_file(backup)
        aside = _replace_file(current, backup, set_aside=True)
        return replace(database_service.open_database(url), damaged_copy=aside)
    return restore_backup(backup, keep=keep)


def _restore_json(backup: Path, url: str | None, keep: int) -> DatabaseInfo:
    from bake_tracker.services import transfer_service  # not needed by the window's start

    safety = automatic_backup(BEFORE_RESTORE, keep=keep)
    result = transfer_service.import_data(backup, mode="replace")
    if not result.ok:
        raise ValidationError(result.errors)
    return replace(database_service.open_database(url), safety_copy=safety)


def _safety_copy(current: Path, keep: int) -> Path | None:
    """Copy the database aside before a restore (the copy); None when it is damaged and must be
    set aside (renamed) instead, because a copy of it cannot be proved."""
    try:
        return automatic_backup(BEFORE_RESTORE, keep=keep)
    except StorageError as error:
        if error.kind in (faults.FULL, faults.READ_ONLY) or not _is_damaged(current):
            raise StorageError(
                f"{error.message} Nothing was restored: the current data could not be saved first.",
                kind=error.kind,
            ) from None
        return None


def _is_damaged(path: Path) -> bool:
    try:
        connection = db.connect_read_only(path)
        try:
            return [row[0] for row in connection.execute("PRAGMA quick_check")] != ["ok"]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return faults.classify(error) == faults.DAMAGED


def _replace_file(current: Path, backup: Path, *, set_aside: bool) -> Path | None:
    """Copy ``backup`` over ``current`` (closed). ``set_aside``: first rename the damaged file
    (and its companions) to ``<name>-damaged-<date-time>`` beside it (returned), put back if the
    copy fails."""
    aside = _set_aside(current) if set_aside else None
    try:
        db.backup_sqlite(backup, current, standalone=False)
    except (OSError, sqlite3.Error) as error:
        if aside is not None:
            db.remove_database_file(current)
            _move_with_companions(aside, current)
        kind = faults.classify(error, current)
        reason = faults.describe(kind, current, needed=backup.stat().st_size) if kind else error
        raise DatabaseStartupError(
            f"Restoring {backup.name} failed: {reason} Nothing was restored.", kind=kind
        ) from None
    return aside


def damaged_copy_path(current: Path) -> Path:
    """``<name>-damaged-<date-time><suffix>`` beside ``current``, a name not yet taken."""
    stamp = datetime.now().strftime(STAMP)
    return _free(current.with_name(f"{current.stem}-damaged-{stamp}{current.suffix}"))


def _set_aside(current: Path) -> Path:
    aside = damaged_copy_path(current)
    _move_with_companions(current, aside)
    return aside


def _move_with_companions(source: Path, target: Path) -> None:
    """Rename a SQLite file with its ``-wal``/``-shm``/``-journal`` (the WAL may hold its newest
    pages: they belong together)."""
    for companion in ("-wal", "-shm", "-journal", ""):
        moving = Path(f"{source}{companion}")
        if moving.exists():
            os.replace(moving, f"{target}{companion}")


def _engine():
    engine = database_service.current_engine()
    if engine is None:
        raise ValidationError("No database is open")
    return engine


def _free(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
