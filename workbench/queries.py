"""What the SQL workbench page and `python -m workbench sql` share: running a query with its audit
entry, the example questions, and the downloads.
"""

from __future__ import annotations

import io
import json
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
