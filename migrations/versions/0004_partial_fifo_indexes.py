"""partial FIFO indexes over open lots (pantry, finished units, finished goods)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 09:00:00.000000

FIFO reads only the leading open lots of each product or item, in (date, id) order. Indexes over
open lots only (``WHERE quantity > 0``) serve exactly that order, so the read does not pass over
the lots a long history has emptied; the pantry one also holds quantity and unit cost, so the
leading lots and the "on hand" sums are read from the index alone.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIAL = (
    (
        'ix_inventory_items_open_fifo',
        'inventory_items',
        ['product_id', 'purchase_date', 'id', 'quantity', 'unit_cost'],
        'quantity > 0',
    ),
    (
        'ix_finished_unit_lots_open_fifo',
        'finished_unit_lots',
        ['finished_unit_id', 'lot_at', 'id'],
        'quantity_remaining > 0',
    ),
    (
        'ix_finished_good_lots_open_fifo',
        'finished_good_lots',
        ['finished_good_id', 'lot_at', 'id'],
        'quantity_remaining > 0',
    ),
)


def upgrade() -> None:
    for name, table, columns, where in _PARTIAL:
        op.create_index(
            name,
            table,
            columns,
            unique=False,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for name, table, _, _ in reversed(_PARTIAL):
        op.drop_index(name, table_name=table)
