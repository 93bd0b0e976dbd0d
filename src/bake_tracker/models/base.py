"""Declarative base: constraint naming convention, type map, and the columns every table has.

Every constraint gets a predictable name (Alembic batch mode on SQLite can only alter what it can
name). Every table has an integer ``id``, a ``uuid`` used to de-duplicate imports, and UTC
``created_at`` / ``updated_at`` timestamps.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import Connection, Date, Engine, Index, MetaData, String, Text, event, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bake_tracker.core.keys import new_uuid
from bake_tracker.models.types import Money, Percent, Quantity, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Column kinds, named for what they hold; the annotation is the documentation.
money = Annotated[Decimal, mapped_column(Money)]
quantity = Annotated[Decimal, mapped_column(Quantity)]
percent = Annotated[Decimal, mapped_column(Percent)]
name200 = Annotated[str, mapped_column(String(200))]
unit_name = Annotated[str, mapped_column(String(50))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime,
        str: Text,
        date: Date,
    }


class Entity(Base):
    """Abstract parent of every table: id, uuid and timestamps."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    # A time-ordered uuid (``core.keys``: new rows share a leaf of the unique index). Made on the
    # client, it also serves as the "insert sentinel", which lets SQLAlchemy insert
    # many rows of a table in one statement and still match the ids it gets back.
    # Unique by a named unique index (``uq_<table>_uuid``, ``models/__init__.py``), not a table
    # constraint: SQLite cannot drop a constraint's index, and an import into an empty table
    # builds this one after the rows (one sort instead of a random B-tree insert per row).
    uuid: Mapped[str] = mapped_column(
        String(36),
        default=new_uuid,
        insert_sentinel=True,
        sort_order=-1,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, sort_order=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, sort_order=1)

    def __repr__(self) -> str:
        label = getattr(self, "slug", None) or getattr(self, "name", None) or ""
        return f"<{type(self).__name__} {self.id} {label}>"


# --- partial indexes -------------------------------------------------------------------------

PARTIAL_WHERE = "partial_where"  # ``Index.info`` key: the rows a partial index covers


def partial_index(name: str, *columns: str, where: str, **options: Any) -> Index:
    """An index over the rows ``where`` holds, on SQLite and PostgreSQL alike.

    PostgreSQL's copy of the condition is attached by ``attach_postgresql_where`` when an engine
    first connects to PostgreSQL: naming ``postgresql_where`` here made every start import
    SQLAlchemy's PostgreSQL dialect (~30 ms), SQLite starts included.
    """
    return Index(name, *columns, sqlite_where=text(where), info={PARTIAL_WHERE: where}, **options)


def attach_postgresql_where(metadata: MetaData) -> None:
    """Give every partial index of ``metadata`` its PostgreSQL condition (once; idempotent)."""
    for table in metadata.tables.values():
        for index in table.indexes:
            where = index.info.get(PARTIAL_WHERE)
            if where is not None and index.dialect_options["postgresql"]["where"] is None:
                index.dialect_options["postgresql"]["where"] = text(where)


@event.listens_for(Engine, "engine_connect")
def _attach_on_postgresql(connection: Connection) -> None:
    # a flag test per connection; the conditions are attached at the first PostgreSQL one
    if connection.dialect.name == "postgresql" and not Base.metadata.info.get(PARTIAL_WHERE):
        attach_postgresql_where(Base.metadata)
        Base.metadata.info[PARTIAL_WHERE] = True
