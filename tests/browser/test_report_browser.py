"""The 工作总结 page in a real Chromium: the draft reads right, and the Word and handout files download."""

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, no_page_not_found

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1024, 768)])
def test_the_draft_shows_and_its_files_download(served_app, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.goto(f"{served_app}/report?town=T1&year=2024")
    no_page_not_found(page)
    expect(page.get_by_text("东关镇创先争优活动示范单位创建工作总结")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("兑现率 60.0%").first).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{width}x{height}.png"), full_page=False)
    assert page.locator('[data-testid="stException"]').count() == 0

    with page.expect_download(timeout=90_000) as word:
        page.get_by_role("button", name="下载 Word").click()
    assert word.value.suggested_filename == "东关镇2024年创先争优工作总结.docx"
    doc = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    assert any("兑现率 60.0%" in p.text for p in doc.paragraphs)

    with page.expect_download(timeout=90_000) as sheet:
        page.get_by_role("button", name="下载一页简报").click()
    pdf = pdfium.PdfDocument(Path(sheet.value.path()).read_bytes())
    try:
        assert len(pdf) == 1
        assert "东关镇创先争优工作简报" in pdf[0].get_textpage().get_text_range()
        if width == 1920:
            pdf[0].render(scale=1.2).to_pil().save(ARTIFACTS / "handout-T1-2024.png")
    finally:
        pdf.close()
    page.close()
