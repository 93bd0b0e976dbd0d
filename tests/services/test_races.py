"""Two workstations on one PostgreSQL database, one step at a time: the races made deterministic.

Workstation A starts a use case; just before A sends the statement that changes a shared quantity,
workstation B (its own engine and connections, like another computer) runs a whole use case on the
same rows and commits. Then A goes on. Under READ COMMITTED, A's earlier reads are stale by then:
a read-modify-write in Python would write back what A saw and lose B's change, and a finished-unit
draw planned on stale lots used to break the remaining-cost CHECK. The guarded set-based updates
must keep both changes (or make A run again on fresh data).

SQLite cannot interleave like this (a write transaction holds the whole file from its start), so
these run in the PostgreSQL pass only; the multi-process tests in ``test_concurrency`` run on both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from bake_tracker import db
from bake_tracker.models import StockAdjustment
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import integrity_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs

pytestmark = pytest.mark.postgresql_only


@contextmanager
def other_workstation_first(
    engine: Engine, db_url: str, statement: str, other: Callable[[], object]
) -> Iterator[list[str]]:
    """Run ``other`` (committed, on its own engine) just before ``engine`` first sends a statement
    starting with ``statement``; yields the list of statements it fired before (one, or none)."""
    fired: list[str] = []
    second = db.make_engine(db_url)

    def before(_conn, _cursor, sql, _params, _context, _many) -> None:
        if not fired and " ".join(sql.split()).upper().startswith(statement):
            fired.append(sql)
            db.bind_engine(second)
            try:
                other()
            finally:
                db.bind_engine(engine)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)
        second.dispose()


def _flour_lot(quantity: int):
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=quantity)
    return inv.add_to_inventory(
        product.id, quantity=quantity, unit_cost="0.5", purchase_date="2025-01-02"
    )


def _rolls(lots: int, per_lot: int = 3):
    bread = rs.create_recipe(
        "Bread", category="Breads", yield_quantity=per_lot, yield_unit="roll", ingredients=[]
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=per_lot)
    for _ in range(lots):  # lots whose cost does not divide evenly: 0.3333 + 0.3333 + 0.3334
        fus.adjust_inventory(roll.id, per_lot, reason="count_correction", unit_cost="0.3333")
    return roll


def test_a_lot_adjusted_by_two_workstations_keeps_both_changes(db_url, engine):
    lot = _flour_lot(10)
    with other_workstation_first(
        engine,
        db_url,
        "UPDATE INVENTORY_ITEMS",
        lambda: inv.adjust_lot(lot.id, -2, reason="count_correction"),
    ) as fired:
        inv.adjust_lot(lot.id, -1, reason="spoiled")
    assert fired, "workstation B never ran in between"
    assert inv.get_lot(lot.id).quantity == D(7)  # a Python read-modify-write left 9
    with Session(engine) as session:
        rows = select(func.count()).where(StockAdjustment.inventory_item_id == lot.id)
        assert session.scalar(rows) == 2
    assert integrity_service.check_invariants() == []


def test_finished_units_drawn_by_two_workstations_keep_every_lot_exact(db_url, engine):
    roll = _rolls(lots=3)
    with other_workstation_first(
        engine,
        db_url,
        "UPDATE FINISHED_UNIT_LOTS",
        lambda: fus.adjust_inventory(roll.id, -4, reason="gift"),
    ) as fired:
        fus.adjust_inventory(roll.id, -3, reason="gift")  # planned on lots B then drew from
    assert fired
    assert fus.get_finished_unit(roll.id).inventory_count == 9 - 7
    assert integrity_service.check_invariants() == []


def test_an_assembly_racing_a_draw_of_its_finished_units_is_retried_not_broken(db_url, engine):
    roll = _rolls(lots=4)
    pair = fgs.create_finished_good("Roll Pair")
    fgs.add_component(pair.id, "finished_unit", roll.id, 2)
    with other_workstation_first(
        engine,
        db_url,
        "UPDATE FINISHED_UNIT_LOTS",
        lambda: fus.adjust_inventory(roll.id, -3, reason="gift"),
    ) as fired:
        run = asv.record_assembly(pair.id, 2)
    assert fired
    assert run.quantity_assembled == 2
    assert fus.get_finished_unit(roll.id).inventory_count == 12 - 3 - 4
    assert fgs.get_finished_good(pair.id).inventory_count == 2
    assert integrity_service.check_invariants() == []


def test_a_draw_that_finds_too_little_after_the_other_workstation_is_refused_cleanly(
    db_url, engine
):
    """B takes what A planned to take; A runs again on fresh data and finds too little: a clear
    refusal, and B's change stands."""
    roll = _rolls(lots=2)
    with (
        other_workstation_first(
            engine,
            db_url,
            "UPDATE FINISHED_UNIT_LOTS",
            lambda: fus.adjust_inventory(roll.id, -5, reason="gift"),
        ) as fired,
        pytest.raises(Exception) as caught,
    ):
        fus.adjust_inventory(roll.id, -4, reason="gift")
    assert fired
    assert "constraint" not in str(caught.value).lower()
    assert type(caught.value).__name__ != "IntegrityError"
    assert fus.get_finished_unit(roll.id).inventory_count == 1
    assert integrity_service.check_invariants() == []


def _flour_and_bread():
    """Flour in two lots of one product (10 + 10 cups) and bread that takes 2 cups a batch."""
    first = _flour_lot(10)
    second = inv.add_to_inventory(
        first.product_id, quantity=10, unit_cost="0.6", purchase_date="2025-01-03"
    )
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=2,
        yield_unit="roll",
        ingredients=[("flour", 2, "cup")],
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=2)
    return first, second, bread, roll


