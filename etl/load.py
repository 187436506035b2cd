"""Load a folder of input files into a new DuckDB file, then publish it over the live one atomically.

The only code that writes a warehouse. It never opens the live file for writing: it builds
`.<name>.building-<pid>` beside it and `os.replace`s it over the live path, so a reader holding
the old file keeps reading the old version and never sees half a load.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import getpass
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl.contract import BRANCH_TYPE_LABELS, ENUMS, FILES, LOAD_ORDER, ORG_LEVEL_LABELS
from etl.criteria import Standard, indicator_catalogue, read_standard
from etl.marts import SparkMarts
from etl.readers import ROW, LoadRefused, open_table
from etl.validate import REJECT_SCHEMA, Checked, GoodRows, check_batches

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
# Analysts open the file with the DuckDB 1.5 CLI and BI drivers that lag 2.0's own format.
STORAGE_VERSION = "v1.4.0"
# Bumped whenever tables, views or their columns change; the app refuses an older file with a
# message to reload instead of failing on a missing view. 2 = the metrics layer; 3 = the member
# profile and member pledge review views of the work summary.
SCHEMA_VERSION = 4


@dataclass
class LoadResult:
    load_id: str
    db_path: Path
    checked: dict[str, Checked] = field(default_factory=dict)

    @property
    def rejects(self) -> pl.DataFrame:
        frames = [c.rejects for c in self.checked.values()]
        return pl.concat(frames) if frames else pl.DataFrame(schema=REJECT_SCHEMA)

    def summary(self) -> str:
        """The per-file table printed after a load: read = loaded + rejected for every file."""
        lines = [f"装载 {self.load_id} 已发布到 {self.db_path}", "文件\t读取\t入库\t拒收"]
        for c in self.checked.values():
            lines.append(f"{c.file}\t{c.rows_read}\t{c.rows_loaded}\t{c.rows_rejected}")
        total = [
            sum(getattr(c, a) for c in self.checked.values()) for a in ("rows_read", "rows_loaded", "rows_rejected")
        ]
        lines.append(f"合计\t{total[0]}\t{total[1]}\t{total[2]}")
        return "\n".join(lines)


def find_input_files(source_dir: Path) -> dict[str, Path]:
    """One file per kind (`towns.csv` or `towns.xlsx`, or a Chinese name such as 乡镇.xlsx)."""
    if not source_dir.is_dir():
        raise LoadRefused(f"找不到数据目录“{source_dir}”。")
    found: dict[str, Path] = {}
    candidates = sorted(p for p in source_dir.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    for kind, spec in FILES.items():
        names = {kind, *spec.aliases}
        matches = [p for p in candidates if p.stem.strip().lower() in names]
        usable = [p for p in matches if p.suffix.lower() in (".csv", ".xlsx")]
        if len(usable) > 1:
            listed = "、".join(p.name for p in usable)
            raise LoadRefused(f"“{spec.label}”有多个文件：{listed}。每类数据只能提供一个文件。")
        if not usable and matches:
            raise LoadRefused(f"文件“{matches[0].name}”的类型不受支持：只接受 .csv 或 .xlsx。")
        if usable:
            found[kind] = usable[0]
        elif spec.required_file:
            raise LoadRefused(f"数据目录“{source_dir}”中缺少“{spec.label}”文件（{kind}.csv 或 {kind}.xlsx）。")
    return found


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# The files that can run to millions of rows: checked batch by batch, their good rows written into
# the new warehouse as they go, so a load's memory does not grow with the province. Towns and
# organisations are small and checked whole (an organisation's parent is a row of the same file).
STREAMED = ("members", "pledges", "awards", "assessments")
# Files others refer to: the key values of all their rows, as typed, name a reject's cause.
REFERRED_TO = ("towns", "orgs", "members")


def validate_folder(files: dict[str, Path], sink: GoodRows | None = None) -> dict[str, Checked]:
    """Open every file first (an unreadable one refuses the load before any row is read), then
    check them in order; with a `sink`, the big files' good rows go there as they are checked."""
    with ExitStack() as opened:
        tables = {kind: opened.enter_context(open_table(path, FILES[kind])) for kind, path in files.items()}
        checked: dict[str, Checked] = {}
        raw_ids: dict[str, pl.Series] = {}
        for kind in (k for k in LOAD_ORDER if k in tables):
            seen: list[pl.Series] = []
            batches = _noting_ids(tables[kind].batches(), FILES[kind].key[0], seen if kind in REFERRED_TO else None)
            target = sink if kind in STREAMED else None
            checked[kind] = check_batches(kind, batches, files[kind].name, checked, raw_ids, target)
            if seen:
                raw_ids[kind] = pl.concat(seen)
    return checked


