"""Warm starts to a drawn window in a new user's environment, several builds in turn.

``xvfb-run -a python -m bench.warm_starts 7 label=PROGRAM[@PYTHONPATH] ...``

Each label gets a fresh ``HOME`` and the sample season made by its own ``PROGRAM demo``; then
the programs start in turn, N rounds after one warm-up, under ``env -i`` with only ``HOME``,
``PATH=/usr/bin:/bin``, ``LANG=C.UTF-8``, ``DISPLAY``, ``XAUTHORITY`` (and ``PYTHONPATH`` when
given: a source tree of other code run by the same installed interpreter), as
``.ci/bundle-smoke`` starts the bundle. ``BAKE_TRACKER_CLOSE_AFTER_MS=0`` closes each window once
drawn. Printed per label: the median time from spawn to "window drawn" and the median CPU the
app reports (on a busy machine, compare the CPU).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

DRAWN = re.compile(r"window drawn at (?P<ready>[\d.]+) .*\(cpu (?P<cpu>[\d.]+) s\)")


def new_user(program: str, path: str) -> dict[str, str]:
    """A fresh home with the sample season, and the environment to start ``program`` in."""
    env = {
        "HOME": tempfile.mkdtemp(prefix="bt-warm-"),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "DISPLAY": os.environ["DISPLAY"],
        "XAUTHORITY": os.environ.get("XAUTHORITY", ""),
    }
    if path:
        env["PYTHONPATH"] = path
    subprocess.run([program, "demo"], env=env, capture_output=True, check=True)
    return env


def start(program: str, env: dict[str, str]) -> tuple[float, float]:
    """(seconds from spawn to the drawn window, CPU seconds the app reports)."""
    began = time.time()
    done = subprocess.run(
        [program],
        env=dict(env, BAKE_TRACKER_CLOSE_AFTER_MS="0"),
        capture_output=True,
        text=True,
        check=False,
    )
    found = DRAWN.search(done.stdout)
    if found is None:
        raise SystemExit(f"{program}: no window drawn\n{done.stdout}{done.stderr}")
    return float(found["ready"]) - began, float(found["cpu"])


def main(argv: list[str]) -> None:
    rounds = int(argv[0])
    programs = {}
    for spec in argv[1:]:
        label, _, rest = spec.partition("=")
        program, _, path = rest.partition("@")
        programs[label] = (program, new_user(program, path), [])
    for round_ in range(rounds + 1):
        for program, env, results in programs.values():
            result = start(program, env)
            if round_:  # the first round warms the caches
                results.append(result)
    for label, (_, _, results) in programs.items():
        walls = [wall for wall, _ in results]
        cpus = [cpu for _, cpu in results]
        print(
            f"{label:10} n={len(results)} ready {statistics.median(walls):.3f} s "
            f"cpu {statistics.median(cpus):.3f} s  all: {' '.join(f'{w:.2f}' for w in walls)}"
            f"  cpu: {' '.join(f'{c:.2f}' for c in cpus)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
