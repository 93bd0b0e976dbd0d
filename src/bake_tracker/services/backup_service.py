"""Backups and restores of the whole database.

A SQLite database is copied with SQLite's online backup API (consistent even while the app has it
open, WAL included) into ``backups/`` beside it; a PostgreSQL database is backed up as the JSON
export document. Restoring asks nothing itself (the window confirms first): it checks the backup,
saves a safety copy of the current database, replaces the contents, and reopens the database —
migrating it if the backup came from an older version.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from bake_tracker import db
from bake_tracker.config import default_data_dir
from bake_tracker.services import database_service, transfer_service
from bake_tracker.services.dto import DatabaseInfo
from bake_tracker.services.errors import DatabaseStartupError, ValidationError


def default_backup_path(suffix: str | None = None) -> Path:
    """``<database folder>/backups/<name>-<date-time><suffix>`` (the data folder for a server)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    engine = _engine()
    path = db.sqlite_file(engine)
    if path is not None:
        suffix = suffix or path.suffix or ".sqlite3"
        return _free(path.parent / "backups" / f"{path.stem}-{stamp}{suffix}")
    return _free(default_data_dir() / "backups" / f"bake-tracker-{stamp}{suffix or '.json'}")


def backup_database(path: str | Path | None = None) -> Path:
    """Copy the open database to ``path`` (default: a dated file in the backups folder).

    Raises:
        ValidationError (nothing open, or a path that cannot be written).
    """
    engine = _engine()
    source = db.sqlite_file(engine)
    target = Path(path) if path is not None else default_backup_path()
    try:
        if source is not None and target.suffix.lower() != ".json":
            return db.backup_sqlite(source, target)
        transfer_service.export_data(target)
        return target
    except (OSError, sqlite3.Error) as error:
        raise ValidationError(
            f"Could not write the backup {target}: {error}. No partial backup was left behind."
        ) from None


def restore_backup(path: str | Path) -> DatabaseInfo:
    """Replace the open database's contents with a backup (a ``.json`` export or a SQLite copy).

    A safety copy of the current database is saved first; the database is then reopened.

    Raises:
        ValidationError (a broken JSON backup, with its problems), DatabaseStartupError (a file
        that is not a usable bake-tracker database), ImportVersionError.
    """
    backup = Path(path)
    engine = _engine()
    url = database_service.current_url()
    if backup.suffix.lower() == ".json":
        backup_database()  # safety copy
        result = transfer_service.import_data(backup, mode="replace")
        if not result.ok:
            raise ValidationError(result.errors)
        return database_service.open_database(url)
    current = db.sqlite_file(engine)
    if current is None:
        raise ValidationError("A server database is restored from a .json backup")
    database_service.check_backup_file(backup)
    backup_database()  # safety copy
    database_service.close_database()
    try:
        db.backup_sqlite(backup, current, standalone=False)
    except sqlite3.Error as error:
        raise DatabaseStartupError(f"Restoring {backup.name} failed: {error}") from None
    finally:
        info = database_service.open_database(url)
    return info


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
