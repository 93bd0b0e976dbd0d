"""Alembic environment: the models' metadata, batch mode for SQLite, and the app's connection.

When the app (or a test) runs a migration it passes its own connection in
``config.attributes["connection"]``; the ``alembic`` command line opens the database the app would
use (``--db`` is not available there: set BAKE_TRACKER_DATABASE_URL or ``-x url=...``).
"""

from __future__ import annotations

from alembic import context

from bake_tracker import db
from bake_tracker.config import load_settings
from bake_tracker.models import Base
from bake_tracker.models.types import UTCDateTime, _ScaledDecimal

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Migrations record the stored SQL types, not the Python conversions layered on them."""
    if type_ == "type" and isinstance(obj, _ScaledDecimal):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
        **kwargs,
    )


def _url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or load_settings().database_url
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = db.make_engine(_url())
    try:
        with db.migration_connection(engine) as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
