"""``core.dates``: the short and long forms, what people type, and whose order 1/2/2027 is in."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bake_tracker.core.dates import (
    DateOrder,
    DateParseError,
    date_order_for_locale,
    example_dates,
    first_weekday,
    format_date,
    format_long_date,
    parse_date,
    user_date_order,
)

TODAY = date(2026, 12, 5)  # a Saturday
MDY, DMY = DateOrder.MONTH_FIRST, DateOrder.DAY_FIRST


def read(text: str, order: DateOrder = MDY) -> date:
    return parse_date(text, today=TODAY, order=order)


# --- showing --------------------------------------------------------------------------------------


def test_one_short_form_and_one_long_form() -> None:
    assert format_date(date(2027, 1, 2)) == "2027-01-02"
    assert format_date(None) == "—"
    assert format_long_date(date(2027, 1, 2)) == "Saturday, January 2, 2027"
    assert format_long_date(date(2026, 9, 30)) == "Wednesday, September 30, 2026"
    assert format_long_date(None) == "—"


def test_the_example_follows_the_order() -> None:
    assert example_dates(MDY) == "2025-12-24, 12/24/2025, Dec 24 or today"
    assert example_dates(DMY) == "2025-12-24, 24/12/2025, Dec 24 or today"


# --- reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-02", date(2027, 1, 2)),
        (" 2027-1-2 ", date(2027, 1, 2)),
        ("2027/01/02", date(2027, 1, 2)),
        ("1/2/2027", date(2027, 1, 2)),
        ("1-2-2027", date(2027, 1, 2)),
        ("01.02.2027", date(2027, 1, 2)),
        ("1/2/27", date(2027, 1, 2)),
        ("1/2", date(2026, 1, 2)),
        ("Jan 2", date(2026, 1, 2)),
        ("jan 2", date(2026, 1, 2)),
        ("JANUARY 2nd", date(2026, 1, 2)),
        ("Jan. 2, 2027", date(2027, 1, 2)),
        ("January 2 2027", date(2027, 1, 2)),
        ("2 Jan", date(2026, 1, 2)),
        ("2 Jan 2027", date(2027, 1, 2)),
        ("2nd January, 2027", date(2027, 1, 2)),
        ("Sept 30", date(2026, 9, 30)),
        ("today", TODAY),
        (" Today ", TODAY),
        ("tomorrow", date(2026, 12, 6)),
        ("yesterday", date(2026, 12, 4)),
        ("Saturday, January 2, 2027", date(2027, 1, 2)),
        ("Sat 2 Jan 2027", date(2027, 1, 2)),
    ],
)
def test_what_people_type_month_first(text: str, expected: date) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/2/2027", date(2027, 2, 1)),
        ("01.02.2027", date(2027, 2, 1)),
        ("1/2", date(2026, 2, 1)),
        ("2027-01-02", date(2027, 1, 2)),  # ISO is year-month-day in every order
        ("Jan 2", date(2026, 1, 2)),  # a month name is never ambiguous
        ("2 Jan 2027", date(2027, 1, 2)),
    ],
)
def test_day_first_reads_numbers_the_other_way(text: str, expected: date) -> None:
    assert read(text, DMY) == expected


def test_when_only_one_reading_is_a_date_it_is_taken() -> None:
    assert read("24/12/2025", MDY) == date(2025, 12, 24)
    assert read("12/24/2025", DMY) == date(2025, 12, 24)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("soon", "is not a date I can read"),
        ("next tuesday", "is not a date I can read"),
        ("2027-13-01", "there is no month 13"),
        ("13/13/2027", "there is no month 13"),
        ("2027-02-30", "February 2027 has 28 days, not 30"),
        ("2/30/2027", "February 2027 has 28 days, not 30"),
        ("2028-02-30", "February 2028 has 29 days, not 30"),
        ("Jan 32", "January 2026 has 31 days, not 32"),
        ("Foo 2", "“foo” is not a month"),
        ("0000-01-01", "the year 0 is out of range"),
        ("Friday, January 2, 2027", "January 2, 2027 is a Saturday"),
        ("1/2/3/4", "is not a date I can read"),
        ("1/2-2027", "is not a date I can read"),  # mixed separators
        ("20270102", "is not a date I can read"),
    ],
)
def test_what_is_not_a_date_says_why(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as caught:
        read(text)
    assert caught.value.message == reason


def test_leap_day_is_read() -> None:
    assert read("2/29/2028") == date(2028, 2, 29)
    assert read("29 Feb 2028") == date(2028, 2, 29)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_both_forms_read_back(value: date) -> None:
    for order in DateOrder:
        assert parse_date(format_date(value), today=TODAY, order=order) == value
        assert parse_date(format_long_date(value), today=TODAY, order=order) == value


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_numbers_in_the_users_order_read_back(value: date) -> None:
    us = f"{value.month}/{value.day}/{value.year}"
    europe = f"{value.day}.{value.month}.{value.year % 100:02d}"
    assert parse_date(us, today=TODAY, order=MDY) == value
    assert parse_date(europe, today=TODAY, order=DMY) == value


# --- whose order ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("en_US.UTF-8", MDY),
        ("en_US", MDY),
        ("es_US.UTF-8", MDY),
        ("en_PH.UTF-8", MDY),
        ("English_United States", MDY),
        ("C", MDY),
        ("C.UTF-8", MDY),
        ("POSIX", MDY),
        (None, MDY),
        ("", MDY),
        ("en_GB.UTF-8", DMY),
        ("de_DE@euro", DMY),
        ("fr_CA.UTF-8", DMY),
        ("German_Germany", DMY),
        ("English_United Kingdom", DMY),
        ("en", DMY),  # a language without a territory: the world's usual order
    ],
)
def test_the_locale_decides_the_order(name: str | None, order: DateOrder) -> None:
    assert date_order_for_locale(name) is order


def test_the_setting_wins_then_the_posix_variables_then_the_process_locale() -> None:
    assert user_date_order({"BAKE_TRACKER_DATE_ORDER": "DMY", "LANG": "en_US"}, None) is DMY
    assert user_date_order({"BAKE_TRACKER_DATE_ORDER": "mdy", "LANG": "de_DE"}, None) is MDY
    assert user_date_order({"BAKE_TRACKER_DATE_ORDER": "ymd", "LANG": "de_DE"}, None) is DMY
    assert user_date_order({"LC_ALL": "en_US", "LC_TIME": "de_DE", "LANG": "de_DE"}, None) is MDY
    assert user_date_order({"LC_TIME": "en_GB", "LANG": "en_US"}, None) is DMY
    assert user_date_order({"LC_ALL": "", "LANG": "en_GB"}, "English_United States") is DMY
    assert user_date_order({}, "English_United States") is MDY
    assert user_date_order({}, "German_Germany") is DMY


def test_the_week_starts_on_sunday_with_month_first() -> None:
    assert first_weekday(MDY) == calendar.SUNDAY
    assert first_weekday(DMY) == calendar.MONDAY
