"""Sign-in and town scope through app.py in AppTest: a township account (东关镇, T1) tries every way to
another town's figures (西湖乡, T2): the URL, each page, the downloads, the report and SQL.

Hand figures from tests/fixtures/tiny: T1 has 5 members by 2025 (M1 M2 M3 M4 M6), T2 one (M5, 刘䶮);
the fixture has 6 members in all. Anything naming 西湖乡 or 刘䶮 on a T1 account's screen is a leak.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from access import auth
from tests.conftest import charts_drawn
from tests.test_pages import PAGES
from ui import chart_view

APP = str(Path(__file__).parent.parent / "app.py")
PASSWORD = "东关镇-correct-horse"
OTHER_TOWN = ("西湖乡", "刘䶮", "T2")


@pytest.fixture
def accounts(monkeypatch, tiny_db, tmp_path):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tiny_db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    auth.add_user("zhang", PASSWORD, "town", "T1")
    auth.add_user("li", PASSWORD, "county", None)
    auth.add_user("wang", PASSWORD, "analyst", None)
    return tmp_path / "audit.jsonl"


def _signed_in(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[chart_view.DRAWN] = True  # tables at once, as after the session's first chart
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.text_input(key="sign_in_name").input(name)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _everything(at: AppTest) -> str:
    """All text on the screen: markdown, captions, alerts, metrics, selectbox options, tables."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "error", "title", "subheader")
        for e in at.get(kind)
    ]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


def _assert_no_other_town(at: AppTest) -> None:
    text = _everything(at)
    for leak in OTHER_TOWN:
        assert leak not in text, leak


def test_nothing_but_the_sign_in_form_before_signing_in(accounts):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["town"] = "T2"
    at.run()
    assert [t.value for t in at.title] == ["创先争优看板 · 登录"]
    assert not at.metric and not at.dataframe
    assert "演示模式" not in _everything(at)


def test_wrong_password_and_unknown_user_are_refused_alike(accounts):
    answers = []
    for name, password in (("zhang", "wrong-password"), ("nobody", PASSWORD)):
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.text_input(key="sign_in_name").input(name)
        at.text_input[1].input(password)
        at.button[0].click().run()
        answers.append([e.value for e in at.error])
        assert not at.metric
    assert answers == [["用户名或密码错误。"], ["用户名或密码错误。"]]
    logged = [json.loads(line) for line in accounts.read_text(encoding="utf-8").splitlines()]
    # A known account is named; a name that is none (perhaps a password in the wrong field) is not.
    assert [(e["event"], e["who"]) for e in logged] == [("sign_in_refused", "zhang"), ("sign_in_refused", "未知用户")]
    assert all(PASSWORD not in json.dumps(e, ensure_ascii=False) for e in logged)


