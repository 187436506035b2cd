"""The PDF's CJK faces are parsed once per process and shared by every document (analytics.report.pdf).

What is shared must not leak between documents, and what each document embeds must draw exactly what
fpdf2's own embedding draws. The reference is fpdf2's unmodified path (FPDF.add_font on the same
font file, a new parse each time): its pages rendered by PDFium, and the text PDFium extracts, are
the expected values. Each document uses three faces (serif, sans bold, mono) and characters of its own,
so a subset carried over from a previous document, or a glyph missing from the shared tables, shows as
different pixels.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
import pytest
from fontTools.cffLib import CFFFontSet
from fpdf import FPDF
from pypdf import PdfReader

from analytics.report import pdf as report_pdf

# Two texts with different characters (and a rare one, 䶮, from CJK extension A) for the two documents.
TEXTS = (
    "东关镇党委 2026 年度承诺兑现率 60.0%，刘䶮",
    "西湖乡党总支：先锋人数 13 名（每百名 75.0 名）",
)
MONO = "select count(*) from v_pledges"


def _write(pdf: FPDF, text: str) -> bytes:
    pdf.set_margins(20, 20, 20)  # the same page for both (Document has margins of its own)
    pdf.add_page()
    pdf.set_font("serif", size=14)
    pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("sans", "B", 12)
    pdf.cell(0, 10, text[::-1], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("mono", size=9)
    pdf.cell(0, 10, MONO, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _reference(text: str) -> bytes:
    """The same page through fpdf2's own font embedding (add_font, no sharing, no trimming)."""
    pdf = FPDF(format="A4", unit="mm")
    for name, family, style in (("serif", "serif", ""), ("sans-bold", "sans", "B"), ("mono", "mono", "")):
        face = report_pdf.faces()[name]
        pdf.add_font(family, style, str(face.path), collection_font_number=face.index)
    return _write(pdf, text)


def _seen(data: bytes) -> tuple[str, bytes, list[tuple[str, ...]]]:
    """What a reader gets: the page's extracted text and its pixels (rendered at 2×); and the glyphs
    (CIDs) each embedded font holds, so a subset that also carries another document's glyphs shows."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        text, pixels = page.get_textpage().get_text_range(), page.render(scale=2).to_pil().tobytes()
    finally:
        doc.close()
    return text, pixels, sorted(_glyphs(font.get_object()) for font in _fonts(data))


def _fonts(data: bytes) -> list:
    return list(PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values())


def _glyphs(font) -> tuple[str, ...]:
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()), None)
    return tuple(cff[cff.fontNames[0]].charset)


@pytest.fixture(scope="module")
def references() -> dict[str, tuple]:
    return {text: _seen(_reference(text)) for text in TEXTS}


def test_documents_made_one_after_another_draw_what_fpdf2_draws(references):
    for text in (*TEXTS, TEXTS[0]):  # the third reuses faces the first two have already subset
        extracted, pixels, glyphs = _seen(_write(report_pdf.Document(), text))
        assert extracted == references[text][0]
        assert all(ch in extracted for ch in text + MONO if not ch.isspace())
        assert pixels == references[text][1], text
        assert glyphs == references[text][2], text


def test_documents_made_at_the_same_time_each_draw_their_own_text(references):
    made: dict[str, bytes] = {}

    def make(text: str) -> None:
        made[text] = _write(report_pdf.Document(), text)

    threads = [threading.Thread(target=make, args=(text,)) for text in TEXTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for text in TEXTS:
        assert _seen(made[text]) == references[text], text


def test_a_document_embeds_only_the_compact_font_table_and_the_faces_are_parsed_once():
    _write(report_pdf.Document(), TEXTS[0])
    parsed = dict(report_pdf._parsed_faces)
    document = report_pdf.Document()
    _write(document, TEXTS[1])
    assert report_pdf._parsed_faces == parsed  # the same objects: nothing parsed again
    assert all(font.ttfont is None for font in parsed.values())  # the decoded tables are not kept
    for font in document.fonts.values():
        assert set(font.ttfont.keys()) <= report_pdf._EMBEDDED_TABLES | {"GlyphOrder"}
