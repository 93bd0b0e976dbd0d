"""Opening the database at start-up: check it, back it up, migrate it, bind the sessions.

Every refusal is a ``DatabaseStartupError`` with a message a non-programmer can act on, and is
raised *before* anything is written: a corrupt file, a folder where a file should be, a SQLite file
that belongs to another program, a database made by a newer version of the app, or a server that
cannot be reached all leave the database exactly as it was. A SQLite file is copied aside before a
migration changes its schema, so a failed or unwanted update can always be undone.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bake_tracker import db
from bake_tracker.core import faults
from bake_tracker.services.dto import DatabaseInfo
from bake_tracker.services.errors import DatabaseStartupError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"


_engine: Engine | None = None
_read_only = False


def open_database(url: str) -> DatabaseInfo:
    """Check, back up if a migration is pending, migrate to head and bind the app's sessions.

    A SQLite file that cannot be written (the file, its folder or the disk is read-only) is opened
    read-only: everything reads, and a write is refused with the read-only message. A file this
    call created and a full disk left empty is removed again (no 0-byte database is left).
    """
    global _engine, _read_only
    path = _sqlite_path(url)
    created = path is not None and not path.exists()
    try:
        engine, read_only = _make_checked_engine(url)
        before, backup = _bring_up_to_date(engine, read_only)
    except DatabaseStartupError as error:
        if created and path is not None:
            _remove_if_left_empty(path, error.kind)
        raise
    if _engine is not None and _engine is not engine:
        _engine.dispose()
    _engine, _read_only = engine, read_only
    db.bind_engine(engine)
    return DatabaseInfo(
        url=engine.url.render_as_string(hide_password=True),
        backend=engine.url.get_backend_name(),
        path=db.sqlite_file(engine),
        revision=db.head_revision(),
        migrated_from=before if before != db.head_revision() else None,
        backup_path=backup,
        read_only=read_only,
    )


def _bring_up_to_date(engine: Engine, read_only: bool) -> tuple[str | None, Path | None]:
    """(revision before, pre-migration backup): migrates to head, disposing ``engine`` on error."""
    try:
        before = _check_revision(engine)
        if before == db.head_revision():
            return before, None
        if read_only:
            path = db.sqlite_file(engine)
            raise DatabaseStartupError(
                f"{path} needs updating to this version of bake-tracker, but it is read-only (the "
                "file, its folder or the disk cannot be written). Make it writable, or copy it to "
                "a writable folder and open that copy with --db. Nothing was changed.",
                kind=faults.READ_ONLY,
            )
        backup = _backup_before_migration(engine, before)
        _migrate(engine)
        return before, backup
    except BaseException:
        engine.dispose()
        raise


def _remove_if_left_empty(path: Path, kind: str | None) -> None:
    """Remove the database file this start created when a full disk left it empty (0 bytes): it
    holds nothing. Only then — a file that another process may have just created and be filling
    is never deleted under it."""
    if kind not in (faults.FULL, faults.IO):
        return
    wal = Path(f"{path}-wal")
    try:
        empty = path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)
    except OSError:
        return
    if empty:
        db.remove_database_file(path)


def _sqlite_path(url: str) -> Path | None:
    try:
        return db.sqlite_file(url)
    except ArgumentError:
        return None


def close_database() -> None:
    """Fold the WAL file back into the database and release connections (called on exit)."""
    global _engine, _read_only
    if _engine is None:
        return
    if db.is_sqlite(_engine) and not _read_only:
        try:
            with _engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except DBAPIError:  # another process holds it (or the disk is full): folded back later
            log.warning("WAL checkpoint skipped: database busy")
    _engine.dispose()
    _engine, _read_only = None, False


def is_read_only() -> bool:
    """True when the open database is a SQLite file opened read-only (it cannot be written)."""
    return _read_only


def checkpoint_when_idle() -> bool:
    """Fold what the WAL holds back into the file now, while nobody waits (the window calls this
    from its idle loop), so SQLite's automatic checkpoint does not land on a user's write; never
    blocks anyone (PASSIVE). False when there is nothing to do or the database is busy."""
    if _engine is None:
        return False
    try:
        return db.checkpoint(_engine)
    except DBAPIError:  # busy or gone: the next idle moment, or closing, does it
        log.info("idle WAL checkpoint skipped", exc_info=True)
        return False


def current_engine() -> Engine | None:
    """The engine opened by ``open_database`` (None before start-up or after close)."""
    return _engine


def current_url() -> str | None:
    return None if _engine is None else _engine.url.render_as_string(hide_password=False)


def check_backup_file(path: Path) -> None:
    """Refuse, without changing anything, a file that is not a bake-tracker SQLite database this
    version can open (damaged, another program's, or from a newer version)."""
    if not path.is_file():
        raise DatabaseStartupError(f"{path} does not exist.")
    _check_sqlite_file(path)
    try:
        connection = db.connect_read_only(path)
        connection.row_factory = sqlite3.Row
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        kind = faults.classify(error, path)
        if kind in (faults.FULL, faults.READ_ONLY, faults.LOCKED, faults.IO):
            # the file could not be read: saying it is no backup would be wrong
            raise DatabaseStartupError(
                f"Cannot read the backup: {faults.describe(kind, path, reason=str(error))} "
                "Nothing was changed.",
                kind=kind,
            ) from None
        raise DatabaseStartupError(
            f"{path.name} is not a bake-tracker backup ({error}). Nothing was changed."
        ) from None
    if row is None or row["version_num"] not in db.known_revisions():
        raise DatabaseStartupError(
            f"{path.name} is not a backup this version of bake-tracker can restore."
        )


def _make_checked_engine(url: str) -> tuple[Engine, bool]:
    """(engine, read-only?) for ``url``, proved by one query."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseStartupError(f"'{url}' is not a valid database address.") from None
    path = db.sqlite_file(url)
    read_only = False
    if path is not None:
        _check_sqlite_file(path)
        read_only = path.exists() and not faults.writable(path)
    try:
        engine = db.make_read_only_engine(url) if read_only else db.make_engine(url)
    except NoSuchModuleError:
        raise DatabaseStartupError(
            f"This app cannot talk to '{parsed.get_backend_name()}' databases. Use a SQLite file "
            "or a postgresql+psycopg:// address."
        ) from None
    except ImportError as exc:
        raise DatabaseStartupError(
            f"The database driver is not installed ({exc.name}). For PostgreSQL install "
            "bake-tracker with its 'postgres' extra."
        ) from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        kind = faults.classify(exc, path) if path is not None else None
        raise DatabaseStartupError(_cannot_open_message(parsed, path, exc), kind=kind) from None
    return engine, read_only


def _cannot_open_message(parsed, path: Path | None, exc: DBAPIError) -> str:
    reason = _first_line(exc.orig)
    if path is None:
        return (
            f"Could not connect to the database server at "
            f"{parsed.render_as_string(hide_password=True)} ({reason}). Check that the server is "
            "running and that the address, user and password are right."
        )
    kind = faults.classify(exc, path)
    if kind == faults.READ_ONLY and not path.exists():
        return (
            f"Cannot create the database {path}: its folder is read-only. Choose a writable "
            "folder with --db."
        )
    if kind is not None:
        return f"{faults.describe(kind, path, reason=reason)} Nothing was changed."
    return (
        f"Could not open the database file {path} ({reason}). Nothing was changed. "
        "Restore a backup, or choose another file with --db."
    )


def _check_sqlite_file(path: Path) -> None:
    """Refuse, without touching it, a path that is not a SQLite database we may open."""
    if path.is_dir():
        raise DatabaseStartupError(f"{path} is a folder, not a database file.")
    if not path.exists():
        if not path.parent.exists():
            try:
                path.parent.mkdir(parents=True)
            except OSError as exc:
                raise DatabaseStartupError(
                    f"Cannot create the data folder {path.parent}: {exc.strerror}"
                ) from None
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseStartupError(
            f"Cannot read the database file {path}: {exc.strerror}"
        ) from None
    if header and header != SQLITE_HEADER:
        raise DatabaseStartupError(
            f"{path} is not a bake-tracker database: the file is damaged or of another kind. "
            "Nothing was changed. Restore a backup ('bake-tracker restore BACKUP' keeps a dated "
            "copy of the damaged file beside it) or choose another file with --db.",
            kind=faults.DAMAGED,
        )


def _check_revision(engine: Engine) -> str | None:
    """The database's revision; refuses foreign and newer databases and unreadable schemas."""
    try:
        revision = db.current_revision(engine)
        tables = db.user_tables(engine) if revision is None else []
    except DBAPIError as exc:
        path = db.sqlite_file(engine)
        kind = faults.classify(exc, path) if path is not None else None
        if kind is not None:
            reason = _first_line(exc.orig)
            message = f"{faults.describe(kind, path, reason=reason)} Nothing was changed."
        else:
            message = f"The database could not be read: {_first_line(exc.orig)}."
            message += " Nothing was changed."
        raise DatabaseStartupError(message, kind=kind) from None
    if revision is None and tables:
        raise DatabaseStartupError(
            "This database holds tables of another program (for example "
            f"{', '.join(sorted(tables)[:3])}); bake-tracker will not change it."
        )
    if revision is not None and revision not in db.known_revisions():
        raise DatabaseStartupError(
            f"This database was last used by a newer version of bake-tracker (schema {revision}). "
            "Please update the app; nothing was changed."
        )
    return revision


def _backup_before_migration(engine: Engine, revision: str | None) -> Path | None:
    """Copy an existing SQLite database aside before its schema changes, to
    ``backups/<name>-before-migration-<date-time>`` beside it (the copy undoes an update)."""
    path = db.sqlite_file(engine)
    if path is None or revision is None:  # a server, or a brand-new empty file: nothing to lose
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.parent / "backups" / f"{path.stem}-before-migration-{stamp}{path.suffix}"
    n = 1
    while target.exists():
        target = target.with_name(f"{path.stem}-before-migration-{stamp}-{n}{path.suffix}")
        n += 1
    try:
        db.backup_sqlite(path, target)
    except (OSError, sqlite3.Error) as exc:
        kind = faults.classify(exc, target)
        if kind in (faults.FULL, faults.READ_ONLY):
            needed = path.stat().st_size
            reason = faults.describe(kind, target.parent, needed=needed)
            raise DatabaseStartupError(
                f"Could not back up the database before updating it. {reason} Nothing was changed.",
                kind=kind,
            ) from None
        raise DatabaseStartupError(
            f"Could not back up the database before updating it ({exc}); nothing was changed."
        ) from None
    log.info("backed up %s to %s before migrating from %s", path, target, revision)
    return target


def _migrate(engine: Engine) -> None:
    try:
        db.upgrade_to_head(engine)
    except DBAPIError as exc:
        path = db.sqlite_file(engine)
        kind = faults.classify(exc, path) if path is not None else None
        reason = _first_line(exc.orig)
        if kind in (faults.FULL, faults.READ_ONLY, faults.LOCKED):
            reason = faults.describe(kind, path)
        raise DatabaseStartupError(
            f"Updating the database failed and was rolled back: {reason}", kind=kind
        ) from None


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
