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

On any other driver (SQLite) the block and ``ANSWER`` do nothing, and ``reserve_id`` gives None.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Table, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_OPEN = "bake_tracker_pipeline"  # Connection.info key: the open psycopg pipeline
_MUST_ANSWER = "bake_tracker_answer"
ANSWER = {_MUST_ANSWER: True}  # execution options: wait for this statement's answer (row count)
_QUEUED = ("INSERT", "UPDATE", "DELETE")
_listening: weakref.WeakSet[Engine] = weakref.WeakSet()


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """The statements run inside: on PostgreSQL (psycopg), writes without ``RETURNING`` are not
    waited for one by one (module docstring); elsewhere, nothing changes."""
    connection = session.connection()
    if connection.dialect.driver != "psycopg" or _OPEN in connection.info:
        yield
        return
    _listen(connection.engine)
    raw = connection.connection.driver_connection
    inside_failed = False
    try:
        with raw.pipeline() as pipeline:  # on an error inside, its own errors are ignored
            connection.info[_OPEN] = pipeline
            try:
                yield
            except BaseException:
                inside_failed = True
                raise
            finally:
                del connection.info[_OPEN]
    except raw.Error as error:
        if inside_failed:
            raise
        # entering, or leaving (reading what was still due: a queued statement failed), raised
        # as SQLAlchemy raises a driver's error from a statement (OperationalError, ...)
        raise DBAPIError.instance(
            None, None, error, type(raw).Error, dialect=connection.dialect
        ) from error


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
        event.listen(engine, "after_cursor_execute", _answer_when_needed)
        _listening.add(engine)


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
