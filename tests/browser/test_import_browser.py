"""A clerk in Chromium: upload members with bad rows, download the rejects, fix them in the workbook,
upload that file, publish, and see 党员数 on 总览 change (tiny fixture: 东关镇 has 5 members in 2025)."""

import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
TINY = Path(__file__).parent.parent / "fixtures" / "tiny"


def _check(page, path: Path) -> None:
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    expect(dropzone).to_have_count(1, timeout=30_000)  # after a publish the emptied box replaces the old one
    dropzone.set_input_files(str(path))
    expect(page.get_by_text(path.name).first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="检查").click()
    expect(page.get_by_text("第三步：确认后发布")).to_be_visible(timeout=60_000)


def _publish(page) -> None:
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布（")).to_be_visible(timeout=60_000)


def test_a_clerk_fixes_rejected_rows_in_excel_and_sees_the_figures_change(served_app, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page.goto(f"{served_app}/?town=T1&year=2025")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="党员数")).to_contain_text("5", timeout=30_000)

    members = (TINY / "members.csv").read_text(encoding="utf-8")
    upload = tmp_path / "东关镇党员.csv"
    upload.write_text(members + "M8,周九,O3,男,1990-13-01,2015-07-01,否\n", encoding="utf-8")
    page.goto(f"{served_app}/import")
    page.get_by_text("提交乡镇").wait_for(timeout=30_000)
    _check(page, upload)  # the county's demo session picks 东关镇, the first town
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-preview-1920x1080.png"), full_page=True)
    with page.expect_download(timeout=30_000) as rejects:
        page.get_by_role("button", name="下载有问题的").first.click()
    workbook = Path(rejects.value.path()).read_bytes()  # saved before the page moves on
    _publish(page)  # the good rows land; M5 (西湖乡) and M8 (no 13th month) do not
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["问题说明", "原行号"]
    notes = {sheet.cell(r, 1).value: sheet.cell(r, len(header) - 1).value for r in range(2, sheet.max_row + 1)}
    assert set(notes) == {"M5", "M8"}
    assert "属于西湖乡" in notes["M5"] and "没有13月" in notes["M8"]
    for r in range(sheet.max_row, 1, -1):  # M5 is not ours: the clerk deletes that row, fixes M8
        if sheet.cell(r, 1).value == "M5":
            sheet.delete_rows(r)
        else:
            sheet.cell(r, 5).value = "1990-12-01"
    fixed = tmp_path / "党员-问题行-已修改.xlsx"
    book.save(fixed)
    _check(page, fixed)
    expect(page.get_by_text("补充修正").first).to_be_visible()
    _publish(page)

    page.goto(f"{served_app}/?town=T1&year=2025")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="党员数")).to_contain_text("6", timeout=30_000)
    page.close()


def _metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).first


def test_a_clerk_adds_this_months_awards_then_replaces_one_year_with_a_second_confirmation(
    tiny_db, browser, tmp_path, request
):
    """At 1024×768 (the township's projector): the awards template with 3 new rows adds 3 and removes
    none; a 2025 replacement lists what it removes (T1's 2025 awards A5 A11 A12; 2024's A1–A3 stay)
    and publishes only once the second confirmation is ticked."""
    from bench.serving import serve
    from tests.browser.conftest import server_log

    book = openpyxl.load_workbook(Path(__file__).parent.parent.parent / "data" / "templates" / "awards.xlsx")
    sheet = book.worksheets[0]
    for r, row in enumerate(
        [
            ["A10", 2025, "学习先锋", "M1", "O3", "镇级", "2025-10-01"],
            ["A11", 2025, "廉洁先锋", "M2", "O3", "县级", "2025-10-01"],
            ["A12", 2025, "和谐先锋", None, "O4", "镇级", "2025-10-08"],
        ],
        start=2,
    ):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c).value = value
    monthly = tmp_path / "十月表彰.xlsx"
    book.save(monthly)
    replacement = tmp_path / "2025年表彰（全年）.csv"
    replacement.write_text(
        "表彰编号,年度,先锋类别,党员编号,组织编码,表彰级别,表彰日期\nA10,2025,学习先锋,M1,O3,镇级,2025-10-01\n",
        encoding="utf-8",
    )
    env = {"AUDIT_LOG": str(tmp_path / "audit.jsonl"), "SUBMISSIONS_DIR": str(tmp_path / "store")}
    with serve(tiny_db, server_log(request), **env) as base:
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(f"{base}/import")
        page.get_by_text("提交乡镇").wait_for(timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "import-start-1024x768.png"))
        _check(page, monthly)
        expect(_metric(page, "新增")).to_contain_text("3")
        expect(_metric(page, "删除")).to_contain_text("0")
        ARTIFACTS.mkdir(exist_ok=True)
        _metric(page, "删除").scroll_into_view_if_needed()  # the app scrolls inside its own container
        page.screenshot(path=str(ARTIFACTS / "import-add-1024x768.png"))
        _publish(page)

        modes = page.get_by_role("radiogroup", name="提交方式")
        expect(modes).to_have_count(1, timeout=30_000)  # the new round's choice, back to 补充修正
        modes.get_by_text("整表替换：").click()
        _check(page, replacement)
        expect(page.get_by_text("发布后将删除东关镇现有的 3 条记录：先锋表彰 2025 年 3 条")).to_be_visible()
        publish = page.get_by_role("button", name="发布")
        expect(publish).to_be_disabled()
        confirm = page.get_by_text("我已核对删除清单，确认删除这 3 条记录")
        confirm.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "import-replace-1024x768.png"))
        confirm.click()
        expect(publish).to_be_enabled()
        _publish(page)
        expect(page.get_by_text("我已核对删除清单")).to_have_count(0)  # the preview is gone after the rerun
        page.get_by_text("提交记录", exact=True).last.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "import-history-1024x768.png"))
        page.close()
    con = duckdb.connect(str(tiny_db), read_only=True)
    try:
        kept = con.sql("select award_id from awards order by award_id").fetchall()
    finally:
        con.close()
    assert kept == [("A1",), ("A10",), ("A2",), ("A3",), ("A4",)]  # 2024's A1–A3 and 西湖乡's A4 untouched
