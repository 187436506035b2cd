"""The 示范单位创建 page: the standard as a scorecard, what is missing, and the rows behind each item."""

from __future__ import annotations

import polars as pl

from analytics.labels import indicator_value

OPERATOR_WORDS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}

# For each indicator, the named query that lists the rows behind it, and that query's columns.
PLEDGE_COLUMNS = {
    "org_name": "组织",
    "pledger": "承诺人",
    "content": "承诺内容",
    "review_status": "审核状态",
    "fulfilment_status": "践诺状态",
    "due_on": "完成时限",
    "mass_rating": "群众评议",
}
ASSESSMENT_COLUMNS = {
    "org_name": "组织",
    "leadership_grade": "班子考核等次",
    "violations": "违纪违法人数",
    "failed_members": "考核不合格人数",
    "meetings_held": "组织生活次数",
    "survey_respondents": "测评人数",
    "survey_satisfied": "满意",
    "survey_basic": "基本满意",
}
DETAILS = {
    "fulfilment_rate": ("readiness_rows_pledges", PLEDGE_COLUMNS, "已通过但未兑现的承诺"),
    "member_fulfilment_rate": ("readiness_rows_pledges", PLEDGE_COLUMNS, "已通过但未兑现的党员承诺"),
    "overdue_pledges": ("readiness_rows_pledges", PLEDGE_COLUMNS, "逾期未兑现的承诺"),
    "review_rate": ("readiness_rows_pledges", PLEDGE_COLUMNS, "尚未审核的承诺"),
    "mass_rating_rate": ("readiness_rows_pledges", PLEDGE_COLUMNS, "群众评议为不满意的承诺"),
    "member_coverage": (
        "readiness_rows_members",
        {"name": "姓名", "org_name": "所在组织", "branch_type_label": "支部类型", "joined_on": "入党日期"},
        "尚无已通过承诺的党员",
    ),
    "org_pledge_coverage": (
        "readiness_rows_orgs",
        {"org_name": "组织", "org_level_label": "层级", "branch_type_label": "支部类型"},
        "当年没有作出组织承诺的党组织",
    ),
    "vanguards_per_100": (
        "readiness_rows_vanguards",
        {"vanguard_kind": "先锋类别", "branch_type_label": "支部类型", "vanguards": "人数"},
        "当年先锋（按类别和支部类型）",
    ),
    "vanguard_kinds": (
        "readiness_rows_vanguards",
        {"vanguard_kind": "先锋类别", "branch_type_label": "支部类型", "vanguards": "人数"},
        "当年先锋（按类别和支部类型）",
    ),
    **{
        code: ("readiness_rows_assessments", ASSESSMENT_COLUMNS, "各组织年度考核")
        for code in ("violations", "failed_members", "leadership_good_rate", "meetings_per_org", "satisfaction_rate")
    },
}


# The name columns of the detail queries that hold members' names (masked unless asked for), each
# with the column saying the row is a member (None: every row is).
PERSONAL = {
    "readiness_rows_pledges": {"pledger": "is_member"},
    "readiness_rows_members": {"name": None},
}


def standard_text(operator: str, threshold: float, unit: str) -> str:
    return f"{OPERATOR_WORDS.get(operator, operator)} {indicator_value(threshold, unit)}"


def criterion_choice(item: dict) -> str:
    """A criterion as the 每一项背后的记录 list names it, marked as the scorecard marks it: ✓ met,
    ✗ not met, … awaiting the annual filing (a year in progress: not a shortfall), — no data."""
    awaiting = bool(item.get("awaiting_filing"))
    if awaiting:
        mark, value = "…", "待填报"
    else:
        mark = "✓" if item["met"] else ("—" if item["value"] is None else "✗")
        value = indicator_value(item["value"], item["unit"])
    return f"{mark} {item['good']} · {item['indicator_label']}：{value}"


def no_records_text(item: dict) -> str:
    """What an empty list of a criterion's records means: for an item awaiting the annual filing,
    that nothing is filed yet (not that nothing is wrong)."""
    if item.get("awaiting_filing"):
        return "本年度的年度考核尚未填报（年度结束后填报），暂无记录。"
    return "没有需要列出的记录。"


