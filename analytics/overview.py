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
    head["in_progress"] = head["as_of"] < dt.date(year, 12, 31)
    context = {
        r["indicator"]: r for r in query("town_indicator_context", town_id=town_id, year=year).iter_rows(named=True)
    }
    head["indicators"] = context
    fulfilment = context.get("fulfilment_rate") or {}
    # a year in progress compares with the same date last year (同期), a finished one with last year
    key = "value_same_date_last_year" if head["in_progress"] else "value_last_year"
    head["last_fulfilment_rate"] = fulfilment.get(key)
    readiness = query("town_readiness", town_id=town_id, year=year)
    head["readiness"] = readiness.row(0, named=True) if readiness.height else None
    return head


def fulfilment_change(head: dict) -> str | None:
    """'+5.0 个百分点（比同期）' in a year in progress, '（比上年）' in a finished one; None without a rate."""
    now, last = head["fulfilment_rate"], head["last_fulfilment_rate"]
    if now is None or last is None:
        return None
    # the sign leads: Streamlit reads it for the arrow's direction
    against = "比同期" if head.get("in_progress") else "比上年"
    return f"{(now - last) * 100:+.1f} 个百分点（{against}）"


def projected_text(value: float | None, error: float | None) -> str | None:
    """'预计 86%（按往年同期推算，误差约 ±4 个百分点）' for a rate; None with no projection."""
    if value is None:
        return None
    band = f"，误差约 ±{error * 100:.0f} 个百分点" if error is not None else ""
    return f"预计 {percent(value)}（按往年同期推算{band}）"


def score_text(readiness: dict) -> str:
    """'预计 92 分（达标；按往年同期推算，误差约 ±3 分）' for a year in progress."""
    error = readiness.get("projected_score_error")
    band = f"，误差约 ±{error:.0f} 分" if error is not None else ""
    return f"预计 {readiness['projected_score']:g} 分（{readiness['projected_status']}；按往年同期推算{band}）"


def kpis(head: dict) -> list[tuple[str, str, str | None, str]]:
    """(label, value, change, help) for the six cards, in the order the committee reads them."""
    readiness = head["readiness"]
    met = f"{readiness['criteria_met']}/{readiness['criteria_total']}" if readiness else "无数据"
    met_help = "达标的评分项 / 评分项总数"
    if readiness and head.get("in_progress"):
        met = f"{readiness['criteria_measurable_met']}/{readiness['criteria_measurable']}"
        met_help = f"已可计分项中达标的项数；另有 {readiness['criteria_awaiting']} 项年度考核待填报，不计入"
    against = "与上年同期（截至同月同日）相比" if head.get("in_progress") else "与上一年度全年相比"
    return [
        ("党组织数", f"{head['orgs']:,}", None, "党委、党总支和党支部"),
        ("党员数", f"{head['members']:,}", None, "当年年底前已入党的党员"),
        ("承诺数", f"{head['pledges']:,}", None, "组织承诺和党员承诺，全部审核状态"),
        (
            "兑现率",
            percent(head["fulfilment_rate"]),
            fulfilment_change(head),
            f"已兑现 / 审核通过的承诺；部分兑现不计入；{against}",
        ),
        ("先锋数", f"{head['vanguards']:,}", None, "当年先锋表彰数"),
        ("示范标准达标项", met, None, met_help),
    ]


def readiness_sentence(head: dict, year: int) -> str | None:
    """The readiness line under the cards; a year in progress says why its score is low."""
    readiness = head["readiness"]
    if not readiness:
        return None
    missing = "、".join(readiness["criteria_missing"]) or "无"
    if head["as_of"] < dt.date(year, 12, 31):
        # the year in progress leads with the projection; the current score counts what can be measured
        fulfilment = head.get("indicators", {}).get("fulfilment_rate") or {}
        rate = projected_text(fulfilment.get("projected_value"), fulfilment.get("projection_error"))
        return (
            f"**示范创建：{score_text(readiness)}**；"
            f"已可计分 {readiness['score_measurable']:g} / {readiness['score_max_measurable']:g}，"
            f"{readiness['criteria_awaiting']} 项年度考核待填报（不计 0 分，也不计入）。"
            + (f"兑现率{rate}。" if rate else "")
        )
    score = f"得分 {readiness['score']:g} / {readiness['score_max']:g}"
    return f"**示范创建：{readiness['status']}**，{score}（全年结果）。还差：{missing}。"


def fulfilment_line(head: dict) -> str | None:
    """The town's fulfilment against 同期 (year in progress) or last year, with the projection."""
    if head["fulfilment_rate"] is None:
        return None
    change = fulfilment_change(head)
    if not head.get("in_progress"):
        return f"全镇兑现率 {percent(head['fulfilment_rate'])}" + (f"，{change}" if change else "")
    fulfilment = head.get("indicators", {}).get("fulfilment_rate") or {}
    projected = projected_text(fulfilment.get("projected_value"), fulfilment.get("projection_error"))
    same = head["last_fulfilment_rate"]
    against = (
        f"上年同期（截至同月同日）{percent(same)}，{(head['fulfilment_rate'] - same) * 100:+.1f} 个百分点"
        if same is not None
        else "上年同期无数据"
    )
    return f"全镇兑现率 {percent(head['fulfilment_rate'])}，{against}" + (f"；年底{projected}" if projected else "")


def warnings(query: Query, town_id: str, year: int) -> list[tuple[str, str, str]]:
    """The 预警 counts (label, value, help): what the committee can act on now."""
    w = query("town_warnings", town_id=town_id, year=year).row(0, named=True)
    return [
        ("30天内到期", f"{w['due_soon']:,}", "已通过、未兑现，0 至 30 天内到期的承诺"),
        ("已逾期", f"{w['overdue']:,}", "已通过、未兑现、已过完成时限的承诺"),
        ("未作组织承诺", f"{w['orgs_without_pledge']:,}", "今年还没有作出组织承诺的党组织数"),
        ("先锋空缺类别", f"{w['kinds_without_vanguard']:,}", "六类先锋中今年还没有人获评的类别数"),
        ("考核已填报", f"{w['orgs_assessed']:,} / {w['orgs']:,}", "已填报本年度年度考核的组织 / 全部组织"),
    ]
