"""Every CHECK, UNIQUE and foreign-key rule of the schema, each broken on purpose.

The tests run on the database built by the real migrations (``tests/conftest.py``), so they check
what the migrations create, while meta-tests walk ``Base.metadata`` so that a constraint added
later without a test here fails the suite. SQLite reports a broken CHECK by name ("CHECK
constraint failed: ck_<table>_<name>") and a broken UNIQUE by its columns ("UNIQUE constraint
failed: t.a, t.b").
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import CheckConstraint, UniqueConstraint, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import RelationshipDirection

from bake_tracker.models import Base
from bake_tracker.models.totals import DERIVED_TABLES
from tests.factories import (
    FACTORIES,
    make_adjustment_draw,
    make_assembly_finished_good_consumption,
    make_assembly_finished_good_consumption_lot,
    make_assembly_finished_unit_consumption,
    make_assembly_finished_unit_consumption_lot,
    make_assembly_packaging_consumption,
    make_assembly_packaging_consumption_lot,
    make_assembly_run,
    make_assembly_target,
    make_assignment,
    make_composition,
    make_event,
    make_finished_good,
    make_finished_good_lot,
    make_finished_unit,
    make_finished_unit_lot,
    make_ingredient,
    make_inventory_item,
    make_package,
    make_package_finished_good,
    make_packaging_product,
    make_product,
    make_production_consumption,
    make_production_consumption_lot,
    make_production_run,
    make_production_target,
    make_purchase,
    make_recipe,
    make_recipe_component,
    make_recipe_ingredient,
    make_recipient,
    make_stock_adjustment,
    make_unit_conversion,
    now,
)

# The stored totals (derived, keyed by what they sum) have their own cases: test_totals_schema.py.
TABLES = {n: t for n, t in Base.metadata.tables.items() if n not in DERIVED_TABLES}
NEG = Decimal("-0.0001")  # the smallest negative amount of money


def new(factory, **kw):
    """An override made when the test runs: the id of a fresh row built by ``factory``."""
    return lambda session: factory(session, **kw).id


def _resolve(session, overrides: dict) -> dict:
    return {key: value(session) if callable(value) else value for key, value in overrides.items()}


def variant(factory, **defaults):
    """``factory`` with other defaults (values may be ``new(...)``); the caller's keywords win."""

    def build(session, **kw):
        given = {key.removesuffix("_id") for key in kw} | set(kw)
        extra = {key: value for key, value in defaults.items() if key not in given}
        return factory(session, **_resolve(session, extra), **kw)

    return build


def _fetch(session, sql: str, **params):
    return session.execute(text(sql), params).scalar()


def _count(session, table, row_id):
    return _fetch(session, f"SELECT count(*) FROM {table} WHERE id = :id", id=row_id)


# --- CHECK ------------------------------------------------------------------------------------


def check(constraint, builder, label="", *, shadowed_by=None, **overrides):
    """A row of ``builder`` with ``overrides`` breaks ``constraint`` (and no CHECK before it).

    ``shadowed_by`` names a check that every violation of ``constraint`` also breaks: SQLite
    reports only the first failing check of a row, so either name is accepted for those.
    """
    case_id = constraint.removeprefix("ck_") + (f"[{label}]" if label else "")
    return pytest.param(constraint, builder, overrides, shadowed_by, id=case_id)


def _recipe_containing_itself(session, **kw):
    recipe = make_recipe(session)
    return make_recipe_component(session, recipe=recipe, component_recipe=recipe, **kw)


def _box_containing_itself(session, **kw):
    box = make_finished_good(session)
    return make_composition(session, assembly=box, finished_good=box, **kw)


