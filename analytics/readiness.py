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


def scorecard(criteria: pl.DataFrame) -> pl.DataFrame:
    """One row per criterion, in words: value, standard, met, gap, points and the year-end projection."""
    rows = []
    for c in criteria.iter_rows(named=True):
        rows.append(
            {
                "五个好": c["good"],
                "指标": c["indicator_label"],
                "当前值": indicator_value(c["value"], c["unit"]),
                "标准": standard_text(c["operator"], c["threshold"], c["unit"]),
                "达标": "✓ 达标" if c["met"] else ("— 无数据" if c["value"] is None else "✗ 未达标"),
                "差距": "" if c["met"] or c["gap"] is None else indicator_value(c["gap"], c["unit"]),
                "得分": f"{c['points']:g} / {c['weight']:g}" + ("（一票否决）" if c["veto"] else ""),
                "年底推算": indicator_value(c["projected_value"], c["unit"])
                + ("，达标" if c["projected_met"] else "，未达标"),
            }
        )
    return pl.DataFrame(rows)


def projection_sentence(readiness: dict, in_progress: bool = True) -> str:
    """The year-end projection in one sentence a committee can say out loud; a finished year has no
    projection, only its result."""
    if not in_progress:
        return f"{readiness['score']:g} 分，全年结果：{readiness['status']}。"
    if readiness["projected_status"] == "达标":
        return f"按当前进度，年底预计 {readiness['projected_score']:g} 分，可以达标。"
    return (
        f"按当前进度，年底预计 {readiness['projected_score']:g} 分（{readiness['projected_status']}），"
        f"还达不到达标线；需加快未达标项。"
    )


def veto_message(criteria: pl.DataFrame) -> tuple[str, str] | None:
    """('no_data' | 'failed', message) when a veto item is not met; missing data is not a failure."""
    vetoes = criteria.filter(pl.col("veto") & ~pl.col("met"))
    if vetoes.height == 0:
        return None
    if vetoes["value"].null_count() == vetoes.height:
        return "no_data", "一票否决项暂无数据（年度考核尚未填报）：填报前不能评为达标。"
    return "failed", "一票否决项未达标：" + "、".join(vetoes["indicator_label"].to_list()) + "，不能评为达标。"


def missing_lines(criteria: pl.DataFrame, result: dict, limit: int = 7, in_progress: bool = True) -> list[str]:
    """What is still missing, one line per unmet item (value against standard), then the projection."""
    lines = [
        f"{c['indicator_label']}：{indicator_value(c['value'], c['unit'])}，"
        f"标准 {standard_text(c['operator'], c['threshold'], c['unit'])}"
        for c in criteria.iter_rows(named=True)
        if not c["met"]
    ][:limit]
    return (lines or ["各项均已达标。"]) + [projection_sentence(result, in_progress)]
