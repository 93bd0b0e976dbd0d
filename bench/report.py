"""Markdown tables for ``RESULTS.md`` from the JSON of ``python -m bench --json``.

``python -m bench.report BEFORE.json AFTER.json [MORE.json ...]`` prints one table per data set and
backend found in the AFTER files (median, p95, CPU median, statements, verdict), the durability
rows, and a before/after table of CPU medians per operation and data set (BEFORE: a run of the
code before the change, same data sets).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.measure import fmt_seconds


def _runs(path: Path) -> dict[str, dict]:
    """{"<data set> <backend>": run} (older files name runs by data set only: SQLite)."""
    data = json.loads(path.read_text())
    runs = {}
    for name, run in data["datasets"].items():
        runs[name if " " in name else f"{name} sqlite"] = run | {"facts": data["facts"]}
    return runs


def _ms(value: float | None) -> str:
    return "-" if value is None else fmt_seconds(value)


def result_table(run: dict) -> str:
    lines = [
        "| operation | budget (median / p95) | median | p95 | CPU median | statements | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in run["rows"]:
        if row["key"].startswith("durability"):
            continue
        verdict = {True: "pass", False: "FAIL", None: "n/a"}[row["passed"]]
        lines.append(
            f"| {row['operation']} | {row['budget']} | {_ms(row['median'])} | {_ms(row['p95'])} "
            f"| {_ms(row['cpu_median'])} | {row['statements']} | {verdict} |"
        )
    return "\n".join(lines)


def durability_table(run: dict) -> str:
    lines = [
        "| record_batch_production with | median | p95 | CPU median |",
        "| --- | --- | --- | --- |",
    ]
    for row in run["rows"]:
        if row["key"].startswith("durability"):
            setting = row["operation"].split(", ", 1)[1]
            lines.append(
                f"| {setting} | {_ms(row['median'])} | {_ms(row['p95'])} "
                f"| {_ms(row['cpu_median'])} |"
            )
    return "\n".join(lines)


def before_after(before: dict[str, dict], after: dict[str, dict]) -> str:
    names = [n for n in after if n in before]
    header = ["operation"] + [f"{n.split()[0]}: before → now (CPU median)" for n in names]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * len(header)) + " |"]
    first = after[names[0]]["rows"] if names else []
    for row in first:
        if row["key"].startswith("durability") or row["cpu_median"] is None:
            continue
        cells = [row["operation"]]
        for name in names:
            old = {r["key"]: r for r in before[name]["rows"]}.get(row["key"])
            new = {r["key"]: r for r in after[name]["rows"]}.get(row["key"])
            if old and new and old["cpu_median"] and new["cpu_median"]:
                cells.append(
                    f"{_ms(old['cpu_median'])} → {_ms(new['cpu_median'])} "
                    f"({old['cpu_median'] / new['cpu_median']:.1f}×)"
                )
            else:
                cells.append("-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or {"-h", "--help"} & set(args):
        print(__doc__.strip())
        return 0 if args else 2
    paths = [Path(p) for p in args]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"bench.report: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    before = _runs(paths[0])
    after: dict[str, dict] = {}
    for path in paths[1:]:
        after.update(_runs(path))
    for name, run in after.items():
        print(f"### {name.replace(' ', ' on ')}\n")
        print(result_table(run))
        print()
        if any(r["key"].startswith("durability") for r in run["rows"]):
            print(f"Durability ({name}):\n")
            print(durability_table(run))
            print()
    print("### Before and after (SQLite, CPU median per call)\n")
    print(before_after(before, {n: r for n, r in after.items() if n.endswith("sqlite")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
