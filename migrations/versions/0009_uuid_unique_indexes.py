"""uuid unique by index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 18:55:00

Every table's ``uuid`` was unique by a table constraint (``uq_<table>_uuid``); it is now unique
by an index of the same name. Same rule, same name; the difference is that SQLite can drop an
index (never a constraint's), so an import into an empty table drops it and builds it once after
the rows, one sort instead of a random B-tree insert per row (``services/transfer/write.py``:
-0.7 s CPU of the big season's import). On SQLite each table is rebuilt once (batch mode); on
PostgreSQL the constraint is dropped and the index created.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    'adjustment_draws',
    'assembly_finished_good_consumption_lots',
    'assembly_finished_good_consumptions',
    'assembly_finished_unit_consumption_lots',
    'assembly_finished_unit_consumptions',
    'assembly_packaging_consumption_lots',
    'assembly_packaging_consumptions',
    'assembly_runs',
    'compositions',
    'event_assembly_targets',
    'event_production_targets',
    'event_recipient_packages',
    'events',
    'finished_good_lots',
    'finished_goods',
    'finished_unit_lots',
    'finished_units',
    'ingredients',
    'inventory_items',
    'package_finished_goods',
    'packages',
    'production_consumption_lots',
    'production_consumptions',
    'production_runs',
    'products',
    'purchases',
    'recipe_components',
    'recipe_ingredients',
    'recipes',
    'recipients',
    'stock_adjustments',
    'unit_conversions',
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_uuid', type_='unique')
            batch_op.create_index(f'uq_{table}_uuid', ['uuid'], unique=True)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'uq_{table}_uuid')
            batch_op.create_unique_constraint(f'uq_{table}_uuid', ['uuid'])