def _lot_cases(table, builder, source):
    other = {"production_run_id": make_production_run, "assembly_run_id": make_assembly_run}[source]
    return [
        check(f"ck_{table}_exactly_one_source", builder, "none", **{source: None}),
        check(
            f"ck_{table}_exactly_one_source",
            builder,
            "both",
            **{source: new(other), "adjustment_id": new(make_stock_adjustment)},
        ),
        check(
            f"ck_{table}_quantity_initial_positive",
            builder,
            quantity_initial=0,
            quantity_remaining=0,
        ),
        check(
            f"ck_{table}_quantity_remaining_in_range", builder, "negative", quantity_remaining=-1
        ),
        check(f"ck_{table}_quantity_remaining_in_range", builder, "above", quantity_remaining=99),
        check(f"ck_{table}_unit_cost_non_negative", builder, unit_cost=NEG),
        check(
            f"ck_{table}_total_cost_non_negative",
            builder,
            shadowed_by=f"ck_{table}_remaining_cost_in_range",
            total_cost=NEG,
            remaining_cost=Decimal(0),
        ),
        check(f"ck_{table}_remaining_cost_in_range", builder, "negative", remaining_cost=NEG),
        check(
            f"ck_{table}_remaining_cost_in_range",
            builder,
            "above",
            remaining_cost=Decimal("99.0000"),
        ),
    ]


def _ledger_cases(table, builder):
    return [
        check(f"ck_{table}_quantity_positive", builder, quantity=0),
        check(f"ck_{table}_unit_cost_non_negative", builder, unit_cost=NEG),
        check(f"ck_{table}_cost_non_negative", builder, cost=NEG),
    ]


def _void_cases(table, builder):
    name = f"ck_{table}_void_reason_with_voided_at"
    return [
        check(name, builder, "time_only", voided_at=now()),
        check(name, builder, "reason_only", void_reason="Counted twice"),
        check(name, builder, "blank_reason", voided_at=now(), void_reason="  "),
    ]


