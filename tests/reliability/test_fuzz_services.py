"""Hostile arguments for every service: a result or a ServiceError, never another exception.

Each case calls one public service function on the sample season with arguments drawn from the
strategies below: numbers as ``str``/``Decimal``/``int``/``float`` (NaN, infinities, huge, negative,
too many places, unicode digits), text (unicode, control characters, SQL-ish strings, blank, very
long), dates, ids and choices. The outcome must be a normal result or a ``ServiceError`` whose
message is plain words (no SQL, no traceback); after a ``ServiceError`` the full export is exactly
what it was (never a partial write), and every invariant holds after each call.

``BAKE_TRACKER_FUZZ_EXAMPLES`` sets the examples per case (50 by default).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from bake_tracker import db
from bake_tracker.services import assembly_service as asm
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import dashboard_service as ds
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import integrity_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import ServiceError
from bake_tracker.services.validation import MAX_ID
from tests.databases import Copies
from tests.reliability.conftest import assert_sound, report, snapshot, sqlite_file

EXAMPLES = int(os.environ.get("BAKE_TRACKER_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies -----------------------------------------------------------------------------------

SQLISH = (
    "'; DROP TABLE ingredients; --",
    'Robert"); DELETE FROM recipes; --',
    "' OR '1'='1",
    "%",
    "_",
    "%_%",
    "\\",
    "NULL",
    "null",
    "1; SELECT * FROM sqlite_master",
    "$(rm -rf /)",
    "{0}{1}%s%d",
)
ODD_TEXT = (
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "Crème brûlée",
    "日本語のレシピ",
    "🍪🎄",
    "\u202eevil",
    "e\u0301",
    "\ufeff",
    "\uffff",
    "ß",
    "İ",
    "x" * 201,
    "y" * 5000,
    "line\nbreak",
    "lone \ud800 surrogate",  # valid JSON ("\\ud800"), not encodable as UTF-8
)
NUMBER_TEXT = (
    "NaN",
    "nan",
    "sNaN",
    "inf",
    "-Infinity",
    "1e999",
    "1e-999",
    "1E3",
    "0",
    "-0",
    "0.0001",
    "1.2345",
    "1,000",
    "1,2",
    " 3 ",
    "٣",
    "１２",
    "½",
    "0x10",
    "1_000",
    "--1",
    "1e",
    "1000000001",
    "999999999.999",
    "-5",
)

numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-5, max_value=100),
    st.sampled_from([2**31, 2**62, -(2**62), 10**30, -(10**30)]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-1000, max_value=1000, places=5),
    st.floats(),
    st.sampled_from(NUMBER_TEXT),
    st.decimals(min_value=0, max_value=10**6, places=3).map(str),
    st.text(max_size=12),
    st.sampled_from([None, True, False, [], {}, b"1", 1j]),
)
texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(SQLISH),
    st.sampled_from(ODD_TEXT),
    st.sampled_from([None, 5, Decimal("1.5"), 2.5, True, b"bytes", ["list"]]),
)
optional_texts = st.one_of(st.none(), texts)
dates = st.one_of(
    st.dates(),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat),
    st.sampled_from(["2025-02-30", "2025-13-01", "0001-01-01", "9999-12-31", "24/12/2025"]),
    st.sampled_from(["2025-12-24T10:00", "", " ", "today", "NaN"]),
    st.datetimes(),
    numbers,
    texts,
)
timestamps = st.one_of(
    st.none(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-8))])),
    st.datetimes(),  # naive: refused
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    dates,
)
units = st.one_of(
    st.sampled_from(["cup", "g", "lb", "oz", "each", "tsp", "tbsp", "fl oz", "ml", "kg", "bag"]),
    st.sampled_from(["CUPS", " Cup ", "stick", "dozen", "pinch", "l", "gram", "grams"]),
    texts,
)
bools = st.one_of(st.booleans(), st.sampled_from([None, 0, 1, "yes", "", "false"]))
choices = {
    "adjustment": st.one_of(
        st.sampled_from(["spoiled", "lost", "count_correction", "gift", "other", " Gift "]),
        texts,
    ),
    "loss": st.one_of(
        st.sampled_from(["burnt", "broken", "contaminated", "dropped", "wrong_ingredients"]),
        st.sampled_from(["other", "BURNT", ""]),
        texts,
    ),
    "component": st.one_of(
        st.sampled_from(["finished_unit", "finished_good", "packaging", "Packaging"]), texts
    ),
    "yield_mode": st.one_of(st.sampled_from(["discrete_count", "batch_portion"]), texts),
    "assembly_type": st.one_of(
        st.sampled_from(["gift_box", "custom_order", "holiday_set", "variety_pack"]), texts
    ),
    "status": st.one_of(st.sampled_from(["pending", "ready", "delivered", "READY"]), texts),
}
BAD_IDS = st.one_of(
    st.integers(min_value=-3, max_value=10**9),
    st.sampled_from([0, -1, 2**31, 2**62, True, False, None, "1", "abc", 1.0, Decimal(1), (1,)]),
)


def an_id(*valid: int) -> st.SearchStrategy:
    """Mostly a real id, sometimes a wrong one."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), BAD_IDS)


