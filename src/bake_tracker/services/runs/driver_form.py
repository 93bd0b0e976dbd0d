"""Statements run with stored rows, handed to the driver as SQLAlchemy compiled them.

``connection.execute(statement, rows)`` does, for every row of an ``executemany``, SQLAlchemy's
parameter work: a dictionary of every bind, then each value's bind processor. On a production
run's writes (some 70 parameter sets in 9 statements) that cost more than SQLite did. Here a
statement is compiled once per dialect and set of keys, exactly as ``connection.execute`` would
compile it (``column_keys`` = the rows' keys), and its rows go to ``exec_driver_sql`` as the
driver's parameters: values in stored form (``runs.stored_form``: scaled integers, naive UTC),
then the dialect's own bind processor of each bind's type (SQLite turns a datetime into text),
computed once per distinct value. The SQL text, the parameters reaching the driver and the
statement events (the bench's counts, the fault-injection tests) are the same as before; only the
per-row bookkeeping is gone.

Only for statements whose binds are plain values (no expanding ``IN`` lists, no type that would
need a ``TypeDecorator``): the caller hands over what the model types would have bound.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, CursorResult
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True, slots=True)
class _Form:
    """A statement as the driver takes it: its SQL, the bind names in parameter order, and each
    bind's processor (None: the value goes as it is)."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    positional: bool


@lru_cache(maxsize=256)
def _form(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> _Form:
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if compiled.positional:
        names = tuple(compiled.positiontup or ())
    else:
        names = tuple(dict.fromkeys(compiled.bind_names.values()))
    binds = compiled.binds
    for name in names:
        if binds[name].expanding or name not in keys:
            raise ValueError(f"{name}: only plain binds given by every row can go as they are")
    processors = tuple(
        binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    return _Form(compiled.string, names, processors, bool(compiled.positional))


def execute(
    connection: Connection, statement: ClauseElement, rows: Sequence[dict[str, Any]]
) -> CursorResult:
    """Run ``statement`` once per row of ``rows`` (one ``executemany``; one ``execute`` for a
    single row, so ``RETURNING`` works), every row with the same keys, values in stored form."""
    form = _form(statement, connection.dialect, tuple(rows[0]))
    converted: dict[Any, Any] = {}  # (processor index, value) -> driver value: once per value

    def values(row: dict[str, Any]) -> list[Any]:
        out = []
        for index, (name, processor) in enumerate(zip(form.names, form.processors, strict=True)):
            value = row[name]
            if processor is not None and value is not None:
                key = (index, value)
                if key not in converted:
                    converted[key] = processor(value)
                value = converted[key]
            out.append(value)
        return out

    if form.positional:
        parameters: list[Any] = [tuple(values(row)) for row in rows]
    else:
        parameters = [dict(zip(form.names, values(row), strict=True)) for row in rows]
    if len(parameters) == 1:
        return connection.exec_driver_sql(form.sql, parameters[0])
    return connection.exec_driver_sql(form.sql, parameters)