CHECK_CASES = [
    # catalog
    check("ck_ingredients_display_name_not_blank", make_ingredient, display_name="  "),
    check("ck_ingredients_slug_not_blank", make_ingredient, slug=""),
    check("ck_ingredients_recipe_unit_not_blank", make_ingredient, recipe_unit=" "),
    check(
        "ck_ingredients_density_all_or_none",
        make_ingredient,
        "partial",
        density_volume_value=Decimal(1),
        density_volume_unit="cup",
    ),
    check(
        "ck_ingredients_density_all_or_none",
        make_ingredient,
        "zero",
        density_volume_value=Decimal(1),
        density_volume_unit="cup",
        density_weight_value=Decimal(0),
        density_weight_unit="oz",
    ),
    check("ck_unit_conversions_from_quantity_positive", make_unit_conversion, from_quantity=0),
    check("ck_unit_conversions_to_quantity_positive", make_unit_conversion, to_quantity=-1),
    check("ck_unit_conversions_units_differ", make_unit_conversion, from_unit="cup", to_unit="cup"),
    check("ck_products_purchase_quantity_positive", make_product, purchase_quantity=0),
    check("ck_products_purchase_unit_not_blank", make_product, purchase_unit="  "),
    check("ck_purchases_quantity_purchased_positive", make_purchase, quantity_purchased=0),
    check("ck_purchases_total_cost_non_negative", make_purchase, total_cost=NEG),
    check("ck_purchases_unit_cost_non_negative", make_purchase, unit_cost=NEG),
    check(
        "ck_inventory_items_quantity_non_negative", make_inventory_item, quantity=Decimal("-0.001")
    ),
    check("ck_inventory_items_initial_quantity_positive", make_inventory_item, initial_quantity=0),
    check("ck_inventory_items_unit_cost_non_negative", make_inventory_item, unit_cost=NEG),
    check(
        "ck_inventory_items_expiration_not_before_purchase",
        make_inventory_item,
        purchase_date=date(2026, 1, 2),
        expiration_date=date(2026, 1, 1),
    ),
    check(
        "ck_stock_adjustments_exactly_one_target",
        make_stock_adjustment,
        "none",
        inventory_item_id=None,
    ),
    check(
        "ck_stock_adjustments_exactly_one_target",
        make_stock_adjustment,
        "two",
        inventory_item_id=new(make_inventory_item),
        finished_unit_id=new(make_finished_unit),
    ),
    check(
        "ck_stock_adjustments_exactly_one_target",
        make_stock_adjustment,
        "three",
        inventory_item_id=new(make_inventory_item),
        finished_unit_id=new(make_finished_unit),
        finished_good_id=new(make_finished_good),
    ),
    check("ck_stock_adjustments_delta_not_zero", make_stock_adjustment, delta=Decimal(0)),
    check("ck_stock_adjustments_unit_cost_non_negative", make_stock_adjustment, unit_cost=NEG),
    check("ck_stock_adjustments_reason_valid", make_stock_adjustment, reason="stolen"),
    check(
        "ck_adjustment_draws_exactly_one_lot",
        make_adjustment_draw,
        "none",
        finished_unit_lot_id=None,
    ),
    check(
        "ck_adjustment_draws_exactly_one_lot",
        make_adjustment_draw,
        "two",
        finished_unit_lot_id=new(make_finished_unit_lot),
        finished_good_lot_id=new(make_finished_good_lot),
    ),
    check("ck_adjustment_draws_quantity_positive", make_adjustment_draw, quantity=0),
    check("ck_adjustment_draws_unit_cost_non_negative", make_adjustment_draw, unit_cost=NEG),
    check("ck_adjustment_draws_cost_non_negative", make_adjustment_draw, cost=NEG),
    # recipes
    check("ck_recipes_name_not_blank", make_recipe, name=" "),
    check("ck_recipes_slug_not_blank", make_recipe, slug=""),
    check("ck_recipes_yield_quantity_positive", make_recipe, yield_quantity=0),
    check("ck_recipes_estimated_time_non_negative", make_recipe, estimated_time_minutes=-1),
    check(
        "ck_recipe_ingredients_quantity_non_negative",
        make_recipe_ingredient,
        quantity=Decimal("-0.001"),
    ),
    check("ck_recipe_ingredients_unit_not_blank", make_recipe_ingredient, unit=" "),
    check("ck_recipe_ingredients_sort_order_non_negative", make_recipe_ingredient, sort_order=-1),
    check("ck_recipe_components_quantity_positive", make_recipe_component, quantity=0),
    check("ck_recipe_components_not_self", _recipe_containing_itself),
    check("ck_recipe_components_sort_order_non_negative", make_recipe_component, sort_order=-1),
    # goods
    check("ck_finished_units_display_name_not_blank", make_finished_unit, display_name=" "),
    check("ck_finished_units_slug_not_blank", make_finished_unit, slug=""),
    check(
        "ck_finished_units_yield_mode_valid",
        make_finished_unit,
        shadowed_by="ck_finished_units_yield_mode_configured",
        yield_mode="frozen",
    ),
    check("ck_finished_units_items_per_batch_positive", make_finished_unit, items_per_batch=0),
    *(
        check(
            "ck_finished_units_batch_percentage_range",
            make_finished_unit,
            label,
            yield_mode="batch_portion",
            items_per_batch=None,
            batch_percentage=Decimal(pct),
        )
        for label, pct in (("zero", "0"), ("negative", "-1"), ("over_100", "100.01"))
    ),
    check(
        "ck_finished_units_yield_mode_configured",
        make_finished_unit,
        "discrete_without_items",
        items_per_batch=None,
    ),
    check(
        "ck_finished_units_yield_mode_configured",
        make_finished_unit,
        "portion_without_percentage",
        yield_mode="batch_portion",
    ),
    check("ck_finished_units_inventory_count_non_negative", make_finished_unit, inventory_count=-1),
    check("ck_finished_goods_display_name_not_blank", make_finished_good, display_name=" "),
    check("ck_finished_goods_slug_not_blank", make_finished_good, slug=""),
    check("ck_finished_goods_assembly_type_valid", make_finished_good, assembly_type="crate"),
    check("ck_finished_goods_inventory_count_non_negative", make_finished_good, inventory_count=-1),
    check("ck_compositions_exactly_one_parent", make_composition, "none", assembly_id=None),
    check(
        "ck_compositions_exactly_one_parent",
        make_composition,
        "two",
        assembly_id=new(make_finished_good),
        package_id=new(make_package),
    ),
    check("ck_compositions_exactly_one_component", make_composition, "none", finished_unit_id=None),
    check(
        "ck_compositions_exactly_one_component",
        make_composition,
        "two",
        finished_unit_id=new(make_finished_unit),
        finished_good_id=new(make_finished_good),
    ),
    check(
        "ck_compositions_package_holds_packaging_only",
        make_composition,
        package_id=new(make_package),
        finished_unit_id=new(make_finished_unit),
    ),
    check("ck_compositions_not_self", _box_containing_itself),
    check("ck_compositions_component_quantity_positive", make_composition, component_quantity=0),
    check(
        "ck_compositions_whole_finished_items",
        make_composition,
        component_quantity=Decimal("1.5"),
    ),
    check("ck_compositions_sort_order_non_negative", make_composition, sort_order=-1),
    check("ck_packages_name_not_blank", make_package, name=" "),
    check("ck_package_finished_goods_quantity_positive", make_package_finished_good, quantity=0),
    # stock of finished units and goods
    *_lot_cases("finished_unit_lots", make_finished_unit_lot, "production_run_id"),
    *_lot_cases("finished_good_lots", make_finished_good_lot, "assembly_run_id"),
    # events
    check("ck_recipients_name_not_blank", make_recipient, name=" "),
    check("ck_events_name_not_blank", make_event, name="   "),
    check("ck_events_year_in_range", make_event, "1899", year=1899),
    check("ck_events_year_in_range", make_event, "10000", year=10000),
    check("ck_event_recipient_packages_quantity_positive", make_assignment, quantity=0),
    check(
        "ck_event_recipient_packages_fulfillment_status_valid",
        make_assignment,
        fulfillment_status="lost",
    ),
    check(
        "ck_event_recipient_packages_delivered_at_iff_delivered",
        make_assignment,
        "delivered_without_time",
        fulfillment_status="delivered",
    ),
    check(
        "ck_event_recipient_packages_delivered_at_iff_delivered",
        make_assignment,
        "time_without_delivered",
        fulfillment_status="ready",
        delivered_at=now(),
    ),
    check(
        "ck_event_production_targets_target_batches_positive",
        make_production_target,
        target_batches=0,
    ),
    check(
        "ck_event_assembly_targets_target_quantity_positive",
        make_assembly_target,
        target_quantity=0,
    ),
    # production
    check("ck_production_runs_num_batches_positive", make_production_run, num_batches=0),
    check("ck_production_runs_expected_yield_non_negative", make_production_run, expected_yield=-1),
    check("ck_production_runs_actual_yield_non_negative", make_production_run, actual_yield=-1),
    check(
        "ck_production_runs_loss_quantity_non_negative",
        make_production_run,
        loss_quantity=-1,
        loss_category="burnt",
    ),
    check(
        "ck_production_runs_loss_category_valid",
        make_production_run,
        loss_quantity=2,
        loss_category="eaten",
    ),
    check("ck_production_runs_loss_needs_category", make_production_run, loss_quantity=2),
    check(
        "ck_production_runs_total_ingredient_cost_non_negative",
        make_production_run,
        total_ingredient_cost=NEG,
    ),
    check("ck_production_runs_per_unit_cost_non_negative", make_production_run, per_unit_cost=NEG),
    *_void_cases("production_runs", make_production_run),
    check(
        "ck_production_consumptions_quantity_consumed_positive",
        make_production_consumption,
        quantity_consumed=0,
    ),
    check(
        "ck_production_consumptions_total_cost_non_negative",
        make_production_consumption,
        total_cost=NEG,
    ),
    *_ledger_cases("production_consumption_lots", make_production_consumption_lot),
    # assembly
    check("ck_assembly_runs_quantity_assembled_positive", make_assembly_run, quantity_assembled=0),
    check(
        "ck_assembly_runs_total_component_cost_non_negative",
        make_assembly_run,
        total_component_cost=NEG,
    ),
    check("ck_assembly_runs_per_unit_cost_non_negative", make_assembly_run, per_unit_cost=NEG),
    *_void_cases("assembly_runs", make_assembly_run),
    *(
        case
        for table, builder in (
            ("assembly_finished_unit_consumptions", make_assembly_finished_unit_consumption),
            ("assembly_finished_good_consumptions", make_assembly_finished_good_consumption),
        )
        for case in (
            check(f"ck_{table}_quantity_consumed_positive", builder, quantity_consumed=0),
            check(f"ck_{table}_total_cost_non_negative", builder, total_cost=NEG),
            check(f"ck_{table}_unit_cost_non_negative", builder, unit_cost_at_consumption=NEG),
        )
    ),
    check(
        "ck_assembly_packaging_consumptions_quantity_consumed_positive",
        make_assembly_packaging_consumption,
        quantity_consumed=0,
    ),
    check(
        "ck_assembly_packaging_consumptions_total_cost_non_negative",
        make_assembly_packaging_consumption,
        total_cost=NEG,
    ),
    *_ledger_cases(
        "assembly_finished_unit_consumption_lots", make_assembly_finished_unit_consumption_lot
    ),
    *_ledger_cases(
        "assembly_finished_good_consumption_lots", make_assembly_finished_good_consumption_lot
    ),
    *_ledger_cases("assembly_packaging_consumption_lots", make_assembly_packaging_consumption_lot),
]

