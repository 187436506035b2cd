"""`python -m etl export`: the Parquet lake (etl/export.py). No Spark here: the files are read back
with DuckDB. Expected counts are the tiny fixture's (tests/fixtures/tiny/README.md): 2 towns,
6 organisations, 6 members, 12 pledges (P1–P12: 7 + 2 in 2024 for 东关镇 and 西湖乡, 3 in 2025),
5 awards (4 in 2024, A5 in 2025), 2 assessments (2024)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main as etl_main
from etl.export import export, partition_value, read_manifests, verify
from etl.load import SCHEMA_VERSION, SQL_DIR, load
from tests.lake_helpers import tiny_county, union_folder

AS_OF = dt.date(2025, 11, 20)


@pytest.fixture
def tiny_lake(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "a.duckdb"
    load(tiny_county(tmp_path / "a"), db, as_of=AS_OF)
    lake = tmp_path / "lake"
    export(db, lake)
    return db, lake


def _undigested(path: str, lake: Path) -> str:
    """`…/part-0-<16 hex>.parquet` as `…/part-0.parquet`, after checking that the 16 hex digits are
    the start of the file's SHA-256 (a file's name carries its content: etl/export.py)."""
    folder, _, name = path.rpartition("/")
    stem, _, digest = name.removesuffix(".parquet").rpartition("-")
    assert hashlib.sha256((lake / path).read_bytes()).hexdigest()[:16] == digest, path
    return f"{folder}/{stem}.parquet"


def _one(lake: Path, folder: str) -> Path:
    (path,) = (lake / folder).glob("part-0-*.parquet")
    return path


def _files(lake: Path) -> dict[str, str]:
    return {
        p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def test_tables_are_partitioned_by_year_where_they_have_one_and_by_county_otherwise(tiny_lake):
    _, lake = tiny_lake
    folders = {_undigested(p.relative_to(lake).as_posix(), lake) for p in lake.rglob("*.parquet")}
    assert "pledges/year=2024/county=示范县/part-0.parquet" in folders
    assert "pledges/year=2025/county=示范县/part-0.parquet" in folders
    assert "assessments/year=2024/county=示范县/part-0.parquet" in folders
    assert not any(f.startswith("assessments/year=2025") for f in folders)  # no assessment in 2025
    for table in ("towns", "orgs", "members", "criteria", "criteria_bands", "branch_types", "indicators", "loads"):
        assert f"{table}/county=示范县/part-0.parquet" in folders
    assert not any(p.name.startswith(".staging") for p in lake.iterdir())


def test_rows_and_types_survive_the_trip(tiny_lake):
    _, lake = tiny_lake
    con = duckdb.connect()
    pledges = con.sql(f"select * from read_parquet('{lake}/pledges/*/*/*.parquet', hive_partitioning = true)")
    types = dict(zip(pledges.columns, (str(t) for t in pledges.types), strict=True))
    # the file keeps the warehouse's types; year and county come back from the folder names
    assert types["pledged_on"] == "DATE" and types["check_opinions"] == "BOOLEAN"
    assert types["pledge_id"] == "VARCHAR"
    file_types = dict(
        con.execute(
            "select name, type from parquet_schema(?) where name <> 'duckdb_schema'",
            [str(_one(lake, "pledges/year=2024/county=示范县"))],
        ).fetchall()
    )
    assert "year" not in file_types  # a partition column lives in the path only
    assert file_types["pledged_on"] == "INT32"  # Parquet's DATE is an INT32 of days
    counts = con.execute(
        f"select year, count(*) from read_parquet('{lake}/pledges/*/*/*.parquet', hive_partitioning = true) "
        "group by year order by year"
    ).fetchall()
    assert counts == [(2024, 9), (2025, 3)]
    members = con.execute(
        f"select is_committee, joined_on from read_parquet('{lake}/members/*/*.parquet') where member_id = 'M1'"
    ).fetchall()
    assert members == [(True, dt.date(2000, 7, 1))]
    assessments = con.execute(
        f"select violations, survey_satisfied from read_parquet('{lake}/assessments/*/*/*.parquet') where org_id = 'O1'"
    ).fetchall()
    assert assessments == [(0, 80)]


def test_the_manifest_names_the_load_the_files_and_their_rows(tiny_lake):
    db, lake = tiny_lake
    (manifest,) = read_manifests(lake)
    con = duckdb.connect(str(db), read_only=True)
    (load_id,) = con.execute("select load_id from loads").fetchone()
    con.close()
    assert manifest["load_id"] == load_id
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["county"] == "示范县" and manifest["towns"] == ["T1", "T2"]
    assert manifest["as_of"] == "2025-11-20"
    rows = {t: e["rows"] for t, e in manifest["tables"].items()}
    assert rows["towns"] == 2 and rows["orgs"] == 6 and rows["members"] == 6
    assert rows["pledges"] == 12 and rows["awards"] == 5 and rows["assessments"] == 2
    assert rows["branch_types"] == 6 and rows["vanguard_kinds"] == 6 and rows["loads"] == 1
    pledges = manifest["tables"]["pledges"]
    assert pledges["partition_by"] == ["year", "county"]
    assert {_undigested(f["path"], lake): f["rows"] for f in pledges["files"]} == {
        "pledges/year=2024/county=示范县/part-0.parquet": 9,
        "pledges/year=2025/county=示范县/part-0.parquet": 3,
    }
    assert {c["name"]: c["type"] for c in pledges["columns"]}["year"] == "INTEGER"
    assert verify(lake) == []
    damaged = _one(lake, "pledges/year=2024/county=示范县")
    damaged.write_bytes(b"not parquet")
    assert verify(lake) == [f"示范县：文件 {damaged.relative_to(lake).as_posix()} 的校验和与清单不符"]


def test_exporting_the_same_load_again_changes_nothing(tiny_lake):
    db, lake = tiny_lake
    before = _files(lake)
    export(db, lake)
    assert _files(lake) == before


def test_a_move_that_fails_midway_leaves_the_county_as_it_was(tiny_lake, tmp_path, monkeypatch):
    # A new load, exported; the third of its folders cannot be moved into the lake (a full disk, say):
    # the county keeps its old files and manifest, nothing half new, no staging folder left behind.
    db, lake = tiny_lake
    before = _files(lake)
    load(tiny_county(tmp_path / "a2"), db, as_of=dt.date(2025, 6, 30))
    real_rename, moved = Path.rename, []

    def rename(self, target):
        if "/out/" in self.as_posix():
            moved.append(self)
            if len(moved) == 3:
                raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        export(db, lake)
    assert len(moved) == 3
    assert _files(lake) == before
    assert [m["as_of"] for m in read_manifests(lake)] == [AS_OF.isoformat()]
    assert verify(lake) == []
    assert not list(lake.glob(".staging-*"))


def test_a_second_county_lands_beside_the_first_and_a_reexport_leaves_it_alone(tiny_lake, tmp_path):
    db_a, lake = tiny_lake
    db_b = tmp_path / "b.duckdb"
    load(tiny_county(tmp_path / "b", "B", "第二县"), db_b, as_of=AS_OF)
    export(db_b, lake)
    second = {k: v for k, v in _files(lake).items() if "第二县" in k}
    parquet = {_undigested(k, lake) for k in second if k.endswith(".parquet")}
    assert "pledges/year=2024/county=第二县/part-0.parquet" in parquet
    assert sorted(m["county"] for m in read_manifests(lake)) == sorted(["示范县", "第二县"])
    load(tiny_county(tmp_path / "a2"), db_a, as_of=dt.date(2025, 6, 30))  # the first county loads again
    export(db_a, lake)
    assert {k: v for k, v in _files(lake).items() if "第二县" in k} == second
    assert {m["county"]: m["as_of"] for m in read_manifests(lake)} == {"示范县": "2025-06-30", "第二县": "2025-11-20"}
    assert verify(lake) == []


def test_a_load_of_two_counties_is_written_as_two_county_partitions(tmp_path):
    a, b = tiny_county(tmp_path / "a"), tiny_county(tmp_path / "b", "B", "第二县")
    db = tmp_path / "both.duckdb"
    load(union_folder(tmp_path / "both", a, b), db, as_of=AS_OF)
    lake = tmp_path / "lake"
    export(db, lake)
    manifests = {m["county"]: m for m in read_manifests(lake)}
    assert manifests["示范县"]["towns"] == ["T1", "T2"] and manifests["第二县"]["towns"] == ["BT1", "BT2"]
    assert manifests["示范县"]["tables"]["pledges"]["rows"] == 12 == manifests["第二县"]["tables"]["pledges"]["rows"]
    # the load's tables go to both, identical, so the two counties share one context
    assert manifests["示范县"]["context"] == manifests["第二县"]["context"]
    assert manifests["示范县"]["tables"]["criteria"]["rows"] == manifests["第二县"]["tables"]["criteria"]["rows"] == 13


def test_folder_names_escape_what_spark_escapes():
    assert partition_value("示范县") == "示范县"
    assert partition_value("a/b=c%d") == "a%2Fb%3Dc%25d"
    assert partition_value("x:y?") == "x%3Ay%3F"


def test_cli_exports_and_refuses_a_missing_warehouse(tiny_lake, tmp_path, capsys):
    db, _ = tiny_lake
    assert etl_main(["export", "--lake", str(tmp_path / "cli"), "--db", str(db)]) == 0
    assert "已导出装载" in capsys.readouterr().out
    assert etl_main(["export", "--lake", str(tmp_path / "cli"), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "找不到仓库文件" in capsys.readouterr().err
    assert json.loads((tmp_path / "cli" / "_manifests" / "county=示范县.json").read_text())["county"] == "示范县"


def test_the_lake_holds_everything_the_views_need(tmp_path):
    """DuckDB computing the views from the lake alone (bench/spark.py's DuckDB side) gives the
    warehouse's marts again; a lake of one of two counties (bench's sublake) gives that county's."""
    from analytics.spark_compare import compare_warehouses
    from bench.spark import duckdb_marts, sublake

    a, b = tiny_county(tmp_path / "a"), tiny_county(tmp_path / "b", "B", "第二县")
    lake = tmp_path / "lake"
    for name, folder in (("a", a), ("b", b)):
        load(folder, tmp_path / f"{name}.duckdb", as_of=AS_OF)
        export(tmp_path / f"{name}.duckdb", lake)
    only_b = sublake(lake, [m for m in read_manifests(lake) if m["county"] == "第二县"], tmp_path / "only_b")
    assert duckdb_marts(only_b, tmp_path / "from_lake.duckdb") > 0
    differences = compare_warehouses(tmp_path / "b.duckdb", tmp_path / "from_lake.duckdb")
    materialised = {
        p.stem for p in (SQL_DIR / "views").glob("*.sql") if "-- materialise: yes" in p.read_text(encoding="utf-8")
    }
    assert {d.view for d in differences} == materialised
    assert all(d.equal for d in differences), [d for d in differences if not d.equal]


