"""Charts as PNG images for Word and PDF, drawn by plotly's static export (kaleido) in the system Chromium.

One Chromium is kept warm per process (`_Exporter`): starting it costs a second or more, and a
report or handout used to pay that on every file. It lives on a thread of its own with its own
event loop, so the CLI and Streamlit's script threads (which may not run an event loop) share it;
its two tabs draw two charts at once (two cores). Should it fail, the next file starts a new one.
Kaleido would fetch MathJax from a CDN unless told not to; this machine, and a county's intranet,
has no internet, so MathJax is off and plotly.js comes from the plotly package.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import threading
from concurrent.futures import Future

import plotly.graph_objects as go

log = logging.getLogger(__name__)

WIDTH = 900  # px at scale 1; printed 16 cm wide, so scale 2 gives about 280 dpi
SCALE = 2
TIMEOUT_S = 90
TABS = 2  # charts drawn at once: one per core of the machines this runs on


class ChartsUnavailable(Exception):
    """Charts could not be drawn (no Chromium, or it failed); the message says so in Chinese."""


def _paper(shown: go.Figure) -> go.Figure:
    # Importing streamlit makes its own plotly template the default, and that one leaves axis
    # automargin off: labels would be cut off on paper. Paper gets plotly's white one.
    return go.Figure(shown).update_layout(template="plotly_white")


class _Exporter:
    """A Chromium (kaleido) started on first use and kept for the life of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser: Future | None = None  # resolves to an open kaleido.Kaleido

    def _started(self) -> Future:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="chart-images", daemon=True).start()
            if self._browser is None:
                self._browser = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
            return self._browser

    async def _open(self):
        import kaleido  # imported here: the app's pages do not need it

        browser = kaleido.Kaleido(n=TABS, timeout=TIMEOUT_S, mathjax=False)
        await browser.open()
        return browser

    def warm_up(self) -> None:
        """Start Chromium now, without waiting for it (a page that offers files calls this)."""
        self._started()

    def submit(self, figures: list[go.Figure], width: int) -> Future:
        """Start drawing; the future resolves to the PNGs in order (the caller goes on meanwhile)."""
        browser = self._started()
        job = asyncio.run_coroutine_threadsafe(self._draw(browser, figures, width), self._loop)

        def after(done: Future) -> None:
            if done.cancelled() or done.exception() is not None:  # failed or timed out: start afresh
                self._forget(browser)

        job.add_done_callback(after)
        return job

    async def _draw(self, browser: Future, figures: list[go.Figure], width: int) -> list[bytes]:
        k = await asyncio.wrap_future(browser)

        async def one(shown: go.Figure) -> bytes:
            fig = _paper(shown)
            opts = {"format": "png", "width": width, "height": int(fig.layout.height or 420), "scale": SCALE}
            return await k.calc_fig(fig, opts=opts)

        return list(await asyncio.gather(*(one(f) for f in figures)))

    def _forget(self, browser: Future) -> None:
        """Drop a browser that failed; the next file starts a new one."""
        with self._lock:
            if self._browser is browser:
                self._browser = None
        if _opened(browser):
            asyncio.run_coroutine_threadsafe(browser.result().close(), self._loop)

    def close(self) -> None:
        with self._lock:
            browser, self._browser = self._browser, None
        if browser is not None and _opened(browser):
            with contextlib.suppress(Exception):  # closing at exit: nothing left to tell
                asyncio.run_coroutine_threadsafe(browser.result().close(), self._loop).result(10)


def _opened(browser: Future) -> bool:
    return browser.done() and not browser.cancelled() and browser.exception() is None


_exporter = _Exporter()
atexit.register(_exporter.close)


def warm_up() -> None:
    """Start the chart browser in the background, so the first file does not wait for it."""
    _exporter.warm_up()


class PendingImages:
    """Charts being drawn by the warm Chromium while the caller writes the rest of its document."""

    def __init__(self, figures: list[go.Figure], width: int = WIDTH) -> None:
        self._job = _exporter.submit(figures, width) if figures else None

    def result(self) -> list[bytes]:
        """The PNGs in order; raises ChartsUnavailable when Chromium cannot draw them."""
        if self._job is None:
            return []
        try:
            return self._job.result(TIMEOUT_S + 10)
        except Exception as exc:  # any failure of the browser becomes one message below
            self._job.cancel()
            log.warning("chart export failed: %r", exc)
            raise ChartsUnavailable(
                "图表未能生成（需要系统安装 Chromium：Debian 上运行 `apt-get install chromium`）；"
                "文件中的表格和文字不受影响。"
            ) from exc


def png_images(figures: list[go.Figure], width: int = WIDTH) -> list[bytes]:
    """Each figure as PNG bytes, in order; raises ChartsUnavailable when Chromium cannot draw them."""
    return PendingImages(figures, width).result()
