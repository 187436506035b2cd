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
    demo.add_argument(
        "--profile",
        choices=["default", "late", "wobbly", "small"],  # etl.demo.PROFILES (imported lazily)
        default="default",
        help=(
            "县的年度节奏：default 演示县；late 兑现和表彰更集中在年底；"
            "wobbly 24 个乡镇、年度间起伏更大；small 8 个小乡镇"
        ),
    )
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
    load.add_argument(
        "--marts",
        type=Path,
        default=None,
        help="物化视图取自 Spark 的计算结果（python -m analytics spark 的输出目录），不在本机计算",
    )
    datatest = sub.add_parser("datatest", help="对仓库运行数据测试（sql/tests 中每个查询应返回 0 行）")
    datatest.add_argument("--db", type=Path, default=DEFAULT_DB)
    dictionary = sub.add_parser("dictionary", help="由仓库中的中文注释生成数据字典（Markdown）")
    dictionary.add_argument("--db", type=Path, default=DEFAULT_DB)
    dictionary.add_argument("--out", type=Path, default=Path("docs/data-dictionary.md"))
    templates = sub.add_parser("templates", help="生成空白填报模板（XLSX 含填写说明，及 CSV）")
    templates.add_argument("--out", type=Path, default=Path("data/templates"))
    submit = sub.add_parser("submit", help="提交一个乡镇的数据文件（检查后发布；--dry-run 只检查）")
    submit.add_argument("files", type=Path, nargs="+")
    submit.add_argument("--town", required=True, help="乡镇编码")
    submit.add_argument("--db", type=Path, default=DEFAULT_DB)
    submit.add_argument("--dry-run", action="store_true", help="只检查并列出问题和将删除的记录，不发布")
    submit.add_argument(
        "--replace",
        action="store_true",
        help="整表替换（只涉及文件中的年度）；默认补充修正：按编号新增或更新，不删除",
    )
    submit.add_argument(
        "--confirm-removals",
        type=int,
        default=None,
        metavar="N",
        help="再次确认：发布将删除 N 条现有记录（N 见 --dry-run 的删除清单；不符则不发布）",
    )
    submit.add_argument("--as-of", type=_date, default=None, help="统计截止日（默认沿用现有仓库的）")
    submit.add_argument("--by", default=None, metavar="NAME", help="提交人（记入提交记录；默认操作系统用户名）")
    history = sub.add_parser("history", help="列出乡镇提交和回滚的记录")
    history.add_argument("--db", type=Path, default=DEFAULT_DB)
    verify = sub.add_parser("verify", help="检查仓库文件：能否打开、结构版本、数据测试、发布时记录的校验值")
    verify.add_argument("--db", type=Path, default=DEFAULT_DB)
    verify.add_argument("--skip-data-tests", action="store_true", help="只查文件与校验值，不运行数据测试")
    rollback = sub.add_parser("rollback", help="把仓库恢复到某次装载发布的版本")
    rollback.add_argument("load_id")
    rollback.add_argument("--db", type=Path, default=DEFAULT_DB)
    export = sub.add_parser("export", help="把仓库导出为 Parquet 数据湖（按县、按年度分区，附清单），供 Spark 计算")
    export.add_argument("--lake", type=Path, required=True, help="数据湖目录（各县的导出并列存放）")
    export.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args(argv)

    if args.command == "export":
        return _export(args)

    if args.command in ("submit", "history", "rollback"):
        return _submissions(args)

    if args.command == "verify":
        from etl.verify import verify

        verdict = verify(args.db, data_tests=not args.skip_data_tests)
        print(verdict.report(), file=sys.stdout if verdict.ok else sys.stderr)
        return 0 if verdict.ok else 1

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
        counts = generate(args.out, args.scale, args.seed, args.as_of or DEFAULT_AS_OF, args.profile)
        listed = "，".join(f"{k} {v:,} 行" for k, v in counts.items())
        print(f"已生成 {args.scale} 规模演示数据到 {args.out}：{listed}（{time.perf_counter() - started:.1f} 秒）")
        return 0

    from etl.load import load as run_load

    try:
        result = run_load(args.source, args.db, as_of=args.as_of, criteria=args.criteria, marts=args.marts)
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


