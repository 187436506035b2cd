"""Files from a report: the Word and PDF work summary and the PDF handout, with what the user should know.

`Rendered.notes` carries what went less than perfectly (charts left out because Chromium is missing,
characters the font cannot draw), so the CLI and the page can say it instead of hiding it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

from analytics.report import handout as handout_module
from analytics.report import pdf, word
from analytics.report.images import ChartsUnavailable, PendingImages, png_images
from analytics.report.model import Chart, Report

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"


@dataclass
class Rendered:
    data: bytes
    mime: str
    notes: list[str] = field(default_factory=list)


def _images(figures: list[go.Figure], notes: list[str], width: int | None = None) -> list[bytes] | None:
    try:
        return png_images(figures, **({"width": width} if width else {}))
    except ChartsUnavailable as unavailable:
        notes.append(str(unavailable))
        return None


class _DrawnMeanwhile:
    """The charts' images as the document asks for them, drawn by Chromium (on the other core)
    while Python writes the document: it waits only where the first chart goes, not before the
    title. Iterated once; if Chromium fails it yields nothing, and each chart becomes the
    document's "图表未能生成" line, exactly as when no images were given."""

    def __init__(self, figures: list[go.Figure], notes: list[str]) -> None:
        self.pending, self.notes = PendingImages(figures), notes

    def __bool__(self) -> bool:
        return True

    def __iter__(self):
        try:
            yield from self.pending.result()
        except ChartsUnavailable as unavailable:
            self.notes.insert(0, str(unavailable))


def glyph_note(missing: list[str]) -> list[str]:
    if not missing:
        return []
    return [f"以下字符在 PDF 字体中没有，将显示为空白，请在 Word 版中核对：{' '.join(missing)}"]


def summary_file(report: Report, fmt: str) -> Rendered:
    """`fmt` is 'docx' or 'pdf'."""
    if fmt not in ("docx", "pdf"):
        raise ValueError(f"unknown report format {fmt!r}")
    notes: list[str] = []
    figures = [b.figure for b in report.blocks if isinstance(b, Chart)]
    images = _DrawnMeanwhile(figures, notes) if figures else None
    if fmt == "docx":
        return Rendered(word.to_docx(report, images), DOCX_MIME, notes)
    notes += glyph_note(pdf.missing_glyphs(report.text()))
    return Rendered(pdf.to_pdf(report, images), PDF_MIME, notes)


def handout_file(sheet: handout_module.Handout) -> Rendered:
    notes: list[str] = glyph_note(handout_module.handout_missing_glyphs(sheet))
    images = _images([f for _, f in sheet.charts], notes, width=handout_module.CHART_WIDTH_PX)
    return Rendered(handout_module.to_pdf(sheet, images), PDF_MIME, notes)
