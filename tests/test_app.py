"""The overview page, run by Streamlit's AppTest against the tiny fixture's hand-computed figures."""

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import SCHEMA_VERSION, load
from tests.conftest import AS_OF

APP = str(Path(__file__).parent.parent / "app.py")


def _run(monkeypatch, db: Path, **params: str) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_other_town_from_the_url(monkeypatch, tiny_db):
    at = _run(monkeypatch, tiny_db, town="T2", year="2024")
    assert _metrics(at) == {
        "党组织数": "2",
        "党员数": "1",
        "承诺数": "2",
        "兑现率": "50.0%",
        "先锋数": "1",
        "示范标准达标项": "6/13",
        # 预警, 2024 judged on 1 January 2025 (tiny README): P9 due 31 Dec unfulfilled → overdue 1;
        # O5 made no organisation pledge; only 廉洁先锋 → 5 kinds empty; O6 of 2 assessed
        "30天内到期": "0",
        "已逾期": "1",
        "未作组织承诺": "1",
        "先锋空缺类别": "5",
        "考核已填报": "1 / 2",
    }


@pytest.mark.parametrize("town", ["T9", "' or 1=1 --", "../../etc/passwd"])
def test_a_town_not_in_the_warehouse_falls_back_to_the_first_town(monkeypatch, tiny_db, town):
    at = _run(monkeypatch, tiny_db, town=town, year="2024")
    assert not at.exception
    assert at.subheader[0].value == "东关镇 · 2024 年"
    assert at.query_params["town"] == ["T1"] or at.query_params["town"] == "T1"


def test_a_new_load_shows_up_without_restarting(monkeypatch, tiny_dir, tiny_db):
    at = _run(monkeypatch, tiny_db, town="T2", year="2024")
    assert _metrics(at)["党员数"] == "1"
    members = tiny_dir / "members.csv"
    members.write_text(members.read_text(encoding="utf-8") + "M7,孙八,O6,女,1990-01-01,2020-07-01,否\n", "utf-8")
    load(tiny_dir, tiny_db, as_of=AS_OF)
    at.run()
    assert _metrics(at)["党员数"] == "2"


def test_no_warehouse_says_how_to_load_one(monkeypatch, tmp_path):
    at = _run(monkeypatch, tmp_path / "missing.duckdb")
    assert not at.exception
    assert "尚未装载数据" in at.error[0].value


def test_a_warehouse_from_an_older_version_asks_to_be_reloaded(monkeypatch, tiny_db, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copy(tiny_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop table warehouse_info")  # as the 0.1 loader wrote it
    con.close()
    at = _run(monkeypatch, old)
    assert not at.exception
    assert f"由旧版本生成（结构版本 1，当前需要 {SCHEMA_VERSION}）" in at.error[0].value
    assert "python -m etl load" in at.error[0].value


def test_sessions_share_each_figure_until_the_data_under_it_changes(monkeypatch, tiny_dir, tiny_db):
    # issue 17: a warm page run reuses the figures another session built for the same town and year;
    # another town, or a publish that changes the figures' rows, builds them anew.
    from ui import chart_view

    monkeypatch.setattr(chart_view, "_built", chart_view.SharedCache(limit=chart_view.BUILT_LIMIT))
    _run(monkeypatch, tiny_db, town="T2", year="2024")
    first = dict(chart_view._built)
    assert len(first) >= 2  # 总览 draws its charts through the shared cache
    _run(monkeypatch, tiny_db, town="T2", year="2024")  # another viewer, same choice
    assert chart_view._built.keys() == first.keys()
    _run(monkeypatch, tiny_db, town="T1", year="2024")
    assert len(chart_view._built) > len(first)
    seen = set(chart_view._built)
    # a publish: 东关镇's neighbour T2 gains a member and a 服务先锋 (O6 is a T2 organisation)
    members, awards = tiny_dir / "members.csv", tiny_dir / "awards.csv"
    members.write_text(members.read_text(encoding="utf-8") + "M7,孙八,O6,女,1990-01-01,2020-07-01,否\n", "utf-8")
    awards.write_text(awards.read_text(encoding="utf-8") + "A9,2024,服务先锋,M7,O6,镇级,2024-07-01\n", "utf-8")
    load(tiny_dir, tiny_db, as_of=AS_OF)
    _run(monkeypatch, tiny_db, town="T2", year="2024")
    assert len(set(chart_view._built) - seen) >= 1  # the vanguards chart of T2 built anew, not served stale


def test_a_new_publish_drops_what_was_computed_from_older_files(monkeypatch):
    # The first query of a new file clears the cached results and the built figures (the first file
    # seen by the process clears nothing), once per file.
    import streamlit as st

    from ui import app_data, chart_view

    cleared = []
    monkeypatch.setattr(app_data, "_seen", {"version": None})
    monkeypatch.setattr(st.cache_data, "clear", lambda: cleared.append("data"))
    monkeypatch.setattr(chart_view, "_built", chart_view.SharedCache(limit=8))
    monkeypatch.setattr(app_data, "_results", app_data.SharedCache(limit=8))
    chart_view._built["old_figure"] = {}
    app_data._results["old_result"] = pl.DataFrame()
    app_data._forget_older_versions("v1")
    assert cleared == [] and "old_figure" in chart_view._built and "old_result" in app_data._results
    for version in ("v1", "v2", "v2", "v2", "v3"):
        app_data._forget_older_versions(version)
    assert cleared == ["data", "data"]
    assert not chart_view._built and not app_data._results
