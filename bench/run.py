"""Time every budgeted operation on the big season and print one table.

``python -m bench [--quick] [--repeat N] [--only NAME ...] [--profile NAME] [--json PATH]``

Each service call runs the way the app makes it: no session passed, so it opens and commits its
own transaction on an engine from ``bake_tracker.db.make_engine`` (WAL, ``synchronous=NORMAL``),
in a long-lived process whose connection pool and SQLite page cache are warm (a few untimed
warm-up calls precede the timed ones). Every group of operations works on a fresh copy of the
generated file, so repeated runs start from the same state and writes never run out of stock.

Budgets with two figures are checked as median and p95; a single figure is checked against the
median (the p95 is shown). Statement counts come from a ``before_cursor_execute`` listener: an
``executemany`` counts once, the ``BEGIN`` counts, ``COMMIT`` is not a statement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy

from bake_tracker import db
from bake_tracker.services import (
    assembly_service,
    batch_production_service,
    dashboard_service,
    event_service,
    transfer_service,
)
from bench import DATA_DIR, REPO_DIR, datasets, pg
from bench.display import NoDisplayError, x_display
from bench.generate import (
    PROFILES,
    SCALES,
    TODAY,
    dataset_path,
    working_copy,
)
from bench.measure import Samples, StatementLog, fmt_seconds, profile_text, sample

# Scratch copies of this run (several runs may go at once: each has its own folder and names).
WORK_DIR = DATA_DIR / f"work-{os.getpid()}"
COPY_PREFIX = f"bt_{os.getpid()}_"  # PostgreSQL copies
MS = 0.001
STATEMENT_BUDGET = 20
# Issue 18's budgets (median, p95 or None), the same on every data set.
BUDGETS = {
    "record_batch_production": (4 * MS, 10 * MS),
    "check_can_produce": (1.5 * MS, 3 * MS),
    "record_assembly": (4 * MS, 10 * MS),
    "check_can_assemble": (1 * MS, 2 * MS),
    "event_progress": (3 * MS, None),
    "dashboard": (30 * MS, None),
    "cost_breakdown": (5 * MS, None),
    "export": (8.0, None),
    "import": (8.0, None),
    "app_start": (1.5, None),
}
BUDGETS_PG = {  # PostgreSQL (local server)
    "record_batch_production": (8 * MS, 20 * MS),
    "check_can_produce": (3 * MS, 6 * MS),
    "record_assembly": (8 * MS, 20 * MS),
    "check_can_assemble": (2 * MS, 4 * MS),
    "event_progress": (6 * MS, None),
    "dashboard": (60 * MS, None),
    "cost_breakdown": (10 * MS, None),
    "export": (15.0, None),
    "import": (15.0, None),
    "app_start": (1.5, None),  # not measured on PostgreSQL
}
BIG_BATCHES = 60  # the "many lots" variant of the statement count
# The app starts as a user starts it (``python -m bake_tracker --db FILE``, the window's own code
# path) and prints, once drawn, when its imports were done, its window built and drawn
# (``main.close_when_drawn``):
# "window drawn at T (imports done at T1, window built at T2) (cpu C s)".
DRAWN_LINE = re.compile(
    r"window drawn at (?P<ready>[\d.]+) \(imports done at (?P<imports>[\d.]+), "
    r"window built at (?P<built>[\d.]+)\) \(cpu (?P<cpu>[\d.]+) s\)"
)


@dataclass
class Row:
    """One line of the results table."""

    key: str
    operation: str
    budget: str
    median: float | None = None
    p95: float | None = None
    statements: str = "-"
    passed: bool | None = None
    samples: int = 0
    note: str = ""
    cpu_median: float | None = None  # CPU time of this process (or the app's), load-independent

    def cells(self) -> list[str]:
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[self.passed]
        return [
            self.operation,
            self.budget,
            fmt_seconds(self.median) if self.median is not None else "-",
            fmt_seconds(self.p95) if self.p95 is not None else "-",
            self.statements,
            verdict,
        ]


def judged(samples: Samples, median_budget: float, p95_budget: float | None) -> bool:
    ok = samples.median <= median_budget
    return ok and (p95_budget is None or samples.p95 <= p95_budget)


class Runner:
    def __init__(
        self, args: argparse.Namespace, dataset: str = "big", backend: str = "sqlite"
    ) -> None:
        self.args = args
        self.dataset = dataset
        self.backend = backend
        self.budgets = BUDGETS_PG if backend == "postgresql" else BUDGETS
        self.quick = args.quick
        self.repeat = args.repeat or (15 if args.quick else 50)
        self.slow_repeat = 1 if args.quick else 3
        self.app_repeat = 2 if args.quick else 3
        self.meta = datasets.ensure(dataset, log=self.say)
        self.small = datasets.ensure("small", log=self.say)
        if backend == "postgresql":
            pg.ensure_loaded(dataset, self.meta, log=self.say)
            pg.ensure_loaded("small", self.small, log=self.say)
        self.bench = self.meta["bench"]
        self.rows: list[Row] = []
        self.details: dict[str, object] = {}
        self.engine = None
        WORK_DIR.mkdir(parents=True, exist_ok=True)

    @property
    def label(self) -> str:
        return self.dataset if self.backend == "sqlite" else f"{self.dataset}, {self.backend}"

    def say(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # --- databases ----------------------------------------------------------------------------

    def open_copy(self, name: str, scale: str | None = None):
        """A fresh copy of the generated file (on PostgreSQL: of its loaded database), bound as
        the app's database."""
        self.close()
        scale = scale or self.dataset
        if self.backend == "postgresql":
            copy = pg.create(f"{COPY_PREFIX}{name}", template=f"bench_{scale}")
            self.engine = db.make_engine(copy)
            db.bind_engine(self.engine)
            return self.engine
        path = on_disk(working_copy(scale, WORK_DIR / f"{name}.sqlite3"))
        self.what_if(path)
        self.engine = db.make_engine(f"sqlite:///{path}")
        db.bind_engine(self.engine)
        return self.engine

    def what_if(self, path: Path) -> None:
        """Apply ``--what-if`` SQL (say, a candidate index) to a copy before it is measured."""
        if not self.args.what_if:
            return
        connection = sqlite3.connect(path)
        try:
            for statement in self.args.what_if:
                connection.execute(statement)
            connection.commit()
        finally:
            connection.close()

    def open_empty(self, name: str):
        self.close()
        if self.backend == "postgresql":
            self.engine = db.make_engine(pg.create(f"{COPY_PREFIX}{name}"))
            db.upgrade_to_head(self.engine)
            db.bind_engine(self.engine)
            return self.engine
        path = WORK_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.engine = db.make_engine(f"sqlite:///{path}")
        db.upgrade_to_head(self.engine)
        db.bind_engine(self.engine)
        return self.engine

    def close(self) -> None:
        if self.engine is not None:
            url = self.engine.url
            self.engine.dispose()
            self.engine = None
            if self.backend == "postgresql" and url.database.startswith(COPY_PREFIX):
                pg.drop(url.database)  # copies are large; keep none

    # --- the operations -----------------------------------------------------------------------

    def produce(self, batches: int = 1, bench: dict | None = None):
        bench = bench or self.bench
        return batch_production_service.record_batch_production(
            bench["recipe_id"],
            bench["finished_unit_id"],
            batches,
            8 * batches,  # the benchmark unit is a 1/8 slice of a batch
            event_id=bench["event_id"],
        )

    @staticmethod
    def operation_names() -> list[str]:
        return [
            "record_batch_production",
            "statements",
            "check_can_produce",
            "record_assembly",
            "check_can_assemble",
            "event_progress",
            "dashboard",
            "cost_breakdown",
            "durability",
            "export_import",
            "app_start",
        ]

    def operations(self) -> dict[str, Callable[[], None]]:
        """Name → method, in table order (``--only`` and ``--profile`` use the names)."""
        return {
            "record_batch_production": self.run_record_production,
            "statements": self.run_statement_counts,
            "check_can_produce": self.run_check_produce,
            "record_assembly": self.run_record_assembly,
            "check_can_assemble": self.run_check_assemble,
            "event_progress": self.run_progress,
            "dashboard": self.run_dashboard,
            "cost_breakdown": self.run_cost_breakdown,
            "durability": self.run_durability,
            "export_import": self.run_export_import,
            "app_start": self.run_app_start,
        }

    def timed(
        self,
        key: str,
        operation: str,
        call: Callable[[int], object],
        budgets: tuple[float, float | None],
        *,
        repeat: int | None = None,
        warmup: int = 3,
        check: Callable[[object], None] | None = None,
    ) -> Row:
        repeat = repeat or self.repeat
        self.say(f"[{self.label}] {operation}: {warmup} warm-up + {repeat} timed calls ...")
        with StatementLog(self.engine) as log:
            samples = sample(call, repeat, warmup=warmup, log=log, check=check)
        median_budget, p95_budget = budgets
        budget = f"≤ {fmt_seconds(median_budget)}"
        if p95_budget is not None:
            budget += f" / ≤ {fmt_seconds(p95_budget)}"
        row = Row(
            key,
            operation,
            budget,
            samples.median,
            samples.p95,
            samples.statement_range(),
            judged(samples, median_budget, p95_budget),
            len(samples.seconds),
            cpu_median=samples.cpu_median,
        )
        self.rows.append(row)
        self.details[f"{key}_seconds"] = samples.seconds
        return row

    def run_record_production(self) -> None:
        self.open_copy("record_production")
        limit = self.bench["production_capacity_batches"] - 5
        repeat = min(self.repeat, limit - 3)
        self.timed(
            "record_batch_production",
            "record_batch_production, 15 lines, 3 levels",
            lambda i: self.produce(),
            self.budgets["record_batch_production"],
            repeat=repeat,
        )

    def run_statement_counts(self) -> None:
        """Statements per record_batch_production: 1 batch and many batches on the big season,
        1 batch on the small one (same recipe tree, ~1/60 of the history)."""
        counts, lots, statements = {}, {}, {}
        for label, scale, batches in (
            (f"{self.dataset}, 1 batch", self.dataset, 1),
            (f"{self.dataset}, {BIG_BATCHES} batches", self.dataset, BIG_BATCHES),
            ("small season, 1 batch", "small", 1),
        ):
            self.open_copy(f"statements_{scale}", scale)
            bench = (self.meta if scale == self.dataset else self.small)["bench"]
            self.produce(1, bench)  # warm the compiled-statement cache
            with StatementLog(self.engine) as log:
                result = self.produce(batches, bench)
            counts[label] = log.count
            lots[label] = sum(len(line.lots) for line in result.consumptions)
            statements[label] = [sql.split("\n")[0][:110] for sql, _ in log.statements]
        values = list(counts.values())
        constant = len(set(values)) == 1
        row = Row(
            "statements",
            "SQL statements per record_batch_production",
            f"≤ {STATEMENT_BUDGET}, constant",
            statements=" / ".join(str(v) for v in values),
            passed=constant and max(values) <= STATEMENT_BUDGET,
            note="; ".join(f"{k}: {counts[k]} statements, {lots[k]} lots drawn" for k in counts),
        )
        self.rows.append(row)
        self.details["statement_counts"] = counts
        self.details["lots_drawn"] = lots
        self.details["statements_record_batch_production"] = statements[f"{self.dataset}, 1 batch"]

    def run_check_produce(self) -> None:
        self.open_copy("reads")

        def check(result) -> None:
            assert result.can_produce and len(result.items) == 15, result

        self.timed(
            "check_can_produce",
            "check_can_produce, same recipe",
            lambda i: batch_production_service.check_can_produce(self.bench["recipe_id"], 1),
            self.budgets["check_can_produce"],
            check=check,
        )

    def run_record_assembly(self) -> None:
        self.open_copy("record_assembly")
        repeat = min(self.repeat, self.bench["assembly_capacity"] - 5)
        self.timed(
            "record_assembly",
            "record_assembly, 5 finished units + packaging",
            lambda i: assembly_service.record_assembly(
                self.bench["finished_good_id"], 1, event_id=self.bench["event_id"]
            ),
            self.budgets["record_assembly"],
            repeat=repeat,
        )

    def run_check_assemble(self) -> None:
        self.open_copy("reads")

        def check(result) -> None:
            assert result.can_assemble and len(result.items) == 7, result

        self.timed(
            "check_can_assemble",
            "check_can_assemble, same",
            lambda i: assembly_service.check_can_assemble(self.bench["finished_good_id"], 1),
            self.budgets["check_can_assemble"],
            check=check,
        )

    def run_progress(self) -> None:
        self.open_copy("reads")
        event_id = self.bench["event_id"]

        def progress(i):
            return (
                event_service.get_production_progress(event_id),
                event_service.get_assembly_progress(event_id),
                event_service.get_event_overall_progress(event_id),
            )

        def check(result) -> None:
            production, assembly, overall = result
            assert production and assembly and overall.assignments_total > 0

        self.timed(
            "event_progress",
            "one event's progress (production + assembly + overall)",
            progress,
            self.budgets["event_progress"],
            check=check,
        )
        self.details["progress_event"] = {
            "id": event_id,
            "name": self.bench["event_name"],
            "production_targets": len(progress(0)[0]),
            "assembly_targets": len(progress(0)[1]),
        }

    def run_dashboard(self) -> None:
        self.open_copy("reads")

        def check(result) -> None:
            assert len(result) == self.meta["counts"]["events"], len(result)

        self.timed(
            "dashboard",
            f"get_dashboard_summary over {self.meta['counts']['events']} events",
            lambda i: dashboard_service.get_dashboard_summary(include_past=True, today=TODAY),
            self.budgets["dashboard"],
            check=check,
        )

    def run_cost_breakdown(self) -> None:
        self.open_copy("reads")
        event_id = self.bench["event_id"]

        def check(result) -> None:
            assert result, "the benchmark event has production targets"

        self.timed(
            "cost_breakdown",
            "recipe cost breakdown, 1 event",
            lambda i: dashboard_service.get_recipe_cost_breakdown(event_id),
            self.budgets["cost_breakdown"],
            check=check,
        )

    def run_durability(self) -> None:
        """The price of durable commits (issue 16 T9) on record_batch_production, 100 calls per
        setting on fresh copies: ``synchronous=NORMAL`` with SQLite's automatic checkpoint every
        1,000 pages (before), ``FULL`` with the same, and ``FULL`` with the automatic checkpoint
        raised to ``db.WAL_AUTOCHECKPOINT_PAGES`` and a passive checkpoint between calls (what
        the window's idle loop does; not timed: nobody waits for it)."""
        if self.backend != "sqlite":
            return
        settings = (
            ("NORMAL", 1000, False, "synchronous=NORMAL, checkpoint at 1,000 pages (before)"),
            ("FULL", 1000, False, "synchronous=FULL, checkpoint at 1,000 pages"),
            (
                "FULL",
                db.WAL_AUTOCHECKPOINT_PAGES,
                True,
                f"synchronous=FULL, checkpoint at {db.WAL_AUTOCHECKPOINT_PAGES:,} pages + idle "
                "checkpoints (now)",
            ),
        )
        repeat = min(100, self.bench["production_capacity_batches"] - 10)
        for synchronous, pages, idle, label in settings:
            saved = db.SYNCHRONOUS, db.WAL_AUTOCHECKPOINT_PAGES
            db.SYNCHRONOUS, db.WAL_AUTOCHECKPOINT_PAGES = synchronous, pages
            try:
                self.open_copy("durability")
                self.say(f"[{self.label}] durability, {label}: 3 warm-up + {repeat} calls ...")
                samples = Samples()
                for i in range(3 + repeat):
                    cpu, started = time.process_time(), time.perf_counter()
                    self.produce()
                    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                    if i >= 3:
                        samples.seconds.append(elapsed)
                        samples.cpu_seconds.append(cpu)
                    if idle:
                        db.checkpoint(self.engine)
            finally:
                db.SYNCHRONOUS, db.WAL_AUTOCHECKPOINT_PAGES = saved
                self.close()
            budgets = self.budgets["record_batch_production"]
            self.rows.append(
                Row(
                    f"durability_{synchronous.lower()}_{pages}",
                    f"record_batch_production, {label}",
                    f"≤ {fmt_seconds(budgets[0])} / ≤ {fmt_seconds(budgets[1])}",
                    samples.median,
                    samples.p95,
                    "-",
                    judged(samples, *budgets),
                    len(samples.seconds),
                    cpu_median=samples.cpu_median,
                )
            )
            self.details[f"durability_{synchronous}_{pages}_seconds"] = samples.seconds

    def run_export_import(self) -> None:
        document = WORK_DIR / "export.json"
        self.open_copy("reads")
        counts = self.meta["counts"]

        def export(i):
            return transfer_service.export_data(document)

        def check_export(result) -> None:
            assert all(len(result[name]) == n for name, n in counts.items()), "export incomplete"

        row = self.timed(
            "export",
            "full export (export_data to a file)",
            export,
            self.budgets["export"],
            repeat=self.slow_repeat,
            warmup=0,
            check=check_export,
        )
        size = document.stat().st_size
        row.note = f"document {size / 2**20:.0f} MB"
        self.details["export_bytes"] = size

        def import_(i):
            self.open_empty(f"import_{i}")
            with StatementLog(self.engine) as log:
                cpu = time.process_time()
                started = time.perf_counter()
                result = transfer_service.import_data(document)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu
            return result, elapsed, cpu, log.count

        samples = Samples()
        self.say(f"full import: {self.slow_repeat} timed calls into empty databases ...")
        for i in range(self.slow_repeat):
            result, elapsed, cpu, count = import_(i)
            assert not result.errors, result.errors[:5]
            assert all(result.added[name] == n for name, n in counts.items()), result.added
            samples.seconds.append(elapsed)
            samples.cpu_seconds.append(cpu)
            samples.statements.append(count)
        self.rows.append(
            Row(
                "import",
                "full import (import_data into an empty database)",
                f"≤ {fmt_seconds(self.budgets['import'][0])}",
                samples.median,
                samples.p95,
                samples.statement_range(),
                samples.median <= self.budgets["import"][0],
                len(samples.seconds),
                cpu_median=samples.cpu_median,
            )
        )
        self.details["import_seconds"] = samples.seconds
        self.close()
        for i in range(self.slow_repeat):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{WORK_DIR / f'import_{i}.sqlite3'}{suffix}").unlink(missing_ok=True)

    def run_app_start(self) -> None:
        """The window's warm start on the data set (its dashboard as the data set's date makes
        it: ``big`` has no upcoming event) and on the sample season a new user gets (two
        upcoming events: their cards, the nearest one's progress, costs and chart drawn),
        launched in turn."""
        if self.backend != "sqlite":
            return  # budgeted on SQLite only
        path = working_copy(self.dataset, WORK_DIR / "app_start.sqlite3")
        self.what_if(path)
        self.close()
        try:
            with x_display() as display, tempfile.TemporaryDirectory() as data_dir:
                env = dict(
                    os.environ,
                    DISPLAY=display,
                    BAKE_TRACKER_DATA_DIR=data_dir,
                    BAKE_TRACKER_CLOSE_AFTER_MS="0",
                )
                # An installed app (pip, the bundle) runs from compiled bytecode; a developer
                # shell that forbids writing it would time the compiler at every start.
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                sample = self.sample_season(env)
                urls = {"app_start": f"sqlite:///{path}", "app_start_sample": f"sqlite:///{sample}"}
                self.say(
                    f"app start: 1 warm-up + {self.app_repeat} launches of each on {display} ..."
                )
                phases: dict[str, list[dict[str, float]]] = {key: [] for key in urls}
                for _ in range(self.app_repeat + 1):
                    for key, url in urls.items():
                        phases[key].append(self.launch(url, env))
        except NoDisplayError as error:
            self.rows.append(
                Row("app_start", "app start to a usable window", "≤ 1.50 s", note=str(error))
            )
            return
        operations = {
            "app_start": "app start to a usable window (process start → window drawn)",
            "app_start_sample": "the same on the sample season (its upcoming event drawn)",
        }
        for key, runs in phases.items():
            self.app_start_row(key, operations[key], runs[1:])  # the first: the warm-up

    def sample_season(self, env: dict) -> Path:
        """The sample season (``bake-tracker demo``, dated from today) in a file of this run."""
        path = WORK_DIR / "sample_season.sqlite3"
        if not path.exists():
            subprocess.run(
                [sys.executable, "-m", "bake_tracker", "--db", str(path), "demo"],
                cwd=REPO_DIR,
                env=env,
                capture_output=True,
                timeout=120,
                check=True,
            )
        return path

    def app_start_row(self, key: str, operation: str, phases: list[dict[str, float]]) -> None:
        totals = [p["ready"] for p in phases]
        samples = Samples(totals, [], [p["cpu"] for p in phases])
        self.rows.append(
            Row(
                key,
                operation,
                f"≤ {fmt_seconds(self.budgets['app_start'][0])}",
                samples.median,
                samples.p95,
                "-",
                samples.median <= self.budgets["app_start"][0],
                len(totals),
                note="median phases from process start: imports done {imports:.2f} s, App() "
                "built {app_built:.2f} s, window drawn {ready:.2f} s".format(
                    **{k: statistics.median(p[k] for p in phases) for k in phases[0]}
                ),
                cpu_median=samples.cpu_median,
            )
        )
        self.details[f"{key}_phases"] = phases

    def launch(self, url: str, env: dict) -> dict[str, float]:
        started = time.time()
        done = subprocess.run(
            [sys.executable, "-m", "bake_tracker", "--db", url],
            cwd=REPO_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        found = DRAWN_LINE.search(done.stdout)
        if done.returncode != 0 or found is None:
            raise RuntimeError(f"app start failed: {(done.stdout + done.stderr)[-2000:]}")
        return {  # the CPU the process used up to the drawn window (it then shows every tab)
            "imports": float(found["imports"]) - started,
            "app_built": float(found["built"]) - started,
            "ready": float(found["ready"]) - started,
            "cpu": float(found["cpu"]),
        }

    # --- profiling ------------------------------------------------------------------------------

    def profile(self, name: str) -> str:
        calls: dict[str, tuple[str, Callable[[], object]]] = {
            "record_batch_production": ("record_production", lambda: self.produce()),
            "check_can_produce": (
                "reads",
                lambda: batch_production_service.check_can_produce(self.bench["recipe_id"], 1),
            ),
            "record_assembly": (  # as timed: for the event, whose totals it moves
                "record_assembly",
                lambda: assembly_service.record_assembly(
                    self.bench["finished_good_id"], 1, event_id=self.bench["event_id"]
                ),
            ),
            "check_can_assemble": (
                "reads",
                lambda: assembly_service.check_can_assemble(self.bench["finished_good_id"], 1),
            ),
            "event_progress": (
                "reads",
                lambda: event_service.get_event_overall_progress(self.bench["event_id"]),
            ),
            "dashboard": (
                "reads",
                lambda: dashboard_service.get_dashboard_summary(include_past=True, today=TODAY),
            ),
            "cost_breakdown": (
                "reads",
                lambda: dashboard_service.get_recipe_cost_breakdown(self.bench["event_id"]),
            ),
            "export": ("reads", lambda: transfer_service.export_data(WORK_DIR / "export.json")),
        }
        if name == "import":
            document = WORK_DIR / "export.json"
            if not document.exists():
                self.open_copy("reads")
                transfer_service.export_data(document)
            self.open_empty("import_profile")
            text = profile_text(lambda: transfer_service.import_data(document), 1)
            self.close()
            return text
        copy, call = calls[name]
        self.open_copy(copy)
        slow = name in ("export",)
        for _ in range(0 if slow else 3):
            call()
        with StatementLog(self.engine) as log:
            call()
        listing = "\n".join(
            f"  {'many ' if many else ''}{sql.splitlines()[0][:150]}"
            for sql, many in log.statements
        )
        text = profile_text(call, 1 if slow else 20)
        self.close()
        return f"{log.count} statements per call:\n{listing}\n\n{text}"

    # --- report -----------------------------------------------------------------------------------

    def table(self) -> str:
        header = ["operation", "budget (median / p95)", "median", "p95", "statements", "result"]
        lines = [header, ["---"] * len(header)] + [row.cells() for row in self.rows]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)

    def facts(self) -> dict[str, str]:
        return machine_facts()


