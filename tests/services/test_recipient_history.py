"""recipient_service.get_recipient_history: what a recipient got at every event, newest first."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import event

from bake_tracker.services import event_service, transfer_service
from bake_tracker.services import package_service as ps
from bake_tracker.services import recipient_service as rcs
from bake_tracker.services.errors import EventNotFoundError, ExportError, RecipientNotFoundError


def test_history_lists_every_event_newest_first_with_status_and_delivery(engine) -> None:
    alice = rcs.create_recipient("Alice", household_name="Smiths")
    bob = rcs.create_recipient("Bob")
    tin = ps.create_package("Cookie Tin")
    bag = ps.create_package("Gift Bag")
    old = event_service.create_event("Christmas", date(2024, 12, 24))
    new = event_service.create_event("Christmas", date(2025, 12, 24))
    sale = event_service.create_event("Bake Sale", date(2025, 6, 1))
    delivered = event_service.assign_package_to_recipient(old.id, alice.id, tin.id, quantity=2)
    event_service.update_fulfillment_status(delivered.id, "ready")
    event_service.update_fulfillment_status(delivered.id, "delivered", delivered_to="porch")
    event_service.assign_package_to_recipient(new.id, alice.id, bag.id)
    event_service.assign_package_to_recipient(sale.id, alice.id, tin.id)
    event_service.assign_package_to_recipient(new.id, bob.id, tin.id)  # not Alice's

    history = rcs.get_recipient_history(alice.id)
    assert [(h.event_name, h.year, h.package_name, h.quantity) for h in history] == [
        ("Christmas", 2025, "Gift Bag", 1),
        ("Bake Sale", 2025, "Cookie Tin", 1),
        ("Christmas", 2024, "Cookie Tin", 2),
    ]
    assert [h.fulfillment_status for h in history] == ["pending", "pending", "delivered"]
    last = history[-1]
    assert last.delivered_to == "porch" and last.delivered_at is not None
    assert last.delivered_at.tzinfo is not None
    assert last.event_date == date(2024, 12, 24)
    assert rcs.get_recipient_history(rcs.create_recipient("Carol").id) == []


def test_history_of_an_unknown_recipient_is_refused(engine) -> None:
    with pytest.raises(RecipientNotFoundError):
        rcs.get_recipient_history(999_999)


# --- last time ------------------------------------------------------------------------------------


def _season():
    """Alice got a tin (delivered) at Christmas 2024, a bag and a tin at the 2025 bake sale, and
    is being planned for Christmas 2025; Bob got nothing before."""
    alice, bob = rcs.create_recipient("Alice"), rcs.create_recipient("Bob")
    tin, bag = ps.create_package("Cookie Tin"), ps.create_package("Gift Bag")
    old = event_service.create_event("Christmas", date(2024, 12, 24))
    sale = event_service.create_event("Bake Sale", date(2025, 6, 1))
    new = event_service.create_event("Christmas", date(2025, 12, 24))
    given = event_service.assign_package_to_recipient(old.id, alice.id, tin.id, quantity=2)
    event_service.update_fulfillment_status(given.id, "ready")
    event_service.update_fulfillment_status(given.id, "delivered")
    event_service.assign_package_to_recipient(sale.id, alice.id, tin.id)
    event_service.assign_package_to_recipient(sale.id, alice.id, bag.id, quantity=3)
    event_service.assign_package_to_recipient(new.id, alice.id, bag.id)
    event_service.assign_package_to_recipient(new.id, bob.id, tin.id)
    return alice, bob, old, sale, new


def test_last_time_is_the_latest_earlier_event_not_the_one_planned(engine) -> None:
    alice, bob, old, sale, new = _season()
    last = rcs.last_assignment(alice.id, before_event_id=new.id)
    assert (last.event_name, last.year, last.event_date) == ("Bake Sale", 2025, date(2025, 6, 1))
    assert (last.package_name, last.quantity, last.other_packages) == ("Cookie Tin", 1, 1)
    assert last.fulfillment_status == "pending" and last.delivered_at is None
    before_sale = rcs.last_assignment(alice.id, before_event_id=sale.id)
    assert (before_sale.event_id, before_sale.quantity) == (old.id, 2)
    assert before_sale.fulfillment_status == "delivered"
    assert before_sale.delivered_at is not None and before_sale.other_packages == 0
    assert rcs.last_assignment(alice.id, before_event_id=old.id) is None
    # without an event: the latest of all, the one being planned included
    assert rcs.last_assignment(alice.id).event_id == new.id
    assert rcs.last_assignment(bob.id, before_event_id=new.id) is None
    assert rcs.last_assignment(rcs.create_recipient("Carol").id) is None


def test_last_time_on_the_same_day_goes_by_the_order_events_were_made(engine) -> None:
    alice = rcs.create_recipient("Alice")
    tin = ps.create_package("Cookie Tin")
    morning = event_service.create_event("Morning Fair", date(2025, 5, 1))
    evening = event_service.create_event("Evening Fair", date(2025, 5, 1))
    event_service.assign_package_to_recipient(morning.id, alice.id, tin.id)
    assert rcs.last_assignment(alice.id, before_event_id=evening.id).event_id == morning.id
    assert rcs.last_assignment(alice.id, before_event_id=morning.id) is None


@pytest.mark.parametrize("bad", [999_999, 0, -1, "1", None, True, 2**40])
def test_last_time_of_an_unknown_recipient_is_refused(engine, bad) -> None:
    with pytest.raises(RecipientNotFoundError):
        rcs.last_assignment(bad)


@pytest.mark.parametrize("bad", [999_999, 0, "x", 2**40])
def test_last_time_before_an_unknown_event_is_refused(engine, bad) -> None:
    alice = rcs.create_recipient("Alice")
    with pytest.raises(EventNotFoundError):
        rcs.last_assignment(alice.id, before_event_id=bad)


def test_last_time_is_one_statement(engine) -> None:
    alice, _bob, _old, _sale, new = _season()
    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        rcs.last_assignment(alice.id, before_event_id=new.id)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


# --- the CSV export -------------------------------------------------------------------------------


def _read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_the_history_csv_lists_every_recipient_by_name_newest_event_first(engine, tmp_path) -> None:
    alice, bob, *_ = _season()
    rcs.update_recipient(bob.id, name="=Bob")  # a name a spreadsheet would run as a formula
    path = transfer_service.export_recipient_history_csv(tmp_path / "out" / "history.csv")
    rows = _read_csv(path)
    assert rows[0] == list(transfer_service.RECIPIENT_HISTORY_HEADER)
    delivered = rcs.get_recipient_history(alice.id)[-1].delivered_at.date().isoformat()
    assert [r[:8] for r in rows[1:]] == [
        ["'=Bob", "Christmas", "2025", "2025-12-24", "Cookie Tin", "1", "pending", ""],
        ["Alice", "Christmas", "2025", "2025-12-24", "Gift Bag", "1", "pending", ""],
        ["Alice", "Bake Sale", "2025", "2025-06-01", "Cookie Tin", "1", "pending", ""],
        ["Alice", "Bake Sale", "2025", "2025-06-01", "Gift Bag", "3", "pending", ""],
        ["Alice", "Christmas", "2024", "2024-12-24", "Cookie Tin", "2", "delivered", delivered],
    ]
    assert [p.name for p in path.parent.iterdir()] == ["history.csv"]  # no temporary left


def test_the_history_csv_of_one_recipient_and_of_one_without_history(engine, tmp_path) -> None:
    _alice, bob, *_ = _season()
    rows = _read_csv(
        transfer_service.export_recipient_history_csv(tmp_path / "b.csv", recipient_id=bob.id)
    )
    assert [r[:2] for r in rows[1:]] == [["Bob", "Christmas"]]
    carol = rcs.create_recipient("Carol")
    rows = _read_csv(
        transfer_service.export_recipient_history_csv(tmp_path / "c.csv", recipient_id=carol.id)
    )
    assert rows == [list(transfer_service.RECIPIENT_HISTORY_HEADER)]


def test_the_history_csv_refuses_an_unknown_recipient_and_an_unwritable_path(
    engine, tmp_path, monkeypatch
) -> None:
    _season()
    with pytest.raises(RecipientNotFoundError):
        transfer_service.export_recipient_history_csv(tmp_path / "x.csv", recipient_id=424242)
    assert not (tmp_path / "x.csv").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="a-file"):  # its folder is a file
        transfer_service.export_recipient_history_csv(blocked / "x.csv")
    with pytest.raises(ExportError, match="not a file name"):
        transfer_service.export_recipient_history_csv("")


def test_a_failed_history_csv_leaves_the_old_file_whole(engine, tmp_path, monkeypatch) -> None:
    _season()
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "kept.csv"
    existing.write_text("old", encoding="utf-8")

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bake_tracker.services.files.os.fsync", disk_full)
    with pytest.raises(ExportError, match="No space left"):
        transfer_service.export_recipient_history_csv(existing)
    assert existing.read_text(encoding="utf-8") == "old"  # untouched, not half-written
    assert [p.name for p in folder.iterdir()] == ["kept.csv"]  # no temporary file left


def test_the_full_export_carries_every_assignment_with_status_and_delivery(engine) -> None:
    _season()
    document = transfer_service.export_data()
    rows = document["event_recipient_packages"]
    assert len(rows) == 5
    delivered = [r for r in rows if r["fulfillment_status"] == "delivered"]
    assert len(delivered) == 1 and delivered[0]["delivered_at"]
    assert delivered[0]["recipient_name"] == "Alice" and delivered[0]["quantity"] == 2


def test_the_command_line_writes_the_recipient_history(tmp_path, data_dir, capsys) -> None:
    from bake_tracker import main as cli

    database = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(database), "demo"]) == 0
    target = tmp_path / "recipients.csv"
    assert cli.main(["--db", str(database), "history", "--recipients", str(target)]) == 0
    rows = _read_csv(target)
    assert rows[0] == list(transfer_service.RECIPIENT_HISTORY_HEADER)
    assert f"exported {len(rows) - 1} recipient assignment(s)" in capsys.readouterr().out
    assert len(rows) > 1
    json_target = tmp_path / "recipients.json"
    assert cli.main(["--db", str(database), "history", "--recipients", str(json_target)]) == 3
    assert "saved as a .csv file" in capsys.readouterr().err and not json_target.exists()
    with pytest.raises(SystemExit):  # one kind at a time
        cli.main(["--db", str(database), "history", "--recipients", "--assembly", str(target)])
