"""PostgreSQL: a run's writes sent without waiting for each one's answer (psycopg's pipeline mode).

A production or an assembly writes some ten statements after its reads; on PostgreSQL each one
was a round trip: send, wait for the server, read the answer, send the next. Most answers are not
needed (an ``INSERT`` or ``UPDATE`` without ``RETURNING``), so inside ``batched(session)`` such a
statement is only sent: the server runs it while the client builds the next one, and their
answers are read together. Every other statement waits for its answer before SQLAlchemy looks at
it (a sync from the ``after_cursor_execute`` listener): reads, ``RETURNING``, and the statements
given ``ANSWER`` — the guarded draws, whose row counts must be checked where they are (a short
count raises ``DatabaseBusyError`` and rolls everything back, as before). Leaving the block reads
every answer still due: an error of a queued statement is raised there, as SQLAlchemy would have
raised it from the statement itself, and the use case rolls back. The statements, their order and
their parameters are the same as without the block: only when their answers are read changes.

A run's new id is asked before its draws (``reserve_id``: the next value of the runs' id
sequence, answered with the draw's own answer) so that the run's insert carries its id and is not
waited for either: one round trip fewer, and the server runs the draws, the stock totals and the
run's insert while the client builds the ledger.

The block's last answers come with the commit's: leaving the block reads nothing yet (the
connection stays in pipeline mode, "pending"); the use case's ``COMMIT`` is then queued behind
the last writes and one sync reads every answer still due and the commit's (one round trip
instead of two: the block's end, then the ``COMMIT``). A queued write's error is then raised by
the commit, as SQLAlchemy raises a driver's error from it (``IntegrityError``, ...), and the
transaction, in error, is rolled back: nothing is committed. Whatever comes first after the
block ends the pending pipeline first: a rollback (its errors, if any, are moot), or any other
statement on the connection (a caller's session going on: the answers are read, an error raised,
before that statement is sent, as leaving the block did).

On any other driver (SQLite) the block and ``ANSWER`` do nothing, and ``reserve_id`` gives None.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from sqlalchemy import Connection, Engine, Table, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_OPEN = "bake_tracker_pipeline"  # Connection.info key: the open psycopg pipeline
_PENDING = "bake_tracker_pipeline_pending"  # Connection.info key: a block left, not yet read
_MUST_ANSWER = "bake_tracker_answer"
ANSWER = {_MUST_ANSWER: True}  # execution options: wait for this statement's answer (row count)
_QUEUED = ("INSERT", "UPDATE", "DELETE")
_listening: weakref.WeakSet[Engine] = weakref.WeakSet()


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """The statements run inside: on PostgreSQL (psycopg), writes without ``RETURNING`` are not
    waited for one by one, and their last answers come with the commit's (module docstring);
    elsewhere, nothing changes."""
    connection = session.connection()
    if connection.dialect.driver != "psycopg" or _OPEN in connection.info:
        yield
        return
    _listen(connection.engine)
    _end_pending(connection.connection)  # a previous block's answers, before this one starts
    raw = connection.connection.driver_connection
    block = raw.pipeline()  # psycopg's context manager: entered here, left when it is over
    try:
        pipeline = block.__enter__()
    except raw.Error as error:
        raise _as_sqlalchemy(error, connection.dialect, raw) from error
    connection.info[_OPEN] = pipeline
    try:
        yield
    except BaseException as exc:
        del connection.info[_OPEN]
        block.__exit__(type(exc), exc, exc.__traceback__)  # its own errors are only logged
        raise
    del connection.info[_OPEN]
    connection.info[_PENDING] = block  # left with the COMMIT, or before whatever comes first


def _end_pending(dbapi_connection, *, commit: bool = False, moot: bool = False) -> None:
    """Leave the pipeline a block left pending on this pooled connection (if any): with
    ``commit``, the ``COMMIT`` is queued behind the writes first (psycopg's own ``commit()``
    then finds the transaction over and sends nothing); ``moot``: its errors do not matter (a
    rollback follows). Raises the driver's error of the first write (or the commit) refused."""
    block = dbapi_connection.info.pop(_PENDING, None)
    if block is None:
        return
    raw = dbapi_connection.driver_connection
    if moot:
        failed = RuntimeError("rolled back")  # psycopg then only logs its own errors
        block.__exit__(type(failed), failed, None)
        return
    try:
        if commit:
            raw.cursor().execute("COMMIT", prepare=False)  # queued: answered by the sync below
    except BaseException as exc:
        block.__exit__(type(exc), exc, exc.__traceback__)
        raise
    block.__exit__(None, None, None)  # one sync: every answer still due, the commit's too


