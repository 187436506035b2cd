"""Township submissions: a town's files checked against the live warehouse, previewed, then published.

A submission names one town. Each file is recognised by its header (any file name), and either
replaces the town's rows of its kind (a whole file, 整表替换) or, when it carries a 问题说明 column
(the rejects file we hand back, fixed), adds and updates rows by key and removes none (补充修正).

Checking happens on the town's slice: the town's rows of every kind after the submission (the new
files, and for the kinds not submitted the town's current rows), with the county's towns for
reference. So a submitted orgs file that drops a branch shows, in the preview, the current members
of that branch that would no longer load. Rows naming another town's organisations, and keys
another town already uses, are refused for those rows.

Publishing rebuilds the warehouse from the live one (every other town as it is) plus the town's
checked slice, under the writer lock, and swaps it in atomically: two towns submitting at once
publish one after the other, each on top of the other's result (no lost update). Every accepted
submission's files are kept in the raw store, `SUBMISSIONS_DIR/towns/<town>/<load_id>/`, with a
manifest; every publish and rollback is a line of `SUBMISSIONS_DIR/history.jsonl`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import polars as pl

from etl.contract import FILES, LOAD_ORDER
from etl.criteria import Standard
from etl.load import ROOT, SQL_DIR, login_name, publish, restore_version, versions_dir, writer_lock
from etl.normalise import clean_text
from etl.readers import HEADER_SCAN_ROWS, ROW, LoadRefused, _header_key, detect_encoding, header_map, read_table
from etl.validate import REJECT_SCHEMA, Checked, check

SUBMITTABLE = ("orgs", "members", "pledges", "awards", "assessments")
MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_MB", "20")) * 1024 * 1024
NOTE_COLUMN = "问题说明"  # the column our rejects file adds; its presence makes a file 补充修正
EXISTING = "现有数据"  # the "file" of rows already in the warehouse, in messages
OFFSET = 10_000_000  # current rows are numbered from here, so they never collide with a file's rows


def store_dir() -> Path:
    return Path(os.environ.get("SUBMISSIONS_DIR", ROOT / "data" / "submissions"))


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class FilePreview:
    kind: str
    file: str
    mode: str  # "replace" | "merge"
    raw: pl.DataFrame  # the file as read (strings, with row_number), for the rejects workbook
    rows_read: int
    rows_loaded: int
    rejects: pl.DataFrame  # this file's rejects, in the clerk's row numbers
    added: int
    changed: int
    removed: int
    current_rows: int = 0  # the town's rows of this kind now
    years: list[int] = field(default_factory=list)  # the years the file holds (a replacement reaches only these)
    absent: list[str] = field(default_factory=list)  # labels of columns the file lacks (kept as they are)

    @property
    def label(self) -> str:
        return FILES[self.kind].label

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].n_unique()

    @property
    def mode_label(self) -> str:
        return MODES[self.mode]


# The share of a town's rows of one kind that a submission may remove without a 县级 account.
LARGE_REMOVAL_SHARE = 0.20
MODES = {"merge": "补充修正", "replace": "整表替换"}
REMOVAL_SCHEMA = {"kind": pl.String, "year": pl.Int64, "record": pl.String, "reason": pl.String}


@dataclass
class Preview:
    town_id: str
    town_name: str
    files: list[FilePreview]
    lost: pl.DataFrame  # current rows of the town that would no longer load: file, record (key), column, value, reason
    staging: Path
    removals: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=REMOVAL_SCHEMA))  # by key
    current_rows: dict[str, int] = field(default_factory=dict)  # the town's rows of each kind now
    slice_checked: dict[str, Checked] = field(repr=False, default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    def removed_by_year(self) -> pl.DataFrame:
        """What publishing removes, per kind and year, with counts (year empty for kinds without one)."""
        return self.removals.group_by("kind", "year", maintain_order=True).len("rows")

    def large_removals(self) -> list[str]:
        """Kinds of which publishing removes more than LARGE_REMOVAL_SHARE of the town's rows (县级 only)."""
        out = []
        for kind in SUBMITTABLE:
            gone = self.removals.filter(pl.col("kind") == FILES[kind].label).height
            now = self.current_rows.get(kind, 0)
            if gone and gone > LARGE_REMOVAL_SHARE * now:
                out.append(f"{FILES[kind].label} {gone} 条（现有 {now} 条的 {gone / now:.0%}）")
        return out

    def refusals(self) -> list[str]:
        """Why this submission cannot be published at all, in the clerk's terms with what to do next."""
        out = []
        for f in self.files:
            if f.rows_read and not f.rows_loaded:
                out.append(
                    f"文件“{f.file}”的 {f.rows_read} 行都有问题，没有一行能入库，因此不发布任何数据。"
                    "请按下方“问题”一列改好后重新上传（可下载有问题的行，改好后直接上传）。"
                )
            elif not f.rows_read:
                out.append(f"文件“{f.file}”只有表头，没有数据行。请填好数据后再上传。")
        return out


