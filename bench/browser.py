"""Browser benchmark: Debian's Chromium (Playwright) against `streamlit run`, per page: the time from
navigation to the page's first chart visible, cold (a new browser context: nothing cached, a new
Streamlit session), again with the browser's cache warm (a new tab, a new session: the next day's
first visit), and on a page switch (clicking the page in the sidebar of an open session).
Opening a page is timed by the page itself (see FIRST_VISIBLE); a switch from outside.

Each page is first opened once right after the server starts, and timed apart ("first after server
start"): that visit also pays the server's one-off work (the page's module, the first read of its
tables). Cold means a browser with nothing cached on a server that is already running, as on the
morning of a meeting; before 2026-11-29 the first cold repeat of each page included that one-off.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bench.serving import CHROMIUM, CHROMIUM_ARGS, serve

# url path, the page's name in the navigation, its heading (None: slides have none), what shows when drawn
PAGES = [
    ("", "总览", "创先争优看板 · 总览", ".js-plotly-plot"),
    ("pledges", "承诺践诺", "承诺践诺", ".js-plotly-plot"),
    ("vanguards", "先锋风采", "先锋风采", ".js-plotly-plot"),
    ("readiness", "示范单位创建", "示范单位创建", ".js-plotly-plot"),
    ("compare", "乡镇对比", "乡镇对比", ".js-plotly-plot"),
    ("present", "放映模式", None, ".kpi"),
]


# Read in the page itself: performance.now() at the first frame in which the page's first chart has
# a size, counted from the start of the navigation. Timing Playwright's wait from outside counted
# its polling too (it looks again after 100, then 500 ms: up to half a second late).
FIRST_VISIBLE = """
(() => {
  const selector = %s;
  (function poll() {
    const el = document.querySelector(selector);
    const box = el && el.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) { window.__firstVisible = performance.now(); return; }
    requestAnimationFrame(poll);
  })();
})();
"""


def _first_visible(page, selector: str, title: str | None) -> None:
    if title:
        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.locator(selector).first.wait_for(state="visible", timeout=60_000)


def _opened(page, url: str, selector: str, title: str | None) -> float:
    """Seconds from the start of navigating to `url` to the page's first chart drawn, as the page saw it."""
    page.goto(url)
    _first_visible(page, selector, title)
    return page.wait_for_function("window.__firstVisible").json_value() / 1000


def _context(browser, selector: str):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(FIRST_VISIBLE % json.dumps(selector))
    return context


def measure(
    db: Path, town: str, year: int, repeats: int = 5, pages: list[tuple] | None = None, switch_rounds: int = 3
) -> dict:
    """Per page: first visit after the server starts; `repeats` cold and cached opens (median and
    worst); `switch_rounds` rounds of clicking through the pages."""
    from playwright.sync_api import sync_playwright

    pages = pages or PAGES
    # 放映模式 hides the sidebar, so page switches are timed between the other pages
    switchable = [p for p in pages if p[2] is not None]
    query = f"?town={town}&year={year}&pause=1"
    results: dict[str, dict] = {}
    with serve(db, AUDIT_LOG="/dev/null") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = {}
        for path, _, heading, selector in pages:
            context = _context(browser, selector)
            first[path] = _opened(context.new_page(), f"{base}/{path}{query}", selector, heading)
            context.close()
        for path, _, heading, selector in pages:
            url = f"{base}/{path}{query}"
            cold = []
            for _ in range(repeats):
                context = _context(browser, selector)
                cold.append(_opened(context.new_page(), url, selector, heading))
                context.close()
            # the same page opened again in a browser that has the app's scripts cached (a new session)
            context = _context(browser, selector)
            _opened(context.new_page(), url, selector, heading)
            cached = []
            for _ in range(repeats):
                fresh = context.new_page()
                cached.append(_opened(fresh, url, selector, heading))
                fresh.close()
            context.close()
            results[path or "overview"] = {
                "first_after_start_s": round(first[path], 2),
                "cold_p50_s": round(statistics.median(cold), 2),
                "cold_max_s": round(max(cold), 2),
                "cached_p50_s": round(statistics.median(cached), 2),
            }
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        first_path, _, first_heading, first_selector = switchable[0]
        page.goto(f"{base}/{first_path}{query}")
        _first_visible(page, first_selector, first_heading)
        for _ in range(min(repeats, switch_rounds)):
            for path, nav, heading, selector in switchable[1:] + switchable[:1]:
                started = time.perf_counter()
                page.locator('[data-testid="stSidebarNav"]').get_by_text(nav, exact=True).click()
                _first_visible(page, selector, heading)
                results[path or "overview"].setdefault("switch", []).append(time.perf_counter() - started)
        context.close()
        browser.close()
    for r in results.values():
        switches = r.pop("switch", [])
        if switches:
            r["switch_p50_s"], r["switch_max_s"] = round(statistics.median(switches), 2), round(max(switches), 2)
    return results
