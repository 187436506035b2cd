"""Presentation mode for the committee meeting: full-screen slides that advance by themselves.

Everything here is sized for a projector at 1024×768 (the smallest we support) without scrolling:
KPI numbers 72 px, slide titles 40 px, chart text 22 px. Member names are masked (王*明): the room
reads along.
"""

from __future__ import annotations

from html import escape

import polars as pl

from analytics.labels import indicator_value, mask_name
from analytics.readiness import projection_sentence, standard_text

SLIDES = ("概况", "各类党组织兑现率", "五个好得分", "还差几项", "先锋", "全县排名")
DEFAULT_SECONDS = 15
CHART_HEIGHT = 520  # with the title and the footer, under 768 px
FOOTER_PX = 96  # the buttons and the footer under a slide's chart, which fills the rest (1920×1080)
MISSING_ROOM = 8  # lines of the 还差 slide that fit 1024×768 at 26 px

CHROME = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.6rem 2.2rem 0 2.2rem !important; max-width: 100% !important; }
.slide-title { font-size: 40px; font-weight: 700; color: #1F1F1F; margin: 0 0 0.4rem 0; line-height: 1.25; }
.slide-title small { font-size: 26px; color: #5A5A5A; font-weight: 400; margin-left: 1rem; }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.2rem 2rem; margin-top: 1.2rem; }
.kpi .v { font-size: 72px; font-weight: 700; color: #8C1D18; line-height: 1.1; }
.kpi .l { font-size: 28px; color: #1F1F1F; }
.kpi .d { font-size: 22px; color: #3C3C3C; }
.big-list, .big-list li { font-size: 30px !important; line-height: 1.5 !important; color: #1F1F1F; }
.big-list { margin: 0.6rem 0 0 0; }
.big-list li { margin-bottom: 0.3rem; }
.big-list li.more { color: #5A5A5A; }
.missing .big-list, .missing .big-list li { font-size: 26px !important; line-height: 1.4 !important; }
.missing .big-list li { margin-bottom: 0.1rem; }
.group { font-size: 28px; font-weight: 700; color: #1F1F1F; margin: 0.5rem 0 0 0; }
.footer { font-size: 20px; color: #5A5A5A; }
/* the operator's buttons: big enough to hit from a lectern (≥ 24 px) */
[data-testid="stMain"] .stButton button { min-height: 48px; padding: 0.3rem 1.2rem; }
[data-testid="stMain"] .stButton button p { font-size: 24px !important; }
</style>
"""


def slide_index(start: int, elapsed_s: float, seconds: int, paused_at: int | None) -> int:
    """Which slide shows: the paused one, else one more every `seconds` from `start`."""
    if paused_at is not None:
        return paused_at % len(SLIDES)
    return (start + int(elapsed_s // seconds)) % len(SLIDES)


def title(text: str, note: str = "") -> str:
    return f'<div class="slide-title">{escape(text)}<small>{escape(note)}</small></div>'


def kpi_cards(kpis: list[tuple[str, str, str | None, str]]) -> str:
    cards = "".join(
        f'<div class="kpi"><div class="v">{escape(value)}</div><div class="l">{escape(label)}</div>'
        f'<div class="d">{escape(change or "")}</div></div>'
        for label, value, change, _ in kpis
    )
    return f'<div class="kpis">{cards}</div>'


def big_list(lines: list[str]) -> str:
    return '<ul class="big-list">' + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def masked_awardees(rows: list[dict], limit: int = 6) -> list[str]:
    """'学习先锋 王*明（东关村党支部）': members masked, organisations named."""
    shown = []
    for r in rows[:limit]:
        who = mask_name(r["awardee"]) if r["is_member"] else r["awardee"]
        shown.append(f"{r['vanguard_kind']} {who}（{r['org_name']}）")
    return shown


def own_rank(towns, town_id: str, in_progress: bool = False) -> list[str]:
    """One town's place in the county ranking, without the other towns' names or figures; a year in
    progress is ranked on the projection (the frame of analytics.compare.projected_standing)."""
    mine = towns.filter(towns["town_id"] == town_id)
    if mine.height == 0 or mine["rank"][0] is None:
        return ["本年度暂无排名。"]
    row = mine.row(0, named=True)
    if in_progress:
        error = row.get("projected_score_error")
        band = f"，误差约 ±{error:.0f} 分" if error is not None else ""
        return [
            f"按年底推算，本乡镇在全县 {towns.height} 个乡镇中预计排第 {row['rank']} 名",
            f"预计得分 {row['readiness_score']:g} 分（按往年同期推算{band}）",
        ]
    return [f"本乡镇在全县 {towns.height} 个乡镇中排第 {row['rank']} 名", f"示范创建得分 {row['readiness_score']:g} 分"]


def standing_note(result: dict, place: str) -> str:
    """The 五个好 slide's note: the score of a finished year; the projection (预计) and what can be
    measured (已可计分 x / y) in a year in progress."""
    if result.get("year_complete") is False:
        error = result.get("projected_score_error")
        band = f"，误差约 ±{error:.0f} 分" if error is not None else ""
        return (
            f"{place} · 预计 {result['projected_score']:g} 分（{result['projected_status']}{band}）"
            f" · 已可计分 {result['score_measurable']:g} / {result['score_max_measurable']:g}"
        )
    return f"{place} · {result['score']:g} 分 · {result['status']}"


def missing_slide(criteria: pl.DataFrame, result: dict, in_progress: bool, room: int = MISSING_ROOM) -> tuple:
    """(title, note, HTML) of the 还差 slide: every unmet item, or as many as fit and how many more;
    items with no data yet (待填报) apart from real misses, never counted as failed."""
    unmet = [c for c in criteria.iter_rows(named=True) if not c["met"]]
    # 待填报: the annual filing is not in yet (issue 16's awaiting_filing), or no value at all
    unfiled_rows = [c for c in unmet if c.get("awaiting_filing") or c["value"] is None]
    missed = [c for c in unmet if c not in unfiled_rows]
    unfiled = [c["indicator_label"] for c in unfiled_rows]
    # 待填报 is not a shortfall (issue 16): the title counts real misses only, the note both
    title = f"还差 {len(missed)} 项" if missed else ("已可计分的各项均已达标" if unfiled else "各项均已达标")
    note = f"未达标 {len(missed)} 项 · 待填报 {len(unfiled)} 项" if unmet else ""
    parts = []
    room -= 2 if unfiled else 0  # the 待填报 heading and its line of names
    if missed:
        shown = missed if len(missed) <= room else missed[: room - 1]
        lines = [
            f"{c['indicator_label']}：{indicator_value(c['value'], c['unit'])}，"
            f"标准 {standard_text(c['operator'], c['threshold'], c['unit'])}"
            for c in shown
        ]
        more = len(missed) - len(shown)
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        if more:
            items += f'<li class="more">另有 {more} 项未达标，见「示范单位创建」页</li>'
        parts.append(f'<div class="group">未达标 {len(missed)} 项</div><ul class="big-list">{items}</ul>')
    if unfiled:
        why = "（年度考核尚未填报，不计为未达标）" if in_progress else "（没有填报）"
        parts.append(
            f'<div class="group">待填报 {len(unfiled)} 项{escape(why)}</div>'
            f'<ul class="big-list"><li>{escape("、".join(unfiled))}</li></ul>'
        )
    parts.append(f'<ul class="big-list"><li class="more">{escape(projection_sentence(result))}</li></ul>')
    return title, note, '<div class="missing">' + "".join(parts) + "</div>"