def on_disk(path: Path) -> Path:
    """The copy, once the kernel has written it to disk (its pages stay in the OS cache).
    Otherwise a ×10 copy's 1.5 GB is written back while the first operations on it are timed
    (with two copies made, the dirty pages pass the kernel's background threshold: 1.9 GB dirty at
    the start of check_can_produce on dense10, 0.5 GB at its end), competing for the 2 cores: a
    cost of the bench's own copying that a user's database, written as the app goes, never has."""
    if not os.environ.get("BT_BENCH_NO_FSYNC"):  # to see the difference
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return path


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "commit": commit or "unknown",
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def growth_table(runners: dict[str, Runner], backend: str) -> str:
    """Median on each ×10 data set over its ×1 twin, per operation (budget ≤ 1.25×, on the wall
    median), with the CPU medians' ratio beside it."""
    pairs = [
        (runners[f"{n} {backend}"], runners[f"{n}10 {backend}"])
        for n in PROFILES
        if f"{n} {backend}" in runners and f"{n}10 {backend}" in runners
    ]
    header = ["operation", *(f"{ten.dataset} / {one.dataset}" for one, ten in pairs)]
    lines = [header, ["---"] * len(header)]
    for row in pairs[0][0].rows if pairs else []:
        if row.median is None:
            continue
        cells = [row.operation]
        for one, ten in pairs:
            a = {r.key: r for r in one.rows}.get(row.key)
            b = {r.key: r for r in ten.rows}.get(row.key)
            if a and b and a.median and b.median:
                ratio = b.median / a.median
                # CPU alongside: the two medians are taken minutes apart on a shared machine, and
                # a 1 ms row's wall ratio moves with what else ran then (RESULTS.md, session 10);
                # so does the CPU ratio of a 15-call row (PostgreSQL record_assembly 0.63-1.23×
                # in twelve sittings, same statements and rows): bench.growth times them in turn
                cpu = f"; CPU {b.cpu_median / a.cpu_median:.2f}×" if a.cpu_median else ""
                cells.append(f"{ratio:.2f}× ({'pass' if ratio <= 1.25 else 'FAIL'}{cpu})")
            else:
                cells.append("-")
        lines.append(cells)
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def chosen_datasets(args: argparse.Namespace) -> list[str]:
    """The data sets to measure: ``--datasets``, else every ×1 profile plus each ×10 variant
    that is already built (``python -m bench.generate big10`` builds one; they take long)."""
    if args.datasets:
        return list(args.datasets)
    chosen = []
    for name in PROFILES:
        chosen.append(name)
        if dataset_path(f"{name}10").is_file():
            chosen.append(f"{name}10")
    return chosen


