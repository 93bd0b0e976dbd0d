"""drop lot indexes no query needs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 22:35:00

Every draw from a pantry lot rewrites its entry in each index holding ``quantity``: one index
leaf per lot drawn, written to the WAL and synced at the commit (15 of a production's pages on
the big season). ``ix_inventory_items_open`` (product_id, quantity) was the FIFO read's index
before the partial ``ix_inventory_items_open_fifo`` (0004) took its place; with EXPLAIN QUERY
PLAN over every statement the service and reliability tests and ``bench.compare`` run, what
still chose it is served as well by the others: every open lot of an ingredient (``quantity >
0``, a literal) by the partial FIFO index, a product's lots by ``ix_inventory_items_fifo``, and
the stock totals' full rebuild (import, repair) by a scan of the table.
``ix_inventory_items_product_id`` only repeats the leading column of ``ix_inventory_items_fifo``
(product_id, purchase_date, id), which serves every lookup by product and the foreign-key checks
of a product's deletion; dropping it spares every new lot (purchases, import) one index insert.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.drop_index('ix_inventory_items_open')
        batch_op.drop_index('ix_inventory_items_product_id')


def downgrade() -> None:
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.create_index('ix_inventory_items_product_id', ['product_id'], unique=False)
        batch_op.create_index('ix_inventory_items_open', ['product_id', 'quantity'], unique=False)
