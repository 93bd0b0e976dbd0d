"""stored totals

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 15:03:46.900500

Totals kept beside the rows they sum (``models/totals.py``): what each product's pantry lots hold,
and per event the live production runs per recipe and assembly runs per finished good. Reads of
on-hand, event progress, the dashboard and the cost breakdown then cost what they show, not what the
history holds. The services move them with every write; here they are filled from the rows once.

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_assembly_totals',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('quantity_assembled', sa.Integer(), nullable=False),
    sa.Column('total_component_cost', sa.BigInteger(), nullable=False),
    sa.Column('packaging_cost', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('packaging_cost >= 0', name=op.f('ck_event_assembly_totals_packaging_cost_non_negative')),
    sa.CheckConstraint('quantity_assembled >= 0', name=op.f('ck_event_assembly_totals_quantity_assembled_non_negative')),
    sa.CheckConstraint('runs >= 0', name=op.f('ck_event_assembly_totals_runs_non_negative')),
    sa.CheckConstraint('total_component_cost >= 0', name=op.f('ck_event_assembly_totals_total_component_cost_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_assembly_totals_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_event_assembly_totals_finished_good_id_finished_goods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'finished_good_id', name=op.f('pk_event_assembly_totals'))
    )
    with op.batch_alter_table('event_assembly_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_assembly_totals_finished_good_id'), ['finished_good_id'], unique=False)

    op.create_table('event_production_totals',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('num_batches', sa.Integer(), nullable=False),
    sa.Column('actual_yield', sa.Integer(), nullable=False),
    sa.Column('total_ingredient_cost', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('actual_yield >= 0', name=op.f('ck_event_production_totals_actual_yield_non_negative')),
    sa.CheckConstraint('num_batches >= 0', name=op.f('ck_event_production_totals_num_batches_non_negative')),
    sa.CheckConstraint('runs >= 0', name=op.f('ck_event_production_totals_runs_non_negative')),
    sa.CheckConstraint('total_ingredient_cost >= 0', name=op.f('ck_event_production_totals_total_ingredient_cost_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_production_totals_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_event_production_totals_recipe_id_recipes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'recipe_id', name=op.f('pk_event_production_totals'))
    )
    with op.batch_alter_table('event_production_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_production_totals_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('product_stock_totals',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_on_hand', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('quantity_on_hand >= 0', name=op.f('ck_product_stock_totals_quantity_on_hand_non_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_stock_totals_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_product_stock_totals'))
    )
    _fill()


_FILL = (
    "INSERT INTO product_stock_totals (product_id, quantity_on_hand) "
    "SELECT product_id, SUM(quantity) FROM inventory_items GROUP BY product_id",
    "INSERT INTO event_production_totals "
    "(event_id, recipe_id, runs, num_batches, actual_yield, total_ingredient_cost) "
    "SELECT event_id, recipe_id, COUNT(*), SUM(num_batches), SUM(actual_yield), "
    "SUM(total_ingredient_cost) FROM production_runs "
    "WHERE event_id IS NOT NULL AND voided_at IS NULL GROUP BY event_id, recipe_id",
    "INSERT INTO event_assembly_totals (event_id, finished_good_id, runs, quantity_assembled, "
    "total_component_cost, packaging_cost) "
    "SELECT r.event_id, r.finished_good_id, COUNT(*), SUM(r.quantity_assembled), "
    "SUM(r.total_component_cost), COALESCE(SUM(p.cost), 0) FROM assembly_runs r "
    "LEFT JOIN (SELECT assembly_run_id, SUM(total_cost) AS cost "
    "FROM assembly_packaging_consumptions GROUP BY assembly_run_id) p "
    "ON p.assembly_run_id = r.id "
    "WHERE r.event_id IS NOT NULL AND r.voided_at IS NULL GROUP BY r.event_id, r.finished_good_id",
)


def _fill() -> None:
    for statement in _FILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table('product_stock_totals')
    with op.batch_alter_table('event_production_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_production_totals_recipe_id'))

    op.drop_table('event_production_totals')
    with op.batch_alter_table('event_assembly_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_assembly_totals_finished_good_id'))

    op.drop_table('event_assembly_totals')
