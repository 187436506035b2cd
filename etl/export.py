"""Export a published warehouse to a Parquet lake, county by county, for Spark (`python -m etl export`).

The lake holds the cleaned, typed base tables, the code lists and the demonstration standard of
every export, in hive layout:

    LAKE/pledges/year=2025/county=示范县/part-0.parquet      tables with a `year`
    LAKE/orgs/county=示范县/part-0.parquet                   every other table
    LAKE/_manifests/county=示范县.json                        one manifest per county

**The county key.** The data model has no county code: a town names its county in
`towns.county_name` (所属县), every organisation belongs to a town, and every member, pledge, award
and assessment to an organisation. So the key of a row is the `county_name` of its town, reached
through `orgs.town_id` (members, pledges, awards and assessments through `org_id`). The code lists,
the standard (`criteria`, `criteria_bands`) and the load history (`loads`) belong to the load, not
to a row: each county's partition carries its own copy, so a county exported alone is complete and
a county's own standard travels with it. A warehouse spanning several counties (a city or province
load) is written as one partition per county; a province is the union of its counties' exports.

**Idempotent, side by side, never absent.** Every file is written in a staging folder first
(ignored by Spark: it starts with a dot), rows in key order on one thread, so the same load gives
the same bytes. A file's name carries the start of its SHA-256 (`part-0-<16 hex>.parquet`), so a
new file never takes the name of an old one with other bytes: the new files are moved in beside the
old ones, then the county's manifest is replaced (atomically, synced): that is the moment the
county changes, from all old to all new; then the county's files its manifest does not list are
removed. Readers read the files the manifest lists, never the folder, so a kill or a full disk at
any point leaves every county readable, old or new; a killed export's staging folder is removed by
the next export of the lake, the files it moved in by the next export of their county. A Spark run
that read a manifest before the county changed may still miss the old files removed after it (the
run fails and is run again; nothing is lost). Exports of one lake take turns (a lock file).
Folders of other counties are never touched; tables with a year are also split by county under the
year, so two counties' exports never write into one folder.

Folder names escape the characters Hive and Spark escape (`/`, `=`, `%`, `:` …) as `%XX`; Chinese
names stay readable. Spark decodes them back.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.load import SCHEMA_VERSION, fault_point, fsync_path, sha256
from etl.readers import LoadRefused

LAKE_FORMAT = 1
MANIFESTS = "_manifests"

# Every table of the lake, with the SQL that gives each row its county (`county` column). Rows of
# the six input tables find their county through their town; the rest are the load's, copied to
# every county of the export (`cross join` with the export's counties).
_ORG_COUNTY = "inner join orgs as o on o.org_id = x.org_id inner join towns as t on t.town_id = o.town_id"
ROW_TABLES: dict[str, str] = {
    "towns": "towns as x inner join towns as t on t.town_id = x.town_id",
    "orgs": "orgs as x inner join towns as t on t.town_id = x.town_id",
    "members": f"members as x {_ORG_COUNTY}",
    "pledges": f"pledges as x {_ORG_COUNTY}",
    "awards": f"awards as x {_ORG_COUNTY}",
    "assessments": f"assessments as x {_ORG_COUNTY}",
}
LOAD_TABLES = (
    "branch_types",
    "org_levels",
    "vanguard_kinds",
    "indicators",
    "criteria",
    "criteria_bands",
    "loads",
)
# What makes two counties' figures computable together: the same as-of date, the same standard
# and the same code lists (Spark computes each such group of counties as one warehouse would).
CONTEXT_TABLES = ("branch_types", "org_levels", "vanguard_kinds", "indicators", "criteria", "criteria_bands")

# Characters Hive and Spark escape in partition folder names (ExternalCatalogUtils.escapePathName).
_ESCAPED = {chr(c) for c in range(0x20)} | set("\"#%'*/:=?\\{[]^") | {"\x7f"}


def partition_value(value: str) -> str:
    """A county name as a folder name, escaped as Spark escapes it (and decodes it on reading)."""
    return "".join(f"%{ord(ch):02X}" if ch in _ESCAPED else ch for ch in value)


@dataclass
class ExportResult:
    lake: Path
    load_id: str
    counties: list[str]
    rows: dict[str, int]

    def summary(self) -> str:
        lines = [f"已导出装载 {self.load_id} 到 {self.lake}：{'、'.join(self.counties)}", "表\t行数"]
        lines += [f"{table}\t{rows}" for table, rows in self.rows.items()]
        return "\n".join(lines)


def export(db_path: Path, lake: Path) -> ExportResult:
    """Write the warehouse's tables into the lake, one partition per county; see the module doc."""
    db_path, lake = Path(db_path), Path(lake)
    if not db_path.is_file():
        raise LoadRefused(f"找不到仓库文件“{db_path}”。")
    lake.mkdir(parents=True, exist_ok=True)
    with _export_lock(lake):
        for stale in lake.glob(".staging-*"):  # a killed export's: no export runs but this one
            shutil.rmtree(stale, ignore_errors=True)
        staging = lake / f".staging-{os.getpid()}"
        staging.mkdir()
        try:
            return _export(db_path, lake, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _export_lock(lake: Path) -> Iterator[None]:
    """One export of a lake at a time: a second one waits (the lock goes with a killed process)."""
    with (lake / ".export.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export(db_path: Path, lake: Path, staging: Path) -> ExportResult:
    con = duckdb.connect(str(db_path), read_only=True, config={"threads": 1})  # one thread: same bytes each time
    try:
        info = _warehouse_info(con)
        counties = [r[0] for r in con.execute("select distinct county_name from towns order by 1").fetchall()]
        if not counties:
            raise LoadRefused("仓库中没有乡镇，无可导出的数据。")
        con.execute(
            "create temp table export_counties as select * from unnest(?) with ordinality as c(county, k)", [counties]
        ).fetchall()
        files: dict[str, dict[str, list[dict]]] = {c: {} for c in counties}
        columns: dict[str, list[dict]] = {}
        for table in (*ROW_TABLES, *LOAD_TABLES):
            columns[table] = _columns(con, table)
            for county, entry in _write_table(con, table, staging).items():
                files[county].setdefault(table, []).extend(entry)
        towns = _towns_by_county(con)
    finally:
        con.close()
    for county in counties:
        _move_in(lake, staging / "out", files[county])
        fault_point("export-before-manifest")
        _write_manifest(lake, county, info, towns[county], columns, files[county])
        fault_point("export-before-removal")
        _remove_unlisted(lake, county, files[county])
    rows = {t: sum(f["rows"] for c in counties for f in files[c].get(t, [])) for t in columns}
    return ExportResult(lake, info["load_id"], counties, rows)


def _warehouse_info(con: duckdb.DuckDBPyConnection) -> dict:
    try:
        (version,) = con.execute("select max(schema_version) from warehouse_info").fetchone()
        load_id, as_of, loaded_at = con.execute(
            "select load_id, as_of, loaded_at from loads order by loaded_at desc, load_id desc limit 1"
        ).fetchone()
    except (duckdb.Error, TypeError) as problem:
        raise LoadRefused("仓库文件不完整（缺少装载记录或结构版本），请先重新装载。") from problem
    if version != SCHEMA_VERSION:
        raise LoadRefused(f"仓库结构版本为 {version}，本程序为 {SCHEMA_VERSION}：请先用本版本重新装载，再导出。")
    return {"schema_version": version, "load_id": load_id, "as_of": as_of.isoformat(), "loaded_at": str(loaded_at)}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    return [{"name": r[0], "type": r[1]} for r in con.execute(f"describe {table}").fetchall()]


def _write_table(con: duckdb.DuckDBPyConnection, table: str, staging: Path) -> dict[str, list[dict]]:
    """COPY the table's rows, each with its county's number, into staging (partitioned by year and
    county number); returns each county's files with their row counts and checksums."""
    names = [c["name"] for c in _columns(con, table)]
    has_year = "year" in names
    select = ", ".join(f"x.{n}" for n in names)
    if table in ROW_TABLES:
        source = f"{ROW_TABLES[table]} inner join export_counties as ec on ec.county = t.county_name"
    else:
        source = f"{table} as x cross join export_counties as ec"
    order = ", ".join(f"x.{n}" for n in names if not n.startswith("files"))  # key order: same bytes each time
    partition = "year, county_k" if has_year else "county_k"
    target = staging / table
    # `table` is one of this module's own names; the target path is ours too (COPY takes no parameters).
    con.execute(
        f"copy (select {select}, ec.k as county_k from {source} order by ec.k, {order}) to '{target}' "
        f"(format parquet, partition_by ({partition}), compression zstd, filename_pattern 'part-{{i}}')"
    ).fetchall()
    by_k = {k: county for county, k in con.execute("select county, k from export_counties").fetchall()}
    found: dict[str, list[dict]] = {}
    for path in sorted(target.rglob("*.parquet")) if target.exists() else []:
        parts = dict(p.split("=", 1) for p in path.relative_to(target).parts[:-1])
        county = by_k[int(parts["county_k"])]
        year = parts.get("year")
        (rows,) = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
        digest = sha256(path)
        name = f"{path.stem}-{digest[:16]}{path.suffix}"  # another content, another name (module doc)
        final = Path(table, *([f"year={year}"] if year else []), f"county={partition_value(county)}", name)
        staged = staging / "out" / final
        staged.parent.mkdir(parents=True, exist_ok=True)
        path.rename(staged)
        found.setdefault(county, []).append({"path": final.as_posix(), "rows": rows, "sha256": digest})
    return found


def _towns_by_county(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute("select county_name, list(town_id order by town_id) from towns group by 1").fetchall()
    return dict(rows)


def _county_files(lake: Path, county: str) -> list[Path]:
    """Every file in the lake's folders of one county: `table/[year=Y/]county=C/*`."""
    name = f"county={partition_value(county)}"
    folders = sorted(lake.glob(f"*/{name}")) + sorted(lake.glob(f"*/year=*/{name}"))
    return [f for folder in folders for f in sorted(folder.iterdir()) if f.is_file()]


def _move_in(lake: Path, out: Path, files: dict[str, list[dict]]) -> None:
    """Move a county's staged files into the lake beside the files its manifest lists now.

    Nothing a manifest lists is replaced by other bytes (a name carries its content's digest), so
    the county reads as before until its manifest changes. Should a move fail (a full disk, a
    permission), the files this export added are taken out again and the error goes on.
    """
    added: list[Path] = []
    try:
        for entry in (f for table_files in files.values() for f in table_files):
            target = lake / entry["path"]
            existed = target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            (out / entry["path"]).rename(target)
            if not existed:
                added.append(target)
            fsync_path(target)  # on disk before the manifest that lists it
        # every folder that got a new entry, up to the lake: a new `year=`/`county=` folder too
        for folder in {p for target in added for p in target.parents if p != lake and lake in p.parents} | {lake}:
            fsync_path(folder)
    except OSError:
        for target in added:
            target.unlink(missing_ok=True)
        raise


def _remove_unlisted(lake: Path, county: str, files: dict[str, list[dict]]) -> None:
    """After the manifest changed: the county's files it does not list (the last export's, a killed
    export's), and the folders left empty."""
    listed = {lake / f["path"] for table_files in files.values() for f in table_files}
    for path in _county_files(lake, county):
        if path not in listed:
            path.unlink(missing_ok=True)
            folders = [path.parent] + ([path.parent.parent] if path.parent.parent.name.startswith("year=") else [])
            for folder in folders:
                with suppress(OSError):  # not empty: files still listed, or another county's year
                    folder.rmdir()


def manifest_path(lake: Path, county: str) -> Path:
    return lake / MANIFESTS / f"county={partition_value(county)}.json"


def _write_manifest(
    lake: Path, county: str, info: dict, towns: list[str], columns: dict[str, list[dict]], files: dict[str, list[dict]]
) -> None:
    context = hashlib.sha256(info["as_of"].encode())
    for table in CONTEXT_TABLES:
        for f in files.get(table, []):
            context.update(f["sha256"].encode())
    manifest = {
        "lake_format": LAKE_FORMAT,
        "schema_version": info["schema_version"],
        "county": county,
        "load_id": info["load_id"],
        "loaded_at": info["loaded_at"],
        "as_of": info["as_of"],
        "context": context.hexdigest()[:16],
        "towns": towns,
        "tables": {
            table: {
                "partition_by": ["year", "county"] if any(c["name"] == "year" for c in cols) else ["county"],
                "columns": cols,
                "rows": sum(f["rows"] for f in files.get(table, [])),
                "files": files.get(table, []),
            }
            for table, cols in columns.items()
        },
    }
    path = manifest_path(lake, county)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    fsync_path(tmp)  # the manifest is the moment the county changes: its bytes on disk before its name
    os.replace(tmp, path)
    fsync_path(path.parent)


def read_manifests(lake: Path) -> list[dict]:
    """Every county's manifest in the lake, in county order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((Path(lake) / MANIFESTS).glob("*.json"))]


def verify(lake: Path) -> list[str]:
    """Problems with the lake's files against the manifests (missing file, other bytes); empty if none."""
    problems = []
    for manifest in read_manifests(lake):
        for table, entry in manifest["tables"].items():
            for f in entry["files"]:
                path = Path(lake) / f["path"]
                if not path.is_file():
                    problems.append(f"{manifest['county']}：缺少文件 {f['path']}（表 {table}）")
                elif sha256(path) != f["sha256"]:
                    problems.append(f"{manifest['county']}：文件 {f['path']} 的校验和与清单不符")
    return problems
