"""Crash safety: a process recording production and assembly is killed with SIGKILL at random.

The child (``_crash_worker``) loops over production, assembly, voids, adjustments and purchases
on a copy of the sample season; the parent waits until it is ready, sleeps a random 20–300 ms and
kills it with SIGKILL, then checks the file it left behind:

* ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` is empty;
* ``integrity_service.check_invariants()`` finds no drift (every lot balances: purchases − draws −
  adjustments = on hand; stock counts = Σ lots; run totals = Σ ledgers);
* every production run has its ingredient ledger with lot rows and, unless voided, its output lot
  of exactly its yield; every assembly run has its ledgers and its output lot;
* every use case the child reported as done (committed) is in the database.

``BAKE_TRACKER_CRASH_KILLS`` sets the number of kills (15 by default, for CI); the full run is
``BAKE_TRACKER_CRASH_KILLS=100 .venv/bin/python -m pytest tests/reliability/test_crash.py``.
``BAKE_TRACKER_CRASH_SEED`` repeats a run's random moments (the seed is printed).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bake_tracker import db
from bake_tracker import main as cli
from bake_tracker.config import sqlite_url
from bake_tracker.services import catalog_service, inventory_service
from tests.reliability.conftest import assert_sound

pytestmark = [pytest.mark.sqlite_only, pytest.mark.crash]

KILLS = int(os.environ.get("BAKE_TRACKER_CRASH_KILLS", "15"))
SEED = int(os.environ.get("BAKE_TRACKER_CRASH_SEED", str(random.randrange(1_000_000))))
REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0

# Rows that must never exist after a crash (each query lists offending ids).
BROKEN = {
    "production run without ingredient ledger": """
        SELECT r.id FROM production_runs r WHERE NOT EXISTS
            (SELECT 1 FROM production_consumptions c WHERE c.production_run_id = r.id)""",
    "ingredient line without lot rows": """
        SELECT c.id FROM production_consumptions c WHERE c.quantity_consumed > 0 AND NOT EXISTS
            (SELECT 1 FROM production_consumption_lots l WHERE l.consumption_id = c.id)""",
    "production run without its output lot": """
        SELECT r.id FROM production_runs r
        WHERE r.voided_at IS NULL AND r.actual_yield > 0 AND NOT EXISTS
            (SELECT 1 FROM finished_unit_lots l
             WHERE l.production_run_id = r.id AND l.quantity_initial = r.actual_yield)""",
    "assembly run without ledgers": """
        SELECT a.id FROM assembly_runs a WHERE NOT EXISTS
            (SELECT 1 FROM assembly_finished_unit_consumptions c WHERE c.assembly_run_id = a.id)
        AND NOT EXISTS
            (SELECT 1 FROM assembly_finished_good_consumptions c WHERE c.assembly_run_id = a.id)""",
    "assembly run without its output lot": """
        SELECT a.id FROM assembly_runs a WHERE a.voided_at IS NULL AND NOT EXISTS
            (SELECT 1 FROM finished_good_lots l
             WHERE l.assembly_run_id = a.id AND l.quantity_initial = a.quantity_assembled)""",
}
DONE_TABLES = {
    "production": "production_runs",
    "assembly": "assembly_runs",
    "purchase": "purchases",
    "adjust": "inventory_items",
    "void": "production_runs",
}


@dataclass
class Tally:
    kills: int = 0
    mid_use_case: int = 0
    committed: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def crash_db(sample_template: Path, tmp_path: Path) -> Path:
    """The sample season with plenty of everything in the pantry."""
    path = tmp_path / "crash.sqlite3"
    shutil.copyfile(sample_template, path)
    engine = db.make_engine(sqlite_url(path))
    db.bind_engine(engine)
    for ingredient in catalog_service.list_ingredients():
        for product in catalog_service.list_products(ingredient.slug):
            inventory_service.record_purchase(
                product.id, quantity=2000, total_cost=2000, purchase_date="2025-11-30"
            )
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def start_worker(path: Path, seed: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability._crash_worker", str(path), str(seed)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT
    line = process.stdout.readline()
    if line.strip() != "ready" or time.monotonic() > deadline:
        process.kill()
        raise AssertionError(f"worker did not start: {line!r} {process.stderr.read()[-2000:]}")
    return process


def verify(path: Path, lines: list[str], tally: Tally) -> None:
    integrity_and_ledgers(path)
    engine = db.make_engine(sqlite_url(path))
    db.bind_engine(engine)
    try:
        assert_sound()
    finally:
        engine.dispose()
    connection = sqlite3.connect(path)
    try:
        for line in lines:
            words = line.split()
            if words[:1] == ["done"]:
                what, key = words[1], int(words[2])
                tally.committed[what] = tally.committed.get(what, 0) + 1
                row = connection.execute(
                    f"SELECT 1 FROM {DONE_TABLES[what]} WHERE id = ?", (key,)
                ).fetchone()
                assert row is not None, f"committed {what} #{key} was lost"
    finally:
        connection.close()
    if lines and lines[-1].startswith("begin"):
        tally.mid_use_case += 1


def integrity_and_ledgers(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        for problem, query in BROKEN.items():
            ids = [row[0] for row in connection.execute(query)]
            assert ids == [], f"{problem}: {ids[:10]}"
    finally:
        connection.close()


def test_sigkill_at_random_moments_loses_nothing(
    crash_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    for kill in range(KILLS):
        process = start_worker(crash_db, rng.randrange(1_000_000))
        time.sleep(rng.uniform(0.02, 0.3))
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL, err[-2000:]
        tally.kills += 1
        try:
            verify(crash_db, out.splitlines(), tally)
        except AssertionError as error:
            raise AssertionError(f"kill {kill + 1} (seed {SEED}): {error}") from error
    assert cli.main(["--db", str(crash_db), "check"]) == cli.EXIT_OK
    with capsys.disabled():
        print(
            f"\ncrash loop (seed {SEED}): {tally.kills} kills, {tally.mid_use_case} inside a use "
            f"case, committed before the kills: {tally.committed}"
        )
    assert sum(tally.committed.values()) > 0, "the worker never got to write anything"
