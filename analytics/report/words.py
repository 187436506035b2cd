"""How figures are said in the report: percentages, counts and how they moved against last year."""

from __future__ import annotations

from analytics.labels import indicator_value
from analytics.labels import percent as pct

# A change smaller than what the report prints (0.1 percentage point) reads as no change.
STEADY_POINTS = 0.05


def count(value: int | None, unit: str) -> str:
    return "无数据" if value is None else f"{int(value)} {unit}"


def rate_change(now: float | None, last: float | None, in_progress: bool = False) -> str:
    """'，比上年提高 1.2 个百分点' / '下降' / '与上年持平'; empty when either year has no rate.

    Part of a year is not comparable with a whole one (pledges fall due through the year), so a
    year in progress states last year's figure instead of a rise or a fall.
    """
    if now is None or last is None:
        return ""
    if in_progress:
        return f"（上年全年 {pct(last)}）"
    points = (now - last) * 100
    if abs(points) < STEADY_POINTS:
        return "，与上年持平"
    return f"，比上年{'提高' if points > 0 else '下降'} {abs(points):.1f} 个百分点"


def same_date_change(now: float | None, same_date: float | None, last: float | None) -> str:
    """A rate of a year in progress against the same date last year (同期), with last year's whole
    beside it: '，比上年同期提高 3.0 个百分点（上年全年 85.0%）'."""
    if now is None or same_date is None:
        return f"（上年全年 {pct(last)}）" if now is not None and last is not None else ""
    points = (now - same_date) * 100
    whole = f"（上年全年 {pct(last)}）" if last is not None else ""
    if abs(points) < STEADY_POINTS:
        return f"，与上年同期持平{whole}"
    return f"，比上年同期{'提高' if points > 0 else '下降'} {abs(points):.1f} 个百分点{whole}"


def count_change(now: int | None, last: int | None, unit: str, in_progress: bool) -> str:
    """Counts of a year in progress are not comparable with a whole year: say last year's total instead."""
    if now is None or last is None:
        return ""
    if in_progress:
        return f"（上年全年 {int(last)} {unit}）"
    if now == last:
        return "，与上年持平"
    return f"，比上年{'增加' if now > last else '减少'} {abs(int(now) - int(last))} {unit}"


def value_change(now: float | None, last: float | None, unit: str, in_progress: bool = False) -> str:
    """A criterion's movement: shares in percentage points, counts in their unit."""
    if now is None or last is None:
        return ""
    if in_progress:
        return f"（上年全年 {indicator_value(last, unit)}）"
    if unit == "比例":
        return rate_change(now, last)
    if abs(now - last) < 1e-9:
        return "，与上年持平"
    return f"，比上年{'增加' if now > last else '减少'} {indicator_value(abs(now - last), unit)}"


def gap_words(gap: float, unit: str) -> str:
    """How far from the standard: shares in percentage points (5.6 个百分点, not 5.6%)."""
    return f"{gap * 100:.1f} 个百分点" if unit == "比例" else indicator_value(gap, unit)


OPERATOR_WORDS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "=": "等于"}


def standard_words(operator: str, threshold: float, unit: str) -> str:
    if unit != "比例" and operator == "<=" and threshold == 0:
        return "为 0"
    return f"{OPERATOR_WORDS.get(operator, operator)} {indicator_value(threshold, unit)}"


def target_words(operator: str, threshold: float, unit: str) -> str:
    """What reaching the standard means, as a task for next year."""
    if operator in (">=", ">"):
        return f"提高到 {indicator_value(threshold, unit)}{'以上' if operator == '>' else ''}"
    if operator in ("<=", "<"):
        return "降为 0" if threshold == 0 else f"控制在 {indicator_value(threshold, unit)}以内"
    return f"达到 {indicator_value(threshold, unit)}"
