"""The one exception hierarchy of bake-tracker: every error a service raises on purpose.

Services raise these; the UI turns them into friendly dialogs by class, and the command line prints
their ``message``. Messages name the thing and the numbers so a user can act on them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bake_tracker.core.errors import ServiceError, ValidationError
from bake_tracker.core.errors import UnitConversionError as UnitConversionError

# ServiceError, ValidationError and UnitConversionError are defined in ``core.errors`` (the pure
# rules raise them) and belong to this hierarchy as much as the classes below.

# --- not found ----------------------------------------------------------------------------------


class NotFoundError(ServiceError):
    """A lookup by id or natural key found nothing."""

    entity = "Record"

    def __init__(self, key: object, message: str | None = None) -> None:
        self.key = key
        super().__init__(message or f"{self.entity} with ID {key} not found")


def _not_found(name: str, entity: str) -> type[NotFoundError]:
    return type(name, (NotFoundError,), {"entity": entity, "__doc__": f"No such {entity.lower()}."})


IngredientNotFoundError = _not_found("IngredientNotFoundError", "Ingredient")
ProductNotFoundError = _not_found("ProductNotFoundError", "Product")
LotNotFoundError = _not_found("LotNotFoundError", "Inventory lot")
RecipeNotFoundError = _not_found("RecipeNotFoundError", "Recipe")
FinishedUnitNotFoundError = _not_found("FinishedUnitNotFoundError", "Finished unit")
FinishedGoodNotFoundError = _not_found("FinishedGoodNotFoundError", "Finished good")
PackageNotFoundError = _not_found("PackageNotFoundError", "Package")
RecipientNotFoundError = _not_found("RecipientNotFoundError", "Recipient")
EventNotFoundError = _not_found("EventNotFoundError", "Event")
AssignmentNotFoundError = _not_found("AssignmentNotFoundError", "Assignment")
ProductionRunNotFoundError = _not_found("ProductionRunNotFoundError", "Production run")
AssemblyRunNotFoundError = _not_found("AssemblyRunNotFoundError", "Assembly run")


# --- bad input ----------------------------------------------------------------------------------


class FinishedUnitRecipeMismatchError(ValidationError):
    """The finished unit is made by another recipe."""

    def __init__(self, finished_unit_id: int, recipe_id: int) -> None:
        self.finished_unit_id = finished_unit_id
        self.recipe_id = recipe_id
        super().__init__(f"FinishedUnit {finished_unit_id} does not belong to Recipe {recipe_id}")


# --- not enough stock ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortage:
    """One ingredient line that cannot be covered, in the ingredient's recipe unit."""

    ingredient_slug: str
    needed: Decimal
    available: Decimal
    unit: str

    def describe(self) -> str:
        return (
            f"Insufficient {self.ingredient_slug}: need {self.needed:.3f} {self.unit}, "
            f"have {self.available:.3f} {self.unit}"
        )


class InsufficientInventoryError(ServiceError):
    """Ingredients are short; ``shortages`` lists every short line."""

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        self.shortages = list(shortages)
        super().__init__("; ".join(s.describe() for s in self.shortages))


class _InsufficientItemError(ServiceError):
    kind = "item"

    def __init__(self, item_id: int, needed: Decimal | int, available: Decimal | int) -> None:
        self.item_id = item_id
        self.needed = needed
        self.available = available
        super().__init__(f"Insufficient {self.kind} {item_id}: need {needed}, have {available}")


class InsufficientFinishedUnitError(_InsufficientItemError):
    """Not enough of a finished unit in stock for an assembly."""

    kind = "FinishedUnit"


class InsufficientFinishedGoodError(_InsufficientItemError):
    """Not enough of a nested finished good in stock for an assembly."""

    kind = "FinishedGood"


class InsufficientPackagingError(ServiceError):
    """Not enough packaging on hand for an assembly."""

    def __init__(self, product_id: int, needed: Decimal, available: Decimal, unit: str) -> None:
        self.product_id = product_id
        self.needed = needed
        self.available = available
        self.unit = unit
        super().__init__(
            f"Insufficient packaging (product {product_id}): need {needed} {unit}, "
            f"have {available} {unit}"
        )


# --- state and references -----------------------------------------------------------------------


class InvalidTransitionError(ServiceError, ValueError):
    """A fulfillment step was skipped or reversed."""

    def __init__(self, current: str, new: str, allowed: Sequence[str]) -> None:
        self.current = current
        self.new = new
        self.allowed = list(allowed)
        super().__init__(f"Invalid transition: {current} -> {new}. Allowed: {self.allowed}")


def in_use_refusal(check: Callable[[], None]) -> str | None:
    """Run a delete's own check (``check()`` raises ``InUseError``) and give its message, or None:
    what the window asks before "are you sure?", in the delete's own words."""
    try:
        check()
    except InUseError as error:
        return str(error)
    return None


class InUseError(ServiceError):
    """A delete was refused because other records use the item; ``counts`` says which."""

    def __init__(self, counts: Mapping[str, int], message: str | None = None) -> None:
        self.counts = dict(counts)
        used = ", ".join(f"{n} {what}" for what, n in self.counts.items() if n)
        super().__init__(message or f"Cannot delete: it is still used by {used}")


class EventHasAssignmentsError(InUseError):
    """An event still has package assignments and the caller did not ask to remove them."""

    def __init__(self, assignments: int) -> None:
        super().__init__(
            {"assignments": assignments},
            f"This event has {assignments} package assignment(s); "
            "confirm that they should be removed with it.",
        )


class EventHasAttributedRunsError(InUseError):
    """Production or assembly runs are recorded against the event; it cannot be deleted."""

    def __init__(self, production_runs: int, assembly_runs: int) -> None:
        self.production_runs = production_runs
        self.assembly_runs = assembly_runs
        super().__init__(
            {"production_runs": production_runs, "assembly_runs": assembly_runs},
            f"This event has {production_runs} production and {assembly_runs} assembly runs "
            "recorded against it; it cannot be deleted.",
        )


class RunInUseError(InUseError):
    """A run's output was already used downstream, so it cannot be voided."""

    def __init__(self, used_by: Sequence[str]) -> None:
        self.used_by = list(used_by)
        super().__init__(
            {"used_by": len(self.used_by)},
            "Cannot void: its output was already used by " + ", ".join(self.used_by),
        )


class ExportError(ServiceError):
    """A file could not be written (folder missing or read-only, disk full…)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        super().__init__(f"Could not write {path}: {reason}")


class ImportVersionError(ServiceError):
    """An import file has an unknown format or an unsupported version."""

    def __init__(self, version: object, message: str | None = None) -> None:
        self.version = version
        super().__init__(
            message
            or f"This file was written by a version of bake-tracker this one cannot read "
            f"(format version {version!r})."
        )


class DatabaseBusyError(ServiceError):
    """The database stayed locked by another program past the retry budget."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The database is busy: it is locked by another program or workstation, which did "
            "not let go in time. Nothing was saved. Try again in a moment, or close the other "
            "program."
        )


class _FaultError(ServiceError):
    """An error with the storage fault behind it, when there is one (``core.faults``: ``full``,
    ``read-only``, ``locked``, ``damaged``), so a caller can offer the way out that fits."""

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class DatabaseStartupError(_FaultError):
    """The database could not be opened or migrated; nothing was changed."""


class StorageError(_FaultError):
    """The database file or disk refused the work (read-only, full, damaged); nothing was saved."""
