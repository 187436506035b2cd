"""Chinese labels, colours and formats the UI shows: one colour per branch type on every chart."""

from __future__ import annotations

from etl.contract import BRANCH_TYPE_LABELS

# The palette is chosen for colour-blind eyes and a washed-out projector, and tests/test_palette.py
# computes its numbers (analytics/colour_vision.py): any two colours shown together differ by
# ΔE2000 ≥ 20 under normal vision and simulated protanopia, deuteranopia and tritanopia (Machado
# 2009); every bar or line has ≥ 3:1 contrast against the white background; every text mark
# ≥ 4.5:1 against what it sits on. Colour never carries a meaning alone: bars are labelled on their
# axis, statuses are written out or drawn as shapes (STATUS_SYMBOLS).
BACKGROUND = "#FFFFFF"
TEXT = "#1F1F1F"
MUTED_TEXT = "#5A5A5A"  # subtitles, notes: 6.9:1 on white
GRID = "#D9D2CB"  # grid lines only: they should recede, and carry no data

# Labels come from the warehouse (table branch_types, where NULL is 镇党委); colours live here.
BRANCH_TYPE_COLOURS = {
    "village": "#990000",
    "organ": "#1100AA",
    "non_public": "#889900",
    "retired": "#886677",
    "social": "#6677FF",
    None: "#331122",
}
BRANCH_TYPE_LABEL_COLOURS = {
    **{label: BRANCH_TYPE_COLOURS[code] for code, label in BRANCH_TYPE_LABELS.items()},
    "镇党委": BRANCH_TYPE_COLOURS[None],
}
# Short forms for axes and panels, where 非公有制经济组织党支部 would take half a phone's width;
# the full name stays in hover labels and tables.
BRANCH_TYPE_SHORT = {
    "村(社区)党组织": "村(社区)",
    "机关支部": "机关",
    "非公有制经济组织党支部": "非公企业",
    "退休支部": "退休",
    "新社会组织支部": "新社会组织",
    "镇党委": "镇党委",
}
STATUS_COLOURS = {"达标": "#0B4F8C", "接近": "#CC7700", "差距较大": "#7F1713"}
# The same statuses as shapes, for marks whose colour alone would have to carry them (the scatter).
STATUS_SYMBOLS = {"达标": "circle", "接近": "diamond", "差距较大": "x"}
OWN_TOWN = "#1F1F1F"  # the outline that marks the chosen town among the ranked ones
ACCENT = "#8C1D18"  # one-series bars (by level, by category, by award level): 9.1:1 on white
POINTS_WON = "#8C1D18"  # 五个好 得分, white text inside: 9.1:1
POINTS_LOST = "#8C8C8C"  # 失分: 3.4:1 on white, so it shows on a washed-out projector
NO_VANGUARD = "#8C8C8C"  # a kind with no vanguard yet (its bar reads 无 as well)
# 承诺 → 审核 → 通过 → 兑现 in one colour: each step is named on its axis, and white text reads on it.
FUNNEL_COLOUR = ACCENT
# 累计通过, 累计兑现, 兑现目标线: told apart by width, marker and dash as well.
PROGRESS_COLOURS = {"approved": "#6B6B6B", "fulfilled": "#CC0022", "target": "#0B4F8C"}
# The heatmap runs from white to a light red, so its dark numbers read on every cell (≥ 8:1).
HEATMAP_SCALE = ((0.0, "#FFFFFF"), (1.0, "#E9A59B"))

# The colours each chart shows side by side: the pairs the CVD test compares.
SHOWN_TOGETHER = {
    "支部类型": list(BRANCH_TYPE_COLOURS.values()),
    "创建等级": list(STATUS_COLOURS.values()),
    "承诺累计进度": list(PROGRESS_COLOURS.values()),
    "五个好得分与失分": [POINTS_WON, POINTS_LOST],
    "各类先锋人数": [ACCENT, NO_VANGUARD],
}
# Marks drawn on the white background (bars, lines, points): each needs ≥ 3:1 against it.
MARKS = sorted({c for group in SHOWN_TOGETHER.values() for c in group} | {ACCENT, OWN_TOWN})
# Text and what it sits on: each pair needs ≥ 4.5:1.
TEXT_ON = [
    (TEXT, BACKGROUND),
    (MUTED_TEXT, BACKGROUND),
    ("#FFFFFF", POINTS_WON),
    ("#FFFFFF", FUNNEL_COLOUR),
    *[(TEXT, colour) for _, colour in HEATMAP_SCALE],
]


def short_branch_type(label: str | None) -> str:
    """非公有制经济组织党支部 → 非公企业: the form axes and panels use (unknown labels as they are)."""
    if label is None:
        return "镇党委"
    return BRANCH_TYPE_SHORT.get(label, label)


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