def slugs(*valid: str) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(valid), texts)


# --- the cases ------------------------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy], Any]
Case = Callable[[dict[str, Any], Draw], Any]
INGREDIENTS = ("all_purpose_flour", "unsalted_butter", "large_eggs", "cellophane_bags")


def _ingredient_fields(d: Draw) -> dict[str, Any]:
    return {
        "category": d(st.one_of(st.sampled_from(["Flour", "Misc", "Bags"]), texts)),
        "recipe_unit": d(units),
        "is_packaging": d(bools),
        "density_volume_value": d(st.one_of(st.none(), numbers)),
        "density_volume_unit": d(st.one_of(st.none(), units)),
        "density_weight_value": d(st.one_of(st.none(), numbers)),
        "density_weight_unit": d(st.one_of(st.none(), units)),
        "notes": d(optional_texts),
        "description": d(optional_texts),
    }


def _some(d: Draw, fields: dict[str, st.SearchStrategy]) -> dict[str, Any]:
    """A random non-empty subset of ``fields``, drawn."""
    names = d(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=4, unique=True))
    return {name: d(fields[name]) for name in names}


CASES: dict[str, Case] = {
    # catalog
    "create_ingredient": lambda i, d: cs.create_ingredient(d(texts), **_ingredient_fields(d)),
    "update_ingredient": lambda i, d: cs.update_ingredient(
        d(slugs(*INGREDIENTS)),
        **_some(
            d,
            {
                "display_name": texts,
                "category": texts,
                "recipe_unit": units,
                "is_packaging": bools,
                "notes": optional_texts,
                "density_weight_value": numbers,
                "density_weight_unit": units,
                "bogus_field": texts,
            },
        ),
    ),
    "get_ingredient": lambda i, d: cs.get_ingredient(d(slugs(*INGREDIENTS))),
    "delete_ingredient": lambda i, d: cs.delete_ingredient(d(slugs(*INGREDIENTS))),
    "list_ingredients": lambda i, d: cs.list_ingredients(
        search=d(optional_texts), is_packaging=d(st.one_of(st.none(), st.booleans()))
    ),
    "add_unit_conversion": lambda i, d: cs.add_unit_conversion(
        d(slugs(*INGREDIENTS)),
        from_unit=d(units),
        from_quantity=d(numbers),
        to_unit=d(units),
        to_quantity=d(numbers),
    ),
    "convert": lambda i, d: cs.convert(
        d(numbers), d(units), d(units), ingredient_slug=d(st.one_of(st.none(), slugs(*INGREDIENTS)))
    ),
    "create_product": lambda i, d: cs.create_product(
        d(slugs(*INGREDIENTS)),
        purchase_unit=d(units),
        purchase_quantity=d(numbers),
        brand=d(optional_texts),
        package_size=d(optional_texts),
        package_type=d(optional_texts),
        preferred=d(bools),
        notes=d(optional_texts),
    ),
    "update_product": lambda i, d: cs.update_product(
        d(an_id(i["flour_product"])),
        **_some(
            d,
            {
                "brand": optional_texts,
                "purchase_unit": units,
                "purchase_quantity": numbers,
                "preferred": bools,
                "sku": texts,
            },
        ),
    ),
    "delete_product": lambda i, d: cs.delete_product(d(an_id(i["flour_product"]))),
    # pantry
    "record_purchase": lambda i, d: inv.record_purchase(
        d(an_id(i["flour_product"])),
        quantity=d(numbers),
        total_cost=d(numbers),
        purchase_date=d(st.one_of(st.none(), dates)),
        expiration_date=d(st.one_of(st.none(), dates)),
        supplier=d(optional_texts),
        location=d(optional_texts),
        notes=d(optional_texts),
    ),
    "add_to_inventory": lambda i, d: inv.add_to_inventory(
        d(an_id(i["flour_product"])),
        quantity=d(numbers),
        unit_cost=d(numbers),
        purchase_date=d(st.one_of(st.none(), dates)),
        expiration_date=d(st.one_of(st.none(), dates)),
    ),
    "adjust_lot": lambda i, d: inv.adjust_lot(
        d(an_id(i["flour_lot"])),
        d(numbers),
        reason=d(choices["adjustment"]),
        notes=d(optional_texts),
    ),
    "get_inventory_items": lambda i, d: inv.get_inventory_items(
        ingredient_slug=d(st.one_of(st.none(), slugs(*INGREDIENTS))),
        product_id=d(st.one_of(st.none(), an_id(i["flour_product"]))),
        location=d(optional_texts),
    ),
    "get_lot": lambda i, d: inv.get_lot(d(an_id(i["flour_lot"]))),
    "get_on_hand": lambda i, d: inv.get_on_hand(d(slugs(*INGREDIENTS))),
    "consume_fifo (dry run)": lambda i, d: inv.consume_fifo(
        d(slugs(*INGREDIENTS)), d(numbers), dry_run=True
    ),
    # recipes
    "create_recipe": lambda i, d: rs.create_recipe(
        d(texts),
        category=d(texts),
        yield_quantity=d(numbers),
        yield_unit=d(texts),
        ingredients=d(
            st.lists(st.tuples(slugs(*INGREDIENTS), numbers, units), max_size=3)
            | st.sampled_from([[("all_purpose_flour",)], ["flour"], None, "abc"])
        ),
        notes=d(optional_texts),
    ),
    "update_recipe": lambda i, d: rs.update_recipe(
        d(an_id(i["cake"])),
        **_some(
            d,
            {
                "name": texts,
                "category": texts,
                "yield_quantity": numbers,
                "yield_unit": texts,
                "notes": optional_texts,
                "estimated_time_minutes": numbers,
                "nonsense": texts,
            },
        ),
    ),
    "add_ingredient_to_recipe": lambda i, d: rs.add_ingredient_to_recipe(
        d(an_id(i["brownies"])), d(slugs(*INGREDIENTS)), d(numbers), d(units), notes=d(texts)
    ),
    "update_recipe_ingredient": lambda i, d: rs.update_recipe_ingredient(
        d(an_id(i["vanilla_line"])), quantity=d(numbers), unit=d(units)
    ),
    "recipe_components": lambda i, d: rs.add_recipe_component(
        d(an_id(i["cake"], i["icing"])), d(an_id(i["icing"], i["cake"])), quantity=d(numbers)
    ),
    "list_recipes": lambda i, d: rs.list_recipes(
        category=d(optional_texts), search=d(optional_texts)
    ),
    "get_aggregated_ingredients": lambda i, d: rs.get_aggregated_ingredients(
        d(an_id(i["sugar_cookies"])), multiplier=d(numbers)
    ),
    "get_recipe_detail": lambda i, d: rs.get_recipe_detail(d(an_id(i["cookies"]))),
    "delete_recipe": lambda i, d: rs.delete_recipe(d(an_id(i["icing"], i["cake"]))),
    # finished units and goods
    "create_finished_unit": lambda i, d: fus.create_finished_unit(
        d(texts),
        d(an_id(i["cake"])),
        yield_mode=d(choices["yield_mode"]),
        items_per_batch=d(st.one_of(st.none(), numbers)),
        batch_percentage=d(st.one_of(st.none(), numbers)),
        item_unit=d(optional_texts),
        category=d(optional_texts),
        portion_description=d(optional_texts),
    ),
    "update_finished_unit": lambda i, d: fus.update_finished_unit(
        d(an_id(i["slice"], i["brownie"])),
        **_some(
            d,
            {
                "display_name": texts,
                "yield_mode": choices["yield_mode"],
                "items_per_batch": numbers,
                "batch_percentage": numbers,
                "recipe_id": an_id(i["cake"]),
                "color": texts,
            },
        ),
    ),
    "adjust_finished_unit": lambda i, d: fus.adjust_inventory(
        d(an_id(i["brownie"])),
        d(numbers),
        reason=d(choices["adjustment"]),
        unit_cost=d(st.one_of(st.none(), numbers)),
        notes=d(optional_texts),
    ),
    "create_finished_good": lambda i, d: fgs.create_finished_good(
        d(texts),
        assembly_type=d(choices["assembly_type"]),
        packaging_instructions=d(optional_texts),
        notes=d(optional_texts),
    ),
    "update_finished_good": lambda i, d: fgs.update_finished_good(
        d(an_id(i["gift_bag"])),
        **_some(d, {"display_name": texts, "assembly_type": choices["assembly_type"], "x": texts}),
    ),
    "adjust_finished_good": lambda i, d: fgs.adjust_inventory(
        d(an_id(i["gift_bag"])),
        d(numbers),
        reason=d(choices["adjustment"]),
        unit_cost=d(st.one_of(st.none(), numbers)),
    ),
    "add_component": lambda i, d: fgs.add_component(
        d(an_id(i["holiday_box"], i["gift_bag"])),
        d(choices["component"]),
        d(an_id(i["slice"], i["gift_bag"], i["holiday_box"], i["ribbon_product"])),
        d(numbers),
        notes=d(optional_texts),
    ),
    "update_component_quantity": lambda i, d: fgs.update_component_quantity(
        d(an_id(i["ribbon_line"])), d(numbers)
    ),
    # packages, recipients, events
    "create_package": lambda i, d: ps.create_package(
        d(texts), description=d(optional_texts), is_template=d(bools), notes=d(optional_texts)
    ),
    "add_finished_good_to_package": lambda i, d: ps.add_finished_good_to_package(
        d(an_id(i["deluxe"])), d(an_id(i["gift_bag"], i["holiday_box"])), d(numbers)
    ),
    "add_packaging_to_package": lambda i, d: ps.add_packaging_to_package(
        d(an_id(i["deluxe"])), d(an_id(i["ribbon_product"], i["flour_product"])), d(numbers)
    ),
    "update_package": lambda i, d: ps.update_package(
        d(an_id(i["deluxe"])), **_some(d, {"name": texts, "is_template": bools, "size": texts})
    ),
    "create_recipient": lambda i, d: rcs.create_recipient(
        d(texts),
        household_name=d(optional_texts),
        address=d(optional_texts),
        notes=d(optional_texts),
    ),
    "list_recipients": lambda i, d: rcs.list_recipients(search=d(optional_texts)),
    "update_recipient": lambda i, d: rcs.update_recipient(
        d(an_id(i["grandma"])), **_some(d, {"name": texts, "address": texts, "age": numbers})
    ),
    "delete_recipient": lambda i, d: rcs.delete_recipient(
        d(an_id(i["mail_carrier"])), force=d(bools)
    ),
    "create_event": lambda i, d: es.create_event(
        d(texts), d(dates), year=d(st.one_of(st.none(), numbers)), notes=d(optional_texts)
    ),
    "update_event": lambda i, d: es.update_event(
        d(an_id(i["bake_sale"])),
        **_some(d, {"name": texts, "event_date": dates, "year": numbers, "place": texts}),
    ),
    "clone_event": lambda i, d: es.clone_event(
        d(an_id(i["christmas"])), new_name=d(texts), new_event_date=d(dates)
    ),
    "assign_package_to_recipient": lambda i, d: es.assign_package_to_recipient(
        d(an_id(i["bake_sale"])),
        d(an_id(i["grandma"], i["mail_carrier"])),
        d(an_id(i["cookie_bag"], i["deluxe"])),
        quantity=d(numbers),
        notes=d(optional_texts),
    ),
    "update_assignment": lambda i, d: es.update_assignment(
        d(an_id(i["assignment"])), quantity=d(numbers), notes=d(texts)
    ),
    "fulfillment": lambda i, d: es.update_fulfillment_status(
        d(an_id(i["assignment"])), d(choices["status"]), delivered_to=d(optional_texts)
    ),
    "set_production_target": lambda i, d: es.set_production_target(
        d(an_id(i["bake_sale"])), d(an_id(i["cookies"])), d(numbers), notes=d(optional_texts)
    ),
    "set_assembly_target": lambda i, d: es.set_assembly_target(
        d(an_id(i["bake_sale"])), d(an_id(i["gift_bag"])), d(numbers), notes=d(optional_texts)
    ),
    "set_production_targets": lambda i, d: es.set_production_targets(
        d(an_id(i["christmas"])),
        d(st.dictionaries(an_id(i["cake"], i["brownies"]), numbers, max_size=3)),
    ),
    "get_packages_by_status": lambda i, d: es.get_packages_by_status(
        d(an_id(i["christmas"])), d(st.one_of(st.none(), texts))
    ),
    "list_events": lambda i, d: es.list_events(year=d(st.one_of(st.none(), numbers))),
    "event_progress_and_shopping": lambda i, d: (
        es.get_production_progress(d(an_id(i["christmas"]))),
        es.get_assembly_progress(d(an_id(i["christmas"]))),
        es.get_shopping_list(d(an_id(i["christmas"]))),
        ds.get_event_summary(d(an_id(i["christmas"]))),
    ),
    "delete_event": lambda i, d: es.delete_event(
        d(an_id(i["bake_sale"], i["christmas"])), cascade_assignments=d(bools)
    ),
    # production and assembly
    "check_can_produce": lambda i, d: bps.check_can_produce(d(an_id(i["cookies"])), d(numbers)),
    "record_batch_production": lambda i, d: bps.record_batch_production(
        d(an_id(i["brownies"])),
        d(an_id(i["brownie"])),
        d(st.one_of(st.sampled_from([1, "1", Decimal(1)]), numbers)),
        d(st.one_of(st.sampled_from([16, "15", 0]), numbers)),
        event_id=d(st.one_of(st.none(), an_id(i["bake_sale"]))),
        produced_at=d(timestamps),
        notes=d(optional_texts),
        loss_quantity=d(st.one_of(st.sampled_from([0, None, 1]), numbers)),
        loss_category=d(st.one_of(st.none(), choices["loss"])),
    ),
    "production_history": lambda i, d: bps.get_production_history(
        recipe_id=d(st.one_of(st.none(), an_id(i["cookies"], i["brownies"]))),
        finished_unit_id=d(st.one_of(st.none(), an_id(i["brownie"]))),
        event_id=d(st.one_of(st.none(), an_id(i["bake_sale"], i["christmas"]))),
        start_date=d(st.one_of(st.none(), dates)),
        end_date=d(st.one_of(st.none(), dates)),
        limit=d(st.one_of(st.just(100), numbers)),
        offset=d(st.one_of(st.just(0), numbers)),
    ),
    "void_production_run": lambda i, d: bps.void_production_run(
        d(an_id(i["brownie_run"], i["cookie_run"])), reason=d(texts)
    ),
    "check_can_assemble": lambda i, d: asm.check_can_assemble(d(an_id(i["gift_bag"])), d(numbers)),
    "record_assembly": lambda i, d: asm.record_assembly(
        d(an_id(i["gift_bag"], i["holiday_box"])),
        d(st.one_of(st.sampled_from([1, "1"]), numbers)),
        event_id=d(st.one_of(st.none(), an_id(i["christmas"]))),
        assembled_at=d(timestamps),
        notes=d(optional_texts),
    ),
    "assembly_history": lambda i, d: asm.get_assembly_history(
        finished_good_id=d(st.one_of(st.none(), an_id(i["gift_bag"], i["holiday_box"]))),
        event_id=d(st.one_of(st.none(), an_id(i["christmas"]))),
        start_date=d(st.one_of(st.none(), dates)),
        end_date=d(st.one_of(st.none(), dates)),
    ),
    "void_assembly_run": lambda i, d: asm.void_assembly_run(
        d(an_id(i["assembly"])), reason=d(texts)
    ),
}


