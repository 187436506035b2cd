"""Data tests in the dbt habit: each file in sql/tests is a SELECT that returns the rows that fail.

`python -m etl datatest --db PATH` runs them all against a warehouse and exits 1 if any returns a
row; the test suite runs them against the county demo, and a load can be checked the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.load import SQL_DIR

TESTS_DIR = SQL_DIR / "tests"
SHOWN_ROWS = 5


@dataclass
class DataTestResult:
    name: str
    failing_rows: int
    columns: list[str]
    sample: list[tuple]

    @property
    def passed(self) -> bool:
        return self.failing_rows == 0


def data_test_paths() -> list[Path]:
    return sorted(TESTS_DIR.glob("*.sql"))


def run_data_test(con: duckdb.DuckDBPyConnection, path: Path) -> DataTestResult:
    relation = con.sql(path.read_text(encoding="utf-8"))
    rows = relation.fetchall()
    return DataTestResult(path.stem, len(rows), relation.columns, rows[:SHOWN_ROWS])


def run_data_tests(db_path: Path) -> list[DataTestResult]:
    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(db_path)]).fetchall()
        con.execute("use warehouse").fetchall()
        return [run_data_test(con, path) for path in data_test_paths()]
    finally:
        con.close()


def report(results: list[DataTestResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{'通过' if r.passed else '失败'}  {r.name}" + ("" if r.passed else f"（{r.failing_rows} 行）"))
        if not r.passed:
            lines.append("      " + " | ".join(r.columns))
            lines.extend("      " + " | ".join(map(str, row)) for row in r.sample)
    failed = sum(not r.passed for r in results)
    lines.append(f"共 {len(results)} 项数据测试，{len(results) - failed} 项通过，{failed} 项失败")
    return "\n".join(lines)
