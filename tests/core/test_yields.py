"""Yields of finished units: items per batch, portions of a batch, and one item's cost."""

from __future__ import annotations

from decimal import Decimal as D
from enum import StrEnum

import pytest

from bake_tracker.core.yields import BATCH_PORTION, DISCRETE_COUNT, cost_per_item, expected_yield


@pytest.mark.parametrize(
    ("batches", "mode", "per_batch", "percentage", "expected"),
    [
        (2, DISCRETE_COUNT, 48, None, 96),
        (3, DISCRETE_COUNT, None, None, 3),  # items per batch not set: one per batch
        (1, DISCRETE_COUNT, 12, D(25), 12),  # a percentage means nothing for counted items
        (1, BATCH_PORTION, None, D(25), 4),
        (1, BATCH_PORTION, None, D("33.33"), 3),  # floor(100 ÷ 33.33)
        (2, BATCH_PORTION, None, D(30), 6),  # floor(6.67)
        (0, BATCH_PORTION, None, D(25), 0),
    ],
)
def test_expected_yield(batches, mode, per_batch, percentage, expected):
    assert expected_yield(batches, mode, per_batch, percentage) == expected


@pytest.mark.parametrize("missing", [None, D(0)])
def test_a_portion_without_a_percentage_is_the_whole_batch(missing):
    assert expected_yield(3, BATCH_PORTION, None, missing) == 3
    assert expected_yield(3, BATCH_PORTION, 12, missing) == 3  # items per batch does not apply
    assert cost_per_item(D("12.50"), BATCH_PORTION, None, missing) == D("12.5000")


@pytest.mark.parametrize(
    ("batch_cost", "mode", "per_batch", "percentage", "expected"),
    [
        (D("10.00"), DISCRETE_COUNT, 48, None, "0.2083"),  # 0.208333… half-up to 4 places
        (D("10.00"), DISCRETE_COUNT, None, None, "10.0000"),
        (D("12.00"), BATCH_PORTION, None, D(25), "3.0000"),
        (D("10.00"), BATCH_PORTION, None, D("33.33"), "3.3330"),
        (D("0.00015"), BATCH_PORTION, None, D(100), "0.0002"),  # half-up, not to even
    ],
)
def test_cost_per_item(batch_cost, mode, per_batch, percentage, expected):
    cost = cost_per_item(batch_cost, mode, per_batch, percentage)
    assert str(cost) == expected


def test_the_stored_mode_may_be_a_str_enum():
    class Mode(StrEnum):
        BATCH_PORTION = "batch_portion"

    assert expected_yield(1, Mode.BATCH_PORTION, None, D(50)) == 2