def _noting_ids(batches: Iterator[pl.DataFrame], key: str, seen: list[pl.Series] | None) -> Iterator[pl.DataFrame]:
    for batch in batches:
        if seen is not None:
            seen.append(batch[key].drop_nulls())
        yield batch


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    for statement in con.extract_statements(path.read_text(encoding="utf-8")):
        con.execute(statement).fetchall()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        run_sql_file(con, path)


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    for path in sorted((SQL_DIR / "macros").glob("*.sql")):
        run_sql_file(con, path)


def code_tables() -> dict[str, pl.DataFrame]:
    """The contract's code lists as tables, so views give Chinese labels and keep one order."""
    branch_types = [(code, label) for code, label in BRANCH_TYPE_LABELS.items()] + [(None, "镇党委")]
    return {
        "branch_types": pl.DataFrame(
            {
                "branch_type": [c for c, _ in branch_types],
                "branch_type_label": [label for _, label in branch_types],
                "sort_order": list(range(1, len(branch_types) + 1)),
            },
            schema={"branch_type": pl.String, "branch_type_label": pl.String, "sort_order": pl.Int32},
        ),
        "org_levels": pl.DataFrame(
            {
                "org_level": list(ORG_LEVEL_LABELS),
                "org_level_label": list(ORG_LEVEL_LABELS.values()),
                "sort_order": list(range(1, len(ORG_LEVEL_LABELS) + 1)),
            },
            schema_overrides={"sort_order": pl.Int32},
        ),
        "vanguard_kinds": pl.DataFrame(
            {"vanguard_kind": list(ENUMS["vanguard_kind"]), "sort_order": list(range(1, 7))},
            schema_overrides={"sort_order": pl.Int32},
        ),
        "indicators": indicator_catalogue(),
    }


def _directive(text: str, name: str) -> str | None:
    """The value of a `-- name: value` line at the top of a view file, if any."""
    for line in text.splitlines():
        if line.startswith(f"-- {name}:"):
            return line.split(":", 1)[1].strip()
    return None


def materialise_view(con: duckdb.DuckDBPyConnection, name: str, text: str, marts: SparkMarts | None = None) -> None:
    """Compute the view once, at load, into `mart.<name>`; the view then reads the table.

    The figures of a load never change until the next load, so the aggregates over millions of
    pledges are computed here, once, instead of on every page view; the view keeps its name,
    columns and comments, so analysts and pages do not see the difference (except the speed).
    Create dependents after this (create_views does): a dependent created before was measured to go
    on computing this view from its SQL.
    With `marts` (etl load --marts), the rows come from Spark's output instead (etl/marts.py).
    """
    # `name` is a file stem under sql/views, never user text; the schema `mart` exists (create_views).
    columns = {row[0] for row in con.execute(f"describe {name}").fetchall()}
    order = ", ".join(c for c in ("town_id", "year") if c in columns)  # a town's rows together, for its pages
    sort = f" order by {order}" if order else ""  # a view without towns (the backtest) keeps its order
    source = name if marts is None else marts.relation(con, name)
    con.execute(f"create table mart.{name} as select * from {source}{sort}").fetchall()
    con.execute(f"create or replace view {name} as select * from mart.{name}").fetchall()
    for statement in con.extract_statements(text):
        if statement.query.lstrip().lower().startswith("comment"):
            con.execute(statement).fetchall()
    con.execute(
        f"comment on table mart.{name} is '{name} 在装载时计算的结果（计算口径见 sql/views/{name}.sql）'"
    ).fetchall()
    described = con.execute(
        "select column_name, comment from duckdb_columns() where schema_name = 'main' and table_name = ?", [name]
    ).fetchall()
    for column, comment in described:
        quoted = (comment or "").replace("'", "''")  # our own comment text; COMMENT takes no parameters
        con.execute(f"comment on column mart.{name}.{column} is '{quoted}'").fetchall()


