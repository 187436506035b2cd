"""A real `streamlit run` on a free port and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.serving import CHROMIUM, CHROMIUM_ARGS, serve

ARTIFACTS = Path(__file__).parent / "artifacts"


def server_log(request) -> Path:
    """Where a test's server writes its output, to read when the test fails."""
    return ARTIFACTS / "logs" / f"{request.node.name}.log"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the end of its server's log in the report itself: CI keeps
    only what the run prints, and the next local run overwrites the log file."""
    outcome = yield
    report = outcome.get_result()
    log = ARTIFACTS / "logs" / f"{item.name}.log"
    if report.when == "call" and report.failed and log.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-60:]
        report.sections.append(("streamlit server log (last 60 lines)", "\n".join(tail)))


@pytest.fixture
def served_app(tiny_db, tmp_path, request):
    """The app on the tiny warehouse; yields its base URL and stops it afterwards."""
    with serve(tiny_db, server_log(request), AUDIT_LOG=str(tmp_path / "audit.jsonl")) as base:
        yield base


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "make test installs Debian's chromium; run it through make test"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def no_page_not_found(page) -> None:
    """A deep link opens its page inside the app's frame, without Streamlit's "Page not found" dialog
    (which a folder named `pages/` used to cause: Streamlit took it for old-style pages)."""
    page.wait_for_timeout(800)
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0


# Every element that scrolls, and the document if it does: a slide must have none at either size.
SCROLLING = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if ((s.overflowY === 'auto' || s.overflowY === 'scroll') && el.scrollHeight > el.clientHeight + 2) {
      found.push((el.dataset.testid || el.tagName) + ' ' + el.scrollHeight + '>' + el.clientHeight);
    }
  }
  if (document.documentElement.scrollHeight > window.innerHeight + 2) found.push('document');
  return found;
}"""


# Text wider than its box, on the elements a reader reads; boxes of 2 px or less are screen-reader
# only (clipped on purpose).
CUT_OFF = """() => {
  const found = [];
  const selector = '[data-testid="stMetric"], [data-testid="stMetric"] *, button, button *, label, label *, '
    + '[data-testid="stWidgetLabel"] *, [data-testid="stPageLink"] *, .slide-title, .footer';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.offsetParent || el.clientWidth <= 2 || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) found.push(el.textContent.trim().slice(0, 24) + ' '
      + el.scrollWidth + '>' + el.clientWidth);
  }
  return found;
}"""
SIDEWAYS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return document.documentElement.scrollWidth > window.innerWidth + 1
    || (!!main && main.scrollWidth > main.clientWidth + 1);
}"""
# Pairs of tick labels of one axis whose drawn boxes overlap (by more than a pixel).
TICKS_OVERLAP = """() => {
  const found = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const groups = {};
    for (const tick of plot.querySelectorAll('g[class$="tick"] text')) {
      const axis = tick.parentElement.getAttribute('class');
      (groups[axis] = groups[axis] || []).push(tick);
    }
    for (const [axis, texts] of Object.entries(groups)) {
      const boxes = texts.map((t) => [t.textContent, t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [ta, a] = boxes[i], [tb, b] = boxes[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) found.push(axis + ': ' + ta + ' / ' + tb);
      }
    }
  }
  return found;
}"""

# Axes that should show tick labels but show fewer than two (thinning gone wrong leaves none).
TICKS_LOST = """() => {
  const found = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const full = plot._fullLayout || {};
    for (const name of Object.keys(full).filter((key) => /^[xy]axis[0-9]*$/.test(key))) {
      const axis = full[name];
      if (!axis || !axis._id || axis.visible === false || !axis.showticklabels) continue;
      if ((plot.data || []).every((trace) => (trace[axis._id[0] + 'axis'] || axis._id[0]) !== axis._id)) continue;
      const drawn = [...plot.querySelectorAll('g.' + axis._id + 'tick text')].filter((t) => t.textContent.trim());
      const wanted = axis.type === 'category' ? Math.min(2, (axis._categories || []).length) : 2;
      if (drawn.length < wanted && !(plot.data || []).some((trace) => trace.type === 'funnel')) {
        found.push(name + ' of ' + ((full.title && full.title.text) || 'a chart') + ': ' + drawn.length + ' labels');
      }
    }
  }
  return found;
}"""
