"""String enums stored as lowercase values, each with a CHECK constraint built from its values."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint


class YieldMode(StrEnum):
    DISCRETE_COUNT = "discrete_count"  # cookies: items_per_batch per batch
    BATCH_PORTION = "batch_portion"  # cakes: one unit uses batch_percentage of a batch


class AssemblyType(StrEnum):
    GIFT_BOX = "gift_box"
    VARIETY_PACK = "variety_pack"
    HOLIDAY_SET = "holiday_set"
    BULK_PACK = "bulk_pack"
    CUSTOM_ORDER = "custom_order"


class FulfillmentStatus(StrEnum):
    PENDING = "pending"  # not yet assembled
    READY = "ready"  # assembled, awaiting delivery
    DELIVERED = "delivered"  # handed out; terminal


class LossCategory(StrEnum):
    BURNT = "burnt"
    BROKEN = "broken"
    TASTING = "tasting"
    GIFTED = "gifted"
    OTHER = "other"


class AdjustmentReason(StrEnum):
    SPOILED = "spoiled"
    LOST = "lost"
    COUNT_CORRECTION = "count_correction"
    GIFT = "gift"
    OTHER = "other"


class ComponentType(StrEnum):
    FINISHED_UNIT = "finished_unit"
    FINISHED_GOOD = "finished_good"
    PACKAGING = "packaging"


def enum_check(column: str, enum: type[StrEnum], name: str, *, nullable: bool = False):
    """A named CHECK that keeps ``column`` to the enum's values (NULL allowed when nullable)."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name)
