"""The pure FIFO planner: pantry lots as scenario tables, then whole units of finished stock.

Each pantry row reads: lots as ``(id, date, quantity, unit, unit cost)``, the need and its unit,
then the expected draws as ``(lot id, quantity taken in the lot's unit, cost)``, the shortfall and
the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bake_tracker.core.fifo import (
    EACH,
    LotSnapshot,
    StockLot,
    plan_fifo,
    plan_units,
    unit_draw_cost,
)
from bake_tracker.core.numbers import round_money
from bake_tracker.core.units import CustomConversion, Density, convert

RYE = Density(D(1), "cup", D("113.398"), "g")
FLOUR_120 = Density(D(1), "cup", D(120), "g")
BUTTER = (CustomConversion("stick", D(1), "cup", D("0.5")),)


def lots(*rows) -> list[LotSnapshot]:
    return [
        LotSnapshot(lot_id=i, lot_date=date.fromisoformat(d), quantity=D(q), unit=u, unit_cost=D(c))
        for i, d, q, u, c in rows
    ]


def converter(density=None, custom=()):
    return lambda q, a, b: convert(q, a, b, density=density, custom=custom)


SCENARIOS = [
    pytest.param(
        lots((1, "2025-01-01", "10", "cup", "0.10"), (2, "2025-02-01", "10", "cup", "0.12")),
        ("2", "cup", None),
        [(1, "2", "0.2000")],
        "0",
        "0.2000",
        id="oldest lot first",
    ),
    pytest.param(
        lots((1, "2024-01-01", "3", "cup", "0.50"), (2, "2024-02-01", "10", "cup", "0.80")),
        ("4", "cup", None),
        [(1, "3", "1.5000"), (2, "1", "0.8000")],
        "0",
        "2.3000",
        id="spills into the next lot",
    ),
    pytest.param(
        lots((7, "2025-03-01", "5", "cup", "1.00"), (3, "2025-01-01", "5", "cup", "2.00")),
        ("6", "cup", None),
        [(3, "5", "10.0000"), (7, "1", "1.0000")],
        "0",
        "11.0000",
        id="date beats id and input order",
    ),
    pytest.param(
        lots((9, "2025-01-01", "5", "cup", "1.00"), (4, "2025-01-01", "5", "cup", "2.00")),
        ("6", "cup", None),
        [(4, "5", "10.0000"), (9, "1", "1.0000")],
        "0",
        "11.0000",
        id="same date: lower id first",
    ),
    pytest.param(
        lots(
            (1, "2025-01-01", "10", "lb", "0.50"),
            (2, "2025-01-15", "15", "lb", "0.50"),
            (3, "2025-02-01", "20", "lb", "0.50"),
        ),
        ("48", "cup", RYE),
        [(1, "10", "5.0000"), (2, "2.000", "1.0000")],
        "0",
        "6.0000",
        id="lots in pounds, need in cups via density",
    ),
    pytest.param(
        lots((1, "2025-01-01", "10", "lb", "0.50")),
        ("60", "cup", RYE),
        [(1, "10", "5.0000")],
        "20.000",
        "5.0000",
        id="short: takes everything, reports the shortfall",
    ),
    pytest.param(
        lots((1, "2025-01-01", "5", "lb", "0.50")),
        ("20", "cup", RYE),
        [(1, "5", "2.5000")],
        "0",
        "2.5000",
        id="exact consumption is not short",
    ),
    pytest.param(
        lots((1, "2025-01-01", "5", "lb", "0.80")),
        ("4", "cup", FLOUR_120),  # the recipe's 480 g, already in the recipe unit
        [(1, "1.058", "0.8464")],
        "0",
        "0.8464",
        id="draw rounded to 3 places before costing",
    ),
    pytest.param(
        lots((1, "2025-01-01", "2", "stick", "0.40"), (2, "2025-02-01", "4", "stick", "0.50")),
        ("1.5", "cup", None),
        [(1, "2", "0.8000"), (2, "1.000", "0.5000")],
        "0",
        "1.3000",
        id="custom unit: sticks of butter against cups",
    ),
    pytest.param(
        lots((1, "2025-01-01", "0", "cup", "9.99"), (2, "2025-02-01", "3", "cup", "1.00")),
        ("1", "cup", None),
        [(2, "1", "1.0000")],
        "0",
        "1.0000",
        id="empty lots are skipped",
    ),
    pytest.param(
        lots((1, "2025-01-01", "3", "cup", "1.00")), ("0", "cup", None), [], "0", "0", id="no need"
    ),
    pytest.param([], ("2", "cup", None), [], "2.000", "0", id="no lots at all"),
]


@pytest.mark.parametrize(("given_lots", "need", "draws", "shortfall", "total"), SCENARIOS)
def test_fifo_scenarios(given_lots, need, draws, shortfall, total):
    quantity, unit, density = need
    custom = BUTTER if any(lot.unit == "stick" for lot in given_lots) else ()
    plan = plan_fifo(given_lots, D(quantity), unit, converter(density, custom))
    assert [(d.lot_id, d.quantity, d.cost) for d in plan.draws] == [
        (i, D(q), D(c)) for i, q, c in draws
    ]
    assert plan.shortfall == D(shortfall)
    assert plan.satisfied is (D(shortfall) == 0)
    assert plan.total_cost == D(total)


def test_remaining_in_lot_is_simulated_and_inputs_are_untouched():
    given_lots = lots((1, "2025-01-01", "10", "lb", "0.50"), (2, "2025-01-15", "15", "lb", "0.50"))
    before = list(given_lots)
    plan = plan_fifo(given_lots, D(48), "cup", converter(RYE))
    assert [d.remaining_in_lot for d in plan.draws] == [D(0), D(13)]
    assert given_lots == before  # frozen snapshots, same list


def test_a_lot_in_another_unit_without_a_converter_is_an_error():
    with pytest.raises(ValueError, match="no converter"):
        plan_fifo(lots((1, "2025-01-01", "1", "lb", "1")), D(1), "cup")


def test_negative_need_is_refused():
    with pytest.raises(ValueError):
        plan_fifo([], D(-1), "cup")


# --- properties ---------------------------------------------------------------------------------

quantities = st.decimals(min_value=D(0), max_value=D(10_000), places=3)
costs = st.decimals(min_value=D(0), max_value=D(100), places=4)
lot_rows = st.lists(
    st.tuples(st.dates(date(2020, 1, 1), date(2026, 12, 31)), quantities, costs),
    max_size=8,
)


@st.composite
def scenarios(draw):
    rows = draw(lot_rows)
    unit = draw(st.sampled_from(["cup", "lb"]))
    snapshots = [
        LotSnapshot(lot_id=i + 1, lot_date=d, quantity=q, unit=unit, unit_cost=c)
        for i, (d, q, c) in enumerate(rows)
    ]
    need = draw(quantities)
    return snapshots, need


@given(scenarios())
def test_properties_same_unit(scenario):
    """Draws + shortfall = need; no draw exceeds its lot; order kept; cost = Σ draw costs."""
    given_lots, need = scenario
    plan = plan_fifo(given_lots, need, given_lots[0].unit if given_lots else "cup")
    by_id = {lot.lot_id: lot for lot in given_lots}
    assert sum((d.quantity for d in plan.draws), D(0)) + plan.shortfall == need
    for draw in plan.draws:
        assert D(0) < draw.quantity <= by_id[draw.lot_id].quantity
        assert draw.cost == round_money(draw.quantity * draw.unit_cost)
    order = [(by_id[d.lot_id].lot_date, d.lot_id) for d in plan.draws]
    assert order == sorted(order)
    assert plan.total_cost == sum((d.cost for d in plan.draws), D(0))
    # every lot older than the last drawn one is emptied (nothing skipped)
    if plan.draws:
        last = order[-1]
        for lot in given_lots:
            if (lot.lot_date, lot.lot_id) < last and lot.quantity > 0:
                assert lot.lot_id in {d.lot_id for d in plan.draws}
                assert next(d for d in plan.draws if d.lot_id == lot.lot_id).remaining_in_lot == 0


@given(scenarios())
def test_properties_across_units(scenario):
    """Need in cups, lots in pounds (4 cup/lb): the draws cover the need within rounding."""
    given_lots, need = scenario
    pounds = [
        LotSnapshot(lot.lot_id, lot.lot_date, lot.quantity, "lb", lot.unit_cost)
        for lot in given_lots
    ]
    plan = plan_fifo(pounds, need, "cup", converter(RYE))
    drawn_cups = sum((d.quantity for d in plan.draws), D(0)) * 4
    on_hand_cups = sum((lot.quantity for lot in pounds), D(0)) * 4
    if plan.satisfied:
        # each draw is rounded to 0.0005 lb (0.002 cup); a remainder below that is not drawn
        assert abs(drawn_cups - need) <= D("0.002") * (len(plan.draws) + 1)
    else:
        assert drawn_cups == on_hand_cups
        assert plan.shortfall == (need - on_hand_cups).quantize(D("0.001"))
    for draw in plan.draws:
        assert draw.quantity <= next(lot.quantity for lot in pounds if lot.lot_id == draw.lot_id)


# --- whole units (finished stock) ---------------------------------------------------------------


@dataclass(frozen=True)
class OrmLikeLot:
    """A finished-stock lot with the ORM lot's attributes (``unit_cost`` computed)."""

    id: int
    lot_at: datetime
    quantity_initial: int
    quantity_remaining: int
    total_cost: D
    remaining_cost: D

    @property
    def unit_cost(self) -> D:
        return round_money(self.total_cost / self.quantity_initial)


