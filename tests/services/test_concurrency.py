"""Several processes running the write use cases against the same lots at once.

They ask for more than the pantry holds. Afterwards no lot is over-drawn, every run a worker saw
succeed is in the database with its full ledger, every lot's draws add up to what it lost, and
nothing else changed. Runs on SQLite (one file, several processes) and, in the PostgreSQL pass of
CI, on a shared server database.
"""

from __future__ import annotations

import multiprocessing
from decimal import Decimal as D

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bake_tracker.models import StockAdjustment
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import integrity_service
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import recipe_service as rs

WORKERS = 4
ATTEMPTS = 10  # 20 batches and 20 assemblies asked for; 15 and 10 possible


def _worker(url: str, recipe_id: int, unit_id: int, good_id: int) -> dict[str, int]:
    from bake_tracker.services import database_service
    from bake_tracker.services.errors import DatabaseBusyError, ServiceError

    database_service.open_database(url)
    counts = {"produced": 0, "assembled": 0, "short": 0, "busy": 0}
    try:
        for attempt in range(ATTEMPTS):
            try:
                if attempt % 2 == 0:
                    bps.record_batch_production(recipe_id, unit_id, 1, 2)
                    counts["produced"] += 1
                else:
                    asv.record_assembly(good_id, 1)
                    counts["assembled"] += 1
            except DatabaseBusyError:
                counts["busy"] += 1
            except ServiceError:
                counts["short"] += 1  # not enough left: refused before anything was written
    finally:
        database_service.close_database()
    return counts


def _bread_rolls_and_pairs(bag_lots: list[int], bag_package: int) -> tuple:
    """30 cups of flour in 10 lots (15 batches at most), bags in ``bag_lots``, bread (2 cups a
    batch, 2 rolls) and a "Roll Pair" of two rolls and a bag: (bread, roll, pair)."""
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=3)
    for day in range(1, 11):
        inv.add_to_inventory(
            product.id, quantity=3, unit_cost="0.5", purchase_date=f"2025-01-{day:02}"
        )
    bags = cs.create_ingredient("Bags", category="Bags", recipe_unit="bag", is_packaging=True)
    bag_product = cs.create_product(bags.slug, purchase_unit="bag", purchase_quantity=bag_package)
    for day, quantity in enumerate(bag_lots, start=1):
        inv.add_to_inventory(
            bag_product.id, quantity=quantity, unit_cost="0.1", purchase_date=f"2025-01-{day:02}"
        )
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=2,
        yield_unit="roll",
        ingredients=[("flour", 2, "cup")],
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=2)
    pair = fgs.create_finished_good("Roll Pair")
    fgs.add_component(pair.id, "finished_unit", roll.id, 2)
    fgs.add_component(pair.id, "packaging", bag_product.id, 1)
    return bread, roll, pair


def test_processes_never_overdraw_or_lose_a_run(db_url, engine):
    bread, roll, pair = _bread_rolls_and_pairs([2] * 5, 2)  # 10 bags in 5 lots
    engine.dispose()  # the workers get the database to themselves

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_worker, [(db_url, bread.id, roll.id, pair.id)] * WORKERS)

    produced = sum(r["produced"] for r in results)
    assembled = sum(r["assembled"] for r in results)
    refused = sum(r["short"] + r["busy"] for r in results)
    assert produced + assembled + refused == WORKERS * ATTEMPTS
    assert 0 < produced <= 15 and assembled <= 10
    assert refused > 0  # they really competed for the same lots
    assert len(bps.get_production_history(limit=1000)) == produced  # nothing lost
    assert len(asv.get_assembly_history(limit=1000)) == assembled
    remaining = [
        lot.quantity for lot in inv.get_inventory_items(ingredient_slug="flour", include_empty=True)
    ]
    assert min(remaining) >= 0 and sum(remaining) == D(30) - 2 * produced
    bags_left = [
        lot.quantity for lot in inv.get_inventory_items(ingredient_slug="bags", include_empty=True)
    ]
    assert sum(bags_left) == D(10) - assembled
    # the products' stored totals (what "on hand" reads) add up every worker's draws
    assert inv.get_on_hand("flour") == D(30) - 2 * produced
    assert inv.get_on_hand("bags") == D(10) - assembled
    assert fus.get_finished_unit(roll.id).inventory_count == 2 * produced - 2 * assembled
    assert integrity_service.check_invariants() == []


ADJUSTMENTS = 15