def scorecard(criteria: pl.DataFrame) -> pl.DataFrame:
    """One row per criterion, in words: value, standard, met, gap, points and the year-end projection."""
    rows = []
    for c in criteria.iter_rows(named=True):
        awaiting = bool(c.get("awaiting_filing"))  # an annual item of a year in progress: neither 0 nor counted
        veto = "（一票否决）" if c["veto"] else ""
        rows.append(
            {
                "五个好": c["good"],
                "指标": c["indicator_label"],
                "当前值": "待填报" if awaiting else indicator_value(c["value"], c["unit"]),
                "标准": standard_text(c["operator"], c["threshold"], c["unit"]),
                "达标": "… 待填报"
                if awaiting
                else "✓ 达标"
                if c["met"]
                else ("— 无数据" if c["value"] is None else "✗ 未达标"),
                "差距": "" if awaiting or c["met"] or c["gap"] is None else indicator_value(c["gap"], c["unit"]),
                "得分": (f"待填报（满分 {c['weight']:g}）" if awaiting else f"{c['points']:g} / {c['weight']:g}")
                + veto,
                "年底推算": indicator_value(c["projected_value"], c["unit"])
                + ("，达标" if c["projected_met"] else "，未达标"),
            }
        )
    return pl.DataFrame(rows)


def in_progress(readiness: dict) -> bool:
    """A year still in progress leads with the projection (预计)."""
    return readiness.get("year_complete") is False


def band(readiness: dict) -> str:
    """'，误差约 ±3 分' from the backtest of past years on this date; '' when there is none."""
    error = readiness.get("projected_score_error")
    return f"，误差约 ±{error:.0f} 分" if error is not None else ""


def measurable_text(readiness: dict) -> str:
    """'已可计分 39 / 63（5 项待填报）': the items that can be measured now, 待填报 out of the denominator."""
    text = f"已可计分 {readiness['score_measurable']:g} / {readiness['score_max_measurable']:g}"
    return text + (f"（{readiness['criteria_awaiting']} 项待填报）" if readiness["criteria_awaiting"] else "")


def projection_sentence(readiness: dict) -> str:
    """The year-end projection in one sentence a committee can say out loud."""
    if not in_progress(readiness):
        return f"年度已结束：得分 {readiness['score']:g}，{readiness['status']}。"
    said = f"按往年同期推算，年底预计 {readiness['projected_score']:g} 分{band(readiness)}"
    if readiness["projected_status"] == "达标":
        return f"{said}，可以达标。"
    return f"{said}（{readiness['projected_status']}），还达不到达标线；需加快未达标项。"


def veto_message(criteria: pl.DataFrame) -> tuple[str, str] | None:
    """('no_data' | 'failed', message) when a veto item is not met; missing data is not a failure."""
    vetoes = criteria.filter(pl.col("veto") & ~pl.col("met"))
    if vetoes.height == 0:
        return None
    if vetoes["value"].null_count() == vetoes.height:
        return "no_data", "一票否决项暂无数据（年度考核尚未填报）：填报前不能评为达标。"
    return "failed", "一票否决项未达标：" + "、".join(vetoes["indicator_label"].to_list()) + "，不能评为达标。"


def measurable(criteria: pl.DataFrame) -> pl.DataFrame:
    """The items that can be scored now: a year in progress leaves out those awaiting the annual
    filing (待填报), so a chart of points does not show them as lost."""
    if "awaiting_filing" not in criteria.columns:
        return criteria
    return criteria.filter(~pl.col("awaiting_filing").fill_null(False))


def unmet(criteria: pl.DataFrame) -> list[dict]:
    """The items not met, leaving out those awaiting the annual filing (待填报 is not a shortfall)."""
    return [c for c in criteria.iter_rows(named=True) if not c["met"] and not c.get("awaiting_filing")]


def missing_lines(criteria: pl.DataFrame, result: dict, limit: int = 7) -> list[str]:
    """What is still missing, one line per unmet item (value against standard), the items awaiting
    the annual filing, then the projection."""
    lines = [
        f"{c['indicator_label']}：{indicator_value(c['value'], c['unit'])}，"
        f"标准 {standard_text(c['operator'], c['threshold'], c['unit'])}"
        for c in unmet(criteria)
    ][:limit]
    awaiting = result.get("criteria_awaiting") or 0
    filing = [f"另有 {awaiting} 项年度考核待填报（不计 0 分）"] if awaiting else []
    return (
        (lines or ["已可计分的各项均已达标。" if awaiting else "各项均已达标。"])
        + filing
        + [projection_sentence(result)]
    )
