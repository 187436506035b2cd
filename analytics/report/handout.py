"""The one-page A4 handout of a town's overview, for the committee meeting's table.

The same figures as the 总览 page and the projector's first slide (analytics.overview), on paper:
six figures, the standing against the standard, two charts, the scorecard and the lagging
organisations. Everything is sized to fit one page; `to_pdf` refuses to return more than one.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from analytics import charts, overview
from analytics.labels import indicator_value
from analytics.readiness import projection_sentence, standard_text
from analytics.report.build import NoReportData, Query
from analytics.report.pdf import Document, missing_glyphs

CHART_WIDTH_PX = 640
CHART_HEIGHT_PX = 500
LAGGING_SHOWN = 3


@dataclass
class Handout:
    town_name: str
    year: int
    as_of_text: str
    cards: list[tuple[str, str, str | None]]
    lines: list[str]
    charts: list[tuple[str, go.Figure]]
    scorecard: list[list[str]]
    lagging: str | None

    def text(self) -> str:
        cells = [c for row in self.scorecard for c in row]
        cards = [part for card in self.cards for part in card if part]
        return "\n".join([self.town_name, self.as_of_text, *cards, *self.lines, *cells, self.lagging or ""])


def handout(query: Query, town_id: str, year: int) -> Handout:
    """The handout's content; raises NoReportData when the town has nothing for the year."""
    found = query("report_town_summary", town_id=town_id, year=year)
    if found.height == 0 or not (found["members"][0] or found["pledges"][0]):
        raise NoReportData(f"乡镇“{town_id}”{year}年没有党员和承诺记录，无法生成简报：请先装载该镇的数据。")
    head = overview.headline(query, town_id, year)
    town_name = found["town_name"][0]
    cards = [(label, value, change) for label, value, change, _ in overview.kpis(head)]
    lines = []
    readiness = head["readiness"]
    if readiness:
        in_progress = head["as_of"] < dt.date(year, 12, 31)
        lines.append(
            f"示范创建：{readiness['status']}，得分 {readiness['score']:g} / {readiness['score_max']:g}，"
            f"{readiness['criteria_met']}/{readiness['criteria_total']} 项达标。"
            + projection_sentence(readiness, in_progress)
        )
    criteria = query("town_readiness_criteria", town_id=town_id, year=year)
    unmet = [c for c in criteria.iter_rows(named=True) if not c["met"]]
    short = [c["indicator_label"] for c in unmet if c["value"] is not None]
    unknown = [c["indicator_label"] for c in unmet if c["value"] is None]
    if short:
        lines.append("还差：" + "、".join(short) + "。")
    if unknown:
        lines.append("暂无数据（年度考核或满意度测评未填报，暂计 0 分）：" + "、".join(unknown) + "。")
    by_type = query("town_fulfilment_by_branch_type", town_id=town_id, year=year)
    kinds = query("town_vanguards_by_kind", town_id=town_id, year=year)
    figures = []
    if by_type["approved"].sum():
        figures.append(
            ("各类党组织承诺兑现率", charts.fulfilment_by_branch_type(by_type, height=CHART_HEIGHT_PX, big=True))
        )
    figures.append(("各类先锋人数", charts.vanguards_by_kind(kinds, height=CHART_HEIGHT_PX, big=True)))
    lagging = query("town_lowest_branches", town_id=town_id, year=year, branch_type=None)
    lagging = lagging.filter(pl.col("fulfilment_rate") < 1).head(LAGGING_SHOWN)
    as_of = head["as_of"]
    return Handout(
        town_name=town_name,
        year=year,
        as_of_text=f"{year}年度 · 数据截至{as_of.year}年{as_of.month}月{as_of.day}日 · 创先争优看板",
        cards=cards,
        lines=lines,
        charts=figures,
        scorecard=[
            [
                c["good"],
                c["indicator_label"],
                indicator_value(c["value"], c["unit"]),
                standard_text(c["operator"], c["threshold"], c["unit"]),
                "达标" if c["met"] else ("无数据" if c["value"] is None else "未达标"),
                f"{c['points']:g}/{c['weight']:g}",
            ]
            for c in criteria.iter_rows(named=True)
        ],
        lagging=(
            "兑现率较低："
            + "；".join(f"{r['org_name']} {r['fulfilment_rate'] * 100:.1f}%" for r in lagging.iter_rows(named=True))
            if lagging.height
            else None
        ),
    )


