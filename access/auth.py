"""Who may see what: local accounts, roles, town scope, lock-out and session expiry (no Streamlit here).

Accounts live in a users file (`USERS_FILE`, default data/users.json), written by
`python -m access users …`; passwords are kept only as argon2id hashes. With no users file (or
an empty one) the app runs in demo mode, open to everyone, and says so on every page.

Roles: 县级 sees every town and page and reads the audit log; 乡镇 sees only its own town, on the
server side, whatever the URL says (no county ranking, SQL in a sandbox holding only its town);
分析员 sees every town and has the SQL workbench, but not the audit log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_USERS = ROOT / "data" / "users.json"
ROLES = {"county": "县级", "town": "乡镇", "analyst": "分析员"}
ROLE_BY_LABEL = {label: code for code, label in ROLES.items()}
USERNAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,40}$")
MIN_PASSWORD = 10

MAX_FAILURES = 5  # wrong passwords for one username within the window lock it for the window
LOCK_WINDOW = dt.timedelta(minutes=15)
IDLE_LIMIT = dt.timedelta(minutes=int(os.environ.get("AUTH_IDLE_MINUTES", "30")))
SESSION_LIMIT = dt.timedelta(hours=int(os.environ.get("AUTH_SESSION_HOURS", "10")))

WRONG = "用户名或密码错误。"  # the same words for an unknown user and a wrong password
LOCKED = "尝试次数过多，请 15 分钟后再试。"

_hasher = PasswordHasher()  # argon2id, the library's current defaults (64 MiB, 3 passes)


@cache
def _dummy_hash() -> str:
    """Verifying against this when the name is unknown takes as long as for a real account, so the
    time a refusal takes does not tell whether the name exists. Made on first use: hashing costs
    64 MiB and a tenth of a second, which every import (the app, each CLI run) would pay otherwise."""
    return _hasher.hash("not a password of anyone")


class AccountProblem(Exception):
    """A users-file command could not be done; the message says why, in Chinese.

    The message may be shown before sign-in, to anyone: it names no server path and no parser
    position. `detail` has those, for the server's log and the administrator's command line.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail
        if detail:
            _log.warning("%s %s", message, detail)


_log = logging.getLogger("access")


@dataclass(frozen=True)
class User:
    username: str
    role: str  # a key of ROLES
    town_id: str | None  # the one town a 乡镇 account sees
    display_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{ROLES[self.role]}{'·' + self.town_id if self.town_id else ''}）"


@dataclass(frozen=True)
class Access:
    """What the current session may do; every page asks this, never the URL."""

    user: User | None  # None in demo mode
    demo: bool

    @property
    def town_id(self) -> str | None:
        """The only town this session may see, or None for all towns."""
        return self.user.town_id if self.user and self.user.role == "town" else None

    @property
    def can_compare_towns(self) -> bool:
        return self.town_id is None

    @property
    def can_submit(self) -> bool:
        """Township data comes in through 县级 (any town) and 乡镇 (its own) accounts, not analysts."""
        return self.demo or (self.user is not None and self.user.role in ("county", "town"))

    @property
    def can_read_audit(self) -> bool:
        return self.demo or (self.user is not None and self.user.role == "county")

    @property
    def who(self) -> str:
        return self.user.username if self.user else "演示模式（未登录）"


def users_path() -> Path:
    return Path(os.environ.get("USERS_FILE", DEFAULT_USERS))


