"""The per-event run totals follow every run write (``services/runs/event_totals.py``).

Every use case that writes a production or assembly run — recording it with or without an event,
voiding it, a refused void, importing history records (live and voided) — leaves
``event_production_totals`` and ``event_assembly_totals`` equal to the sums over the live runs
(``totals.drifts`` empty), and moves the total it should by what the run holds. A use case that
fails at any statement after partial work leaves the totals as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal as D

import pytest
from sqlalchemy import event, select

from bake_tracker import db
from bake_tracker.models import EventAssemblyTotal, EventProductionTotal
from bake_tracker.services import assembly_service as asv
from bake_tracker.services import batch_production_service as bps
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import integrity_service, totals
from bake_tracker.services.errors import EventNotFoundError, RunInUseError, ValidationError

EVENT_TOTALS = (totals.PRODUCTION, totals.ASSEMBLY)


def _drifts() -> list:
    with db.session_scope() as s:
        return list(totals.drifts(s, EVENT_TOTALS))


def _totals() -> dict[tuple, tuple]:
    """{(table, event, item): (runs, count, cost[, packaging])} of every stored event total."""
    found = {}
    with db.session_scope() as s:
        for model, item in (
            (EventProductionTotal, "recipe_id"),
            (EventAssemblyTotal, "finished_good_id"),
        ):
            table = model.__table__
            for row in s.execute(select(table)).mappings():
                key = (table.name, row["event_id"], row[item])
                found[key] = tuple(v for k, v in row.items() if k not in ("event_id", item))
    return found


def _production(plan, event: str, recipe: str = "cookies") -> tuple:
    return _totals().get(
        ("event_production_totals", plan[event].id, plan[recipe].id), (0, 0, 0, D(0))
    )


def _assembly(plan, event: str, good_id: int) -> tuple:
    return _totals().get(("event_assembly_totals", plan[event].id, good_id), (0, 0, D(0), D(0)))


@pytest.fixture
def box(plan):
    """A Holiday Box: one Cookie Gift Bag (a nested finished good) and one more bag."""
    made = fgs.create_finished_good("Holiday Box", assembly_type="gift_box")
    fgs.add_component(made.id, "finished_good", plan["gift"].id, 1)
    fgs.add_component(made.id, "packaging", plan["bags"].id, 1)
    return made


def test_every_run_write_keeps_the_event_totals_equal_to_their_sums(plan, box):
    christmas, gift = plan["christmas"].id, plan["gift"].id
    steps: list[str] = []

    def step(name: str, use_case: Callable[[], object], *, records_only: bool = False):
        result = use_case()
        steps.append(name)
        assert _drifts() == [], f"after {name}"
        if not records_only:  # an imported copy of a run's records draws no lot a second time
            assert integrity_service.check_invariants() == [], f"after {name}"
        return result

    cookies, cookie = plan["cookies"].id, plan["cookie"].id
    first = step(
        "produce for Christmas",
        lambda: bps.record_batch_production(cookies, cookie, 2, 90, event_id=christmas),
    )
    assert _production(plan, "christmas") == (1, 2, 90, first.total_ingredient_cost)
    step("produce without an event", lambda: bps.record_batch_production(cookies, cookie, 1, 48))
    assert _production(plan, "christmas")[:3] == (1, 2, 90)  # counted nowhere
    burnt = step(
        "produce nothing good for Easter",
        lambda: bps.record_batch_production(
            plan["brownies"].id,
            plan["brownie"].id,
            1,
            0,
            event_id=plan["easter"].id,
            loss_quantity=16,
            loss_category="burnt",
        ),
    )
    assert _production(plan, "easter", "brownies") == (1, 1, 0, burnt.total_ingredient_cost)
    extra = step(
        "produce again for Christmas",
        lambda: bps.record_batch_production(cookies, cookie, 1, 40, event_id=christmas),
    )
    both = first.total_ingredient_cost + extra.total_ingredient_cost
    assert _production(plan, "christmas") == (2, 3, 130, both)
    step(
        "void a Christmas run",
        lambda: bps.void_production_run(extra.production_run_id, reason="typo"),
    )
    assert _production(plan, "christmas") == (1, 2, 90, first.total_ingredient_cost)
    step(
        "void the Easter run",
        lambda: bps.void_production_run(burnt.production_run_id, reason="typo"),
    )
    assert _production(plan, "easter", "brownies") == (0, 0, 0, D(0))

    bags = step("assemble for Christmas", lambda: asv.record_assembly(gift, 2, event_id=christmas))
    packaging = sum((c.total_cost for c in bags.packaging_consumptions), D(0))
    assert packaging > 0
    assert _assembly(plan, "christmas", gift) == (1, 2, bags.total_component_cost, packaging)
    step("assemble without an event", lambda: asv.record_assembly(gift, 1))
    assert _assembly(plan, "christmas", gift)[:2] == (1, 2)
    nested = step(
        "assemble a nested box for Christmas",
        lambda: asv.record_assembly(box.id, 1, event_id=christmas),
    )
    box_packaging = sum((c.total_cost for c in nested.packaging_consumptions), D(0))
    assert _assembly(plan, "christmas", box.id) == (
        1,
        1,
        nested.total_component_cost,
        box_packaging,
    )
    # refused writes move nothing: a void of a run whose output was used, a void twice, an
    # assembly for an event that does not exist
    before = _totals()
    with pytest.raises(RunInUseError):
        step(
            "void a run whose output was used",
            lambda: asv.void_assembly_run(bags.assembly_run_id, reason="x"),
        )
    with pytest.raises(EventNotFoundError):
        step("assemble for no such event", lambda: asv.record_assembly(gift, 1, event_id=99_999))
    with pytest.raises(ValidationError):
        step(
            "void a voided run",
            lambda: bps.void_production_run(extra.production_run_id, reason="again"),
        )
    assert _totals() == before and _drifts() == []
    step("void the nested box", lambda: asv.void_assembly_run(nested.assembly_run_id, reason="x"))
    assert _assembly(plan, "christmas", box.id) == (0, 0, D(0), D(0))
    step("void the bags", lambda: asv.void_assembly_run(bags.assembly_run_id, reason="x"))
    assert _assembly(plan, "christmas", gift) == (0, 0, D(0), D(0))
    again = step("assemble again", lambda: asv.record_assembly(gift, 1, event_id=christmas))
    again_packaging = sum((c.total_cost for c in again.packaging_consumptions), D(0))

    # history records imported as new runs (new uuids): live ones count, voided ones do not
    production = _renamed(bps.export_production_history(), "production_runs")
    assembly = _renamed(asv.export_assembly_history(), "assembly_runs")
    imported = step(
        "import production history",
        lambda: bps.import_production_history(production),
        records_only=True,
    )
    assert imported.imported == 4 and not imported.errors
    assert _production(plan, "christmas") == (2, 4, 180, 2 * first.total_ingredient_cost)
    assert _production(plan, "easter", "brownies") == (0, 0, 0, D(0))  # imported voided
    imported = step(
        "import assembly history",
        lambda: asv.import_assembly_history(assembly),
        records_only=True,
    )
    assert imported.imported == 4 and not imported.errors
    cost = 2 * again.total_component_cost
    assert _assembly(plan, "christmas", gift) == (2, 2, cost, 2 * again_packaging)
    assert _assembly(plan, "christmas", box.id) == (0, 0, D(0), D(0))  # imported voided
    assert len(steps) == 14


def _renamed(document: dict, key: str) -> dict:
    """The history document with every run given a new uuid (so it imports as new runs)."""
    for record in document[key]:
        record["uuid"] = str(uuid.uuid4())
    return document


# --- a fault at any statement leaves the totals as they were ------------------------------------


class InjectedFault(Exception):
    """Raised from the engine at one statement (never a ServiceError: nothing catches it)."""


def _fault_at(engine, point: int) -> Callable[[], bool]:
    """Raise ``InjectedFault`` at the ``point``-th statement or commit ``engine`` sends; returns
    a function that removes the listeners and says whether the fault fired."""
    seen = {"n": 0, "fired": False}

    def count(*_args) -> None:
        seen["n"] += 1
        if seen["n"] == point:
            seen["fired"] = True
            raise InjectedFault(f"point {point}")

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", count)

    def remove() -> bool:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", count)
        return seen["fired"]

    return remove


def _run_ids(plan) -> dict[str, int]:
    """A live run of each kind for Christmas (to void) and a history document to import."""
    christmas, cookies, cookie = plan["christmas"].id, plan["cookies"].id, plan["cookie"].id
    bps.record_batch_production(cookies, cookie, 2, 96)  # what the assemblies draw (FIFO)
    bags = asv.record_assembly(plan["gift"].id, 1, event_id=christmas)
    made = bps.record_batch_production(cookies, cookie, 1, 48, event_id=christmas)
    return {"production": made.production_run_id, "assembly": bags.assembly_run_id}


FAULT_CASES = {
    "produce for an event": lambda p, ids: bps.record_batch_production(
        p["cookies"].id, p["cookie"].id, 1, 48, event_id=p["christmas"].id
    ),
    "assemble for an event": lambda p, ids: asv.record_assembly(
        p["gift"].id, 2, event_id=p["christmas"].id
    ),
    "void a production run": lambda p, ids: bps.void_production_run(
        ids["production"], reason="fault test"
    ),
    "void an assembly run": lambda p, ids: asv.void_assembly_run(
        ids["assembly"], reason="fault test"
    ),
    "import production history": lambda p, ids: bps.import_production_history(
        _renamed(bps.export_production_history(), "production_runs")
    ),
    "import assembly history": lambda p, ids: asv.import_assembly_history(
        _renamed(asv.export_assembly_history(), "assembly_runs")
    ),
}


@pytest.mark.parametrize("name", list(FAULT_CASES))
def test_a_fault_at_any_statement_leaves_the_event_totals_as_they_were(name, plan, engine):
    ids = _run_ids(plan)
    before = _totals()
    use_case = FAULT_CASES[name]
    for point in range(1, 500):
        remove = _fault_at(engine, point)
        try:
            use_case(plan, ids)
        except InjectedFault:
            pass
        finally:
            fired = remove()
        if not fired:  # past the use case's last statement: it ran to the end
            break
        assert _totals() == before, f"{name}: a fault at point {point} moved a total"
        assert _drifts() == []
    assert point > 3, "the use case sent too few statements to test anything"
    assert _totals() != before  # and without a fault it moved the totals
    assert _drifts() == []
