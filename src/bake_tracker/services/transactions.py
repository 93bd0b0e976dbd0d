"""The services' transactions: ``db.use_session`` with storage failures turned into words.

Every public service function runs in ``use_session`` from here. A locked database becomes a
``DatabaseBusyError`` (which ``retry_on_conflict`` retries); a read-only file, a full disk, a disk
error or a damaged file becomes a ``StorageError`` whose message says what happened and that nothing
was saved (the transaction was rolled back). Constraint violations are not translated: the services
check their input first, so one reaching here is a bug to see, not a message to show.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bake_tracker import db
from bake_tracker.services.errors import DatabaseBusyError, StorageError

NOTHING_SAVED = "Nothing was saved."
# What the database says when another writer got in the way: SQLite's busy timeout ran out, or
# PostgreSQL aborted this transaction (deadlock victim, serialization failure, lock timeout).
# Nothing was written, so the use case can run again (``retry_on_conflict``).
BUSY_WORDS = (
    "database is locked",
    "database is busy",
    "lock timeout",
    "could not serialize",
    "deadlock detected",
)
MESSAGES = (
    (BUSY_WORDS, None),
    (
        ("readonly", "read-only", "read only"),
        "The database file is read-only, so nothing could be written. Check the file's "
        "permissions and the disk it is on.",
    ),
    (
        ("disk is full", "database or disk is full", "no space left"),
        "The disk is full. Free some space and try again.",
    ),
    (("disk i/o error",), "The disk reported an error while reading or writing the database."),
    (
        ("malformed", "not a database", "file is encrypted"),
        "The database file is damaged. Run 'bake-tracker check', and restore a backup if needed.",
    ),
)


@contextmanager
def use_session(session: Session | None = None, *, write: bool = False) -> Iterator[Session]:
    """``bake_tracker.db.use_session``, database failures raised as clear ``ServiceError``\\ s."""
    try:
        with db.use_session(session, write=write) as active:
            yield active
    except IntegrityError:
        raise
    except (OperationalError, DatabaseError) as error:
        raise storage_error(error) from error


def storage_error(error: DatabaseError) -> Exception:
    text = str(getattr(error, "orig", error)).strip().lower()
    for words, message in MESSAGES:
        if any(word in text for word in words):
            if message is None:
                return DatabaseBusyError(
                    "The database is busy: another program or workstation is using it. "
                    f"{NOTHING_SAVED} Try again in a moment."
                )
            return StorageError(f"{message} {NOTHING_SAVED}")
    first_line = text.splitlines()[0] if text else type(error).__name__
    return StorageError(f"The database could not finish this ({first_line}). {NOTHING_SAVED}")
