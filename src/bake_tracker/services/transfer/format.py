"""The export document's layout: one section per table, references by natural key or uuid.

Every row carries its ``uuid`` and its own columns (database ids never leave the database). A
foreign key is written as the referenced row's natural key where it has one — an ingredient's slug,
a recipe's name, a finished unit's or good's slug, a package's or recipient's name, an event's name
and year — and as its uuid otherwise (products, purchases, lots, runs, ledger lines, adjustments).
Sections are listed parents first, so an import can resolve every reference from earlier sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Table

from bake_tracker.models import Base
from bake_tracker.models.totals import DERIVED_TABLES


@dataclass(frozen=True)
class Ref:
    """How the document writes a foreign key: ``fields`` of the row in ``section``."""

    column: str  # the foreign-key column in this table
    section: str  # the referenced section
    fields: tuple[str, ...]  # document field names, matching the referenced section's key


@dataclass(frozen=True)
class Section:
    name: str
    key: tuple[str, ...] = ()  # natural key columns (besides uuid)
    refs: tuple[Ref, ...] = ()
    skip_columns: tuple[str, ...] = field(default=())

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]


def _ref(column: str, section: str, *fields: str) -> Ref:
    return Ref(column, section, fields)


INGREDIENT = ("ingredient_slug",)
RECIPE = ("recipe_name",)
UNIT = ("finished_unit_slug",)
GOOD = ("finished_good_slug",)
EVENT = ("event_name", "event_year")

SECTIONS: tuple[Section, ...] = (
    Section("ingredients", key=("slug",)),
    Section(
        "unit_conversions",
        key=("ingredient_id", "from_unit", "to_unit"),
        refs=(_ref("ingredient_id", "ingredients", *INGREDIENT),),
    ),
    Section("products", refs=(_ref("ingredient_id", "ingredients", *INGREDIENT),)),
    Section("purchases", refs=(_ref("product_id", "products", "product_uuid"),)),
    Section(
        "inventory_items",
        refs=(
            _ref("product_id", "products", "product_uuid"),
            _ref("purchase_id", "purchases", "purchase_uuid"),
        ),
    ),
    Section("recipes", key=("name",)),
    Section(
        "recipe_ingredients",
        refs=(
            _ref("recipe_id", "recipes", *RECIPE),
            _ref("ingredient_id", "ingredients", *INGREDIENT),
        ),
    ),
    Section(
        "recipe_components",
        key=("recipe_id", "component_recipe_id"),
        refs=(
            _ref("recipe_id", "recipes", *RECIPE),
            _ref("component_recipe_id", "recipes", "component_recipe_name"),
        ),
    ),
    Section("finished_units", key=("slug",), refs=(_ref("recipe_id", "recipes", *RECIPE),)),
    Section("finished_goods", key=("slug",)),
    Section("packages", key=("name",)),
    Section(
        "compositions",
        refs=(
            _ref("assembly_id", "finished_goods", "assembly_slug"),
            _ref("package_id", "packages", "package_name"),
            _ref("finished_unit_id", "finished_units", *UNIT),
            _ref("finished_good_id", "finished_goods", *GOOD),
            _ref("packaging_product_id", "products", "packaging_product_uuid"),
        ),
    ),
    Section(
        "package_finished_goods",
        key=("package_id", "finished_good_id"),
        refs=(
            _ref("package_id", "packages", "package_name"),
            _ref("finished_good_id", "finished_goods", *GOOD),
        ),
    ),
    Section("recipients", key=("name",)),
    Section("events", key=("name", "year")),
    Section(
        "event_recipient_packages",
        key=("event_id", "recipient_id", "package_id"),
        refs=(
            _ref("event_id", "events", *EVENT),
            _ref("recipient_id", "recipients", "recipient_name"),
            _ref("package_id", "packages", "package_name"),
        ),
    ),
    Section(
        "event_production_targets",
        key=("event_id", "recipe_id"),
        refs=(_ref("event_id", "events", *EVENT), _ref("recipe_id", "recipes", *RECIPE)),
    ),
    Section(
        "event_assembly_targets",
        key=("event_id", "finished_good_id"),
        refs=(
            _ref("event_id", "events", *EVENT),
            _ref("finished_good_id", "finished_goods", *GOOD),
        ),
    ),
    Section(
        "stock_adjustments",
        refs=(
            _ref("inventory_item_id", "inventory_items", "inventory_item_uuid"),
            _ref("finished_unit_id", "finished_units", *UNIT),
            _ref("finished_good_id", "finished_goods", *GOOD),
        ),
    ),
    Section(
        "production_runs",
        refs=(
            _ref("recipe_id", "recipes", *RECIPE),
            _ref("finished_unit_id", "finished_units", *UNIT),
            _ref("event_id", "events", *EVENT),
        ),
    ),
    Section(
        "production_consumptions",
        refs=(
            _ref("production_run_id", "production_runs", "production_run_uuid"),
            _ref("ingredient_id", "ingredients", *INGREDIENT),
        ),
    ),
    Section(
        "production_consumption_lots",
        refs=(
            _ref("consumption_id", "production_consumptions", "consumption_uuid"),
            _ref("inventory_item_id", "inventory_items", "inventory_item_uuid"),
        ),
    ),
    Section(
        "assembly_runs",
        refs=(
            _ref("finished_good_id", "finished_goods", *GOOD),
            _ref("event_id", "events", *EVENT),
        ),
    ),
    Section(
        "assembly_finished_unit_consumptions",
        refs=(
            _ref("assembly_run_id", "assembly_runs", "assembly_run_uuid"),
            _ref("finished_unit_id", "finished_units", *UNIT),
        ),
    ),
    Section(
        "assembly_finished_good_consumptions",
        refs=(
            _ref("assembly_run_id", "assembly_runs", "assembly_run_uuid"),
            _ref("finished_good_id", "finished_goods", *GOOD),
        ),
    ),
    Section(
        "assembly_packaging_consumptions",
        refs=(
            _ref("assembly_run_id", "assembly_runs", "assembly_run_uuid"),
            _ref("product_id", "products", "product_uuid"),
        ),
    ),
    Section(
        "assembly_packaging_consumption_lots",
        refs=(
            _ref("consumption_id", "assembly_packaging_consumptions", "consumption_uuid"),
            _ref("inventory_item_id", "inventory_items", "inventory_item_uuid"),
            _ref("product_id", "products", "product_uuid"),
        ),
    ),
    Section(
        "finished_unit_lots",
        refs=(
            _ref("finished_unit_id", "finished_units", *UNIT),
            _ref("production_run_id", "production_runs", "production_run_uuid"),
            _ref("adjustment_id", "stock_adjustments", "adjustment_uuid"),
        ),
    ),
    Section(
        "finished_good_lots",
        refs=(
            _ref("finished_good_id", "finished_goods", *GOOD),
            _ref("assembly_run_id", "assembly_runs", "assembly_run_uuid"),
            _ref("adjustment_id", "stock_adjustments", "adjustment_uuid"),
        ),
    ),
    Section(
        "assembly_finished_unit_consumption_lots",
        refs=(
            _ref("consumption_id", "assembly_finished_unit_consumptions", "consumption_uuid"),
            _ref("finished_unit_lot_id", "finished_unit_lots", "finished_unit_lot_uuid"),
        ),
    ),
    Section(
        "assembly_finished_good_consumption_lots",
        refs=(
            _ref("consumption_id", "assembly_finished_good_consumptions", "consumption_uuid"),
            _ref("finished_good_lot_id", "finished_good_lots", "finished_good_lot_uuid"),
        ),
    ),
    Section(
        "adjustment_draws",
        refs=(
            _ref("adjustment_id", "stock_adjustments", "adjustment_uuid"),
            _ref("finished_unit_lot_id", "finished_unit_lots", "finished_unit_lot_uuid"),
            _ref("finished_good_lot_id", "finished_good_lots", "finished_good_lot_uuid"),
        ),
    ),
)
SECTION_BY_NAME = {section.name: section for section in SECTIONS}


def doc_key(section: Section) -> tuple[str, ...]:
    """The document fields that identify a row of ``section`` when something refers to it."""
    if section.name == "events":
        return ("name", "year")
    return section.key if section.key and "_id" not in "".join(section.key) else ("uuid",)


@cache
def document_fields(section: Section) -> frozenset[str]:
    """The fields a record of ``section`` may have: its own columns but the id, and its
    references' fields. Any other field is refused (a misspelt one would otherwise be lost)."""
    fk_columns = {ref.column for ref in section.refs}
    own = {c.name for c in section.table.columns if c.name != "id" and c.name not in fk_columns}
    return frozenset(own | {f for ref in section.refs for f in ref.fields})


def check_layout() -> None:
    """Every table is a section (but the derived totals, rebuilt by an import), every foreign
    key has a reference (guards future schema work)."""
    names = {s.name for s in SECTIONS}
    missing = set(Base.metadata.tables) - names - DERIVED_TABLES
    assert not missing, f"tables without an export section: {missing}"
    for section in SECTIONS:
        fk_columns = {fk.parent.name for fk in section.table.foreign_keys}
        assert fk_columns == {r.column for r in section.refs}, section.name