def _fuzz_ids(ids: dict[str, int]) -> dict[str, Any]:
    """The sample's ids plus runs, lots, lines and assignments the cases use."""
    runs = {r.finished_unit_id: r.id for r in bps.get_production_history()}
    lots = inv.get_inventory_items()
    flour = next(lot for lot in lots if lot.ingredient_slug == "all_purpose_flour")
    bag = fgs.get_finished_good_detail(ids["gift_bag"])
    ribbon = next(c for c in bag.components if c.component_type == "packaging")
    cookie_recipe = rs.get_recipe_detail(ids["cookies"])
    return ids | {
        "brownie_run": runs[ids["brownie"]],
        "cookie_run": runs[ids["cookie"]],
        "assembly": asm.get_assembly_history()[0].id,
        "flour_lot": flour.id,
        "flour_product": flour.product_id,
        "ribbon_line": ribbon.id,
        "ribbon_product": ribbon.component_id,
        "vanilla_line": next(
            line.id
            for line in cookie_recipe.ingredients
            if line.ingredient_slug == "vanilla_extract"
        ),
        "assignment": es.get_event_assignments(ids["christmas"])[0].id,
    }


LEAKS = ("[SQL:", "sqlalche.me", "Traceback", "sqlite3.", "(Background on this error")


def assert_clear(error: ServiceError) -> None:
    """A message for people: words, not internals."""
    assert isinstance(error.message, str) and error.message.strip(), repr(error)
    assert not any(leak in error.message for leak in LEAKS), error.message


