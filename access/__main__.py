"""Accounts on the command line: `python -m access users add|passwd|remove|unlock|list`.

(`python -m analytics users …` still answers, and says the command moved here.)
"""

from __future__ import annotations

import argparse
import getpass
import sys

from access import auth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m access", description="创先争优看板：账号管理")
    sub = parser.add_subparsers(dest="command", required=True)
    accounts = sub.add_parser("users", help="管理登录账号（用户文件 USERS_FILE，默认 data/users.json）")
    actions = accounts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="新建账号；密码从终端输入两次（或 --password-stdin）")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[*auth.ROLES, *auth.ROLES.values()])
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
    return _users(args)


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的密码不一致。")
    return first


def _users(args: argparse.Namespace) -> int:
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
        print(str(problem), getattr(problem, "detail", ""), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