CHECK_FAILED = r'(?:CHECK constraint failed: |violates check constraint ")(\w+)'
FK_FAILED = "FOREIGN KEY constraint failed|violates foreign key constraint"


def _as_reported(session, name: str | None) -> str | None:
    """A constraint's name as the database reports it (PostgreSQL shortens long names)."""
    if name is None:
        return None
    constraint = next(c for table in TABLES.values() for c in table.constraints if c.name == name)
    return session.bind.dialect.identifier_preparer.format_constraint(constraint).strip('"')


SCHEMA_CHECKS = {
    c.name for table in TABLES.values() for c in table.constraints if isinstance(c, CheckConstraint)
}


@pytest.mark.parametrize(("constraint", "builder", "overrides", "shadowed_by"), CHECK_CASES)
def test_check_constraint_rejects_a_violating_row(
    session, constraint, builder, overrides, shadowed_by
):
    values = _resolve(session, overrides)
    with pytest.raises(IntegrityError, match=CHECK_FAILED) as caught:
        builder(session, **values)
    reported = re.search(CHECK_FAILED, str(caught.value)).group(1)
    assert reported in {_as_reported(session, constraint), _as_reported(session, shadowed_by)}


def test_every_check_constraint_has_a_case():
    cased = {param.values[0] for param in CHECK_CASES}
    assert SCHEMA_CHECKS - cased == set(), "CHECK constraints without a test"
    assert cased - SCHEMA_CHECKS == set(), "test cases for CHECK constraints that do not exist"


