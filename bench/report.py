"""Report files benchmark: seconds to make a town's work summary as Word and as PDF, and its one-page
handout, the way the 工作总结 page makes them (the report built from the warehouse, its charts
drawn by Chromium, the file written), in a process of its own.

The page starts the chart browser when it shows the preview (`images.warm_up`); so does this, and
then asks for the first file at once, without waiting: `first` is that file, a click made the
moment the page appeared. Then `repeats` rounds of the three files, alternating; medians and worst.

Run alone: python -m bench.report DB TOWN YEAR [REPEATS]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("docx", "pdf", "handout")


def _make(kind: str, query, town_id: str, year: int):
    from analytics.report import work_summary
    from analytics.report.handout import handout
    from analytics.report.render import handout_file, summary_file

    if kind == "handout":
        return handout_file(handout(query, town_id, year))
    return summary_file(work_summary(query, town_id, year), kind)


def _timed(kind: str, query, town_id: str, year: int) -> float:
    started = time.perf_counter()
    rendered = _make(kind, query, town_id, year)
    elapsed = time.perf_counter() - started
    if rendered.notes:  # a file without its charts is not the file being measured
        raise RuntimeError(f"{kind}: {rendered.notes}")
    return elapsed


def run_here(db: Path, town_id: str, year: int, repeats: int) -> dict:
    from analytics.report import images
    from analytics.warehouse import Warehouse

    warehouse = Warehouse(db)
    try:
        warm_up = getattr(images, "warm_up", None)  # absent before 2026-12 (one browser per file then)
        if warm_up:
            warm_up()
        first = _timed("docx", warehouse.query, town_id, year)
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        for i in range(repeats):
            for kind in KINDS if i % 2 == 0 else KINDS[::-1]:
                times[kind].append(_timed(kind, warehouse.query, town_id, year))
    finally:
        warehouse.close()
    found = {"first_docx_s": round(first, 2), "repeats": repeats}
    for kind, values in times.items():
        found[kind] = {
            "p50_s": round(statistics.median(values), 2),
            "max_s": round(max(values), 2),
            "all_s": [round(v, 2) for v in values],
        }
    return found


def measure(db: Path, town_id: str, year: int, repeats: int = 5) -> dict:
    """The figures of one child process (its own Chromium, its own first file)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.report", str(db), town_id, str(year), str(repeats)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    db, town, year = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    print(json.dumps(run_here(db, town, year, int(sys.argv[4]) if len(sys.argv) > 4 else 5)))
