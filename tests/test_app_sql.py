"""The SQL workbench page, run by AppTest on the tiny fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).parent.parent / "app_pages" / "sql_workbench.py")


@pytest.fixture
def page(monkeypatch, tiny_db, tmp_path):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tiny_db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    return AppTest.from_file(PAGE, default_timeout=30).run()


def _run(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql_text").input(sql)
    return at.button[0].click().run()


def _result(at: AppTest):
    """The result table: the main area's table that is not the schema browser's."""
    return next(d for d in at.main.dataframe if "表或视图" not in d.value.columns)


def test_a_query_shows_its_rows_count_time_and_downloads(page, tmp_path):
    at = _run(page, "select town_name, score from v_readiness where year = 2024 order by town_id")
    assert not at.exception and not at.error
    assert any(c.value.startswith("2 行 · ") for c in at.main.caption)
    shown = _result(at).value
    assert list(shown["town_name"]) == ["东关镇", "西湖乡"]
    assert list(shown["score"]) == [49.0, 58.0]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 XLSX", "下载 Parquet"]
    entry = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))
    assert (entry["source"], entry["outcome"], entry["rows"]) == ("workbench", "ok", 2)


def test_a_hostile_query_is_refused_with_a_message_and_the_page_goes_on(page):
    at = _run(page, "copy towns to '/tmp/leak.csv'")
    assert not at.exception
    assert "不能读写服务器上的文件" in at.error[0].value
    at = _run(at, "select count(*) as n from towns")
    assert not at.error and list(_result(at).value["n"]) == [2]


def test_a_cut_result_says_so(page):
    at = _run(page, "select * from range(10005)")
    assert any("只显示并下载前 10,000 行" in w.value for w in at.warning)
    assert len(_result(at).value) == 10_000


def test_an_example_fills_the_editor(page):
    page.selectbox(key="sql_example_choice").select(0).run()  # the first example
    assert page.text_area(key="sql_text").value.startswith("select")
    at = page.button[0].click().run()
    assert not at.error and len(_result(at).value) > 0


def test_a_town_scope_sees_one_town(page):
    page.selectbox(key="sql_scope").select("T2").run()
    at = _run(page, "select town_id from towns")
    assert list(_result(at).value["town_id"]) == ["T2"]


def test_the_session_keeps_a_history_whose_entries_run_again(page):
    at = _run(page, "select 2 as two")
    at = _run(at, "drop table towns")
    history = [c.value for c in at.main.code if c.language == "sql"]
    assert history == ["drop table towns", "select 2 as two"]
    again = [b for b in at.button if b.proto.label == "再次运行"]
    assert len(again) == 2
    at = again[1].click().run()  # select 2 as two, back in the editor and run
    assert not at.error and at.text_area(key="sql_text").value == "select 2 as two"
    assert list(_result(at).value["two"]) == [2]
    assert next(c.value for c in at.main.code if c.language == "sql") == "select 2 as two"


def test_a_refusal_does_not_leave_the_previous_result_under_it(page):
    at = _run(page, "select 1 as x")
    assert len(at.main.dataframe) >= 1
    at = _run(at, "delete from towns")
    assert "只读" in at.error[0].value
    assert not at.get("download_button")  # no table left that would read as the refused query's result
    assert all("表或视图" in d.value.columns for d in at.main.dataframe)


def test_a_result_with_list_columns_still_downloads(page):
    at = _run(page, "select town_name, criteria_missing from v_readiness where year = 2024 order by town_id")
    assert not at.exception and not at.error
    assert [b.proto.label for b in at.get("download_button")] == ["下载 CSV", "下载 XLSX", "下载 Parquet"]


def test_duckdbs_hint_is_kept_in_chinese_with_its_whole_message(page):
    at = _run(page, "select * from pledge")
    assert not at.exception
    assert at.error[0].value == "找不到表、视图、列或函数：没有名为 pledge 的表或视图  \n您是否要找 pledges？"
    original = next(c.value for c in at.main.code if c.language != "sql")
    assert original == 'Catalog Error: Table with name pledge does not exist!\nDid you mean "pledges"?'
    at = _run(at, "select fulfillment_rate from v_pledge_fulfilment")
    assert "可能要找的列：" in at.error[0].value and "fulfilment_rate" in at.error[0].value


def test_midnight_timestamps_reach_the_table_as_dates_and_real_times_stay(page):
    at = _run(
        page,
        "select timestamp '2026-04-11 00:00:00' as 午夜, timestamp '2026-04-11 09:30:00' as 时刻,"
        " date '2026-04-11' as 日期",
    )
    shown = _result(at).value
    # AppTest hands every column back as pandas datetimes; a DATE arrives in millisecond units, a
    # TIMESTAMP in microseconds: the midnight column now travels as the DATE does (the browser shows 2026-04-11)
    assert str(shown["午夜"].dtype) == str(shown["日期"].dtype) == "datetime64[ms]"
    assert str(shown["时刻"].dtype) == "datetime64[us]" and str(shown["时刻"][0]) == "2026-04-11 09:30:00"


def test_the_picker_shows_the_example_in_the_editor(page):
    at = page.selectbox(key="sql_example_choice").select(1).run()
    at = at.button[0].click().run()
    assert at.selectbox(key="sql_example_choice").value == 1
    at = _run(at, "select 1 as own")
    assert at.selectbox(key="sql_example_choice").value is None  # the analyst's own query: no example shown


def test_the_schema_browser_finds_columns_and_their_enumeration_values(page):
    page.text_input(key="sql_schema_search").input("践诺状态 pledges").run()
    found = next(d for d in page.main.dataframe if "表或视图" in d.value.columns).value
    # pledges.fulfilment_status is the one column of the table pledges described as 践诺状态
    row = found[found["表或视图"] == "pledges"]
    assert list(row["列"]) == ["fulfilment_status"]
    assert "未开始 / 进行中 / 已兑现 / 部分兑现 / 未兑现" in row["说明"].iloc[0]
    listed = next(m.value for m in page.main.markdown if "`pledges.fulfilment_status`" in m.value)
    assert "践诺状态：未开始 / 进行中 / 已兑现 / 部分兑现 / 未兑现（原文件留空视为未开始）" in listed  # whole, uncut
