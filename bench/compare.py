"""Figures that a performance change must leave identical, written as JSON for a before/after diff.

``python -m bench.compare DATABASE OUT.json`` reads, on a scratch copy of ``DATABASE`` (a generated
data set), every figure the budgeted reads produce: the dashboard over every event, each event's
recipe cost breakdown and progress, the estimated price of every ingredient and the estimated
cost of one batch of every recipe, what is on hand of every ingredient, FIFO dry-run plans of every
ingredient for small, medium and large needs (each lot drawn and its cost), check_can_produce
for every recipe and check_can_assemble for every finished good. Run it once with the code before
a change and once after, on the same data set, and compare the two files (``cmp``): performance
work must not move a single digit.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from bake_tracker import db
from bake_tracker.models import FinishedGood, Ingredient, Recipe
from bake_tracker.services import (
    assembly_service,
    batch_estimates,
    batch_production_service,
    dashboard_service,
    event_service,
    inventory_service,
    recipe_tree,
)
from bake_tracker.services.runs import assembly_plan
from bench.generate import TODAY


def _plain(value):
    if is_dataclass(value):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def figures() -> dict:
    """Every figure listed in the module docstring, from the bound database."""
    out: dict = {}
    out["dashboard"] = _plain(
        dashboard_service.get_dashboard_summary(include_past=True, today=TODAY)
    )
    with db.session_scope() as s:
        events = [e.event_id for e in dashboard_service.get_dashboard_summary(include_past=True)]
        ingredients = s.scalars(select(Ingredient).order_by(Ingredient.id)).all()
        out["prices"] = _plain(recipe_tree.recipe_unit_prices(s, ingredients))
        recipe_ids = list(s.scalars(select(Recipe.id).order_by(Recipe.id)))
        out["batch_costs"] = _plain(batch_estimates.estimate_batch_costs(s, recipe_ids))
        slugs = [i.slug for i in ingredients]
        good_ids = list(s.scalars(select(FinishedGood.id).order_by(FinishedGood.id)))
    out["breakdown"] = {e: _plain(dashboard_service.get_recipe_cost_breakdown(e)) for e in events}
    out["progress"] = {
        e: _plain(
            (
                event_service.get_production_progress(e),
                event_service.get_assembly_progress(e),
                event_service.get_event_overall_progress(e),
            )
        )
        for e in events
    }
    out["on_hand"] = {slug: str(inventory_service.get_on_hand(slug)) for slug in slugs}
    plans = {}
    for slug in slugs:
        held = inventory_service.get_on_hand(slug)
        for share in (Decimal("0.01"), Decimal("0.3"), Decimal("1.2")):
            need = (held * share).quantize(Decimal("0.001")) or Decimal("1")
            plans[f"{slug} {need}"] = _plain(
                inventory_service.consume_fifo(slug, need, dry_run=True)
            )
    out["plans"] = plans
    out["can_produce"] = {
        r: _plain(batch_production_service.check_can_produce(r, 2)) for r in recipe_ids
    }
    out["can_assemble"] = {g: _plain(assembly_service.check_can_assemble(g, 3)) for g in good_ids}
    out["assembly_plans"] = _assembly_plans(good_ids)
    return out


def _assembly_plans(good_ids: list[int]) -> dict[str, object]:
    """Every good's assembly plan (each finished lot drawn and its cost, packaging draws) for a
    few assemblies and for more than most goods' stock holds (finished lots beyond the leading)."""
    plans: dict[str, object] = {}
    with db.session_scope() as s:
        for good_id in good_ids:
            good = assembly_plan.load_good(s, good_id)
            for count in (1, 3, 25):
                parts = assembly_plan.plan(s, good, count)
                plans[f"{good_id} x{count}"] = [
                    [
                        str(part.needed),
                        str(part.available),
                        _plain((part.stock_plan or part.fifo_plan)._asdict()),
                    ]
                    for part in parts
                ]
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        shutil.copyfile(args.database, copy)
        engine = db.make_engine(f"sqlite:///{copy}")
        db.bind_engine(engine)
        try:
            result = figures()
        finally:
            engine.dispose()
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"{args.out}: {sum(len(v) for v in result.values()):,} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
