"""``python -m bench.dependency_cost``: what each heavy dependency costs, in disk and import time.

Owns the numbers behind ``kitty-specs/013-ship-it/dependencies.md``:

* **Installed size**: the bytes of every file a distribution's ``RECORD`` lists (the same as
  ``du`` of its folders, counted per distribution so that shared folders are not counted twice),
  for the distribution and for what only it brings in (babel for tkcalendar; numpy, Pillow,
  fontTools ... for matplotlib).
* **Import time**: ``python -X importtime`` in a fresh process, median of ``--runs`` runs, of the
  app's window module (``bake_tracker.ui.app``) alone and then with each extra import the first
  date field and the first chart need. The figure is the sum of the *cumulative* column over the
  top-level imports, i.e. the time Python spent importing, without interpreter start.
* **First use** (needs a display, e.g. ``xvfb-run``): wall time to build the first date field and
  to draw the first chart in a window that is already up, and from spawning a process to the
  window's first ``update()`` on the sample season (whose home tab draws a chart).

All are measured with the running interpreter and its site-packages (run it with the Python of
the installation to measure); a distribution that is not installed is reported as absent.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

# What each heavy dependency brings in that nothing else of ours needs (packaging is needed by
# customtkinter, so it is not counted against matplotlib).
HEAVY = {
    "tkcalendar": ("tkcalendar", "babel"),
    "matplotlib": (
        "matplotlib",
        "numpy",
        "pillow",
        "fonttools",
        "contourpy",
        "kiwisolver",
        "pyparsing",
        "python-dateutil",
        "cycler",
    ),
}
# The rest of the app's run-time dependencies, for scale.
BASE = (
    "customtkinter",
    "darkdetect",
    "packaging",
    "sqlalchemy",
    "alembic",
    "mako",
    "markupsafe",
    "platformdirs",
    "orjson",
    "typing-extensions",
)

WINDOW_MODULE = "bake_tracker.ui.app"
WINDOW = f"import {WINDOW_MODULE}"
SCENARIOS = {
    "window module alone": WINDOW,
    "+ tkcalendar (first date field, before)": f"{WINDOW}; import tkcalendar",
    "+ matplotlib figure and Tk backend (first chart, before)": (
        f"{WINDOW}; import matplotlib.figure, matplotlib.backends.backend_tkagg"
    ),
    "+ date popup and canvas chart (after)": (
        f"{WINDOW}; import bake_tracker.ui.kit.datepicker, bake_tracker.ui.production.chart"
    ),
}
# First use, in a window that is already up: build the first date field and draw the first chart
# (3 recipes), imports included, then ``update()``. Needs a display (``xvfb-run``).
FIRST_USE = """
import sys, time
from datetime import date
from decimal import Decimal
import bake_tracker.ui.app, customtkinter as ctk
from bake_tracker.services.dto import RecipeCost
root = ctk.CTk(); root.update()
start = time.perf_counter()
if sys.argv[1] == "date":
    from bake_tracker.ui.kit.fields import date_entry
    date_entry(root, date.today()).pack()
else:
    from bake_tracker.ui.production.chart import DashboardChart
    chart = DashboardChart(root); chart.pack(fill="both", expand=True)
    money = [Decimal(10 * i) for i in range(4)]
    chart.show([RecipeCost(i, f"Recipe {i}", 4, i, money[i], Decimal(12), money[i] - 12, Decimal(0))
                for i in range(1, 4)])
root.update()
print(time.perf_counter() - start)
"""
# The window on the sample season (``demo``): the home tab selects the first event, so its chart
# is drawn during the start. Printed: the wall clock after the first ``update()``.
WINDOW_START = """
import sys, time
from bake_tracker.ui.app import App
app = App(database_url="sqlite:///" + sys.argv[1], offer_sample_data=False)
app.update()
print(time.time())
app.on_close()
"""
TOP_LEVEL = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")


def installed_bytes(name: str) -> int | None:
    """Bytes on disk of every file ``name``'s RECORD lists; None when it is not installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    total = 0
    for file in dist.files or ():
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total


