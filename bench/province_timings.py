"""Issue 16's Performance at one scale, without `make bench`'s baselines: each view's materialisation
time inside a load (the backtest is v_town_to_date + v_town_projection + v_projection_backtest), then
every page query warm, p50 / p95 over 20 runs, for one town or all towns as the page asks.

    python -m etl demo --scale province --out DIR
    python -m bench.province_timings DIR WAREHOUSE.duckdb
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import etl.load as loader
from analytics.backtest import backtest_rows, backtest_text
from analytics.warehouse import QUERY_DIR, Warehouse, open_read_only
from bench.queries import _params, _timed
from bench.views import _percentile


def timed_load(source: Path, db: Path) -> tuple[float, dict[str, float]]:
    """Seconds of the whole load and of each view's materialisation within it."""
    timings: dict[str, float] = {}
    materialise = loader.materialise_view

    def timed(con, name, text, marts=None):
        started = time.perf_counter()
        materialise(con, name, text, marts)
        timings[name] = time.perf_counter() - started

    loader.materialise_view = timed
    try:
        started = time.perf_counter()
        loader.load(source, db)
        return time.perf_counter() - started, timings
    finally:
        loader.materialise_view = materialise


def main(argv: list[str]) -> int:
    source, db = Path(argv[0]), Path(argv[1])
    total, views = timed_load(source, db)
    print(f"load {total:.1f} s; materialisation per view (s):")
    for name, seconds in sorted(views.items(), key=lambda kv: -kv[1]):
        print(f"  {name:32} {seconds:7.2f}")
    backtest = sum(views.get(v, 0) for v in ("v_town_to_date", "v_town_projection", "v_projection_backtest"))
    print(f"  all views {sum(views.values()):.1f}; the backtest's chain {backtest:.2f}")
    con = open_read_only(db)
    towns = [t for (t,) in con.sql("select town_id from towns order by town_id").fetchall()]
    year = con.sql("select max(year) from v_reporting_years").fetchall()[0][0]
    town = towns[len(towns) // 2]
    print(f"{len(towns)} towns, year {year}, town {town}; warm p50 / p95 ms over 20")
    for path in sorted(QUERY_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        params = _params(text, town, year)
        times = [_timed(con, text, params)[0] for _ in range(20)]
        scope = "town" if "$town_id" in text else "all"
        p50, p95 = statistics.median(times) * 1000, _percentile(times, 0.95) * 1000
        print(f"  {path.stem:40} {scope:4} {p50:8.2f} {p95:8.2f}")
    con.close()
    started = time.perf_counter()
    warehouse = Warehouse(db)
    backtest_text(backtest_rows(warehouse.query))
    warehouse.close()
    print(f"python -m analytics backtest's read: {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
