"""The metrics on Spark (analytics/spark.py, analytics/spark_sql.py) against DuckDB, and a load
that takes its marts from Spark (etl load --marts).

One Spark session (one JVM, local[2]) for the module; `--dist loadgroup` (Makefile) keeps every
test of the module on one xdist worker so it is started once. Expected values of the rewrite tests
are worked out by hand beside each; the equality tests compare whatever sql/views holds at run
time, every materialised view, row for row (analytics/spark_compare.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from analytics.__main__ import main as analytics_main
from analytics.spark import LakeUnusable, groups_of, run, session
from analytics.spark_compare import compare_warehouses, compare_with_warehouse
from analytics.spark_sql import SQL_DIR, directive, read_macros, transpile
from etl.export import export, read_manifests
from etl.load import load
from etl.readers import LoadRefused
from tests.lake_helpers import tiny_county, union_folder

pytestmark = [pytest.mark.xdist_group("spark"), pytest.mark.timeout(900)]

AS_OF = dt.date(2025, 11, 20)
EARLIER = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def spark():
    with session("local[2]") as started:
        yield started


def _materialised_views() -> set[str]:
    return {
        p.stem
        for p in (SQL_DIR / "views").glob("*.sql")
        if directive(p.read_text(encoding="utf-8"), "materialise") == "yes"
    }


def _rows(spark, sql: str) -> list[tuple]:
    return [tuple(r) for r in spark.sql(transpile(sql)).collect()]


def _duckdb_rows(sql: str) -> list[tuple]:
    con = duckdb.connect()
    for path in sorted((SQL_DIR / "macros").glob("*.sql")):
        for statement in con.extract_statements(path.read_text(encoding="utf-8")):
            con.execute(statement)
    return con.execute(sql).fetchall()


# --- one test per rewrite (analytics/spark_sql.py) ------------------------------------------------

MACRO_QUERY = """
select v, op, threshold,
       criterion_met(v, op, threshold) as met,
       round(criterion_gap(v, op, threshold), 9) as gap,
       criterion_points(criterion_met(v, op, threshold), criterion_gap(v, op, threshold), 10.0, 2.0, 0.05) as points
from (values (1, 0.6::double, '>=', 0.6::double), (2, 0.5::double, '>=', 0.6::double),
             (3, null::double, '>=', 0.6::double), (4, 3.0::double, '<=', 0.0::double),
             (5, 0.91::double, '=', 0.9::double), (6, 0.7::double, '>', 0.6::double)) as t(id, v, op, threshold)
