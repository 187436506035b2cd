"""The SQL workbench on the command line.

`python -m workbench sql "QUERY" --db PATH`: the same sandbox and audit log as the page. A result goes
to stdout (exit 0); a refused or failed query prints a message in Chinese on stderr and exits 2,
without a traceback. (`python -m analytics sql …` still answers, and says the command moved here.)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

from etl.load import login_name
from workbench.queries import run_query
from workbench.sandbox import Limits, QueryFailed, QueryRefused, Sandbox

DEFAULT_DB = Path("data/warehouse.duckdb")


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("应为正数")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("应为正整数")
    return value


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV has no lists, structs or maps (duckdb_databases() has a MAP column): those cells become JSON text."""
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested() or dtype == pl.Object]
    return frame.with_columns(
        pl.Series(
            name, [None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in frame[name].to_list()]
        )
        for name in nested
    )


def _print(frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(_flat(frame).write_csv())
    elif fmt == "json":
        sys.stdout.write(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_hide_dataframe_shape=True):
            print(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench", description="创先争优看板：SQL 工作台")
    sub = parser.add_subparsers(dest="command", required=True)
    sql = sub.add_parser("sql", help="在只读沙箱中运行一条查询（与 SQL 工作台相同）")
    sql.add_argument("query", help="查询语句；写 - 则从标准输入读取")
    sql.add_argument("--db", type=Path, default=DEFAULT_DB)
    sql.add_argument("--town", default=None, help="只查询该乡镇的数据（乡镇编码）")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--max-rows", type=_positive_int, default=Limits.max_rows)
    sql.add_argument("--timeout", type=_positive_float, default=Limits.timeout_s, help="超时秒数（默认 10）")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.query == "-" else args.query
    if not args.db.is_file():
        print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
        return 2
    try:
        sandbox = Sandbox(args.db, args.town, Limits(max_rows=args.max_rows, timeout_s=args.timeout))
    except QueryRefused as refused:
        print(str(refused), file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"无法打开仓库文件“{args.db}”：{exc}", file=sys.stderr)
        return 2
    try:
        result = run_query(sandbox, text, who=login_name(), source="cli")
    except (QueryRefused, QueryFailed) as problem:
        print(str(problem), file=sys.stderr)
        return 2
    finally:
        sandbox.close()
    _print(result.frame, args.format)
    note = f"{result.rows} 行，{result.elapsed_s * 1000:.0f} 毫秒"
    if result.cut:
        note += f"；结果已截断，只输出前 {args.max_rows} 行（可用 --max-rows 调整）"
    print(note, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