def _adjusting_worker(url: str, what: str, item_id: int) -> dict[str, int]:
    """Take 1 from a pantry lot (``what="lot"``) or a finished unit's stock, ADJUSTMENTS times."""
    from bake_tracker.services import database_service
    from bake_tracker.services.errors import DatabaseBusyError

    database_service.open_database(url)
    counts = {"done": 0, "busy": 0}
    try:
        for _ in range(ADJUSTMENTS):
            try:
                if what == "lot":
                    inv.adjust_lot(item_id, -1, reason="count_correction")
                else:
                    fus.adjust_inventory(item_id, -1, reason="gift")
                counts["done"] += 1
            except DatabaseBusyError:
                counts["busy"] += 1
    finally:
        database_service.close_database()
    return counts


def test_processes_adjusting_one_lot_lose_no_change(db_url, engine):
    """Four processes each take 1 from the same lot 15 times: every acknowledged change is in the
    lot (a read-modify-write in Python lost most of them on PostgreSQL)."""
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=100)
    lot = inv.add_to_inventory(
        product.id, quantity=100, unit_cost="0.5", purchase_date="2025-01-02"
    )
    engine.dispose()

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_adjusting_worker, [(db_url, "lot", lot.id)] * WORKERS)

    done = sum(r["done"] for r in results)
    assert done + sum(r["busy"] for r in results) == WORKERS * ADJUSTMENTS
    assert done >= WORKERS * ADJUSTMENTS * 3 // 4  # retried, not refused, when they collide
    assert inv.get_lot(lot.id).quantity == D(100) - done
    with Session(engine) as session:
        rows = select(func.count()).where(StockAdjustment.inventory_item_id == lot.id)
        assert session.scalar(rows) == done
    assert integrity_service.check_invariants() == []


def test_processes_drawing_finished_units_keep_every_lot_exact(db_url, engine):
    """Four processes each give away 1 roll 15 times from lots whose costs do not divide evenly:
    every acknowledged draw is counted, and every lot's remaining cost still matches its draws
    (PostgreSQL refused with a raw CHECK-constraint error before draws re-checked the lot)."""
    bread = rs.create_recipe(
        "Bread", category="Breads", yield_quantity=3, yield_unit="roll", ingredients=[]
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=3)
    for _ in range(20):  # 60 rolls in 20 lots of 3 at $1.00 each lot: 0.3333 + 0.3333 + 0.3334
        fus.adjust_inventory(roll.id, 3, reason="count_correction", unit_cost="0.3333")
    engine.dispose()

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_adjusting_worker, [(db_url, "unit", roll.id)] * WORKERS)

    done = sum(r["done"] for r in results)
    assert done + sum(r["busy"] for r in results) == WORKERS * ADJUSTMENTS
    assert done >= WORKERS * ADJUSTMENTS * 3 // 4
    assert fus.get_finished_unit(roll.id).inventory_count == 60 - done
    assert integrity_service.check_invariants() == []


MIXED_ATTEMPTS = 12


def _mixed_worker(url: str, ids: dict[str, int]) -> dict[str, int]:
    """Every write use case on the same stock, in turn: produce, assemble, void its own last run,
    give away a finished good, buy flour. Counts what was acknowledged."""
    from bake_tracker.services import database_service
    from bake_tracker.services.errors import DatabaseBusyError, ServiceError

    database_service.open_database(url)
    counts = dict.fromkeys(("produced", "assembled", "voided", "given", "bought", "refused"), 0)
    mine: list[int] = []
    try:
        for attempt in range(MIXED_ATTEMPTS):
            step = attempt % 5
            try:
                if step == 0:
                    run = bps.record_batch_production(ids["recipe"], ids["unit"], 1, 2)
                    mine.append(run.production_run_id)
                    counts["produced"] += 1
                elif step == 1:
                    asv.record_assembly(ids["good"], 1)
                    counts["assembled"] += 1
                elif step == 2 and mine:
                    bps.void_production_run(mine.pop(), reason="test")
                    counts["voided"] += 1
                elif step == 3:
                    fgs.adjust_inventory(ids["good"], -1, reason="gift")
                    counts["given"] += 1
                elif step == 4:
                    inv.record_purchase(
                        ids["product"], quantity=1, total_cost="1.50", purchase_date="2025-02-01"
                    )
                    counts["bought"] += 1
            except (DatabaseBusyError, ServiceError):
                counts["refused"] += 1  # short, in use, or busy: nothing was written
    finally:
        database_service.close_database()
    return counts


