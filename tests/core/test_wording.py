"""The words around numbers: plurals, quantities without trailing zeros, one capitalisation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bake_tracker.core import wording


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("cookie", "cookies"),
        ("batch", "batches"),
        ("box", "boxes"),
        ("berry", "berries"),
        ("tray", "trays"),
        ("loaf", "loaves"),
        ("sugar cookie", "sugar cookies"),
        ("recipe", "recipes"),
        ("lb", "lb"),
        ("oz", "oz"),
        ("fl oz", "fl oz"),
        ("each", "each"),
        ("cup", "cups"),
        ("glass", "glasses"),
        ("", ""),
    ],
)
def test_plural_of(noun: str, expected: str) -> None:
    assert wording.plural_of(noun) == expected


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "batch", "1 batch"),
        (0, "batch", "0 batches"),
        (2, "batch", "2 batches"),
        (1, "recipe", "1 recipe"),
        (48, "cookie", "48 cookies"),
        (Decimal("36.800"), "oz", "36.8 oz"),
        (Decimal("1.000"), "cup", "1 cup"),
        (Decimal("1.5"), "cup", "1.5 cups"),
        (1250, "bag", "1,250 bags"),
    ],
)
def test_count_text(count, noun: str, expected: str) -> None:
    assert wording.count_text(count, noun) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("13.000"), "13"),
        (Decimal("12.500"), "12.5"),
        (Decimal("1250"), "1,250"),
        (Decimal("-0.000"), "0"),
        (Decimal("1E+2"), "100"),
        (7, "7"),
    ],
)
def test_format_number_drops_trailing_zeros(value, expected: str) -> None:
    assert wording.format_number(value) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Record Production…", "Record production…"),
        ("Export CSV…", "Export CSV…"),
        ("add Target", "Add target"),
    ],
)
def test_sentence_case(label: str, expected: str) -> None:
    assert wording.sentence_case(label) == expected


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("production runs", "production run"),
        ("assemblies", "assembly"),
        ("batches", "batch"),
        ("boxes", "box"),
        ("loaves", "loaf"),
        ("other finished goods", "other finished good"),
        ("glass", "glass"),
    ],
)
def test_singular_of(plural: str, singular: str) -> None:
    assert wording.singular_of(plural) == singular
