"""Dates as people type them and as the window shows them.

Owns the one short form (``format_date``: ISO ``2027-01-02``, in tables and fields: it sorts and
cannot be misread), the one long form (``format_long_date``: "Saturday, January 2, 2027", in
headers and beside a date field), reading what people type (``parse_date``) and the rule that
decides whether ``1/2/2027`` is January 2 or 1 February (``date_order_for_locale``).

What ``parse_date`` accepts (case and extra spaces ignored):

* ``2027-01-02`` (ISO, always year-month-day) and ``2027/1/2``;
* ``1/2/2027``, ``1-2-2027``, ``1.2.2027``, ``1/2/27`` (two-digit years are 20xx) and ``1/2``
  (this year), read in the user's ``DateOrder``; when only one reading is a real date
  (``24/12/2025`` with month first) that one is taken, since the long form is shown beside the
  field for the user to check;
* month names, English, full or three letters: ``Jan 2``, ``January 2, 2027``, ``2 Jan``,
  ``2 Jan 2027``, ``Sept 30``; without a year, this year;
* ``today``, ``tomorrow``, ``yesterday``;
* any of these after a weekday, as the long form shows them ("Saturday, January 2, 2027"); a
  weekday that does not match the date is refused.

The rule for the order (``date_order_for_locale``): month first where people write it so (the
United States and the territories that follow it, the Philippines, and the C/POSIX locale whose
own short date is ``%m/%d/%y``), day first everywhere else. Which locale is the user's:
``BAKE_TRACKER_DATE_ORDER`` (``mdy`` or ``dmy``) when set, else ``LC_ALL``, ``LC_TIME``, ``LANG``
(POSIX precedence), else the process locale (how Windows names it, "English_United States").
The week starts on Sunday with month first, on Monday otherwise (``first_weekday``).

Standard library only, no clock: callers pass ``today``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "jan", "january" and the common "sept" → month number (English whatever the locale: the whole
# window is in English, and the locale's names would make the same text mean different things).
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS |= {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS["sept"] = 9
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(DAY_NAMES)}
_WEEKDAYS |= {name[:3].lower(): number for number, name in enumerate(DAY_NAMES)}

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})(?:\2(\d{2}|\d{4}))?")
_MONTH_FIRST_WORDS = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?")
_DAY_FIRST_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?(?: (\d{4}))?")

# Territories whose people write the month first (ISO 3166 codes, and the names Windows uses).
MONTH_FIRST_TERRITORIES = frozenset(
    {"US", "UM", "AS", "GU", "MP", "PR", "VI", "PH", "FM", "MH", "PW"}
    | {"UNITED STATES", "PHILIPPINES"}
)
ORDER_SETTING = "BAKE_TRACKER_DATE_ORDER"
LOCALE_VARIABLES = ("LC_ALL", "LC_TIME", "LANG")


class DateOrder(StrEnum):
    """How a date written with numbers only is read: 1/2/2027."""

    MONTH_FIRST = "mdy"  # January 2
    DAY_FIRST = "dmy"  # 1 February


class DateParseError(ValueError):
    """Text that is not a date; ``message`` says why, without naming the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- showing dates ----------------------------------------------------------------------------


def format_date(value: date | None) -> str:
    """The one short form, for tables and fields: "2027-01-02"; "—" when absent."""
    return value.isoformat() if value is not None else "—"


def format_long_date(value: date | None) -> str:
    """The one long form, for headers: "Saturday, January 2, 2027"; "—" when absent.

    Built from our own English names, not ``strftime``, so it does not change with the locale
    and has no zero-padded day on any platform.
    """
    if value is None:
        return "—"
    weekday, month = DAY_NAMES[value.weekday()], MONTH_NAMES[value.month - 1]
    return f"{weekday}, {month} {value.day}, {value.year}"


def example_dates(order: DateOrder, example: date = date(2025, 12, 24)) -> str:
    """What a date field accepts, for its error message: "2025-12-24, 12/24/2025, Dec 24 or
    today" (the numeric example in the user's order)."""
    numeric = (
        f"{example.month}/{example.day}/{example.year}"
        if order is DateOrder.MONTH_FIRST
        else f"{example.day}/{example.month}/{example.year}"
    )
    words = f"{MONTH_NAMES[example.month - 1][:3]} {example.day}"
    return f"{example.isoformat()}, {numeric}, {words} or today"


# --- reading dates ----------------------------------------------------------------------------


