"""The roots of bake-tracker's exception hierarchy, and the errors the pure rules raise.

``ServiceError`` is the base of every error raised on purpose: its ``message`` names the thing and
the numbers so a user can act on it. ``ValidationError`` is bad input, listing every problem found;
``UnitConversionError`` is a conversion the units cannot make. They are defined here so the core
can raise them without depending on the services; ``services.errors`` builds the rest of the
hierarchy on them and exports them too, so a handler catches the same classes either way.
"""

from __future__ import annotations

from collections.abc import Iterable


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(ServiceError, ValueError):
    """Bad arguments; ``errors`` lists every problem found, not just the first."""

    def __init__(self, errors: str | Iterable[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors) or "Invalid input")


class UnitConversionError(ValidationError):
    """No way to convert between two units for this ingredient."""

    def __init__(self, from_unit: str, to_unit: str, reason: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        self.reason = reason
        super().__init__(f"Cannot convert {from_unit} to {to_unit}: {reason}")