order by id
"""
# By hand (10 points, 2 off per started step of 0.05):
# 0.6 >= 0.6 met (the 1e-9 tolerance), gap 0, 10 · 0.5 >= 0.6 short by 0.1 = 2 steps → 10 − 4 = 6 ·
# NULL: not met, gap NULL, 0 · 3 <= 0: short by 3 = 60 steps → never below 0 · 0.91 = 0.9: off by
# 0.01, one started step → 8 · 0.7 > 0.6 met, 10.
MACRO_EXPECTED = [
    (0.6, ">=", 0.6, True, 0.0, 10.0),
    (0.5, ">=", 0.6, False, 0.1, 6.0),
    (None, ">=", 0.6, False, None, 0.0),
    (3.0, "<=", 0.0, False, 3.0, 0.0),
    (0.91, "=", 0.9, False, 0.01, 8.0),
    (0.7, ">", 0.6, True, 0.0, 10.0),
]


def test_rewrite_macros_are_inlined(spark):
    translated = transpile(MACRO_QUERY)
    assert not any(name in translated.lower() for name in read_macros())
    assert [
        tuple(float(x) if isinstance(x, int | float) and not isinstance(x, bool) else x for x in r)
        for r in _rows(spark, MACRO_QUERY)
    ] == MACRO_EXPECTED
    assert [
        tuple(float(x) if isinstance(x, int | float) and not isinstance(x, bool) else x for x in r)
        for r in _duckdb_rows(MACRO_QUERY)
    ] == MACRO_EXPECTED


UNNEST_QUERY = """
select * from (
    select id, unnest([{'k': 'a', 'x': id * 1.5::double}, {'k': 'b', 'x': null::double}], recursive := true)
    from (values (1), (2)) as t(id)
) order by id, k
"""
# By hand: each id gives two rows, the struct's fields as columns k and x.
UNNEST_EXPECTED = [(1, "a", 1.5), (1, "b", None), (2, "a", 3.0), (2, "b", None)]


def test_rewrite_unnest_recursive_becomes_inline(spark):
    assert "INLINE(" in transpile(UNNEST_QUERY).upper()
    assert _rows(spark, UNNEST_QUERY) == UNNEST_EXPECTED
    assert _duckdb_rows(UNNEST_QUERY) == UNNEST_EXPECTED


AVG_QUERY = """
select avg(case when ok then 1.0 else 0.0 end) as share, avg(n) as mean
from (values (true, 1), (true, 2), (false, 2)) as t(ok, n)
"""
# By hand: two of three → 0.666666666666…, a double on both engines (Spark alone gave 0.66667, a
# decimal of scale 5); the mean of 1, 2, 2 is 5 / 3.


def test_rewrite_avg_of_a_decimal_is_a_double_as_in_duckdb(spark):
    assert "AVG(CAST(" in transpile(AVG_QUERY).upper()
    for share, mean in (_rows(spark, AVG_QUERY)[0], _duckdb_rows(AVG_QUERY)[0]):
        assert isinstance(share, float) and abs(share - 2 / 3) < 1e-12
        assert abs(mean - 5 / 3) < 1e-12


LIST_QUERY = """
select g,
       list(label order by k) filter (where keep) as kept,
       coalesce(list(label order by k) filter (where keep), []) as kept_or_empty
from (values (1, 3, 'c', true), (1, 1, 'a', true), (1, 2, 'b', false), (2, 1, 'x', false)) as t(g, k, label, keep)
group by g
order by g
"""
# By hand: group 1 keeps a (k 1) and c (k 3), in k's order; group 2 keeps nothing: NULL, and [] after coalesce.
LIST_EXPECTED = [(1, ["a", "c"], ["a", "c"]), (2, None, [])]


def test_rewrite_ordered_list_keeps_its_order_and_is_null_when_empty(spark):
    assert _rows(spark, LIST_QUERY) == LIST_EXPECTED
    assert _duckdb_rows(LIST_QUERY) == LIST_EXPECTED
    with pytest.raises(NotImplementedError):
        transpile("select list(x order by k desc) from t")


# --- every view, on the tiny fixture: two counties computed together, a third on its own -----------


@pytest.fixture(scope="module")
def tiny_lake(spark, tmp_path_factory):
    """示范县 and 第二县 as of 2025-11-20 (one context: computed together, as a load of both would be)
    and 第三县 as of 2025-06-30 (its own group); DuckDB's warehouses for each context beside."""
    root = tmp_path_factory.mktemp("tiny_lake")
    a = tiny_county(root / "a")
    b = tiny_county(root / "b", "B", "第二县")
    c = tiny_county(root / "c", "C", "第三县")
    lake = root / "lake"
    for name, folder, as_of in (("a", a, AS_OF), ("b", b, AS_OF), ("c", c, EARLIER)):
        load(folder, root / f"{name}.duckdb", as_of=as_of)
        export(root / f"{name}.duckdb", lake)
    load(union_folder(root / "ab", a, b), root / "ab.duckdb", as_of=AS_OF)
    result = run(lake, root / "marts", spark)
    return {"root": root, "lake": lake, "marts": root / "marts", "run": result}


def _group_of(lake: Path, county: str) -> str:
    return next(m["context"] for m in read_manifests(lake) if m["county"] == county)


def _assert_equal(differences) -> None:
    unequal = [d for d in differences if not d.equal]
    assert not unequal, "\n".join(
        f"{d.view}: DuckDB {d.duckdb_rows} rows, Spark {d.spark_rows}; only DuckDB {d.only_duckdb}, "
        f"only Spark {d.only_spark}; e.g. {d.sample}"
        for d in unequal
    )


