"""Read one input file (CSV in UTF-8 / UTF-8 BOM / UTF-16 / GB18030, or XLSX) into a frame of strings.

Every column comes back as text, named by the contract, plus `row_number`: the row as the clerk
sees it in Excel or a text editor. Typing happens later, in `etl.validate`, so that a bad value
becomes a reject with its original text instead of a parse error.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from pathlib import Path

import polars as pl

from etl.contract import FileSpec

ROW = "row_number"
HEADER_SCAN_ROWS = 10  # a title block above the header is never taller than this in practice
MAX_XLSX_BYTES = 200 * 1024 * 1024


class LoadRefused(Exception):
    """A file cannot be used at all: the whole load stops and the live warehouse stays as it was."""


def _header_key(text: object) -> str:
    s = str(text or "")
    s = s.replace("（", "(").replace("）", ")").replace("\ufeff", "")
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"(\(必填\)|\(选填\)|\*)$", "", s)
    return s.lower()


def header_map(spec: FileSpec) -> dict[str, str]:
    """Header text (Chinese label or English name, normalised) → contract column name."""
    table = {}
    for col in spec.columns:
        table[_header_key(col.label)] = col.name
        table[_header_key(col.name)] = col.name
    return table


def _find_header_row(rows: list[list[object]], spec: FileSpec) -> int | None:
    """Index of the row that names the most contract columns (title rows above it are skipped)."""
    known = header_map(spec)
    best, best_hits = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        hits = len({known[k] for k in map(_header_key, row) if k in known})
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _decode_check(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes; streamed so a 2 GB file never sits in memory as text."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(16 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), utf-16 (with BOM), or gb18030: GBK is not enough for names."""
    with path.open("rb") as fh:
        head = fh.read(4)
    utf16 = head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE)
    for encoding in ("utf-16",) if utf16 else ("utf-8", "gb18030"):
        if _decode_check(path, encoding):
            return encoding
    raise LoadRefused(f"文件“{path.name}”无法识别编码：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX 文件。")


def _sniff_delimiter(line: str) -> str:
    return max((",", "\t", ";"), key=line.count)


def read_csv(path: Path, spec: FileSpec) -> pl.DataFrame:
    encoding = detect_encoding(path)
    if encoding == "utf-8":
        source: Path | bytes = path  # polars reads UTF-8 straight from disk, the fast path
        with path.open(encoding="utf-8-sig", newline="") as fh:
            head_lines = [fh.readline() for _ in range(HEADER_SCAN_ROWS)]
    else:
        text = path.read_text(encoding=encoding)
        source = text.encode("utf-8")
        head_lines = text.splitlines(keepends=True)[:HEADER_SCAN_ROWS]
    sample = "".join(head_lines).lstrip("\ufeff")
    if not sample.strip():
        raise LoadRefused(f"文件“{path.name}”是空文件。")
    delimiter = _sniff_delimiter(sample.splitlines()[0] if sample.splitlines() else sample)
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    header_at = _find_header_row(rows, spec)
    if header_at is None:
        raise LoadRefused(f"文件“{path.name}”找不到表头：前 {HEADER_SCAN_ROWS} 行中没有任何“{spec.label}”模板的列名。")
    try:
        frame = pl.read_csv(
            source,
            has_header=True,
            skip_rows=header_at,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except Exception as exc:  # polars raises several kinds for broken CSV
        raise LoadRefused(f"文件“{path.name}”不是可读取的 CSV 文件：{exc}") from exc
    # Line numbers as an editor shows them: title rows, then the header, then the data.
    first_data_row = header_at + 2
    frame = frame.with_row_index(ROW, offset=first_data_row).with_columns(pl.col(ROW).cast(pl.Int64))
    return _rename_to_contract(frame, path, spec)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, spec: FileSpec) -> pl.DataFrame:
    """Read the first sheet with openpyxl, keeping Excel's own row numbers (blank rows included)."""
    import zipfile

    import openpyxl

    if not zipfile.is_zipfile(path):
        raise LoadRefused(
            f"文件“{path.name}”不是有效的 XLSX 文件（可能是旧版 .xls 或已损坏）：请在 Excel/WPS 中另存为 .xlsx。"
        )
    with zipfile.ZipFile(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_XLSX_BYTES:
            raise LoadRefused(f"文件“{path.name}”解压后超过 {MAX_XLSX_BYTES >> 20} MB，拒绝读取。")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise LoadRefused(f"文件“{path.name}”无法作为 XLSX 打开：{exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows: list[tuple[int, list[str | None]]] = []
        for excel_row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((excel_row, [_cell_text(v) for v in values]))
    finally:
        book.close()
    if not any(any(v not in (None, "") for v in vals) for _, vals in rows):
        raise LoadRefused(f"文件“{path.name}”是空表。")
    header_at = _find_header_row([vals for _, vals in rows], spec)
    if header_at is None:
        raise LoadRefused(f"文件“{path.name}”找不到表头：前 {HEADER_SCAN_ROWS} 行中没有任何“{spec.label}”模板的列名。")
    header = [str(h) if h is not None else f"_blank_{i}" for i, h in enumerate(rows[header_at][1])]
    data = rows[header_at + 1 :]
    width = len(header)
    columns = {name: [(vals + [None] * width)[i] for _, vals in data] for i, name in enumerate(header)}
    frame = pl.DataFrame(
        {ROW: [r for r, _ in data], **columns}, schema={ROW: pl.Int64, **{h: pl.String for h in header}}
    )
    return _rename_to_contract(frame, path, spec)


def _rename_to_contract(frame: pl.DataFrame, path: Path, spec: FileSpec) -> pl.DataFrame:
    known = header_map(spec)
    renames: dict[str, str] = {}
    for col in frame.columns:
        if col == ROW:
            continue
        target = known.get(_header_key(col))
        if target and target not in renames.values():
            renames[col] = target
    missing = [c for c in spec.columns if c.required and c.name not in renames.values()]
    if missing:
        names = "、".join(f"“{c.label}”" for c in missing)
        raise LoadRefused(f"文件“{path.name}”缺少必需的列：{names}。请使用“{spec.label}”模板的表头。")
    frame = frame.select([pl.col(ROW), *(pl.col(src).alias(dst) for src, dst in renames.items())])
    absent = [c.name for c in spec.columns if c.name not in frame.columns]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent)
    # Rows a spreadsheet leaves blank (every cell empty) are not records.
    cells = [c for c in spec.names]
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in cells)
    return frame.filter(~blank).select(ROW, *cells)


def read_table(path: Path, spec: FileSpec) -> pl.DataFrame:
    """The file as a frame of strings in contract column order, plus `row_number`."""
    if path.stat().st_size == 0:
        raise LoadRefused(f"文件“{path.name}”是空文件。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, spec)
    if suffix == ".xlsx":
        return read_xlsx(path, spec)
    raise LoadRefused(f"文件“{path.name}”的类型不受支持：只接受 .csv 或 .xlsx。")