# Reading ----------------------------------------------------------------------------------------


def _stage(uploads: list[Upload]) -> Path:
    """The uploads as files in a private staging folder (the readers read paths); refused ones are not kept."""
    staging = store_dir() / "staging" / uuid.uuid4().hex
    staging.mkdir(parents=True)
    try:
        for i, upload in enumerate(uploads):
            name = Path(upload.name).name or f"file{i}"
            suffix = Path(name).suffix.lower()
            if suffix not in (".csv", ".xlsx"):
                raise LoadRefused(f"文件“{name}”的类型不受支持：只接受 .csv 或 .xlsx（Excel/WPS 可另存为这两种）。")
            if len(upload.data) > MAX_UPLOAD_BYTES:
                raise LoadRefused(
                    f"文件“{name}”有 {len(upload.data) >> 20} MB，超过上限 {MAX_UPLOAD_BYTES >> 20} MB。"
                    "请删去无关的工作表和列，或分成几个文件分次提交。"
                )
            # Our own name on disk: a clerk's file name never becomes a path.
            (staging / f"{i:02d}{suffix}").write_bytes(upload.data)
            (staging / f"{i:02d}.name").write_text(name, encoding="utf-8")
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


NEXT_STEPS = (  # what to do, after a reader's refusal that does not say it itself
    (("是空文件", "是空表"), "请填好数据后再上传（表头在第一行，数据从第二行起）。"),
    (
        ("不是可读取的 CSV", "无法作为 XLSX 打开", "解压后超过", "类型不受支持：只接受 .csv 或 .xlsx。"),
        "请在 Excel 或 WPS 中打开，另存为 .xlsx 或 CSV（UTF-8）后再上传。",
    ),
)


def _with_next_step(message: str) -> str:
    for words, step in NEXT_STEPS:
        if any(w in message for w in words):
            return message + step
    return message


def _recognise(path: Path, name: str) -> tuple[str, pl.DataFrame]:
    """Which template a file follows, by its header (the name may be anything).

    The template that recognises most of the header's columns wins, also over one that merely can be
    read: an awards file lacking 表彰级别 still has 组织编码 and 年度, enough for 年度考核, and must be
    told which column it lacks rather than be read as assessments.
    """
    found, partial = [], []
    for kind in SUBMITTABLE:
        try:
            frame = read_table(path, FILES[kind])
        except LoadRefused as refused:
            if "缺少必需的列" in str(refused):
                partial.append((len(_present_columns(path, kind)), str(refused).replace(path.name, name)))
                continue
            if "找不到表头" in str(refused):
                continue
            raise LoadRefused(_with_next_step(str(refused).replace(path.name, name))) from refused
        filled = sum(frame[c].null_count() < frame.height for c in FILES[kind].names)
        found.append((len(_present_columns(path, kind)), filled, kind, frame))
    best_found = max(found, key=lambda f: f[:2], default=None)
    best_partial = max(partial, key=lambda f: f[0], default=None)
    if best_partial and best_partial[0] >= 2 and (best_found is None or best_partial[0] > best_found[0]):
        raise LoadRefused(best_partial[1])  # which columns are missing, of the template it follows
    if best_found is None:
        if _looks_like(path, FILES["towns"]):
            raise LoadRefused(
                f"文件“{name}”是乡镇名单：乡镇名单由县委组织部维护，不随乡镇数据提交。"
                "请只上传本乡镇的党组织、党员、承诺、表彰或考核文件。"
            )
        labels = "、".join(FILES[k].label for k in SUBMITTABLE)
        raise LoadRefused(f"文件“{name}”的表头与任何模板都不符（可提交：{labels}），请使用下载的模板。")
    return best_found[2], best_found[3]


def _looks_like(path: Path, spec) -> bool:
    try:
        read_table(path, spec)
    except LoadRefused:
        return False
    return True


