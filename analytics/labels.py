"""Chinese labels and colours the UI shows: one colour per branch type on every chart."""

from __future__ import annotations

from etl.contract import BRANCH_TYPE_LABELS

COMMITTEE_GROUP = "镇党委"  # the group of a committee's own pledges, whose branch_type is NULL
BRANCH_TYPE_COLOURS = {
    "village": "#C8102E",
    "organ": "#1F5AA6",
    "non_public": "#E08A00",
    "retired": "#3C8D2F",
    "social": "#7B3FA0",
    None: "#6B6B6B",
}


def branch_type_label(code: str | None) -> str:
    return COMMITTEE_GROUP if code is None else BRANCH_TYPE_LABELS.get(code, code)


def percent(rate: float | None) -> str:
    """Rates as percentages with one decimal; no data says so instead of pretending 0."""
    return "无数据" if rate is None else f"{rate * 100:.1f}%"