@dataclass(frozen=True)
class KnownBug:
    """A bug reported with its fix and pinned by an ``xfail(strict=True)`` test below.

    While it is open, the fuzzing tolerates exactly this failure (and still checks that nothing was
    written); when it is fixed, its pinned test XPASSes and fails: delete the entry and the mark.
    """

    exception: str
    fragment: str


KNOWN_BUGS: dict[str, KnownBug] = {}  # none open (faults-and-inputs.md, "Bugs found")


def known_bug(error: BaseException) -> str | None:
    for name, bug in KNOWN_BUGS.items():
        if type(error).__name__ == bug.exception and bug.fragment in str(error):
            return name
    return None


class WriteWatch:
    """A number that moves whenever a transaction may have written, read on its own connection.

    SQLite's ``data_version`` moves when another connection commits. On PostgreSQL the next
    transaction id moves whenever a transaction was given one, which every writing (or locking)
    transaction is, committed or not; read-only ones are not.
    """

    def __init__(self, url: str) -> None:
        self.file = sqlite_file(url)
        if self.file is not None:
            self.sqlite = sqlite3.connect(self.file)
        else:
            self.engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def version(self) -> Any:
        if self.file is not None:
            return self.sqlite.execute("PRAGMA data_version").fetchone()[0]
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT pg_snapshot_xmax(pg_current_snapshot())").scalar()

    def close(self) -> None:
        if self.file is not None:
            self.sqlite.close()
        else:
            self.engine.dispose()


