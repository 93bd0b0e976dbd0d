"""What batches of a recipe make, and what one item of them costs.

A finished unit is counted one of two ways (its yield mode, stored as text):

* ``discrete_count`` — items counted one by one (cookies): a batch makes ``items_per_batch`` items
  (1 when not set); one item costs the batch's cost ÷ items per batch.
* ``batch_portion`` — an item is a portion of a batch (a cake uses 25 % of one): n batches make
  floor(n × 100 ÷ ``batch_percentage``) items; one item costs the batch's cost × percentage ÷ 100.
  A portion without a percentage (not set, or 0) is the whole batch: one item per batch, costing
  the batch's cost.

Item costs are rounded half-up to 4 places. The services record these figures and the record
dialog previews them, both with these functions, so the preview is the figure that will be saved.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from bake_tracker.core.numbers import round_money

DISCRETE_COUNT = "discrete_count"
BATCH_PORTION = "batch_portion"
WHOLE_BATCH = Decimal(100)  # percent


def expected_yield(
    num_batches: int,
    yield_mode: str,
    items_per_batch: int | None,
    batch_percentage: Decimal | None,
) -> int:
    """The number of items ``num_batches`` batches make."""
    if yield_mode == BATCH_PORTION:
        portions = Decimal(num_batches) * 100 / (batch_percentage or WHOLE_BATCH)
        return int(portions.to_integral_value(ROUND_FLOOR))
    return num_batches * (items_per_batch or 1)


def cost_per_item(
    batch_cost: Decimal,
    yield_mode: str,
    items_per_batch: int | None,
    batch_percentage: Decimal | None,
) -> Decimal:
    """The estimated cost of one item, from the estimated cost of one batch."""
    if yield_mode == BATCH_PORTION:
        return round_money(batch_cost * (batch_percentage or WHOLE_BATCH) / 100)
    return round_money(batch_cost / (items_per_batch or 1))
