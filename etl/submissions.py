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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl.contract import FILES, LOAD_ORDER
from etl.criteria import Standard
from etl.load import ROOT, SQL_DIR, login_name, publish, restore_version, versions_dir, writer_lock
from etl.normalise import clean_text
from etl.readers import HEADER_SCAN_ROWS, ROW, LoadRefused, detect_encoding, read_table
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

    @property
    def label(self) -> str:
        return FILES[self.kind].label

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].n_unique()


@dataclass
class Preview:
    town_id: str
    town_name: str
    files: list[FilePreview]
    lost: pl.DataFrame  # current rows of the town that would no longer load: file, record (key), column, value, reason
    staging: Path
    slice_checked: dict[str, Checked] = field(repr=False, default_factory=dict)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)


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
                raise LoadRefused(f"文件“{name}”有 {len(upload.data) >> 20} MB，超过上限 {MAX_UPLOAD_BYTES >> 20} MB。")
            # Our own name on disk: a clerk's file name never becomes a path.
            (staging / f"{i:02d}{suffix}").write_bytes(upload.data)
            (staging / f"{i:02d}.name").write_text(name, encoding="utf-8")
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _recognise(path: Path, name: str) -> tuple[str, pl.DataFrame]:
    """Which template a file follows, by its header (the name may be anything)."""
    found = []
    for kind in SUBMITTABLE:
        try:
            frame = read_table(path, FILES[kind])
        except LoadRefused as refused:
            if "缺少必需的列" in str(refused) or "找不到表头" in str(refused):
                continue
            raise LoadRefused(str(refused).replace(path.name, name)) from refused
        filled = sum(frame[c].null_count() < frame.height for c in FILES[kind].names)
        found.append((filled, kind, frame))
    if not found:
        if _looks_like(path, FILES["towns"]):
            raise LoadRefused(f"文件“{name}”是乡镇名单：乡镇名单由县委组织部维护，不随乡镇数据提交。")
        labels = "、".join(FILES[k].label for k in SUBMITTABLE)
        raise LoadRefused(f"文件“{name}”的表头与任何模板都不符（可提交：{labels}），请使用下载的模板。")
    _, kind, frame = max(found, key=lambda f: f[0])
    return kind, frame


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
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(book.worksheets[0].iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True))
        finally:
            book.close()
    else:
        import csv
        import io

        text = path.read_bytes()[: 64 * 1024].decode(detect_encoding(path), errors="ignore").lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SCAN_ROWS]))))
    headers = {c.label for c in FILES[kind].columns} | set(FILES[kind].names)

    def is_header(row) -> bool:
        cells = {str(c).strip() for c in row if c is not None}
        return NOTE_COLUMN in cells and len(cells & headers) >= 2

    return any(is_header(row) for row in rows)


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


def _diff(kind: str, old: pl.DataFrame, new: pl.DataFrame) -> tuple[int, int, int]:
    """(added, changed, removed) rows of one kind, matched by key, comparing every contract column."""
    key, names = list(FILES[kind].key), FILES[kind].names
    old, new = old.select(names), new.select(names)
    added = new.join(old, on=key, how="anti").height
    removed = old.join(new, on=key, how="anti").height
    both = new.join(old, on=key, how="inner", suffix="__old")
    others = [c for c in names if c not in key]
    changed = both.filter(pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}__old")) for c in others)).height
    return added, changed, removed


def prepare(db_path: Path, town_id: str, uploads: list[Upload]) -> Preview:
    """Check a town's files against the live warehouse; nothing is published. LoadRefused for unusable files."""
    if not uploads:
        raise LoadRefused("请先选择要提交的文件。")
    staging = _stage(uploads)
    try:
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