class Guard:
    """Runs one call: a result, or a ServiceError with a clear message and nothing written.

    "Nothing written" means the full export equals the one before; when the ``WriteWatch`` has not
    moved, no transaction wrote, which proves it without exporting. An import that answers with a
    list of problems counts as refused: it must not write either.
    """

    def __init__(self, url: str, sound: Callable[[], None] = assert_sound) -> None:
        self.sound = sound
        self.watch = WriteWatch(url)
        self.before: dict | None = None
        self.version = self._version()
        self.results = 0
        self.errors = 0
        self.known: dict[str, int] = {}

    def _version(self) -> Any:
        return self.watch.version()

    def _unchanged(self, what: str) -> None:
        """Nothing written: proved at once when no transaction committed since (data_version did
        not move), else by comparing the full export (a rolled-back savepoint still commits)."""
        if self._version() != self.version:
            assert snapshot() == self.before, f"partial write: {what}"
            self.version = self._version()

    def call(self, function: Callable[[], Any]) -> Any:
        if self.before is None:
            self.before = snapshot()
            self.version = self._version()
        try:
            result = function()
        except ServiceError as error:
            self.errors += 1
            assert_clear(error)
            self._unchanged(error.message)
            return error
        except Exception as error:
            name = known_bug(error)
            if name is None:
                raise
            self.known[name] = self.known.get(name, 0) + 1
            self._unchanged(repr(error))
            return error
        if getattr(result, "errors", None):
            self.errors += 1
            assert all(isinstance(e, str) and e.strip() for e in result.errors), result.errors
            self._unchanged("an import with problems")
            return result
        self.results += 1
        if self._version() != self.version:  # it wrote: check it, and take a new snapshot next time
            self.before = None
            self.sound()
        return result


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_arguments_give_a_result_or_a_clear_service_error(
    name: str, ids: dict[str, int], sample_engine: Engine, sample_url: str
) -> None:
    case = CASES[name]
    fuzz_ids = _fuzz_ids(ids)
    guard = Guard(sample_url)

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        guard.call(lambda: case(fuzz_ids, data.draw))

    try:
        run()
    finally:
        guard.watch.close()
    report(
        f"service fuzz, {name}: {guard.results + guard.errors + sum(guard.known.values())} "
        f"calls, {guard.results} results, {guard.errors} ServiceErrors, known bugs {guard.known}"
    )
    assert_sound(sqlite_file(sample_url))


