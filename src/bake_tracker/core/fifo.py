"""First in, first out: one walk over lots, oldest first, and the one plan it makes.

Lots are drawn in (lot date, id) order, so ties on a date are broken the same way every time. From
each lot the walk takes ``min(what the lot holds, what is still needed)`` until the need is covered
or the lots run out; lots that hold nothing are passed over. The plan lists the draws, what they
cover, the shortfall (0 when satisfied: every shortage is reported, never raised here) and the
cost. Planning never changes anything: the same plan serves a dry run (availability, estimates)
and the real consumption, which applies exactly the planned draws, so the two cannot disagree.

Two kinds of lots walk this way:

* Pantry lots (``plan_fifo`` over ``LotSnapshot``): ``Decimal`` quantities, each lot counted in its
  own unit while the need is in one unit (an ingredient's recipe unit); a converter supplied by the
  caller translates, at full precision. The amount taken from a lot is rounded half-up to 3 places
  in the lot's unit, and when what is still needed rounds to nothing in a lot's unit the need
  counts as covered. A draw costs quantity × the lot's unit cost, rounded half-up to 4 places.
* Finished stock (``plan_units`` over any lot with the ``UnitLot`` fields): whole units, need and
  lots counted in "each". A lot keeps its exact total cost; drawing k of its n units costs
  total × k ÷ n rounded half-up to 4 places, and the draw that empties the lot takes exactly what
  the lot has left, so a lot's draws always add up to its total (``unit_draw_cost``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple, Protocol, TypeVar

from bake_tracker.core.numbers import MONEY_ZERO, ZERO, round_money, round_quantity

EACH = "each"  # the unit of finished stock

Converter = Callable[[Decimal, str, str], Decimal]  # (quantity, from_unit, to_unit) -> quantity
Amount = int | Decimal  # whole units, or a pantry quantity
Lot = TypeVar("Lot")


# The records below are NamedTuples: immutable like frozen dataclasses, and several times cheaper to
# make, which counts where one is made per lot read or drawn on every production and assembly.


class LotSnapshot(NamedTuple):
    """What the planner needs to know about one pantry lot, as it was when read."""

    lot_id: int
    lot_date: date | datetime
    quantity: Decimal  # remaining, in ``unit``
    unit: str
    unit_cost: Decimal  # per one ``unit``
    product_id: int | None = None


class StockLot(NamedTuple):
    """What the planner needs to know about one lot of finished stock, as it was when read."""

    id: int
    quantity_initial: int
    quantity_remaining: int
    unit_cost: Decimal  # total ÷ initial, for the ledger
    total_cost: Decimal
    remaining_cost: Decimal
    lot_at: datetime | None = None  # read only to sort lots not given oldest first


class UnitLot(Protocol):
    """A lot of finished stock as ``plan_units`` reads it: a ``StockLot`` or an ORM lot."""

    id: int
    lot_at: datetime
    quantity_initial: int
    quantity_remaining: int
    unit_cost: Decimal  # total ÷ initial, for the ledger
    total_cost: Decimal
    remaining_cost: Decimal


class Draw(NamedTuple):
    """One lot's share of the need."""

    lot_id: int
    quantity: Amount  # taken, in the lot's unit (pantry: 3 places; stock: whole units)
    unit_cost: Decimal  # the lot's, for the ledger
    cost: Decimal  # 4 places
    remaining_in_lot: Amount  # after this draw
    covers: Amount  # the part of the need this draw covers, in the need's unit (full precision)
    unit: str = EACH  # the lot's unit
    lot_date: date | datetime | None = None  # pantry lots: the purchase date
    product_id: int | None = None  # pantry lots: the product bought

    @property
    def empties_lot(self) -> bool:
        return self.remaining_in_lot == 0


class FifoPlan(NamedTuple):
    """Draws planned for a need, what they cover and cost, and what is missing."""

    need: Amount
    unit: str
    draws: tuple[Draw, ...]
    consumed: Amount  # in the need's unit (pantry: 3 places)
    shortfall: Amount  # in the need's unit (pantry: 3 places); 0 when satisfied
    total_cost: Decimal  # the sum of the draws' costs
    available: Amount | None = None  # what all the lots hold, when the walk counts it (stock)
    item_id: int | None = None  # what the plan is for, when the caller says (stock: the item)

    @property
    def satisfied(self) -> bool:
        return self.shortfall == 0


# --- the walk -------------------------------------------------------------------------------------


def _walk(
    lots: Iterable[Lot],
    need: Amount,
    held: Callable[[Lot], Amount],
    draw_from: Callable[[Lot, Amount], Draw | None],
) -> tuple[list[Draw], Amount]:
    """Draws from ``lots`` (in FIFO order) towards ``need``, and what is still missing.

    ``held`` says what a lot holds (lots holding nothing are passed over); ``draw_from`` plans a
    lot's draw towards what is still needed, or returns None when that rounds to nothing in the
    lot's unit: the walk then ends with the need covered.
    """
    remaining = need
    draws: list[Draw] = []
    for lot in lots:
        if remaining <= 0:
            break
        if held(lot) <= 0:
            continue
        draw = draw_from(lot, remaining)
        if draw is None:
            return draws, ZERO
        draws.append(draw)
        remaining -= draw.covers
    return draws, remaining


