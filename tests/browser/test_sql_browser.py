"""The SQL workbench in a real Chromium: type a query, run it, see the table; a hostile one is refused."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, no_page_not_found

pytestmark = pytest.mark.browser


def _run(page, sql: str) -> None:
    editor = page.locator("textarea").first
    editor.fill(sql)
    page.get_by_role("button", name="运行").click()


def test_a_query_typed_in_the_browser_shows_its_result(served_app, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{served_app}/sql")
    page.wait_for_selector("textarea", timeout=30_000)
    no_page_not_found(page)
    _run(page, "select town_name as 乡镇, score as 得分 from v_readiness where year = 2024 order by town_id")
    page.get_by_text("2 行 · ").wait_for(timeout=30_000)
    # the result: the schema browser's table (first) sits folded in its expander
    page.locator('[data-testid="stDataFrame"]').last.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sql-1920x1080.png"), full_page=True)
    expect(page.get_by_role("button", name="下载 XLSX")).to_have_count(1)  # after the XLSX is written
    assert page.locator('[data-testid="stException"]').count() == 0

    _run(page, "copy towns to '/tmp/leak.csv'")
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="不能读写服务器上的文件")
    alert.wait_for(timeout=30_000)
    expect(page.get_by_role("button", name="下载 CSV")).to_have_count(0, timeout=30_000)  # the old result is gone
    page.screenshot(path=str(ARTIFACTS / "sql-refused-1920x1080.png"), full_page=True)
    page.close()
