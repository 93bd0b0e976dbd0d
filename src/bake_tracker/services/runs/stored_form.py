"""Inserts whose rows are handed over already in their stored form, for the hot ledger writes.

A model table's columns carry ``TypeDecorator`` types (``Money``/``Quantity`` as scaled integers,
``UTCDateTime``) and Python-side defaults (``uuid``, ``created_at``, ``updated_at``). For a
ledger of some 45 rows per production run, SQLAlchemy's per-row work around them (a default
call per column per row, a chain of processors per value) cost more than the values
themselves. ``plain(table)`` is the same table described with the types those decorators store
(``BigInteger``, ``DateTime``) and no defaults, and ``stored_row`` turns one row of Python values
into what the model's types would have bound, with the same checks (``to_scaled`` refuses a
value with more places than the column keeps; an aware datetime only). The statement, the
columns and the values that reach the database are the same on every backend; only who
converts them changes.

A row's ``uuid`` is made by ``core.keys.new_uuid``, as the model's default makes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, MetaData, Table, insert
from sqlalchemy.types import TypeDecorator

from bake_tracker.core.keys import new_uuid
from bake_tracker.models.types import UTCDateTime, to_scaled

_PLAIN = MetaData()


@cache
def plain(table: Table) -> Table:
    """``table`` with each decorated column typed as what it stores, without defaults; the id
    stays the primary key and the uuid the insert sentinel (multi-row inserts that return ids in
    order)."""
    columns = [
        Column(
            c.name,
            c.type.impl_instance if isinstance(c.type, TypeDecorator) else c.type,
            primary_key=c.primary_key,
            nullable=c.nullable,
            insert_sentinel=c.name == "uuid",
        )
        for c in table.columns
    ]
    return Table(table.name, _PLAIN, *columns)


def insert_plain(table: Table, *, returning_ids: bool = False):
    """An insert into ``plain(table)``; with ``returning_ids``, returning the new ids in
    parameter order."""
    target = plain(table)
    # inline: no id fetched unless asked (PostgreSQL would add ``RETURNING id`` to a one-row
    # insert, and ``runs.pipeline`` waits for every statement that returns rows); SQLite's SQL is
    # the same either way
    statement = insert(target).inline()
    if returning_ids:
        statement = statement.returning(target.c.id, sort_by_parameter_order=True)
    return statement


@cache
def _places(table: Table) -> dict[str, int | None]:
    """{column: decimal places of a scaled column, or None for a timestamp}, decorated only."""
    found: dict[str, int | None] = {}
    for c in table.columns:
        if isinstance(c.type, UTCDateTime):
            found[c.name] = None
        elif isinstance(c.type, TypeDecorator) and hasattr(c.type, "places"):
            found[c.name] = c.type.places
    return found


def now() -> datetime:
    """Now as ``UTCDateTime`` stores it (naive UTC): one per use case, for every row it adds."""
    return datetime.now(UTC).replace(tzinfo=None)


def stored_row(table: Table, values: dict[str, Any], at: datetime) -> dict[str, Any]:
    """``values`` (Python values of ``table``'s model columns) in stored form, with a new uuid
    and ``created_at`` / ``updated_at`` = ``at`` (from ``now()``)."""
    row = stored_values(table, values)
    row["uuid"] = new_uuid()
    row["created_at"] = row["updated_at"] = at
    return row


def stored_values(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (Python values of ``table``'s model columns) in stored form, nothing added."""
    row = dict(values)
    for name, places in _places(table).items():
        value = row.get(name)
        if value is None:
            continue
        row[name] = to_scaled(value, places) if places is not None else _naive_utc(value)
    return row


def stored_rows(table: Table, rows: Iterable[dict[str, Any]], at: datetime) -> list[dict]:
    return [stored_row(table, values, at) for values in rows]


def _naive_utc(value: datetime) -> datetime:
    """As ``UTCDateTime`` binds it: refuses a naive datetime, stores naive UTC."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC).replace(tzinfo=None)
