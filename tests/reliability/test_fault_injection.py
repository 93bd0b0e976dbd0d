"""A failure at every statement of every write use case leaves the database as it was.

For each use case the statements it sends to SQLite (and its COMMIT) are counted on a copy of the
sample season; then, on the test's own copy, it is run again N times, the k-th time (k = 1..N) with
an ``InjectedFault`` raised from a ``before_cursor_execute`` (or ``commit``) listener at point k.
After every attempt the full export must equal the one taken before and every invariant must hold;
at the end the use case runs without a fault and must succeed and change something.

A second family raises a conflict at each point of production and assembly (SQLite's "database is
locked", PostgreSQL's "deadlock detected"): the services retry, and the run must then be recorded
exactly once. Both families run on SQLite and, in the PostgreSQL pass, on a cloned server database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from bake_tracker import db
from bake_tracker.services import assembly_service as asm
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import event_service as es
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipe_service as rs
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services import transfer_service as ts
from tests.databases import ON_POSTGRESQL, Copies
from tests.reliability.conftest import assert_sound, report, sample_ids, snapshot, sqlite_file


class InjectedFault(Exception):
    """The failure the tests raise at one point (never a ServiceError: nothing may catch it)."""


@dataclass
class Injector:
    """Counts the statements and commits an engine runs; raises at point ``fail_at`` (1-based)."""

    engine: Engine
    fail_at: int = 0
    seen: int = 0
    fired: str | None = None
    make_error: Callable[[str], BaseException] = InjectedFault
    points: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)

    def arm(self, fail_at: int) -> None:
        self.fail_at, self.seen, self.fired, self.points = fail_at, 0, None, []

    def disarm(self) -> None:
        self.arm(0)

    def _statement(self, _conn, _cursor, statement, _params, _context, _executemany) -> None:
        self._point(" ".join(statement.split())[:70])

    def _commit(self, _conn) -> None:
        self._point("COMMIT")

    def _point(self, what: str) -> None:
        self.seen += 1
        self.points.append(what)
        if self.seen == self.fail_at:
            self.fired = what
            raise self.make_error(f"injected at point {self.seen}: {what}")


# --- the use cases --------------------------------------------------------------------------------


def _run_ids(ids: dict[str, Any]) -> dict[str, Any]:
    """Ids the use cases need beyond the sample's names: runs, lots, lines, assignments."""
    runs = {r.finished_unit_id: r.id for r in bps.get_production_history()}
    assembly = asm.get_assembly_history()[0].id
    lots = inv.get_inventory_items()
    flour = next(lot for lot in lots if lot.ingredient_slug == "all_purpose_flour")
    bag = fgs.get_finished_good_detail(ids["gift_bag"])
    ribbon = next(c for c in bag.components if c.component_type == "packaging")
    cookie_recipe = rs.get_recipe_detail(ids["cookies"])
    assignments = es.get_event_assignments(ids["christmas"])
    conversion = cs.list_unit_conversions("unsalted_butter")[0]
    return ids | {
        "brownie_run": runs[ids["brownie"]],
        "cookie_run": runs[ids["cookie"]],
        "assembly": assembly,
        "flour_lot": flour.id,
        "flour_product": flour.product_id,
        "ribbon_line": ribbon.id,
        "vanilla_line": next(
            line.id
            for line in cookie_recipe.ingredients
            if line.ingredient_slug == "vanilla_extract"
        ),
        "assignment": assignments[0].id,
        "conversion": conversion.id,
    }


def _merge_document(url: str) -> dict:
    """An export of another kitchen (new ingredients, recipe, run, event) to merge in."""
    engine = db.make_engine(url)
    db.bind_engine(engine)
    try:
        oats = cs.create_ingredient("Rolled Oats", category="Grains", recipe_unit="cup")
        product = cs.create_product(oats.slug, purchase_unit="cup", purchase_quantity=10)
        inv.record_purchase(product.id, quantity=30, total_cost="9.00", purchase_date="2025-11-01")
        recipe = rs.create_recipe(
            "Oat Bars",
            category="Bars",
            yield_quantity=12,
            yield_unit="bar",
            ingredients=[("rolled_oats", 3, "cup")],
        )
        unit = fus.create_finished_unit("Oat Bar", recipe.id, items_per_batch=12)
        party = es.create_event("New Year Party", date(2025, 12, 31))
        es.set_production_target(party.id, recipe.id, 2)
        bps.record_batch_production(recipe.id, unit.id, 1, 12, event_id=party.id)
        rcs.create_recipient("Cousin Ana", household_name="Ana & Leo")
        return ts.export_data()
    finally:
        engine.dispose()


