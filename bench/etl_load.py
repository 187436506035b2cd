"""ETL benchmark: `etl load` against the strongest plain load, DuckDB creating the same six tables
straight from the same files (Rust readers for the workbooks) with no normalising or validation,
measured in the same run; the old plain limit (openpyxl for the workbooks) beside it, and the plain
load followed by the marts the pages read (built the loader's way on the same base tables): what a
plain load would still have to do before a page could open.

Each measurement runs in a child process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from etl.load import versions_dir

ROOT = Path(__file__).resolve().parent.parent

# The strongest plain load a user would write for these files, no checks at all: DuckDB's own
# parallel reader for a UTF-8 CSV, polars for a GB18030 one (DuckDB reads no GB18030 without an
# extension, which cannot be installed offline: the text is decoded once and handed to polars),
# and a Rust XLSX reader (fastexcel, calamine underneath: Arrow straight into polars) for the
# workbooks, whose row 1 is a title and row 2 the header. Every table lands in DuckDB.
PLAIN = r"""
import sys, duckdb, fastexcel, polars as pl
from pathlib import Path
src, db = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect()
con.execute("attach ? as w (storage_version 'v1.4.0')", [db]).fetchall()
con.execute("use w").fetchall()

def from_frame(table, frame):
    con.register("f", frame)
    con.execute(f"create table {table} as select * from f").fetchall()
    con.unregister("f")

for path in sorted(src.iterdir()):
    table = path.stem
    if path.suffix == ".csv":
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
        try:
            head.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError as exc:
            utf8 = exc.start > len(head) - 4  # a character cut at the end of the head
        if utf8:
            con.execute(f"create table {table} as select * from read_csv(?, all_varchar=true)", [str(path)]).fetchall()
        else:
            from_frame(table, pl.read_csv(path.read_bytes().decode("gb18030").encode(), infer_schema=False))
    elif path.suffix == ".xlsx":
        from_frame(table, fastexcel.read_excel(str(path)).load_sheet(0, header_row=1).to_polars())
con.execute("checkpoint").fetchall()
"""

# The plain limit of the runs of record up to 2026-11-29, kept as a second column for continuity:
# the same, but each XLSX read with openpyxl (about 5 s of the province's plain load).
PLAIN_OPENPYXL = r"""
import sys, duckdb, openpyxl, polars as pl
from pathlib import Path
src, db = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect()
con.execute("attach ? as w (storage_version 'v1.4.0')", [db]).fetchall()
con.execute("use w").fetchall()
for path in sorted(src.iterdir()):
    table = path.stem
    if path.suffix == ".csv":
        encoding = "utf-8"
        head = path.open("rb").read(3)
        if head != b"\xef\xbb\xbf":
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                encoding = None
        if encoding is None:  # DuckDB reads no GB18030: hand it the text re-encoded
            frame = pl.read_csv(path.read_text(encoding="gb18030").encode(), infer_schema=False)
            con.register("f", frame)
            con.execute(f"create table {table} as select * from f").fetchall()
            con.unregister("f")
        else:
            con.execute(f"create table {table} as select * from read_csv(?, all_varchar=true)", [str(path)]).fetchall()
    elif path.suffix == ".xlsx":
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))[2:]
        frame = pl.DataFrame(rows, orient="row", infer_schema_length=None)
        con.register("f", frame)
        con.execute(f"create table {table} as select * from f").fetchall()
        con.unregister("f")
con.execute("checkpoint").fetchall()
"""


# The marts the pages read, built by the loader's own `create_views` on the loader's base tables:
# the views a plain load would still have to build before a page could open. The base tables are
# copied into a fresh file first, untimed; the child prints the seconds of `create_views` and its
# checkpoint only (no interpreter start-up, DuckDB's default memory cap): this favours the baseline.
VIEWS_ONLY = r"""
import sys, time, duckdb
from etl.load import create_views
src, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
con.execute("attach ? as built (read_only)", [src]).fetchall()
tables = con.execute(
    "select table_name from duckdb_tables() where database_name = 'built' and schema_name = 'main'"
).fetchall()
for (table,) in tables:
    con.execute(f'create table "{table}" as select * from built.main."{table}"').fetchall()
