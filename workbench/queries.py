"""What the SQL workbench page and `python -m workbench sql` share: running a query with its audit
entry, the example questions, and the downloads.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from access import audit
from workbench.sandbox import QueryFailed, QueryRefused, QueryResult, Sandbox

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "sql" / "examples"
# A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one) as a
# formula: the CSV/XLSX injection of OWASP's list.
FORMULA_START = r"^[=+\-@\t\r]"


@dataclass(frozen=True)
class Example:
    title: str
    sql: str


def examples() -> list[Example]:
    """Questions analysts ask, each a file whose first line is `-- 标题`."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8").strip()
        first, _, body = text.partition("\n")
        found.append(Example(first.removeprefix("--").strip(), body.strip()))
    return found


def run_query(sandbox: Sandbox, sql: str, *, who: str, source: str) -> QueryResult:
    """Run in the sandbox and write one audit entry whatever happens; refusals and failures re-raise."""
    scope = sandbox.town_id or "全部"
    try:
        result = sandbox.run(sql)
    except QueryRefused as refused:
        audit.record("sql", who=who, source=source, town=scope, sql=sql, outcome="refused", message=str(refused))
        raise
    except QueryFailed as failed:
        audit.record("sql", who=who, source=source, town=scope, sql=sql, outcome=failed.outcome, message=str(failed))
        raise
    audit.record(
        "sql",
        who=who,
        source=source,
        town=scope,
        sql=sql,
        outcome="ok",
        rows=result.rows,
        cut=result.cut,
        elapsed_ms=round(result.elapsed_s * 1000, 1),
    )
    return result


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists and structs as JSON text, since CSV and spreadsheet cells hold one value."""

    def as_json(value: object) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    nested = [c for c, t in frame.schema.items() if t.is_nested() or t == pl.Object]
    return frame.with_columns(pl.Series(c, [as_json(v) for v in frame[c].to_list()], pl.String) for c in nested)


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe: shown, never run."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel and WPS open the Chinese text correctly."""
    return b"\xef\xbb\xbf" + neutralise(_flat(frame)).write_csv().encode("utf-8")


def to_xlsx(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    neutralise(_flat(frame)).write_excel(buffer, worksheet="查询结果", autofit=True)
    return buffer.getvalue()


def to_parquet(frame: pl.DataFrame) -> bytes:
    """Exact values and types for analysts' tools (Parquet is not opened by spreadsheets)."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


# Helping the analyst -----------------------------------------------------------------------------


def dates_as_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """Timestamp columns whose every value is a midnight (month starts, date arithmetic) become dates:
    2026-04-11, not "2026-04-11 00:00:00". A column with a real time of day keeps it."""
    stamps = [c for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
    midnight = [
        c for c in stamps if frame[c].drop_nulls().len() == 0 or (frame[c].drop_nulls().dt.time() == dt.time(0)).all()
    ]
    return frame.with_columns(pl.col(c).dt.date() for c in midnight)


def example_in(text: str, found: list[Example]) -> int | None:
    """Which example the editor holds unchanged (whitespace aside), if any."""
    plain = " ".join((text or "").split())
    return next((i for i, e in enumerate(found) if " ".join(e.sql.split()) == plain), None)


UNSAFE_IN_NAME = re.compile(r"[^\w\u4e00-\u9fff-]+")


def download_name(text: str, found: list[Example], at: dt.datetime, fmt: str) -> str:
    """A download named after the example, or else the query's first table or view, and the time:
    `各类党组织兑现率-20261201-0930.csv`, `查询-v_readiness-20261201-0930.xlsx`."""
    index = example_in(text, found)
    if index is not None:
        stem = found[index].title
    else:
        source = re.search(r'\bfrom\s+(?:"([^"]+)"|([\w.]+))', text or "", re.IGNORECASE)
        name = (source.group(1) or source.group(2)).split(".")[-1] if source else ""
        stem = f"查询-{name}" if name else "查询结果"
    # Never a path: only word characters and dashes reach the file name
    stem = re.sub("-{2,}", "-", UNSAFE_IN_NAME.sub("-", stem)).strip("-")[:40] or "查询结果"
    return f"{stem}-{at:%Y%m%d-%H%M}.{fmt}"


def schema_rows(catalog: list, search: str = "") -> pl.DataFrame:
    """Every table and view column with its type and Chinese description (enumeration values are in
    the descriptions), filtered by a search over names and descriptions (case-insensitive)."""
    rows = [
        {"表或视图": r.name, "类别": r.kind, "列": name, "类型": data_type, "说明": comment, "表说明": r.comment}
        for r in catalog
        for name, data_type, comment in r.columns
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "表或视图": pl.String,
            "类别": pl.String,
            "列": pl.String,
            "类型": pl.String,
            "说明": pl.String,
            "表说明": pl.String,
        },
    )
    words = (search or "").lower().split()
    if not words:
        return frame.drop("表说明")
    haystack = pl.concat_str(["表或视图", "列", "说明", "表说明"], separator=" ").str.to_lowercase()
    return frame.filter(pl.all_horizontal(haystack.str.contains(w, literal=True) for w in words)).drop("表说明")
