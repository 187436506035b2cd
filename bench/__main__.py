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
from pathlib import Path

from bench.etl_load import ROOT, run


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


def main(argv: list[str]) -> int:
    scales = argv or ["county", "city"]
    results = run(scales, repeats=3, cache=ROOT / "bench" / "cache")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    out = ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "etl_load": results}, indent=2), encoding="utf-8")
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
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
