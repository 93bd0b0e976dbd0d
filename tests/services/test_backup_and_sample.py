"""Backups, restores and the sample season."""

from __future__ import annotations

from datetime import date

import pytest

from bake_tracker.services import backup_service, dashboard_service, database_service
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import inventory_service as inv
from bake_tracker.services import sample_data_service as sd
from bake_tracker.services import transfer_service as ts
from bake_tracker.services.errors import DatabaseStartupError, ValidationError


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