def stock(*rows) -> list[OrmLikeLot]:
    """Lots as ``(id, day of December, units made, units left, total cost, cost left)``."""
    return [
        OrmLikeLot(i, datetime(2025, 12, day, 9, tzinfo=UTC), made, left, D(total), D(total_left))
        for i, day, made, left, total, total_left in rows
    ]


def test_units_are_drawn_oldest_first_whatever_the_input_order():
    lots = stock((5, 3, 4, 4, "4", "4"), (9, 1, 2, 2, "2", "2"), (2, 2, 6, 6, "6", "6"))
    plan = plan_units(lots, 5, item_id=77)
    assert [(d.lot_id, d.quantity, d.remaining_in_lot) for d in plan.draws] == [
        (9, 2, 0),
        (2, 3, 3),
    ]
    assert (plan.need, plan.consumed, plan.shortfall, plan.available) == (5, 5, 0, 12)
    assert (plan.unit, plan.item_id, plan.satisfied) == (EACH, 77, True)
    assert [d.empties_lot for d in plan.draws] == [True, False]


def test_lots_read_oldest_first_are_taken_as_they_come():
    """The database reads lots by (lot_at, id); the planner then needs no dates."""
    lots = [StockLot(9, 4, 4, D(1), D(4), D(4)), StockLot(2, 6, 6, D(1), D(6), D(6))]
    plan = plan_units(lots, 5, oldest_first=True)
    assert [(d.lot_id, d.quantity) for d in plan.draws] == [(9, 4), (2, 1)]


