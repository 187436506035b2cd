"""Load a folder of input files into a new DuckDB file, then publish it over the live one atomically.

The only code that writes a warehouse. It never opens the live file for writing: it builds
`.<name>.building-<pid>` beside it and `os.replace`s it over the live path, so a reader holding
the old file keeps reading the old version and never sees half a load.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl.contract import BRANCH_TYPE_LABELS, ENUMS, FILES, LOAD_ORDER, ORG_LEVEL_LABELS
from etl.criteria import Standard, indicator_catalogue, read_standard
from etl.readers import ROW, LoadRefused, read_table
from etl.validate import REJECT_SCHEMA, Checked, check

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
# Analysts open the file with the DuckDB 1.5 CLI and BI drivers that lag 2.0's own format.
STORAGE_VERSION = "v1.4.0"
# Bumped whenever tables, views or their columns change; the app refuses an older file with a
# message to reload instead of failing on a missing view. 2 = the metrics layer; 3 = the member
# profile and member pledge review views of the work summary.
SCHEMA_VERSION = 3


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


def validate_folder(files: dict[str, Path]) -> dict[str, Checked]:
    """Read every file first (an unreadable one refuses the load), then check them in order."""
    raw = {kind: read_table(path, FILES[kind]) for kind, path in files.items()}
    raw_ids = {kind: raw[kind][FILES[kind].key[0]].drop_nulls() for kind in raw}
    checked: dict[str, Checked] = {}
    for kind in LOAD_ORDER:
        if kind in raw:
            checked[kind] = check(kind, raw[kind], files[kind].name, checked, raw_ids)
    return checked


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


def materialise_view(con: duckdb.DuckDBPyConnection, name: str, text: str) -> None:
    """Compute the view once, at load, into `mart.<name>`; the view then reads the table.

    The figures of a load never change until the next load, so the aggregates over millions of
    pledges are computed here, once, instead of on every page view; the view keeps its name,
    columns and comments, so analysts and pages do not see the difference (except the speed).
    Dependents already created read the mart too, since DuckDB binds a view's names at query time.
    """
    # `name` is a file stem under sql/views, never user text.
    con.execute("create schema if not exists mart").fetchall()
    con.execute(f"create table mart.{name} as select * from {name} order by town_id, year").fetchall()
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


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views are created in dependency order: a file may name others in `-- depends on:` lines.

    A file with `-- materialise: yes` is computed into a table at load (see materialise_view).
    """
    paths = {p.stem: p for p in (SQL_DIR / "views").glob("*.sql")}
    done: set[str] = set()

    def create(name: str, trail: tuple[str, ...] = ()) -> None:
        if name in done:
            return
        text = paths[name].read_text(encoding="utf-8")
        for dep in (_directive(text, "depends on") or "").replace(",", " ").split():
            if dep in trail:
                raise RuntimeError(f"views depend on each other in a cycle: {(*trail, dep)}")
            create(dep, (*trail, name))
        run_sql_file(con, paths[name])
        if _directive(text, "materialise") == "yes":
            materialise_view(con, name, text)
        done.add(name)

    for name in sorted(paths):
        create(name)


def _typed_for_table(kind: str, good: pl.DataFrame) -> pl.DataFrame:
    frame = good.drop(ROW)
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
    """Carry the load history of the live warehouse into the new one (read-only, never blocks)."""
    if not live.exists():
        return
    try:
        con.execute("attach ? as previous (read_only)", [str(live)]).fetchall()
    except duckdb.Error:
        return  # an unreadable old file loses its history, not the new load
    try:
        con.execute("insert into loads select * from previous.loads").fetchall()
    except duckdb.Error:
        pass
    finally:
        con.execute("detach previous").fetchall()


def _load_id(files: dict[str, Path], checksums: dict[str, str], now: dt.datetime) -> str:
    combined = hashlib.sha256("".join(checksums[k] for k in sorted(checksums)).encode()).hexdigest()
    return f"{now:%Y%m%dT%H%M%S}-{combined[:8]}"