@pytest.mark.parametrize(
    "other, change",
    [
        ("adds a lot", 5),  # B's upsert of the product's total lands first
        ("draws another lot", -3),  # B's guarded decrease of the total lands first
    ],
)
def test_two_workstations_moving_one_product_total_keep_both_changes(db_url, engine, other, change):
    """A draws for production; just before A moves the product's stock total, B changes the same
    product (another lot) and commits: the total ends as the sum of every lot."""
    first, second, bread, roll = _flour_and_bread()
    b = {
        "adds a lot": lambda: inv.add_to_inventory(
            first.product_id, quantity=5, unit_cost="0.7", purchase_date="2025-01-04"
        ),
        "draws another lot": lambda: inv.adjust_lot(second.id, -3, reason="spoiled"),
    }[other]
    with other_workstation_first(engine, db_url, "UPDATE PRODUCT_STOCK_TOTALS", b) as fired:
        bps.record_batch_production(bread.id, roll.id, 2, 4)  # 4 cups from the first lot
    assert fired, "workstation B never ran in between"
    assert inv.get_on_hand("flour") == D(20) - 4 + change  # a lost update would leave one out


def _bread_for(event_name: str):
    """(event id, recipe id, finished unit id) of a recipe without ingredients, so the two
    workstations share nothing but the event's production total (no lot row to wait on)."""
    from bake_tracker.services import event_service as es

    bread = rs.create_recipe(
        "Bread", category="Breads", yield_quantity=3, yield_unit="roll", ingredients=[]
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=3)
    return es.create_event(event_name, "2025-12-13").id, bread.id, roll.id


def _production_total(engine: Engine, event_id: int, recipe_id: int) -> tuple:
    from bake_tracker.models import EventProductionTotal

    with Session(engine) as session:
        row = session.get(EventProductionTotal, (event_id, recipe_id))
        return (row.runs, row.num_batches, row.actual_yield)


def test_two_workstations_recording_for_one_event_and_recipe_both_count(db_url, engine):
    """A records a run; just before A adds it to the event's total, B records another run of the
    same event and recipe and commits (creating the total's row). A's upsert then adds to B's
    row: a total written from what A read earlier would hold one run, not two."""
    from bake_tracker.services import batch_production_service as bps
    from bake_tracker.services import totals

    fair, bread, roll = _bread_for("Winter Fair")
    with other_workstation_first(
        engine,
        db_url,
        "INSERT INTO EVENT_PRODUCTION_TOTALS",
        lambda: bps.record_batch_production(bread, roll, 1, 2, event_id=fair),
    ) as fired:
        bps.record_batch_production(bread, roll, 2, 6, event_id=fair)
    assert fired
    assert _production_total(engine, fair, bread) == (2, 3, 8)
    with Session(engine) as session:
        assert list(totals.drifts(session, (totals.PRODUCTION,))) == []
    assert integrity_service.check_invariants() == []


def test_a_void_racing_a_run_of_the_same_event_keeps_the_run(db_url, engine):
    """A voids a run; just before A takes it out of the event's total, B records another run of
    the same event and recipe. The guarded decrease keeps B's run in the total."""
    from bake_tracker.services import batch_production_service as bps

    fair, bread, roll = _bread_for("Winter Fair")
    burnt = bps.record_batch_production(
        bread, roll, 1, 0, event_id=fair, loss_quantity=3, loss_category="burnt"
    )
    with other_workstation_first(
        engine,
        db_url,
        "UPDATE EVENT_PRODUCTION_TOTALS",
        lambda: bps.record_batch_production(bread, roll, 2, 6, event_id=fair),
    ) as fired:
        bps.void_production_run(burnt.production_run_id, reason="burnt, never counted")
    assert fired
    assert _production_total(engine, fair, bread) == (1, 2, 6)
    assert integrity_service.check_invariants() == []


def test_two_workstations_voiding_one_run_void_it_once(db_url, engine):
    """B voids a run just before A, which had already loaded it, checks it: A must then see B's
    void (its lock re-reads the run) and refuse, not restore the flour a second time nor count
    the run out of the event's total twice."""
    from bake_tracker.models import EventProductionTotal
    from bake_tracker.services import batch_production_service as bps
    from bake_tracker.services import event_service as es
    from bake_tracker.services.errors import ValidationError

    lot = _flour_lot(10)
    fair = es.create_event("Winter Fair", "2025-12-13")
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=3,
        yield_unit="roll",
        ingredients=[("flour", 2, "cup")],
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=3)
    bps.record_batch_production(bread.id, roll.id, 1, 3, event_id=fair.id)  # stays
    run = bps.record_batch_production(bread.id, roll.id, 1, 3, event_id=fair.id)
    with (
        other_workstation_first(
            engine,
            db_url,
            "SELECT FINISHED_UNIT_LOTS",
            lambda: bps.void_production_run(run.production_run_id, reason="B"),
        ) as fired,
        pytest.raises(ValidationError, match="already voided"),
    ):
        bps.void_production_run(run.production_run_id, reason="A")
    assert fired
    assert inv.get_lot(lot.id).quantity == D(8)  # restored once: 10 - 2 - 2 + 2
    with Session(engine) as session:
        total = session.get(EventProductionTotal, (fair.id, bread.id))
        assert (total.runs, total.num_batches, total.actual_yield) == (1, 1, 3)
    assert integrity_service.check_invariants() == []