def _has_note_column(path: Path, kind: str) -> bool:
    """Our rejects workbook has a 问题说明 column: such a file corrects rows, it is not the whole set.

    Only a header cell counts (a pledge's text may well contain the words).
    """
    rows = _header_rows(path)
    headers = {c.label for c in FILES[kind].columns} | set(FILES[kind].names)

    def is_header(row) -> bool:
        cells = {str(c).strip() for c in row if c is not None}
        return NOTE_COLUMN in cells and len(cells & headers) >= 2

    return any(is_header(row) for row in rows)


def _header_rows(path: Path) -> list[tuple]:
    """The first rows of a file as cells, where a header may be."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(book.worksheets[0].iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True))
        finally:
            book.close()
    import csv
    import io

    text = path.read_bytes()[: 64 * 1024].decode(detect_encoding(path), errors="ignore").lstrip("\ufeff")
    return list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SCAN_ROWS]))))


def _present_columns(path: Path, kind: str) -> set[str]:
    """The contract columns the file's header really has (an absent column is not an emptied one)."""
    known = header_map(FILES[kind])
    best: set[str] = set()
    for row in _header_rows(path):
        names = {known[k] for k in map(_header_key, row) if k in known}
        if len(names) > len(best):
            best = names
    return best


# The live warehouse ---------------------------------------------------------------------------


