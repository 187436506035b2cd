"""`make bench-spark` (`python -m bench.spark [county city province]`): the marts on Spark local[2]
against DuckDB on the same machine, from the same Parquet lake, and Spark's time as the lake grows.

For each scale: the demo is generated (cached in bench/cache), loaded, exported to a lake. Then for
lakes of 1, 2, 4, 8 … counties of it (a lake of k counties is k counties' manifests with their files
linked, exactly what k county exports side by side would be) and the whole:

- DuckDB: an in-memory database reads the lake's Parquet files and computes every materialised view
  with the loader's own create_views (2 threads, as local[2] has 2 cores);
- Spark: `analytics.spark.run` on one warm local[2] session (its start-up is reported apart);
- both outputs compared row for row (analytics/spark_compare) on the whole of each scale.

Prints a Markdown table and writes bench/results/spark-<date>.json. Not part of `make test`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from analytics.spark import run, session
from analytics.spark_compare import compare_with_warehouse
from bench.etl_load import ROOT, data_for
from etl.demo import DEFAULT_AS_OF
from etl.export import LOAD_TABLES, MANIFESTS, export, read_manifests
from etl.load import create_views, load

CACHE = ROOT / "bench" / "cache"
WORK = CACHE / "spark"


def sublake(lake: Path, manifests: list[dict], target: Path) -> Path:
    """A lake of some of `lake`'s counties: their manifests, their files linked (not copied)."""
    shutil.rmtree(target, ignore_errors=True)
    (target / MANIFESTS).mkdir(parents=True)
    for manifest in manifests:
        for entry in manifest["tables"].values():
            for f in entry["files"]:
                link = target / f["path"]
                link.parent.mkdir(parents=True, exist_ok=True)
                os.link(lake / f["path"], link)
        name = next(
            p for p in (lake / MANIFESTS).glob("*.json") if json.loads(p.read_text())["county"] == manifest["county"]
        ).name
        shutil.copy(lake / MANIFESTS / name, target / MANIFESTS / name)
    return target


def duckdb_marts(lake: Path, db: Path) -> float:
    """Seconds for DuckDB to read the lake and compute every view (the loader's create_views)."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(db), config={"threads": 2})
    manifests = read_manifests(lake)
    for table, entry in manifests[0]["tables"].items():
        chosen = manifests[:1] if table in LOAD_TABLES else manifests
        files = [str(lake / f["path"]) for m in chosen for f in m["tables"][table]["files"]]
        columns = ", ".join(f'"{c["name"]}"' for c in entry["columns"])
        if files:
            con.execute(
                f"create table {table} as select {columns} from read_parquet(?, hive_partitioning = true)", [files]
            )
        else:
            typed = ", ".join(f'"{c["name"]}" {c["type"]}' for c in entry["columns"])
            con.execute(f"create table {table} ({typed})")
    create_views(con)  # the macros too
    con.close()
    return time.perf_counter() - started


def counties_series(n: int) -> list[int]:
    sizes, k = [], 1
    while k < n:
        sizes.append(k)
        k *= 2
    return [*sizes, n]


def main(scales: list[str]) -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    started = time.perf_counter()
    with session("local[2]") as spark:
        startup = time.perf_counter() - started
        print(f"Spark local[2] session: {startup:.1f} s")
        for scale in scales:
            folder = data_for(scale, CACHE)
            db = WORK / f"{scale}.duckdb"
            load(folder, db, as_of=DEFAULT_AS_OF)
            lake = WORK / f"{scale}-lake"
            shutil.rmtree(lake, ignore_errors=True)
            t = time.perf_counter()
            export(db, lake)
            export_s = time.perf_counter() - t
            manifests = read_manifests(lake)
            rows = sum(e["rows"] for m in manifests for e in m["tables"].values())
            for k in counties_series(len(manifests)) if scale != "county" else [1]:
                part = lake if k == len(manifests) else sublake(lake, manifests[:k], WORK / f"{scale}-{k}")
                duck_s = duckdb_marts(part, WORK / "duck.duckdb")
                t = time.perf_counter()
                run(part, WORK / f"{scale}-{k}-marts", spark)
                spark_s = time.perf_counter() - t
                part_rows = sum(e["rows"] for m in manifests[:k] for e in m["tables"].values())
                entry = {
                    "scale": scale,
                    "counties": k,
                    "lake_rows": part_rows,
                    "duckdb_s": round(duck_s, 1),
                    "spark_s": round(spark_s, 1),
                    "ratio": round(spark_s / duck_s, 1),
                }
                if k == len(manifests):
                    entry["export_s"] = round(export_s, 1)
                    differences = compare_with_warehouse(db, WORK / f"{scale}-{k}-marts")
                    entry["equal"] = all(d.equal for d in differences)
                    entry["unequal"] = [d.view for d in differences if not d.equal]
                results.append(entry)
                print(json.dumps(entry, ensure_ascii=False), flush=True)
            del rows
    print("\n| scale | counties | lake rows | DuckDB s | Spark local[2] s | Spark / DuckDB | marts equal |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for e in results:
        print(
            f"| {e['scale']} | {e['counties']} | {e['lake_rows']:,} | {e['duckdb_s']} | {e['spark_s']} | {e['ratio']}× "
            f"| {'✓' if e.get('equal') else ('✗ ' + ', '.join(e['unequal']) if 'equal' in e else '')} |"
        )
    out = ROOT / "bench" / "results" / f"spark-{dt.date.today()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"spark_startup_s": round(startup, 1), "runs": results}, ensure_ascii=False, indent=1))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["county", "city", "province"]))
