"""Disk and file faults on real file systems: a full disk, a read-only disk, a locked file and a
damaged file, each through the command line as a user runs it (a separate process: its exit code,
its stderr, and the files it leaves).

The full and read-only disks are real: a small ``tmpfs`` mounted for the test (and remounted
read-only), which needs root — CI runs as root; anywhere else these tests fail, never skip. Each
fault must get its own words (``core.faults``) with a way out that works, never a traceback or
"Restore a backup" for a disk that is merely full or read-only, and must leave no 0-byte database,
no partial backup and no half-written export behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bake_tracker.core import faults
from tests.reliability.test_storage_faults import damage, locked, root_page

pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]
LEAKS = ("Traceback", "[SQL:", "sqlalche.me", "Logging error", "--- Logging")


def run(*args: str, data_dir: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``bake-tracker ARGS`` in its own process, with its data (and log) folder at ``data_dir``."""
    env = {**os.environ, "BAKE_TRACKER_DATA_DIR": str(data_dir)}
    env.pop("BAKE_TRACKER_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bake_tracker", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


def one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    """stderr is exactly one ``bake-tracker: …`` line, with nothing a user should not see."""
    err = done.stderr
    assert err.startswith("bake-tracker: ") and err.count("\n") == 1, err
    assert not any(leak in err for leak in LEAKS), err
    return err


def leftovers(folder: Path) -> list[str]:
    """Empty, partial or temporary files anywhere under ``folder``."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        name = path.name
        empty = path.stat().st_size == 0 and not name.endswith(("-wal", "-shm", ".log"))
        if empty or name.endswith((".part", ".tmp")):
            found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs here (root needed): {made.stderr.decode()[:200]}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` until only ``leave`` bytes are free."""
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("ab") as handle:
        handle.write(b"\0" * max(0, free - leave))
    assert shutil.disk_usage(disk).free <= leave + 4096


def remount_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


# --- a full disk ----------------------------------------------------------------------------------


def test_a_full_disk_says_full_with_the_space_free_and_leaves_nothing_behind(
    sample_db: Path, small_disk: Path
) -> None:
    """The database, the log folder and every target on one full disk: every command says the
    disk is full (how much is free), nothing prints a logging traceback, and no command leaves a
    0-byte database, a partial backup or a temporary export."""
    path = small_disk / "bakery.sqlite3"
    shutil.copyfile(sample_db, path)
    data = small_disk / "data"
    assert run("--db", str(path), "check", data_dir=data).returncode == 0  # log file made
    fill(small_disk)
    original = path.read_bytes()
    for command in (
        ["check"],
        ["export", str(small_disk / "everything.json")],
        ["backup"],
        ["backup", str(small_disk / "copy.sqlite3")],
        ["import", str(small_disk / "everything.json")],
    ):
        done = run("--db", str(path), *command, data_dir=data)
        err = one_clear_line(done)
        assert done.returncode == 2, (command, err)
        assert "The disk is full" in err and "0 bytes free" in err, (command, err)
        assert "restore" not in err.lower(), (command, err)
    new = small_disk / "new.sqlite3"
    done = run("--db", str(new), "demo", data_dir=data)
    assert done.returncode == 2 and "The disk is full" in one_clear_line(done)
    assert not new.exists(), "demo left a database file on a full disk"
    assert path.read_bytes() == original
    assert leftovers(small_disk) == []
    assert not (small_disk / "backups").exists() or not any((small_disk / "backups").iterdir())


def test_a_backup_and_an_export_too_big_for_the_disk_say_how_much_is_needed(
    sample_db: Path, small_disk: Path, tmp_path: Path
) -> None:
    """The database elsewhere, the targets on a disk with 32 KB free (the sample's backup is
    ~800 KB, its export ~60 KB): the message gives the room free and needed, and no partial
    backup or export is left."""
    data = tmp_path / "data"
    fill(small_disk, leave=32 * 1024)
    needed = faults.size_text(sample_db.stat().st_size)
    done = run("--db", str(sample_db), "backup", str(small_disk / "copy.sqlite3"), data_dir=data)
    err = one_clear_line(done)
    assert done.returncode == 3
    assert "The disk is full" in err and f"about {needed} needed" in err and "KB free" in err
    assert "No partial backup was left behind" in err
    done = run("--db", str(sample_db), "export", str(small_disk / "all.json"), data_dir=data)
    err = one_clear_line(done)
    assert done.returncode == 3
    assert "The disk is full" in err and "KB needed" in err and "KB free" in err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_log_folder_on_a_full_disk_never_prints_a_logging_traceback(
    sample_db: Path, small_disk: Path, tmp_path: Path
) -> None:
    data = small_disk / "data"
    assert run("--db", str(sample_db), "where", data_dir=data).returncode == 0
    fill(small_disk)
    for command in (["check"], ["export", str(tmp_path / "x.json")], ["backups"]):
        done = run("--db", str(sample_db), *command, data_dir=data)
        assert done.returncode == 0 and done.stderr == "", (command, done.stderr)
    done = run("--db", str(sample_db), "where", data_dir=data)
    assert "not written: the disk is full" in done.stdout


# --- a read-only disk -----------------------------------------------------------------------------


def test_a_read_only_disk_reads_everything_and_refuses_writes_as_read_only(
    sample_db: Path, small_disk: Path, tmp_path: Path
) -> None:
    path = small_disk / "bakery.sqlite3"
    shutil.copyfile(sample_db, path)
    data = small_disk / "data"  # the log folder cannot be written either
    backup = tmp_path / "good.sqlite3"
    shutil.copyfile(sample_db, backup)
    remount_read_only(small_disk)
    original = path.read_bytes()
    reads = {
        "check": ["check"],
        "export": ["export", str(tmp_path / "everything.json")],
        "backup elsewhere": ["backup", str(tmp_path / "copy.sqlite3")],
        "where": ["where"],
        "backups": ["backups"],
    }
    for name, command in reads.items():
        done = run("--db", str(path), *command, data_dir=data)
        assert done.returncode == 0 and done.stderr == "", (name, done.stderr)
    exported = (tmp_path / "everything.json").read_text()
    assert '"ingredients"' in exported
    sqlite3.connect(tmp_path / "copy.sqlite3").execute("SELECT count(*) FROM recipes").fetchone()
    writes = {
        "import": ["import", str(tmp_path / "everything.json"), "--mode", "replace"],
        "restore": ["restore", str(backup)],
        "demo": ["demo"],
        "backup beside it": ["backup"],
    }
    for name, command in writes.items():
        done = run("--db", str(path), *command, data_dir=data)
        err = one_clear_line(done)
        assert done.returncode in (2, 3), (name, err)
        assert "read-only" in err, (name, err)
        assert "not a bake-tracker backup" not in err and "Restore a backup" not in err
    assert path.read_bytes() == original
    assert sorted(p.name for p in small_disk.iterdir()) == ["bakery.sqlite3"]


def test_restoring_onto_a_read_only_file_says_read_only(sample_db: Path, tmp_path: Path) -> None:
    from tests.reliability.test_storage_faults import read_only

    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(sample_db, backup)
    with read_only(sample_db):
        done = run("--db", str(sample_db), "restore", str(backup), data_dir=tmp_path / "data")
    err = one_clear_line(done)
    assert done.returncode == 3 and "read-only" in err and str(sample_db) in err
    assert "not a bake-tracker backup" not in err


# --- locked by another program --------------------------------------------------------------------


def test_a_database_locked_by_another_program_says_so(sample_db: Path, tmp_path: Path) -> None:
    with locked(sample_db, "exclusive"):
        done = run("--db", str(sample_db), "check", data_dir=tmp_path / "data", timeout=60)
    err = one_clear_line(done)
    assert done.returncode == 2
    assert "locked by another program" in err and "Close the other program" in err
    assert "backup" not in err.lower()


# --- damaged --------------------------------------------------------------------------------------


def every_row(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
    finally:
        connection.close()


@pytest.mark.parametrize("where", ["header", "data page"])
def test_restore_onto_a_damaged_database_works_and_keeps_the_damaged_file(
    sample_db: Path, tmp_path: Path, where: str
) -> None:
    backup = tmp_path / "backups-elsewhere" / "good.sqlite3"
    backup.parent.mkdir()
    shutil.copyfile(sample_db, backup)
    expected = every_row(backup)
    offset = 0 if where == "header" else root_page(sample_db, "inventory_items")[0]
    damage(sample_db, offset)
    damaged_bytes = sample_db.read_bytes()
    data = tmp_path / "data"
    done = run("--db", str(sample_db), "check", data_dir=data)
    err = one_clear_line(done)
    assert "damaged" in err and "bake-tracker restore" in err
    done = run("--db", str(sample_db), "restore", str(backup), data_dir=data)
    assert done.returncode == 0, done.stderr
    kept = [p for p in sample_db.parent.iterdir() if "-damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    assert kept[0].name.startswith("sample-damaged-20") and kept[0].suffix == ".sqlite3"
    assert f"the damaged database was kept as {kept[0]}" in done.stdout
    assert every_row(sample_db) == expected
    assert run("--db", str(sample_db), "check", data_dir=data).returncode == 0


def test_restoring_a_bad_backup_onto_a_damaged_database_changes_nothing(
    sample_db: Path, tmp_path: Path
) -> None:
    damage(sample_db, 0)
    damaged_bytes = sample_db.read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 50)
    done = run("--db", str(sample_db), "restore", str(junk), data_dir=tmp_path / "data")
    assert done.returncode == 2 and "not a bake-tracker" in one_clear_line(done)
    assert sample_db.read_bytes() == damaged_bytes
    assert not [p for p in sample_db.parent.iterdir() if "-damaged-" in p.name]
