"""Partial indexes (``models.base.partial_index``): SQLite's condition is in the model, and
PostgreSQL's is attached when an engine first connects to PostgreSQL, so that a SQLite start
never imports SQLAlchemy's PostgreSQL dialect. Both must create the same partial index."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

from bake_tracker.models import Base
from bake_tracker.models.base import PARTIAL_WHERE, attach_postgresql_where, partial_index


def lots_table() -> tuple[MetaData, Table]:
    metadata = MetaData()
    table = Table(
        "lots",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("product_id", Integer),
        Column("quantity", Integer),
        partial_index("ix_lots_open", "product_id", where="quantity > 0"),
    )
    return metadata, table


def test_both_backends_create_the_same_partial_index() -> None:
    metadata, table = lots_table()
    [index] = table.indexes
    assert str(CreateIndex(index).compile(dialect=sqlite.dialect())).endswith("WHERE quantity > 0")
    attach_postgresql_where(metadata)
    attach_postgresql_where(metadata)  # idempotent
    created = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
    assert created.endswith("WHERE quantity > 0") and created.count("WHERE") == 1


def test_every_partial_index_of_the_models_gets_its_postgresql_condition() -> None:
    partial = [
        index
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if PARTIAL_WHERE in index.info
    ]
    assert len(partial) == 4
    attach_postgresql_where(Base.metadata)
    for index in partial:
        created = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
        assert created.endswith(f"WHERE {index.info[PARTIAL_WHERE]}"), created
