"""The SQL sandbox: ad-hoc queries from analysts, against walls made of DuckDB's own settings and
of the operating system's.

Inner walls (`Engine`): a fresh in-memory DuckDB that attaches the warehouse read-only (or, for one
town, copies that town's rows and detaches the file), then turns off external access (no file, URL,
ATTACH, COPY, EXPORT, INSTALL or LOAD), extension autoloading and spilling to disk, caps memory and
threads, and locks its configuration so no statement can undo any of that. A timer interrupts a
query that runs too long. Results are fetched in batches and cut at a row cap.

Outer walls (`Sandbox`): DuckDB's memory_limit governs its buffer manager, not every allocation
(`repeat('党', 1e9)` allocated 6 GB under a 256 MB limit, and one function call does not notice an
interrupt). So the engine lives in its own worker process with an OS ceiling on its data segment
(RLIMIT_DATA: an allocation past it fails inside DuckDB as an out-of-memory error), and the worker
is killed and replaced if it does not answer within the time limit plus a grace. The app's own
process never runs an analyst's statement.

Classifying the statement first (one statement, reading only) does not make it safe, the walls
do; it only lets the refusal say something clearer than the engine would.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from workbench.messages import explain

ROOT = Path(__file__).resolve().parent.parent
READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
BATCH_ROWS = 2048
# Tables without a town of their own that a town's session may still see: code lists and the standard.
SHARED_TABLES = ("criteria", "criteria_bands", "indicators", "branch_types", "org_levels", "vanguard_kinds")
# What a town's session holds of the base tables: the rows of its own organisations.
TOWN_TABLE_FILTERS = {
    "towns": "select * from warehouse.main.towns where town_id = $town",
    "orgs": "select * from warehouse.main.orgs where town_id = $town",
    "members": "select m.* from warehouse.main.members as m join town_orgs using (org_id)",
    "pledges": "select p.* from warehouse.main.pledges as p join town_orgs using (org_id)",
    "awards": (
        "select a.* from warehouse.main.awards as a left join warehouse.main.members as m using (member_id)"
        " where coalesce(m.org_id, a.org_id) in (select org_id from town_orgs)"
    ),
    "assessments": "select a.* from warehouse.main.assessments as a join town_orgs using (org_id)",
}
# Never in a town's session: load history names folders, rejects quote other towns' rows.
TOWN_HIDDEN = ("loads", "rejects", "warehouse_info")


@dataclass(frozen=True)
class Limits:
    max_rows: int = 10_000
    timeout_s: float = 10.0
    memory_mb: int = 1024  # DuckDB's memory_limit; the worker's OS ceiling is this above its baseline
    threads: int = 2

    @property
    def memory_limit(self) -> str:
        return f"{self.memory_mb}MB"


class QueryRefused(Exception):
    """The statement is not one the workbench runs (message in Chinese)."""


class QueryFailed(Exception):
    """The statement ran and failed: syntax, a missing column, the time or memory limit (in Chinese)."""

    def __init__(self, message: str, outcome: str = "error") -> None:
        super().__init__(message)
        self.outcome = outcome  # error | timeout | memory


@dataclass
class QueryResult:
    frame: pl.DataFrame
    cut: bool
    elapsed_s: float

    @property
    def rows(self) -> int:
        return self.frame.height


@dataclass
class Relation:
    """A table or view as the schema browser shows it."""

    name: str
    kind: str  # 视图 | 表
    comment: str
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # name, type, comment


def _refusal(kind: duckdb.StatementType) -> str:
    name = str(kind).split(".")[-1]
    if name in ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "COPY_DATABASE", "MERGE_INTO"):
        return f"工作台只读：不能执行修改数据或结构的语句（{name}）。"
    if name in ("COPY", "EXPORT"):
        return f"工作台不能读写服务器上的文件（{name}）；结果请用页面上的下载按钮导出。"
    if name in ("ATTACH", "DETACH"):
        return f"工作台不能挂载或卸载数据库（{name}）。"
    if name in ("LOAD", "EXTENSION"):
        return "工作台不能安装或加载扩展（INSTALL / LOAD）。"
    if name == "MULTI":
        return (
            "PIVOT 请写出 IN 列表（例如 PIVOT towns ON town_id IN ('T1', 'T2') USING count(*)），工作台不创建新类型。"
        )
    if name in ("SET", "VARIABLE_SET", "PRAGMA"):
        return f"工作台的设置已锁定，不能修改（{name}）。查看表结构可用 DESCRIBE 表名 或 SHOW TABLES。"
    return f"工作台只运行查询语句（SELECT、WITH、FROM、DESCRIBE、SHOW、SUMMARIZE、EXPLAIN），不能执行 {name}。"


def classify(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The one reading statement in `sql`, or QueryRefused / QueryFailed with a Chinese message."""
    if not sql.strip():
        raise QueryRefused("请输入一条查询语句。")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryFailed(explain(str(exc), "SQL 语法错误")) from exc
    if not statements:
        raise QueryRefused("请输入一条查询语句（只有注释）。")
    if len(statements) > 1:
        raise QueryRefused(f"一次只能运行一条语句，这里有 {len(statements)} 条；请分开运行。")
    statement = statements[0]
    if statement.type not in READING:
        raise QueryRefused(_refusal(statement.type))
    if statement.type == duckdb.StatementType.EXPLAIN:
        _check_explained(con, statement.query)
    return statement.query


