"""Every query the pages run (sql/queries), at one scale: p50 and p95 cold (a fresh engine opening the
file, as after a publish) and warm (the same engine again), town-filtered or all towns as the page asks,
against a baseline measured in the same run: the same query over the views' own SQL computed from the
base tables at query time (a hand-written GROUP BY, in effect), with a check that both give the same rows.

Streamlit's result cache is not measured: a hit is a dictionary lookup, and a miss is the warm figure.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import duckdb

from analytics.warehouse import QUERY_DIR, open_read_only
from bench.views import _logic_as_temp_views, _percentile

PARAMS = {"branch_type": "village", "indicator": "fulfilment_rate"}


def _params(text: str, town: str, year: int) -> dict:
    values = {"town_id": town, "year": year, **PARAMS}
    return {k: v for k, v in values.items() if f"${k}" in text}


def _stats(times: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(times) * 1000, 2), "p95_ms": round(_percentile(times, 0.95) * 1000, 2)}


def _timed(con: duckdb.DuckDBPyConnection, text: str, params: dict) -> tuple[float, list]:
    started = time.perf_counter()
    rows = con.sql(text, params=params or None).fetchall()
    return time.perf_counter() - started, rows


def _canonical(rows: list) -> list:
    """Rows compared as sets of values, floats to 9 places (a sum may add in another order)."""
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows), key=repr)


def measure(db: Path, repeats: int = 20, cold_repeats: int = 5, baseline_repeats: int = 3) -> dict:
    probe = open_read_only(db)
    towns = [t for (t,) in probe.sql("select town_id from towns order by town_id").fetchall()]
    year = probe.sql("select max(year) from v_reporting_years").fetchall()[0][0]
    probe.close()
    town = towns[len(towns) // 2]
    results = {}
    for path in sorted(QUERY_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        params = _params(text, town, year)
        cold = []
        for _ in range(cold_repeats):
            con = open_read_only(db)
            cold.append(_timed(con, text, params)[0])
            con.close()
        con = open_read_only(db)
        warm, rows = [], []
        for _ in range(repeats):
            elapsed, rows = _timed(con, text, params)
            warm.append(elapsed)
        _logic_as_temp_views(con)
        baseline, same = [], True
        for _ in range(baseline_repeats):
            elapsed, base_rows = _timed(con, text, params)
            baseline.append(elapsed)
            same = same and _canonical(base_rows) == _canonical(rows)
        con.close()
        warm_stats = _stats(warm)
        base_p50 = round(statistics.median(baseline) * 1000, 2)
        results[path.stem] = {
            "scope": "town" if "$town_id" in text else "all",
            "cold": _stats(cold),
            "warm": warm_stats,
            "baseline_p50_ms": base_p50,
            "ratio": round(warm_stats["p50_ms"] / max(base_p50, 1e-3), 3),
            "same_answer": same,
            "rows": len(rows),
        }
    return results
