"""Times as people in the county read them: Beijing time, said as such.

The logs (audit log, submissions, loads) store UTC; 审计日志 and 提交记录 show Beijing time. Kept apart
from labels.py so that access/ (the audit log) needs nothing else of the read side.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    BEIJING = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database on the machine: China has kept UTC+8 without DST since 1991
    BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
TIME_COLUMN = "时间（北京时间）"


def beijing_time(at: str | dt.datetime | None) -> str:
    """A stored time (ISO text or datetime; UTC when it names no zone, as the logs write it) as
    people in the county read it: '2026-12-01 13:45:02', Beijing time. Text that is not a time is
    returned as it is, never dropped."""
    if at is None or at == "":
        return ""
    try:
        moment = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    except ValueError:
        return str(at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
