"""The work summary as PDF, written with fpdf2 and the Noto CJK fonts embedded (subset) in the file.

Why not print HTML from Chromium: Chromium embeds these CFF-based fonts as Type 3 glyph drawings
and maps some characters to look-alike radicals (示 → ⽰, 页 → ⻚), so text copied or searched in its
PDF is wrong. fpdf2 embeds the real font (CIDFontType0) with the characters we wrote.
"""

from __future__ import annotations

import copy
import io
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import WrapMode
from fpdf.fonts import SubsetMap, TTFFont

from analytics.report.model import Chart, Heading, Paragraph, Placeholder, Report, Table

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"), Path("/usr/share/fonts"))
FACES = {  # our name → (file, family inside the collection)
    "serif": ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "serif-bold": ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "sans": ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    "sans-bold": ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
    "mono": ("NotoSansCJK-Regular.ttc", "Noto Sans Mono CJK SC"),
}
PLACEHOLDER_FILL = (255, 243, 160)
HEADER_FILL = (232, 232, 232)
INDENT = "\u3000\u3000"  # two ideographic spaces: the Chinese first-line indent
# Line breaking for Chinese: any character may end a line, but a number or Latin word stays whole,
# closing punctuation never starts a line and opening punctuation never ends one (避头尾).
_TOKEN = re.compile(r"[0-9A-Za-z.,%/_+\-:]+|\s|.")
_NO_LINE_START = set("，。、；：？！）》」』】〕”’%…—·,.;:)!?")
_NO_LINE_END = set("（《「『【〔“‘(")


class FontsMissing(Exception):
    """The CJK fonts are not installed; the message says how to install them."""


@dataclass(frozen=True)
class Face:
    path: Path
    index: int


@cache
def faces() -> dict[str, Face]:
    """Where each face is on this machine, found by family name inside the font collections."""
    found = {}
    for name, (file, family) in FACES.items():
        path = next((d / file for d in FONT_DIRS if (d / file).is_file()), None)
        if path is None:
            path = next((p for d in FONT_DIRS if d.is_dir() for p in d.rglob(file)), None)
        if path is None:
            raise FontsMissing("生成 PDF 需要思源（Noto CJK）字体：Debian 上运行 `apt-get install fonts-noto-cjk`。")
        collection = TTCollection(str(path), lazy=True)
        names = [font["name"].getDebugName(1) for font in collection.fonts]
        found[name] = Face(path, names.index(family))
    return found


@cache
def _covered(face: str) -> frozenset[int]:
    f = faces()[face]
    return frozenset(TTCollection(str(f.path), lazy=True).fonts[f.index].getBestCmap())


# What a face costs a document, measured on the county demo's work summary (idle machine, per face):
# parsing it (cmap, widths) about 0.1–0.25 s, subsetting it 0.25 s, and writing it 0.25 s more,
# most of that drawing every kept glyph's outlines to recompute bounding boxes. So each face is
# parsed once per process (_parsed) and every document gets a copy sharing the parsed tables
# (read-only) with a font file of its own to subset (the subsetter changes it in place).
_parsed_faces: dict[str, TTFFont] = {}
_parsing = threading.Lock()  # Streamlit's script threads make files at the same time
# For these CID-keyed CFF fonts fpdf2 embeds the subset CFF table alone (FontFile3/CIDFontType0C),
# so the document's copy of the file keeps only what the subsetter needs to make it: the other
# tables (cmap, hmtx, GSUB, …, several MB to decode) would be subset and then thrown away.
_EMBEDDED_TABLES = {"CFF ", "head", "maxp"}


def _parsed(name: str, pdf: FPDF) -> TTFFont:
    with _parsing:
        font = _parsed_faces.get(name)
        if font is None:
            face = faces()[name]
            family, bold = name.removesuffix("-bold"), name.endswith("-bold")
            font = TTFFont(
                pdf,
                face.path,
                f"{family}{'B' if bold else ''}",
                "B" if bold else "",
                None,
                collection_font_number=face.index,
            )
            # Each document opens its own (_font_file): the decoded tables (about 25 MB a face) go.
            font.ttfont.close()
            font.ttfont = None
            _parsed_faces[name] = font
        return font


def _font_file(font: TTFFont) -> TTFont:
    """The document's own handle on the face's file, opened lazily (nothing decoded yet)."""
    ttfont = TTFont(font.ttffile, fontNumber=font.collection_font_number, lazy=True, recalcTimestamp=False)
    # The embedded subset keeps the whole face's bounding box (it still encloses every glyph kept;
    # the PDF's FontBBox is the whole face's anyway): recomputing it drew every glyph twice.
    ttfont.recalcBBoxes = False
    if font.is_cff and font.is_cid_keyed:
        for tag in list(ttfont.reader.keys()):
            if tag not in _EMBEDDED_TABLES:
                del ttfont[tag]
    return ttfont


def _for_document(name: str, pdf: FPDF) -> TTFFont:
    """The face, parsed once per process, ready for `pdf`: its own subset and font file."""
    font = copy.copy(_parsed(name, pdf))  # shares cmap, widths and glyph ids: never written to
    font.i = len(pdf.fonts) + 1
    font.ttfont = _font_file(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    return font


def missing_glyphs(text: str, face: str = "serif") -> list[str]:
    """Characters of `text` the font cannot draw (they would print as blanks): shown to the user."""
    covered = _covered(face)
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered})


