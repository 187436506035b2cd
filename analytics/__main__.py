"""The analytics tools on the command line.

`python -m analytics sql "QUERY" --db PATH`: the SQL workbench, with the same sandbox and audit log
as the page. A result goes to stdout (exit 0); a refused or failed query prints a message in Chinese
on stderr and exits 2, without a traceback.

`python -m analytics report --db PATH --town ID --year Y --out FILE.docx|FILE.pdf [--handout]`:
the draft 工作总结 (Word or PDF) or the one-page meeting handout (PDF), as on the 工作总结 page.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

from analytics.sandbox import Limits, QueryFailed, QueryRefused, Sandbox
from analytics.workbench import run_query
from etl.load import login_name

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


def _print(frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
    elif fmt == "json":
        sys.stdout.write(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_hide_dataframe_shape=True):
            print(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="创先争优看板：分析工具")
    sub = parser.add_subparsers(dest="command", required=True)
    sql = sub.add_parser("sql", help="在只读沙箱中运行一条查询（与 SQL 工作台相同）")
    sql.add_argument("query", help="查询语句；写 - 则从标准输入读取")
    sql.add_argument("--db", type=Path, default=DEFAULT_DB)
    sql.add_argument("--town", default=None, help="只查询该乡镇的数据（乡镇编码）")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sql.add_argument("--max-rows", type=_positive_int, default=Limits.max_rows)
    sql.add_argument("--timeout", type=_positive_float, default=Limits.timeout_s, help="超时秒数（默认 10）")
    report = sub.add_parser("report", help="生成工作总结草稿（.docx 或 .pdf）或一页简报（--handout，.pdf）")
    report.add_argument("--db", type=Path, default=DEFAULT_DB)
    report.add_argument("--town", required=True, help="乡镇编码")
    report.add_argument("--year", type=int, default=None, help="年度（默认最近的年度）")
    report.add_argument("--out", type=Path, required=True, help="输出文件，扩展名 .docx 或 .pdf")
    report.add_argument("--handout", action="store_true", help="生成一页 A4 会议简报（仅 .pdf）")
    accounts = sub.add_parser("users", help="管理登录账号（用户文件 USERS_FILE，默认 data/users.json）")
    actions = accounts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="新建账号；密码从终端输入两次（或 --password-stdin）")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[*auth_roles(), *auth_roles().values()])
    add.add_argument("--town", default=None, help="乡镇账号所属乡镇编码")
    add.add_argument("--display-name", default="")
    add.add_argument("--email", default="", help="通过统一身份认证（OIDC）登录时对应的邮箱")
    add.add_argument("--password-stdin", action="store_true")
    for name, text in (("passwd", "重设密码"), ("remove", "删除账号"), ("unlock", "解除登录锁定")):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
        if name == "passwd":
            action.add_argument("--password-stdin", action="store_true")
    actions.add_parser("list", help="列出账号（不显示密码）")
    args = parser.parse_args(argv)
    if args.command == "report":
        return _report(args)
    if args.command == "users":
        return _users(args)

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


def auth_roles() -> dict[str, str]:
    from analytics.auth import ROLES

    return ROLES


def _new_password(from_stdin: bool) -> str:
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致。")
    return first


def _users(args: argparse.Namespace) -> int:
    from analytics import auth

    try:
        if args.action == "list":
            for user in auth.users().values():
                print(f"{user.username}\t{auth.ROLES[user.role]}\t{user.town_id or '全部乡镇'}\t{user.display_name}")
            return 0
        if args.action == "add":
            user = auth.add_user(
                args.username,
                _new_password(args.password_stdin),
                args.role,
                args.town,
                args.display_name,
                args.email,
            )
            print(f"已建立账号：{user.label}", file=sys.stderr)
        elif args.action == "passwd":
            auth.set_password(args.username, _new_password(args.password_stdin))
            print("密码已重设。", file=sys.stderr)
        elif args.action == "remove":
            auth.remove_user(args.username)
            print("账号已删除；已登录的会话在下一次操作时退出。", file=sys.stderr)
        elif args.action == "unlock":
            auth.unlock(args.username)
            print("已解除锁定。", file=sys.stderr)
    except (auth.AccountProblem, ValueError) as problem:
        print(str(problem), file=sys.stderr)
        return 2
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