def test_units_made_at_the_same_moment_go_by_lower_id():
    lots = stock((8, 1, 3, 3, "3", "3"), (4, 1, 3, 3, "6", "6"))
    plan = plan_units(lots, 4)
    assert [(d.lot_id, d.quantity, d.cost) for d in plan.draws] == [
        (4, 3, D(6)),
        (8, 1, D("1.0000")),
    ]


def test_a_unit_shortage_is_reported_not_raised():
    lots = stock((1, 1, 5, 2, "5", "2"), (2, 2, 5, 5, "10", "10"))
    plan = plan_units(lots, 10)
    assert not plan.satisfied
    assert (plan.consumed, plan.shortfall, plan.available) == (7, 3, 7)
    assert [(d.lot_id, d.quantity) for d in plan.draws] == [(1, 2), (2, 5)]  # all there is
    assert plan.total_cost == D(12)


def test_lots_holding_nothing_are_passed_over():
    lots = stock((1, 1, 5, 0, "5", "0"), (2, 2, 5, 5, "10", "10"))
    plan = plan_units(lots, 1)
    assert [(d.lot_id, d.quantity, d.cost) for d in plan.draws] == [(2, 1, D("2.0000"))]


def test_a_lots_draws_add_up_to_its_total():
    """Partial draws cost total × k ÷ n rounded; the one that empties the lot takes the rest."""
    total, left, lot_costs = D(1), D(1), []
    for remaining in (3, 2, 1):
        (lot,) = stock((1, 1, 3, remaining, total, left))
        (draw,) = plan_units([lot], 1).draws
        lot_costs.append(draw.cost)
        left -= draw.cost
        assert draw.cost == unit_draw_cost(lot, 1)
    assert lot_costs == [D("0.3333"), D("0.3333"), D("0.3334")]
    assert sum(lot_costs) == total


def test_no_units_needed_or_none_in_stock():
    nothing = plan_units(stock((1, 1, 2, 2, "1", "1")), 0)
    assert (nothing.draws, nothing.satisfied, nothing.available) == ((), True, 2)
    assert str(nothing.total_cost) == "0.0000"  # a cost sum starts at money precision
    empty = plan_units([], 3)
    assert (empty.consumed, empty.shortfall, empty.available, empty.satisfied) == (0, 3, 0, False)


def test_a_negative_unit_need_is_refused():
    with pytest.raises(ValueError, match="negative"):
        plan_units([], -1)


unit_lots = st.lists(
    st.tuples(
        st.integers(1, 5),  # day
        st.integers(1, 50),  # made
        st.integers(0, 50),  # left (capped at made)
        st.decimals(min_value=D(0), max_value=D(500), places=4),
    ),
    max_size=8,
)


@given(unit_lots, st.integers(0, 200))
def test_unit_plan_properties(rows, need):
    """Consumed = min(need, available); shortfall = the rest; FIFO prefix; costs within lots."""
    lots = stock(
        *(
            (i + 1, day, made, min(left, made), total, round_money(total * min(left, made) / made))
            for i, (day, made, left, total) in enumerate(rows)
        )
    )
    plan = plan_units(lots, need)
    available = sum(lot.quantity_remaining for lot in lots)
    assert plan.available == available
    assert plan.consumed == min(need, available) == sum(d.quantity for d in plan.draws)
    assert plan.shortfall == need - plan.consumed
    assert plan.satisfied is (available >= need)
    by_id = {lot.id: lot for lot in lots}
    order = [(by_id[d.lot_id].lot_at, d.lot_id) for d in plan.draws]
    assert order == sorted(order)
    for draw in plan.draws:
        lot = by_id[draw.lot_id]
        assert 0 < draw.quantity <= lot.quantity_remaining
        assert draw.cost == unit_draw_cost(lot, draw.quantity)
    for draw in plan.draws[:-1]:
        assert draw.empties_lot  # only the last lot drawn may keep something
    assert plan.total_cost == sum((d.cost for d in plan.draws), D(0))