# --- import: a document with one hostile value imports all or nothing -----------------------------


def fresh_copy(copies: Copies, url: str, engine: Engine | None) -> Engine:
    """The copy at ``url`` gets the template's content back, with an engine bound to it."""
    if engine is not None:
        engine.dispose()
        copies.reset(url)
    made = db.make_engine(url)
    db.bind_engine(made)
    return made


def test_an_import_with_a_hostile_value_is_all_or_nothing(sample_copies: Copies) -> None:
    url = sample_copies.new()
    engines = [fresh_copy(sample_copies, url, None)]
    document = ts.export_data()
    drifted: list[str] = []
    tally = {"imports": 0, "refused": 0}

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        engines.append(fresh_copy(sample_copies, url, engines.pop()))
        sections = [k for k, v in document.items() if isinstance(v, list) and v]
        section = data.draw(st.sampled_from(sections))
        index = data.draw(st.integers(0, len(document[section]) - 1))
        record = dict(document[section][index])
        column = data.draw(st.sampled_from(sorted(record)))
        record[column] = data.draw(st.one_of(numbers, texts, dates, st.none()))
        changed = dict(document) | {section: [*document[section]]}
        changed[section][index] = record
        if data.draw(st.booleans()):
            changed[section].append(dict(record) | {"uuid": f"fuzz-{index}"})
        mode = data.draw(st.sampled_from(["merge", "replace"]))
        guard = Guard(url, sound=sound_or_known_drift)
        try:
            guard.call(lambda: ts.import_data(changed, mode=mode))
        finally:
            guard.watch.close()
        tally["imports"] += 1
        tally["refused"] += guard.errors

    def sound_or_known_drift() -> None:
        """An import that was written must add up (one that does not is refused whole)."""
        drifts = integrity_service.check_invariants()
        drifted.extend(d.describe() for d in drifts)
        assert drifts == [], drifted

    try:
        run()
    finally:
        engines.pop().dispose()
    report(
        f"import fuzz: {tally['imports']} documents, {tally['refused']} refused whole, "
        f"{len(drifted)} accepted with drift"
    )


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"format": "bake-tracker"},
        {"format": "bake-tracker", "version": 99},
        {"format": "bake-tracker", "version": "1"},
        {"format": "other", "version": 1},
        {"format": "bake-tracker", "version": 1, "ingredients": "not a list"},
        {"format": "bake-tracker", "version": 1, "ingredients": [None, 5, "x"]},
        {"format": "bake-tracker", "version": 1, "recipes": [{"name": "x" * 10_000}]},
        {"format": "bake-tracker", "version": 1, "unknown_section": [{}]},
        [],
        "not json",
    ],
)
def test_malformed_import_documents_change_nothing(
    document, sample_engine: Engine, sample_url: str, tmp_path: Path
) -> None:
    guard = Guard(sample_url)
    guard.call(lambda: ts.import_data(document))
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else '{"format": ')
    guard.call(lambda: ts.import_data(path))
    guard.call(lambda: ts.import_data(tmp_path / "missing.json"))
    guard.watch.close()


