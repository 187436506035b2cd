"""The audit log: one JSON line per ad-hoc query (workbench or CLI), kept outside the warehouse.

A new load replaces the warehouse file; the log must outlive it, so it lives in its own file
(`AUDIT_LOG`, default data/logs/audit.jsonl). Appends are serialised with a lock so two processes
never interleave half-lines.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

import polars as pl

from analytics.times import TIME_COLUMN, beijing_time

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOG = ROOT / "data" / "logs" / "audit.jsonl"


def audit_path() -> Path:
    return Path(os.environ.get("AUDIT_LOG", DEFAULT_LOG))


def record(event: str, **fields: object) -> dict:
    """Append one entry (`event` plus the fields, stamped in UTC) and return it."""
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # who did what: the server's account only
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return entry


def recent(limit: int = 200) -> list[dict]:
    """The newest entries first (for the people allowed to read the log)."""
    path = audit_path()
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [json.loads(line) for line in reversed(lines) if line.strip()]


EVENTS = {  # what the audit page calls each event
    "sign_in": "登录",
    "sign_in_refused": "登录被拒",
    "sign_out": "退出登录",
    "session_expired": "登录超时",
    "account_removed": "账号已删除",
    "download": "下载（含姓名的表格）",
    "sql": "SQL 查询",
    "submission": "提交数据",
    "rollback": "回滚仓库",
}


def rows(entries: list[dict], kinds: list[str], who: str = "") -> pl.DataFrame:
    """The entries of the chosen kinds (and users whose name contains `who`) as the page shows them."""
    return pl.DataFrame(
        [
            {
                TIME_COLUMN: beijing_time(e.get("at")),
                "事件": EVENTS.get(e.get("event"), e.get("event")),
                "用户": str(e.get("who", "")),
                "详情": "；".join(f"{k}={v}" for k, v in e.items() if k not in ("at", "event", "who")),
            }
            for e in entries
            if e.get("event") in kinds and (not who or who in str(e.get("who", "")))
        ],
        schema=[TIME_COLUMN, "事件", "用户", "详情"],
    )
