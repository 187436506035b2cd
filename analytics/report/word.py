"""The work summary as a Word document (.docx), laid out the way a township office formats its papers.

Fonts follow the usual 党政机关公文 habit (GB/T 9704): title in 宋体 bold, first-level headings in
黑体, second-level in 楷体, body in 仿宋 三号 (16 pt) with a fixed 28 pt line and a two-character
first-line indent. They are named for East Asian text on every style, so Word and WPS pick a
Chinese font instead of drawing Chinese through a Latin one. Placeholders are highlighted yellow.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analytics.report.model import Chart, Heading, Paragraph, Placeholder, Report, Table

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONTS = {1: "黑体", 2: "楷体"}
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
CODE_FONT = "Consolas"
BLACK = RGBColor(0, 0, 0)


def _fonts(target, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Set a run's or style's fonts for Latin and East Asian text (python-docx only sets the Latin one)."""
    target.font.name = latin
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = Pt(16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    for level, font in HEADING_FONTS.items():
        style = doc.styles[f"Heading {level}"]
        _fonts(style, font, font)
        style.font.size = Pt(16)
        style.font.bold = False
        style.font.color.rgb = BLACK
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    _fonts(title, TITLE_FONT, TITLE_FONT)
    title.font.size = Pt(22)
    title.font.bold = True
    title.font.color.rgb = BLACK
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    # Word draws a rule under its built-in Title style; an office paper has none.
    for border in title.element.xpath("./w:pPr/w:pBdr"):
        border.getparent().remove(border)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), TABLE_FONT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    _fonts(footer.add_run(" —"), TABLE_FONT)


def _body(doc, text: str, *, indent: bool = True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    p.add_run(text)
    return p


def _small(doc, text: str, *, centre: bool = False, font: str = TABLE_FONT) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = Pt(16)
    p.paragraph_format.space_after = Pt(6)
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    _fonts(run, font)
    run.font.size = Pt(10.5)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(doc, block: Table) -> None:
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    run = caption.add_run(block.caption)
    _fonts(run, HEADING_FONTS[1])
    run.font.size = Pt(12)
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, label in enumerate(block.columns):
        _cell(table.rows[0].cells[i], label, bold=True, right=False)
        _shade(table.rows[0].cells[i], "E8E8E8")
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for i, value in enumerate(values):
            _cell(cells[i], value, bold=values[0] == "合计", right=i in block.numeric)
    _small(doc, block.source)


def _cell(cell, text: str, *, bold: bool, right: bool) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = Pt(16)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run(text)
    _fonts(run, TABLE_FONT)
    run.font.size = Pt(10.5)
    run.bold = bold


def _chart(doc, block: Chart, image: bytes | None) -> None:
    if image is None:
        _small(doc, f"（{block.caption}：图表未能生成，数据见上表）", centre=True)
        return
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(image), width=Cm(15.5))
    _small(doc, f"{block.caption}（{block.source}）", centre=True)


def _appendix(doc, report: Report) -> None:
    doc.add_heading("附录：数据来源", level=1)
    _body(
        doc,
        "正文中的每个数字都可以在 SQL 工作台或 DuckDB 命令行中用下表的查询重新取得（视图的口径见数据字典）。",
    )
    table = doc.add_table(rows=1, cols=4)
    table.style = doc.styles["Table Grid"]
    for i, label in enumerate(["序号", "指标", "数值", "查询"]):
        _cell(table.rows[0].cells[i], label, bold=True, right=False)
        _shade(table.rows[0].cells[i], "E8E8E8")
    _repeat_header(table.rows[0])
    for figure in report.figures:
        cells = table.add_row().cells
        _cell(cells[0], str(figure.number), bold=False, right=True)
        _cell(cells[1], figure.label, bold=False, right=False)
        _cell(cells[2], figure.text, bold=False, right=True)
        _cell(cells[3], "", bold=False, right=False)
        run = cells[3].paragraphs[0].add_run(figure.sql())
        _fonts(run, TABLE_FONT, CODE_FONT)
        run.font.size = Pt(8)
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(4.2), Cm(2.4), Cm(7.8)), strict=True):
            cell.width = width


def to_docx(report: Report, images: list[bytes] | None) -> bytes:
    """The report as .docx bytes; `images` holds one PNG per Chart block in order (None: charts left out)."""
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = "创先争优看板"
    doc.add_paragraph(report.title, style="Title")
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = subtitle.add_run(report.subtitle)
    _fonts(run, HEADING_FONTS[2], HEADING_FONTS[2])
    run.font.size = Pt(12)
    charts = iter(images or [])
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _body(doc, block.text)
        elif isinstance(block, Placeholder):
            _body(doc, "").add_run(block.text).font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block, next(charts, None))
    _appendix(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
