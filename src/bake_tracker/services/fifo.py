"""First-in-first-out planning over immutable lot snapshots: a pure function, no database.

``plan_fifo`` walks lots oldest first — by (lot date, id), so ties are broken the same way every
time — and takes from each ``min(what the lot holds, what is still needed)``. The need is expressed
in one unit (an ingredient's recipe unit); every lot is counted in its own unit, and a converter
supplied by the caller translates. The same plan serves the dry run (availability, cost estimates)
and the real consumption, which applies exactly the planned draws, so the two can never disagree.

Precision (contract.md): conversions run at full precision; the amount drawn from a lot is rounded
half-up to 3 places in the lot's unit; a draw's cost is drawn quantity × the lot's unit cost
rounded half-up to 4 places; the plan's cost is the sum of its draws' costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bake_tracker.core.numbers import ZERO, round_money, round_quantity

Converter = Callable[[Decimal, str, str], Decimal]  # (quantity, from_unit, to_unit) -> quantity


@dataclass(frozen=True)
class LotSnapshot:
    """What the planner needs to know about one lot, as it was when read."""

    lot_id: int
    lot_date: date | datetime
    quantity: Decimal  # remaining, in ``unit``
    unit: str
    unit_cost: Decimal  # per one ``unit``
    product_id: int | None = None


@dataclass(frozen=True)
class PlannedDraw:
    """One lot's share of the need."""

    lot_id: int
    product_id: int | None
    lot_date: date | datetime
    quantity: Decimal  # in the lot's unit, 3 places
    unit: str
    unit_cost: Decimal
    cost: Decimal  # 4 places
    remaining_in_lot: Decimal  # after this draw
    covers: Decimal  # the part of the need this draw covers, in the need's unit (full precision)


@dataclass(frozen=True)
class FifoPlan:
    need: Decimal
    unit: str
    draws: tuple[PlannedDraw, ...]
    consumed: Decimal  # in the need's unit, 3 places
    shortfall: Decimal  # in the need's unit, 3 places; 0 when satisfied
    total_cost: Decimal

    @property
    def satisfied(self) -> bool:
        return self.shortfall == ZERO


def fifo_order(lot: LotSnapshot) -> tuple:
    return (lot.lot_date, lot.lot_id)


def plan_fifo(
    lots: Iterable[LotSnapshot], need: Decimal, unit: str, convert: Converter | None = None
) -> FifoPlan:
    """Plan drawing ``need`` (in ``unit``) from ``lots`` oldest first; never mutates anything.

    ``convert`` translates between the need's unit and a lot's unit; it is only called for lots in
    another unit (so a plan in one unit needs none) and may raise ``UnitConversionError``.
    """
    if need < ZERO:
        raise ValueError(f"need must not be negative: {need}")
    remaining = need
    draws: list[PlannedDraw] = []
    for lot in sorted(lots, key=fifo_order):
        if remaining <= ZERO:
            break
        if lot.quantity <= ZERO:
            continue
        draw = _draw_from(lot, remaining, unit, convert or _same_unit_only)
        if draw is None:  # what is left is below the lots' 3-place precision: nothing to take
            remaining = ZERO
            break
        draws.append(draw)
        remaining -= draw.covers
    shortfall = round_quantity(max(remaining, ZERO))
    return FifoPlan(
        need=need,
        unit=unit,
        draws=tuple(draws),
        consumed=round_quantity(need - max(remaining, ZERO)),
        shortfall=shortfall,
        total_cost=sum((d.cost for d in draws), ZERO),
    )


def _draw_from(
    lot: LotSnapshot, still_needed: Decimal, unit: str, convert: Converter
) -> PlannedDraw | None:
    same_unit = lot.unit == unit
    available = lot.quantity if same_unit else convert(lot.quantity, lot.unit, unit)
    if available <= still_needed:
        taken, covers = lot.quantity, available  # the whole lot
    else:
        exact = still_needed if same_unit else convert(still_needed, unit, lot.unit)
        taken, covers = min(round_quantity(exact), lot.quantity), still_needed
        if taken == ZERO:
            return None
    return PlannedDraw(
        lot_id=lot.lot_id,
        product_id=lot.product_id,
        lot_date=lot.lot_date,
        quantity=taken,
        unit=lot.unit,
        unit_cost=lot.unit_cost,
        cost=round_money(taken * lot.unit_cost),
        remaining_in_lot=lot.quantity - taken,
        covers=covers,
    )


def _same_unit_only(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    raise ValueError(f"no converter given for a lot in {from_unit} against a need in {to_unit}")