def test_processes_running_every_write_use_case_keep_exact_quantities(db_url, engine):
    """Production, assembly, voids, finished-good adjustments and purchases from four processes on
    the same stock: every quantity is exactly what the acknowledged use cases make it."""
    flour = cs.create_ingredient("Flour", category="Flour", recipe_unit="cup")
    product = cs.create_product(flour.slug, purchase_unit="cup", purchase_quantity=3)
    for day in range(1, 5):  # 12 cups to start; each purchase adds 1
        inv.add_to_inventory(
            product.id, quantity=3, unit_cost="0.5", purchase_date=f"2025-01-{day:02}"
        )
    bread = rs.create_recipe(
        "Bread",
        category="Breads",
        yield_quantity=2,
        yield_unit="roll",
        ingredients=[("flour", 2, "cup")],
    )
    roll = fus.create_finished_unit("Roll", bread.id, items_per_batch=2)
    pair = fgs.create_finished_good("Roll Pair")
    fgs.add_component(pair.id, "finished_unit", roll.id, 2)
    ids = {"recipe": bread.id, "unit": roll.id, "good": pair.id, "product": product.id}
    engine.dispose()

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_mixed_worker, [(db_url, ids)] * WORKERS)

    total = {key: sum(r[key] for r in results) for key in results[0]}
    kept = total["produced"] - total["voided"]
    assert total["produced"] > 0 and total["assembled"] > 0 and total["bought"] > 0
    runs = bps.get_production_history(limit=1000, include_voided=True)
    assert len(runs) == total["produced"]
    assert sum(1 for run in runs if run.voided_at is not None) == total["voided"]
    assert len(asv.get_assembly_history(limit=1000)) == total["assembled"]
    flour_left = sum(
        lot.quantity for lot in inv.get_inventory_items(ingredient_slug="flour", include_empty=True)
    )
    assert flour_left == D(12) + total["bought"] - 2 * kept
    assert fus.get_finished_unit(roll.id).inventory_count == 2 * kept - 2 * total["assembled"]
    assert fgs.get_finished_good(pair.id).inventory_count == total["assembled"] - total["given"]
    assert integrity_service.check_invariants() == []


def _event_worker(url: str, ids: dict[str, int]) -> dict[str, int]:
    """Record runs for one event, the same recipe and finished good as every other worker, and
    void its own last production run every third step. Counts what was acknowledged."""
    from bake_tracker.services import database_service
    from bake_tracker.services.errors import DatabaseBusyError, ServiceError

    database_service.open_database(url)
    counts = dict.fromkeys(("produced", "assembled", "voided", "refused"), 0)
    mine: list[int] = []
    try:
        for attempt in range(MIXED_ATTEMPTS):
            try:
                if attempt % 3 == 0:
                    run = bps.record_batch_production(
                        ids["recipe"], ids["unit"], 1, 2, event_id=ids["event"]
                    )
                    mine.append(run.production_run_id)
                    counts["produced"] += 1
                elif attempt % 3 == 1:
                    asv.record_assembly(ids["good"], 1, event_id=ids["event"])
                    counts["assembled"] += 1
                elif mine:
                    bps.void_production_run(mine.pop(), reason="test")
                    counts["voided"] += 1
            except (DatabaseBusyError, ServiceError):
                counts["refused"] += 1  # short, in use, or busy: nothing was written
    finally:
        database_service.close_database()
    return counts


def test_processes_recording_for_one_event_keep_its_totals_equal_to_the_sums(db_url, engine):
    """Four workstations record production and assembly runs for the same event, recipe and
    finished good at once, and void some: the event's stored totals count every live run once
    (the first runs race to create the total's row; later ones add to it)."""
    from bake_tracker.models import EventAssemblyTotal, EventProductionTotal
    from bake_tracker.services import event_service as es
    from bake_tracker.services import totals

    bread, roll, pair = _bread_rolls_and_pairs([10], 10)
    fair = es.create_event("Winter Fair", "2025-12-13")
    ids = {"recipe": bread.id, "unit": roll.id, "good": pair.id, "event": fair.id}
    engine.dispose()

    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_event_worker, [(db_url, ids)] * WORKERS)

    total = {key: sum(r[key] for r in results) for key in results[0]}
    live = total["produced"] - total["voided"]
    assert live > 0 and total["assembled"] > 0
    with Session(engine) as session:
        made = session.get(EventProductionTotal, (fair.id, bread.id))
        assembled = session.get(EventAssemblyTotal, (fair.id, pair.id))
        assert (made.runs, made.num_batches, made.actual_yield) == (live, live, 2 * live)
        assert made.total_ingredient_cost == D("1.0000") * live  # 2 cups at 0.50 each
        assert (assembled.runs, assembled.quantity_assembled) == (total["assembled"],) * 2
        assert assembled.packaging_cost == D("0.1000") * total["assembled"]
        assert list(totals.drifts(session, (totals.PRODUCTION, totals.ASSEMBLY))) == []
    assert integrity_service.check_invariants() == []
