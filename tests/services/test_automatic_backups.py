"""Automatic backups: the daily copy, the copies before a restore and an import, pruning to the
last N (the user's own never pruned), and the list newest first — through the services and the
command line. On PostgreSQL no automatic copy is made: backing up a server is the server's job.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from bake_tracker import db
from bake_tracker import main as cli
from bake_tracker.config import DEFAULT_KEEP_BACKUPS, keep_backups, load_settings
from bake_tracker.services import backup_service, database_service, sample_data_service
from bake_tracker.services import catalog_service as cs
from bake_tracker.services import transfer_service as ts

SEASON_DAY = date(2025, 11, 20)


@pytest.fixture
def opened(db_url):
    info = database_service.open_database(db_url)
    yield info
    database_service.close_database()


def names(folder: Path, pattern: str = "*") -> list[str]:
    return sorted(p.name for p in folder.glob(pattern)) if folder.is_dir() else []


@pytest.mark.sqlite_only
def test_the_daily_backup_is_made_once_a_day_and_not_of_an_empty_database(opened, db_path):
    folder = db_path.parent / "backups"
    assert backup_service.daily_backup() is None  # nothing to save yet
    sample_data_service.load_sample_data(today=SEASON_DAY)
    made = backup_service.daily_backup()
    assert made is not None and made.parent == folder
    assert made.name.startswith(f"{db_path.stem}-auto-daily-{date.today():%Y%m%d}-")
    assert backup_service.daily_backup() is None  # once a day
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    assert backup_service.daily_backup(today=tomorrow) is not None
    assert len(names(folder, "*-auto-daily-*")) == 2


@pytest.mark.sqlite_only
def test_restore_saves_an_automatic_copy_of_what_it_replaces(opened, db_path):
    sample_data_service.load_sample_data(today=SEASON_DAY)
    backup = backup_service.backup_database()
    cs.create_ingredient("Cardamom", category="Spices", recipe_unit="tsp")
    with_cardamom = ts.export_data()
    info = backup_service.restore_backup(backup)
    assert info.safety_copy is not None and "-auto-before-restore-" in info.safety_copy.name
    backup_service.restore_backup(info.safety_copy)  # the copy holds what was replaced
    after = ts.export_data()
    assert after["ingredients"] == with_cardamom["ingredients"]


@pytest.mark.sqlite_only
def test_automatic_copies_beyond_n_are_pruned_oldest_first_and_manual_ones_never(opened, db_path):
    sample_data_service.load_sample_data(today=SEASON_DAY)
    manual = backup_service.backup_database()
    folder = manual.parent
    migration = folder / f"{db_path.stem}-before-migration-20200101-000000.sqlite3"
    shutil.copyfile(manual, migration)
    made = [backup_service.automatic_backup(backup_service.BEFORE_IMPORT, keep=3)]
    for day in range(1, 6):  # older automatic copies
        shutil.copyfile(manual, folder / f"{db_path.stem}-auto-daily-2025010{day}-120000.sqlite3")
    removed = backup_service.prune_automatic(3)
    assert sorted(p.name for p in removed) == [
        f"{db_path.stem}-auto-daily-2025010{day}-120000.sqlite3" for day in (1, 2, 3)
    ]
    left = names(folder, f"{db_path.stem}-auto-*")
    assert made[0].name in left and len(left) == 3
    assert manual.exists() and migration.exists()


@pytest.mark.sqlite_only
def test_backups_are_listed_newest_first_with_their_dates_and_kinds(opened, db_path):
    sample_data_service.load_sample_data(today=SEASON_DAY)
    manual = backup_service.backup_database()
    folder = manual.parent
    stem = db_path.stem
    for name in (
        f"{stem}-auto-before-import-20251201-173000.sqlite3",
        f"{stem}-before-migration-20251115-090000.sqlite3",
        f"{stem}-20251124-080000-1.sqlite3",
        "someone-else-20251130-080000.sqlite3",  # another database's backup: not listed
        f"{stem}-notes.txt",  # not a backup
    ):
        shutil.copyfile(manual, folder / name)
    entries = backup_service.list_backups()
    assert [(e.kind, e.taken_at) for e in entries] == [
        ("manual", entries[0].taken_at),
        ("before import", datetime(2025, 12, 1, 17, 30)),
        ("manual", datetime(2025, 11, 24, 8, 0)),
        ("before migration", datetime(2025, 11, 15, 9, 0)),
    ]
    assert entries[0].path == manual and entries[0].taken_at.date() == date.today()
    assert entries[0].size == manual.stat().st_size


def test_automatic_backups_are_for_sqlite_files_and_a_server_backs_itself_up(opened, db_url):
    sample_data_service.load_sample_data(today=SEASON_DAY)
    daily = backup_service.daily_backup()
    before_import = backup_service.automatic_backup(backup_service.BEFORE_IMPORT)
    if db.is_sqlite(db_url):
        assert daily is not None and before_import is not None
    else:
        assert daily is None and before_import is None


def test_the_number_kept_is_a_setting(monkeypatch):
    assert keep_backups("") == DEFAULT_KEEP_BACKUPS == 10
    assert keep_backups(" 3 ") == 3
    for bad in ("0", "-2", "ten", "1.5", "٣", "99999999"):
        assert keep_backups(bad) == DEFAULT_KEEP_BACKUPS, bad
    monkeypatch.setenv("BAKE_TRACKER_KEEP_BACKUPS", "4")
    assert load_settings("x.sqlite3").keep_backups == 4


# --- the command line -----------------------------------------------------------------------------


def test_writing_commands_make_the_daily_and_before_import_copies_and_backups_lists_them(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bakery.sqlite3"
    folder = tmp_path / "backups"
    assert cli.main(["--db", str(path), "demo"]) == 0
    assert names(folder) == []  # the database was empty: nothing to save
    export = tmp_path / "season.json"
    assert cli.main(["--db", str(path), "export", str(export)]) == 0
    assert names(folder) == []  # reading makes no copy
    capsys.readouterr()
    assert cli.main(["--db", str(path), "import", str(export)]) == 0
    out = capsys.readouterr().out
    [daily] = names(folder, "bakery-auto-daily-*")
    [before_import] = names(folder, "bakery-auto-before-import-*")
    assert f"daily backup saved to {folder / daily}" in out
    assert f"backup before the import saved to {folder / before_import}" in out
    assert cli.main(["--db", str(path), "import", str(export)]) == 0
    assert len(names(folder, "bakery-auto-daily-*")) == 1  # once a day
    capsys.readouterr()
    assert cli.main(["--db", str(path), "backups"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0] == f"3 backup(s) in {folder}, newest first:"
    assert "before import" in listing[1] and listing[-1].startswith("restore one with")
    assert cli.main(["--db", str(path), "restore", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == listing


def test_keep_backups_setting_prunes_the_command_lines_copies(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAKE_TRACKER_KEEP_BACKUPS", "2")
    path = tmp_path / "bakery.sqlite3"
    assert cli.main(["--db", str(path), "demo"]) == 0
    export = tmp_path / "season.json"
    assert cli.main(["--db", str(path), "export", str(export)]) == 0
    assert cli.main(["--db", str(path), "backup"]) == 0
    for _ in range(3):
        assert cli.main(["--db", str(path), "import", str(export)]) == 0
    folder = tmp_path / "backups"
    assert len(names(folder, "bakery-auto-*")) == 2
    assert len([n for n in names(folder) if "-auto-" not in n]) == 1  # the manual one stays