def test_every_check_constraint_is_in_the_migrated_schema(session):
    """Needed for the shadowed checks, whose own violation SQLite reports under another name."""
    inspector = inspect(session.connection())
    in_db = {check["name"] for table in TABLES for check in inspector.get_check_constraints(table)}
    assert in_db == {_as_reported(session, name) for name in SCHEMA_CHECKS}


# --- positive controls --------------------------------------------------------------------------


def test_every_table_has_a_factory():
    assert set(FACTORIES) == set(TABLES)


@pytest.mark.parametrize("table", sorted(FACTORIES))
def test_factory_builds_valid_rows(session, table):
    """Two default rows of each table commit (so no case above passes on a broken factory)."""
    ids = {FACTORIES[table](session).id, FACTORIES[table](session).id}
    session.commit()
    assert len(ids) == 2
    assert all(_count(session, table, row_id) == 1 for row_id in ids)


def valid(case_id, builder, **overrides):
    return pytest.param(builder, overrides, id=case_id)


VALID_VARIANTS = [
    valid(
        "ingredient_with_density",
        make_ingredient,
        density_volume_value=Decimal(1),
        density_volume_unit="cup",
        density_weight_value=Decimal("4.25"),
        density_weight_unit="oz",
    ),
    valid(
        "empty_purchased_lot_expiring_on_purchase_day",
        make_inventory_item,
        purchase_id=new(make_purchase),
        purchase_date=date(2026, 1, 1),
        expiration_date=date(2026, 1, 1),
        quantity=Decimal(0),
    ),
    valid(
        "positive_adjustment_of_finished_unit",
        make_stock_adjustment,
        finished_unit_id=new(make_finished_unit),
        delta=Decimal(5),
        unit_cost=Decimal("0.2500"),
    ),
    valid(
        "adjustment_of_finished_good",
        make_stock_adjustment,
        finished_good_id=new(make_finished_good),
    ),
    valid(
        "draw_from_finished_good_lot",
        make_adjustment_draw,
        finished_good_lot_id=new(make_finished_good_lot),
    ),
    valid("ingredient_line_to_taste", make_recipe_ingredient, quantity=Decimal(0)),
    *(
        valid(
            f"portion_of_{pct}_percent",
            make_finished_unit,
            yield_mode="batch_portion",
            items_per_batch=None,
            batch_percentage=Decimal(pct),
        )
        for pct in ("0.01", "100.00")
    ),
    valid("nested_finished_good", make_composition, finished_good_id=new(make_finished_good)),
    valid(
        "fractional_packaging",
        make_composition,
        packaging_product_id=new(make_packaging_product),
        component_quantity=Decimal("0.5"),
    ),
    valid("package_level_packaging", make_composition, package_id=new(make_package)),
    valid(
        "drawn_finished_unit_lot_from_adjustment",
        make_finished_unit_lot,
        adjustment_id=new(make_stock_adjustment),
        quantity_remaining=0,
        remaining_cost=Decimal(0),
    ),
    valid(
        "finished_good_lot_from_adjustment",
        make_finished_good_lot,
        adjustment_id=new(make_stock_adjustment),
    ),
    valid("year_1900", make_event, year=1900),
    valid("year_9999", make_event, year=9999),
    valid(
        "delivered_assignment", make_assignment, fulfillment_status="delivered", delivered_at=now()
    ),
    valid(
        "voided_event_production_run_with_loss",
        make_production_run,
        event_id=new(make_event),
        actual_yield=0,
        loss_quantity=3,
        loss_category="broken",
        voided_at=now(),
        void_reason="Counted twice",
    ),
    valid(
        "voided_event_assembly_run",
        make_assembly_run,
        event_id=new(make_event),
        voided_at=now(),
        void_reason="Wrong box",
    ),
]


