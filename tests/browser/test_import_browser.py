"""A clerk in Chromium: upload members with bad rows, download the rejects, fix them in the workbook,
upload that file, publish, and see 党员数 on 总览 change (tiny fixture: 东关镇 has 5 members in 2025)."""

import io
from pathlib import Path

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