def _live(db_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("attach ? as live (read_only)", [str(db_path)]).fetchall()
    con.execute("use live").fetchall()
    return con


def _owned(kind: str) -> str:
    """sql/submissions/owned_<kind>.sql: the table's rows with the town that owns each (`owner`)."""
    return (SQL_DIR / "submissions" / f"owned_{kind}.sql").read_text(encoding="utf-8")


def _current(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every table's rows as typed in the warehouse, with the town that owns each (`owner`)."""
    return {kind: con.sql(_owned(kind)).pl() for kind in LOAD_ORDER}


def _as_raw(kind: str, frame: pl.DataFrame, start: int) -> pl.DataFrame:
    """Typed rows back to the strings a file would hold, numbered from `start`, for re-checking."""
    spec = FILES[kind]
    out = []
    for col in spec.columns:
        expr = pl.col(col.name)
        if col.kind == "bool":
            expr = pl.when(expr).then(pl.lit("是")).when(~expr).then(pl.lit("否"))
        out.append(expr.cast(pl.String).alias(col.name))
    return (
        frame.select(out)
        .with_row_index(ROW, offset=start)
        .with_columns(pl.col(ROW).cast(pl.Int64))
        .select(ROW, *spec.names)
    )


def _clean(frame: pl.DataFrame, column: str, kind: str = "id") -> pl.Series:
    """A column as the validator will see it (spaces and full-width digits gone)."""
    return frame.select(clean_text(pl.col(column).cast(pl.String), kind).alias(column))[column]


def _key_expr(kind: str) -> pl.Expr:
    return pl.concat_str([pl.col(k) for k in FILES[kind].key], separator="/")


def _key_text(kind: str, frame: pl.DataFrame) -> pl.Series:
    """The key as one cleaned string (what the validator will compare), for matching rows."""
    spec = FILES[kind]
    parts = [clean_text(pl.col(k).cast(pl.String), spec.column(k).kind) for k in spec.key]
    return frame.select(pl.concat_str(parts, separator="\x1f").alias("key"))["key"]


# Checking ----------------------------------------------------------------------------------------


def _refuse_rows(frame: pl.DataFrame, mask: pl.Series, kind: str, column: str, reasons: pl.Series, file: str):
    """(kept rows, rejects) after refusing the rows where `mask` holds."""
    hit = frame.filter(mask)
    rejects = pl.DataFrame(
        {
            "file": [file] * hit.height,
            "row_number": hit[ROW].to_list(),
            "column_name": [f"{FILES[kind].column(column).label}({column})"] * hit.height,
            "value": hit[column].to_list(),
            "reason": reasons.filter(mask).to_list(),
        },
        schema=REJECT_SCHEMA,
    )
    return frame.filter(~mask), rejects


def _foreign_rows(kind, frame, town_id, town_name, orgs_of, names, file):
    """Rows that name another town (orgs) or another town's organisation (the rest) are refused."""
    if kind == "orgs":
        town = _clean(frame, "town_id")
        mask = town.is_not_null() & (town != town_id)
        reasons = pl.Series(
            [f"「乡镇编码」“{t}”不是本次提交的乡镇（{town_name} {town_id}）：只能提交本乡镇的数据" for t in town]
        )
        return _refuse_rows(frame, mask, kind, "town_id", reasons, file)
    org = _clean(frame, "org_id")
    owner = org.replace_strict(orgs_of, default=None, return_dtype=pl.String)
    mask = owner.is_not_null() & (owner != town_id)
    reasons = pl.Series(
        [
            f"组织“{o}”属于{names.get(w, w)}，不是{town_name}：只能提交本乡镇的数据"
            for o, w in zip(org, owner, strict=True)
        ]
    )
    return _refuse_rows(frame, mask, kind, "org_id", reasons, file)


def _taken_keys(kind, frame, taken, file):
    """Keys another town already uses are refused: every table's key is unique across the county."""
    key = _key_text(kind, frame) if frame.height else pl.Series([], dtype=pl.String)
    mask = key.is_in(taken.implode()) if frame.height else pl.Series([], dtype=pl.Boolean)
    column = FILES[kind].key[0]
    reasons = pl.Series([f"「{FILES[kind].column(column).label}」“{v}”已被其他乡镇使用" for v in frame[column]])
    return _refuse_rows(frame, mask, kind, column, reasons, file)


def _diff(kind: str, old: pl.DataFrame, new: pl.DataFrame) -> tuple[int, int]:
    """(added, changed) rows of one kind, matched by key, comparing every contract column."""
    key, names = list(FILES[kind].key), FILES[kind].names
    old, new = old.select(names), new.select(names)
    added = new.join(old, on=key, how="anti").height
    both = new.join(old, on=key, how="inner", suffix="__old")
    others = [c for c in names if c not in key]
    changed = both.filter(pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}__old")) for c in others)).height
    return added, changed


def _removals(kind: str, old: pl.DataFrame, new: pl.DataFrame, lost: pl.DataFrame, submitted: bool) -> pl.DataFrame:
    """The town's current rows of one kind that will be gone after publishing, by key (REMOVAL_SCHEMA).

    A row that fails the rules after the submission (its member or organisation gone) says why;
    a row a replacement leaves out says that.
    """
    key = list(FILES[kind].key)
    gone = old.select(*key, *(["year"] if "year" in old.columns and "year" not in key else [])).join(
        new.select(key), on=key, how="anti"
    )
    record = _key_expr(kind).cast(pl.String)
    year = pl.col("year").cast(pl.Int64) if "year" in FILES[kind].names else pl.lit(None, pl.Int64)
    gone = gone.select(record.alias("record"), year.alias("year"))
    why = lost.group_by("record").agg(pl.col("reason").str.join("；"))
    default = "不在整表替换的文件中" if submitted else "所依赖的记录被删除或修改"
    return (
        gone.join(why, on="record", how="left")
        .select(
            pl.lit(FILES[kind].label).alias("kind"),
            "year",
            "record",
            pl.col("reason").fill_null(default),
        )
        .sort("year", "record", nulls_last=True)
    )


def _years(frame: pl.DataFrame) -> set[int]:
    """The years a file holds (as typed, cleaned); a cell that is not a year names none."""
    cells = _clean(frame, "year", "int").drop_nulls()
    return {int(y) for y in cells if y.isdigit()}


def _fill_absent(kind: str, frame: pl.DataFrame, existing: pl.DataFrame, present: set[str]) -> pl.DataFrame:
    """A column the file does not have keeps each existing row's value (absent ≠ emptied)."""
    absent = [c for c in FILES[kind].names if c not in present]
    if not absent or not existing.height or not frame.height:
        return frame
    old = existing.select(_key_text(kind, existing).alias("__key"), *(pl.col(c).alias(f"{c}__old") for c in absent))
    return (
        frame.with_columns(_key_text(kind, frame).alias("__key"))
        .join(old, on="__key", how="left")
        .with_columns(pl.coalesce(pl.col(c), pl.col(f"{c}__old")).alias(c) for c in absent)
        .select(frame.columns)
    )


@dataclass
class _Sent:
    """One submitted file as read: its name, how it counts, its rows, and the columns it really has."""

    name: str
    mode: str
    frame: pl.DataFrame
    present: set[str]


def prepare(db_path: Path, town_id: str, uploads: list[Upload], mode: str = "merge") -> Preview:
    """Check a town's files against the live warehouse; nothing is published. LoadRefused for unusable files.

    `mode` is the clerk's choice: "merge" (补充修正, the default) adds and updates by key and removes
    nothing; "replace" (整表替换) makes the file the town's rows of its kind for the years it holds.
    """
    if not uploads:
        raise LoadRefused("请先选择要提交的文件。")
    if mode not in MODES:
        raise LoadRefused(f"提交方式“{mode}”不存在：只能是补充修正（merge）或整表替换（replace）。")
    staging = _stage(uploads)
    try:
        (staging / "mode").write_text(mode, encoding="utf-8")
        return _check_staged(db_path, town_id, staging)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _staged_files(staging: Path) -> list[tuple[Path, str]]:
    return [
        (p, (staging / f"{p.stem}.name").read_text(encoding="utf-8"))
        for p in sorted(staging.iterdir())
        if p.suffix in (".csv", ".xlsx")
    ]


def _staged_mode(staging: Path) -> str:
    path = staging / "mode"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else "merge"


def _read_staged(staging: Path) -> dict[str, _Sent]:
    chosen = _staged_mode(staging)
    read: dict[str, _Sent] = {}
    for path, name in _staged_files(staging):
        kind, frame = _recognise(path, name)
        if kind in read:
            raise LoadRefused(
                f"“{FILES[kind].label}”有两个文件：“{read[kind].name}”和“{name}”。每类数据一次只交一个文件，"
                "请合并成一个文件，或分两次提交。"
            )
        # Our rejects workbook only ever corrects the rows it holds, whatever was chosen.
        mode = "merge" if _has_note_column(path, kind) else chosen
        read[kind] = _Sent(name, mode, frame, _present_columns(path, kind))
    return read


def _check_slice(raw: dict[str, pl.DataFrame], read: dict[str, _Sent]) -> dict[str, Checked]:
    raw_ids = {kind: raw[kind][FILES[kind].key[0]].drop_nulls() for kind in raw}
    checked: dict[str, Checked] = {}
    for kind in LOAD_ORDER:
        checked[kind] = check(kind, raw[kind], read[kind].name if kind in read else EXISTING, checked, raw_ids)
    return checked


def _keep_refused_keys(kind: str, raw: pl.DataFrame, sent: pl.DataFrame, existing: pl.DataFrame, good):
    """A file row that cannot load leaves the current row of its key as it was (nothing lost by a typo).

    Returns the slice with those current rows back in place of the refused file rows (which would
    otherwise make the current row a repeated key), and the refused rows' line numbers.
    """
    loaded = sent.filter(pl.col(ROW).is_in(good[ROW].implode()))
    refused = sent.filter(~pl.col(ROW).is_in(good[ROW].implode()))
    keys = _key_text(kind, existing)
    keep = existing.filter(
        keys.is_in(_key_text(kind, refused).implode())
        & ~keys.is_in(_key_text(kind, loaded).implode())
        & ~pl.col(ROW).is_in(raw[ROW].implode())
    )
    if not keep.height:
        return raw, pl.Series(ROW, [], dtype=pl.Int64)
    replaced = refused.filter(_key_text(kind, refused).is_in(_key_text(kind, keep).implode()))[ROW]
    return pl.concat([raw.filter(~pl.col(ROW).is_in(replaced.implode())), keep]), replaced


def _check_staged(db_path: Path, town_id: str, staging: Path) -> Preview:
    con = _live(db_path)
    try:
        current = _current(con)
    finally:
        con.close()
    towns = current["towns"]
    names = dict(zip(towns["town_id"], towns["town_name"], strict=True))
    if town_id not in names:
        raise LoadRefused(
            f"仓库中没有乡镇编码为“{town_id}”的乡镇。请从乡镇列表中选择，或先请县委组织部把它加入乡镇名单。"
        )
    town_name = names[town_id]
    read = _read_staged(staging)

    # Whose organisation is whose, after this submission.
    orgs_of = dict(zip(current["orgs"]["org_id"], current["orgs"]["owner"], strict=True))
    if "orgs" in read:
        submitted = read["orgs"].frame
        for org, town in zip(_clean(submitted, "org_id"), _clean(submitted, "town_id"), strict=True):
            if org is not None and orgs_of.get(org, town_id) == town_id and town == town_id:
                orgs_of[org] = town_id

    raw: dict[str, pl.DataFrame] = {"towns": _as_raw("towns", towns, OFFSET)}
    existing: dict[str, pl.DataFrame] = {}
    sent: dict[str, pl.DataFrame] = {}
    early_rejects: dict[str, list[pl.DataFrame]] = {k: [] for k in SUBMITTABLE}
    for kind in SUBMITTABLE:
        mine = current[kind].filter(pl.col("owner") == town_id)
        theirs = current[kind].filter(pl.col("owner").ne_missing(town_id))
        existing[kind] = _as_raw(kind, mine, OFFSET)
        if kind not in read:
            raw[kind] = existing[kind]
            continue
        file = read[kind]
        sent[kind] = frame = _fill_absent(kind, file.frame, existing[kind], file.present)
        frame, foreign = _foreign_rows(kind, frame, town_id, town_name, orgs_of, names, file.name)
        frame, taken = _taken_keys(kind, frame, _key_text(kind, _as_raw(kind, theirs, 0)), file.name)
        early_rejects[kind] += [foreign, taken]
        if file.mode == "merge":  # rows not in the file stay as they are
            kept = existing[kind].filter(~_key_text(kind, existing[kind]).is_in(_key_text(kind, frame).implode()))
        elif "year" in FILES[kind].names:  # a replacement reaches only the years the file holds
            years = pl.Series(sorted(_years(file.frame)), dtype=pl.Int64)
            kept = existing[kind].filter(~pl.col("year").cast(pl.Int64, strict=False).is_in(years.implode()))
        else:
            kept = existing[kind].head(0)
        raw[kind] = pl.concat([frame, kept])

    checked = _check_slice(raw, read)
    restored = {k: _keep_refused_keys(k, raw[k], sent[k], existing[k], checked[k].good) for k in sent}
    if any(lines.len() for _, lines in restored.values()):
        first = checked
        raw.update({k: frame for k, (frame, _) in restored.items()})
        checked = _check_slice(raw, read)
        for kind, (_, lines) in restored.items():  # the refused rows taken out keep their reasons
            earlier = first[kind].rejects.filter(pl.col("row_number").is_in(lines.implode()))
            checked[kind] = replace(checked[kind], rejects=pl.concat([earlier, checked[kind].rejects]))

    files, lost, removals = [], [], []
    for kind in SUBMITTABLE:
        result = checked[kind]
        rejects = result.rejects
        ours = rejects.filter(pl.col("row_number") < OFFSET)
        # Current rows have no line a clerk could find: they are named by their key instead.
        keys = raw[kind].select(pl.col(ROW).alias("row_number"), _key_expr(kind).alias("record"))
        theirs = (
            rejects.filter(pl.col("row_number") >= OFFSET)
            .join(keys, on="row_number", how="left")
            .select(pl.lit(FILES[kind].label).alias("file"), "record", "column_name", "value", "reason")
        )
        lost.append(theirs)
        old = current[kind].filter(pl.col("owner") == town_id)
        gone = _removals(kind, old, result.good, theirs, kind in read and read[kind].mode == "replace")
        removals.append(gone)
        if kind not in read:
            continue
        file = read[kind]
        ours = pl.concat([*early_rejects[kind], ours]).sort("row_number", "column_name")
        added, changed = _diff(kind, old, result.good)
        good_from_file = result.good.filter(pl.col(ROW) < OFFSET).height
        files.append(
            FilePreview(
                kind,
                file.name,
                file.mode,
                file.frame,
                file.frame.height,
                good_from_file,
                ours,
                added,
                changed,
                gone.height,
                current_rows=old.height,
                years=sorted(_years(file.frame)) if "year" in FILES[kind].names else [],
                absent=[FILES[kind].column(c).label for c in FILES[kind].names if c not in file.present],
            )
        )
    return Preview(
        town_id,
        town_name,
        files,
        pl.concat(lost).sort("file", "record"),
        staging,
        removals=pl.concat(removals, how="vertical_relaxed"),
        current_rows={k: current[k].filter(pl.col("owner") == town_id).height for k in SUBMITTABLE},
        slice_checked=checked,
    )


def cancel(preview: Preview) -> None:
    shutil.rmtree(preview.staging, ignore_errors=True)


# Publishing --------------------------------------------------------------------------------------


def _standard(con: duckdb.DuckDBPyConnection) -> Standard:
    items = con.sql("select * from criteria").pl()
    bands = con.sql("select * from criteria_bands").pl()
    return Standard(items, bands, Path("（沿用当前仓库的标准）"), Path("（沿用当前仓库的标准）"))


def _history(entry: dict) -> None:
    path = store_dir() / "history.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def live_as_of(db_path: Path) -> dt.date | None:
    """The as-of date of the live warehouse (its latest load's): a submission keeps it."""
    con = _live(Path(db_path))
    try:
        rows = con.execute("select as_of from loads order by loaded_at desc, load_id desc limit 1").fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None


def publishing_refusals(preview: Preview, removals_confirmed: int | None, county: bool) -> list[str]:
    """Why a checked submission may not be published as it stands (empty: it may)."""
    out = preview.refusals()
    gone = preview.removals.height
    if gone and removals_confirmed != gone:
        out.append(
            f"发布将删除{preview.town_name}现有的 {gone} 条记录（见删除清单），需要再次确认。"
            + ("检查之后数据已有变化，请重新检查后再确认。" if removals_confirmed is not None else "")
        )
    large = preview.large_removals()
    if large and not county:
        out.append(
            f"一次删除超过本乡镇同类记录的 {LARGE_REMOVAL_SHARE:.0%} 需要县级账号：{'；'.join(large)}。"
            "如只是补充本月数据，请选“补充修正”；确需整表替换，请联系县委组织部发布。"
        )
    return out


def commit(
    db_path: Path,
    town_id: str,
    staging: Path,
    who: str | None = None,
    as_of: dt.date | None = None,
    removals_confirmed: int | None = None,
    county: bool = False,
) -> str:
    """Publish a checked submission (re-checked under the lock, on the live file as it is then).

    Returns the load id. Refused (LoadRefused, nothing published) when no row of a file can load,
    when it removes rows and `removals_confirmed` is not the number it removes (the second
    confirmation), or when it removes more than LARGE_REMOVAL_SHARE of a kind and not `county`.
    `as_of` defaults to the live warehouse's: a town's submission does not move the county's date.
    The staged files move to the raw store only once the new warehouse is live; if anything
    fails, the live file and the store are as they were.
    """
    db_path = Path(db_path).resolve()
    who = who or login_name()
    with writer_lock(db_path):
        preview = _check_staged(db_path, town_id, staging)  # another town may have published meanwhile
        refusals = publishing_refusals(preview, removals_confirmed, county)
        if refusals:
            raise LoadRefused("".join(refusals))
        as_of = as_of or live_as_of(db_path)
        con = _live(db_path)
        try:
            current = _current(con)
            standard = _standard(con)
        finally:
            con.close()
        checked: dict[str, Checked] = {}
        for kind in LOAD_ORDER:
            others = current[kind].filter(pl.col("owner").ne_missing(town_id)) if kind != "towns" else current[kind]
            others = (
                others.drop("owner").with_row_index(ROW, offset=2 * OFFSET).with_columns(pl.col(ROW).cast(pl.Int64))
            )
            mine = preview.slice_checked[kind].good if kind != "towns" else others.head(0)
            good = pl.concat(
                [others.select(ROW, *FILES[kind].names), mine.select(ROW, *FILES[kind].names)], how="vertical_relaxed"
            )
            file_preview = next((f for f in preview.files if f.kind == kind), None)
            rejects = file_preview.rejects if file_preview else pl.DataFrame(schema=REJECT_SCHEMA)
            name = file_preview.file if file_preview else EXISTING
            read = file_preview.rows_read if file_preview else good.height
            checked[kind] = Checked(kind, name, read, good, rejects)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for path, name in _staged_files(staging)}
        combined = hashlib.sha256("".join(sorted(digests.values())).encode()).hexdigest()
        load_id = f"{now:%Y%m%dT%H%M%S}-{town_id}-{combined[:6]}"
        kept = store_dir() / "towns" / town_id / load_id
        files = [
            {
                "kind": f.kind,
                "file": f.file,
                "mode": f.mode,
                "sha256": digests[f.file],
                "rows_read": f.rows_read,
                "rows_loaded": f.rows_loaded,
                "rows_rejected": f.rows_rejected,
            }
            for f in preview.files
        ]
        load_row = {
            "load_id": load_id,
            "loaded_at": now,
            "as_of": as_of or now.date(),  # a warehouse without a load record: today
            "source_dir": str(kept),
            "files": [{k: v for k, v in f.items() if k != "mode"} for f in files],
            "rows_read": sum(f["rows_read"] for f in files),
            "rows_loaded": sum(f["rows_loaded"] for f in files),
            "rows_rejected": sum(f["rows_rejected"] for f in files),
            "loaded_by": who,
        }
        publish(db_path, checked, standard, load_row)
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), kept)
        manifest = {
            "load_id": load_id,
            "town_id": town_id,
            "who": who,
            "at": now.isoformat(),
            "mode": _staged_mode(kept),
            "removed": preview.removals.height,
            "files": files,
        }
        (kept / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _history(
            {
                "event": "submission",
                **manifest,
                "rows_loaded": load_row["rows_loaded"],
                "rows_rejected": load_row["rows_rejected"],
            }
        )
    return load_id


def _submitted_town(source_dir: str) -> str | None:
    """A submission's load reads from `<store>/towns/<town>/<load_id>`; a full load from a folder."""
    path = Path(source_dir)
    return path.parent.name if path.parent.parent.name == "towns" else None


def history(db_path: Path | None = None) -> list[dict]:
    """Submissions, rollbacks and (given the warehouse) the county's full loads, newest first."""
    path = store_dir() / "history.jsonl"
    entries = (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if path.exists()
        else []
    )
    known = {e.get("load_id") for e in entries}
    if db_path is not None and Path(db_path).is_file():
        con = _live(Path(db_path))
        try:
            loads = con.sql("select * from loads").pl().to_dicts()
        finally:
            con.close()
        entries += [
            {
                "event": "load" if _submitted_town(row["source_dir"]) is None else "submission",
                "load_id": row["load_id"],
                "town_id": _submitted_town(row["source_dir"]),
                "who": row["loaded_by"],
                "at": row["loaded_at"].isoformat(),
                "files": [f for f in row["files"] if f["kind"] not in ("criteria", "criteria_bands")],
            }
            for row in loads
            if row["load_id"] not in known
        ]
    return sorted(entries, key=lambda e: str(e["at"]), reverse=True)


def available_versions(db_path: Path) -> list[str]:
    kept = versions_dir(Path(db_path).resolve())
    return sorted((p.stem for p in kept.glob("*.duckdb")), reverse=True) if kept.is_dir() else []


def rollback(db_path: Path, load_id: str, who: str | None = None) -> None:
    """Make the warehouse published by `load_id` live again (atomically); later loads stay kept."""
    db_path = Path(db_path).resolve()
    source = versions_dir(db_path) / f"{Path(load_id).name}.duckdb"
    if not source.is_file():
        kept = "、".join(available_versions(db_path)[:10]) or "无"
        raise LoadRefused(f"没有保留装载“{load_id}”的仓库版本（保留的版本：{kept}）。")
    with writer_lock(db_path):
        restore_version(db_path, load_id)  # checks the kept file, then swaps it in durably
        _history(
            {"event": "rollback", "to": load_id, "who": who or login_name(), "at": dt.datetime.now(dt.UTC).isoformat()}
        )


# Rejects back to the clerk -----------------------------------------------------------------------


def rejects_workbook(preview: FilePreview) -> bytes:
    """The rejected rows in the template's own layout, as typed, with 问题说明 beside each row.

    The cells at fault are filled red. The clerk fixes them in Excel or WPS and uploads this file
    again: its 问题说明 column makes it a correction (rows added or updated by key, none removed).
    """
    import io

    import xlsxwriter

    spec = FILES[preview.kind]
    by_row: dict[int, list[tuple[str, str]]] = {}
    for r in preview.rejects.iter_rows(named=True):
        by_row.setdefault(r["row_number"], []).append((r["column_name"], r["reason"]))
    rows = preview.raw.filter(pl.col(ROW).is_in(list(by_row))).sort(ROW)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#F6F1EC", "border": 1})
    text = book.add_format({"num_format": "@"})
    bad = book.add_format({"num_format": "@", "bg_color": "#F9D0D0"})
    note = book.add_format({"font_color": "#9C0006", "text_wrap": True})
    sheet = book.add_worksheet(spec.label)
    labels = [c.label for c in spec.columns]
    sheet.write_row(0, 0, [*labels, NOTE_COLUMN, "原行号"], head)
    for i, column in enumerate(spec.columns):
        sheet.set_column(i, i, max(12, len(column.label) * 2 + 4), text)
    sheet.set_column(len(labels), len(labels), 60, note)
    for r, row in enumerate(rows.iter_rows(named=True), start=1):
        problems = by_row[row[ROW]]
        faulty = {name.rsplit("(", 1)[-1].rstrip(")") for name, _ in problems}
        for c, column in enumerate(spec.columns):
            # `value` of a reject is the cell as typed; written back as text so Excel keeps 0012, dates as typed
            sheet.write_string(r, c, row[column.name] or "", bad if column.name in faulty else text)
        sheet.write_string(r, len(labels), "；".join(f"{name.split('(')[0]}：{reason}" for name, reason in problems))
        sheet.write_number(r, len(labels) + 1, row[ROW])
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
