"""Charts as PNG images for Word and PDF, drawn by plotly's static export (kaleido) in the system Chromium.

One Chromium serves all charts of a document (starting it costs about a second; each chart then a
fraction of that). Kaleido would fetch MathJax from a CDN unless told not to; this machine, and a
county's intranet, has no internet, so MathJax is off and plotly.js comes from the plotly package.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import plotly.graph_objects as go

log = logging.getLogger(__name__)

WIDTH = 900  # px at scale 1; printed 16 cm wide, so scale 2 gives about 280 dpi
SCALE = 2
TIMEOUT_S = 90


class ChartsUnavailable(Exception):
    """Charts could not be drawn (no Chromium, or it failed); the message says so in Chinese."""


async def _render(figures: list[go.Figure], width: int) -> list[bytes]:
    import kaleido  # imported here: the app's pages do not need it

    async with kaleido.Kaleido(n=1, timeout=TIMEOUT_S, mathjax=False) as k:
        images = []
        for shown in figures:
            # Importing streamlit makes its own plotly template the default, and that one leaves
            # axis automargin off: labels would be cut off on paper. Paper gets plotly's white one.
            fig = go.Figure(shown).update_layout(template="plotly_white")
            height = int(fig.layout.height or 420)
            opts = {"format": "png", "width": width, "height": height, "scale": SCALE}
            images.append(await k.calc_fig(fig, opts=opts))
        return images


def png_images(figures: list[go.Figure], width: int = WIDTH) -> list[bytes]:
    """Each figure as PNG bytes, in order; raises ChartsUnavailable when Chromium cannot draw them.

    Runs in its own thread with its own event loop, so it works the same from the CLI and from a
    Streamlit script thread (which may not run an event loop of its own).
    """
    if not figures:
        return []
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["images"] = asyncio.run(_render(figures, width))
        except Exception as exc:  # any failure of the browser becomes one message below
            result["error"] = exc

    thread = threading.Thread(target=work, name="chart-images", daemon=True)
    thread.start()
    thread.join(TIMEOUT_S + 10)
    if "images" in result:
        return result["images"]  # type: ignore[return-value]
    log.warning("chart export failed: %r", result.get("error", "timeout"))
    raise ChartsUnavailable(
        "图表未能生成（需要系统安装 Chromium：Debian 上运行 `apt-get install chromium`）；文件中的表格和文字不受影响。"
    )
