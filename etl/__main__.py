"""`python -m etl`: generate demo data, load a folder into the warehouse."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from etl.readers import LoadRefused

DEFAULT_DB = Path("data/warehouse.duckdb")


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="创先争优看板：数据生成与装载")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="生成演示数据（六个输入文件）")
    demo.add_argument("--scale", choices=["county", "city", "province"], default="county")
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument("--as-of", type=_date, default=None, help="演示数据的统计截止日（默认 2026-11-20）")
    load = sub.add_parser("load", help="校验并装载一个目录的输入文件，原子发布仓库")
    load.add_argument("source", type=Path)
    load.add_argument("--db", type=Path, default=DEFAULT_DB)
    load.add_argument("--as-of", type=_date, default=None, help="统计截止日（默认今天）")
    load.add_argument(
        "--criteria",
        type=Path,
        default=None,
        help="示范标准文件（默认 data/criteria/default.csv；等级见同目录 <名称>_bands.csv）",
    )
    load.add_argument("--show-rejects", type=int, default=20, help="打印前 N 条拒收记录")
    datatest = sub.add_parser("datatest", help="对仓库运行数据测试（sql/tests 中每个查询应返回 0 行）")
    datatest.add_argument("--db", type=Path, default=DEFAULT_DB)
    dictionary = sub.add_parser("dictionary", help="由仓库中的中文注释生成数据字典（Markdown）")
    dictionary.add_argument("--db", type=Path, default=DEFAULT_DB)
    dictionary.add_argument("--out", type=Path, default=Path("docs/data-dictionary.md"))
    templates = sub.add_parser("templates", help="生成空白填报模板（XLSX 含填写说明，及 CSV）")
    templates.add_argument("--out", type=Path, default=Path("data/templates"))
    args = parser.parse_args(argv)

    if args.command == "templates":
        from etl.templates import write_templates

        for path in write_templates(args.out):
            print(path)
        return 0

    if args.command == "dictionary":
        from etl.dictionary import dictionary_markdown

        if not args.db.is_file():
            print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
            return 2
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(dictionary_markdown(args.db), encoding="utf-8")
        print(args.out)
        return 0

    if args.command == "datatest":
        from etl.datatests import report, run_data_tests

        if not args.db.is_file():
            print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
            return 2
        results = run_data_tests(args.db)
        print(report(results))
        return 0 if all(r.passed for r in results) else 1

    if args.command == "demo":
        from etl.demo import DEFAULT_AS_OF, generate

        started = time.perf_counter()
        counts = generate(args.out, args.scale, args.seed, args.as_of or DEFAULT_AS_OF)
        listed = "，".join(f"{k} {v:,} 行" for k, v in counts.items())
        print(f"已生成 {args.scale} 规模演示数据到 {args.out}：{listed}（{time.perf_counter() - started:.1f} 秒）")
        return 0

    from etl.load import load as run_load

    try:
        result = run_load(args.source, args.db, as_of=args.as_of, criteria=args.criteria)
    except LoadRefused as refused:
        print(f"装载被拒绝，现有仓库保持不变：{refused}", file=sys.stderr)
        return 2
    print(result.summary())
    rejects = result.rejects
    if rejects.height and args.show_rejects:
        print(
            f"\n拒收记录（前 {min(args.show_rejects, rejects.height)} 条，共 {rejects.height} 条，全部见表 rejects）："
        )
        for r in rejects.head(args.show_rejects).iter_rows(named=True):
            print(f"  {r['file']} 第 {r['row_number']} 行 {r['column_name']} “{r['value'] or ''}”：{r['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
