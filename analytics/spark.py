"""The metrics on Apache Spark, from the Parquet lake of `python -m etl export` (`python -m analytics spark`).

Every view of sql/views runs on Spark in dependency order, from the SQL of its own file
(translated by analytics/spark_sql.py), over the lake's base tables; each materialised view is
written as Parquet partitioned by year (if it has a year), one folder per view named as the view:

    OUT/v_readiness/year=2025/part-….parquet
    OUT/_manifest.json        schema version, the views and their row counts, the groups below

**Groups.** A warehouse computes its views over one load: one as-of date, one standard, one set of
code lists. Counties exported with the same context (the manifest's `context`: as-of date, the
standard's and the code lists' checksums) are computed together, as one warehouse holding all of
them would compute them (a province exported from one load is one group; so are counties loaded
on the same day with the same standard). Counties of another context form their own group, each
its own run of the views. Every mart row carries `lake_group` (the context), so that a loader can
take the rows of a year-level view (`v_reporting_years`) of the right group.

**ANSI mode stays on** (Spark 4's default, set explicitly): an overflow, a failed cast or a division
by zero raises instead of giving NULL. DuckDB raises on the first two and gives ±inf on the third,
so no silent NULL can stand in for a DuckDB figure: a difference between the engines fails the run.

pyspark is imported inside `session()` only: the app and the rest of analytics never load it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from analytics.spark_sql import ViewSql, read_views
from etl.export import LAKE_FORMAT, LOAD_TABLES, read_manifests
from etl.load import SCHEMA_VERSION

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MARTS_MANIFEST = "_manifest.json"
GROUP_COLUMN = "lake_group"
# Small data on one machine by default; a cluster run passes its own (see BENCHMARKS.md).
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",  # no network: the driver talks to itself on loopback
    "spark.driver.bindAddress": "127.0.0.1",
}
ALWAYS_CONF = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.session.timeZone": "UTC",  # dates stay dates whatever the machine's zone
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",  # not INT96: DuckDB reads it as written
}


class LakeUnusable(Exception):
    """The lake cannot be computed (no manifest, another schema version); the message is Chinese."""


@dataclass
class Group:
    context: str
    manifests: list[dict]

    @property
    def counties(self) -> list[str]:
        return [m["county"] for m in self.manifests]

    @property
    def towns(self) -> list[str]:
        return sorted(t for m in self.manifests for t in m["towns"])


@dataclass
class SparkRun:
    out: Path
    views: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"已在 Spark 上计算 {len(self.views)} 个物化视图，写入 {self.out}", "视图\t行数\t秒"]
        lines += [f"{name}\t{rows}\t{self.seconds[name]:.1f}" for name, rows in self.views.items()]
        return "\n".join(lines)


@contextmanager
def session(master: str = "local[2]", conf: dict[str, str] | None = None) -> Iterator[SparkSession]:
    """A Spark session for the views: local settings on a `local[…]` master, ANSI on, UTC."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("创先争优看板 marts")
    settings = {**(LOCAL_CONF if master.startswith("local") else {}), **ALWAYS_CONF, **(conf or {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()


def groups_of(lake: Path) -> list[Group]:
    """The lake's counties, grouped by the context their figures are computed in."""
    manifests = read_manifests(lake)
    if not manifests:
        raise LakeUnusable(f"数据湖“{lake}”中没有导出清单（_manifests），请先运行 python -m etl export。")
    for m in manifests:
        if m.get("lake_format") != LAKE_FORMAT or m.get("schema_version") != SCHEMA_VERSION:
            raise LakeUnusable(
                f"“{m.get('county')}”的导出结构版本为 {m.get('schema_version')}，本程序为 {SCHEMA_VERSION}："
                "请用本版本重新装载并导出。"
            )
    groups: dict[str, Group] = {}
    for m in manifests:
        groups.setdefault(m["context"], Group(m["context"], [])).manifests.append(m)
    return list(groups.values())


def _spark_schema(columns: list[dict], partition_by: list[str]) -> str:
    """The table's columns as a Spark DDL schema, partition columns last (as Spark reads them)."""
    typed = {c["name"]: exp.DataType.build(c["type"], dialect="duckdb").sql("spark") for c in columns}
    typed.setdefault("county", "STRING")
    order = [c["name"] for c in columns if c["name"] not in partition_by] + partition_by
    return ", ".join(f"`{name}` {typed[name]}" for name in order)


def read_table(spark: SparkSession, lake: Path, group: Group, table: str) -> DataFrame:
    """One base table of the group's counties, typed as in the warehouse, without the county key.

    The files read are the ones the manifests list (never whatever lies in the folder); a table of
    the load (code lists, standard, load history) is read from the group's first county only,
    since every county of a group carries the same copy.
    """
    manifests = group.manifests[:1] if table in LOAD_TABLES else group.manifests
    entry = manifests[0]["tables"][table]
    schema = _spark_schema(entry["columns"], entry["partition_by"])
    paths = [str(lake / f["path"]) for m in manifests for f in m["tables"][table]["files"]]
    if paths:
        frame = spark.read.schema(schema).option("basePath", str(lake / table)).parquet(*paths)
    else:
        frame = spark.createDataFrame([], schema)
    return frame.select(*[f"`{c['name']}`" for c in entry["columns"]])


def compute_group(
    spark: SparkSession, lake: Path, out: Path, group: Group, views: list[ViewSql], first: bool, run: SparkRun
) -> None:
    """Every view over one group's base tables. A materialised view is written to its folder
    (appended after the first group's rows) and read back, like the loader's marts, so that the
    views reading it read the computed rows instead of computing them again."""
    from pyspark.sql import functions as F

    for table in group.manifests[0]["tables"]:
        read_table(spark, lake, group, table).createOrReplaceTempView(table)
    for view in views:
        started = time.perf_counter()
        frame = spark.sql(view.spark_sql)
        if view.materialise:
            target = str(out / view.name)
            marked = frame.withColumn(GROUP_COLUMN, F.lit(group.context))
            by_year = (
                ["year"] if "year" in frame.columns else []
            )  # a view without years (say, a backtest) is one folder
            marked.write.mode("overwrite" if first else "append").partitionBy(*by_year).parquet(target)
            written = spark.read.schema(marked.schema).parquet(target)
            frame = written.where(F.col(GROUP_COLUMN) == group.context).select(*[f"`{c}`" for c in frame.columns])
            run.columns[view.name] = frame.columns
        frame.createOrReplaceTempView(view.name)
        run.seconds[view.name] = run.seconds.get(view.name, 0.0) + time.perf_counter() - started


def run(lake: Path, out: Path, spark: SparkSession) -> SparkRun:
    """Compute every materialised view of sql/views from the lake and write it under `out`."""
    lake, out = Path(lake), Path(out)
    groups = groups_of(lake)
    views = read_views()
    result = SparkRun(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARTS_MANIFEST).unlink(missing_ok=True)  # a half-written mart folder has no manifest
    for view in views:
        shutil.rmtree(out / view.name, ignore_errors=True)  # a view's folder holds this run's rows only
    for i, group in enumerate(groups):
        compute_group(spark, lake, out, group, views, i == 0, result)
    for view in (v for v in views if v.materialise):
        result.views[view.name] = spark.read.parquet(str(out / view.name)).count()  # from the files' footers
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "views": {name: {"rows": rows, "columns": result.columns[name]} for name, rows in result.views.items()},
        "groups": [
            {
                GROUP_COLUMN: g.context,
                "counties": g.counties,
                "towns": g.towns,
                "as_of": g.manifests[0]["as_of"],
                "load_ids": sorted({m["load_id"] for m in g.manifests}),
            }
            for g in groups
        ],
    }
    tmp = out / f".{MARTS_MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out / MARTS_MANIFEST)
    return result
