"""production totals index covers units too

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:50:00.000000

An event's production progress sums the batches and the units (actual yield) of its live runs per
recipe; with ``actual_yield`` in the covering index (event_id, voided_at, recipe_id, ...) that sum
reads the index alone instead of every run of the event.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOTALS = ['event_id', 'voided_at', 'recipe_id', 'num_batches', 'total_ingredient_cost']


def upgrade() -> None:
    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_production_runs_event_totals')
        batch_op.create_index(
            'ix_production_runs_event_totals', [*_TOTALS, 'actual_yield'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_production_runs_event_totals')
        batch_op.create_index('ix_production_runs_event_totals', _TOTALS, unique=False)