def create_views(con: duckdb.DuckDBPyConnection, marts: SparkMarts | None = None, workers: int = 2) -> None:
    """Views are created in dependency order: a file may name others in `-- depends on:` lines.

    A file with `-- materialise: yes` is computed into a table at load (see materialise_view), or
    taken from Spark's `marts`, checked first. Call outside a transaction. A view is created only
    once the views it reads are in their tables, so it reads them, not their SQL again (a view
    created earlier and materialised later was measured slower). Without Spark's marts the views
    are made `workers` at a time, each on its own cursor: the six over the pledges and members read
    only the base tables, and one query alone keeps about one and a half of two cores busy.
    """
    paths = {p.stem: p for p in (SQL_DIR / "views").glob("*.sql")}
    texts = {name: path.read_text(encoding="utf-8") for name, path in paths.items()}
    needs = {name: (_directive(text, "depends on") or "").replace(",", " ").split() for name, text in texts.items()}
    order = _dependency_order(needs)
    if marts is not None:
        materialised = [n for n in order if _directive(texts[n], "materialise") == "yes"]
        marts.check(con, SCHEMA_VERSION, sorted(materialised))
    con.execute("begin").fetchall()  # one commit for the hundreds of small statements
    create_macros(con)
    con.execute("create schema if not exists mart").fetchall()
    if marts is not None or workers < 2:
        for name in order:
            _create_view(con, paths[name], texts[name], marts)
        con.execute("commit").fetchall()
        return
    con.execute("commit").fetchall()
    _create_side_by_side(con, order, paths, texts, _ancestors(needs), workers)


def _create_view(con: duckdb.DuckDBPyConnection, path: Path, text: str, marts: SparkMarts | None = None) -> None:
    run_sql_file(con, path)
    if _directive(text, "materialise") == "yes":
        materialise_view(con, path.stem, text, marts)