@contextmanager
def writer_lock(db_path: Path):
    """One writer at a time per warehouse; readers never take this lock."""
    lock_path = db_path.with_name(f".{db_path.name}.lock")
    with lock_path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build(building: Path, live: Path, checked: dict[str, Checked], standard: Standard, load_row: dict) -> None:
    """Write every table, view and the load record into the file `building`."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as w (storage_version ?)", [str(building), STORAGE_VERSION]).fetchall()
        con.execute("use w").fetchall()
        create_schema(con)
        for table, frame in code_tables().items():
            _insert_frame(con, table, frame)
        _insert_frame(con, "criteria", standard.items)
        _insert_frame(con, "criteria_bands", standard.bands)
        for kind, result in checked.items():
            # `kind` is one of the contract's six table names, never user text.
            _insert_frame(con, kind, _typed_for_table(kind, result.good))
        rejects = pl.concat([c.rejects for c in checked.values()])
        _insert_frame(con, "rejects", rejects.with_columns(pl.lit(load_row["load_id"]).alias("load_id")))
        _previous_loads(con, live)
        _insert_frame(con, "loads", pl.DataFrame([load_row]))
        con.execute("insert into warehouse_info values (?, ?)", [SCHEMA_VERSION, load_row["loaded_at"]]).fetchall()
        create_macros(con)
        create_views(con)
        con.execute("checkpoint").fetchall()
        con.execute("use memory").fetchall()
        con.execute("detach w").fetchall()
    finally:
        con.close()


VERSIONS_KEPT = int(os.environ.get("WAREHOUSE_VERSIONS", "10"))


def versions_dir(db_path: Path) -> Path:
    """Earlier published warehouses, one file per load id, for rolling back (`python -m etl rollback`)."""
    return db_path.parent / "versions"


def keep_version(db_path: Path, load_id: str) -> None:
    """Keep the file just published under its load id, and only the newest VERSIONS_KEPT.

    A hard link costs nothing: the next publish replaces the live path with a new file, and the
    kept name goes on pointing at this one (the loader never writes into a published file).
    """
    kept = versions_dir(db_path)
    kept.mkdir(exist_ok=True)
    target = kept / f"{load_id}.duckdb"
    target.unlink(missing_ok=True)
    try:
        os.link(db_path, target)
    except OSError:  # a file system without hard links: copy instead
        shutil.copy2(db_path, target)
    for old in sorted(kept.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)[VERSIONS_KEPT:]:
        old.unlink(missing_ok=True)


def publish(db_path: Path, checked: dict[str, Checked], standard: Standard, load_row: dict) -> None:
    """Build the new file beside the live one and swap it in atomically; call holding writer_lock.

    Readers keep the file they opened; a failed build leaves the live file as it was.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    building = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        build(building, db_path, checked, standard, load_row)
        _fsync(building)
        os.replace(building, db_path)
        _fsync(db_path.parent)
    finally:
        building.unlink(missing_ok=True)
        building.with_name(building.name + ".wal").unlink(missing_ok=True)
    keep_version(db_path, load_row["load_id"])


def load(
    source_dir: Path,
    db_path: Path,
    as_of: dt.date | None = None,
    loaded_by: str | None = None,
    criteria: Path | None = None,
) -> LoadResult:
    """Validate the folder and the standard, build a new warehouse and publish it.

    Raises LoadRefused, leaving the live file as it was. `criteria` is the demonstration standard
    (default data/criteria/default.csv); its bands come from `<name>_bands.csv` beside it.
    """
    source_dir, db_path = Path(source_dir), Path(db_path).resolve()
    files = find_input_files(source_dir)
    standard = read_standard(criteria)
    checksums = {kind: sha256(path) for kind, path in files.items()}
    checked = validate_folder(files)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    load_id = _load_id(files, checksums, now)
    load_row = {
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
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path):
        publish(db_path, checked, standard, load_row)
    return LoadResult(load_id, db_path, checked)


def login_name() -> str:
    """Who runs this process, for load records and audit entries."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
