"""Query benchmark of the metrics views: what a page or an analyst waits for, per view.

For each public view: a town-filtered read and the all-towns read of the latest year, p50 and p95
over repeated runs, against a baseline measured in the same run: the same view's SQL computed at
query time from the base tables (as a hand-written query would be), i.e. without the tables the
load materialises. One connection runs both (the baseline's temporary views are its own).
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import duckdb

from etl.dictionary import PUBLIC_VIEWS
from etl.load import SQL_DIR, _directive

TOWN_VIEWS = tuple(v for v in PUBLIC_VIEWS if v not in ("v_reporting_years", "v_projection_backtest"))  # with a town_id


def _percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(con: duckdb.DuckDBPyConnection, sql: str, params: dict, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - started)
    return {"p50_ms": round(statistics.median(times) * 1000, 2), "p95_ms": round(_percentile(times, 0.95) * 1000, 2)}


BASELINE_ONCE = {"v_town_summary", "v_town_to_date", "v_town_projection", "v_projection_backtest"}


def _logic_as_temp_views(con: duckdb.DuckDBPyConnection) -> None:
    """The view files as temporary views, which shadow the materialised ones: the baseline."""
    paths = {p.stem: p for p in (SQL_DIR / "views").glob("*.sql")}
    done: set[str] = set()

    def create(name: str) -> None:
        if name in done:
            return
        text = paths[name].read_text(encoding="utf-8")
        for dep in (_directive(text, "depends on") or "").replace(",", " ").split():
            create(dep)
        query = con.extract_statements(text)[0].query
        # The projection chain reads its helpers several times over; expanded as views at query time
        # the plan multiplies (80–190 s at county scale), so the baseline computes those helpers once.
        kind = "create temp table" if name in BASELINE_ONCE else "create temp view"
        con.execute(re.sub(r"^\s*create view", kind, query, count=1, flags=re.M)).fetchall()
        done.add(name)

    for name in sorted(paths):
        create(name)


def _queries() -> dict[str, dict[str, str]]:
    return {
        view: {
            "town": f"select * from {view} where town_id = $town and year = $year",
            "all": f"select * from {view} where year = $year",
        }
        for view in TOWN_VIEWS
    }


def _time_views(con: duckdb.DuckDBPyConnection, town: str, year: int, repeats: int) -> dict:
    return {
        view: {
            kind: _time(con, q, {"town": town, "year": year} if kind == "town" else {"year": year}, repeats)
            for kind, q in qs.items()
        }
        for view, qs in _queries().items()
    }


def measure(db: Path, repeats: int = 20, baseline_repeats: int = 3) -> dict:
    """Per view and per read (town-filtered, all towns): p50/p95 ms, the baseline's p50 and the ratio."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(db)]).fetchall()
        con.execute("use warehouse").fetchall()
        towns = [t for (t,) in con.sql("select town_id from towns order by town_id").fetchall()]
        town, year = towns[len(towns) // 2], con.sql("select max(year) from v_reporting_years").fetchall()[0][0]
        materialised = _time_views(con, town, year, repeats)
        _logic_as_temp_views(con)
        baseline = _time_views(con, town, year, baseline_repeats)
    finally:
        con.close()
    return {
        view: {
            kind: {
                **materialised[view][kind],
                "baseline_p50_ms": baseline[view][kind]["p50_ms"],
                "ratio": round(materialised[view][kind]["p50_ms"] / max(baseline[view][kind]["p50_ms"], 1e-3), 3),
            }
            for kind in ("town", "all")
        }
        for view in TOWN_VIEWS
    }


if __name__ == "__main__":  # python -m bench.views WAREHOUSE: the table for one file, by hand
    import json
    import sys

    print(json.dumps(measure(Path(sys.argv[1])), indent=1, ensure_ascii=False))
