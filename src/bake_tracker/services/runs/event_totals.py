"""A run's part of its event's stored totals (``event_production_totals``, ``…_assembly_totals``).

Rule: a run counts in its event's total exactly while it is live (not voided) and has an event.
So every write that makes a run live counts it in (``sign`` 1: recording it, importing a live
record) and every write that ends it counts it out (-1: voiding it), in the same transaction as
the run's own rows, through ``services/totals.py``'s guarded moves: two workstations recording for
the same event add up instead of overwriting each other. A run without an event counts nowhere.

The figures moved are the run's own columns (batches, actual yield, ingredient cost; quantity
assembled, component cost) and, for an assembly, the sum of its packaging lines' costs: exactly
what ``totals.rebuild`` sums, so the totals stay equal to the sums (``integrity_service``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from bake_tracker.core.numbers import MONEY_ZERO
from bake_tracker.services import totals


def count_production(session: Session, run: Any, sign: int) -> None:
    """Count ``run`` (a ``ProductionRun`` or the row being written: anything with its columns)
    in (``sign`` 1) or out (-1) of its event's production total."""
    totals.move_production(
        session,
        run.event_id,
        run.recipe_id,
        sign=sign,
        num_batches=run.num_batches,
        actual_yield=run.actual_yield,
        cost=run.total_ingredient_cost,
    )


def count_assembly(session: Session, run: Any, sign: int, packaging_cost: Decimal) -> None:
    """Count ``run`` (an ``AssemblyRun`` or the row being written) in or out of its event's
    assembly total; ``packaging_cost`` is the sum of its packaging lines' ``total_cost``."""
    totals.move_assembly(
        session,
        run.event_id,
        run.finished_good_id,
        sign=sign,
        quantity=run.quantity_assembled,
        cost=run.total_component_cost,
        packaging_cost=packaging_cost,
    )


def count_assembly_run(session: Session, run: Any, sign: int) -> None:
    """``count_assembly`` for an ``AssemblyRun`` whose packaging lines are loaded (or built)."""
    packaging = sum((line.total_cost for line in run.packaging_consumptions), MONEY_ZERO)
    count_assembly(session, run, sign, packaging)
