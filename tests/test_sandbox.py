"""The SQL sandbox, in the datasette habit: lists of statements that must run and that must be refused.

Every refusal must say why in Chinese, leave nothing on disk, and leave the sandbox usable.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl.load import load
from tests.conftest import AS_OF, TINY
from workbench.sandbox import Limits, QueryFailed, QueryRefused, Sandbox


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "warehouse.duckdb"
    load(TINY, path, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def box(db) -> Sandbox:
    sandbox = Sandbox(db, limits=Limits(timeout_s=2, memory_mb=256))
    yield sandbox
    sandbox.close()


MUST_RUN = [
    ("select count(*) from towns", [(2,)]),
    ("SELECT town_name FROM towns ORDER BY town_id;", [("东关镇",), ("西湖乡",)]),
    ("from towns select town_id order by 1", [("T1",), ("T2",)]),
    ("with t as (select * from towns) select count(*) from t", [(2,)]),
    ("-- a comment first\nselect 1 as x", [(1,)]),
    ("select ';' as semicolon_in_a_string", [(";",)]),
    ("select '/etc/passwd' as just_text", [("/etc/passwd",)]),
    ("select fulfilment_rate from v_fulfilment_by_branch_type where town_id = 'T2' and year = 2024", [(0.5,)]),
    ("select count(*) from (select unnest(criteria_missing) from v_readiness)", None),
    ("describe pledges", None),
    ("show tables", None),
    ("summarize towns", None),
    ("explain select * from towns", None),
    ("explain analyze select count(*) from pledges", None),
    ("pivot (select town_id from towns) on town_id in ('T1', 'T2') using count(*)", [(1, 1)]),
    ("select rank() over (order by town_id) from towns", [(1,), (2,)]),
]


@pytest.mark.parametrize(("sql", "expected"), MUST_RUN)
def test_reading_statements_run(box, sql, expected):
    result = box.run(sql)
    assert result.rows > 0 and not result.cut
    if expected is not None:
        assert result.frame.rows() == expected


def _refused(tmp: Path) -> list[tuple[str, str]]:
    """(statement, part of the message) pairs; every file they name points into `tmp`."""
    file = tmp / "leak.csv"
    return [
        # reading files, URLs and the environment
        (f"select * from read_csv('{file}')", "不能访问服务器上的文件"),
        ("select * from read_text('/etc/hostname')", "不能访问服务器上的文件"),
        ("select * from read_blob('/etc/passwd')", "不能访问服务器上的文件"),
        ("select * from glob('/*')", "不能访问服务器上的文件"),
        ("select * from read_parquet('https://example.com/x.parquet')", "不能访问服务器上的文件"),
        ("select * from 'http://example.com/x.csv'", "不能访问服务器上的文件"),
        ("select * from '/etc/passwd'", "找不到表"),
        ("select getenv('HOME')", "找不到表、视图、列或函数"),
        # writing files
        (f"copy towns to '{file}'", "不能读写服务器上的文件（COPY）"),
        (f"copy (select * from members) to '{file}' (format csv)", "不能读写服务器上的文件（COPY）"),
        (f"export database '{tmp / 'dump'}'", "不能读写服务器上的文件（EXPORT）"),
        # other databases
        (f"attach '{tmp / 'evil.duckdb'}' as evil", "不能挂载或卸载数据库（ATTACH）"),
        ("attach ':memory:' as scratch", "不能挂载或卸载数据库（ATTACH）"),
        ("detach warehouse", "不能挂载或卸载数据库（DETACH）"),
        # extensions
        ("install httpfs", "不能安装或加载扩展"),
        ("load httpfs", "不能安装或加载扩展"),
        ("force install spatial from 'http://example.com'", "不能安装或加载扩展"),
        # settings
        ("set enable_external_access = true", "设置已锁定"),
        ("set lock_configuration = false", "设置已锁定"),
        ("set memory_limit = '100GB'", "设置已锁定"),
        ("reset threads", "设置已锁定"),
        ("pragma threads = 64", "设置已锁定"),
        ("set search_path = 'memory'", "设置已锁定"),
        ("use memory", "设置已锁定"),
        # changing data or structure
        ("create table evil as select 1", "只读"),
        ("create temp table evil as select 1", "只读"),
        ("create or replace view v_readiness as select 1", "只读"),
        ("create macro evil(x) as x", "只读"),
        ("drop table towns", "只读"),
        ("alter table towns add column x int", "只读"),
        ("insert into towns values ('T9', '假镇', '示范县')", "只读"),
        ("update pledges set fulfilment_status = '已兑现'", "只读"),
        ("delete from members", "只读"),
        ("create secret (type s3, key_id 'a', secret 'b')", "只读"),
        ("checkpoint", "只运行查询语句"),
        ("vacuum", "只运行查询语句"),
        ("call pragma_version()", "只运行查询语句"),
        ("explain analyze create table memory.main.kept as select 1", "EXPLAIN 后只能跟查询语句"),
        ("/* x */ EXPLAIN ANALYZE insert into towns values ('T9', 'a', 'b')", "EXPLAIN 后只能跟查询语句"),
        ("prepare p as select 1", "只运行查询语句"),
        ("set variable x = 1", "设置已锁定"),
        ("pivot towns on town_id using count(*)", "PIVOT 请写出 IN 列表"),
        # several statements
        ("select 1; select 2", "一次只能运行一条语句"),
        ("select 1; drop table towns", "一次只能运行一条语句"),
        # nothing to run
        ("", "请输入"),
        ("-- nothing but a comment", "请输入"),
        ("selec 1", "语法错误"),
    ]


@pytest.mark.parametrize("index", range(len(_refused(Path("/x")))))
def test_hostile_statements_are_refused_and_leave_nothing(box, tmp_path, index):
    sql, message = _refused(tmp_path)[index]
    before = sorted(os.listdir(tmp_path))
    with pytest.raises((QueryRefused, QueryFailed)) as problem:
        box.run(sql)
    assert message in str(problem.value)
    assert sorted(os.listdir(tmp_path)) == before  # nothing created on disk
    assert box.run("select count(*) from towns").frame.item() == 2  # and the next query still works


def test_the_settings_that_make_the_walls_cannot_be_seen_undone(box):
    settings = box.run(
        "select name, value from duckdb_settings() where name in"
        " ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'threads')"
    ).frame
    assert dict(settings.rows()) == {
        "enable_external_access": "false",
        "lock_configuration": "true",
        "autoload_known_extensions": "false",
        "threads": "2",
    }


def test_a_query_that_runs_forever_is_cancelled_and_the_connection_stays_usable(box):
    with pytest.raises(QueryFailed) as problem:
        box.run("select count(*) from range(1000000000000) as a(i) where i % 7 = 3")
    assert problem.value.outcome == "timeout"
    assert "超过 2 秒，已取消" in str(problem.value)
    assert box.run("select 1").frame.item() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "select list(i) from range(400000000) as t(i)",
        "select i, count(*) from range(60000000) as t(i) group by i order by 2",
        "select string_agg(i::varchar, ',') from range(100000000) as t(i)",
        "select length(repeat('党', 400000000))",
        "with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t",
    ],
)
def test_a_query_that_would_exhaust_memory_is_stopped_and_the_connection_stays_usable(box, sql):
    with pytest.raises(QueryFailed) as problem:
        box.run(sql)
    assert problem.value.outcome in ("memory", "timeout")  # whichever wall it meets first
    assert box.run("select 1").frame.item() == 1


def test_the_row_cap_cuts_and_says_so(db):
    capped = Sandbox(db, limits=Limits(max_rows=100))
    try:
        cut = capped.run("select * from range(250)")
        exact = capped.run("select * from range(100)")
    finally:
        capped.close()
    assert (cut.rows, cut.cut) == (100, True)
    assert (exact.rows, exact.cut) == (100, False)


def test_a_worker_that_dies_is_replaced_and_the_next_query_runs(db):
    import signal

    sandbox = Sandbox(db)
    try:
        first = sandbox.worker_pid
        os.kill(first, signal.SIGKILL)
        sandbox._proc.wait(10)  # it is gone before the next query comes, as after a crash
        assert sandbox.run("select count(*) from towns").frame.item() == 2
        assert sandbox.worker_pid != first
    finally:
        sandbox.close()


def test_analysts_sql_never_runs_in_the_calling_process(box):
    assert box.run("select 1").frame.item() == 1
    assert box.worker_pid not in (None, os.getpid())


def test_a_huge_result_streams_only_up_to_the_cap(box):
    result = box.run("select * from range(1000000000)")
    assert (result.rows, result.cut) == (10_000, True)


def test_repeated_column_names_and_odd_types_still_show(box):
    frame = box.run("select 1 as a, 2 as a, map([1], ['x']) as m").frame
    assert frame.columns == ["a", "a_2", "m"]


def test_a_town_session_holds_only_that_towns_rows(db):
    town = Sandbox(db, "T2")
    try:
        names = {r.name for r in town.catalog}
        assert "loads" not in names and "rejects" not in names
        for relation in town.catalog:
            columns = [c[0] for c in relation.columns]
            if "town_id" in columns:
                seen = town.run(f"select distinct town_id from {relation.name}").frame["town_id"].to_list()
                assert seen in ([], ["T2"]), relation.name
        assert town.run("select org_id from orgs order by 1").frame["org_id"].to_list() == ["O5", "O6"]
        assert town.run("select member_id from members").frame["member_id"].to_list() == ["M5"]
        pledges = town.run("select pledge_id from pledges order by pledge_id").frame["pledge_id"].to_list()
        assert pledges == ["P11", "P12", "P8", "P9"]
        assert town.run("select award_id from awards").frame["award_id"].to_list() == ["A4"]
        assert town.run("select org_id from assessments").frame["org_id"].to_list() == ["O6"]
        with pytest.raises(QueryFailed):
            town.run("select * from warehouse.main.pledges")  # the file itself is gone
        with pytest.raises(QueryFailed):
            town.run("select * from rejects")
    finally:
        town.close()


@pytest.mark.parametrize("town", ["T9", "T1' or '1'='1", "../../etc/passwd", ""])
def test_an_unknown_or_hostile_town_is_refused(db, town):
    with pytest.raises(QueryRefused) as refused:
        Sandbox(db, town)
    assert "仓库中没有乡镇" in str(refused.value)
