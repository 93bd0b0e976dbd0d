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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY, Connection, CursorResult, bindparam, func
from sqlalchemy import column as named_column
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True, slots=True)
class _Form:
    """A statement as the driver takes it: its SQL, the bind names in parameter order, and the
    positions whose bind has a processor, with it (the others' values go as they are)."""

    sql: str
    names: tuple[str, ...]
    processed: tuple[tuple[int, Callable[[Any], Any]], ...]
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
    processors = [binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    processed = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    return _Form(compiled.string, names, processed, bool(compiled.positional))


def execute(
    connection: Connection,
    statement: ClauseElement,
    rows: Sequence[dict[str, Any]],
    options: dict[str, Any] | None = None,
) -> CursorResult:
    """Run ``statement`` once per row of ``rows`` (one ``executemany``; one ``execute`` for a
    single row, so ``RETURNING`` works), every row with the same keys, values in stored form;
    ``options``: the execution options (``runs.pipeline.ANSWER``)."""
    form = _form(statement, connection.dialect, tuple(rows[0]))
    names = form.names
    parameters: list[Any] = [[row[name] for name in names] for row in rows]
    if form.processed:
        converted: dict[Any, Any] = {}  # (position, value) -> driver value: once per value
        for values in parameters:
            for index, processor in form.processed:
                value = values[index]
                if value is not None:
                    key = (index, value)
                    if key not in converted:
                        converted[key] = processor(value)
                    values[index] = converted[key]
    if form.positional:
        parameters = [tuple(values) for values in parameters]
    else:
        parameters = [dict(zip(names, values, strict=True)) for values in parameters]
    if len(parameters) == 1:
        return connection.exec_driver_sql(form.sql, parameters[0], options)
    return connection.exec_driver_sql(form.sql, parameters, options)


# --- PostgreSQL: many rows as one statement -------------------------------------------------------
# An ``executemany`` on PostgreSQL runs one server-side execution per row (psycopg pipelines the
# round trips, not the work). Where a production writes ~15 rows in one table, the rows go instead
# as one array per column, unnested into a derived table (``WITH ORDINALITY``, so rows keep their
# order), and one statement does them all.


def unnested(columns: Sequence[tuple[str, Any]], name: str):
    """``unnest(:a_<column>, ...) WITH ORDINALITY AS name(<column>, ..., ordinality)``: one typed
    array bind per ``(column name, type)``."""
    arrays = (bindparam(f"a_{n}", type_=ARRAY(t)) for n, t in columns)
    return (
        func.unnest(*arrays)
        .table_valued(*(named_column(n, t) for n, t in columns), with_ordinality="ordinality")
        .render_derived(name=name)
    )


def as_arrays(rows: Sequence[dict[str, Any]], names: Iterable[str]) -> dict[str, list[Any]]:
    """The binds of ``unnested``: each column's values across ``rows``, in row order."""
    return {f"a_{n}": [row[n] for row in rows] for n in names}
