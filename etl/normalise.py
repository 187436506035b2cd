"""Turn what offices type into canonical values, as polars expressions (vectorised, no row loops).

Each `parse_*` returns the typed value, or null where the text cannot be read; the validator
compares that null with the original text to write a reject in Chinese.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from etl.contract import FALSE_WORDS, TRUE_WORDS, enum_lookup

# Full-width ASCII (！ to ～) and the ideographic space, as offices type them with a Chinese IME.
FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
HALF_WIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
SPACES = r"[\s\u3000\u00a0\ufeff\u200b]+"
NON_ASCII = r"[^\x00-\x7F]"

DATE_PARTS = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"  # 2024-3-5, 2024.3.5, 2024年3月5日
    r"(?:[ T]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"  # a midnight time Excel adds to dates
)
COMPACT_DATE = r"^(\d{4})(\d{2})(\d{2})$"  # 20240305
EXCEL_SERIAL = r"^(\d{5})(?:\.0+)?$"  # 45356 = 2024-03-05 (Excel's 1900 system)
INTEGER = r"^([+-]?\d+)(?:\.0+)?$"


def clean_text(expr: pl.Expr, kind: str) -> pl.Expr:
    """Strip what a clerk could not see: stray and full-width spaces, full-width digits in codes."""
    if kind in ("id", "int", "count", "date", "enum", "bool"):
        out = expr.str.replace_many(FULL_WIDTH, HALF_WIDTH).str.replace_all(SPACES, "")
    elif kind == "name":
        # Chinese names carry no spaces ("张  三" is alignment); Latin words keep one between them.
        out = (
            expr.str.replace_all(SPACES, " ")
            .str.replace_all(rf"({NON_ASCII}) ", "$1")
            .str.replace_all(rf" ({NON_ASCII})", "$1")
            .str.strip_chars()
        )
    else:
        out = expr.str.replace_all(SPACES, " ").str.strip_chars()
    return pl.when(out == "").then(None).otherwise(out)


def parse_int(expr: pl.Expr) -> pl.Expr:
    return expr.str.extract(INTEGER, 1).cast(pl.Int64, strict=False)


def _ymd(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    text = pl.concat_str([y, m.str.zfill(2), d.str.zfill(2)], separator="-")
    return text.str.to_date("%Y-%m-%d", strict=False)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """ISO, 2024年3月5日, 2024.3.5, 2024/03/05, 2024-3-5, 20240305 or an Excel serial number."""
    parts = expr.str.extract_groups(DATE_PARTS)
    compact = expr.str.extract_groups(COMPACT_DATE)
    serial = expr.str.extract(EXCEL_SERIAL, 1).cast(pl.Int64, strict=False)
    from_serial = pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial)
    value = pl.coalesce(
        _ymd(parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")),
        _ymd(compact.struct.field("1"), compact.struct.field("2"), compact.struct.field("3")),
        pl.when(serial.is_not_null()).then(from_serial.cast(pl.Date)),
    )
    sane = value.dt.year().is_between(1900, 2100)
    return pl.when(sane).then(value)


def parse_bool(expr: pl.Expr) -> pl.Expr:
    words = {w.lower(): True for w in TRUE_WORDS} | {w.lower(): False for w in FALSE_WORDS}
    return expr.str.to_lowercase().replace_strict(words, default=None, return_dtype=pl.Boolean)


def parse_enum(expr: pl.Expr, enum: str) -> pl.Expr:
    lookup = enum_lookup(enum)
    return expr.str.to_lowercase().replace_strict(lookup, default=None, return_dtype=pl.String)
