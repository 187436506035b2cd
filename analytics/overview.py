"""Figures of the 总览 page and the projector's first slide: a town's headline in one year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from analytics.labels import percent

Query = Callable[..., pl.DataFrame]


def headline(query: Query, town_id: str, year: int) -> dict:
    """The town-year's figures, with last year's fulfilment rate beside them (None when there was none)."""
    head = query("town_overview", town_id=town_id, year=year).row(0, named=True)
    last = query("town_overview", town_id=town_id, year=year - 1)
    head["last_fulfilment_rate"] = last["fulfilment_rate"][0] if last.height else None
    readiness = query("town_readiness", town_id=town_id, year=year)
    head["readiness"] = readiness.row(0, named=True) if readiness.height else None
    return head


def fulfilment_change(head: dict) -> str | None:
    """'+5.0 个百分点' against last year, or None when either year has no rate."""
    now, last = head["fulfilment_rate"], head["last_fulfilment_rate"]
    if now is None or last is None:
        return None
    return f"{(now - last) * 100:+.1f} 个百分点"


def kpis(head: dict) -> list[tuple[str, str, str | None, str]]:
    """(label, value, change, help) for the six cards, in the order the committee reads them."""
    readiness = head["readiness"]
    met = f"{readiness['criteria_met']}/{readiness['criteria_total']}" if readiness else "无数据"
    return [
        ("党组织数", f"{head['orgs']:,}", None, "党委、党总支和党支部"),
        ("党员数", f"{head['members']:,}", None, "当年年底前已入党的党员"),
        ("承诺数", f"{head['pledges']:,}", None, "组织承诺和党员承诺，全部审核状态"),
        (
            "兑现率",
            percent(head["fulfilment_rate"]),
            fulfilment_change(head),
            "已兑现 / 审核通过的承诺；部分兑现不计入；与上年全年相比（年度进行中时为截至统计截止日）",
        ),
        ("先锋数", f"{head['vanguards']:,}", None, "当年先锋表彰数"),
        ("示范标准达标项", met, None, "达标的评分项 / 评分项总数"),
    ]


def readiness_sentence(head: dict, year: int) -> str | None:
    """The readiness line under the cards; a year in progress says why its score is low."""
    readiness = head["readiness"]
    if not readiness:
        return None
    missing = "、".join(readiness["criteria_missing"]) or "无"
    in_progress = head["as_of"] < dt.date(year, 12, 31)
    note = "（年度进行中：年度考核尚未填报的项目暂计 0 分，年底推算用上一年度考核结果）" if in_progress else ""
    # a finished year has its final score: no projection to speak of
    projection = (
        f"；按当前进度年底预计 {readiness['projected_score']:g} 分（{readiness['projected_status']}）。"
        if in_progress
        else "（全年结果）。"
    )
    return (
        f"**示范创建：{readiness['status']}**，得分 {readiness['score']:g} / {readiness['score_max']:g}"
        f"{projection}还差：{missing}。{note}"
    )
