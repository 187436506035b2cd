"""Marts computed elsewhere (by `python -m analytics spark`), taken into a load (`etl load --marts DIR`).

The loader creates every view on the base tables as always; where it would compute a materialised
view into `mart.<name>`, it takes the rows of that view from Spark's Parquet output instead: the
rows of the towns of the folder being loaded (a view without towns, such as v_reporting_years:
the rows of the group those towns were computed in), cast to the very types DuckDB's own view
has, in the view's column order. So the app and the SQL workbench read the same tables either way.

The mart folder is checked before any row is taken; each refusal leaves the live warehouse as it
was (the load is refused): another schema version, a view of sql/views missing, a town of the folder
not computed, towns of the folder computed in different groups, or another as-of date than the load's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from etl.readers import LoadRefused

MARTS_MANIFEST = "_manifest.json"
GROUP_COLUMN = "lake_group"


def read_manifest(marts: Path) -> dict:
    path = Path(marts) / MARTS_MANIFEST
    if not path.is_file():
        raise LoadRefused(
            f"目录“{marts}”不是完整的 Spark 计算结果（缺少 {MARTS_MANIFEST}），请先运行 python -m analytics spark。"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise LoadRefused(f"Spark 计算结果的清单“{path}”无法读取。") from problem


class SparkMarts:
    """The Spark output a load takes its marts from; `check` first, then `relation` per view."""

    def __init__(self, marts: Path, take_as_of: bool = False) -> None:
        """`take_as_of`: the load names no as-of date, so it takes the one its towns were computed to."""
        self.path = Path(marts)
        self.manifest = read_manifest(self.path)
        self.take_as_of = take_as_of
        self.load_id: str | None = None  # set by the loader before the check (etl/load.Building.finish)
        self.group: str | None = None

    def check(self, con: duckdb.DuckDBPyConnection, schema_version: int, views: list[str]) -> None:
        """Refuse (LoadRefused, in Chinese) unless these marts can stand for this load's."""
        found = self.manifest.get("schema_version")
        if found != schema_version:
            raise LoadRefused(
                f"Spark 计算结果的结构版本为 {found}，本程序为 {schema_version}：请用本版本重新导出并计算后再装载。"
            )
        missing_views = [v for v in views if v not in self.manifest.get("views", {})]
        if missing_views:
            raise LoadRefused(f"Spark 计算结果缺少视图：{'、'.join(missing_views)}。请用本版本重新计算后再装载。")
        towns = [r[0] for r in con.execute("select town_id from towns order by town_id").fetchall()]
        group_of = {t: g[GROUP_COLUMN] for g in self.manifest.get("groups", []) for t in g["towns"]}
        absent = [t for t in towns if t not in group_of]
        if absent:
            shown = "、".join(absent[:10]) + ("等" if len(absent) > 10 else "")
            raise LoadRefused(
                f"Spark 计算结果中没有本次装载的 {len(absent)} 个乡镇：{shown}。请把这些乡镇导出并计算后再装载。"
            )
        groups = {group_of[t] for t in towns}
        if len(groups) > 1:
            raise LoadRefused("本次装载的乡镇在 Spark 中分属不同的统计口径（截止日或标准不同），不能一起装载。")
        self.group = groups.pop() if groups else None
        as_of = (
            next(g["as_of"] for g in self.manifest["groups"] if g[GROUP_COLUMN] == self.group) if self.group else None
        )
        # This load's row, by its id: `loads` also holds the earlier loads (carried forward), and one
        # of them can share this load's second, so "the latest" is not a safe way to find it.
        if self.take_as_of and as_of is not None:
            con.execute("update loads set as_of = ? where load_id = ?", [dt.date.fromisoformat(as_of), self.load_id])
        (load_as_of,) = con.execute("select as_of from loads where load_id = ?", [self.load_id]).fetchone()
        if as_of is not None and str(load_as_of) != as_of:
            raise LoadRefused(f"Spark 计算结果的统计截止日为 {as_of}，与本次装载的 {load_as_of} 不同。")

    def relation(self, con: duckdb.DuckDBPyConnection, name: str) -> str:
        """A temporary view of Spark's rows of `name` for this load, typed as DuckDB's view `name`."""
        described = con.execute(f"describe {name}").fetchall()  # `name` is a file stem of sql/views
        spark_columns = set(self.manifest["views"][name]["columns"])
        lacking = [c for c, *_ in described if c not in spark_columns]
        if lacking:
            raise LoadRefused(f"Spark 计算结果的视图 {name} 缺少列：{'、'.join(lacking)}。")
        select = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t, *_ in described)
        # DDL takes no parameters: the two literals below are quoted here (a path given on the
        # command line, a group id read from the manifest).
        group = "'" + (self.group or "").replace("'", "''") + "'"
        keep = (
            "town_id in (select town_id from towns)"
            if "town_id" in [c for c, *_ in described]
            else f"{GROUP_COLUMN} = {group}"
        )
        files = "'" + (self.path / name / "**" / "*.parquet").as_posix().replace("'", "''") + "'"
        relation = f"spark_{name}"
        try:
            con.execute(
                f"create or replace temp view {relation} as select {select} "
                f"from read_parquet({files}, hive_partitioning = true) where {keep}"
            ).fetchall()
            con.execute(f"select count(*) from {relation}").fetchall()  # every cast tried before the load goes on
        except duckdb.Error as problem:
            raise LoadRefused(f"Spark 计算结果的视图 {name} 无法读取：{problem}") from problem
        return relation