def parse_date(text: str, *, today: date, order: DateOrder = DateOrder.MONTH_FIRST) -> date:
    """The date ``text`` means (see the module docstring for the forms); ``DateParseError``
    with the reason when it means none."""
    value = " ".join(text.replace(",", " ").split()).lower()
    if not value:
        raise DateParseError("is empty")
    if value in _RELATIVE:
        return today + timedelta(days=_RELATIVE[value])
    first, _space, rest = value.partition(" ")
    if rest and first.rstrip(".") in _WEEKDAYS:
        found = parse_date(rest, today=today, order=order)
        if found.weekday() != _WEEKDAYS[first.rstrip(".")]:
            month, weekday = MONTH_NAMES[found.month - 1], DAY_NAMES[found.weekday()]
            raise DateParseError(f"{month} {found.day}, {found.year} is a {weekday}")
        return found
    if match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
        return _make(year, month, day)
    if match := _NUMERIC.fullmatch(value):
        return _numeric(match, today=today, order=order)
    if match := _MONTH_FIRST_WORDS.fullmatch(value):
        name, day, year = match.groups()
        return _named(name, int(day), year, today=today)
    if match := _DAY_FIRST_WORDS.fullmatch(value):
        day, name, year = match.groups()
        return _named(name, int(day), year, today=today)
    raise DateParseError("is not a date I can read")


def _numeric(match: re.Match[str], *, today: date, order: DateOrder) -> date:
    """1/2/2027 in ``order``; the other order when only it makes a real date (24/12/2025)."""
    first, _separator, second, year_text = match.groups()
    year = _full_year(year_text, today)
    month, day = (int(first), int(second))
    if order is DateOrder.DAY_FIRST:
        month, day = day, month
    try:
        return _make(year, month, day)
    except DateParseError as error:
        try:
            return date(year, day, month)  # the only real date the numbers make
        except ValueError:
            raise error from None


def _named(name: str, day: int, year_text: str | None, *, today: date) -> date:
    month = _MONTHS.get(name)
    if month is None:
        raise DateParseError(f"“{name}” is not a month")
    return _make(_full_year(year_text, today), month, day)


def _full_year(text: str | None, today: date) -> int:
    """A missing year is this year; two digits are this century's (27 → 2027)."""
    if text is None:
        return today.year
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _make(year: int, month: int, day: int) -> date:
    """The date, or the reason there is none ("there is no month 13", "February 2027 has 28
    days")."""
    if not 1 <= month <= 12:
        raise DateParseError(f"there is no month {month}")
    if not 1 <= year <= 9999:
        raise DateParseError(f"the year {year} is out of range")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateParseError(f"{MONTH_NAMES[month - 1]} {year} has {days} days, not {day}")
    return date(year, month, day)


# --- the user's order ---------------------------------------------------------------------------


def date_order_for_locale(name: str | None) -> DateOrder:
    """Month first for US-style territories and the C locale, day first elsewhere.

    ``name`` is a POSIX locale ("en_US.UTF-8", "de_DE@euro", "C") or a Windows one
    ("English_United States", "German_Germany"); None or empty counts as C.
    """
    if not name or name.split(".")[0] in ("C", "POSIX"):
        return DateOrder.MONTH_FIRST
    base = name.split(".")[0].split("@")[0]
    territory = base.split("_", 1)[1] if "_" in base else ""
    return (
        DateOrder.MONTH_FIRST
        if territory.upper() in MONTH_FIRST_TERRITORIES
        else DateOrder.DAY_FIRST
    )


def user_date_order(environ: Mapping[str, str], process_locale: str | None) -> DateOrder:
    """The order for this user: the ``BAKE_TRACKER_DATE_ORDER`` setting, else the locale named
    by ``LC_ALL``, ``LC_TIME`` or ``LANG``, else ``process_locale`` (``locale.getlocale()[0]``)."""
    setting = environ.get(ORDER_SETTING, "").strip().lower()
    if setting in {order.value for order in DateOrder}:
        return DateOrder(setting)
    for variable in LOCALE_VARIABLES:
        if environ.get(variable):
            return date_order_for_locale(environ[variable])
    return date_order_for_locale(process_locale)


def first_weekday(order: DateOrder) -> int:
    """The calendar's first column (``calendar.SUNDAY`` or ``calendar.MONDAY``)."""
    return calendar.SUNDAY if order is DateOrder.MONTH_FIRST else calendar.MONDAY