@pytest.mark.parametrize(("builder", "overrides"), VALID_VARIANTS)
def test_valid_variants_pass_every_check(session, builder, overrides):
    row = builder(session, **_resolve(session, overrides))
    session.commit()
    assert row.id is not None


# --- UNIQUE -----------------------------------------------------------------------------------

UNIQUE_KEYS = {
    **{
        c.name: (table.name, [col.name for col in c.columns])
        for table in TABLES.values()
        for c in table.constraints
        if isinstance(c, UniqueConstraint)
    },
    **{
        index.name: (table.name, [col.name for col in index.columns])
        for table in TABLES.values()
        for index in table.indexes
        if index.unique
    },
}


def unique(constraint, builder):
    return pytest.param(constraint, builder, id=constraint.removeprefix("uq_"))


UNIQUE_CASES = [
    *(unique(f"uq_{table}_uuid", factory) for table, factory in sorted(FACTORIES.items())),
    unique("uq_ingredients_display_name", make_ingredient),
    unique("uq_ingredients_slug", make_ingredient),
    unique("uq_unit_conversions_ingredient_id_from_unit_to_unit", make_unit_conversion),
    unique("uq_products_gtin", variant(make_product, gtin="00012345678905")),
    unique("uq_products_preferred_per_ingredient", variant(make_product, preferred=True)),
    unique("uq_recipes_name", make_recipe),
    unique("uq_recipes_slug", make_recipe),
    unique("uq_recipe_components_recipe_id_component_recipe_id", make_recipe_component),
    unique("uq_finished_units_slug", make_finished_unit),
    unique("uq_finished_goods_slug", make_finished_good),
    unique("uq_compositions_assembly_id_finished_unit_id", make_composition),
    unique(
        "uq_compositions_assembly_id_finished_good_id",
        variant(make_composition, finished_good_id=new(make_finished_good)),
    ),
    unique(
        "uq_compositions_assembly_id_packaging_product_id",
        variant(make_composition, packaging_product_id=new(make_packaging_product)),
    ),
    unique(
        "uq_compositions_package_id_packaging_product_id",
        variant(make_composition, package_id=new(make_package)),
    ),
    unique("uq_packages_name", make_package),
    unique("uq_package_finished_goods_package_id_finished_good_id", make_package_finished_good),
    unique("uq_finished_unit_lots_production_run_id", make_finished_unit_lot),
    unique(
        "uq_finished_unit_lots_adjustment_id",
        variant(make_finished_unit_lot, adjustment_id=new(make_stock_adjustment)),
    ),
    unique("uq_finished_good_lots_assembly_run_id", make_finished_good_lot),
    unique(
        "uq_finished_good_lots_adjustment_id",
        variant(make_finished_good_lot, adjustment_id=new(make_stock_adjustment)),
    ),
    unique("uq_recipients_name", make_recipient),
    unique("uq_events_name_year", make_event),
    unique("uq_event_recipient_packages_event_id_recipient_id_package_id", make_assignment),
    unique("uq_event_production_targets_event_id_recipe_id", make_production_target),
    unique("uq_event_assembly_targets_event_id_finished_good_id", make_assembly_target),
    unique(
        "uq_production_consumptions_production_run_id_ingredient_id", make_production_consumption
    ),
    unique(
        "uq_assembly_finished_unit_consumptions_assembly_run_id_finished_unit_id",
        make_assembly_finished_unit_consumption,
    ),
    unique(
        "uq_assembly_finished_good_consumptions_assembly_run_id_finished_good_id",
        make_assembly_finished_good_consumption,
    ),
    unique(
        "uq_assembly_packaging_consumptions_assembly_run_id_product_id",
        make_assembly_packaging_consumption,
    ),
]


