"""The 工作总结 page in AppTest: the preview states the hand-computed figures (see tests/test_report.py),
offers the three files, and a town with nothing says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl.load import load
from ui.report_preview import escape

APP = str(Path(__file__).parent.parent / "app.py")


def _open(monkeypatch, db: Path, tmp_path: Path, **params: str) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("app_pages/report.py").run()


def test_the_preview_states_the_figures_and_offers_the_files(monkeypatch, tiny_db, tmp_path):
    at = _open(monkeypatch, tiny_db, tmp_path, town="T1", year="2024")
    assert not at.exception and not at.error
    text = "\n".join(m.value for m in at.markdown)
    assert "东关镇创先争优活动示范单位创建工作总结" in text
    assert "兑现率 60\\.0%" in text  # escaped for markdown: the dot is literal
    assert ":orange-background[【待党委撰写" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 Word", "下载 PDF", "下载一页简报"]
    appendix = next(d.value for d in at.main.dataframe if "查询" in d.value.columns)
    assert "select fulfilment_rate from v_town_summary where town_id = 'T1' and year = 2024" in set(appendix["查询"])


def test_a_town_without_records_gets_a_message(monkeypatch, tiny_dir, tmp_path):
    with (tiny_dir / "towns.csv").open("a", encoding="utf-8") as towns:
        towns.write("T3,新河镇,示范县\n")
    db = tmp_path / "with-empty-town.duckdb"
    load(tiny_dir, db, as_of=dt.date(2025, 11, 20))
    at = _open(monkeypatch, db, tmp_path, town="T3", year="2024")
    assert not at.exception
    assert any("新河镇2024年没有党员和承诺记录" in i.value for i in at.info)
    assert not at.get("download_button")


def test_data_text_cannot_turn_into_markdown_links_or_markup():
    hostile = "**东关**[点我](http://evil.example)<img src=x>`x`"
    shown = escape(hostile)
    for special in "*[]()<>`":
        assert f"\\{special}" in shown
    assert shown.replace("\\", "") == hostile
