"""drop indexes that repeat the leading column of another on the run path

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 08:10:00

Each index below holds one column that another index of its table already leads with (the
unique constraints' indexes and the event-totals and FIFO indexes), so every lookup, join and
foreign-key check by that column is served by the other one. Each is written on every run:
one entry per consumption line, per run and per output lot, one more index page in the WAL per
table a production or an assembly writes. EXPLAIN QUERY PLAN over every statement the service,
reliability, model and core tests send shows the same searches by the remaining indexes.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table, and the column whose own index goes (``ix_<table>_<column>``): it leads another index
DROPPED = (
    ('production_runs', 'event_id'),
    ('production_consumptions', 'production_run_id'),
    ('assembly_runs', 'event_id'),
    ('assembly_finished_unit_consumptions', 'assembly_run_id'),
    ('assembly_finished_good_consumptions', 'assembly_run_id'),
    ('assembly_packaging_consumptions', 'assembly_run_id'),
    ('finished_unit_lots', 'finished_unit_id'),
    ('finished_good_lots', 'finished_good_id'),
)


def upgrade() -> None:
    for table, column in DROPPED:
        op.drop_index(f'ix_{table}_{column}', table_name=table)


def downgrade() -> None:
    for table, column in DROPPED:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)