@pytest.mark.parametrize(("constraint", "builder"), UNIQUE_CASES)
def test_unique_constraint_rejects_a_duplicate_key(session, constraint, builder):
    """A second row copying only the first one's key collides on exactly that key."""
    table, columns = UNIQUE_KEYS[constraint]
    first = builder(session)
    key = {column: getattr(first, column) for column in columns}
    assert None not in key.values(), "the first row must fill the whole key"
    if session.bind.dialect.name == "postgresql":
        expected = re.escape(f"Key ({', '.join(columns)})=")
    else:
        reported = ", ".join(f"{table}.{column}" for column in columns)
        expected = re.escape(f"UNIQUE constraint failed: {reported}") + r"(?![\w,])"
    with pytest.raises(IntegrityError, match=expected):
        builder(session, **key)


def test_every_unique_constraint_and_unique_index_has_a_case():
    cased = {param.values[0] for param in UNIQUE_CASES}
    assert set(UNIQUE_KEYS) - cased == set(), "UNIQUE constraints or indexes without a test"
    assert cased - set(UNIQUE_KEYS) == set(), "test cases for UNIQUE constraints that do not exist"


def test_non_preferred_products_of_one_ingredient_do_not_collide(session):
    ingredient = make_ingredient(session)
    for _ in range(3):
        make_product(session, ingredient=ingredient, preferred=False)
    make_product(session, ingredient=ingredient, preferred=True)
    session.commit()


def test_each_ingredient_may_have_its_own_preferred_product(session):
    make_product(session, preferred=True)
    make_product(session, preferred=True)
    session.commit()


def test_products_without_gtin_do_not_collide(session):
    make_product(session, gtin=None)
    make_product(session, gtin=None)
    session.commit()


# --- foreign keys -------------------------------------------------------------------------------

FOREIGN_KEYS = {
    f"{table.name}.{fk.parent.name}": fk for table in TABLES.values() for fk in table.foreign_keys
}

#: Children that go with their parent. Every other foreign key must be ON DELETE RESTRICT.
CASCADE_FKS = {
    "unit_conversions.ingredient_id",
    "adjustment_draws.adjustment_id",
    "recipe_ingredients.recipe_id",
    "recipe_components.recipe_id",
    "compositions.assembly_id",
    "compositions.package_id",
    "package_finished_goods.package_id",
    "event_recipient_packages.event_id",
    "event_production_targets.event_id",
    "event_assembly_targets.event_id",
    "production_consumptions.production_run_id",
    "production_consumption_lots.consumption_id",
    "assembly_finished_unit_consumptions.assembly_run_id",
    "assembly_finished_unit_consumption_lots.consumption_id",
    "assembly_finished_good_consumptions.assembly_run_id",
    "assembly_finished_good_consumption_lots.consumption_id",
    "assembly_packaging_consumptions.assembly_run_id",
    "assembly_packaging_consumption_lots.consumption_id",
}
RESTRICT_FKS = sorted(set(FOREIGN_KEYS) - CASCADE_FKS)


def test_every_foreign_key_is_restrict_or_a_listed_cascade():
    assert set(FOREIGN_KEYS) >= CASCADE_FKS, "listed cascades that do not exist"
    wrong = {
        name: fk.ondelete
        for name, fk in FOREIGN_KEYS.items()
        if fk.ondelete != ("CASCADE" if name in CASCADE_FKS else "RESTRICT")
    }
    assert wrong == {}
    assert len(RESTRICT_FKS) + len(CASCADE_FKS) == len(FOREIGN_KEYS)