con.execute("detach built").fetchall()
con.execute("checkpoint").fetchall()
started = time.perf_counter()
create_views(con)
con.execute("checkpoint").fetchall()
print(time.perf_counter() - started)
"""


def _views_seconds(built: Path, scratch: Path) -> float:
    """Seconds to build the marts on the base tables of the warehouse `built` (VIEWS_ONLY)."""
    done = subprocess.run(
        [sys.executable, "-c", VIEWS_ONLY, str(built), str(scratch)], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"views only failed: {done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def _child(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident kB of one child process; a failure stops the benchmark."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss


def data_for(scale: str, cache: Path) -> Path:
    folder = cache / scale
    if not (folder / "assessments.csv").exists():
        subprocess.run(
            [sys.executable, "-m", "etl", "demo", "--scale", scale, "--out", str(folder)], check=True, cwd=ROOT
        )
    return folder


def csv_rows(folder: Path) -> int:
    """Data rows of the CSV files (the bulk of every scale; the XLSX files are towns and orgs)."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open("rb") as fh:
            total += sum(1 for _ in fh) - 1
    return total


def measure(source: Path, repeats: int) -> dict:
    """Median seconds of `etl load`, of the strongest plain load and of the old (openpyxl) one,
    run in turn within each repeat so a noisy moment on a shared machine falls on all three."""
    loads, plains, olds, views = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            db = Path(tmp) / f"w{i}.duckdb"
            loads.append(
                _child([sys.executable, "-m", "etl", "load", str(source), "--db", str(db), "--show-rejects", "0"])
            )
            plains.append(_child([sys.executable, "-c", PLAIN, str(source), str(Path(tmp) / f"p{i}.duckdb")]))
            olds.append(_child([sys.executable, "-c", PLAIN_OPENPYXL, str(source), str(Path(tmp) / f"o{i}.duckdb")]))
            views.append(_views_seconds(db, Path(tmp) / f"v{i}.duckdb"))
            # a province repeat leaves about 4 GB: the files, and the loader's kept version (a hard link)
            for leftover in Path(tmp).glob(f"[wpov]{i}.duckdb*"):
                leftover.unlink()
            shutil.rmtree(versions_dir(db), ignore_errors=True)
    load_s, plain_s, old_s = (statistics.median(t for t, _ in runs) for runs in (loads, plains, olds))
    ratios = [load / plain for (load, _), (plain, _) in zip(loads, plains, strict=True)]
    # the plain load followed by the marts it lacks, repeat by repeat (both halves measured in that repeat)
    with_marts = [plain + built for (plain, _), built in zip(plains, views, strict=True)]
    with_marts_s = statistics.median(with_marts)
    rows = csv_rows(source)
    return {
        "rows": rows,
        "load_seconds": round(load_s, 3),
        "plain_seconds": round(plain_s, 3),
        "ratio": round(load_s / plain_s, 2),
        # each repeat's own ratio (load / the plain load beside it): the spread of a shared machine
        "ratios": [round(r, 2) for r in ratios],
        "views_seconds": round(statistics.median(views), 3),
        "plain_with_marts_seconds": round(with_marts_s, 3),
        "ratio_with_marts": round(load_s / with_marts_s, 2),
        "plain_openpyxl_seconds": round(old_s, 3),
        "ratio_openpyxl": round(load_s / old_s, 2),
        "rows_per_second": round(rows / load_s),
        "peak_mb": round(max(m for _, m in loads) / 1024),
        "plain_peak_mb": round(max(m for _, m in plains) / 1024),
        "repeats": repeats,
    }


def run(scales: list[str], repeats: int, cache: Path) -> dict:
    return {scale: measure(data_for(scale, cache), repeats) for scale in scales}
