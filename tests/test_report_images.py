"""The chart browser behind the Word and PDF files: kept warm, shared by threads, restarted after a failure."""

from __future__ import annotations

import datetime as dt
import io
import threading

import plotly.graph_objects as go
import pytest
from docx import Document as read_docx

from analytics.report import images
from analytics.report.model import Chart, Report
from analytics.report.render import summary_file

PNG = b"\x89PNG\r\n\x1a\n"


def _bars(n: int) -> go.Figure:
    return go.Figure(go.Bar(x=[f"第{i}组" for i in range(n)], y=list(range(1, n + 1))), layout={"height": 300})


def _png_size(data: bytes) -> tuple[int, int]:
    # width and height sit at bytes 16–24 of a PNG's IHDR chunk
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_one_browser_draws_every_file_of_the_process_and_keeps_the_order():
    first = images.png_images([_bars(2), _bars(3)], width=400)
    browser = images._exporter._browser
    second = images.png_images([_bars(4)], width=300)
    assert images._exporter._browser is browser  # the same Chromium, not a new one per file
    assert all(p.startswith(PNG) for p in first + second)
    # the sizes say which image is which: width × scale 2, height 300 × 2
    assert [_png_size(p) for p in first + second] == [(800, 600), (800, 600), (600, 600)]


def test_threads_drawing_at_once_each_get_their_own_images():
    found: dict[int, list[bytes]] = {}

    def draw(width: int) -> None:
        found[width] = images.png_images([_bars(2), _bars(5)], width=width)

    threads = [threading.Thread(target=draw, args=(w,)) for w in (300, 350, 400)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {w: [_png_size(p) for p in found[w]] for w in found} == {
        w: [(2 * w, 600), (2 * w, 600)] for w in (300, 350, 400)
    }


def test_a_failed_browser_leaves_the_charts_out_with_a_note_and_the_next_file_starts_a_new_one(monkeypatch):
    images._exporter.close()

    async def broken(self):
        raise RuntimeError("no chromium here")

    report = Report(
        title="测试",
        subtitle="",
        town_id="T1",
        town_name="东关镇",
        year=2024,
        as_of=dt.date(2024, 12, 31),
        in_progress=False,
        blocks=[Chart("图一", _bars(2), "来源")],
    )
    with monkeypatch.context() as patched:
        patched.setattr(images._Exporter, "_open", broken)
        rendered = summary_file(report, "docx")
    assert len(rendered.notes) == 1 and rendered.notes[0].startswith("图表未能生成")
    doc = read_docx(io.BytesIO(rendered.data))
    assert len(doc.inline_shapes) == 0
    assert any("图一：图表未能生成" in p.text for p in doc.paragraphs)
    # Chromium is back: the next file starts a new browser and has its chart
    rendered = summary_file(report, "docx")
    assert rendered.notes == []
    assert len(read_docx(io.BytesIO(rendered.data)).inline_shapes) == 1


@pytest.fixture(autouse=True, scope="module")
def _close_browser():
    yield
    images._exporter.close()