UseCase = Callable[[dict[str, Any]], Any]

USE_CASES: dict[str, UseCase] = {
    # production and assembly
    "produce cookies": lambda i: bps.record_batch_production(
        i["cookies"], i["cookie"], 1, 48, event_id=i["christmas"], notes="Fault test"
    ),
    "produce with a sub-recipe": lambda i: bps.record_batch_production(
        i["sugar_cookies"], i["sugar_cookie"], 1, 34, loss_quantity=2, loss_category="broken"
    ),
    "produce nothing good": lambda i: bps.record_batch_production(
        i["brownies"], i["brownie"], 1, 0, loss_quantity=16, loss_category="burnt"
    ),
    "assemble gift bags": lambda i: asm.record_assembly(i["gift_bag"], 1, event_id=i["christmas"]),
    "assemble a nested box": lambda i: asm.record_assembly(i["holiday_box"], 1),
    # voids
    "void a production run": lambda i: bps.void_production_run(i["brownie_run"], reason="wrong"),
    "void an assembly": lambda i: asm.void_assembly_run(i["assembly"], reason="miscounted"),
    # import
    "import replace": lambda i: ts.import_data(i["merge_document"], mode="replace"),
    "import replace with itself": lambda i: ts.import_data(i["export"], mode="replace"),
    "import merge": lambda i: ts.import_data(i["merge_document"], mode="merge"),
    # targets and statuses
    "set a production target": lambda i: es.set_production_target(
        i["christmas"], i["brownies"], 7, notes="more"
    ),
    "set production targets": lambda i: es.set_production_targets(
        i["bake_sale"], {i["cookies"]: 2, i["brownies"]: 5, i["cake"]: 1}
    ),
    "set an assembly target": lambda i: es.set_assembly_target(i["bake_sale"], i["gift_bag"], 4),
    "delete a production target": lambda i: es.delete_production_target(i["bake_sale"], i["cake"]),
    "mark an assignment ready": lambda i: es.update_fulfillment_status(i["assignment"], "ready"),
    "assign a package": lambda i: es.assign_package_to_recipient(
        i["bake_sale"], i["grandma"], i["cookie_bag"], quantity=2
    ),
    "change an assignment": lambda i: es.update_assignment(i["assignment"], quantity=3, notes="x"),
    "remove an assignment": lambda i: es.remove_assignment(i["assignment"]),
    # events
    "create an event": lambda i: es.create_event("Easter 2026", "2026-04-05", notes="Brunch"),
    "update an event": lambda i: es.update_event(i["bake_sale"], name="Spring Sale"),
    "clone an event": lambda i: es.clone_event(
        i["christmas"], new_name="Christmas Again", new_event_date="2027-12-24"
    ),
    # pantry
    "record a purchase": lambda i: inv.record_purchase(
        i["flour_product"], quantity=10, total_cost="13.99", purchase_date="2025-12-01"
    ),
    "add to inventory": lambda i: inv.add_to_inventory(
        i["flour_product"], quantity=5, unit_cost="1.10", purchase_date="2025-12-02"
    ),
    "adjust a lot": lambda i: inv.adjust_lot(i["flour_lot"], "-1.5", reason="spoiled"),
    # catalog
    "create an ingredient": lambda i: cs.create_ingredient(
        "Almond Flour",
        category="Flour",
        recipe_unit="cup",
        density_volume_value=1,
        density_volume_unit="cup",
        density_weight_value="3.4",
        density_weight_unit="oz",
    ),
    "update an ingredient": lambda i: cs.update_ingredient(
        "cocoa_powder", display_name="Dutch Cocoa", notes="darker"
    ),
    "create a product": lambda i: cs.create_product(
        "all_purpose_flour", purchase_unit="lb", purchase_quantity=10, preferred=True
    ),
    "update a product": lambda i: cs.update_product(i["flour_product"], brand="Bob's"),
    "add a unit conversion": lambda i: cs.add_unit_conversion(
        "large_eggs", from_unit="dozen", from_quantity=1, to_unit="each", to_quantity=12
    ),
    "delete a unit conversion": lambda i: cs.delete_unit_conversion(i["conversion"]),
    "create a recipe": lambda i: rs.create_recipe(
        "Shortbread",
        category="Cookies",
        yield_quantity=24,
        yield_unit="cookie",
        ingredients=[("all_purpose_flour", 2, "cup"), ("unsalted_butter", 1, "cup")],
    ),
    "update a recipe": lambda i: rs.update_recipe(i["cake"], yield_quantity=2, notes="double"),
    "add a recipe line": lambda i: rs.add_ingredient_to_recipe(
        i["brownies"], "semi_sweet_chocolate_chips", "0.5", "cup"
    ),
    "change a recipe line": lambda i: rs.update_recipe_ingredient(
        i["vanilla_line"], quantity=2, unit="tsp"
    ),
    "remove a recipe line": lambda i: rs.remove_ingredient_from_recipe(i["vanilla_line"]),
    "add a sub-recipe": lambda i: rs.add_recipe_component(i["cake"], i["icing"], quantity=1),
    "create a finished unit": lambda i: fus.create_finished_unit(
        "Brownie Bite", i["brownies"], items_per_batch=32
    ),
    "update a finished unit": lambda i: fus.update_finished_unit(i["brownie"], items_per_batch=20),
    "adjust finished units up": lambda i: fus.adjust_inventory(
        i["brownie"], 5, reason="count_correction", unit_cost="0.40"
    ),
    "adjust finished units down": lambda i: fus.adjust_inventory(i["cookie"], -3, reason="gift"),
    "adjust finished goods down": lambda i: fgs.adjust_inventory(i["gift_bag"], -1, reason="lost"),
    "create a finished good": lambda i: fgs.create_finished_good("Brownie Tin"),
    "add a component": lambda i: fgs.add_component(
        i["holiday_box"], "finished_unit", i["slice"], 2
    ),
    "change a component": lambda i: fgs.update_component_quantity(i["ribbon_line"], "0.75"),
    "remove a component": lambda i: fgs.remove_component(i["ribbon_line"]),
    "create a package": lambda i: ps.create_package("Teacher Gift", description="small"),
    "add a good to a package": lambda i: ps.add_finished_good_to_package(
        i["deluxe"], i["gift_bag"], 2
    ),
    "create a recipient": lambda i: rcs.create_recipient("Coach Sam", address="1 Field Rd"),
    "update a recipient": lambda i: rcs.update_recipient(i["grandma"], notes="no nuts"),
    "delete a recipient": lambda i: rcs.delete_recipient(i["mail_carrier"], force=True),
}


