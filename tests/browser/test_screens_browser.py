"""Every page at the four screens it is read on (issue 21): a projector at 1024×768, desks at 1366×768
and 1920×1080, a phone at 390×844 (touch, 3× pixels). One server and one browser for the module;
pages × sizes in one loop, each page checked where it stands:

- no text cut off: no metric, button or label element whose text is wider than its box;
- no horizontal scrolling of the page;
- no two tick labels of one axis overlapping (their boxes, as drawn), and none lost (an axis that
  shows labels shows two at least);
- no chart toolbar on touch or on the projector; a toolbar on the desks;
- the sidebar closed below 1200 px and open above; on the phone, closed again after choosing a page;
- on the phone, 总览's headline and its first chart inside the first screen.

Screenshots go to tests/browser/artifacts/screens/ (a year in progress on the projector and the
phone, a finished one on the desks) to be looked at. The slides are checked in test_pages_browser.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.serving import CHROMIUM, CHROMIUM_ARGS, serve
from etl.load import load
from tests.browser.conftest import ARTIFACTS, CUT_OFF, SIDEWAYS, TICKS_LOST, TICKS_OVERLAP
from tests.conftest import AS_OF, TINY

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"
# name, width, height, phone, year shown (tiny fixture as of 2025-11-20: 2025 in progress, 2024 done)
SCREENS = [
    ("projector", 1024, 768, False, 2025),
    ("laptop", 1366, 768, False, 2024),
    ("desk", 1920, 1080, False, 2024),
    ("phone", 390, 844, True, 2025),
]
PAGES = [  # path, charts it draws (0: none, or not waited for)
    ("", 3),
    ("pledges", 5),
    ("vanguards", 4),
    ("readiness", 1),
    ("compare", 3),
    ("report", 0),
    ("sql", 0),
    ("import", 0),
    ("audit", 0),
]

MODE_BARS = "() => document.querySelectorAll('.js-plotly-plot .modebar-container .modebar').length"
SIDEBAR_OPEN = """() => { const s = document.querySelector('[data-testid="stSidebar"]');
  return !!s && s.getAttribute('data-collapsed') === 'false'; }"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screens")
    db = folder / "warehouse.duckdb"
    load(TINY, db, as_of=AS_OF)
    with serve(db, ARTIFACTS / "logs" / "screens.log", AUDIT_LOG=str(folder / "audit.jsonl")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(chromium, width: int, height: int, phone: bool):
    if phone:
        return chromium.new_context(
            viewport={"width": width, "height": height}, is_mobile=True, has_touch=True, device_scale_factor=3
        )
    return chromium.new_context(viewport={"width": width, "height": height})


def settled(page, charts: int) -> None:
    """The page's charts drawn (their ticks fitted) or, for pages without, its title shown."""
    expect(page.locator('[data-testid="stMain"] h1, .slide-title').first).to_be_visible(timeout=30_000)
    if charts:  # drawn, and their ticks fitted to the width (ui/chart_view.py marks it)
        expect(page.locator('.dashboard-chart[data-fitted="1"]')).to_have_count(charts, timeout=30_000)
    if page.viewport_size["width"] < 1200:  # closed by ui/screen.py's script once the page is up
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=5_000)


def test_every_page_holds_at_every_screen(app, chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, width, height, phone, year in SCREENS:
        context = _context(chromium, width, height, phone)
        page = context.new_page()
        for path, charts in PAGES:
            page.goto(f"{app}/{path}?town=T1&year={year}")
            settled(page, charts)
            where = f"{name} /{path}"
            page.screenshot(path=str(SHOTS / f"{path or 'overview'}-{name}-{year}.png"))
            assert page.locator('[data-testid="stException"]').count() == 0, where
            problems += [f"{where}: cut off {c}" for c in page.evaluate(CUT_OFF)]
            problems += [f"{where}: scrolls sideways"] if page.evaluate(SIDEWAYS) else []
            problems += [f"{where}: ticks overlap {t}" for t in page.evaluate(TICKS_OVERLAP)]
            problems += [f"{where}: ticks lost {t}" for t in page.evaluate(TICKS_LOST)]
            if charts:
                bars = page.evaluate(MODE_BARS)
                wanted_none = phone or width < 1200
                if wanted_none and bars:
                    problems.append(f"{where}: {bars} chart toolbars on a touch or projector screen")
                if not wanted_none and bars < charts:
                    problems.append(f"{where}: {bars} toolbars for {charts} charts on a desk")
            if page.evaluate(SIDEBAR_OPEN) != (width >= 1200):
                problems.append(f"{where}: sidebar {'open' if width < 1200 else 'closed'}")
            if phone and path == "":
                first = page.locator(".js-plotly-plot").first.bounding_box()
                if first["y"] + first["height"] > height:
                    problems.append(f"{where}: first chart ends at {first['y'] + first['height']:.0f} px")
        if phone:  # open the sidebar, choose a page: it closes so the page is seen
            page.locator('[data-testid="stExpandSidebarButton"]').first.click()
            expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "false")
            page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="先锋风采").click()
            expect(page.get_by_role("heading", name="先锋风采")).to_be_visible(timeout=30_000)
            expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true", timeout=5_000)
        context.close()
    assert problems == []