def _export(args: argparse.Namespace) -> int:
    from etl.export import export

    try:
        result = export(args.db, args.lake)
    except LoadRefused as refused:
        print(f"导出未进行：{refused}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def _submissions(args: argparse.Namespace) -> int:
    from etl import submissions

    if args.command == "history":
        for entry in submissions.history(args.db):
            if entry["event"] == "rollback":
                print(f"{entry['at']}\t回滚\t{entry['who']}\t恢复到 {entry['to']}")
                continue
            files = "，".join(
                f"{f['file']}（{f['rows_read']} 行，入库 {f['rows_loaded']}，拒收 {f['rows_rejected']}）"
                for f in entry["files"]
            )
            town = entry["town_id"] or "全量装载"
            modes = "、".join(sorted({submissions.MODES.get(f.get("mode"), "") for f in entry["files"]} - {""}))
            print(f"{entry['at']}\t{entry['load_id']}\t{entry['who']}\t{town}\t{modes or '-'}\t{files}")
        kept = submissions.available_versions(args.db)
        print(f"可回滚的版本：{'、'.join(kept) or '无'}", file=sys.stderr)
        return 0
    if not args.db.is_file():
        print(f"找不到仓库文件“{args.db}”。", file=sys.stderr)
        return 2
    try:
        if args.command == "rollback":
            submissions.rollback(args.db, args.load_id)
            print(f"已恢复到 {args.load_id}。", file=sys.stderr)
            return 0
        uploads = [submissions.Upload(p.name, p.read_bytes()) for p in args.files]
        preview = submissions.prepare(args.db, args.town, uploads, mode="replace" if args.replace else "merge")
    except (LoadRefused, OSError) as refused:
        print(f"未发布，现有仓库保持不变：{refused}", file=sys.stderr)
        return 2
    _print_preview(preview)
    if args.dry_run:
        submissions.cancel(preview)
        return 0
    try:
        # The command line is the server's operator, a county task: the share limit does not apply.
        load_id = submissions.commit(
            args.db,
            args.town,
            preview.staging,
            who=args.by,
            as_of=args.as_of,
            removals_confirmed=args.confirm_removals,
            county=True,
        )
    except LoadRefused as refused:
        submissions.cancel(preview)
        hint = "核对删除清单后，加 --confirm-removals N 再次提交。" if preview.removals.height else ""
        print(f"未发布，现有仓库保持不变：{refused}{hint}", file=sys.stderr)
        return 2
    print(f"已发布：{load_id}", file=sys.stderr)
    return 0


def _print_preview(preview) -> None:
    for f in preview.files:
        years = f"（只涉及 {'、'.join(map(str, f.years))} 年）" if f.mode == "replace" and f.years else ""
        print(
            f"{f.file}（{f.label}，{f.mode_label}{years}）：读取 {f.rows_read}，入库 {f.rows_loaded}，"
            f"拒收 {f.rows_rejected}；新增 {f.added}，修改 {f.changed}，删除 {f.removed}"
        )
        if f.absent:
            print(f"  文件中没有的列保持原值：{'、'.join(f.absent)}")
        for r in f.rejects.iter_rows(named=True):
            print(f"  第 {r['row_number']} 行 {r['column_name']} “{r['value'] or ''}”：{r['reason']}")
    for reason in preview.refusals():
        print(reason)
    if preview.removals.height:
        print(f"将删除 {preview.removals.height} 条现有记录：")
        for r in preview.removals.iter_rows(named=True):
            year = f" {r['year']} 年" if r["year"] is not None else ""
            print(f"  {r['kind']}{year}“{r['record']}”：{r['reason']}")


if __name__ == "__main__":
    sys.exit(main())