@pytest.fixture(scope="module")
def merge_document(empty_source: Path | str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    copies = Copies(empty_source, tmp_path_factory.mktemp("merge"))
    try:
        return _merge_document(copies.new())
    finally:
        copies.drop_all()


@dataclass
class Bench:
    """The test's database with its injector, and a scratch copy to count points on."""

    url: str
    engine: Engine
    injector: Injector
    ids: dict[str, Any]


def _bench(url: str, merge_document: dict) -> Bench:
    engine = db.make_engine(url)
    db.bind_engine(engine)
    ids = _run_ids(sample_ids())
    ids["export"] = ts.export_data()
    ids["merge_document"] = merge_document
    return Bench(url, engine, Injector(engine), ids)


@pytest.fixture
def bench(sample_copies: Copies, merge_document: dict) -> Iterator[Bench]:
    made = _bench(sample_copies.new(), merge_document)
    yield made
    made.engine.dispose()


def count_points(copies: Copies, merge_document: dict, use_case: UseCase) -> list:
    """The statements and commits ``use_case`` runs, counted on a scratch copy."""
    scratch = _bench(copies.new(), merge_document)
    try:
        scratch.injector.disarm()
        use_case(scratch.ids)
        return list(scratch.injector.points)
    finally:
        scratch.engine.dispose()


def restore(bench: Bench, copies: Copies) -> None:
    """Put the sample season back under the bench's engine (stock runs out otherwise)."""
    bench.engine.dispose()
    copies.reset(bench.url)


# On PostgreSQL a point costs ~0.3 s (a fresh snapshot of every table each time) and an import runs
# hundreds of statements: there the first and last points and a spread between them are tried.
# The SQLite pass tries every point; the use cases send the same statements on both backends.
PG_POINTS_AT_EACH_END = 10
PG_POINTS_BETWEEN = 20


def points_to_try(count: int) -> list[int]:
    """The fault points to arm, 1-based: every one, or on PostgreSQL a spread of long runs."""
    every = list(range(1, count + 1))
    if not ON_POSTGRESQL or count <= 2 * PG_POINTS_AT_EACH_END + PG_POINTS_BETWEEN:
        return every
    ends = every[:PG_POINTS_AT_EACH_END] + every[-PG_POINTS_AT_EACH_END:]
    step = count / (PG_POINTS_BETWEEN + 1)
    between = [round(step * i) for i in range(1, PG_POINTS_BETWEEN + 1)]
    return sorted(set(ends + between))


@pytest.mark.parametrize("name", list(USE_CASES))
def test_a_fault_at_every_point_changes_nothing(
    name: str, bench: Bench, sample_copies: Copies, merge_document: dict
) -> None:
    use_case = USE_CASES[name]
    points = count_points(sample_copies, merge_document, use_case)
    db.bind_engine(bench.engine)
    assert any(p.startswith(("INSERT", "UPDATE", "DELETE")) for p in points), points
    before = snapshot()
    for k in points_to_try(len(points)):
        bench.injector.arm(k)
        with pytest.raises(InjectedFault):
            use_case(bench.ids)
        bench.injector.disarm()
        assert snapshot() == before, f"{name}: fault at point {k} ({points[k - 1]}) left changes"
        assert_sound()
    tried = len(points_to_try(len(points)))
    report(f"fault injection, {name}: {tried} of {len(points)} points, data lost 0")
    use_case(bench.ids)  # and without a fault it works, on the same database
    if name != "import replace with itself":
        assert snapshot() != before
    assert_sound(sqlite_file(bench.url))


# --- a conflict at every point: the retry records the run exactly once ----------------------------

# What another writer makes the database say: SQLite's busy timeout ran out, or PostgreSQL chose
# this transaction as a deadlock's victim. Both leave nothing written and are retried.
CONFLICT = "deadlock detected" if ON_POSTGRESQL else "database is locked"


def _conflict(message: str) -> BaseException:
    from sqlalchemy.exc import OperationalError

    return OperationalError("injected", {}, Exception(f"{CONFLICT} ({message})"))


@pytest.mark.parametrize(
    ("name", "history"),
    [
        ("produce cookies", lambda: bps.count_production_runs()),
        ("assemble gift bags", lambda: len(asm.get_assembly_history())),
    ],
)
def test_a_conflict_at_any_point_is_retried_and_recorded_once(
    name: str, history, bench: Bench, sample_copies: Copies, merge_document: dict
) -> None:
    use_case = USE_CASES[name]
    points = count_points(sample_copies, merge_document, use_case)
    db.bind_engine(bench.engine)
    bench.injector.make_error = _conflict
    for k in range(1, len(points) + 1):
        restore(bench, sample_copies)
        runs = history()
        bench.injector.arm(k)
        use_case(bench.ids)
        assert bench.injector.fired is not None
        bench.injector.disarm()
        assert history() == runs + 1, f"{name}: lock at point {k} ({points[k - 1]})"
        assert_sound()
    report(f"conflict injection, {name}: {len(points)} points, each recorded exactly once")
    assert_sound(sqlite_file(bench.url))
