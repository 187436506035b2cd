"""What the workbench page and the CLI share: the audit entry of every query, examples, safe downloads."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from access import audit
from workbench.__main__ import main
from workbench.queries import examples, neutralise, run_query, to_csv, to_parquet, to_xlsx
from workbench.sandbox import QueryFailed, QueryRefused, Sandbox

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log(monkeypatch, tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    monkeypatch.setenv("AUDIT_LOG", str(path))
    return path


def _entries(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_query_is_logged_with_who_what_outcome_rows_and_time(tiny_db, log):
    box = Sandbox(tiny_db)
    try:
        run_query(box, "select * from towns", who="分析员甲", source="workbench")
        with pytest.raises(QueryRefused):
            run_query(box, "drop table towns", who="分析员甲", source="workbench")
        with pytest.raises(QueryFailed):
            run_query(box, "select nope from towns", who="分析员甲", source="workbench")
    finally:
        box.close()
    ok, refused, failed = _entries(log)
    assert (ok["who"], ok["source"], ok["town"], ok["sql"], ok["outcome"], ok["rows"], ok["cut"]) == (
        "分析员甲",
        "workbench",
        "全部",
        "select * from towns",
        "ok",
        2,
        False,
    )
    assert ok["elapsed_ms"] >= 0 and ok["at"].endswith("+00:00")
    assert (refused["outcome"], refused["sql"]) == ("refused", "drop table towns")
    assert "只读" in refused["message"]
    assert failed["outcome"] == "error" and "nope" in failed["message"]
    assert audit.recent(1)[0]["sql"] == "select nope from towns"  # newest first


def test_cells_a_spreadsheet_would_run_are_neutralised_and_numbers_are_not():
    frame = pl.DataFrame(
        {"text": ["=1+1", "+86 138", "-cmd", "@SUM(A1)", "\t=1", "普通文字", None], "n": [-5, 1, 2, 3, 4, 5, 6]}
    )
    out = neutralise(frame)
    assert out["text"].to_list() == ["'=1+1", "'+86 138", "'-cmd", "'@SUM(A1)", "'\t=1", "普通文字", None]
    assert out["n"].to_list() == [-5, 1, 2, 3, 4, 5, 6]


def test_downloads_csv_with_bom_xlsx_without_formulas_and_exact_parquet():
    frame = pl.DataFrame({"乡镇": ["东关镇", '=HYPERLINK("http://x")'], "值": [0.5, -1.0], "项": [["a", "b"], []]})
    csv = to_csv(frame)
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in csv.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["乡镇", "值", "项"]
    assert cells[2][0] == '\'=HYPERLINK("http://x")' and sheet.cell(3, 1).data_type == "s"
    assert cells[1][2] == '["a", "b"]'
    assert pl.read_parquet(io.BytesIO(to_parquet(frame))).equals(frame)  # for analysts' tools: untouched


def test_every_example_answers_on_the_county_demo(county_db, log):
    found = examples()
    assert len(found) >= 5 and all(e.title and e.sql for e in found)
    box = Sandbox(county_db)
    try:
        answers = {e.title: run_query(box, e.sql, who="t", source="test").rows for e in found}
    finally:
        box.close()
    assert all(rows > 0 for rows in answers.values()), answers


def test_cli_prints_the_result_and_exits_0(tiny_db, log, capsys):
    code = main(["sql", "select town_id, town_name from towns order by 1", "--db", str(tiny_db), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out) == [{"town_id": "T1", "town_name": "东关镇"}, {"town_id": "T2", "town_name": "西湖乡"}]
    assert "2 行" in err
    assert _entries(log)[0]["source"] == "cli"


def test_cli_csv_cut_at_max_rows_says_so(tiny_db, log, capsys):
    code = main(["sql", "select * from range(5)", "--db", str(tiny_db), "--format", "csv", "--max-rows", "3"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == ["range", "0", "1", "2"]
    assert "结果已截断，只输出前 3 行" in err


def test_cli_town_scope(tiny_db, log, capsys):
    assert main(["sql", "select distinct town_id from v_pledge_fulfilment", "--db", str(tiny_db), "--town", "T1"]) == 0
    out, _ = capsys.readouterr()
    assert "T1" in out and "T2" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["copy towns to 'x.csv'"], "不能读写服务器上的文件"),
        (["select 1; select 2"], "一次只能运行一条语句"),
        (["select count(*) from range(1000000000000)", "--timeout", "0.5"], "超过 0.5 秒，已取消"),
        (["select 1", "--town", "T9"], "仓库中没有乡镇“T9”"),
    ],
)
def test_cli_refusals_print_chinese_on_stderr_and_exit_2(tiny_db, log, capsys, args, message):
    code = main(["sql", args[0], "--db", str(tiny_db), *args[1:]])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_cli_without_a_warehouse(tmp_path, capsys):
    assert main(["sql", "select 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "找不到仓库文件" in capsys.readouterr().err


def test_the_warehouse_file_is_unchanged_by_a_session_of_hostile_queries(tiny_db, log):
    before = tiny_db.read_bytes()
    box = Sandbox(tiny_db)
    try:
        for sql in ("drop table towns", "delete from pledges", "checkpoint", "create table x as select 1"):
            with pytest.raises(QueryRefused):
                run_query(box, sql, who="t", source="test")
    finally:
        box.close()
    assert tiny_db.read_bytes() == before
    con = duckdb.connect(str(tiny_db), read_only=True)
    try:
        assert con.sql("select count(*) from towns").fetchall() == [(2,)]
    finally:
        con.close()


def test_the_old_command_name_still_answers_and_says_where_it_went(tiny_db):
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "sql", "select 41 + 1 as answer", "--db", str(tiny_db), "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["answer", "42"]
    assert "python -m workbench sql" in done.stderr


def test_duckdbs_whole_message_is_framed_in_chinese_with_its_hints():
    from workbench.messages import explain, split

    message = (
        'Binder Error: Referenced column "fulfillment_rate" not found in FROM clause!\n'
        'Candidate bindings: "fulfilment_rate", "fulfilled"\n\n'
        "LINE 1: select fulfillment_rate from v_pledge_fulfilment\n"
        "               ^^^^^^^^^^^^^^^^"
    )
    head, original = split(explain(message))
    assert head == (
        "找不到表、视图、列或函数，或用法不对：FROM 中的表和视图都没有列 fulfillment_rate\n"
        "可能要找的列：fulfilment_rate、fulfilled"
    )
    assert original == message  # every word DuckDB said, the caret line included
    head, _ = split(explain('Catalog Error: Table with name pledge does not exist!\nDid you mean "pledges"?'))
    assert head == "找不到表、视图、列或函数：没有名为 pledge 的表或视图\n您是否要找 pledges？"
    head, _ = split(explain("Some Error: nothing we know", "查询出错"))
    assert head == "查询出错：nothing we know"


def test_midnight_timestamps_become_dates_and_times_of_day_stay():
    import datetime as dt

    import polars as pl

    from workbench.queries import dates_as_dates

    frame = pl.DataFrame(
        {
            "month_start": [dt.datetime(2026, 4, 1), dt.datetime(2026, 5, 1), None],
            "at": [dt.datetime(2026, 4, 11, 9, 30), dt.datetime(2026, 4, 11), None],
        }
    )
    out = dates_as_dates(frame)
    assert out.schema["month_start"] == pl.Date and out["month_start"].to_list()[:2] == [
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 1),
    ]
    assert out.schema["at"] == pl.Datetime("us")


def test_downloads_are_named_after_the_example_or_the_query_and_the_time():
    import datetime as dt

    from workbench.queries import Example, download_name, example_in

    examples = [Example("本年度没有廉洁先锋的乡镇", "select 1\nfrom towns")]
    at = dt.datetime(2026, 12, 1, 9, 5)
    assert example_in("select 1   from towns", examples) == 0  # whitespace aside
    assert download_name("select 1 from towns", examples, at, "csv") == "本年度没有廉洁先锋的乡镇-20261201-0905.csv"
    assert download_name("select * from warehouse.main.v_readiness", examples, at, "xlsx") == (
        "查询-v_readiness-20261201-0905.xlsx"
    )
    assert download_name("select 42", examples, at, "parquet") == "查询结果-20261201-0905.parquet"
    assert download_name('select * from "../../etc"', examples, at, "csv") == "查询-etc-20261201-0905.csv"