EXPLAIN_PREFIX = re.compile(
    r"^\s*(?:(?:--[^\n]*(?:\n|$)|/\*.*?\*/)\s*)*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?(?P<inner>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _check_explained(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """EXPLAIN ANALYZE runs what it explains: only a reading statement may follow EXPLAIN."""
    match = EXPLAIN_PREFIX.match(query)
    inner = con.extract_statements(match.group("inner")) if match and match.group("inner").strip() else []
    if len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
        raise QueryRefused("EXPLAIN 后只能跟查询语句（SELECT）。")


def _engine_message(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:500] if str(exc).strip() else type(exc).__name__


def _failure(exc: Exception, timed_out: bool, limits: Limits) -> QueryFailed:
    if timed_out or isinstance(exc, duckdb.InterruptException):
        message = f"查询超过 {limits.timeout_s:g} 秒，已取消。请缩小范围（加 WHERE 条件或 LIMIT）。"
        return QueryFailed(message, "timeout")
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError) or "Out of Memory" in str(exc):
        return QueryFailed(
            f"查询需要的内存超过工作台上限（{limits.memory_limit}），已停止。请先汇总（GROUP BY）或缩小范围。", "memory"
        )
    if isinstance(exc, duckdb.PermissionException):
        return QueryFailed("工作台不能访问服务器上的文件、网址或环境（已被引擎设置禁止）。", "refused")
    # The whole of DuckDB's message, with its hints ("Did you mean …") in Chinese: workbench/messages.py
    if isinstance(exc, duckdb.ParserException):
        return QueryFailed(explain(str(exc), "SQL 语法错误"))
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return QueryFailed(explain(str(exc), "找不到表、视图、列或函数"))
    return QueryFailed(explain(str(exc), "查询出错"))


def _to_polars(table: pa.Table) -> pl.DataFrame:
    """Arrow → polars, with repeated column names made unique and types polars lacks shown as text."""
    names, seen = [], {}
    for name in table.column_names:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    table = table.rename_columns(names)
    columns = {}
    for name, column in zip(names, table.columns, strict=True):
        try:
            columns[name] = pl.from_arrow(column)
        except Exception:  # e.g. MAP or UNION values: keep them readable rather than fail the query
            columns[name] = pl.Series(name, [None if v is None else str(v) for v in column.to_pylist()], pl.String)
    return pl.DataFrame([series.alias(name) for name, series in columns.items()])


class Engine:
    """One locked-down DuckDB over one warehouse file (one town's rows when `town_id` is given).

    Runs in the worker process of a `Sandbox`; use `Sandbox`, which adds the OS walls.
    """

    def __init__(self, db_path: Path, town_id: str | None = None, limits: Limits | None = None) -> None:
        self.db_path, self.town_id, self.limits = Path(db_path), town_id, limits or Limits()
        self._lock = threading.Lock()  # one query at a time per engine
        self.con = duckdb.connect(":memory:")
        try:
            self.con.execute("attach ? as warehouse (read_only)", [str(self.db_path)]).fetchall()
            self.catalog = self._read_catalog()
            if town_id is None:
                self.con.execute("use warehouse").fetchall()
            else:
                self._copy_town(town_id)
            self._lock_down()
        except Exception:
            self.con.close()
            raise

    def _read_catalog(self) -> list[Relation]:
        """Tables and views of the warehouse's main schema with their Chinese comments (no rows)."""
        hidden = TOWN_HIDDEN if self.town_id else ()
        found = self.con.execute(
            "select view_name, '视图', coalesce(comment, '') from duckdb_views()"
            " where database_name = 'warehouse' and schema_name = 'main' and not internal"
            " union all select table_name, '表', coalesce(comment, '') from duckdb_tables()"
            " where database_name = 'warehouse' and schema_name = 'main' order by 2 desc, 1"
        ).fetchall()
        columns = self.con.execute(
            "select table_name, column_name, data_type, coalesce(comment, '') from duckdb_columns()"
            " where database_name = 'warehouse' and schema_name = 'main' order by table_name, column_index"
        ).fetchall()
        relations = {name: Relation(name, kind, comment) for name, kind, comment in found if name not in hidden}
        for table, column, data_type, comment in columns:
            if table in relations:
                relations[table].columns.append((column, data_type.lower(), comment))
        return list(relations.values())

    def _copy_town(self, town_id: str) -> None:
        """Only this town's rows come into the engine; then the file is detached for good."""
        con = self.con
        if not con.execute("select 1 from warehouse.main.towns where town_id = ?", [town_id]).fetchall():
            raise QueryRefused(f"仓库中没有乡镇“{town_id}”。")
        con.execute(
            "create temp table town_orgs as select org_id from warehouse.main.orgs where town_id = $town",
            {"town": town_id},
        ).fetchall()
        copied = set()
        for relation in self.catalog:
            name = relation.name
            # a name from the warehouse's own catalogue; quoted all the same, as identifiers take no parameters
            quoted = '"' + name.replace('"', '""') + '"'
            if name in TOWN_TABLE_FILTERS:
                query = TOWN_TABLE_FILTERS[name]
            elif name in SHARED_TABLES or name == "v_reporting_years":
                query = f"select * from warehouse.main.{quoted}"
            elif any(c[0] == "town_id" for c in relation.columns):
                query = f"select * from warehouse.main.{quoted} where town_id = $town"
            else:
                continue  # nothing else leaves the file
            params = {"town": town_id} if "$town" in query else None
            con.execute(f"create table memory.main.{quoted} as {query}", params).fetchall()
            copied.add(name)
        self.catalog = [r for r in self.catalog if r.name in copied]
        con.execute("drop table town_orgs").fetchall()
        con.execute("use memory").fetchall()
        con.execute("detach warehouse").fetchall()

    def _lock_down(self) -> None:
        limits = self.limits
        for statement, value in (
            # Settings that name server paths say nothing: duckdb_settings() is readable by every
            # session, and the secret and extension folders would show the server account's home.
            ("set secret_directory = ?", ""),
            ("set extension_directory = ?", "/nonexistent"),
            ("set temp_directory = ?", ""),  # no spilling: nothing of a query reaches the disk
            ("set enable_external_access = ?", False),  # after temp_directory, which it freezes
            ("set autoinstall_known_extensions = ?", False),
            ("set autoload_known_extensions = ?", False),
            ("set allow_community_extensions = ?", False),
            ("set memory_limit = ?", limits.memory_limit),
            ("set threads = ?", limits.threads),
            ("set lock_configuration = ?", True),
        ):
            self.con.execute(statement, [value]).fetchall()

    def run(self, sql: str) -> QueryResult:
        """Run one reading statement; at most `max_rows` rows come back, `cut` says if there were more."""
        with self._lock:
            query = classify(self.con, sql)
            fired = threading.Event()

            def interrupt() -> None:
                fired.set()
                self.con.interrupt()

            timer = threading.Timer(self.limits.timeout_s, interrupt)
            started = time.perf_counter()
            timer.start()
            try:
                batches, cut = self._fetch(query)
            except QueryRefused:
                raise
            except Exception as exc:  # duckdb and pyarrow raise several kinds; all become a message
                raise _failure(exc, fired.is_set(), self.limits) from exc
            finally:
                timer.cancel()
            elapsed = time.perf_counter() - started
        return QueryResult(_to_polars(batches), cut, elapsed)

    def _fetch(self, query: str) -> tuple[pa.Table, bool]:
        reader = self.con.sql(query).to_arrow_reader(BATCH_ROWS)
        try:
            batches, rows = [], 0
            for batch in reader:
                batches.append(batch)
                rows += batch.num_rows
                if rows > self.limits.max_rows:
                    break
            table = pa.Table.from_batches(batches, schema=reader.schema)
        finally:
            reader.close()
        cut = table.num_rows > self.limits.max_rows
        return table.slice(0, self.limits.max_rows), cut

    def close(self) -> None:
        self.con.close()


GRACE_S = 3.0  # after the time limit, how long the engine may take to honour its interrupt
START_TIMEOUT_S = 120.0  # copying a town out of a province warehouse takes a few seconds
CEILING_MARGIN_MB = 512  # above the engine's own memory_limit, for query results and Python


def _data_segment_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


def serve(conn: Connection, db_path: str, town_id: str | None, limits: Limits) -> None:
    """The worker process: set the OS ceiling, build the engine, answer queries until told to stop."""
    ceiling = _data_segment_bytes() + (limits.memory_mb + CEILING_MARGIN_MB) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))
    try:
        engine = Engine(Path(db_path), town_id, limits)
    except QueryRefused as refused:
        conn.send(("refused", str(refused)))
        return
    except Exception as exc:  # an unreadable file, for instance: said once, in the parent
        conn.send(("error", f"无法打开仓库文件：{_engine_message(exc)}"))
        return
    conn.send(("ready", engine.catalog))
    while True:
        try:
            command, sql = conn.recv()
        except EOFError:
            return
        if command == "close":
            return
        try:
            conn.send(("ok", engine.run(sql)))
        except QueryRefused as refused:
            conn.send(("refused", str(refused)))
        except QueryFailed as failed:
            conn.send(("failed", (str(failed), failed.outcome)))
        except Exception as exc:  # e.g. a result that cannot be sent: the worker stays up
            conn.send(("failed", (f"查询出错：{_engine_message(exc)}", "error")))


