"""finished_stock.covering_lots: plans from the leading finished lots are the plans over every
open lot (draw for draw, cost for cost, with the same ``available``)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event as sa_event

from bake_tracker import db
from bake_tracker.models import FinishedGood, FinishedUnit
from bake_tracker.services import finished_good_service as fgs
from bake_tracker.services import finished_stock
from bake_tracker.services import finished_unit_service as fus
from bake_tracker.services import recipe_service as rs


def _stock(session, item, rng: random.Random, lots: int) -> None:
    """``lots`` lots whose dates are shuffled against their ids (a few share a date), then the
    oldest emptied by a draw so the open lots start past some that hold nothing."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for _ in range(lots):
        finished_stock.adjust_stock(
            session,
            item,
            rng.randint(1, 9),
            reason="count_correction",
            unit_cost=D(rng.randint(1, 400)) / 100,
            adjusted_at=start + timedelta(days=rng.randint(0, 10)),
        )
    finished_stock.adjust_stock(
        session, item, -7, reason="other", unit_cost=None, adjusted_at=start + timedelta(days=40)
    )


@pytest.fixture
def stocked(engine):
    """A cookie and a gift box (two items of each kind), each with about 25 open lots."""
    recipe = rs.create_recipe(
        "Cookies", category="Cookies", yield_quantity=10, yield_unit="cookie", ingredients=[]
    )
    cookies = [fus.create_finished_unit(n, recipe.id, items_per_batch=10) for n in ("A", "B")]
    goods = [fgs.create_finished_good(n, assembly_type="gift_box") for n in ("Box", "Tin")]
    rng = random.Random(11)
    with db.session_scope() as s:
        for item in [s.get(FinishedUnit, c.id) for c in cookies]:
            _stock(s, item, rng, 25)
        for item in [s.get(FinishedGood, g.id) for g in goods]:
            _stock(s, item, rng, 25)
    return {FinishedUnit: [c.id for c in cookies], FinishedGood: [g.id for g in goods]}


def _plans(item_type, item_ids, need: int, per_item: int):
    """({id: plan from covering_lots}, {id: plan over every open lot}, lot statements sent)."""
    sent: list[str] = []
    engine = db.SessionLocal.kw["bind"]
    listener = lambda *a: sent.append(a[2])  # noqa: E731
    with db.session_scope() as s:
        sa_event.listen(engine, "before_cursor_execute", listener)
        try:
            covering = finished_stock.covering_lots(
                s, item_type, dict.fromkeys(item_ids, need), per_item
            )
        finally:
            sa_event.remove(engine, "before_cursor_execute", listener)
        every = finished_stock.open_lots_for(s, item_type, item_ids)
    lead = {i: finished_stock.plan_draws(c.lots, i, need, c.held) for i, c in covering.items()}
    full = {i: finished_stock.plan_draws(lots, i, need) for i, lots in every.items()}
    return lead, full, [sql for sql in sent if "_lots" in sql]


@pytest.mark.parametrize("item_type", [FinishedUnit, FinishedGood])
@pytest.mark.parametrize("need", [0, 1, 5, 12, 30, 60, 110, 10**6])
@pytest.mark.parametrize("per_item", [1, 2, 4])
def test_a_plan_from_the_leading_lots_is_the_plan_over_every_lot(
    stocked, item_type, need, per_item
):
    lead, full, sent = _plans(item_type, stocked[item_type], need, per_item)
    assert lead == full
    assert len(sent) in (1, 2)


def test_every_open_lot_is_read_only_when_the_leading_ones_fall_short(stocked):
    ids = stocked[FinishedUnit]
    lead, full, sent = _plans(FinishedUnit, ids, 3, 4)
    assert all(plan.satisfied for plan in full.values()) and lead == full
    assert len(sent) == 1  # the leading lots covered both
    lead, full, sent = _plans(FinishedUnit, ids, 60, 4)
    assert all(len(plan.draws) > 4 for plan in full.values()) and lead == full
    assert len(sent) == 2  # beyond the leading lots: every open lot, once, for both items
    lead, full, sent = _plans(FinishedUnit, ids, 10**6, 4)
    assert not any(plan.satisfied for plan in full.values()) and lead == full
    assert all(plan.available == sum(d.quantity for d in plan.draws) for plan in lead.values())


def test_an_item_whose_leading_lots_are_all_it_has_is_read_once(stocked):
    # more lots per item than any item has: the first read is complete, even when short
    lead, full, sent = _plans(FinishedGood, stocked[FinishedGood], 10**6, 100)
    assert lead == full and len(sent) == 1


def test_an_item_without_open_lots_plans_nothing(stocked):
    cookie = stocked[FinishedUnit][0]
    with db.session_scope() as s:
        held = finished_stock.covering_lots(s, FinishedUnit, {cookie: 1})[cookie].held
    fus.adjust_inventory(cookie, -held, reason="other")
    lead, full, sent = _plans(FinishedUnit, [cookie], 5, 2)
    assert lead == full and lead[cookie].available == 0 and not lead[cookie].draws
    assert len(sent) == 1
