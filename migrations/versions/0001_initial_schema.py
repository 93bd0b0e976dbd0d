"""initial schema

Revision ID: 0001
Revises: (none: the first revision)
Create Date: 2026-11-22 18:41:03.029968

Never edit a revision after it has landed on main: add a new one.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_events_name_not_blank')),
    sa.CheckConstraint('year >= 1900 AND year <= 9999', name=op.f('ck_events_year_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('name', 'year', name=op.f('uq_events_name_year')),
    sa.UniqueConstraint('uuid', name=op.f('uq_events_uuid'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_event_date'), ['event_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_year'), ['year'], unique=False)

    op.create_table('finished_goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('assembly_type', sa.String(length=20), nullable=False),
    sa.Column('packaging_instructions', sa.Text(), nullable=True),
    sa.Column('inventory_count', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("assembly_type IN ('gift_box', 'variety_pack', 'holiday_set', 'bulk_pack', 'custom_order')", name=op.f('ck_finished_goods_assembly_type_valid')),
    sa.CheckConstraint('inventory_count >= 0', name=op.f('ck_finished_goods_inventory_count_non_negative')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_finished_goods_slug_not_blank')),
    sa.CheckConstraint('length(trim(display_name)) > 0', name=op.f('ck_finished_goods_display_name_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finished_goods')),
    sa.UniqueConstraint('slug', name=op.f('uq_finished_goods_slug')),
    sa.UniqueConstraint('uuid', name=op.f('uq_finished_goods_uuid'))
    )
    with op.batch_alter_table('finished_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finished_goods_assembly_type'), ['assembly_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_goods_display_name'), ['display_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_goods_inventory_count'), ['inventory_count'], unique=False)

    op.create_table('ingredients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('recipe_unit', sa.String(length=50), nullable=False),
    sa.Column('is_packaging', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('density_volume_value', sa.BigInteger(), nullable=True),
    sa.Column('density_volume_unit', sa.String(length=20), nullable=True),
    sa.Column('density_weight_value', sa.BigInteger(), nullable=True),
    sa.Column('density_weight_unit', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('\n(density_volume_value IS NULL AND density_volume_unit IS NULL\n AND density_weight_value IS NULL AND density_weight_unit IS NULL)\nOR (density_volume_value IS NOT NULL AND density_volume_unit IS NOT NULL\n AND density_weight_value IS NOT NULL AND density_weight_unit IS NOT NULL\n AND density_volume_value > 0 AND density_weight_value > 0)\n', name=op.f('ck_ingredients_density_all_or_none')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_ingredients_slug_not_blank')),
    sa.CheckConstraint('length(trim(display_name)) > 0', name=op.f('ck_ingredients_display_name_not_blank')),
    sa.CheckConstraint('length(trim(recipe_unit)) > 0', name=op.f('ck_ingredients_recipe_unit_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredients')),
    sa.UniqueConstraint('display_name', name=op.f('uq_ingredients_display_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_ingredients_slug')),
    sa.UniqueConstraint('uuid', name=op.f('uq_ingredients_uuid'))
    )
    with op.batch_alter_table('ingredients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingredients_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_ingredients_is_packaging'), ['is_packaging'], unique=False)

    op.create_table('packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_template', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_packages_name_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packages')),
    sa.UniqueConstraint('name', name=op.f('uq_packages_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_packages_uuid'))
    )
    with op.batch_alter_table('packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_packages_is_template'), ['is_template'], unique=False)

    op.create_table('recipes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.Column('yield_quantity', sa.BigInteger(), nullable=False),
    sa.Column('yield_unit', sa.String(length=50), nullable=False),
    sa.Column('yield_description', sa.String(length=200), nullable=True),
    sa.Column('estimated_time_minutes', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('estimated_time_minutes IS NULL OR estimated_time_minutes >= 0', name=op.f('ck_recipes_estimated_time_non_negative')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_recipes_slug_not_blank')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_recipes_name_not_blank')),
    sa.CheckConstraint('yield_quantity > 0', name=op.f('ck_recipes_yield_quantity_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipes')),
    sa.UniqueConstraint('name', name=op.f('uq_recipes_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_recipes_slug')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recipes_uuid'))
    )
    with op.batch_alter_table('recipes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipes_category'), ['category'], unique=False)

    op.create_table('recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('household_name', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_recipients_name_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipients')),
    sa.UniqueConstraint('name', name=op.f('uq_recipients_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recipients_uuid'))
    )
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipients_household_name'), ['household_name'], unique=False)

    op.create_table('assembly_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('quantity_assembled', sa.Integer(), nullable=False),
    sa.Column('assembled_at', sa.DateTime(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('total_component_cost', sa.BigInteger(), nullable=False),
    sa.Column('per_unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(voided_at IS NULL AND void_reason IS NULL) OR (voided_at IS NOT NULL AND void_reason IS NOT NULL AND length(trim(void_reason)) > 0)', name=op.f('ck_assembly_runs_void_reason_with_voided_at')),
    sa.CheckConstraint('per_unit_cost >= 0', name=op.f('ck_assembly_runs_per_unit_cost_non_negative')),
    sa.CheckConstraint('quantity_assembled > 0', name=op.f('ck_assembly_runs_quantity_assembled_positive')),
    sa.CheckConstraint('total_component_cost >= 0', name=op.f('ck_assembly_runs_total_component_cost_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_assembly_runs_event_id_events'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_assembly_runs_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_runs')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_runs_uuid'))
    )
    with op.batch_alter_table('assembly_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_runs_assembled_at'), ['assembled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_runs_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_runs_finished_good_id'), ['finished_good_id'], unique=False)

    op.create_table('event_assembly_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('target_quantity', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('target_quantity > 0', name=op.f('ck_event_assembly_targets_target_quantity_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_assembly_targets_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_event_assembly_targets_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_assembly_targets')),
    sa.UniqueConstraint('event_id', 'finished_good_id', name=op.f('uq_event_assembly_targets_event_id_finished_good_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_assembly_targets_uuid'))
    )
    with op.batch_alter_table('event_assembly_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_assembly_targets_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_assembly_targets_finished_good_id'), ['finished_good_id'], unique=False)

    op.create_table('event_production_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('target_batches', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('target_batches > 0', name=op.f('ck_event_production_targets_target_batches_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_production_targets_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_event_production_targets_recipe_id_recipes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_production_targets')),
    sa.UniqueConstraint('event_id', 'recipe_id', name=op.f('uq_event_production_targets_event_id_recipe_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_production_targets_uuid'))
    )
    with op.batch_alter_table('event_production_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_production_targets_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_production_targets_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('event_recipient_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('fulfillment_status', sa.String(length=20), nullable=False),
    sa.Column('delivered_to', sa.String(length=500), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(fulfillment_status = 'delivered') = (delivered_at IS NOT NULL)", name=op.f('ck_event_recipient_packages_delivered_at_iff_delivered')),
    sa.CheckConstraint("fulfillment_status IN ('pending', 'ready', 'delivered')", name=op.f('ck_event_recipient_packages_fulfillment_status_valid')),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_event_recipient_packages_quantity_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_recipient_packages_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_event_recipient_packages_package_id_packages'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_event_recipient_packages_recipient_id_recipients'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_recipient_packages')),
    sa.UniqueConstraint('event_id', 'recipient_id', 'package_id', name=op.f('uq_event_recipient_packages_event_id_recipient_id_package_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_event_recipient_packages_uuid'))
    )
    with op.batch_alter_table('event_recipient_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_recipient_packages_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_recipient_packages_fulfillment_status'), ['fulfillment_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_recipient_packages_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_recipient_packages_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('finished_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('yield_mode', sa.String(length=20), nullable=False),
    sa.Column('items_per_batch', sa.Integer(), nullable=True),
    sa.Column('item_unit', sa.String(length=50), nullable=True),
    sa.Column('batch_percentage', sa.BigInteger(), nullable=True),
    sa.Column('portion_description', sa.String(length=200), nullable=True),
    sa.Column('inventory_count', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('production_notes', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(yield_mode <> 'discrete_count' OR items_per_batch IS NOT NULL) AND (yield_mode <> 'batch_portion' OR batch_percentage IS NOT NULL)", name=op.f('ck_finished_units_yield_mode_configured')),
    sa.CheckConstraint("yield_mode IN ('discrete_count', 'batch_portion')", name=op.f('ck_finished_units_yield_mode_valid')),
    sa.CheckConstraint('batch_percentage IS NULL OR (batch_percentage > 0 AND batch_percentage <= 10000)', name=op.f('ck_finished_units_batch_percentage_range')),
    sa.CheckConstraint('inventory_count >= 0', name=op.f('ck_finished_units_inventory_count_non_negative')),
    sa.CheckConstraint('items_per_batch IS NULL OR items_per_batch > 0', name=op.f('ck_finished_units_items_per_batch_positive')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_finished_units_slug_not_blank')),
    sa.CheckConstraint('length(trim(display_name)) > 0', name=op.f('ck_finished_units_display_name_not_blank')),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_finished_units_recipe_id_recipes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finished_units')),
    sa.UniqueConstraint('slug', name=op.f('uq_finished_units_slug')),
    sa.UniqueConstraint('uuid', name=op.f('uq_finished_units_uuid'))
    )
    with op.batch_alter_table('finished_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finished_units_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_units_display_name'), ['display_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_units_inventory_count'), ['inventory_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_units_recipe_id'), ['recipe_id'], unique=False)
        batch_op.create_index('ix_finished_units_recipe_stock', ['recipe_id', 'inventory_count'], unique=False)

    op.create_table('package_finished_goods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_package_finished_goods_quantity_positive')),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_package_finished_goods_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_package_finished_goods_package_id_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_finished_goods')),
    sa.UniqueConstraint('package_id', 'finished_good_id', name=op.f('uq_package_finished_goods_package_id_finished_good_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_package_finished_goods_uuid'))
    )
    with op.batch_alter_table('package_finished_goods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_finished_goods_finished_good_id'), ['finished_good_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_finished_goods_package_id'), ['package_id'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('brand', sa.String(length=200), nullable=True),
    sa.Column('package_size', sa.String(length=100), nullable=True),
    sa.Column('package_type', sa.String(length=50), nullable=True),
    sa.Column('purchase_unit', sa.String(length=50), nullable=False),
    sa.Column('purchase_quantity', sa.BigInteger(), nullable=False),
    sa.Column('upc_code', sa.String(length=20), nullable=True),
    sa.Column('gtin', sa.String(length=20), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('supplier_sku', sa.String(length=100), nullable=True),
    sa.Column('preferred', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(purchase_unit)) > 0', name=op.f('ck_products_purchase_unit_not_blank')),
    sa.CheckConstraint('purchase_quantity > 0', name=op.f('ck_products_purchase_quantity_positive')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_products_ingredient_id_ingredients'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('gtin', name=op.f('uq_products_gtin')),
    sa.UniqueConstraint('uuid', name=op.f('uq_products_uuid'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_brand'), ['brand'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_ingredient_id'), ['ingredient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_upc_code'), ['upc_code'], unique=False)
        batch_op.create_index('uq_products_preferred_per_ingredient', ['ingredient_id'], unique=True, sqlite_where=sa.text('preferred'), postgresql_where=sa.text('preferred'))

    op.create_table('recipe_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('component_recipe_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_recipe_components_quantity_positive')),
    sa.CheckConstraint('recipe_id <> component_recipe_id', name=op.f('ck_recipe_components_not_self')),
    sa.CheckConstraint('sort_order >= 0', name=op.f('ck_recipe_components_sort_order_non_negative')),
    sa.ForeignKeyConstraint(['component_recipe_id'], ['recipes.id'], name=op.f('fk_recipe_components_component_recipe_id_recipes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_recipe_components_recipe_id_recipes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe_components')),
    sa.UniqueConstraint('recipe_id', 'component_recipe_id', name=op.f('uq_recipe_components_recipe_id_component_recipe_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recipe_components_uuid'))
    )
    with op.batch_alter_table('recipe_components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipe_components_component_recipe_id'), ['component_recipe_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_components_recipe_id'), ['recipe_id'], unique=False)
        batch_op.create_index('ix_recipe_components_recipe_order', ['recipe_id', 'sort_order'], unique=False)

    op.create_table('recipe_ingredients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(trim(unit)) > 0', name=op.f('ck_recipe_ingredients_unit_not_blank')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_recipe_ingredients_quantity_non_negative')),
    sa.CheckConstraint('sort_order >= 0', name=op.f('ck_recipe_ingredients_sort_order_non_negative')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_recipe_ingredients_ingredient_id_ingredients'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_recipe_ingredients_recipe_id_recipes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe_ingredients')),
    sa.UniqueConstraint('uuid', name=op.f('uq_recipe_ingredients_uuid'))
    )
    with op.batch_alter_table('recipe_ingredients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recipe_ingredients_ingredient_id'), ['ingredient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recipe_ingredients_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('unit_conversions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('from_unit', sa.String(length=50), nullable=False),
    sa.Column('from_quantity', sa.BigInteger(), nullable=False),
    sa.Column('to_unit', sa.String(length=50), nullable=False),
    sa.Column('to_quantity', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('from_quantity > 0', name=op.f('ck_unit_conversions_from_quantity_positive')),
    sa.CheckConstraint('from_unit <> to_unit', name=op.f('ck_unit_conversions_units_differ')),
    sa.CheckConstraint('to_quantity > 0', name=op.f('ck_unit_conversions_to_quantity_positive')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_unit_conversions_ingredient_id_ingredients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_conversions')),
    sa.UniqueConstraint('ingredient_id', 'from_unit', 'to_unit', name=op.f('uq_unit_conversions_ingredient_id_from_unit_to_unit')),
    sa.UniqueConstraint('uuid', name=op.f('uq_unit_conversions_uuid'))
    )
    with op.batch_alter_table('unit_conversions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_conversions_ingredient_id'), ['ingredient_id'], unique=False)

    op.create_table('assembly_finished_good_consumptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('assembly_run_id', sa.Integer(), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('quantity_consumed', sa.Integer(), nullable=False),
    sa.Column('unit_cost_at_consumption', sa.BigInteger(), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_consumed > 0', name=op.f('ck_assembly_finished_good_consumptions_quantity_consumed_positive')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_assembly_finished_good_consumptions_total_cost_non_negative')),
    sa.CheckConstraint('unit_cost_at_consumption >= 0', name=op.f('ck_assembly_finished_good_consumptions_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['assembly_run_id'], ['assembly_runs.id'], name=op.f('fk_assembly_finished_good_consumptions_assembly_run_id_assembly_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_assembly_finished_good_consumptions_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_finished_good_consumptions')),
    sa.UniqueConstraint('assembly_run_id', 'finished_good_id', name=op.f('uq_assembly_finished_good_consumptions_assembly_run_id_finished_good_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_finished_good_consumptions_uuid'))
    )
    with op.batch_alter_table('assembly_finished_good_consumptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_finished_good_consumptions_assembly_run_id'), ['assembly_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_finished_good_consumptions_finished_good_id'), ['finished_good_id'], unique=False)

    op.create_table('assembly_finished_unit_consumptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('assembly_run_id', sa.Integer(), nullable=False),
    sa.Column('finished_unit_id', sa.Integer(), nullable=False),
    sa.Column('quantity_consumed', sa.Integer(), nullable=False),
    sa.Column('unit_cost_at_consumption', sa.BigInteger(), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_consumed > 0', name=op.f('ck_assembly_finished_unit_consumptions_quantity_consumed_positive')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_assembly_finished_unit_consumptions_total_cost_non_negative')),
    sa.CheckConstraint('unit_cost_at_consumption >= 0', name=op.f('ck_assembly_finished_unit_consumptions_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['assembly_run_id'], ['assembly_runs.id'], name=op.f('fk_assembly_finished_unit_consumptions_assembly_run_id_assembly_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_unit_id'], ['finished_units.id'], name=op.f('fk_assembly_finished_unit_consumptions_finished_unit_id_finished_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_finished_unit_consumptions')),
    sa.UniqueConstraint('assembly_run_id', 'finished_unit_id', name=op.f('uq_assembly_finished_unit_consumptions_assembly_run_id_finished_unit_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_finished_unit_consumptions_uuid'))
    )
    with op.batch_alter_table('assembly_finished_unit_consumptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_finished_unit_consumptions_assembly_run_id'), ['assembly_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_finished_unit_consumptions_finished_unit_id'), ['finished_unit_id'], unique=False)

    op.create_table('assembly_packaging_consumptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('assembly_run_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_consumed', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_consumed > 0', name=op.f('ck_assembly_packaging_consumptions_quantity_consumed_positive')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_assembly_packaging_consumptions_total_cost_non_negative')),
    sa.ForeignKeyConstraint(['assembly_run_id'], ['assembly_runs.id'], name=op.f('fk_assembly_packaging_consumptions_assembly_run_id_assembly_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_assembly_packaging_consumptions_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_packaging_consumptions')),
    sa.UniqueConstraint('assembly_run_id', 'product_id', name=op.f('uq_assembly_packaging_consumptions_assembly_run_id_product_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_packaging_consumptions_uuid'))
    )
    with op.batch_alter_table('assembly_packaging_consumptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_packaging_consumptions_assembly_run_id'), ['assembly_run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_packaging_consumptions_product_id'), ['product_id'], unique=False)

    op.create_table('compositions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('assembly_id', sa.Integer(), nullable=True),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('finished_unit_id', sa.Integer(), nullable=True),
    sa.Column('finished_good_id', sa.Integer(), nullable=True),
    sa.Column('packaging_product_id', sa.Integer(), nullable=True),
    sa.Column('component_quantity', sa.BigInteger(), nullable=False),
    sa.Column('component_notes', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(CASE WHEN finished_unit_id IS NULL THEN 0 ELSE 1 END + CASE WHEN finished_good_id IS NULL THEN 0 ELSE 1 END + CASE WHEN packaging_product_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_compositions_exactly_one_component')),
    sa.CheckConstraint('(assembly_id IS NULL) <> (package_id IS NULL)', name=op.f('ck_compositions_exactly_one_parent')),
    sa.CheckConstraint('component_quantity > 0', name=op.f('ck_compositions_component_quantity_positive')),
    sa.CheckConstraint('finished_good_id IS NULL OR assembly_id IS NULL OR assembly_id <> finished_good_id', name=op.f('ck_compositions_not_self')),
    sa.CheckConstraint('package_id IS NULL OR packaging_product_id IS NOT NULL', name=op.f('ck_compositions_package_holds_packaging_only')),
    sa.CheckConstraint('packaging_product_id IS NOT NULL OR component_quantity % 1000 = 0', name=op.f('ck_compositions_whole_finished_items')),
    sa.CheckConstraint('sort_order >= 0', name=op.f('ck_compositions_sort_order_non_negative')),
    sa.ForeignKeyConstraint(['assembly_id'], ['finished_goods.id'], name=op.f('fk_compositions_assembly_id_finished_goods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_compositions_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_unit_id'], ['finished_units.id'], name=op.f('fk_compositions_finished_unit_id_finished_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_compositions_package_id_packages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['packaging_product_id'], ['products.id'], name=op.f('fk_compositions_packaging_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compositions')),
    sa.UniqueConstraint('assembly_id', 'finished_good_id', name=op.f('uq_compositions_assembly_id_finished_good_id')),
    sa.UniqueConstraint('assembly_id', 'finished_unit_id', name=op.f('uq_compositions_assembly_id_finished_unit_id')),
    sa.UniqueConstraint('assembly_id', 'packaging_product_id', name=op.f('uq_compositions_assembly_id_packaging_product_id')),
    sa.UniqueConstraint('package_id', 'packaging_product_id', name=op.f('uq_compositions_package_id_packaging_product_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_compositions_uuid'))
    )
    with op.batch_alter_table('compositions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compositions_assembly_id'), ['assembly_id'], unique=False)
        batch_op.create_index('ix_compositions_assembly_order', ['assembly_id', 'sort_order'], unique=False)
        batch_op.create_index(batch_op.f('ix_compositions_finished_good_id'), ['finished_good_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compositions_finished_unit_id'), ['finished_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compositions_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_compositions_packaging_product_id'), ['packaging_product_id'], unique=False)

    op.create_table('production_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('finished_unit_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('num_batches', sa.Integer(), nullable=False),
    sa.Column('expected_yield', sa.Integer(), nullable=False),
    sa.Column('actual_yield', sa.Integer(), nullable=False),
    sa.Column('loss_quantity', sa.Integer(), nullable=False),
    sa.Column('loss_category', sa.String(length=20), nullable=True),
    sa.Column('produced_at', sa.DateTime(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('total_ingredient_cost', sa.BigInteger(), nullable=False),
    sa.Column('per_unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('void_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("loss_category IS NULL OR loss_category IN ('burnt', 'broken', 'tasting', 'gifted', 'other')", name=op.f('ck_production_runs_loss_category_valid')),
    sa.CheckConstraint('(voided_at IS NULL AND void_reason IS NULL) OR (voided_at IS NOT NULL AND void_reason IS NOT NULL AND length(trim(void_reason)) > 0)', name=op.f('ck_production_runs_void_reason_with_voided_at')),
    sa.CheckConstraint('actual_yield >= 0', name=op.f('ck_production_runs_actual_yield_non_negative')),
    sa.CheckConstraint('expected_yield >= 0', name=op.f('ck_production_runs_expected_yield_non_negative')),
    sa.CheckConstraint('loss_quantity = 0 OR loss_category IS NOT NULL', name=op.f('ck_production_runs_loss_needs_category')),
    sa.CheckConstraint('loss_quantity >= 0', name=op.f('ck_production_runs_loss_quantity_non_negative')),
    sa.CheckConstraint('num_batches > 0', name=op.f('ck_production_runs_num_batches_positive')),
    sa.CheckConstraint('per_unit_cost >= 0', name=op.f('ck_production_runs_per_unit_cost_non_negative')),
    sa.CheckConstraint('total_ingredient_cost >= 0', name=op.f('ck_production_runs_total_ingredient_cost_non_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_production_runs_event_id_events'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_unit_id'], ['finished_units.id'], name=op.f('fk_production_runs_finished_unit_id_finished_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_production_runs_recipe_id_recipes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_production_runs')),
    sa.UniqueConstraint('uuid', name=op.f('uq_production_runs_uuid'))
    )
    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_production_runs_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_runs_finished_unit_id'), ['finished_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_runs_produced_at'), ['produced_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_runs_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('purchase_date', sa.Date(), nullable=False),
    sa.Column('quantity_purchased', sa.BigInteger(), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('receipt_number', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_purchased > 0', name=op.f('ck_purchases_quantity_purchased_positive')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_purchases_total_cost_non_negative')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_purchases_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchases_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchases')),
    sa.UniqueConstraint('uuid', name=op.f('uq_purchases_uuid'))
    )
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchases_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchases_purchase_date'), ['purchase_date'], unique=False)

    op.create_table('inventory_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('purchase_id', sa.Integer(), nullable=True),
    sa.Column('initial_quantity', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('purchase_date', sa.Date(), nullable=False),
    sa.Column('expiration_date', sa.Date(), nullable=True),
    sa.Column('opened_date', sa.Date(), nullable=True),
    sa.Column('location', sa.String(length=100), nullable=True),
    sa.Column('lot_or_batch', sa.String(length=100), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('expiration_date IS NULL OR expiration_date >= purchase_date', name=op.f('ck_inventory_items_expiration_not_before_purchase')),
    sa.CheckConstraint('initial_quantity > 0', name=op.f('ck_inventory_items_initial_quantity_positive')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_inventory_items_quantity_non_negative')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_inventory_items_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_inventory_items_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchases.id'], name=op.f('fk_inventory_items_purchase_id_purchases'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_items')),
    sa.UniqueConstraint('uuid', name=op.f('uq_inventory_items_uuid'))
    )
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_items_expiration_date'), ['expiration_date'], unique=False)
        batch_op.create_index('ix_inventory_items_fifo', ['product_id', 'purchase_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_location'), ['location'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_purchase_date'), ['purchase_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_items_purchase_id'), ['purchase_id'], unique=False)

    op.create_table('production_consumptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('production_run_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.Integer(), nullable=False),
    sa.Column('quantity_consumed', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_consumed > 0', name=op.f('ck_production_consumptions_quantity_consumed_positive')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_production_consumptions_total_cost_non_negative')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_production_consumptions_ingredient_id_ingredients'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['production_run_id'], ['production_runs.id'], name=op.f('fk_production_consumptions_production_run_id_production_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_production_consumptions')),
    sa.UniqueConstraint('production_run_id', 'ingredient_id', name=op.f('uq_production_consumptions_production_run_id_ingredient_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_production_consumptions_uuid'))
    )
    with op.batch_alter_table('production_consumptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_production_consumptions_ingredient_id'), ['ingredient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_consumptions_production_run_id'), ['production_run_id'], unique=False)

    op.create_table('assembly_packaging_consumption_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('consumption_id', sa.Integer(), nullable=False),
    sa.Column('inventory_item_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_assembly_packaging_consumption_lots_cost_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_assembly_packaging_consumption_lots_quantity_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_assembly_packaging_consumption_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['consumption_id'], ['assembly_packaging_consumptions.id'], name=op.f('fk_assembly_packaging_consumption_lots_consumption_id_assembly_packaging_consumptions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_assembly_packaging_consumption_lots_inventory_item_id_inventory_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_assembly_packaging_consumption_lots_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_packaging_consumption_lots')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_packaging_consumption_lots_uuid'))
    )
    with op.batch_alter_table('assembly_packaging_consumption_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_packaging_consumption_lots_consumption_id'), ['consumption_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_packaging_consumption_lots_inventory_item_id'), ['inventory_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_packaging_consumption_lots_product_id'), ['product_id'], unique=False)

    op.create_table('production_consumption_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('consumption_id', sa.Integer(), nullable=False),
    sa.Column('inventory_item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_production_consumption_lots_cost_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_production_consumption_lots_quantity_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_production_consumption_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['consumption_id'], ['production_consumptions.id'], name=op.f('fk_production_consumption_lots_consumption_id_production_consumptions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_production_consumption_lots_inventory_item_id_inventory_items'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_production_consumption_lots')),
    sa.UniqueConstraint('uuid', name=op.f('uq_production_consumption_lots_uuid'))
    )
    with op.batch_alter_table('production_consumption_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_production_consumption_lots_consumption_id'), ['consumption_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_consumption_lots_inventory_item_id'), ['inventory_item_id'], unique=False)

    op.create_table('stock_adjustments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('inventory_item_id', sa.Integer(), nullable=True),
    sa.Column('finished_unit_id', sa.Integer(), nullable=True),
    sa.Column('finished_good_id', sa.Integer(), nullable=True),
    sa.Column('delta', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=True),
    sa.Column('adjusted_at', sa.DateTime(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("reason IN ('spoiled', 'lost', 'count_correction', 'gift', 'other')", name=op.f('ck_stock_adjustments_reason_valid')),
    sa.CheckConstraint('(CASE WHEN inventory_item_id IS NULL THEN 0 ELSE 1 END + CASE WHEN finished_unit_id IS NULL THEN 0 ELSE 1 END + CASE WHEN finished_good_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_stock_adjustments_exactly_one_target')),
    sa.CheckConstraint('delta <> 0', name=op.f('ck_stock_adjustments_delta_not_zero')),
    sa.CheckConstraint('unit_cost IS NULL OR unit_cost >= 0', name=op.f('ck_stock_adjustments_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_stock_adjustments_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_unit_id'], ['finished_units.id'], name=op.f('fk_stock_adjustments_finished_unit_id_finished_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['inventory_item_id'], ['inventory_items.id'], name=op.f('fk_stock_adjustments_inventory_item_id_inventory_items'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_adjustments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_stock_adjustments_uuid'))
    )
    with op.batch_alter_table('stock_adjustments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_adjustments_adjusted_at'), ['adjusted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_adjustments_finished_good_id'), ['finished_good_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_adjustments_finished_unit_id'), ['finished_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_adjustments_inventory_item_id'), ['inventory_item_id'], unique=False)

    op.create_table('finished_good_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('finished_good_id', sa.Integer(), nullable=False),
    sa.Column('assembly_run_id', sa.Integer(), nullable=True),
    sa.Column('adjustment_id', sa.Integer(), nullable=True),
    sa.Column('lot_at', sa.DateTime(), nullable=False),
    sa.Column('quantity_initial', sa.Integer(), nullable=False),
    sa.Column('quantity_remaining', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('remaining_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(assembly_run_id IS NULL) <> (adjustment_id IS NULL)', name=op.f('ck_finished_good_lots_exactly_one_source')),
    sa.CheckConstraint('quantity_initial > 0', name=op.f('ck_finished_good_lots_quantity_initial_positive')),
    sa.CheckConstraint('quantity_remaining >= 0 AND quantity_remaining <= quantity_initial', name=op.f('ck_finished_good_lots_quantity_remaining_in_range')),
    sa.CheckConstraint('remaining_cost >= 0 AND remaining_cost <= total_cost', name=op.f('ck_finished_good_lots_remaining_cost_in_range')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_finished_good_lots_total_cost_non_negative')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_finished_good_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['adjustment_id'], ['stock_adjustments.id'], name=op.f('fk_finished_good_lots_adjustment_id_stock_adjustments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assembly_run_id'], ['assembly_runs.id'], name=op.f('fk_finished_good_lots_assembly_run_id_assembly_runs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_good_id'], ['finished_goods.id'], name=op.f('fk_finished_good_lots_finished_good_id_finished_goods'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finished_good_lots')),
    sa.UniqueConstraint('adjustment_id', name=op.f('uq_finished_good_lots_adjustment_id')),
    sa.UniqueConstraint('assembly_run_id', name=op.f('uq_finished_good_lots_assembly_run_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_finished_good_lots_uuid'))
    )
    with op.batch_alter_table('finished_good_lots', schema=None) as batch_op:
        batch_op.create_index('ix_finished_good_lots_fifo', ['finished_good_id', 'lot_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_good_lots_finished_good_id'), ['finished_good_id'], unique=False)

    op.create_table('finished_unit_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('finished_unit_id', sa.Integer(), nullable=False),
    sa.Column('production_run_id', sa.Integer(), nullable=True),
    sa.Column('adjustment_id', sa.Integer(), nullable=True),
    sa.Column('lot_at', sa.DateTime(), nullable=False),
    sa.Column('quantity_initial', sa.Integer(), nullable=False),
    sa.Column('quantity_remaining', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('total_cost', sa.BigInteger(), nullable=False),
    sa.Column('remaining_cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(production_run_id IS NULL) <> (adjustment_id IS NULL)', name=op.f('ck_finished_unit_lots_exactly_one_source')),
    sa.CheckConstraint('quantity_initial > 0', name=op.f('ck_finished_unit_lots_quantity_initial_positive')),
    sa.CheckConstraint('quantity_remaining >= 0 AND quantity_remaining <= quantity_initial', name=op.f('ck_finished_unit_lots_quantity_remaining_in_range')),
    sa.CheckConstraint('remaining_cost >= 0 AND remaining_cost <= total_cost', name=op.f('ck_finished_unit_lots_remaining_cost_in_range')),
    sa.CheckConstraint('total_cost >= 0', name=op.f('ck_finished_unit_lots_total_cost_non_negative')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_finished_unit_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['adjustment_id'], ['stock_adjustments.id'], name=op.f('fk_finished_unit_lots_adjustment_id_stock_adjustments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_unit_id'], ['finished_units.id'], name=op.f('fk_finished_unit_lots_finished_unit_id_finished_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['production_run_id'], ['production_runs.id'], name=op.f('fk_finished_unit_lots_production_run_id_production_runs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finished_unit_lots')),
    sa.UniqueConstraint('adjustment_id', name=op.f('uq_finished_unit_lots_adjustment_id')),
    sa.UniqueConstraint('production_run_id', name=op.f('uq_finished_unit_lots_production_run_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_finished_unit_lots_uuid'))
    )
    with op.batch_alter_table('finished_unit_lots', schema=None) as batch_op:
        batch_op.create_index('ix_finished_unit_lots_fifo', ['finished_unit_id', 'lot_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finished_unit_lots_finished_unit_id'), ['finished_unit_id'], unique=False)

    op.create_table('adjustment_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('adjustment_id', sa.Integer(), nullable=False),
    sa.Column('finished_unit_lot_id', sa.Integer(), nullable=True),
    sa.Column('finished_good_lot_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(finished_unit_lot_id IS NULL) <> (finished_good_lot_id IS NULL)', name=op.f('ck_adjustment_draws_exactly_one_lot')),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_adjustment_draws_cost_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_adjustment_draws_quantity_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_adjustment_draws_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['adjustment_id'], ['stock_adjustments.id'], name=op.f('fk_adjustment_draws_adjustment_id_stock_adjustments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_lot_id'], ['finished_good_lots.id'], name=op.f('fk_adjustment_draws_finished_good_lot_id_finished_good_lots'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['finished_unit_lot_id'], ['finished_unit_lots.id'], name=op.f('fk_adjustment_draws_finished_unit_lot_id_finished_unit_lots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjustment_draws')),
    sa.UniqueConstraint('uuid', name=op.f('uq_adjustment_draws_uuid'))
    )
    with op.batch_alter_table('adjustment_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adjustment_draws_adjustment_id'), ['adjustment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adjustment_draws_finished_good_lot_id'), ['finished_good_lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adjustment_draws_finished_unit_lot_id'), ['finished_unit_lot_id'], unique=False)

    op.create_table('assembly_finished_good_consumption_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('consumption_id', sa.Integer(), nullable=False),
    sa.Column('finished_good_lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_assembly_finished_good_consumption_lots_cost_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_assembly_finished_good_consumption_lots_quantity_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_assembly_finished_good_consumption_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['consumption_id'], ['assembly_finished_good_consumptions.id'], name=op.f('fk_assembly_finished_good_consumption_lots_consumption_id_assembly_finished_good_consumptions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_good_lot_id'], ['finished_good_lots.id'], name=op.f('fk_assembly_finished_good_consumption_lots_finished_good_lot_id_finished_good_lots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_finished_good_consumption_lots')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_finished_good_consumption_lots_uuid'))
    )
    with op.batch_alter_table('assembly_finished_good_consumption_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_finished_good_consumption_lots_consumption_id'), ['consumption_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_finished_good_consumption_lots_finished_good_lot_id'), ['finished_good_lot_id'], unique=False)

    op.create_table('assembly_finished_unit_consumption_lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('consumption_id', sa.Integer(), nullable=False),
    sa.Column('finished_unit_lot_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_assembly_finished_unit_consumption_lots_cost_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_assembly_finished_unit_consumption_lots_quantity_positive')),
    sa.CheckConstraint('unit_cost >= 0', name=op.f('ck_assembly_finished_unit_consumption_lots_unit_cost_non_negative')),
    sa.ForeignKeyConstraint(['consumption_id'], ['assembly_finished_unit_consumptions.id'], name=op.f('fk_assembly_finished_unit_consumption_lots_consumption_id_assembly_finished_unit_consumptions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['finished_unit_lot_id'], ['finished_unit_lots.id'], name=op.f('fk_assembly_finished_unit_consumption_lots_finished_unit_lot_id_finished_unit_lots'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assembly_finished_unit_consumption_lots')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assembly_finished_unit_consumption_lots_uuid'))
    )
    with op.batch_alter_table('assembly_finished_unit_consumption_lots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assembly_finished_unit_consumption_lots_consumption_id'), ['consumption_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assembly_finished_unit_consumption_lots_finished_unit_lot_id'), ['finished_unit_lot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('assembly_finished_unit_consumption_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_finished_unit_consumption_lots_finished_unit_lot_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_finished_unit_consumption_lots_consumption_id'))

    op.drop_table('assembly_finished_unit_consumption_lots')
    with op.batch_alter_table('assembly_finished_good_consumption_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_finished_good_consumption_lots_finished_good_lot_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_finished_good_consumption_lots_consumption_id'))

    op.drop_table('assembly_finished_good_consumption_lots')
    with op.batch_alter_table('adjustment_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adjustment_draws_finished_unit_lot_id'))
        batch_op.drop_index(batch_op.f('ix_adjustment_draws_finished_good_lot_id'))
        batch_op.drop_index(batch_op.f('ix_adjustment_draws_adjustment_id'))

    op.drop_table('adjustment_draws')
    with op.batch_alter_table('finished_unit_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finished_unit_lots_finished_unit_id'))
        batch_op.drop_index('ix_finished_unit_lots_fifo')

    op.drop_table('finished_unit_lots')
    with op.batch_alter_table('finished_good_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finished_good_lots_finished_good_id'))
        batch_op.drop_index('ix_finished_good_lots_fifo')

    op.drop_table('finished_good_lots')
    with op.batch_alter_table('stock_adjustments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_adjustments_inventory_item_id'))
        batch_op.drop_index(batch_op.f('ix_stock_adjustments_finished_unit_id'))
        batch_op.drop_index(batch_op.f('ix_stock_adjustments_finished_good_id'))
        batch_op.drop_index(batch_op.f('ix_stock_adjustments_adjusted_at'))

    op.drop_table('stock_adjustments')
    with op.batch_alter_table('production_consumption_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_production_consumption_lots_inventory_item_id'))
        batch_op.drop_index(batch_op.f('ix_production_consumption_lots_consumption_id'))

    op.drop_table('production_consumption_lots')
    with op.batch_alter_table('assembly_packaging_consumption_lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_packaging_consumption_lots_product_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_packaging_consumption_lots_inventory_item_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_packaging_consumption_lots_consumption_id'))

    op.drop_table('assembly_packaging_consumption_lots')
    with op.batch_alter_table('production_consumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_production_consumptions_production_run_id'))
        batch_op.drop_index(batch_op.f('ix_production_consumptions_ingredient_id'))

    op.drop_table('production_consumptions')
    with op.batch_alter_table('inventory_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_items_purchase_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_items_purchase_date'))
        batch_op.drop_index(batch_op.f('ix_inventory_items_product_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_items_location'))
        batch_op.drop_index('ix_inventory_items_fifo')
        batch_op.drop_index(batch_op.f('ix_inventory_items_expiration_date'))

    op.drop_table('inventory_items')
    with op.batch_alter_table('purchases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchases_purchase_date'))
        batch_op.drop_index(batch_op.f('ix_purchases_product_id'))

    op.drop_table('purchases')
    with op.batch_alter_table('production_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_production_runs_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_production_runs_produced_at'))
        batch_op.drop_index(batch_op.f('ix_production_runs_finished_unit_id'))
        batch_op.drop_index(batch_op.f('ix_production_runs_event_id'))

    op.drop_table('production_runs')
    with op.batch_alter_table('compositions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compositions_packaging_product_id'))
        batch_op.drop_index(batch_op.f('ix_compositions_package_id'))
        batch_op.drop_index(batch_op.f('ix_compositions_finished_unit_id'))
        batch_op.drop_index(batch_op.f('ix_compositions_finished_good_id'))
        batch_op.drop_index('ix_compositions_assembly_order')
        batch_op.drop_index(batch_op.f('ix_compositions_assembly_id'))

    op.drop_table('compositions')
    with op.batch_alter_table('assembly_packaging_consumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_packaging_consumptions_product_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_packaging_consumptions_assembly_run_id'))

    op.drop_table('assembly_packaging_consumptions')
    with op.batch_alter_table('assembly_finished_unit_consumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_finished_unit_consumptions_finished_unit_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_finished_unit_consumptions_assembly_run_id'))

    op.drop_table('assembly_finished_unit_consumptions')
    with op.batch_alter_table('assembly_finished_good_consumptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_finished_good_consumptions_finished_good_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_finished_good_consumptions_assembly_run_id'))

    op.drop_table('assembly_finished_good_consumptions')
    with op.batch_alter_table('unit_conversions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_conversions_ingredient_id'))

    op.drop_table('unit_conversions')
    with op.batch_alter_table('recipe_ingredients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipe_ingredients_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_ingredients_ingredient_id'))

    op.drop_table('recipe_ingredients')
    with op.batch_alter_table('recipe_components', schema=None) as batch_op:
        batch_op.drop_index('ix_recipe_components_recipe_order')
        batch_op.drop_index(batch_op.f('ix_recipe_components_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_recipe_components_component_recipe_id'))

    op.drop_table('recipe_components')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('uq_products_preferred_per_ingredient', sqlite_where=sa.text('preferred'), postgresql_where=sa.text('preferred'))
        batch_op.drop_index(batch_op.f('ix_products_upc_code'))
        batch_op.drop_index(batch_op.f('ix_products_ingredient_id'))
        batch_op.drop_index(batch_op.f('ix_products_brand'))

    op.drop_table('products')
    with op.batch_alter_table('package_finished_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_finished_goods_package_id'))
        batch_op.drop_index(batch_op.f('ix_package_finished_goods_finished_good_id'))

    op.drop_table('package_finished_goods')
    with op.batch_alter_table('finished_units', schema=None) as batch_op:
        batch_op.drop_index('ix_finished_units_recipe_stock')
        batch_op.drop_index(batch_op.f('ix_finished_units_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_finished_units_inventory_count'))
        batch_op.drop_index(batch_op.f('ix_finished_units_display_name'))
        batch_op.drop_index(batch_op.f('ix_finished_units_category'))

    op.drop_table('finished_units')
    with op.batch_alter_table('event_recipient_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_recipient_packages_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_event_recipient_packages_package_id'))
        batch_op.drop_index(batch_op.f('ix_event_recipient_packages_fulfillment_status'))
        batch_op.drop_index(batch_op.f('ix_event_recipient_packages_event_id'))

    op.drop_table('event_recipient_packages')
    with op.batch_alter_table('event_production_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_production_targets_recipe_id'))
        batch_op.drop_index(batch_op.f('ix_event_production_targets_event_id'))

    op.drop_table('event_production_targets')
    with op.batch_alter_table('event_assembly_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_assembly_targets_finished_good_id'))
        batch_op.drop_index(batch_op.f('ix_event_assembly_targets_event_id'))

    op.drop_table('event_assembly_targets')
    with op.batch_alter_table('assembly_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assembly_runs_finished_good_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_runs_event_id'))
        batch_op.drop_index(batch_op.f('ix_assembly_runs_assembled_at'))

    op.drop_table('assembly_runs')
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipients_household_name'))

    op.drop_table('recipients')
    with op.batch_alter_table('recipes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recipes_category'))

    op.drop_table('recipes')
    with op.batch_alter_table('packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packages_is_template'))

    op.drop_table('packages')
    with op.batch_alter_table('ingredients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingredients_is_packaging'))
        batch_op.drop_index(batch_op.f('ix_ingredients_category'))

    op.drop_table('ingredients')
    with op.batch_alter_table('finished_goods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finished_goods_inventory_count'))
        batch_op.drop_index(batch_op.f('ix_finished_goods_display_name'))
        batch_op.drop_index(batch_op.f('ix_finished_goods_assembly_type'))

    op.drop_table('finished_goods')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_year'))
        batch_op.drop_index(batch_op.f('ix_events_name'))
        batch_op.drop_index(batch_op.f('ix_events_event_date'))

    op.drop_table('events')