def report(runner: Runner, started: float) -> None:
    counts = runner.meta["counts"]
    print()
    print(f"## {runner.dataset} ({runner.backend})")
    print()
    print(runner.table())
    print()
    cpu = [f"{row.key} {fmt_seconds(row.cpu_median)}" for row in runner.rows if row.cpu_median]
    print(
        f"- CPU time per call, median (what the wall time would be on an idle machine): "
        f"{', '.join(cpu)}"
    )
    for row in runner.rows:
        if row.note:
            print(f"- {row.operation}: {row.note}")
    print(
        f"- data set {runner.dataset}: {counts['ingredients']:,} ingredients, "
        f"{counts['products']:,} products, {counts['inventory_items']:,} lots "
        f"({runner.meta['checks'].get('open_lots', '?')} open), "
        f"{counts.get('purchases', 0):,} purchases, {counts['recipes']} recipes, "
        f"{counts['finished_units']} finished units, {counts['finished_goods']} finished goods, "
        f"{counts['events']} events, {counts['production_runs']:,} production runs, "
        f"{counts['assembly_runs']:,} assembly runs ({sum(counts.values()):,} rows)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--repeat", type=int, help="timed calls per fast operation (default 50)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these operations")
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=sorted(n for n in SCALES if n != "small"),
        help="data sets to measure (default: big dense, and big10 / dense10 when built)",
    )
    parser.add_argument(
        "--backends",
        nargs="+",
        choices=["sqlite", "postgresql"],
        default=["sqlite", "postgresql"]
        if list(Path("/usr/lib/postgresql").glob("*/bin"))
        else ["sqlite"],
        help="sqlite (a file, as the app uses by default) and postgresql (a local server the "
        "bench starts: bench/pg.py); default both when PostgreSQL is installed",
    )
    parser.add_argument("--profile", metavar="NAME", help="print a cProfile of one operation")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument(
        "--what-if",
        action="append",
        metavar="SQL",
        help="run this SQL on every copy first (try a candidate index without a migration)",
    )
    args = parser.parse_args(argv)
    datasets = chosen_datasets(args)
    if args.profile:
        runner = Runner(args, datasets[0], args.backends[0])  # --backends postgresql: on PostgreSQL
        try:
            print(runner.profile(args.profile))
        finally:
            runner.close()
            shutil.rmtree(WORK_DIR, ignore_errors=True)
        return 0
    unknown = set(args.only or ()) - set(Runner.operation_names())
    if unknown:
        parser.error(
            f"unknown operations {sorted(unknown)}; choose from {Runner.operation_names()}"
        )
    started = time.perf_counter()
    load_before = os.getloadavg()
    runners: dict[str, Runner] = {}
    try:
        for backend in args.backends:
            for dataset in datasets:
                runner = runners[f"{dataset} {backend}"] = Runner(args, dataset, backend)
                for name, run in runner.operations().items():
                    if not args.only or name in args.only:
                        run()
                runner.close()
    finally:
        for runner in runners.values():
            runner.close()
        shutil.rmtree(WORK_DIR, ignore_errors=True)
    for runner in runners.values():
        report(runner, started)
    for backend in args.backends:
        if any(r.dataset.endswith("10") and r.backend == backend for r in runners.values()):
            print()
            print(f"## growth ×10 on {backend} (median on ×10 ÷ median on its ×1 twin, ≤ 1.25×)")
            print()
            print(growth_table(runners, backend))
            print()
            print(
                "- each set timed minutes apart: for a row's growth without the machine's "
                "drift, `python -m bench.growth --backends BACKEND --only ROW ...` (both sets "
                "in turn, reads and writes)"
            )
    facts = machine_facts()
    print()
    print(
        f"- machine: {facts['cpu']}, {facts['cores']} cores, {facts['memory']}; Python "
        f"{facts['python']}, SQLite {facts['sqlite']}, SQLAlchemy {facts['sqlalchemy']}; "
        f"{facts['date']}; code at {facts['commit']}; "
        f"benchmark took {time.perf_counter() - started:.0f} s"
    )
    load_after = os.getloadavg()
    print(
        f"- load average (1 min) at start {load_before[0]:.2f}, at end {load_after[0]:.2f} "
        f"(above ~0.5 means other processes competed for the 2 cores: compare the CPU times)"
    )
    facts["load_average"] = f"{load_before[0]:.2f} → {load_after[0]:.2f}"
    if args.json:
        payload = {
            "facts": facts,
            "datasets": {
                name: {
                    "dataset": runner.meta,
                    "rows": [asdict(row) for row in runner.rows],
                    "details": runner.details,
                }
                for name, runner in runners.items()
            },
            "repeat": next(iter(runners.values())).repeat,
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str) + "\n")
    failed = [row for r in runners.values() for row in r.rows if row.passed is False]
    return 1 if failed else 0
