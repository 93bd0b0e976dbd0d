"""Column types that keep numbers exact and time unambiguous: no float ever touches money or stock.

* ``Money`` stores a ``Decimal`` as integer ten-thousandths, ``Quantity`` as integer thousandths and
  ``Percent`` as integer hundredths, in a BIGINT: exact, sortable and CHECK-able on every backend.
  A value with more places than the column keeps is refused rather than rounded here: rounding
  belongs to the one place per figure in the services that states its places and rounding.
  Floats are refused.
* ``UTCDateTime`` accepts only timezone-aware datetimes, stores naive UTC and returns aware UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator


class _ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as an integer count of 10**-places."""

    impl = BigInteger
    cache_ok = True
    places = 0

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return to_scaled(value, self.places)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return from_scaled(value, self.places)

    def process_literal_param(self, value, dialect):
        return str(self.process_bind_param(value, dialect))

    def result_processor(self, dialect, coltype):
        """One plain function per value instead of TypeDecorator's chain of three calls: every
        quantity and amount read goes through it (hundreds per FIFO plan or dashboard), and the
        chain cost more than the conversion. Same figure as ``from_scaled``, digit for digit
        (``tests/models/test_types.py``); falls back to the chain if a driver ever hands back
        something that needs converting first."""
        if self.impl_instance.result_processor(dialect, coltype) is not None:
            return super().result_processor(dialect, coltype)
        unit = _UNITS[self.places]

        def process(value):
            # int * 10**-places is exact: at most 19 digits against a 28-digit context
            return None if value is None else Decimal(value) * unit

        return process

    @property
    def python_type(self) -> type:
        return Decimal


class Money(_ScaledDecimal):
    """Money: 4 decimal places, stored as integer ten-thousandths."""

    places = 4
    cache_ok = True


class Quantity(_ScaledDecimal):
    """A quantity in some unit: 3 decimal places, stored as integer thousandths."""

    places = 3
    cache_ok = True


class Percent(_ScaledDecimal):
    """A percentage such as a batch portion: 2 decimal places, stored as integer hundredths."""

    places = 2
    cache_ok = True


def to_scaled(value: Decimal | int | str, places: int) -> int:
    """Exact conversion to the stored integer; refuses floats, NaN/infinity and excess places."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"expected Decimal, int or str, got {type(value).__name__}: {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    scaled = number.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


_UNITS = {places: Decimal(1).scaleb(-places) for places in range(5)}  # 10**-places, exact


def from_scaled(stored: int, places: int) -> Decimal:
    """The Decimal behind a stored integer, with exactly ``places`` decimal places."""
    return Decimal(int(stored)).scaleb(-places)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp stored as a naive UTC DATETIME."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    @property
    def python_type(self) -> type:
        return datetime


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (passed as a function so each row gets its own time)."""
    return datetime.now(UTC)