@pytest.mark.parametrize(
    "path", ["", "/", "/proc/nope/x.json", "/dev/null/x.json", "\x00.json", "dir/"]
)
def test_export_to_a_bad_place_is_a_clear_error(
    path: str, sample_engine: Engine, sample_url: str, tmp_path: Path
) -> None:
    target = path if path.startswith("/") or not path else str(tmp_path / path)
    guard = Guard(sample_url)
    guard.call(lambda: ts.export_data(target))
    guard.call(lambda: ts.export_production_history_csv(target))
    guard.watch.close()


# --- bugs found by the fuzzing, pinned with their exact inputs ------------------------------------

HUGE_IDS = (2**31, 2**63, 2**64, -(2**63) - 1)
LOADERS = {
    "get_recipe": rs.get_recipe,
    "get_product": cs.get_product,
    "get_lot": inv.get_lot,
    "get_finished_unit": fus.get_finished_unit,
    "get_finished_good": fgs.get_finished_good,
    "get_package": ps.get_package,
    "get_recipient": rcs.get_recipient,
    "get_event": es.get_event,
    "get_production_run": bps.get_production_run,
    "get_assembly_run": asm.get_assembly_run,
    "update_fulfillment_status": lambda i: es.update_fulfillment_status(i, "ready"),
    "remove_component": fgs.remove_component,
    "delete_unit_conversion": cs.delete_unit_conversion,
}
FALSE_WHEN_MISSING = {"remove_component"}  # documented: False when there is no such row


def _refused(call: Callable[[], Any]) -> None:
    """The call ends in a clear ServiceError and writes nothing."""
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        call()
    assert_clear(caught.value)
    assert snapshot() == before


@pytest.mark.parametrize("name", list(LOADERS))
def test_an_id_beyond_64_bits_is_not_found(name: str, sample_engine: Engine) -> None:
    for huge in HUGE_IDS:
        if name in FALSE_WHEN_MISSING:
            before = snapshot()
            assert LOADERS[name](huge) is False
            assert snapshot() == before
        else:
            _refused(lambda huge=huge: LOADERS[name](huge))


HISTORY_FILTERS = [
    (bps.get_production_history, "recipe_id"),
    (bps.get_production_history, "finished_unit_id"),
    (bps.get_production_history, "event_id"),
    (asm.get_assembly_history, "finished_good_id"),
    (asm.get_assembly_history, "event_id"),
]


@pytest.mark.parametrize(("history", "key"), HISTORY_FILTERS)
def test_a_history_filter_on_an_id_no_row_could_have_is_refused(
    history: Callable[..., Any], key: str, sample_engine: Engine
) -> None:
    """Ids beyond 64 bits made the driver overflow and a bool was taken for 1 or 0; like
    ``list_lots``, the history refuses them clearly. A valid id of no run matches nothing."""
    field = key.replace("_", " ").capitalize()
    for bad in (*HUGE_IDS, True, False, 0, -1, "1", 1.0):
        _refused(lambda bad=bad: history(**{key: bad}))
        with pytest.raises(ServiceError, match=rf"^{field} must be a whole number from 1 to"):
            history(**{key: bad})
    assert history(**{key: MAX_ID}) == []
    assert history(**{key: None}) == history()


