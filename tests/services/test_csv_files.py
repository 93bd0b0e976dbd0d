"""CSV cells that a spreadsheet could run as formulas are written as text; everything else as is."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from bake_tracker.services.transfer.csv_files import safe_cell, write_csv

GUARDED = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "|calc",
    "\tTab",
    "\rReturn",
    "\nLine feed",
    " =1+1",
    "   @cmd",
    "＝1+1",  # full-width equals sign
    "＋1",
    "－1",
    "＠cmd",
    "｜calc",
    "\u3000=1",  # an ideographic space before it
]
PLAIN = [
    "Pecans",
    " Pecans",
    "Butter, unsalted",
    "½ cup",
    "Crème brûlée",
    "1=1",
    "a-b",
    "",
    "'quoted",
]


@pytest.mark.parametrize("text", GUARDED)
def test_text_that_could_be_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_written_as_is(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers_even_when_negative():
    assert safe_cell(Decimal("-14.45")) == "-14.45"
    assert safe_cell(-3) == "-3"
    assert safe_cell(None) == ""


def test_a_written_file_reads_back_with_the_guard(tmp_path):
    path = write_csv(
        tmp_path / "report.csv", ["name", "cost"], [[t, Decimal("-1")] for t in GUARDED]
    )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["name", "cost"]
    assert [row[0] for row in rows[1:]] == ["'" + t for t in GUARDED]
    assert {row[1] for row in rows[1:]} == {"-1"}
