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


# Every character a clerk's keyboard or Excel can put in a cell that reads as a space: what `\\s`
# matches in the regex engine (Unicode White_Space), plus the zero-width space and the BOM.
WHITESPACE = (
    ["\t", "\n", "\x0b", "\x0c", "\r", " ", "\x85", "\xa0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b"]
)
# Needles that mean a cell needs the full cleaning; cells without any are already canonical.
_CODE_DIRT = FULL_WIDTH + WHITESPACE
_TEXT_DIRT = [w for w in WHITESPACE if w != " "] + ["  "]


def _on_column(series: pl.Series, expr) -> pl.Series:
    return series.to_frame("v").select(expr(pl.col("v"))).to_series()


def _redo(result: pl.Series, source: pl.Series, todo: pl.Series, slow) -> pl.Series:
    """`result`, with the cells where `todo` holds replaced by `slow` of the same cells of `source`.

    Why: most cells of a real file are already canonical and take the cheap route; the pattern
    work then runs on the few that are not, instead of on every cell (a column of nulls still
    costs the pattern kernels nearly as much as a full one).
    """
    rows = todo.fill_null(False).arg_true()
    if rows.len() == 0:
        return result
    return result.clone().scatter(rows, _on_column(source.gather(rows), slow))


def _null_if_empty(series: pl.Series) -> pl.Series:
    empty = (series == "").fill_null(False).arg_true()
    return series.clone().scatter(empty, None) if empty.len() else series


def _clean_code(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(FULL_WIDTH, HALF_WIDTH).str.replace_all(SPACES, "")


def _clean_name(expr: pl.Expr) -> pl.Expr:
    # Chinese names carry no spaces ("张  三" is alignment); Latin words keep one between them.
    return (
        expr.str.replace_all(SPACES, " ")
        .str.replace_all(rf"({NON_ASCII}) ", "$1")
        .str.replace_all(rf" ({NON_ASCII})", "$1")
        .str.strip_chars()
    )


def _clean_free_text(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(SPACES, " ").str.strip_chars()


def _clean_series(series: pl.Series, kind: str) -> pl.Series:
    text = series.str
    if kind in ("id", "int", "count", "date", "enum", "bool"):
        out = _redo(series, series, text.contains_any(_CODE_DIRT), _clean_code)
    elif kind == "name":
        out = _redo(series, series, text.contains_any(WHITESPACE), _clean_name)
    else:
        dirty = text.contains_any(_TEXT_DIRT) | text.starts_with(" ") | text.ends_with(" ")
        out = _redo(series, series, dirty, _clean_free_text)
    return _null_if_empty(out)


def clean_text(expr: pl.Expr, kind: str) -> pl.Expr:
    """Strip what a clerk could not see: stray and full-width spaces, full-width digits in codes."""
    return expr.map_batches(lambda s: _clean_series(s, kind), return_dtype=pl.String)


def _int_series(series: pl.Series) -> pl.Series:
    plain = series.cast(pl.Int64, strict=False)
    return _redo(plain, series, plain.is_null() & series.is_not_null(), _int_by_pattern)


def parse_int(expr: pl.Expr) -> pl.Expr:
    """A plain integer cast first; only what it refuses (2024.0 from Excel) goes to the pattern."""
    return expr.map_batches(_int_series, return_dtype=pl.Int64)


def _int_by_pattern(expr: pl.Expr) -> pl.Expr:
    return expr.str.extract(INTEGER, 1).cast(pl.Int64, strict=False)


def _ymd(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    text = pl.concat_str([y, m.str.zfill(2), d.str.zfill(2)], separator="-")
    return text.str.to_date("%Y-%m-%d", strict=False)


def _date_by_patterns(expr: pl.Expr) -> pl.Expr:
    parts = expr.str.extract_groups(DATE_PARTS)
    compact = expr.str.extract_groups(COMPACT_DATE)
    serial = expr.str.extract(EXCEL_SERIAL, 1).cast(pl.Int64, strict=False)
    from_serial = pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial)
    return pl.coalesce(
        _ymd(parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")),
        _ymd(compact.struct.field("1"), compact.struct.field("2"), compact.struct.field("3")),
        pl.when(serial.is_not_null()).then(from_serial.cast(pl.Date)),
    )


# The two forms nearly every file uses, read by the date parser directly (no regex).
FAST_DATE_FORMATS = ("%Y-%m-%d", "%Y年%m月%d日")


def _fast_date(expr: pl.Expr) -> pl.Expr:
    # The date parser takes a sign before the year ("+2024-03-05"), which no office writes and
    # the patterns refuse: such cells go to the patterns too.
    plain = pl.when(~expr.str.starts_with("+")).then(expr)
    return pl.coalesce(*(plain.str.to_date(f, strict=False) for f in FAST_DATE_FORMATS))


def _date_series(series: pl.Series) -> pl.Series:
    fast = _on_column(series, _fast_date)
    value = _redo(fast, series, fast.is_null() & series.is_not_null(), _date_by_patterns)
    return _on_column(value, lambda v: pl.when(v.dt.year().is_between(1900, 2100)).then(v))


def parse_date(expr: pl.Expr) -> pl.Expr:
    """ISO, 2024年3月5日, 2024.3.5, 2024/03/05, 2024-3-5, 20240305 or an Excel serial number."""
    return expr.map_batches(_date_series, return_dtype=pl.Date)


def _lookup(expr: pl.Expr, words: dict, dtype: pl.DataType) -> pl.Expr:
    """Look a cell up as typed first; only cells not found are lower-cased and looked up again."""

    def series(cells: pl.Series) -> pl.Series:
        as_typed = cells.replace_strict(words, default=None, return_dtype=dtype)
        again = _lookup_lowercased(words, dtype)
        return _redo(as_typed, cells, as_typed.is_null() & cells.is_not_null(), again)

    return expr.map_batches(series, return_dtype=dtype)


def _lookup_lowercased(words: dict, dtype: pl.DataType):
    return lambda e: e.str.to_lowercase().replace_strict(words, default=None, return_dtype=dtype)


def parse_bool(expr: pl.Expr) -> pl.Expr:
    words = {w.lower(): True for w in TRUE_WORDS} | {w.lower(): False for w in FALSE_WORDS}
    return _lookup(expr, words, pl.Boolean)


def parse_enum(expr: pl.Expr, enum: str) -> pl.Expr:
    return _lookup(expr, enum_lookup(enum), pl.String)


_TO_HALF_WIDTH = str.maketrans(dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)))


def _impossible(text: str | None) -> str | None:
    """Why a date written as year, month and day cannot be (a 13th month, 31 November), else None."""
    import calendar
    import re

    cleaned = (text or "").translate(_TO_HALF_WIDTH).strip()
    found = re.match(DATE_PARTS, cleaned) or re.match(COMPACT_DATE, cleaned)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups()[:3])
    if not 1 <= month <= 12:
        return f"一年只有 12 个月，没有{month}月"
    if day == 0:
        return "日不能为 0"
    if day > calendar.monthrange(year, month)[1]:
        return f"{year}年{month}月没有{day}日"
    return None


def impossible_date(expr: pl.Expr) -> pl.Expr:
    """The reason a date that follows a known format names no real day ("2026年11月没有31日"), else null.

    Run only on the cells already refused (the few rejects), so one Python call per cell is cheap.
    """
    return expr.map_elements(_impossible, return_dtype=pl.String, skip_nulls=True)