def _checked(need: Amount) -> Amount:
    if need < 0:
        raise ValueError(f"need must not be negative: {need}")
    return need


# --- pantry lots ----------------------------------------------------------------------------------

_PANTRY_ORDER = attrgetter("lot_date", "lot_id")
_PANTRY_HELD = attrgetter("quantity")


def plan_fifo(
    lots: Iterable[LotSnapshot], need: Decimal, unit: str, convert: Converter | None = None
) -> FifoPlan:
    """Plan drawing ``need`` (in ``unit``) from pantry ``lots``, oldest first.

    ``convert`` translates between the need's unit and a lot's unit; it is only called for lots in
    another unit (so a plan in one unit needs none) and may raise ``UnitConversionError``.
    """
    draws, remaining = _walk(
        sorted(lots, key=_PANTRY_ORDER),
        _checked(need),
        _PANTRY_HELD,
        _pantry_drawer(unit, convert or _same_unit_only),
    )
    missing = max(remaining, ZERO)
    return FifoPlan(
        need=need,
        unit=unit,
        draws=tuple(draws),
        consumed=round_quantity(need - missing),
        shortfall=round_quantity(missing),
        total_cost=sum((d.cost for d in draws), ZERO),
    )


def _pantry_drawer(unit: str, convert: Converter) -> Callable[[LotSnapshot, Decimal], Draw | None]:
    def draw_from(lot: LotSnapshot, still_needed: Decimal) -> Draw | None:
        same_unit = lot.unit == unit
        available = lot.quantity if same_unit else convert(lot.quantity, lot.unit, unit)
        if available <= still_needed:
            taken, covers = lot.quantity, available  # the whole lot
        else:
            exact = still_needed if same_unit else convert(still_needed, unit, lot.unit)
            taken, covers = min(round_quantity(exact), lot.quantity), still_needed
            if taken == ZERO:
                return None
        return Draw(
            lot_id=lot.lot_id,
            quantity=taken,
            unit_cost=lot.unit_cost,
            cost=round_money(taken * lot.unit_cost),
            remaining_in_lot=lot.quantity - taken,
            covers=covers,
            unit=lot.unit,
            lot_date=lot.lot_date,
            product_id=lot.product_id,
        )

    return draw_from


def _same_unit_only(quantity: Decimal, from_unit: str, to_unit: str) -> Decimal:
    raise ValueError(f"no converter given for a lot in {from_unit} against a need in {to_unit}")


# --- finished stock (whole units) -----------------------------------------------------------------

_UNIT_ORDER = attrgetter("lot_at", "id")
_UNIT_HELD = attrgetter("quantity_remaining")


def plan_units(
    lots: Iterable[UnitLot], need: int, *, item_id: int | None = None, oldest_first: bool = False
) -> FifoPlan:
    """Plan drawing ``need`` whole units from finished-stock ``lots``, oldest first.

    ``lots`` are put in FIFO order by (``lot_at``, ``id``), unless the caller says they already are
    in it (``oldest_first``: read with that ORDER BY), which spares reading their dates. The plan
    counts everything the lots hold (``available``) and carries ``item_id`` for the caller.
    """
    ordered = lots if oldest_first else sorted(lots, key=_UNIT_ORDER)
    draws, remaining = _walk(ordered, _checked(need), _UNIT_HELD, _draw_units)
    return FifoPlan(
        need=need,
        unit=EACH,
        draws=tuple(draws),
        consumed=need - remaining,
        shortfall=remaining,
        total_cost=sum((d.cost for d in draws), MONEY_ZERO),
        available=sum(lot.quantity_remaining for lot in ordered),
        item_id=item_id,
    )


def _draw_units(lot: UnitLot, still_needed: int) -> Draw:
    held = lot.quantity_remaining
    taken = held if held <= still_needed else still_needed
    return Draw(
        lot_id=lot.id,
        quantity=taken,
        unit_cost=lot.unit_cost,
        cost=unit_draw_cost(lot, taken),
        remaining_in_lot=held - taken,
        covers=taken,
    )


def unit_draw_cost(lot: UnitLot, quantity: int) -> Decimal:
    """What ``quantity`` units of ``lot`` cost: total × quantity ÷ initial quantity, rounded
    half-up to 4 places; taking all that is left costs exactly what the lot has left."""
    if quantity >= lot.quantity_remaining:
        return lot.remaining_cost
    return round_money(lot.total_cost * quantity / lot.quantity_initial)
