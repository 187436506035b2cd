"""Read one input file (CSV in UTF-8 / UTF-8 BOM / UTF-16 / GB18030, or XLSX) as frames of strings.

`open_table` checks what can be checked without reading the rows (type, encoding, header,
required columns), then hands the rows on in batches, so a file of millions of rows is never
held whole. Every column comes back as text, named by the contract, plus `row_number`: the row
as the clerk sees it in Excel or a text editor. Typing happens later, in `etl.validate`, so that a bad value
becomes a reject with its original text instead of a parse error.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import polars as pl

from etl.contract import FileSpec

ROW = "row_number"
HEADER_SCAN_ROWS = 10  # a title block above the header is never taller than this in practice
MAX_XLSX_BYTES = 200 * 1024 * 1024
# Rows per batch of a big file: a batch of pledges is about 200 MB as text, whatever the file's size.
BATCH_ROWS = 500_000
# polars' streaming reader holds about four of the chunks it is asked for ahead of the one handed
# out (pledges at province: about 1 GB for chunks of 500,000 rows): it is asked for quarter
# batches, gathered into one before the checks (whose cost is per batch, not per row).
READ_SHARES = 4


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


HEAD_BYTES = 1 << 20


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), utf-16 (with BOM), or gb18030: GBK is not enough for names.

    The first megabyte decides when it holds Chinese text (it always does in these templates):
    decoding a 1.4 GB file in Python to prove it is UTF-8 took 3.9 s, and the CSV reader checks
    every byte anyway, refusing a file that turns out not to be UTF-8 further down (read_csv).
    A head of plain ASCII proves nothing, so then the whole file is decoded.
    """
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        candidates: tuple[str, ...] = ("utf-16",)
    elif not head.isascii() and _head_decodes(head, "utf-8"):
        return "utf-8"
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        if _decode_check(path, encoding):
            return encoding
    raise _unknown_encoding(path)


def _unknown_encoding(path: Path) -> LoadRefused:
    return LoadRefused(f"文件“{path.name}”无法识别编码：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX 文件。")


