"""What a person sees: the overview in a real Chromium at projector and desktop sizes."""

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1024, 768)])
def test_overview_shows_figures_and_a_chart_without_an_error(served_app, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{served_app}/?town=T1&year=2024")
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    page.wait_for_timeout(500)  # let the chart finish its first draw before the screenshot
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{width}x{height}.png"), full_page=True)
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("兑现率" in m and "60.0%" in m for m in metrics), metrics
    assert any("党员数" in m and "4" in m for m in metrics), metrics
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "各类党组织承诺兑现率" in page.locator(".js-plotly-plot").first.inner_text()
    page.close()
