"""`make bench`: run the benchmarks, write bench/results/<date>.json and the table in BENCHMARKS.md.

Figures are ratios against a baseline measured in the same run: these machines are shared.
Usage: python -m bench [county city province] (default: county city).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from bench.etl_load import ROOT, data_for, run
from bench.views import measure as measure_views
from etl.demo import DEFAULT_AS_OF
from etl.load import load


def machine() -> str:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def _views_at(source: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warehouse.duckdb"
        load(source, db, as_of=DEFAULT_AS_OF)
        return measure_views(db)


def _views_table(views: dict) -> list[str]:
    lines = [
        "",
        "Metrics views (latest year): p50 / p95 ms of a town-filtered read and of the all-towns read, against",
        "the same view computed at query time from the base tables (baseline p50, same run); ratio = p50 /",
        "baseline p50. Targets at province scale: town p95 ≤ 100 ms, all towns p95 ≤ 500 ms.",
        "",
        "| scale | view | town p50 | town p95 | baseline | ratio | all p50 | all p95 | baseline | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, by_view in views.items():
        for view, r in by_view.items():
            t, a = r["town"], r["all"]
            lines.append(
                f"| {scale} | `{view}` | {t['p50_ms']} | {t['p95_ms']} | {t['baseline_p50_ms']} | {t['ratio']} "
                f"| {a['p50_ms']} | {a['p95_ms']} | {a['baseline_p50_ms']} | {a['ratio']} |"
            )
    return lines


def main(argv: list[str]) -> int:
    scales = argv or ["county", "city"]
    cache = ROOT / "bench" / "cache"
    results = run(scales, repeats=3, cache=cache)
    views = {scale: _views_at(data_for(scale, cache)) for scale in scales}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "etl_load": results, "views": views}, indent=2), encoding="utf-8")
    lines = [
        "# Benchmarks",
        "",
        f"Run {stamp} on {machine()}. `etl load` (read, normalise, validate, build, publish) against the",
        "plain limit: DuckDB creating the same six tables from the same files with no checks. Median of 3.",
        "",
        "| scale | rows | etl load s | plain s | ratio (target ≤ 2.0) | rows/s | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for scale, r in results.items():
        lines.append(
            f"| {scale} | {r['rows']:,} | {r['load_seconds']} | {r['plain_seconds']} | {r['ratio']} "
            f"| {r['rows_per_second']:,} | {r['peak_mb']} |"
        )
    lines += _views_table(views)
    notes = (ROOT / "bench" / "NOTES.md").read_text(encoding="utf-8")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n\n" + notes, encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
