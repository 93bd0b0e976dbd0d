"""Crash safety: a process recording production and assembly is killed with SIGKILL at random.

The child (``_crash_worker``) loops over production, assembly, voids, adjustments and purchases
on a copy of the sample season; the parent waits until it is ready, sleeps a random 20–300 ms and
kills it with SIGKILL, then checks the database it left behind. On SQLite that is the file the
process was writing; on the PostgreSQL run, a server database whose client died mid-transaction:

* on SQLite, ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` is empty;
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
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from bake_tracker import db
from bake_tracker import main as cli
from bake_tracker.config import DATABASE_URL_ENV
from bake_tracker.services import catalog_service, inventory_service
from tests.databases import ON_POSTGRESQL
from tests.reliability.conftest import assert_sound, checkpoint, sqlite_file

pytestmark = [pytest.mark.crash, pytest.mark.posix]

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
def crash_url(sample_url: str) -> str:
    """The sample season with plenty of everything in the pantry."""
    engine = db.make_engine(sample_url)
    db.bind_engine(engine)
    for ingredient in catalog_service.list_ingredients():
        for product in catalog_service.list_products(ingredient.slug):
            inventory_service.record_purchase(
                product.id, quantity=2000, total_cost=2000, purchase_date="2025-11-30"
            )
    if not ON_POSTGRESQL:
        checkpoint(engine)
    engine.dispose()
    return sample_url


def start_worker(url: str, seed: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability._crash_worker", url, str(seed)],
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


def verify(url: str, lines: list[str], tally: Tally) -> None:
    engine = db.make_engine(url)
    db.bind_engine(engine)
    try:
        assert_sound(sqlite_file(url))
        with engine.connect() as connection:
            for problem, query in BROKEN.items():
                ids = connection.exec_driver_sql(query).scalars().all()
                assert ids == [], f"{problem}: {ids[:10]}"
            for line in lines:
                words = line.split()
                if words[:1] == ["done"]:
                    what, key = words[1], int(words[2])
                    tally.committed[what] = tally.committed.get(what, 0) + 1
                    row = connection.execute(
                        text(f"SELECT 1 FROM {DONE_TABLES[what]} WHERE id = :key"), {"key": key}
                    ).first()
                    assert row is not None, f"committed {what} #{key} was lost"
    finally:
        engine.dispose()
    if lines and lines[-1].startswith("begin"):
        tally.mid_use_case += 1


def test_sigkill_at_random_moments_loses_nothing(
    crash_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    tally = Tally()
    for kill in range(KILLS):
        process = start_worker(crash_url, rng.randrange(1_000_000))
        time.sleep(rng.uniform(0.02, 0.3))
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=30)
        assert process.returncode == -signal.SIGKILL, err[-2000:]
        tally.kills += 1
        try:
            verify(crash_url, out.splitlines(), tally)
        except AssertionError as error:
            raise AssertionError(f"kill {kill + 1} (seed {SEED}): {error}") from error
    monkeypatch.setenv(DATABASE_URL_ENV, crash_url)
    assert cli.main(["check"]) == cli.EXIT_OK
    with capsys.disabled():
        print(
            f"\ncrash loop on {'PostgreSQL' if ON_POSTGRESQL else 'SQLite'} (seed {SEED}): "
            f"{tally.kills} kills, {tally.mid_use_case} inside a use "
            f"case, committed before the kills: {tally.committed}"
        )
    assert sum(tally.committed.values()) > 0, "the worker never got to write anything"