def _check_staged(db_path: Path, town_id: str, staging: Path) -> Preview:
    con = _live(db_path)
    try:
        current = _current(con)
    finally:
        con.close()
    towns = current["towns"]
    names = dict(zip(towns["town_id"], towns["town_name"], strict=True))
    if town_id not in names:
        raise LoadRefused(f"仓库中没有乡镇编码为“{town_id}”的乡镇。")
    town_name = names[town_id]
    read: dict[str, tuple[str, str, pl.DataFrame]] = {}
    for path, name in _staged_files(staging):
        kind, frame = _recognise(path, name)
        if kind in read:
            raise LoadRefused(
                f"“{FILES[kind].label}”有两个文件：“{read[kind][0]}”和“{name}”。每类数据一次只交一个文件。"
            )
        read[kind] = (name, "merge" if _has_note_column(path, kind) else "replace", frame)

    # Whose organisation is whose, after this submission.
    orgs_of = dict(zip(current["orgs"]["org_id"], current["orgs"]["owner"], strict=True))
    if "orgs" in read:
        submitted = read["orgs"][2]
        for org, town in zip(_clean(submitted, "org_id"), _clean(submitted, "town_id"), strict=True):
            if org is not None and orgs_of.get(org, town_id) == town_id and town == town_id:
                orgs_of[org] = town_id

    raw: dict[str, pl.DataFrame] = {"towns": _as_raw("towns", towns, OFFSET)}
    early_rejects: dict[str, list[pl.DataFrame]] = {k: [] for k in SUBMITTABLE}
    for kind in SUBMITTABLE:
        mine = current[kind].filter(pl.col("owner") == town_id)
        theirs = current[kind].filter(pl.col("owner").ne_missing(town_id))
        existing = _as_raw(kind, mine, OFFSET)
        if kind not in read:
            raw[kind] = existing
            continue
        name, mode, frame = read[kind]
        frame, foreign = _foreign_rows(kind, frame, town_id, town_name, orgs_of, names, name)
        frame, taken = _taken_keys(kind, frame, _key_text(kind, _as_raw(kind, theirs, 0)), name)
        early_rejects[kind] += [foreign, taken]
        if mode == "merge":  # rows not in the file stay as they are
            kept = existing.filter(~_key_text(kind, existing).is_in(_key_text(kind, frame).implode()))
            frame = pl.concat([frame, kept])
        raw[kind] = frame

    raw_ids = {kind: raw[kind][FILES[kind].key[0]].drop_nulls() for kind in raw}
    checked: dict[str, Checked] = {}
    for kind in LOAD_ORDER:
        checked[kind] = check(kind, raw[kind], read.get(kind, (EXISTING,))[0], checked, raw_ids)

    files, lost = [], []
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
        if kind not in read:
            continue
        name, mode, frame = read[kind]
        ours = pl.concat([*early_rejects[kind], ours]).sort("row_number", "column_name")
        old = current[kind].filter(pl.col("owner") == town_id)
        added, changed, removed = _diff(kind, old, result.good)
        good_from_file = result.good.filter(pl.col(ROW) < OFFSET).height
        files.append(
            FilePreview(
                kind, name, mode, read[kind][2], read[kind][2].height, good_from_file, ours, added, changed, removed
            )
        )
    return Preview(town_id, town_name, files, pl.concat(lost).sort("file", "record"), staging, slice_checked=checked)


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


def commit(db_path: Path, town_id: str, staging: Path, who: str | None = None, as_of: dt.date | None = None) -> str:
    """Publish a checked submission (re-checked under the lock, on the live file as it is then).

    Returns the load id. The staged files move to the raw store only once the new warehouse is live;
    if anything fails, the live file and the store are as they were.
    """
    db_path = Path(db_path).resolve()
    who = who or login_name()
    with writer_lock(db_path):
        preview = _check_staged(db_path, town_id, staging)  # another town may have published meanwhile
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
            "as_of": as_of or now.date(),
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
        manifest = {"load_id": load_id, "town_id": town_id, "who": who, "at": now.isoformat(), "files": files}
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
