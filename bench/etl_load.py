"""ETL benchmark: `etl load` against the plain limit, DuckDB creating the same six tables straight
from the same files with no normalising or validation, measured in the same run.

Each measurement runs in a child process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The limit: read each CSV with DuckDB's own reader and each XLSX with the same openpyxl reading
# the loader uses (DuckDB's excel extension cannot be installed offline), no checks at all.
PLAIN = r"""
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
    """Median seconds of `etl load` and of the plain limit, their ratio, rows/s and peak memory."""
    loads, plains = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            db = Path(tmp) / f"w{i}.duckdb"
            loads.append(
                _child([sys.executable, "-m", "etl", "load", str(source), "--db", str(db), "--show-rejects", "0"])
            )
            plain_db = Path(tmp) / f"p{i}.duckdb"
            plains.append(_child([sys.executable, "-c", PLAIN, str(source), str(plain_db)]))
    load_s = sorted(t for t, _ in loads)[len(loads) // 2]
    plain_s = sorted(t for t, _ in plains)[len(plains) // 2]
    rows = csv_rows(source)
    return {
        "rows": rows,
        "load_seconds": round(load_s, 3),
        "plain_seconds": round(plain_s, 3),
        "ratio": round(load_s / plain_s, 2),
        "rows_per_second": round(rows / load_s),
        "peak_mb": round(max(m for _, m in loads) / 1024),
        "plain_peak_mb": round(max(m for _, m in plains) / 1024),
        "repeats": repeats,
    }


def run(scales: list[str], repeats: int, cache: Path) -> dict:
    return {scale: measure(data_for(scale, cache), repeats) for scale in scales}