def _dependency_order(needs: dict[str, list[str]]) -> list[str]:
    """Every view after the views it names (sorted by name otherwise); a cycle is an error."""
    order: list[str] = []

    def visit(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in order:
            return
        for dep in needs[name]:
            if dep in trail:
                raise RuntimeError(f"views depend on each other in a cycle: {(*trail, dep)}")
            visit(dep, (*trail, name))
        order.append(name)

    for name in sorted(needs):
        visit(name)
    return order


def _ancestors(needs: dict[str, list[str]]) -> dict[str, set[str]]:
    """Every view a view reads, directly or through others."""
    found: dict[str, set[str]] = {}

    def of(name: str) -> set[str]:
        if name not in found:
            found[name] = set(needs[name]).union(*(of(dep) for dep in needs[name]))
        return found[name]

    for name in needs:
        of(name)
    return found


def _create_side_by_side(
    con: duckdb.DuckDBPyConnection,
    order: list[str],
    paths: dict[str, Path],
    texts: dict[str, str],
    ancestors: dict[str, set[str]],
    workers: int,
) -> None:
    """Create the views `workers` at a time, each in its own transaction once every view it reads is
    done; among those ready, the one with the most views waiting on it first."""
    catalog = con.execute("select current_database()").fetchone()[0]
    dependents = {n: sum(n in ancestors[other] for other in order) for n in order}
    waiting, running, done = list(order), {}, set()

    def work(name: str) -> None:
        cursor = con.cursor()  # its own connection to the same database: its own transaction
        try:
            cursor.execute(f'use "{catalog}"').fetchall()  # the warehouse being built, our own name
            cursor.execute("begin").fetchall()
            _create_view(cursor, paths[name], texts[name])
            cursor.execute("commit").fetchall()
        finally:
            cursor.close()

    with ThreadPoolExecutor(workers) as pool:
        while waiting or running:
            ready = [n for n in waiting if ancestors[n] <= done]
            for name in sorted(ready, key=lambda n: -dependents[n])[: workers - len(running)]:
                waiting.remove(name)
                running[pool.submit(work, name)] = name
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in finished:
                job.result()  # a failed view fails the load
                done.add(running.pop(job))


# While a load runs, each of the six tables carries the row's line in its file, so that rows found
# to repeat a key after they were written can be taken out again; dropped before publishing.
SOURCE_ROW = "source_row__"


def _for_table(kind: str, good: pl.DataFrame) -> pl.DataFrame:
    frame = good.rename({ROW: SOURCE_ROW})
    if kind == "pledges":
        frame = frame.with_columns(pl.col("fulfilment_status").fill_null("未开始"))
    if kind == "members":
        frame = frame.with_columns(pl.col("is_committee").fill_null(False))
    return frame


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Bulk insert through Arrow (polars → DuckDB scan), matched by column name."""
    con.register("incoming", frame)
    try:
        con.execute(f"insert into {table} by name select * from incoming").fetchall()
    finally:
        con.unregister("incoming")


def _previous_loads(con: duckdb.DuckDBPyConnection, live: Path) -> None:
    """Carry the load history and its rejects from the live warehouse into the new one (read-only, never blocks)."""
    if not live.exists():
        return
    try:
        con.execute("attach ? as previous (read_only)", [str(live)]).fetchall()
    except duckdb.Error:
        return  # an unreadable old file loses its history, not the new load
    try:
        # Each load's and submission's rejects stay beside its record (`rejects.load_id`).
        for table in ("loads", "rejects"):
            with suppress(duckdb.Error):  # an older file without the table loses that history only
                con.execute(f"insert into {table} by name select * from previous.{table}").fetchall()
    finally:
        con.execute("detach previous").fetchall()


def _load_id(files: dict[str, Path], checksums: dict[str, str], now: dt.datetime, db_path: Path | None = None) -> str:
    """When and what: the second and the files' checksums. The same files loaded twice in one second
    (another as-of date, say) get a suffix, so no kept version and no history row shares an id."""
    combined = hashlib.sha256("".join(checksums[k] for k in sorted(checksums)).encode()).hexdigest()
    load_id = base = f"{now:%Y%m%dT%H%M%S}-{combined[:8]}"
    taken = versions_dir(db_path) if db_path is not None else None
    n = 1
    while taken is not None and (taken / f"{load_id}.duckdb").exists():
        n += 1
        load_id = f"{base}-{n}"
    return load_id


@contextmanager
def writer_lock(db_path: Path):
    """One writer at a time per warehouse; readers never take this lock.

    The lock is an flock on `.<name>.lock`: the kernel lets go of it when its holder dies, however
    it dies, so a lock left by a killed process is never in the way (there is nothing to clean up by
    hand; the pid written into the file only says who holds it). Once held, whatever a dead writer
    left beside the warehouse (its building file, its write-ahead log and spill folder, a half-made
    rollback or version link) is removed: every writer holds this lock while it builds, so no living
    process owns those files.
    """
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    with lock_path.open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            fh.truncate(0)
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            remove_leftovers(db_path)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_leftovers(db_path: Path) -> list[Path]:
    """Remove what a killed writer left; call holding writer_lock. Returns what was removed."""
    found = [
        *db_path.parent.glob(f".{db_path.name}.building-*"),
        *db_path.parent.glob(f".{db_path.name}.rollback-*"),
        *versions_dir(db_path).glob(".*.partial"),
    ]
    for path in found:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fault_point(step: str) -> None:
    """A crash on purpose between the publish's steps (and an export's: etl/export.py), for the fault
    tests only (`tests/test_faults.py`, `tests/test_export.py`).

    ETL_FAULT_AT names the step; ETL_FAULT_ACTION `exit` ends the process there at once (no clean-up
    runs, as in a power cut), `wait` writes ETL_FAULT_MARK and sleeps so the test can SIGKILL it there.
    """
    if os.environ.get("ETL_FAULT_AT") != step:
        return
    if os.environ.get("ETL_FAULT_ACTION") == "wait":
        Path(os.environ["ETL_FAULT_MARK"]).write_text(step)
        time.sleep(600)
    os._exit(70)


def swap_in(source: Path, db_path: Path, step_prefix: str = "") -> None:
    """Make `source` the live file, durably: its bytes on disk first, then the rename, then the
    directory entry (without the last fsync a power cut could bring back the old name's file)."""
    fsync_path(source)
    fault_point(f"{step_prefix}before-replace")
    os.replace(source, db_path)
    fault_point(f"{step_prefix}before-dir-fsync")
    fsync_path(db_path.parent)


# The errors a full disk (or a file-size or quota limit) gives, from Python or from DuckDB.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
DISK_FULL_WORDS = ("no space left", "file too large", "disk quota", "not enough space")


def _is_disk_full(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        if isinstance(exc, (OSError, duckdb.Error)) and any(w in str(exc).lower() for w in DISK_FULL_WORDS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _megabytes(size: int) -> str:
    return f"{max(1, -(-size // (1 << 20))):,} MB"


def disk_full_message(folder: Path, reached: int, live: int) -> str:
    """What a clerk or operator needs: how much is free, how much a new warehouse takes."""
    free = shutil.disk_usage(folder).free
    needed = max(reached, live) * 3 // 2  # the new file is about the live one's size; half again for its log
    return (
        f"磁盘空间不足，装载未完成：仓库所在目录“{folder}”只剩 {_megabytes(free)} 可用，"
        f"生成新仓库约需 {_megabytes(needed)}（新仓库写到 {_megabytes(reached)} 时空间用尽）。"
        "已删除未完成的文件，现有仓库保持不变；请腾出空间后重新装载。"
    )


# DuckDB's own memory while building (its buffer pool; the rows themselves go to the file):
# bounded, so that a province load stays within a small server's memory.
BUILD_MEMORY = os.environ.get("LOAD_MEMORY_LIMIT", "1GB")


class Building:
    """The next warehouse, written beside the live file (`.<name>.building-<pid>`).

    Used as a context manager: whatever happens inside, the building file is gone afterwards,
    either swapped in by `publish` or removed; the live file is never opened for writing.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
        self.con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Building:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._remove_files()
        # Should DuckDB spill under the cap, it spills beside the building file (not into the
        # working directory, its default), and the spill goes with the building file.
        config = {"memory_limit": BUILD_MEMORY, "temp_directory": str(self._spill)}
        self.con = duckdb.connect(config=config)
        self.con.execute("attach ? as w (storage_version ?)", [str(self.path), STORAGE_VERSION]).fetchall()
        self.con.execute("use w").fetchall()
        self.con.execute("begin").fetchall()  # one commit for the schema's many statements
        create_schema(self.con)
        for table, frame in code_tables().items():
            _insert_frame(self.con, table, frame)
        for kind in FILES:  # one of the contract's six table names, never user text
            self.con.execute(f"alter table {kind} add column {SOURCE_ROW} bigint").fetchall()
        self.con.execute("commit").fetchall()
        return self

    def add(self, kind: str, good: pl.DataFrame) -> None:
        """Write checked rows (with their row_number) into the table of their kind."""
        _insert_frame(self.con, kind, _for_table(kind, good))

    def remove(self, kind: str, rows: pl.Series) -> None:
        """Take rows already written back out, by their line in the file."""
        self.con.register("gone", rows.to_frame("line"))
        try:
            self.con.execute(f"delete from {kind} where {SOURCE_ROW} in (select line from gone)").fetchall()
        finally:
            self.con.unregister("gone")

    def unmatched_members(self, kind: str, held: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame:
        """The checks of a file against the members, in one join after its last batch (MemberChecks).

        At province, 6.6 million pledges against 2.5 million members: one parallel join here
        instead of a polars join per batch, and no members lookup held in memory meanwhile.
        """
        # `kind` is pledges or awards (validate.MEMBER_COLUMNS), never user text.
        sql = (SQL_DIR / "load" / f"unmatched_members_{kind}.sql").read_text(encoding="utf-8")
        return self._answer(sql, held=held, typed=typed)

    def repeated_keys(self, kind: str, outside: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame:
        """A file's repeated keys, in one query over its table after its last batch (KeyChecks).

        DuckDB groups the keys where they already are, under its memory cap, instead of every
        key of the file held in polars to the end (bench/NOTES.md: the province's peak).
        """
        key = FILES[kind].key  # the contract's column names, never user text
        sql = (SQL_DIR / "load" / "repeated_keys.sql").read_text(encoding="utf-8")
        sql = sql.format(table=kind, key=", ".join(key), first_key=key[0])
        return self._answer(sql, outside=outside, typed=typed)

    def _answer(self, sql: str, **frames: pl.DataFrame) -> pl.DataFrame:
        """`sql` run on the warehouse being built, with `frames` readable by their names meanwhile."""
        for name, frame in frames.items():
            self.con.register(name, frame)
        try:
            return self.con.sql(sql).pl()
        finally:
            for name in frames:
                self.con.unregister(name)

    def finish(
        self, checked: dict[str, Checked], standard: Standard, load_row: dict, marts: SparkMarts | None = None
    ) -> None:
        """Everything after the rows: the files held in memory, rejects, the load record, views."""
        con = self.con
        for kind, result in checked.items():
            if not result.stored:
                self.add(kind, result.good)
        for kind in FILES:
            con.execute(f"alter table {kind} drop column {SOURCE_ROW}").fetchall()
        _insert_frame(con, "criteria", standard.items)
        _insert_frame(con, "criteria_bands", standard.bands)
        rejects = pl.concat([c.rejects for c in checked.values()])
        _insert_frame(con, "rejects", rejects.with_columns(pl.lit(load_row["load_id"]).alias("load_id")))
        _previous_loads(con, self.db_path)
        _insert_frame(con, "loads", pl.DataFrame([load_row]))
        con.execute("insert into warehouse_info values (?, ?)", [SCHEMA_VERSION, load_row["loaded_at"]]).fetchall()
        if marts is not None:
            marts.load_id = load_row["load_id"]
        create_views(con, marts)
        con.execute("checkpoint").fetchall()
        con.execute("use memory").fetchall()
        con.execute("detach w").fetchall()
        self._close()

    def publish(self, load_id: str) -> None:
        """Swap the finished file in atomically and durably; call holding writer_lock.

        The file's checksum is recorded (versions/<load_id>.sha256) before it goes live, so that
        `python -m etl verify` can tell a damaged live file from the one published; a crash between
        any two steps leaves the old file or the new one live, never a mix (tests/test_faults.py).
        """
        fault_point("before-fsync")
        fsync_path(self.path)
        fault_point("before-checksum")
        record_checksum(self.db_path, load_id, sha256(self.path))
        swap_in(self.path, self.db_path)
        fault_point("before-keep-version")
        keep_version(self.db_path, load_id)

    def _close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    @property
    def _spill(self) -> Path:
        return self.path.with_name(self.path.name + ".tmp")

    def _remove_files(self) -> None:
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(self._spill, ignore_errors=True)

    def __exit__(self, kind, error, trace) -> None:
        reached = self._size()
        self._close()
        self._remove_files()
        if _is_disk_full(error):
            live = self.db_path.stat().st_size if self.db_path.exists() else 0
            raise LoadRefused(disk_full_message(self.db_path.parent, reached, live)) from error

    def _size(self) -> int:
        paths = [self.path, self.path.with_name(self.path.name + ".wal")]
        return sum(p.stat().st_size for p in paths if p.exists())


VERSIONS_KEPT = int(os.environ.get("WAREHOUSE_VERSIONS", "10"))


def versions_dir(db_path: Path) -> Path:
    """Earlier published warehouses, one file per load id, for rolling back (`python -m etl rollback`)."""
    return db_path.parent / "versions"


def keep_version(db_path: Path, load_id: str) -> None:
    """Keep the file just published under its load id, and only the newest VERSIONS_KEPT.

    A hard link costs nothing: the next publish replaces the live path with a new file, and the
    kept name goes on pointing at this one (the loader never writes into a published file). The
    link is made under a temporary name and renamed, so a kill leaves no half-kept version.
    """
    kept = versions_dir(db_path)
    kept.mkdir(exist_ok=True)
    target = kept / f"{load_id}.duckdb"
    partial = kept / f".{load_id}.duckdb.partial"
    partial.unlink(missing_ok=True)
    try:
        os.link(db_path, partial)
    except OSError:  # a file system without hard links: copy instead
        shutil.copy2(db_path, partial)
    os.replace(partial, target)
    for old in sorted(kept.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)[VERSIONS_KEPT:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".sha256").unlink(missing_ok=True)


def checksum_path(db_path: Path, load_id: str) -> Path:
    return versions_dir(db_path) / f"{load_id}.sha256"


def record_checksum(db_path: Path, load_id: str, digest: str) -> None:
    """Write `versions/<load_id>.sha256` durably (a file cannot hold its own checksum)."""
    target = checksum_path(db_path, load_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with partial.open("w", encoding="ascii") as fh:
        fh.write(f"{digest}  {load_id}.duckdb\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, target)
    fsync_path(target.parent)


def recorded_checksums(db_path: Path) -> dict[str, str]:
    """Every kept version's recorded SHA-256 → its load id."""
    found = {}
    for path in versions_dir(db_path).glob("*.sha256"):
        digest = path.read_text(encoding="ascii", errors="replace").split(maxsplit=1)[0] if path.stat().st_size else ""
        found[digest] = path.stem
    return found


def restore_version(db_path: Path, load_id: str) -> None:
    """Make the kept version of `load_id` live again, durably; call holding writer_lock.

    Never reads the live file (it may be the damaged one). A kept version whose bytes no longer match
    the checksum recorded at its publish is refused: rolling back to it would swap damage for damage.
    """
    source = versions_dir(db_path) / f"{Path(load_id).name}.duckdb"
    recorded = checksum_path(db_path, source.stem)
    if recorded.is_file() and recorded.read_text(encoding="ascii", errors="replace").split()[:1] != [sha256(source)]:
        raise LoadRefused(
            f"保留的版本“{source.stem}”已损坏（与发布时记录的校验值不一致），不能恢复到它；请选择更早的版本。"
        )
    swap = db_path.with_name(f".{db_path.name}.rollback-{os.getpid()}")
    swap.unlink(missing_ok=True)
    os.link(source, swap)
    swap_in(swap, db_path, step_prefix="rollback-")


def publish(db_path: Path, checked: dict[str, Checked], standard: Standard, load_row: dict) -> None:
    """Build a new file from rows held in memory and swap it in atomically; call holding writer_lock.

    Readers keep the file they opened; a failed build leaves the live file as it was.
    """
    with Building(db_path) as building:
        building.finish(checked, standard, load_row)
        building.publish(load_row["load_id"])


def load(
    source_dir: Path,
    db_path: Path,
    as_of: dt.date | None = None,
    loaded_by: str | None = None,
    criteria: Path | None = None,
    marts: Path | None = None,
) -> LoadResult:
    """Validate the folder and the standard, build a new warehouse and publish it.

    Raises LoadRefused, leaving the live file as it was. `criteria` is the demonstration standard
    (default data/criteria/default.csv); its bands come from `<name>_bands.csv` beside it.
    `marts`: take the materialised views' rows from `python -m analytics spark`'s output (etl/marts.py);
    the as-of date is then the marts' own unless given.
    """
    source_dir, db_path = Path(source_dir), Path(db_path).resolve()
    files = find_input_files(source_dir)
    standard = read_standard(criteria)
    spark_marts = SparkMarts(marts, take_as_of=as_of is None) if marts is not None else None
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # One writer: a submission made meanwhile waits, then lands on top of this load.
    with writer_lock(db_path), Building(db_path) as building, ThreadPoolExecutor(1) as hasher:
        # The checksums are read beside the checks (hashlib lets go of the interpreter lock).
        hashing = {kind: hasher.submit(sha256, path) for kind, path in files.items()}
        checked = validate_folder(files, sink=building)
        checksums = {kind: job.result() for kind, job in hashing.items()}
        load_id = _load_id(files, checksums, now, db_path)
        load_row = _load_record(load_id, now, as_of, source_dir, files, checksums, checked, standard, loaded_by)
        building.finish(checked, standard, load_row, spark_marts)
        building.publish(load_id)
    return LoadResult(load_id, db_path, checked)


def _load_record(
    load_id: str,
    now: dt.datetime,
    as_of: dt.date | None,
    source_dir: Path,
    files: dict[str, Path],
    checksums: dict[str, str],
    checked: dict[str, Checked],
    standard: Standard,
    loaded_by: str | None,
) -> dict:
    """The row of `loads`: what was read from where, by whom, and what came of it."""
    return {
        "load_id": load_id,
        "loaded_at": now,
        "as_of": as_of or now.date(),
        "source_dir": str(source_dir.resolve()),
        "files": [
            {
                "kind": kind,
                "file": files[kind].name,
                "sha256": checksums[kind],
                "rows_read": c.rows_read,
                "rows_loaded": c.rows_loaded,
                "rows_rejected": c.rows_rejected,
            }
            for kind, c in checked.items()
        ]
        + [
            {
                "kind": kind,
                "file": str(path),
                "sha256": sha256(path),
                "rows_read": rows,
                "rows_loaded": rows,
                "rows_rejected": 0,
            }
            for kind, path, rows in (
                ("criteria", standard.items_path, standard.items.height),
                ("criteria_bands", standard.bands_path, standard.bands.height),
            )
        ],
        "rows_read": sum(c.rows_read for c in checked.values()),
        "rows_loaded": sum(c.rows_loaded for c in checked.values()),
        "rows_rejected": sum(c.rows_rejected for c in checked.values()),
        "loaded_by": loaded_by or login_name(),
    }


def login_name() -> str:
    """Who runs this process, for load records and audit entries."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
