"""index latest purchases and event production totals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 22:40:00.000000

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_index(
            'ix_purchases_product_latest', ['product_id', 'purchase_date', 'id'], unique=False
        )

    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.create_index(
            'ix_production_runs_event_totals',
            ['event_id', 'voided_at', 'recipe_id', 'num_batches', 'total_ingredient_cost'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_production_runs_event_totals')

    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_index('ix_purchases_product_latest')
