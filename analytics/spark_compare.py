"""Spark's marts against DuckDB's, row for row (the equality tests, bench/spark.py and anyone
checking a cluster's output against a warehouse).

Two sets of rows agree when `EXCEPT ALL` is empty both ways after doubles are rounded to 1e-9
(sums of the same doubles added in another order may differ in the last bits), with Spark's
columns cast to the types of DuckDB's table. `EXCEPT ALL` counts duplicates and treats NULL as
equal to NULL only, so a NULL on one side and 0 on the other is a difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

ROUND_TO = 9  # decimal places: 1e-9


@dataclass
class MartDifference:
    view: str
    duckdb_rows: int
    spark_rows: int
    only_duckdb: int
    only_spark: int
    sample: list[tuple]

    @property
    def equal(self) -> bool:
        return self.duckdb_rows == self.spark_rows and self.only_duckdb == 0 and self.only_spark == 0


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rounded(column: str, type_: str, source_cast: bool) -> str:
    value = f'cast("{column}" as {type_})' if source_cast else f'"{column}"'
    if type_ in ("DOUBLE", "FLOAT") or type_.startswith("DECIMAL"):
        return f'round({value}, {ROUND_TO}) as "{column}"'
    return f'{value} as "{column}"'


def mart_views(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'mart' order by 1"
            ).fetchall()
        ]
    finally:
        con.close()


def compare_with_warehouse(db: Path, marts: Path, group: str | None = None) -> list[MartDifference]:
    """Each mart table of the DuckDB warehouse `db` against Spark's folder of the same name (only
    the rows of one `lake_group` when given: the counties computed in the warehouse's context)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {_quote(str(db))} as d (read_only)").fetchall()
        results = []
        for view in mart_views(db):
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = 'd' "
                "and schema_name = 'mart' and table_name = ? order by column_index",
                [view],
            ).fetchall()
            duck = f"select {', '.join(_rounded(c, t, False) for c, t in columns)} from d.mart.{view}"
            files = _quote((Path(marts) / view / "**" / "*.parquet").as_posix())
            spark = (
                f"select {', '.join(_rounded(c, t, True) for c, t in columns)} "
                f"from read_parquet({files}, hive_partitioning = true)"
            )
            params = []
            if group is not None:
                spark += " where lake_group = ?"
                params = [group]
            results.append(_difference(con, view, duck, spark, params))
        return results
    finally:
        con.close()


def compare_warehouses(db_a: Path, db_b: Path) -> list[MartDifference]:
    """Each mart table of two warehouses (say, the DuckDB load and the `--marts` load)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {_quote(str(db_a))} as a (read_only)").fetchall()
        con.execute(f"attach {_quote(str(db_b))} as b (read_only)").fetchall()
        results = []
        for view in mart_views(db_a):
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = 'a' "
                "and schema_name = 'mart' and table_name = ? order by column_index",
                [view],
            ).fetchall()
            select = ", ".join(_rounded(c, t, False) for c, t in columns)
            results.append(
                _difference(con, view, f"select {select} from a.mart.{view}", f"select {select} from b.mart.{view}", [])
            )
        return results
    finally:
        con.close()


def _difference(con: duckdb.DuckDBPyConnection, view: str, left: str, right: str, params: list) -> MartDifference:
    def count(sql: str, p: list) -> int:
        return con.execute(f"select count(*) from ({sql})", p).fetchone()[0]

    left_params, right_params = [], params
    only_left = count(f"{left} except all {right}", left_params + right_params)
    only_right = count(f"{right} except all {left}", right_params + left_params)
    sample = (
        con.execute(f"({left} except all {right}) limit 3", left_params + right_params).fetchall() if only_left else []
    )
    return MartDifference(view, count(left, left_params), count(right, right_params), only_left, only_right, sample)
