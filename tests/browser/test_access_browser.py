"""Sign-in in a real Chromium: a township account (东关镇, T1) tries the URL, the county pages and SQL for
西湖乡 (T2) and sees none of it; a county account's download of a table with names lands in the audit log."""

import json
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from access import auth
from bench.serving import serve
from tests.browser.conftest import ARTIFACTS, server_log

pytestmark = pytest.mark.browser
PASSWORD = "东关镇-correct-horse"


@pytest.fixture
def secured_app(tiny_db, tmp_path, request):
    auth.add_user("zhang", PASSWORD, "town", "T1")
    auth.add_user("li", PASSWORD, "county", None)
    log = tmp_path / "audit.jsonl"
    with serve(tiny_db, server_log(request), AUDIT_LOG=str(log)) as base:
        yield base, log


def _sign_in(page, base: str, name: str, path: str = "") -> None:
    page.goto(f"{base}/{path}")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text(f"已登录：{name}")).to_be_visible(timeout=30_000)


def test_a_township_account_cannot_reach_another_town(secured_app, browser):
    base, log = secured_app
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page.goto(f"{base}/?town=T2&year=2024")
    expect(page.get_by_role("button", name="登录")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0  # nothing before signing in
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sign-in-1920x1080.png"))

    _sign_in(page, base, "zhang", "?town=T2&year=2024")
    expect(page.get_by_text("东关镇 · 2024 年")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "signed-in-township-1920x1080.png"))
    # A full page load is a new session: each deep link asks for the password, then opens as asked.
    for path in ("compare?year=2024", "vanguards?town=T2&year=2024", "report?town=T2&year=2024", "audit"):
        _sign_in(page, base, "zhang", path)
        # the sign-in form's elements stay on screen until the page's own run replaces them
        expect(page.get_by_role("button", name="登录", exact=True)).to_have_count(0, timeout=30_000)
        page.wait_for_timeout(2500)
        body = page.locator("body").inner_text()
        assert "东关镇" in body, path
        assert "西湖乡" not in body and "刘䶮" not in body, path
        if path.startswith("vanguards"):  # the table's download holds the same rows as the screen
            with page.expect_download(timeout=30_000) as table:
                page.get_by_role("button", name="下载 CSV").first.click()
            text = Path(table.value.path()).read_text(encoding="utf-8-sig")
            assert "东关村党支部" in text and "西湖" not in text and "刘" not in text
        if path.startswith("report"):  # so does the work summary
            with page.expect_download(timeout=90_000) as word:
                page.get_by_role("button", name="下载 Word").click()
            doc = "\n".join(p.text for p in Document(word.value.path()).paragraphs)
            assert "东关镇创先争优活动示范单位创建工作总结" in doc and "西湖乡" not in doc
    _sign_in(page, base, "zhang", "sql")
    page.wait_for_selector("textarea", timeout=30_000)
    page.locator("textarea").first.fill("select town_name from towns union all select town_name from v_town_summary")
    page.get_by_role("button", name="运行").click()
    page.get_by_text(" 行 · ").first.wait_for(timeout=30_000)
    body = page.locator("body").inner_text()
    assert "东关镇" in body and "西湖乡" not in body
    page.close()
    queries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert any(e["event"] == "sql" and e["who"] == "zhang" and e["town"] == "T1" for e in queries)


def test_a_download_with_names_is_written_to_the_audit_log(secured_app, browser):
    base, log = secured_app
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    _sign_in(page, base, "li", "vanguards?town=T1&year=2024")
    expect(page.get_by_text("受表彰名单")).to_be_visible(timeout=30_000)
    page.get_by_text("显示党员姓名").click()
    expect(page.get_by_text("张三", exact=True).first).to_be_attached(timeout=30_000)  # the grid draws on a canvas
    with page.expect_download(timeout=30_000):
        page.get_by_role("button", name="下载 CSV").first.click()
    page.wait_for_timeout(1500)
    page.close()
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    downloads = [e for e in entries if e["event"] == "download"]
    assert downloads and downloads[-1]["who"] == "li" and downloads[-1]["names_shown"] is True
    assert downloads[-1]["file"].startswith("先锋名单-东关镇-2024")
