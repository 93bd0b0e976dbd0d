"""Backups, restores and the sample season."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bake_tracker import db
from bake_tracker.config import load_settings
from bake_tracker.services import backup_service, dashboard_service, database_service
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import sample_data_service as sd
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import DatabaseStartupError, StorageError, ValidationError


@pytest.fixture
def opened(db_url, db_path):
    database_service.open_database(db_url)
    yield db_path
    database_service.close_database()


def test_sample_season_fills_an_empty_database_once(opened):
    assert sd.is_empty()
    made = sd.load_sample_data(today=date(2025, 11, 20))
    assert made["recipes"] == 5 and not sd.is_empty()
    summary = dashboard_service.get_dashboard_summary(today=date(2025, 11, 20))
    assert [s.event_name for s in summary] == ["Winter Bake Sale", "Christmas Gifts 2025"]
    christmas = summary[1]
    assert christmas.recipes_total == 3 and christmas.packages_total == 6
    assert christmas.actual_cost > 0 and christmas.planned_cost > christmas.actual_cost
    assert inv.get_inventory_summary().lot_count >= 14
    with pytest.raises(ValidationError, match="empty database"):
        sd.load_sample_data()


def test_a_sqlite_backup_restores_exactly(opened):
    sd.load_sample_data(today=date(2025, 11, 20))
    before = ts.export_data()
    backup = backup_service.backup_database()
    assert backup.parent.name == "backups" and backup.exists()
    cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
    info = backup_service.restore_backup(backup)
    assert info.path == opened
    after = ts.export_data()
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    # a safety copy of the database as it was before the restore was kept
    assert len(list(backup.parent.iterdir())) == 2


def test_a_json_backup_restores_too(opened, tmp_path):
    sd.load_sample_data(today=date(2025, 11, 20))
    path = backup_service.backup_database(tmp_path / "season.json")
    cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
    backup_service.restore_backup(path)
    assert "cardamom" not in {i.slug for i in cs.list_ingredients()}


def test_broken_backups_are_refused_and_nothing_changes(opened, tmp_path):
    sd.load_sample_data(today=date(2025, 11, 20))
    before = ts.export_data()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"definitely not sqlite" * 100)
    with pytest.raises(DatabaseStartupError, match="not a bake-tracker database"):
        backup_service.restore_backup(junk)
    with pytest.raises(DatabaseStartupError, match="does not exist"):
        backup_service.restore_backup(tmp_path / "missing.sqlite3")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "bake-tracker", "version": 1, "ingredients": [{}]}')
    with pytest.raises(ValidationError, match="is required"):
        backup_service.restore_backup(broken)
    after = ts.export_data()
    assert after["ingredients"] == before["ingredients"]


# --- backups from folders of any name, proved after they are written --------------------------

ODD_FOLDERS = ["Bake Sale #2", "What? Cookies", "100%25 butter", "100% real", "Fête de Noël ½"]


def _every_row(path) -> dict[str, list[tuple]]:
    """Every row of every table of a SQLite file, in a stable order, read without a URI."""
    connection = sqlite3.connect(path)
    try:
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in db.table_row_counts(connection)
        }
    finally:
        connection.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_backups_from_folders_of_any_name_hold_every_row(tmp_path, folder):
    home = tmp_path / folder
    database = home / "season.sqlite3"
    settings = load_settings(str(database))
    assert db.sqlite_file(settings.database_url) == database.resolve()  # "%25" stays "%25"
    database_service.open_database(settings.database_url)
    try:
        sd.load_sample_data(today=date(2025, 11, 20))
        backup = backup_service.backup_database()
        source_rows = _every_row(database)
        assert backup.parent == home / "backups"
        assert _every_row(backup) == source_rows and len(source_rows["ingredients"]) == 14
        database_service.check_backup_file(backup)  # a good backup is accepted for restore
        cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
        backup_service.restore_backup(backup)
        assert _every_row(database)["ingredients"] == source_rows["ingredients"]
    finally:
        database_service.close_database()
    # nothing was written beside the folder (a URI cut at "#" or "?" creates a stray file there)
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


@pytest.mark.sqlite_only
def test_a_backup_that_does_not_match_is_removed_with_a_clear_message(
    opened, tmp_path, monkeypatch
):
    sd.load_sample_data(today=date(2025, 11, 20))
    real_counts = db.table_row_counts
    calls = []

    def short_copy(connection):  # the second count is the copy's: pretend a table came up short
        counts = real_counts(connection)
        calls.append(connection)
        if len(calls) == 2:
            counts["inventory_items"] -= 1
        return counts

    monkeypatch.setattr(db, "table_row_counts", short_copy)
    target = tmp_path / "copies" / "season.sqlite3"
    with pytest.raises(StorageError, match="differs from the database in: inventory_items"):
        backup_service.backup_database(target)
    assert list(target.parent.iterdir()) == []


@pytest.mark.sqlite_only
def test_a_backup_cut_short_leaves_no_file(opened, tmp_path, monkeypatch):
    sd.load_sample_data(today=date(2025, 11, 20))

    def disk_full(src, destination, expected, *, standalone):
        destination.write_bytes(b"SQLite format 3\x00" + bytes(100))  # a partial copy...
        raise sqlite3.OperationalError("database or disk is full")  # ...then the disk fills

    monkeypatch.setattr(db, "_copy_and_verify", disk_full)
    target = tmp_path / "season-copy.sqlite3"
    with pytest.raises(StorageError, match=r"The disk is full.*No partial backup") as caught:
        backup_service.backup_database(target)
    assert caught.value.kind == "full" and "needed" in caught.value.message
    assert not target.exists()
