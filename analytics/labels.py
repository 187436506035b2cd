"""Chinese labels, colours and formats the UI shows: one colour per branch type on every chart."""

from __future__ import annotations

from etl.contract import BRANCH_TYPE_LABELS

# Labels come from the warehouse (table branch_types, where NULL is 镇党委); colours live here.
BRANCH_TYPE_COLOURS = {
    "village": "#C8102E",
    "organ": "#1F5AA6",
    "non_public": "#E08A00",
    "retired": "#3C8D2F",
    "social": "#7B3FA0",
    None: "#6B6B6B",
}
BRANCH_TYPE_LABEL_COLOURS = {
    **{label: BRANCH_TYPE_COLOURS[code] for code, label in BRANCH_TYPE_LABELS.items()},
    "镇党委": BRANCH_TYPE_COLOURS[None],
}
STATUS_COLOURS = {"达标": "#3C8D2F", "接近": "#E08A00", "差距较大": "#C8102E"}


def percent(rate: float | None) -> str:
    """Rates as percentages with one decimal; no data says so instead of pretending 0."""
    return "无数据" if rate is None else f"{rate * 100:.1f}%"


def mask_name(name: str | None) -> str:
    """王小明 → 王*明, 张三 → 张*, 欧阳小明 → 欧**明: for the projector, where the room reads along."""
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def indicator_value(value: float | None, unit: str) -> str:
    """A criterion's value as a person reads it: shares in percent, counts with their unit."""
    if value is None:
        return "无数据"
    if unit == "比例":
        return percent(value)
    return f"{value:.1f} {unit}" if value != int(value) else f"{int(value)} {unit}"