def import_microseconds(code: str) -> tuple[int, int] | None:
    """(all imports, imports after the window module) in microseconds for ``code``, from
    ``-X importtime``'s top-level cumulative times; None when ``code`` fails."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    total = extra = 0
    after_window = False
    for match in map(TOP_LEVEL.match, done.stderr.splitlines()):
        if match is None:
            continue
        total += int(match.group(1))
        extra += int(match.group(1)) if after_window else 0
        after_window = after_window or match.group(2).strip() == WINDOW_MODULE
    return total, extra


def child_cpu_seconds() -> float:
    """User + system CPU time of the finished child processes so far (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def first_use_ms(what: str) -> float | None:
    """Milliseconds to build the first date field (``what="date"``) or chart, imports included."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_USE, what], capture_output=True, text=True, check=False
    )
    return float(done.stdout.split()[-1]) * 1000 if done.returncode == 0 else None


def window_start_ms(database: Path, data: Path) -> tuple[float, float] | None:
    """Milliseconds from spawning the process to the window's first ``update()`` done, and the
    CPU milliseconds of the whole process (start, window, close: steady on a busy machine)."""
    env = dict(os.environ, BAKE_TRACKER_DATA_DIR=str(data))
    cpu = child_cpu_seconds()
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", WINDOW_START, str(database)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        return None
    wall = (float(done.stdout.split()[-1]) - started) * 1000
    return wall, (child_cpu_seconds() - cpu) * 1000


def demo_database(folder: Path) -> Path:
    """The sample season in ``folder`` (``bake-tracker demo``)."""
    database = folder / "demo.sqlite3"
    env = dict(os.environ, BAKE_TRACKER_DATA_DIR=str(folder / "data"))
    subprocess.run(
        [sys.executable, "-m", "bake_tracker", "--db", str(database), "demo"],
        check=True,
        capture_output=True,
        env=env,
    )
    return database


def mib(value: int | None) -> str:
    return "absent" if value is None else f"{value / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="import-time runs per line (median)")
    args = parser.parse_args(argv)

    print("| dependency | brings | installed size |\n| --- | --- | --- |")
    for name, closure in HEAVY.items():
        sizes = {dist: installed_bytes(dist) for dist in closure}
        total = sum(size or 0 for size in sizes.values())
        parts = ", ".join(f"{dist} {mib(size)}" for dist, size in sizes.items())
        print(f"| {name} | {parts} | **{mib(total) if any(sizes.values()) else 'absent'}** |")
    base = sum(installed_bytes(dist) or 0 for dist in BASE)
    print(f"| the rest ({', '.join(BASE)}) | | {mib(base)} |")

    # Runs interleave the scenarios, so a busy moment on a shared machine hits them all alike.
    samples: dict[str, list[tuple[int, int] | None]] = {label: [] for label in SCENARIOS}
    for _ in range(args.runs):
        for label, code in SCENARIOS.items():
            samples[label].append(import_microseconds(code))
    print(
        f"\n| import (median of {args.runs} runs) | all imports | added to the window module |"
        "\n| --- | --- | --- |"
    )
    for label, times in samples.items():
        if None in times:
            print(f"| {label} | not importable here | |")
            continue
        total = statistics.median(t[0] for t in times if t) / 1000
        extra = statistics.median(t[1] for t in times if t) / 1000
        print(f"| {label} | {total:.0f} ms | {extra:.0f} ms |")
    print(f"\n| first use in an open window (median of {args.runs} runs) | time |\n| --- | --- |")
    for what, label in (("date", "first date field"), ("chart", "first chart, 3 recipes")):
        times = [first_use_ms(what) for _ in range(args.runs)]
        shown = "failed" if None in times else f"{statistics.median(times):.0f} ms"
        print(f"| {label} | {shown} |")
    with tempfile.TemporaryDirectory() as folder:
        database = demo_database(Path(folder))
        window_start_ms(database, Path(folder) / "data")  # warm the file cache once
        starts = [window_start_ms(database, Path(folder) / "data") for _ in range(args.runs)]
    if None in starts:
        shown = "failed"
    else:
        wall = statistics.median(start[0] for start in starts if start)
        cpu = statistics.median(start[1] for start in starts if start)
        shown = f"{wall:.0f} ms (process CPU, start to close: {cpu:.0f} ms)"
    print(f"| window start on the sample season (its chart drawn) | {shown} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
