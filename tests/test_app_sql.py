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
    """The result table: the first table of the main area (the history comes after it)."""
    return at.main.dataframe[0]


def test_a_query_shows_its_rows_count_time_and_downloads(page, tmp_path):
    at = _run(page, "select town_name, score from v_readiness where year = 2024 order by town_id")
    assert not at.exception and not at.error
    assert at.main.caption[0].value.startswith("2 行 · ")
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


def test_the_session_keeps_a_history(page):
    at = _run(page, "select 1")
    at = _run(at, "drop table towns")
    history = at.main.dataframe[-1].value
    assert list(history["查询"]) == ["drop table towns", "select 1"]


def test_a_refusal_does_not_leave_the_previous_result_under_it(page):
    at = _run(page, "select 1 as x")
    assert len(at.main.dataframe) >= 1
    at = _run(at, "delete from towns")
    assert "只读" in at.error[0].value
    assert not at.get("download_button")  # no table left that would read as the refused query's result


def test_a_result_with_list_columns_still_downloads(page):
    at = _run(page, "select town_name, criteria_missing from v_readiness where year = 2024 order by town_id")
    assert not at.exception and not at.error
    assert [b.proto.label for b in at.get("download_button")] == ["下载 CSV", "下载 XLSX", "下载 Parquet"]
