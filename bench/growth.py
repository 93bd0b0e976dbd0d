"""Growth ×10 of the read operations, measured in turn: ``python -m bench.growth``.

``python -m bench`` times each data set's operations in a group of their own, minutes apart, so
the ×10 ÷ ×1 ratio of a 1 ms operation also holds whatever else the machine ran in between (on a
shared 2-core machine, 0.85× to 3.9× for ``check_can_produce`` on ``dense10`` in one sitting,
with the same SQLite work per call). Here one process opens a fresh copy of both data sets and
calls the operation on each in turn (ABBA), so both medians see the same machine: what is left is
what the data set's size costs. The writes too (``record_batch_production``, ``record_assembly``,
as ``python -m bench`` calls them): each call moves its copy on by one run, the same on both
copies, and their rounds stay within what the data sets' stock holds for the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable

from bake_tracker import db
from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    dashboard_service,
    event_service,
)
from bench import DATA_DIR, pg
from bench.generate import PROFILES, TODAY, dataset_path, working_copy
from bench.run import on_disk

READS = ("check_can_produce", "check_can_assemble", "event_progress", "dashboard", "cost_breakdown")
WRITES = ("record_batch_production", "record_assembly")
# Runs the data sets' stock holds for (the generator's capacities), less the warm-up and a margin.
CAPACITY = {
    "record_batch_production": "production_capacity_batches",
    "record_assembly": "assembly_capacity",
}
WORK_DIR = DATA_DIR / f"growth-{os.getpid()}"


def operations(bench: dict) -> dict[str, Callable[[], object]]:
    """The read and write operations of ``python -m bench``, as it calls them."""
    return {
        "record_batch_production": lambda: batch_production_service.record_batch_production(
            bench["recipe_id"],
            bench["finished_unit_id"],
            1,
            8,  # the benchmark unit is a 1/8 slice of a batch
            event_id=bench["event_id"],
        ),
        "record_assembly": lambda: assembly_service.record_assembly(
            bench["finished_good_id"], 1, event_id=bench["event_id"]
        ),
        "check_can_produce": lambda: batch_production_service.check_can_produce(
            bench["recipe_id"], 1
        ),
        "check_can_assemble": lambda: assembly_service.check_can_assemble(
            bench["finished_good_id"], 1
        ),
        "event_progress": lambda: (
            event_service.get_production_progress(bench["event_id"]),
            event_service.get_assembly_progress(bench["event_id"]),
            event_service.get_event_overall_progress(bench["event_id"]),
        ),
        "dashboard": lambda: dashboard_service.get_dashboard_summary(
            include_past=True, today=TODAY
        ),
        "cost_breakdown": lambda: dashboard_service.get_recipe_cost_breakdown(bench["event_id"]),
    }


def open_copy(name: str, backend: str):
    if backend == "postgresql":
        pg.ensure_loaded(name, _meta(name))
        return db.make_engine(pg.create(f"growth_{os.getpid()}_{name}", template=f"bench_{name}"))
    return db.make_engine(f"sqlite:///{on_disk(working_copy(name, WORK_DIR / f'{name}.sqlite3'))}")


def _meta(name: str) -> dict:
    return json.loads(dataset_path(name).with_suffix(".json").read_text())


def _room(profile: str, operation: str) -> int:
    """Calls a write can make on each copy: what the smaller data set's stock holds for, less
    the warm-up and a margin."""
    held = min(_meta(n)["bench"][CAPACITY[operation]] for n in (profile, f"{profile}10"))
    return held - 10


def in_turn(one: str, ten: str, backend: str, operation: str, rounds: int) -> str:
    """One line: each data set's wall and CPU median over ``rounds`` calls made in turn."""
    sets: dict[str, tuple] = {}
    try:
        for name in (one, ten):
            engine = open_copy(name, backend)
            sets[name] = (engine, operations(_meta(name)["bench"])[operation], [], [])
        for engine, call, _, _ in sets.values():
            db.bind_engine(engine)
            for _ in range(3):  # warm-up, as the bench's
                call()
        for turn in range(rounds):
            for name in (one, ten) if turn % 2 == 0 else (ten, one):
                engine, call, wall, cpu = sets[name]
                db.bind_engine(engine)
                cpu_start, started = time.process_time(), time.perf_counter()
                call()
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_start)
    finally:
        for name, (engine, *_) in sets.items():
            engine.dispose()
            if backend == "postgresql":
                pg.drop(f"growth_{os.getpid()}_{name}")
        shutil.rmtree(WORK_DIR, ignore_errors=True)
    (w1, c1), (w10, c10) = (
        (statistics.median(sets[n][2]), statistics.median(sets[n][3])) for n in (one, ten)
    )
    ratio = w10 / w1
    return (
        f"| {operation} | {backend} | {ten} / {one} | {w1 * 1e3:.2f} ({c1 * 1e3:.2f}) | "
        f"{w10 * 1e3:.2f} ({c10 * 1e3:.2f}) | {ratio:.2f}× ({'pass' if ratio <= 1.25 else 'FAIL'}; "
        f"CPU {c10 / c1:.2f}×) |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=READS + WRITES, default=list(READS))
    parser.add_argument("--profiles", nargs="+", choices=PROFILES, default=list(PROFILES))
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite"]
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=200,
        help="calls on each (dashboard: ÷ 5; a write: at most what stock holds for, 290)",
    )
    args = parser.parse_args(argv)
    print("| operation | backend | data sets | ×1 wall (CPU), ms | ×10 wall (CPU), ms | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for backend in args.backends:
        for profile in args.profiles:
            for operation in args.only:
                rounds = args.rounds // 5 if operation == "dashboard" else args.rounds
                if operation in CAPACITY:
                    rounds = min(rounds, _room(profile, operation))
                print(in_turn(profile, f"{profile}10", backend, operation, rounds), flush=True)
    print(f"- load average (1 min) at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
