"""Benchmarks for the budgets in the spec (README "Budgets"): a generated "big season" data set
(``bench.generate``) and a runner that times every budgeted operation on a copy of it
(``python -m bench``, implemented in ``bench.run``).
"""

from __future__ import annotations

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"  # git-ignored: generated databases, their stamps, scratch copies
REPO_DIR = BENCH_DIR.parent
