"""The backtest of the year-end projection, as `python -m analytics backtest` prints it.

The replay itself is SQL (sql/views/v_projection_backtest.sql, computed at load): every finished year
that has a finished year before it is projected again from its own records at each month end, with
only the years before it to learn the season from, and set against what the year really ended at.
Here the rows are only put into words.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

Query = Callable[..., pl.DataFrame]


def backtest_rows(query: Query) -> pl.DataFrame:
    """One row per indicator and month end: cases, mean and worst error of the seasonal projection
    and of the linear pace (rates in 0–1, the score in points), and for the score the share of
    towns whose projected status was the one the year earned."""
    return query("projection_backtest")


def _error(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "比例":
        return f"{value * 100:.1f} 个百分点"
    if unit == "分":
        return f"{value:.1f} 分"
    return f"{value:.2f}"


def backtest_text(rows: pl.DataFrame) -> str:
    """The printed report: a block per indicator, a line per month end."""
    if rows.is_empty():
        return "仓库中没有可回测的年度：至少需要两个已结束的年度（回测年度及其上一年度）。"
    lines = ["年底推算回测：每个往年在各月月末按当时已有记录重新推算，与全年实际值比较（平均误差 / 最大误差）"]
    for (label, unit), block in rows.group_by(["indicator_label", "unit"], maintain_order=True):
        lines.append(f"\n{label}（{unit}）")
        lines.append("  月末  乡镇年度数  按往年同期推算            线性推算")
        for r in block.iter_rows(named=True):
            seasonal = f"{_error(r['mean_abs_error'], unit)} / {_error(r['max_abs_error'], unit)}"
            linear = f"{_error(r['linear_mean_abs_error'], unit)} / {_error(r['linear_max_abs_error'], unit)}"
            status = ""
            if r["status_match_share"] is not None:
                status = (
                    f"  等级一致 {r['status_match_share'] * 100:.0f}%"
                    f"（线性 {r['linear_status_match_share'] * 100:.0f}%）"
                )
            lines.append(f"  {r['month']:>2} 月  {r['cases']:>8}  {seasonal:<24}  {linear}{status}")
    return "\n".join(lines)