def _read(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        entries = data.get("users", {}) if isinstance(data, dict) else None
        if not isinstance(entries, dict) or not all(
            isinstance(e, dict) and e.get("role") in ROLES and isinstance(e.get("hash"), str) for e in entries.values()
        ):
            raise ValueError("not a users file: expected {'users': {name: {'role', 'hash', ...}}}")
    except (OSError, ValueError) as exc:
        # A damaged users file must not open the app to everyone as demo mode would.
        raise AccountProblem(
            "用户文件无法读取（已损坏或格式不对）：请管理员修复，或用 `python -m access users` 重建。",
            detail=f"{path}: {exc}",
        ) from exc
    return entries


def users() -> dict[str, User]:
    return {
        name: User(name, entry["role"], entry.get("town_id"), entry.get("display_name", ""))
        for name, entry in _read(users_path()).items()
    }


def user_for_email(email: str) -> User | None:
    """The account an identity provider's verified e-mail belongs to; None for anyone not in the file."""
    wanted = email.strip().casefold()
    if not wanted:
        return None
    for name, entry in _read(users_path()).items():
        if entry.get("email") and entry["email"] == wanted:
            return User(name, entry["role"], entry.get("town_id"), entry.get("display_name", ""))
    return None


def demo_mode() -> bool:
    """No accounts: the app is open to all (and says so). AUTH_REQUIRED=1 turns a missing or empty
    users file into an error instead, so a deleted file cannot quietly open a production server."""
    if users():
        return False
    if os.environ.get("AUTH_REQUIRED", "") not in ("", "0"):
        raise AccountProblem(
            "已要求登录（AUTH_REQUIRED），但用户文件中没有账号：请管理员在项目目录运行 "
            "`bin/access users add 名字 --role 县级` 建立。",
            detail=f"USERS_FILE={users_path()}",
        )
    return True


def _write(path: Path, entries: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # only the server's account reads it
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"users": entries}, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountProblem(f"密码至少 {MIN_PASSWORD} 个字符。")


def add_user(
    username: str, password: str, role: str, town_id: str | None = None, display_name: str = "", email: str = ""
) -> User:
    role = ROLE_BY_LABEL.get(role, role)
    if not USERNAME.match(username):
        raise AccountProblem("用户名应为 2–40 个字母、数字、汉字或 _ . @ -。")
    if role not in ROLES:
        raise AccountProblem(f"角色应为 {'、'.join(ROLES.values())} 之一。")
    if (role == "town") != bool(town_id):
        raise AccountProblem("乡镇账号必须指定一个乡镇（--town），其他角色不指定。")
    _check_password(password)
    path = users_path()
    entries = _read(path)
    if username in entries:
        raise AccountProblem(f"用户“{username}”已存在。")
    entries[username] = {
        "role": role,
        "town_id": town_id,
        "display_name": display_name,
        "email": email.strip().casefold(),  # for sign-in through an identity provider (st.login)
        "hash": _hasher.hash(password),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    _write(path, entries)
    return User(username, role, town_id, display_name)


def set_password(username: str, password: str) -> None:
    _check_password(password)
    path = users_path()
    entries = _read(path)
    if username not in entries:
        raise AccountProblem(f"没有用户“{username}”。")
    entries[username]["hash"] = _hasher.hash(password)
    _write(path, entries)


def remove_user(username: str) -> None:
    path = users_path()
    entries = _read(path)
    if entries.pop(username, None) is None:
        raise AccountProblem(f"没有用户“{username}”。")
    _write(path, entries)


# Lock-out ---------------------------------------------------------------------------------------
# Failures are kept in a file beside the users file, shared by every session and server process:
# counting in one browser session would let an attacker reset the count by opening a new one.


def _failures_path() -> Path:
    return users_path().with_name(".sign-in-failures.json")


# Names that are no account are whatever an attacker (or a user who typed the password into 用户名)
# sends: they are kept only as a keyed hash, and only the newest of them, so the file stays small.
MAX_UNKNOWN_NAMES = 1000
UNKNOWN = "未知用户"


def is_known(username: str) -> bool:
    """Whether the name is an account of the users file (as typed, trimmed)."""
    return (username or "").strip() in _read(users_path())


def _failure_key(username: str, salt: str) -> str:
    name = (username or "").strip()
    if is_known(name):
        return name.casefold()
    return "?" + hmac.new(salt.encode(), name.casefold().encode(), hashlib.sha256).hexdigest()[:24]


def _open_private(path: Path, flags: int) -> int:
    """A file only the server's account can read (0600), whatever the umask; an older 0644 file too."""
    fd = os.open(path, flags | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def _with_failures(change):
    path = _failures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(_open_private(path, os.O_RDWR), "r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.seek(0)
            text = fh.read()
            stored = json.loads(text) if text.strip() else {}
            if "names" not in stored:  # the earlier format: names at the top level
                stored = {"names": {k: v for k, v in stored.items() if isinstance(v, list)}}
            salt = stored.get("salt") or secrets.token_hex(16)
            now = time.time()
            window = LOCK_WINDOW.total_seconds()
            names = {k: [t for t in v if now - t < window] for k, v in stored["names"].items()}
            result = change(names, now, salt)
            names = {k: v for k, v in names.items() if v}
            unknown = sorted((k for k in names if k.startswith("?")), key=lambda k: names[k][-1], reverse=True)
            for k in unknown[MAX_UNKNOWN_NAMES:]:
                del names[k]  # the oldest unknown names go; accounts' counts are never pushed out
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps({"salt": salt, "names": names}))
            fh.flush()
            return result
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_locked(username: str) -> bool:
    return _with_failures(lambda data, now, salt: len(data.get(_failure_key(username, salt), [])) >= MAX_FAILURES)


def _fail(username: str) -> None:
    _with_failures(lambda data, now, salt: data.setdefault(_failure_key(username, salt), []).append(now))


def unlock(username: str) -> None:
    """Forget the failed sign-ins of a name (an administrator's `users unlock`)."""
    _clear(username)


def _clear(username: str) -> None:
    _with_failures(lambda data, now, salt: data.pop(_failure_key(username, salt), None))


def sign_in(username: str, password: str) -> tuple[User | None, str]:
    """(user, '') when the password is right; (None, message) otherwise.

    Unknown names are counted and locked exactly like real ones, and verified against a dummy hash,
    so neither the message, the lock-out nor the time taken tells whether an account exists.
    """
    username = (username or "").strip()
    if is_locked(username):
        return None, LOCKED
    entry = _read(users_path()).get(username)
    try:
        _hasher.verify(entry["hash"] if entry else _dummy_hash(), password or "")
        ok = entry is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        _fail(username)
        return None, LOCKED if is_locked(username) else WRONG
    _clear(username)
    return User(username, entry["role"], entry.get("town_id"), entry.get("display_name", "")), ""


def session_expired(signed_in_at: float, last_seen_at: float, now: float) -> bool:
    """Idle for longer than IDLE_LIMIT, or signed in for longer than SESSION_LIMIT."""
    return now - last_seen_at > IDLE_LIMIT.total_seconds() or now - signed_in_at > SESSION_LIMIT.total_seconds()
