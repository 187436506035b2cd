"""Chinese labels and colours the UI shows: one colour per branch type on every chart."""

from __future__ import annotations

# Labels come from the warehouse (table branch_types, where NULL is 镇党委); colours live here.
BRANCH_TYPE_COLOURS = {
    "village": "#C8102E",
    "organ": "#1F5AA6",
    "non_public": "#E08A00",
    "retired": "#3C8D2F",
    "social": "#7B3FA0",
    None: "#6B6B6B",
}


def percent(rate: float | None) -> str:
    """Rates as percentages with one decimal; no data says so instead of pretending 0."""
    return "无数据" if rate is None else f"{rate * 100:.1f}%"