def _as_sqlalchemy(error, dialect, raw) -> DBAPIError:
    """A driver's error raised as SQLAlchemy raises one from a statement (OperationalError, ...)."""
    return DBAPIError.instance(None, None, error, type(raw).Error, dialect=dialect)


def reserve_id(session: Session, table: Table) -> Callable[[], int] | None:
    """Inside ``batched`` on PostgreSQL: ask now for the next value of ``table``'s id sequence
    (the value its insert would have taken) and return how to read it, which waits only if no
    statement waited for since (a guarded draw) brought its answer; elsewhere None (the insert
    returns its id as before). Sent on psycopg's own cursor: SQLAlchemy would wait for the
    answer of a ``SELECT`` at once. A run that then fails leaves a gap in the ids, as a failed
    insert does on PostgreSQL."""
    connection = session.connection()
    if connection.info.get(_OPEN) is None:
        return None
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", (table.name,))

    def answer() -> int:
        (value,) = cursor.fetchone()  # in the pipeline: read now, or asked for (a flush) now
        cursor.close()
        return value

    return answer


def _listen(engine: Engine) -> None:
    if engine not in _listening:
        event.listen(engine, "before_cursor_execute", _end_pending_first)
        event.listen(engine, "after_cursor_execute", _answer_when_needed)
        dialect = engine.dialect  # the engine's own; the pool's reset rolls back through it too
        dialect.do_commit = partial(_commit, plain=dialect.do_commit)  # type: ignore[method-assign]
        dialect.do_rollback = partial(_rollback, plain=dialect.do_rollback)  # type: ignore[method-assign]
        _listening.add(engine)


def _commit(dbapi_connection, *, plain) -> None:
    """The dialect's commit: a pending block's last answers and the ``COMMIT`` in one sync (an
    error is the driver's, which SQLAlchemy raises as its own from the commit)."""
    _end_pending(dbapi_connection, commit=True)
    plain(dbapi_connection)


def _rollback(dbapi_connection, *, plain) -> None:
    """The dialect's rollback: a pending block is left first, its answers moot."""
    _end_pending(dbapi_connection, moot=True)
    plain(dbapi_connection)


def _end_pending_first(connection: Connection, cursor, statement, parameters, context, executemany):
    """Any statement after a block, before the commit: the block's answers are read first, and
    a refused write raised as SQLAlchemy's error, as leaving the block did."""
    if _PENDING in connection.info:
        raw = connection.connection.driver_connection
        try:
            _end_pending(connection.connection)
        except raw.Error as error:
            raise _as_sqlalchemy(error, connection.dialect, raw) from error


def _answer_when_needed(
    connection: Connection, cursor, statement: str, parameters, context, executemany
) -> None:
    """Inside ``batched``: sync (read every answer due) unless this statement is a write without
    ``RETURNING`` whose answer nobody reads; runs before SQLAlchemy builds its result."""
    pipeline = connection.info.get(_OPEN)
    if pipeline is None:
        return
    head = statement.lstrip()[:6].upper()
    queued = head in _QUEUED and "RETURNING" not in statement.upper()
    if queued and not context.execution_options.get(_MUST_ANSWER):
        return
    pipeline.sync()