class Document(FPDF):
    """A4 with the CJK fonts and a page number in the footer.

    A face is registered the first time it is set (see _for_document): each face used costs about
    0.2 s when the file is written (subsetting), so a document uses as few as it can.
    """

    def __init__(self, footer: str = "") -> None:
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer
        self._registered: set[str] = set()
        self.set_auto_page_break(True, margin=20)
        self.set_margins(22, 20, 22)
        self.alias_nb_pages("{nb}")

    def set_font(self, family=None, style="", size=0) -> None:
        name = f"{family}-bold" if "B" in (style or "").upper() else family
        if family and name in FACES and name not in self._registered:
            font = _for_document(name, self)
            self.fonts[font.fontkey] = font  # what FPDF.add_font does with the font it parses
            if font.is_cff and font.is_cid_keyed:
                self._set_min_pdf_version("1.6")
            self._registered.add(name)
        super().set_font(family, style, size)

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-14)
        self.set_font("sans", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.footer_text}    第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")
        self.set_text_color(0)

    def room_left(self) -> float:
        return self.h - self.b_margin - self.get_y()

    def lines(self, text: str, width: float) -> list[str]:
        """`text` broken into lines no wider than `width` in the current font (see _TOKEN)."""
        tokens: list[str] = []
        for token in _TOKEN.findall(text):
            if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
                tokens[-1] += token
            else:
                tokens.append(token)
        lines, line = [], ""
        for token in tokens:
            if line and self.get_string_width(line + token) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()]

    def para(self, text: str, *, size: float = 12, face: str = "serif", style: str = "", fill=None, indent=True):
        self.set_font(face, style, size)
        height = size * 0.62
        if fill:
            self.set_fill_color(*fill)
        for line in self.lines((INDENT if indent else "") + text, self.epw):
            self.cell(0, height, line, fill=bool(fill), new_x="LMARGIN", new_y="NEXT")
        self.set_fill_color(255)

    def table_block(self, columns, rows, *, widths=None, numeric=(), size=9.5, mono_column=None):
        self.set_font("sans", size=size)
        align = ["RIGHT" if i in numeric else "LEFT" for i in range(len(columns))]
        with self.table(
            col_widths=widths,
            text_align=align,
            line_height=size * 0.5,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
            wrapmode=WrapMode.CHAR,
            cell_fill_mode="NONE",
            padding=1.2,
            repeat_headings=1,
        ) as table:
            table.row(columns)
            for values in rows:
                row = table.row()
                for i, value in enumerate(values):
                    style = FontFace(family="mono", size_pt=7.5) if i == mono_column else None
                    if values[0] == "合计":
                        style = FontFace(emphasis="BOLD")
                    row.cell(value, style=style)


def _heading(pdf: Document, block: Heading) -> None:
    if pdf.room_left() < 40:  # a heading never ends a page
        pdf.add_page()
    pdf.ln(2)
    pdf.para(block.text, size=14 if block.level == 1 else 12.5, face="sans", style="B", indent=block.level == 2)
    pdf.ln(1)


def _table(pdf: Document, block: Table) -> None:
    if pdf.room_left() < 35:
        pdf.add_page()
    pdf.ln(1)
    pdf.set_font("sans", "B", 10.5)
    pdf.cell(0, 7, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.table_block(block.columns, block.rows, widths=block.widths, numeric=block.numeric)
    _source(pdf, block.source)


def _source(pdf: Document, text: str) -> None:
    pdf.set_font("sans", size=8.5)
    pdf.set_text_color(90)
    pdf.multi_cell(0, 4.5, text, wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(2)


def _chart(pdf: Document, block: Chart, image: bytes | None) -> None:
    if image is None:
        _source(pdf, f"（{block.caption}：图表未能生成，数据见上表）")
        return
    width = 150
    height = width * block.figure.layout.height / 900 if block.figure.layout.height else width * 420 / 900
    if pdf.room_left() < height + 12:
        pdf.add_page()
    pdf.image(io.BytesIO(image), x=(pdf.w - width) / 2, w=width)
    pdf.set_font("sans", "B", 10)
    pdf.cell(0, 6, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    _source(pdf, block.source)


def to_pdf(report: Report, images: list[bytes] | None) -> bytes:
    """The report as PDF bytes; `images` holds one PNG per Chart block in order (None: charts left out)."""
    pdf = Document(footer=f"{report.town_name} {report.year} 年度工作总结（草稿）")
    pdf.set_title(report.title)
    pdf.set_author("创先争优看板")
    pdf.add_page()
    pdf.set_font("serif", "B", 20)
    pdf.multi_cell(0, 11, report.title, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("sans", size=9.5)
    pdf.set_text_color(80)
    pdf.multi_cell(0, 5.5, report.subtitle, align="C", wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(4)
    charts = iter(images or [])
    for block in report.blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            pdf.para(block.text)
            pdf.ln(1)
        elif isinstance(block, Placeholder):
            pdf.para(block.text, fill=PLACEHOLDER_FILL)
            pdf.ln(1)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Chart):
            _chart(pdf, block, next(charts, None))
    pdf.add_page()
    _heading(pdf, Heading(1, "附录：数据来源"))
    pdf.para("正文中的每个数字都可以在 SQL 工作台或 DuckDB 命令行中用下表的查询重新取得（视图的口径见数据字典）。")
    pdf.ln(2)
    pdf.table_block(
        ["序号", "指标", "数值", "查询"],
        [[str(f.number), f.label, f.text, f.sql()] for f in report.figures],
        widths=(10, 30, 18, 108),
        numeric=(0, 2),
        size=8.5,
        mono_column=3,
    )
    return bytes(pdf.output())