def _head_decodes(head: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_delimiter(line: str) -> str:
    return max((",", "\t", ";"), key=line.count)


def _transcode(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a GB18030 or UTF-16 file in the temporary folder, written in chunks.

    Raises UnicodeDecodeError (and leaves no copy) when the file is not all in `encoding`."""
    fd, name = tempfile.mkstemp(prefix="etl-", suffix=".csv")
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(16 << 20):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _as_utf8(path: Path) -> Path:
    """The file itself if it is UTF-8, else its UTF-8 copy (see _transcode); the encodings tried
    and the files refused are detect_encoding's. Why not detect_encoding, then the copy: for a
    GB18030 file that decoded the whole file twice (the check, then the copy); the copy is the check.
    """
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        candidates: tuple[str, ...] = ("utf-16",)
    elif head.isascii():
        candidates = ("utf-8", "gb18030")
    elif _head_decodes(head, "utf-8"):
        return path
    else:  # a head that is not UTF-8 (a character cut at its end is allowed): the file is not either
        candidates = ("gb18030",)
    for encoding in candidates:
        if encoding == "utf-8":
            if _decode_check(path, encoding):
                return path
            continue
        with suppress(UnicodeDecodeError):
            return _transcode(path, encoding)
    raise _unknown_encoding(path)


def _gathered(chunks: Iterator[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """Chunks joined into frames of at least `rows` rows (the last one smaller), in order."""
    held: list[pl.DataFrame] = []
    count = 0
    for chunk in chunks:
        held.append(chunk)
        count += chunk.height
        if count >= rows:
            yield pl.concat(held, rechunk=False)
            held, count = [], 0
    if held:
        yield pl.concat(held, rechunk=False)


def open_csv(path: Path, spec: FileSpec) -> InputTable:
    source = _as_utf8(path)
    table = InputTable(path, spec, temporary=None if source == path else source)
    try:
        with source.open(encoding="utf-8-sig", newline="") as fh:
            sample = "".join(fh.readline() for _ in range(HEADER_SCAN_ROWS)).lstrip("\ufeff")
        if not sample.strip():
            raise LoadRefused(f"文件“{path.name}”是空文件。")
        delimiter = _sniff_delimiter(sample.splitlines()[0] if sample.splitlines() else sample)
        header_at = _find_header_row(list(csv.reader(io.StringIO(sample), delimiter=delimiter)), spec)
        if header_at is None:
            raise LoadRefused(
                f"文件“{path.name}”找不到表头：前 {HEADER_SCAN_ROWS} 行中没有任何“{spec.label}”模板的列名。"
            )

        def scan() -> pl.LazyFrame:
            # Line numbers as an editor shows them: title rows, then the header, then the data.
            return pl.scan_csv(
                source,
                has_header=True,
                skip_rows=header_at,
                separator=delimiter,
                infer_schema=False,
                truncate_ragged_lines=True,
                row_index_name=ROW,
                row_index_offset=header_at + 2,
            )

        try:
            columns = scan().collect_schema().names()
        except Exception as exc:  # polars raises several kinds for broken CSV
            raise LoadRefused(f"文件“{path.name}”不是可读取的 CSV 文件：{exc}") from exc
        renames = _contract_names(columns, path, spec)
    except BaseException:
        table.close()
        raise

    def read(rows: int) -> Iterator[pl.DataFrame]:
        try:
            empty = True
            for batch in _gathered(scan().collect_batches(chunk_size=max(rows // READ_SHARES, 1)), rows):
                empty = False
                yield _to_contract(batch.with_columns(pl.col(ROW).cast(pl.Int64)), renames, spec)
            if empty:  # a header and no rows: one empty batch, as an XLSX gives (the checks expect one)
                yield pl.DataFrame(schema={ROW: pl.Int64, **{name: pl.String for name in spec.names}})
        except pl.exceptions.PolarsError as exc:
            if "utf-8" in str(exc).lower():
                raise LoadRefused(
                    f"文件“{path.name}”前面部分是 UTF-8 编码，后面含有其他编码的字符：请在 Excel/WPS 中整体另存为"
                    " UTF-8 或 GB18030 编码的 CSV。"
                ) from exc
            raise LoadRefused(f"文件“{path.name}”不是可读取的 CSV 文件：{exc}") from exc

    table.read = read
    return table


def _cell_text(value: object) -> str | None:
    """A cell as the text the checks read; calamine gives an empty cell as "", openpyxl as None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows_calamine(path: Path) -> list[list[object]]:
    """The first sheet's rows through calamine (Rust), from Excel's row 1 down.

    `skip_empty_area=False` keeps the blank rows above the data, so the row at index i is
    Excel's row i + 1 whatever sits above the header (blank rows, a merged title).
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        book.close()


def _sheet_rows_openpyxl(path: Path) -> list[list[object]]:
    """The same rows through openpyxl: only for a workbook calamine refuses to open (see open_xlsx)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(values) for values in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _sheet_rows(path: Path) -> list[list[object]]:
    """Calamine reads a workbook 8-10 times faster than openpyxl; openpyxl stays as a second try
    for a file calamine's parser refuses (a workbook some other tool wrote loosely), so that a
    file which loaded before still loads. Only when both refuse is the file refused."""
    try:
        return _sheet_rows_calamine(path)
    except Exception as first:  # calamine raises its own error types and ValueError alike
        try:
            return _sheet_rows_openpyxl(path)
        except Exception:
            raise LoadRefused(f"文件“{path.name}”无法作为 XLSX 打开：{first}") from first


def open_xlsx(path: Path, spec: FileSpec) -> InputTable:
    """Read the first sheet, keeping Excel's own row numbers (blank rows and title rows included)."""
    import zipfile

    if not zipfile.is_zipfile(path):
        raise LoadRefused(
            f"文件“{path.name}”不是有效的 XLSX 文件（可能是旧版 .xls 或已损坏）：请在 Excel/WPS 中另存为 .xlsx。"
        )
    with zipfile.ZipFile(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_XLSX_BYTES:
            raise LoadRefused(f"文件“{path.name}”解压后超过 {MAX_XLSX_BYTES >> 20} MB，拒绝读取。")
    sheet = _sheet_rows(path)
    if not any(v not in (None, "") for values in sheet for v in values):
        raise LoadRefused(f"文件“{path.name}”是空表。")
    header_at = _find_header_row(sheet, spec)
    if header_at is None:
        raise LoadRefused(f"文件“{path.name}”找不到表头：前 {HEADER_SCAN_ROWS} 行中没有任何“{spec.label}”模板的列名。")
    header = [str(h) if h not in (None, "") else f"_blank_{i}" for i, h in enumerate(sheet[header_at])]
    data = sheet[header_at + 1 :]
    # Excel's row number of each data row: the sheet's rows start at Excel's row 1.
    columns = {
        name: [_cell_text(values[i]) if i < len(values) else None for values in data] for i, name in enumerate(header)
    }
    frame = pl.DataFrame(
        {ROW: range(header_at + 2, header_at + 2 + len(data)), **columns},
        schema={ROW: pl.Int64, **{h: pl.String for h in header}},
    )
    del sheet, data, columns
    whole = _to_contract(frame, _contract_names(frame.columns, path, spec), spec)
    table = InputTable(path, spec)
    # A sheet is read whole anyway (and is small: towns, organisations); handed on in slices of
    # the same size as a CSV's batches.
    table.read = lambda rows: (whole.slice(at, rows) for at in range(0, max(whole.height, 1), rows))
    return table


def _contract_names(columns: list[str], path: Path, spec: FileSpec) -> dict[str, str]:
    """The file's header → contract column names; a missing required column refuses the file."""
    known = header_map(spec)
    renames: dict[str, str] = {}
    for col in columns:
        if col == ROW:
            continue
        target = known.get(_header_key(col))
        if target and target not in renames.values():
            renames[col] = target
    missing = [c for c in spec.columns if c.required and c.name not in renames.values()]
    if missing:
        names = "、".join(f"“{c.label}”" for c in missing)
        raise LoadRefused(f"文件“{path.name}”缺少必需的列：{names}。请使用“{spec.label}”模板的表头。")
    return renames


def _to_contract(frame: pl.DataFrame, renames: dict[str, str], spec: FileSpec) -> pl.DataFrame:
    frame = frame.select([pl.col(ROW), *(pl.col(src).alias(dst) for src, dst in renames.items())])
    absent = [c.name for c in spec.columns if c.name not in frame.columns]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent).select(ROW, *spec.names)
    # Rows a spreadsheet leaves blank (every cell empty) are not records. Only a row whose first
    # cell is empty can be one, so the full test runs on those few rows, not on every cell.
    first = pl.col(spec.names[0])
    maybe = frame.filter(first.is_null() | first.str.contains(r"^\s*$"))
    if maybe.height == 0:
        return frame
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in spec.names)
    blank_rows = maybe.filter(blank)[ROW]
    return frame.filter(~pl.col(ROW).is_in(blank_rows.implode())) if blank_rows.len() else frame


class InputTable:
    """An input file whose encoding, header and columns are known: its rows, batch by batch.

    Every column comes as text in contract order, plus `row_number`. `close()` removes the
    UTF-8 copy made of a file in another encoding.
    """

    def __init__(self, path: Path, spec: FileSpec, temporary: Path | None = None) -> None:
        self.path, self.spec, self.temporary = path, spec, temporary
        self.read: Callable[[int], Iterator[pl.DataFrame]] = lambda rows: iter(())

    def batches(self, rows: int | None = None) -> Iterator[pl.DataFrame]:
        return self.read(rows or BATCH_ROWS)

    def close(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> InputTable:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_table(path: Path, spec: FileSpec) -> InputTable:
    """Check that the file can be read (type, encoding, header, required columns), without reading it."""
    if path.stat().st_size == 0:
        raise LoadRefused(f"文件“{path.name}”是空文件。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            return open_csv(path, spec)
        except UnicodeDecodeError as exc:  # e.g. a file whose first megabyte ends inside a character
            raise LoadRefused(
                f"文件“{path.name}”不是可识别的文本（编码无效）：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX 文件。"
            ) from exc
        except csv.Error as exc:  # a stray carriage return or NUL where the header should be
            raise LoadRefused(
                f"文件“{path.name}”的开头无法按 CSV 读取（换行或引号不成对）：请用 Excel/WPS 另存为 CSV。"
            ) from exc
    if suffix == ".xlsx":
        return open_xlsx(path, spec)
    raise LoadRefused(f"文件“{path.name}”的类型不受支持：只接受 .csv 或 .xlsx。")


def read_table(path: Path, spec: FileSpec) -> pl.DataFrame:
    """The whole file as a frame of strings in contract column order, plus `row_number`."""
    with open_table(path, spec) as table:
        frames = list(table.batches())
    schema = {ROW: pl.Int64, **{name: pl.String for name in spec.names}}
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)