def test_every_materialised_view_of_sql_views_is_computed_on_spark(tiny_lake):
    views = _materialised_views()
    assert views, "sql/views has no materialised view"
    written = {p.name for p in tiny_lake["marts"].iterdir() if p.is_dir() and any(p.rglob("*.parquet"))}
    manifest = json.loads((tiny_lake["marts"] / "_manifest.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(tiny_lake["root"] / "ab.duckdb"), read_only=True)
    duck = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'mart'").fetchall()}
    con.close()
    assert written == views == set(manifest["views"]) == duck
    # one folder per view, partitioned by year
    assert (tiny_lake["marts"] / "v_readiness" / "year=2025").is_dir()


def test_two_counties_of_one_context_equal_a_load_of_both(tiny_lake):
    differences = compare_with_warehouse(
        tiny_lake["root"] / "ab.duckdb", tiny_lake["marts"], _group_of(tiny_lake["lake"], "示范县")
    )
    assert {d.view for d in differences} == _materialised_views()
    _assert_equal(differences)


def test_a_county_of_another_as_of_date_is_computed_as_its_own_warehouse(tiny_lake):
    assert len(groups_of(tiny_lake["lake"])) == 2
    _assert_equal(
        compare_with_warehouse(
            tiny_lake["root"] / "c.duckdb", tiny_lake["marts"], _group_of(tiny_lake["lake"], "第三县")
        )
    )


def test_spark_keeps_nulls_where_there_is_nothing_to_divide(tiny_lake):
    con = duckdb.connect()
    files = f"{tiny_lake['marts']}/v_fulfilment_by_branch_type/*/*.parquet"
    rows = con.execute(
        "select town_id, year, branch_type, approved, fulfilment_rate from read_parquet(?, hive_partitioning = true) "
        "where town_id in ('T1', 'T2') order by all",
        [files],
    ).fetchall()
    # tiny README: 西湖乡's village group in 2025 has only P11, pending: 0 approved, rate NULL;
    # 东关镇's committee in 2024: 1 of 1 fulfilled; its organ branches 0 of 2; its village 2 of 2.
    assert ("T2", 2025, "village", 0, None) in rows
    assert ("T1", 2024, None, 1, 1.0) in rows
    assert ("T1", 2024, "organ", 2, 0.0) in rows
    assert ("T1", 2024, "village", 2, 1.0) in rows


def test_the_comparison_sees_a_changed_figure(tiny_lake, tmp_path):
    """The equality above can fail: one rate nudged by 1e-6 in a copy of Spark's output is found."""
    marts = tmp_path / "marts"
    shutil.copytree(tiny_lake["marts"], marts)
    con = duckdb.connect()
    folder = marts / "v_town_summary"
    frame = f"read_parquet('{folder}/*/*.parquet', hive_partitioning = true)"
    con.execute(
        f"copy (select * replace (case when town_id = 'T1' and year = 2024 then fulfilment_rate + 1e-6 "
        f"else fulfilment_rate end as fulfilment_rate) from {frame}) to '{tmp_path}/changed' "
        "(format parquet, partition_by (year))"
    )
    shutil.rmtree(folder)
    shutil.move(tmp_path / "changed", folder)
    group = _group_of(tiny_lake["lake"], "示范县")
    (changed,) = [d for d in compare_with_warehouse(tiny_lake["root"] / "ab.duckdb", marts, group) if not d.equal]
    assert changed.view == "v_town_summary" and changed.only_duckdb == 1 and changed.only_spark == 1


# --- etl load --marts: what it takes, and what it refuses -----------------------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_with_marts_serves_spark_figures_equal_to_duckdb(tiny_lake, tmp_path):
    db = tmp_path / "live.duckdb"
    load(tiny_lake["root"] / "b", db, marts=tiny_lake["marts"])  # the as-of date comes from the marts
    _assert_equal(compare_warehouses(tiny_lake["root"] / "b.duckdb", db))
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select as_of from loads").fetchone()[0] == AS_OF
    assert con.execute("select count(*) from v_readiness where town_id not in ('BT1', 'BT2')").fetchone()[0] == 0
    con.close()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_schema", "结构版本为 2"),
        ("unknown_towns", "没有本次装载的 2 个乡镇：DT1、DT2"),
        ("other_as_of", "统计截止日为 2025-11-20"),
        ("two_contexts", "分属不同的统计口径"),
        ("view_missing", "缺少视图：v_readiness"),
    ],
)
def test_load_with_unsuitable_marts_is_refused_and_the_live_warehouse_stays(tiny_lake, tmp_path, case, message):
    db = tmp_path / "live.duckdb"
    load(tiny_lake["root"] / "a", db, as_of=AS_OF)
    before = _sha(db)
    marts = tmp_path / "marts"
    shutil.copytree(tiny_lake["marts"], marts)
    folder, as_of = tiny_lake["root"] / "a", None
    manifest = json.loads((marts / "_manifest.json").read_text(encoding="utf-8"))
    if case == "other_schema":
        manifest["schema_version"] = 2
    elif case == "unknown_towns":
        folder = tiny_county(tmp_path / "d", "D", "第四县")
        as_of = AS_OF
    elif case == "other_as_of":
        as_of = EARLIER
    elif case == "two_contexts":
        folder = union_folder(tmp_path / "ac", tiny_lake["root"] / "a", tiny_lake["root"] / "c")
        as_of = AS_OF
    elif case == "view_missing":
        del manifest["views"]["v_readiness"]
    (marts / "_manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadRefused, match=message):
        load(folder, db, as_of=as_of, marts=marts)
    assert _sha(db) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_a_lake_of_another_schema_version_is_refused_before_spark_starts(tiny_lake, tmp_path, capsys):
    lake = tmp_path / "lake"
    shutil.copytree(tiny_lake["lake"], lake, ignore=shutil.ignore_patterns("marts"))
    path = next((lake / "_manifests").glob("*.json"))
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["schema_version"] = 2
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LakeUnusable, match="导出结构版本为 2"):
        groups_of(lake)
    assert analytics_main(["spark", "--lake", str(tmp_path / "empty")]) == 2
    assert "没有导出清单" in capsys.readouterr().err


