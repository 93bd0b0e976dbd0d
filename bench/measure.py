"""Timing, statement counting and profiling helpers for the benchmark runner.

* ``StatementLog`` counts (and keeps) every statement SQLAlchemy sends to the driver on an engine,
  through the ``before_cursor_execute`` event: an ``executemany`` is one statement, the ``BEGIN``
  the engine issues is one too (``COMMIT`` is a driver call, not a statement, so it is not).
* ``sample`` calls a function repeatedly and keeps each call's wall time and statement count.
* ``percentile`` is the nearest-rank percentile; ``profile_text`` is a cProfile summary.
"""

from __future__ import annotations

import cProfile
import io
import math
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, event


class StatementLog:
    """Every statement executed on ``engine`` while attached (``with StatementLog(e) as log``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, bool]] = []  # (sql, executemany)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append((statement, executemany))

    def __enter__(self) -> StatementLog:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)

    def mark(self) -> int:
        return len(self.statements)

    def since(self, mark: int) -> list[tuple[str, bool]]:
        return self.statements[mark:]


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # robust to other busy processes

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else None

    def statement_range(self) -> str:
        if not self.statements:
            return "-"
        low, high = min(self.statements), max(self.statements)
        return f"{low}" if low == high else f"{low}-{high}"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def sample(
    call: Callable[[int], object],
    repeat: int,
    *,
    warmup: int = 3,
    log: StatementLog | None = None,
    check: Callable[[object], None] | None = None,
) -> Samples:
    """Run ``call(i)`` ``warmup`` times untimed, then ``repeat`` times timed."""
    for i in range(warmup):
        result = call(i)
        if check is not None:
            check(result)
    samples = Samples()
    for i in range(warmup, warmup + repeat):
        mark = log.mark() if log is not None else 0
        cpu = time.process_time()
        started = time.perf_counter()
        result = call(i)
        samples.seconds.append(time.perf_counter() - started)
        samples.cpu_seconds.append(time.process_time() - cpu)
        if log is not None:
            samples.statements.append(log.mark() - mark)
        if check is not None:
            check(result)
    return samples


def profile_text(call: Callable[[], object], repeat: int, *, limit: int = 30) -> str:
    """cProfile of ``repeat`` calls, sorted by cumulative then internal time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit // 2)
    return out.getvalue()


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.2f} ms"