class Sandbox:
    """The engine in its own process: what the workbench page and the CLI run analysts' SQL in."""

    def __init__(self, db_path: Path, town_id: str | None = None, limits: Limits | None = None) -> None:
        self.db_path, self.town_id, self.limits = Path(db_path), town_id, limits or Limits()
        self._lock = threading.Lock()
        self._proc = None
        self._conn = None
        self.catalog: list[Relation] = []
        self._start()

    def _start(self) -> None:
        # A fresh interpreter (`python -m workbench.sandbox_worker`): not a fork of the app's process
        # with its threads and open connections, and not multiprocessing, which re-imports `__main__`.
        parent_end, child_end = socket.socketpair()
        # One JSON argument, so a town of "" stays "" (and is refused) instead of reading as no town.
        config = json.dumps({"db": str(self.db_path), "town": self.town_id, "limits": dataclasses.asdict(self.limits)})
        args = [sys.executable, "-m", "workbench.sandbox_worker", str(child_end.fileno()), config]
        try:
            proc = subprocess.Popen(
                args,
                pass_fds=[child_end.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
            )
        finally:
            child_end.close()
        self._proc, self._conn = proc, Connection(parent_end.detach())
        parent = self._conn
        if not parent.poll(START_TIMEOUT_S):
            self._stop()
            raise QueryFailed("沙箱启动超时。", "error")
        try:
            status, payload = parent.recv()
        except EOFError:
            self._stop()
            raise QueryFailed("沙箱进程意外退出。", "error") from None
        if status != "ready":
            self._stop()
            raise (QueryRefused if status == "refused" else QueryFailed)(payload)
        self.catalog = payload

    def _stop(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def run(self, sql: str) -> QueryResult:
        """One reading statement; QueryRefused or QueryFailed (with `outcome`) otherwise."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._stop()
                self._start()  # a killed worker is replaced: the sandbox stays usable
            self._conn.send(("run", sql))
            if not self._conn.poll(self.limits.timeout_s + GRACE_S):
                self._stop()
                raise _failure(TimeoutError(), True, self.limits)
            try:
                status, payload = self._conn.recv()
            except (EOFError, OSError):
                self._stop()  # it died mid-query: the OS stopped an allocation the engine could not survive
                raise _failure(duckdb.OutOfMemoryException("worker died"), False, self.limits) from None
            if status == "failed" and payload[1] in ("memory", "timeout"):
                # the engine survived, but its allocator may keep what the query took: start afresh
                self._stop()
        if status == "ok":
            return payload
        if status == "refused":
            raise QueryRefused(payload)
        message, outcome = payload
        raise QueryFailed(message, outcome)

    @property
    def worker_pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):  # the worker may already be gone
                    self._conn.send(("close", ""))
            if self._proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(2)
            self._stop()
