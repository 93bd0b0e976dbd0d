"""The export's text: ``transfer.export.dumps`` writes exactly what ``json`` writes, one record per
line, whatever the records' text holds; and the column formatters and record makers it relies on.
No database: the functions are fed values as a database gives them."""

from __future__ import annotations

import json

import pytest

from bake_tracker.services.transfer import export as transfer_export


def reference(document: dict) -> bytes:
    """The layout as the first version wrote it, record by record with ``json``."""
    parts = []
    for name, value in document.items():
        if isinstance(value, list) and value:
            records = ",\n".join(
                json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in value
            )
            parts.append(f"{json.dumps(name)}:[\n{records}\n]")
        else:
            parts.append(f"{json.dumps(name)}:{json.dumps(value, ensure_ascii=False)}")
    return ("{\n" + ",\n".join(parts) + "\n}\n").encode()


TRICKY = [
    ',{"uuid":"x"}',  # what a record's start looks like, inside a string
    '},{"uuid":',
    'a\\",{"uuid":',
    "\\",
    '"',
    "line\nbreak\ttab\r\x00\x1f\x7f",
    "é ñ 中文 \u2028\u2029 \ufeff 😀",
    "",
]


def document_with(records: list) -> dict:
    return {
        "format": "bake-tracker",
        "version": 1,
        "exported_at": "2025-12-15T10:00:00.000000Z",
        "ingredients": records,
        "recipes": [],
    }


def test_the_text_is_json_s_whatever_the_records_hold():
    records = [
        {"uuid": f"u{i}", "name": text, "count": i - 3, "open": i % 2 == 0, "notes": None}
        for i, text in enumerate(TRICKY)
    ]
    document = document_with(records)
    text = transfer_export.dumps(document)
    assert text == reference(document)
    assert json.loads(text) == document
    assert len(text.splitlines()) == 1 + 3 + len(records) + 2 + 1 + 1


def test_one_record_and_values_orjson_refuses_are_written_as_json_writes_them():
    for records in (
        [{"uuid": "only", "name": ',{"uuid":'}],
        [{"uuid": "a", "big": 2**70}, {"uuid": "b", "big": -(2**70)}],  # beyond 64 bits
        [{"uuid": "a"}, {"name": "no uuid first", "uuid": "b"}],  # not the same first field
    ):
        document = document_with(records)
        assert transfer_export.dumps(document) == reference(document)


def test_text_that_is_not_unicode_is_refused_as_before():
    document = document_with([{"uuid": "a", "name": "\ud800"}])
    with pytest.raises(UnicodeEncodeError):
        transfer_export.dumps(document)


def test_without_orjson_the_text_is_the_same(monkeypatch):
    document = document_with([{"uuid": f"u{i}", "name": t} for i, t in enumerate(TRICKY)])
    monkeypatch.setattr(transfer_export, "_orjson", None)
    assert transfer_export.dumps(document) == reference(document)


def test_a_record_maker_gives_the_fields_in_order():
    make = transfer_export._record_maker(("uuid", "name", "it's", 'say "x"'))
    record = make("u", "n", 1, None)
    assert record == {"uuid": "u", "name": "n", "it's": 1, 'say "x"': None}
    assert list(record) == ["uuid", "name", "it's", 'say "x"']


def test_postgresql_s_moments_and_days_are_written_as_strftime_writes_them():
    from datetime import UTC, date, datetime, timedelta, timezone

    moments = (
        datetime(2025, 1, 2, 3, 4, 5, 6),
        None,
        datetime(1000, 12, 31, 23, 59, 59, 999999),
        datetime(2025, 1, 2, 3, 4, 5),
    )
    expected = [
        "2025-01-02T03:04:05.000006Z",
        None,
        "1000-12-31T23:59:59.999999Z",
        "2025-01-02T03:04:05.000000Z",
    ]
    assert transfer_export.format_timestamps(moments) == expected
    assert transfer_export.format_timestamps(moments[:1]) == expected[:1]
    # where isoformat and strftime differ, each value is written as before
    early = (datetime(999, 1, 1, 12), datetime(2025, 1, 1))
    assert transfer_export.format_timestamps(early) == [
        transfer_export.iso(moment.replace(tzinfo=UTC)) for moment in early
    ]
    aware = (datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=2))), None)
    assert transfer_export.format_timestamps(aware) == ["2025-01-01T00:00:00.000000Z", None]
    days = transfer_export._format_column(
        transfer_export.SECTION_BY_NAME["inventory_items"].table.c.purchase_date,
        (date(2025, 12, 24), date(1, 1, 1)),
    )
    assert days == ["2025-12-24", "0001-01-01"]