def test_a_township_account_sees_its_own_town_whatever_the_url_says(accounts):
    at = _signed_in("zhang", town="T2", year="2024")
    assert at.selectbox(key="pick_town").options == ["东关镇"]
    assert {m.label: m.value for m in at.metric}["党员数"] == "4"  # T1 in 2024; T2 has 1
    _assert_no_other_town(at)
    for page in ("pledges", "vanguards", "readiness", "report", "present"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
        assert not at.error, page
        assert "东关镇" in _everything(at), page  # the page shows its own town, not an empty screen
        _assert_no_other_town(at)


def test_the_county_pages_are_closed_to_a_township_account(accounts):
    at = _signed_in("zhang", town="T1", year="2024")
    for page in ("compare", "audit"):  # not in a township account's navigation at all
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")


@pytest.mark.parametrize("page", ["compare", "audit"])
def test_the_county_pages_check_again_when_run_directly(accounts, page):
    township = auth.Access(auth.User("zhang", "town", "T1"), demo=False)
    for state in ({}, {"auth_access": township}):  # no session at all; a township session
        at = AppTest.from_file(str(Path(APP).parent / "app_pages" / f"{page}.py"), default_timeout=60)
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception
        assert at.error and not at.dataframe and not charts_drawn(at), (page, state)


def test_the_projector_shows_a_township_its_own_rank_only(accounts):
    at = _signed_in("zhang", town="T1", year="2024", slide="6", pause="1")
    at.switch_page("app_pages/present.py").run()
    text = _everything(at)
    assert "本乡镇在全县 2 个乡镇中排第 2 名" in text  # 西湖乡 58 points, 东关镇 49 (tests/test_pages.py)
    _assert_no_other_town(at)


def test_sql_from_a_township_account_reads_its_own_town_only(accounts):
    at = _signed_in("zhang", town="T1", year="2024")
    at.switch_page("app_pages/sql_workbench.py").run()
    assert "sql_scope" not in [s.key for s in at.selectbox]
    for sql, expected in (
        ("select count(*) as n from members", 5),
        ("select count(distinct town_id) as n from v_town_summary", 1),
        ("select count(*) as n from pledges where org_id in ('O5', 'O6')", 0),
    ):
        at.text_area(key="sql_text").input(sql)
        next(b for b in at.button if b.proto.label == "运行").click().run()
        assert _sql_result(at)["n"][0] == expected, sql
    logged = [json.loads(line) for line in accounts.read_text(encoding="utf-8").splitlines()]
    assert {(e["who"], e["town"]) for e in logged if e["event"] == "sql"} == {("zhang", "T1")}


def test_names_are_masked_until_asked_for(accounts):
    # (the download of a table with names is logged: tests/browser/test_access_browser.py clicks it)
    at = _signed_in("li", town="T1", year="2024")
    at.switch_page("app_pages/vanguards.py").run()
    awardees = next(d.value for d in at.dataframe if "受表彰者" in d.value.columns)
    assert sorted(awardees["受表彰者"]) == ["东关村党支部", "张*", "王*"]
    at.toggle(key="show_names").set_value(True).run()
    awardees = next(d.value for d in at.dataframe if "受表彰者" in d.value.columns)
    assert sorted(awardees["受表彰者"]) == ["东关村党支部", "张三", "王五"]


def test_the_county_reads_the_audit_log_and_the_analyst_does_not(accounts):
    at = _signed_in("li")
    at.switch_page("app_pages/audit.py").run()
    assert [t.value for t in at.title] == ["审计日志"]
    log = at.dataframe[0].value
    assert ("登录", "li") in set(zip(log["事件"], log["用户"], strict=True))
    at = _signed_in("wang")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/audit.py")


def test_an_idle_session_expires(accounts):
    at = _signed_in("zhang", town="T1", year="2024")
    assert at.metric
    at.session_state["auth_last_seen_at"] = time.time() - auth.IDLE_LIMIT.total_seconds() - 5
    at.run()
    assert "登录已超时，请重新登录。" in [i.value for i in at.info]
    assert not at.metric


def test_a_removed_account_is_signed_out_on_its_next_click(accounts):
    at = _signed_in("zhang", town="T1", year="2024")
    auth.remove_user("zhang")
    at.run()
    assert not at.metric
    assert [t.value for t in at.title] == ["创先争优看板 · 登录"]


def test_demo_mode_says_so_on_every_page(monkeypatch, tiny_db, tmp_path):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tiny_db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    pages = [p for p in PAGES if p != "present"]  # the projector has a badge instead: below
    for page in pages:
        at.switch_page(f"app_pages/{page}.py").run()
        assert any("演示模式" in w.value for w in at.warning), page
    at.switch_page("app_pages/present.py").run()
    assert any("演示模式" in m.value for m in at.markdown)


def _sql_result(at):
    """The workbench's result table (the schema browser's table of columns is the other one)."""
    return next(d.value for d in at.main.dataframe if "表或视图" not in d.value.columns)


def test_signing_out_leaves_nothing_for_the_next_person(accounts):
    at = _signed_in("li", town="T2", year="2024")
    at.switch_page("app_pages/sql_workbench.py").run()
    at.text_area(key="sql_text").input("select name from members order by member_id")
    next(b for b in at.button if b.proto.label == "运行").click().run()
    assert "刘䶮" in _sql_result(at)["name"].to_list()
    next(b for b in at.sidebar.button if b.proto.label == "退出登录").click().run()
    assert [t.value for t in at.title] == ["创先争优看板 · 登录"]
    at.text_input(key="sign_in_name").input("zhang")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("app_pages/sql_workbench.py").run()
    assert all("表或视图" in d.value.columns for d in at.main.dataframe)  # li's result is gone
    _assert_no_other_town(at)
    logged = [json.loads(line)["event"] for line in accounts.read_text(encoding="utf-8").splitlines()]
    assert logged[:3] == ["sign_in", "sql", "sign_out"]


def test_a_township_submits_for_its_own_town_and_an_analyst_not_at_all(accounts, monkeypatch, tmp_path):
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "store"))
    at = _signed_in("zhang")
    at.switch_page("app_pages/data_import.py").run()
    assert not at.exception
    assert "import_town" not in [s.key for s in at.selectbox]
    assert "提交乡镇：**东关镇**" in [m.value for m in at.markdown]
    assert "回滚到之前的版本（县级）" not in [e.label for e in at.expander]
    at = _signed_in("wang")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/data_import.py")
