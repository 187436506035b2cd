"""The 乡镇对比 page: the ranking in words and as a table with movement."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

Query = Callable[..., pl.DataFrame]


def movement(change: int | None) -> str:
    if change is None:
        return "—（上年无数据）"
    if change > 0:
        return f"↑ {change}"
    if change < 0:
        return f"↓ {-change}"
    return "→ 持平"


def ranking_table(towns: pl.DataFrame) -> pl.DataFrame:
    return towns.sort("rank", "town_id").with_columns(
        pl.Series("movement", [movement(c) for c in towns.sort("rank", "town_id")["rank_change"]], pl.String),
        pl.format("{}/{}", "criteria_met", "criteria_total").alias("criteria"),
        pl.col("readiness_score").round(1),
        pl.col("vanguards_per_100").round(2),
    )


def headline(towns: pl.DataFrame) -> str:
    """Who is closest to the standard, and how many are there already: the first sentence of the page."""
    best = towns.sort("readiness_score", descending=True).row(0, named=True)
    passed = towns.filter(pl.col("readiness_status") == "达标").height
    near = towns.filter(pl.col("readiness_status") == "接近").height
    return (
        f"**最接近示范标准：{best['town_name']}**（{best['readiness_score']:g} 分，{best['readiness_status']}）。"
        f"达标 {passed} 个，接近 {near} 个，差距较大 {towns.height - passed - near} 个。"
    )


def branch_type_label(query: Query, code: str) -> str:
    types = query("branch_types")
    return types.filter(pl.col("branch_type") == code)["branch_type_label"][0]
