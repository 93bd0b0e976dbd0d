"""Frozen dataclasses that cross from the services into the UI, the command line and the tests.

Results never carry ORM objects. Money and quantities are ``Decimal``, dates ``datetime.date``
and timestamps timezone-aware UTC ``datetime`` (contract.md). The status enums reach the UI from
here, so the UI never imports ``src.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from src.models.enums import (
    AdjustmentReason,
    AssemblyType,
    ComponentType,
    FulfillmentStatus,
    LossCategory,
    YieldMode,
)

__all__ = [
    "AdjustmentReason",
    "AssemblyType",
    "ComponentType",
    "DatabaseInfo",
    "FulfillmentStatus",
    "LossCategory",
    "YieldMode",
]


@dataclass(frozen=True)
class DatabaseInfo:
    """What was opened at start-up, for the status bar and Help ▸ About."""

    url: str  # with any password hidden
    backend: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file, None for a server
    revision: str
    migrated_from: str | None  # the revision before start-up migrations, when any ran
    backup_path: Path | None  # the pre-migration copy, when one was made
