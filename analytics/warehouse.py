"""The read side: a read-only connection that follows the published warehouse file, and named queries.

The loader publishes a new file with `os.replace`, so the path stays the same while the inode
changes. `Warehouse.version()` reads that identity with one `stat`; when it changes the next
query opens the new file and closes the old handle, so a new load shows up within one rerun.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from etl.load import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "sql" / "queries"
DEFAULT_PATH = ROOT / "data" / "warehouse.duckdb"


class WarehouseUnusable(Exception):
    """The app cannot read the warehouse; the message (in Chinese) says what to do."""


class WarehouseMissing(WarehouseUnusable):
    """There is no published warehouse at the path yet."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"尚未装载数据（找不到仓库文件“{path}”）：请运行 `make run`（自动装载演示数据）"
            "或 `python -m etl load 目录 --db 仓库文件`。"
        )


class WarehouseDamaged(WarehouseUnusable):
    """The file is there but cannot be read (truncated, overwritten, not a warehouse at all)."""

    def __init__(self, path: Path) -> None:
        from etl.verify import recovery_advice  # the same advice as `python -m etl verify`

        super().__init__(
            f"仓库文件无法读取，可能已损坏。{recovery_advice(Path(path))}"
            f"（管理员可运行 python -m etl verify --db {path} 查看详情。）"
        )


# What DuckDB says when the bytes of a file are wrong, rather than a query: the file is damaged.
DAMAGE_SIGNS = ("could not read enough bytes", "corrupt database file", "not a valid duckdb database")


def _is_damage(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.IOException) or any(s in str(exc).lower() for s in DAMAGE_SIGNS)


class WarehouseOutdated(WarehouseUnusable):
    """The file was built by an older version of the loader: its views are not the ones we read."""


def warehouse_path() -> Path:
    return _resolved(os.environ.get("WAREHOUSE_PATH", str(DEFAULT_PATH)), os.getcwd())


@lru_cache(maxsize=16)
def _resolved(path: str, cwd: str) -> Path:
    # Asked for by every query of every page run; resolving walks the path's every folder (a tenth
    # of a page run under 50 sessions, sampled). Publishing renames a file, it moves no folder.
    return (Path(cwd) / path).resolve()


def query_text(name: str) -> str:
    """The SQL of a named query, `sql/queries/<name>.sql`; names are fixed in code, never user input."""
    path = QUERY_DIR / f"{name}.sql"
    if path.parent != QUERY_DIR or not path.is_file():
        raise KeyError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def _check_schema_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        found = con.execute("select max(schema_version) from warehouse_info").fetchall()[0][0]
    except duckdb.CatalogException:
        found = None
    if found != SCHEMA_VERSION:
        raise WarehouseOutdated(
            f"仓库文件“{path}”由旧版本生成（结构版本 {found or 1}，当前需要 {SCHEMA_VERSION}）："
            f"请重新装载，例如 `python -m etl load 数据目录 --db {path}`。"
        )


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory engine with the file attached read-only as `warehouse`.

    `duckdb.connect(path)` would hand back the process's cached instance of the old file (DuckDB
    caches databases by path), so a republished file would not be seen; attaching into a new
    in-memory instance always opens what is at the path now.
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as warehouse (read_only)", [str(path)]).fetchall()
        con.execute("use warehouse").fetchall()
        _check_schema_version(con, path)
    except duckdb.Error as exc:
        con.close()
        if _is_damage(exc):
            raise WarehouseDamaged(path) from exc
        raise
    except Exception:
        con.close()
        raise
    return con


class Warehouse:
    """Read-only access to the live warehouse file; one connection, a cursor per query."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else warehouse_path()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_version: str | None = None

    def version(self) -> str:
        """Identity of the published file: changes with every publish (new inode), cheap to read."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError as exc:
            raise WarehouseMissing(str(self.path)) from exc
        return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"

    def connection(self) -> duckdb.DuckDBPyConnection:
        version = self.version()
        with self._lock:
            if self._con is None or version != self._con_version:
                old = self._con
                self._con = open_read_only(self.path)
                self._con_version = version
                if old is not None:
                    old.close()
            return self._con

    def sql(self, text: str, params: dict | None = None) -> pl.DataFrame:
        """Run trusted SQL (ours, from sql/) with named `$parameters`; a cursor per call for threads."""
        cursor = self.connection().cursor()
        cursor.execute("use warehouse").fetchall()  # a cursor starts in the in-memory catalog
        try:
            return cursor.sql(text, params=params or None).pl()
        except duckdb.Error as exc:
            if _is_damage(exc):
                raise WarehouseDamaged(self.path) from exc
            raise
        finally:
            cursor.close()

    def query(self, name: str, **params: object) -> pl.DataFrame:
        return self.sql(query_text(name), params)

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