class HandoutTooLong(Exception):
    """The content did not fit one page (a bug in the sizing above, never the user's doing)."""


def _cards(pdf: Document, cards: list[tuple[str, str, str | None]]) -> None:
    gap, top, height = 3, pdf.get_y(), 21
    width = (pdf.epw - gap * (len(cards) - 1)) / len(cards)
    for i, (label, value, change) in enumerate(cards):
        x = pdf.l_margin + i * (width + gap)
        pdf.set_fill_color(246, 241, 236)
        pdf.rect(x, top, width, height, style="F")
        pdf.set_xy(x, top + 1.5)
        pdf.set_font("sans", size=8.5)
        pdf.cell(width, 4.5, label, align="C")
        pdf.set_xy(x, top + 6.5)
        pdf.set_font("sans", "B", 15 if len(value) < 8 else 11)
        pdf.set_text_color(200, 16, 46)
        pdf.cell(width, 8, value, align="C")
        pdf.set_text_color(0)
        if change:
            pdf.set_xy(x, top + 15)
            pdf.set_font("sans", size=7.5)
            pdf.cell(width, 4, f"比上年 {change}", align="C")
    pdf.set_fill_color(255)
    pdf.set_xy(pdf.l_margin, top + height + 3)


def to_pdf(sheet: Handout, images: list[bytes] | None) -> bytes:
    """The handout as a one-page PDF; `images` holds one PNG per chart (None: charts left out)."""
    pdf = Document()
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=10)
    pdf.set_title(f"{sheet.town_name}{sheet.year}年创先争优简报")
    pdf.set_author("创先争优看板")
    pdf.add_page()
    pdf.set_font("sans", "B", 19)  # one family on the sheet: each face costs time to embed
    pdf.cell(0, 10, f"{sheet.town_name}创先争优工作简报", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("sans", size=9)
    pdf.set_text_color(90)
    pdf.cell(0, 5, sheet.as_of_text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)
    _cards(pdf, sheet.cards)
    for line in sheet.lines:
        pdf.para(line, size=10.5, face="sans", indent=False)
    pdf.ln(2)
    if images:
        top, width = pdf.get_y(), (pdf.epw - 4) / 2
        for i, ((title, _), image) in enumerate(zip(sheet.charts, images, strict=True)):
            x = pdf.l_margin + i * (width + 4)
            pdf.set_xy(x, top)
            pdf.set_font("sans", "B", 10)
            pdf.cell(width, 5, title, align="C")
            pdf.image(io.BytesIO(image), x=x, y=top + 6, w=width)
        pdf.set_xy(pdf.l_margin, top + 6 + width * CHART_HEIGHT_PX / CHART_WIDTH_PX + 2)
    pdf.set_font("sans", "B", 10)
    pdf.cell(0, 6, "示范单位标准逐项对照", new_x="LMARGIN", new_y="NEXT")
    pdf.table_block(
        ["五个好", "指标", "本年度", "标准", "结果", "得分"],
        sheet.scorecard,
        widths=(16, 32, 14, 16, 11, 11),
        numeric=(2, 5),
        size=8,
    )
    if sheet.lagging:
        pdf.ln(1)
        pdf.para(sheet.lagging, size=9, face="sans", indent=False)
    if pdf.page_no() != 1:
        raise HandoutTooLong(f"简报超出一页（{pdf.page_no()} 页）")
    return bytes(pdf.output())


def handout_missing_glyphs(sheet: Handout) -> list[str]:
    return missing_glyphs(sheet.text(), "sans")