def test_pyspark_is_loaded_only_when_spark_runs():
    """The app and the analytics CLI import analytics.spark's neighbours; pyspark (a JVM and 400 MB)
    comes in only when `python -m analytics spark` starts a session."""
    import subprocess
    import sys

    code = (
        "import sys, analytics.__main__, analytics.spark, analytics.spark_sql, analytics.spark_compare, etl.marts; "
        "print('pyspark' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def _listed(lake: Path) -> set[str]:
    return {f["path"] for m in read_manifests(lake) for t in m["tables"].values() for f in t["files"]}


@pytest.mark.parametrize(
    ("step", "as_of"), [("export-before-manifest", "2025-11-20"), ("export-before-removal", "2025-06-30")]
)
def test_an_export_killed_anywhere_leaves_the_county_whole_and_the_next_export_tidies(tiny_lake, tmp_path, step, as_of):
    # A new load (as of 30 June) exported over the old one (20 November); the process ends at once
    # (no clean-up, as a kill) after its files are in the lake but before the manifest, or after
    # the manifest but before the old files go: the county is the old or the new load, whole.
    import os
    import subprocess
    import sys

    db, lake = tiny_lake
    load(tiny_county(tmp_path / "a2"), db, as_of=dt.date(2025, 6, 30))
    env = {**os.environ, "ETL_FAULT_AT": step, "ETL_FAULT_ACTION": "exit"}
    args = [sys.executable, "-m", "etl", "export", "--lake", str(lake), "--db", str(db)]
    assert subprocess.run(args, env=env, cwd=Path(__file__).parents[1], capture_output=True).returncode == 70
    assert [m["as_of"] for m in read_manifests(lake)] == [as_of]
    assert verify(lake) == []  # every file the manifest lists is there, with its bytes
    (manifest,) = read_manifests(lake)
    pledges = [str(lake / f["path"]) for f in manifest["tables"]["pledges"]["files"]]
    assert duckdb.connect().execute("select count(*) from read_parquet(?)", [pledges]).fetchone() == (12,)
    on_disk = {p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet")}
    assert on_disk > _listed(lake)  # the other load's files lie there unlisted (read by no one)
    assert list(lake.glob(".staging-*"))

    export(db, lake)
    assert [m["as_of"] for m in read_manifests(lake)] == ["2025-06-30"]
    assert {p.relative_to(lake).as_posix() for p in lake.rglob("*.parquet")} == _listed(lake)
    assert not list(lake.glob(".staging-*"))
    assert verify(lake) == []