def _child_of_new_parent(session, key):
    """A new parent row and a valid child row referencing it through foreign key ``key``."""
    fk = FOREIGN_KEYS[key]
    child_table, column = fk.parent.table.name, fk.parent.name
    parent = FACTORIES[fk.column.table.name](session)
    child = FACTORIES[child_table](session, **{column: parent.id})
    assert getattr(child, column) == parent.id
    return parent, child


@pytest.mark.parametrize("key", RESTRICT_FKS)
def test_restrict_foreign_key_blocks_deleting_a_referenced_parent(session, key):
    fk = FOREIGN_KEYS[key]
    parent, child = _child_of_new_parent(session, key)
    parent_table = fk.column.table.name
    with (
        pytest.raises(IntegrityError, match=FK_FAILED),
        session.begin_nested(),
    ):
        session.execute(text(f"DELETE FROM {parent_table} WHERE id = :id"), {"id": parent.id})
    assert _count(session, parent_table, parent.id) == 1
    link = _fetch(
        session, f"SELECT {fk.parent.name} FROM {fk.parent.table.name} WHERE id = :id", id=child.id
    )
    assert link == parent.id


@pytest.mark.parametrize("key", sorted(CASCADE_FKS))
def test_cascade_foreign_key_deletes_the_child_with_its_parent(session, key):
    fk = FOREIGN_KEYS[key]
    parent, child = _child_of_new_parent(session, key)
    session.execute(text(f"DELETE FROM {fk.column.table.name} WHERE id = :id"), {"id": parent.id})
    assert _count(session, fk.column.table.name, parent.id) == 0
    assert _count(session, fk.parent.table.name, child.id) == 0


def _one_to_many(ondelete):
    """(parent class, relationship, FK key) of every parent-side relationship over such FKs."""
    found = []
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.direction is not RelationshipDirection.ONETOMANY:
                continue
            ((_, column),) = rel.local_remote_pairs
            key = f"{column.table.name}.{column.name}"
            if FOREIGN_KEYS[key].ondelete == ondelete:
                found.append(
                    pytest.param(
                        mapper.class_, rel.key, key, id=f"{mapper.class_.__name__}.{rel.key}"
                    )
                )
    return sorted(found, key=lambda param: param.id)


@pytest.mark.parametrize(("parent_class", "attribute", "key"), _one_to_many("RESTRICT"))
def test_orm_delete_of_a_referenced_parent_fails_and_keeps_the_link(
    session, parent_class, attribute, key
):
    """With the children loaded, the ORM must not null their link to let the DELETE through."""
    fk = FOREIGN_KEYS[key]
    parent, child = _child_of_new_parent(session, key)
    parent_id, child_id = parent.id, child.id
    session.commit()
    parent = session.get(parent_class, parent_id)
    assert [row.id for row in getattr(parent, attribute)] == [child_id]  # the collection is loaded
    session.delete(parent)
    with pytest.raises(IntegrityError, match=FK_FAILED):
        session.flush()
    session.rollback()
    link = _fetch(
        session, f"SELECT {fk.parent.name} FROM {fk.parent.table.name} WHERE id = :id", id=child_id
    )
    assert link == parent_id
    assert _count(session, fk.column.table.name, parent_id) == 1


@pytest.mark.parametrize(("parent_class", "attribute", "key"), _one_to_many("CASCADE"))
def test_orm_delete_of_a_parent_deletes_its_children(session, parent_class, attribute, key):
    fk = FOREIGN_KEYS[key]
    parent, child = _child_of_new_parent(session, key)
    parent_id, child_id = parent.id, child.id
    session.commit()
    parent = session.get(parent_class, parent_id)
    assert [row.id for row in getattr(parent, attribute)] == [child_id]
    session.delete(parent)
    session.commit()
    assert _count(session, fk.parent.table.name, child_id) == 0


def test_orm_relationships_cover_the_named_restrict_links():
    """The links whose ORM deletes once went wrong are among those tested above."""
    tested = {param.id for param in _one_to_many("RESTRICT")}
    assert {
        "Event.production_runs",
        "Event.assembly_runs",
        "Recipe.finished_units",
        "Ingredient.products",
    } <= tested