BUG_INPUTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "text that is not UTF-8 (create)": lambda i: rcs.create_recipient("Bad \udc80 name"),
    "text that is not UTF-8 (search)": lambda i: rcs.list_recipients(search="\ud800"),
    "non-text search": lambda i: cs.list_ingredients(search=5),
    "non-text recipe filter": lambda i: rs.list_recipes(category=True),
    "year filter too large": lambda i: es.list_events(year=10**20),
    "year filter too large (summaries)": lambda i: es.list_event_summaries(year=10**20),
    "year filter not a number": lambda i: es.list_events(year=Decimal("sNaN")),
    "event dated before 1900": lambda i: es.create_event("Old Times", "1899-12-31"),
    "event cloned to year 77": lambda i: es.clone_event(
        i["christmas"], new_name="Ancient", new_event_date=date(77, 5, 22)
    ),
    "batch percentage 101 on create": lambda i: fus.create_finished_unit(
        "Odd", i["cake"], items_per_batch=4, batch_percentage=101
    ),
    "batch percentage 150 on update": lambda i: fus.update_finished_unit(
        i["brownie"], batch_percentage=150
    ),
    "event summary of None": lambda i: ds.get_event_summary(None),
    "export to ''": lambda i: ts.export_data(""),
    "export to '/'": lambda i: ts.export_data("/"),
    "export to a path with NUL": lambda i: ts.export_production_history_csv("a\x00.csv"),
}


@pytest.mark.parametrize("name", list(BUG_INPUTS))
def test_inputs_that_escaped_as_other_exceptions(name: str, ids: dict[str, int]) -> None:
    _refused(lambda: BUG_INPUTS[name](ids))


def test_inputs_that_escaped_now_give_their_result(ids: dict[str, int], sample_url: str) -> None:
    """Three of the escaped inputs are valid: the last day of the calendar as the end of a date
    filter (everything up to it), and ``ingredients=None`` (a recipe without lines)."""
    assert len(bps.get_production_history(end_date="9999-12-31")) == len(
        bps.get_production_history()
    )
    assert len(asm.get_assembly_history(end_date=date(9999, 12, 31))) == len(
        asm.get_assembly_history()
    )
    plain = rs.create_recipe(
        "Plain", category="Misc", yield_quantity=1, yield_unit="each", ingredients=None
    )
    assert rs.get_recipe_detail(plain.id).ingredients == []
    assert_sound(sqlite_file(sample_url))


def test_an_import_file_with_text_that_is_not_utf8_is_refused_cleanly(
    sample_engine: Engine, tmp_path
) -> None:
    """JSON may carry a lone surrogate ("\\udc80"); the import must list it, not crash."""
    document = ts.export_data()
    document["recipients"].append(
        dict(document["recipients"][0]) | {"uuid": "bad-text", "name": "Bad \udc80 name"}
    )
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = snapshot()
    try:
        result = ts.import_data(path)
    except ServiceError as error:
        assert_clear(error)
    else:
        assert result.errors, "the bad name was imported"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("mode", "section", "column", "value"),
    [
        ("replace", "inventory_items", "quantity", "0"),
        ("replace", "production_runs", "total_ingredient_cost", "0"),
        ("replace", "finished_good_lots", "quantity_remaining", 0),
        ("merge", "production_runs", "uuid", "copied-run"),
        ("merge", "inventory_items", "uuid", "copied-lot"),
    ],
)
def test_an_import_that_does_not_add_up_is_refused(
    mode: str, section: str, column: str, value: Any, sample_engine: Engine
) -> None:
    """A hand-edited file whose lots, runs or ledgers disagree must be refused as a whole."""
    document = ts.export_data()
    document[section][0] = dict(document[section][0]) | {column: value}
    before = snapshot()
    result = ts.import_data(document, mode=mode)
    assert integrity_service.check_invariants() == []
    assert result.errors and snapshot() == before


@pytest.mark.parametrize("huge", [2**63, 10**30, -(2**63) - 1])
def test_an_import_with_a_whole_number_beyond_64_bits_is_refused(
    huge: int, sample_engine: Engine
) -> None:
    """Bug 1 in the importer: a whole-number column beyond 64 bits overflowed the driver."""
    document = ts.export_data()
    document["finished_units"][0] = dict(document["finished_units"][0]) | {"items_per_batch": huge}
    before = snapshot()
    result = ts.import_data(document, mode="replace")
    assert any("Items per batch is too large" in e for e in result.errors), result.errors
    assert snapshot() == before
