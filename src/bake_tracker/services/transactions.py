"""The services' transactions: ``db.use_session`` with storage failures turned into words.

Every public service function runs in ``use_session`` from here. A locked database becomes a
``DatabaseBusyError`` (which ``retry_on_conflict`` retries); a read-only file, a full disk, a disk
error or a damaged file becomes a ``StorageError`` (its ``kind`` from ``core.faults``) whose message
names the file, says what happened, what to do, and that nothing was saved (the transaction was
rolled back). Constraint violations are not translated: the services
check their input first, so one reaching here is a bug to see, not a message to show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bake_tracker import db
from bake_tracker.core import faults
from bake_tracker.services.errors import DatabaseBusyError, StorageError

NOTHING_SAVED = "Nothing was saved."


@contextmanager
def use_session(
    session: Session | None = None, *, write: bool = False, references_checked: bool = False
) -> Iterator[Session]:
    """``bake_tracker.db.use_session``, database failures raised as clear ``ServiceError``\\ s."""
    try:
        with db.use_session(session, write=write, references_checked=references_checked) as active:
            yield active
    except IntegrityError:
        raise
    except (OperationalError, DatabaseError) as error:
        raise storage_error(error) from error


def core_execute(
    session: Session, statement: Executable, parameters: dict[str, Any] | None = None
) -> CursorResult:
    """Run a column query on the session's connection, as Core: plain rows, without the ORM's
    per-row loading machinery that ``session.execute`` puts around even a select of columns
    (it cost more than the rows on the dashboard's reads). Pending changes are flushed first, as
    ``session.execute`` would. Not for statements that select ORM entities."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters)


def table_column(attribute: Any) -> Any:
    """The table column behind a mapped ORM attribute (``Recipe.name`` -> ``recipes.c.name``).

    For statements run with ``core_execute`` that the window's first paint runs: a statement of
    ORM attributes is compiled the ORM's way, which configures every mapper first (~0.1 s once
    per process); one of table columns is plain Core, and produces the same SQL and rows.
    """
    return attribute.class_.__mapper__.columns[attribute.key]


def storage_error(error: DatabaseError) -> Exception:
    """The ``DatabaseBusyError`` or ``StorageError`` for a failure of the bound database: the
    fault named (``core.faults``: full, read-only, locked, damaged), with the file and a way out."""
    path = _bound_file()
    kind = faults.classify(error, path)
    if kind == faults.LOCKED:
        return DatabaseBusyError(
            "The database is busy: it is locked by another program or workstation, which did "
            f"not let go in time. {NOTHING_SAVED} Try again in a moment, or close the other "
            "program."
        )
    if kind is not None:
        message = faults.describe(kind, path, reason=_first_line(error))
        return StorageError(f"{message} {NOTHING_SAVED}", kind=kind)
    reason = _first_line(error)
    return StorageError(f"The database could not finish this ({reason}). {NOTHING_SAVED}")


def _bound_file() -> Path | None:
    """The SQLite file the application's sessions are bound to (None for a server)."""
    engine = db.SessionLocal.kw.get("bind")
    return db.sqlite_file(engine) if engine is not None else None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", error)).strip()
    return text.splitlines()[0] if text else type(error).__name__
