"""The crash test's child: records production and assembly in a loop until it is killed.

``python -m tests.reliability._crash_worker DATABASE_URL SEED`` opens the database as the app does,
prints ``ready``, then loops forever over the use cases a busy kitchen runs: production (with
losses now and then), assembly of gift bags and boxes, voids, lot adjustments, and a purchase
whenever something runs short. Before each use case it prints ``begin <what>``; after it returns
(committed) it prints ``done <what> <id>``, so the parent knows what must have survived the kill.
"""

from __future__ import annotations

import random
import sys

from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    catalog_service,
    database_service,
    finished_good_service,
    finished_unit_service,
    inventory_service,
)
from bake_tracker.services.errors import ServiceError

TOP_UP = 500  # purchase units bought when an ingredient runs short


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def top_up_everything() -> None:
    """Buy TOP_UP purchase units of every preferred product (packaging included)."""
    for ingredient in catalog_service.list_ingredients():
        for product in catalog_service.list_products(ingredient.slug):
            say(f"begin purchase {product.id}")
            made = inventory_service.record_purchase(
                product.id, quantity=TOP_UP, total_cost=TOP_UP, purchase_date="2025-12-01"
            )
            say(f"done purchase {made.id}")


def main(url: str, seed: int) -> None:
    database_service.open_database(url)
    rng = random.Random(seed)
    units = finished_unit_service.list_finished_units()
    goods = finished_good_service.list_finished_goods()
    say("ready")
    recent: list[int] = []
    while True:
        roll = rng.random()
        try:
            if roll < 0.5:
                unit = rng.choice(units)
                batches = rng.randint(1, 2)
                loss = rng.choice([0, 0, 0, 1, 2])
                good = max(0, (unit.items_per_batch or 8) * batches - loss)
                say(f"begin production {unit.id}")
                run = batch_production_service.record_batch_production(
                    unit.recipe_id,
                    unit.id,
                    batches,
                    good,
                    loss_quantity=loss,
                    loss_category="burnt" if loss else None,
                )
                recent.append(run.production_run_id)
                say(f"done production {run.production_run_id}")
            elif roll < 0.85:
                good = rng.choice(goods)
                say(f"begin assembly {good.id}")
                made = assembly_service.record_assembly(good.id, 1)
                say(f"done assembly {made.assembly_run_id}")
            elif roll < 0.93 and recent:
                run_id = recent.pop(rng.randrange(len(recent)))
                say(f"begin void {run_id}")
                batch_production_service.void_production_run(run_id, reason="crash test")
                say(f"done void {run_id}")
            else:
                lot = rng.choice(inventory_service.get_inventory_items())
                say(f"begin adjust {lot.id}")
                inventory_service.adjust_lot(lot.id, "-0.5", reason="spoiled")
                say(f"done adjust {lot.id}")
        except ServiceError as error:  # short of something (or its output was used): buy more
            say(f"refused {type(error).__name__}")
            if type(error).__name__ in ("InsufficientInventoryError", "InsufficientPackagingError"):
                top_up_everything()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
