"""index assembly totals per event

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 09:30:00.000000

The dashboard sums the quantity assembled per event and finished good; with this covering index
the sum reads the index alone instead of every assembly run of the events.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('assembly_runs', schema=None) as batch_op:
        batch_op.create_index(
            'ix_assembly_runs_event_totals',
            ['event_id', 'voided_at', 'finished_good_id', 'quantity_assembled'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('assembly_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_assembly_runs_event_totals')