# --- the county demo: export, Spark, load --marts, the pages --------------------------------------


@pytest.fixture(scope="module")
def county_spark(spark, county_db, tmp_path_factory):
    root = tmp_path_factory.mktemp("county_spark")
    export(county_db, root / "lake")
    run(root / "lake", root / "marts", spark)
    db = root / "spark.duckdb"
    load(county_db.parent / "data", db, marts=root / "marts")
    return {"marts": root / "marts", "db": db}


def test_county_demo_marts_equal_duckdb(county_db, county_spark):
    differences = compare_with_warehouse(county_db, county_spark["marts"])
    assert {d.view for d in differences} == _materialised_views()
    assert all(d.duckdb_rows > 0 for d in differences)
    _assert_equal(differences)


def test_county_demo_loaded_with_spark_marts_has_duckdbs_tables(county_db, county_spark):
    _assert_equal(compare_warehouses(county_db, county_spark["db"]))


def test_pages_on_the_spark_built_warehouse_show_the_duckdb_figures(county_db, county_spark, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from ui import chart_view

    app = str(Path(__file__).parent.parent / "app.py")
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))

    def page(db: Path, name: str) -> AppTest:
        monkeypatch.setenv("WAREHOUSE_PATH", str(db))
        at = AppTest.from_file(app, default_timeout=120)
        at.session_state[chart_view.DRAWN] = True
        at.query_params["town"] = "T0001"
        at.run()
        return at.switch_page(f"app_pages/{name}.py").run()

    for name in ("overview", "readiness"):
        duck, spark_built = page(county_db, name), page(county_spark["db"], name)
        assert not spark_built.exception
        metrics = {m.label: m.value for m in spark_built.metric}
        assert metrics and metrics == {m.label: m.value for m in duck.metric}
        assert [m.value for m in spark_built.markdown] == [m.value for m in duck.markdown]
