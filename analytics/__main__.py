"""The read side's tools on the command line.

`python -m analytics report --db PATH --town ID --year Y --out FILE.docx|FILE.pdf [--handout]`:
the draft 工作总结 (Word or PDF) or the one-page meeting handout (PDF), as on the 工作总结 page.

`python -m analytics backtest --db PATH`: the year-end projection replayed on every past year at each
month end, its mean and worst error beside the linear pace's (analytics/backtest.py).

`python -m analytics spark --lake DIR [--master local[2]|spark://…|yarn] [--out DIR] [--conf K=V]`:
every materialised view of sql/views computed on Apache Spark from the lake of `python -m etl
export`, written as Parquet partitioned by year (analytics/spark.py).

`sql` moved to `python -m workbench sql` and `users` to `python -m access users`; both still answer
here, say where they went, and run there.
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path

DEFAULT_DB = Path("data/warehouse.duckdb")
# The old names of commands that live in other packages now. Run by name (runpy), not imported: the
# read side imports nothing of access/ or workbench/ (the layers in pyproject.toml).
MOVED = {"sql": "workbench", "users": "access"}


def _forward(argv: list[str]) -> int:
    package = MOVED[argv[0]]
    print(f"提示：此命令已移至 python -m {package} {argv[0]}，本次代为执行。", file=sys.stderr)
    sys.argv = [f"python -m {package}", *argv]
    try:
        runpy.run_module(package, run_name="__main__", alter_sys=True)
    except SystemExit as ended:
        return ended.code if isinstance(ended.code, int) else (0 if ended.code is None else 2)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in MOVED:
        return _forward(argv)
    parser = argparse.ArgumentParser(prog="python -m analytics", description="创先争优看板：分析工具")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="生成工作总结草稿（.docx 或 .pdf）或一页简报（--handout，.pdf）")
    report.add_argument("--db", type=Path, default=DEFAULT_DB)
    report.add_argument("--town", required=True, help="乡镇编码")
    report.add_argument("--year", type=int, default=None, help="年度（默认最近的年度）")
    report.add_argument("--out", type=Path, required=True, help="输出文件，扩展名 .docx 或 .pdf")
    report.add_argument("--handout", action="store_true", help="生成一页 A4 会议简报（仅 .pdf）")
    backtest = sub.add_parser("backtest", help="年底推算回测：各月月末的平均误差和最大误差，与线性推算对照")
    backtest.add_argument("--db", type=Path, default=DEFAULT_DB)
    _add_spark(sub)
    args = parser.parse_args(argv)
    if args.command == "backtest":
        return _backtest(args)
    if args.command == "spark":
        return _spark(args)
    return _report(args)


def _backtest(args: argparse.Namespace) -> int:
    from analytics.backtest import backtest_rows, backtest_text
    from analytics.warehouse import Warehouse, WarehouseUnusable

    if not args.db.is_file():
        print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
        return 2
    warehouse = Warehouse(args.db)
    try:
        print(backtest_text(backtest_rows(warehouse.query)))
    except WarehouseUnusable as problem:
        print(str(problem), file=sys.stderr)
        return 2
    finally:
        warehouse.close()
    return 0


def _add_spark(sub) -> None:
    spark = sub.add_parser("spark", help="在 Apache Spark 上由 Parquet 数据湖计算全部物化视图（按年度分区写出）")
    spark.add_argument("--lake", type=Path, required=True, help="python -m etl export 写出的数据湖目录")
    spark.add_argument("--master", default="local[2]", help="Spark master：local[2]、spark://主机:7077 或 yarn")
    spark.add_argument("--out", type=Path, default=None, help="输出目录（默认 数据湖/marts）")
    spark.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="其他 Spark 设置，可重复")


def _spark(args: argparse.Namespace) -> int:
    from analytics.spark import LakeUnusable, groups_of, run, session

    conf = dict(item.split("=", 1) for item in args.conf if "=" in item)
    out = args.out or args.lake / "marts"
    try:
        groups_of(args.lake)  # an unusable lake is refused before Spark starts
        with session(args.master, conf) as spark:
            result = run(args.lake, out, spark)
    except LakeUnusable as problem:
        print(str(problem), file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def _report(args: argparse.Namespace) -> int:
    from analytics.report import NoReportData, work_summary
    from analytics.report.handout import handout
    from analytics.report.render import handout_file, summary_file
    from analytics.warehouse import Warehouse, WarehouseUnusable

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf") or (args.handout and fmt != "pdf"):
        print("输出文件的扩展名应为 .docx 或 .pdf（简报只有 .pdf）。", file=sys.stderr)
        return 2
    if not args.db.is_file():
        print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
        return 2
    warehouse = Warehouse(args.db)
    try:
        year = args.year or warehouse.query("years")["year"][0]
        if args.handout:
            rendered = handout_file(handout(warehouse.query, args.town, year))
        else:
            rendered = summary_file(work_summary(warehouse.query, args.town, year), fmt)
    except (NoReportData, WarehouseUnusable) as problem:
        print(str(problem), file=sys.stderr)
        return 2
    finally:
        warehouse.close()
    args.out.write_bytes(rendered.data)
    for note in rendered.notes:
        print(note, file=sys.stderr)
    print(f"已写入 {args.out}（{len(rendered.data) // 1024} KB）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
