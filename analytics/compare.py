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


def projected_standing(towns: pl.DataFrame) -> pl.DataFrame:
    """The towns as a year in progress ranks them: on the year-end projection, labelled 预计.

    The current score of a year in progress lacks the annual assessment (待填报), so ranking on it
    would rank towns by what they have not filed; the projection is what the year is heading for.
    The measured score stays beside it as 已可计分 x / y.
    """
    return towns.with_columns(
        pl.col("projected_score").alias("readiness_score"),
        pl.col("projected_rank").alias("rank"),
        (pl.col("previous_rank") - pl.col("projected_rank")).alias("rank_change"),
        ("预计" + pl.col("projected_status")).alias("readiness_status"),
        pl.format("{}/{}", pl.col("score_measurable").round(1), pl.col("score_max_measurable")).alias("measurable"),
    )


def ranking_table(towns: pl.DataFrame) -> pl.DataFrame:
    ordered = towns.sort("rank", "town_id")
    return ordered.with_columns(
        pl.Series("movement", [movement(c) for c in ordered["rank_change"]], pl.String),
        pl.format("{}/{}", "criteria_met", "criteria_total").alias("criteria"),
        pl.col("readiness_score").round(1),
        pl.col("vanguards_per_100").round(2),
    )


def headline(towns: pl.DataFrame, year_in_progress: bool) -> str:
    """Who is closest to the standard, and how many are there already: the first sentence of the page.

    In a year still in progress the annual assessment is not in yet, so the current score undercounts
    every town alike; the sentence then leads with the year-end projection, and says so.
    """
    if year_in_progress:
        best = towns.sort("projected_score", "town_id", descending=[True, False]).row(0, named=True)
        projected = {s: towns.filter(pl.col("projected_status") == s).height for s in ("达标", "接近", "差距较大")}
        error = best.get("projected_score_error")
        band = f"，误差约 ±{error:.0f} 分" if error is not None else ""
        return (
            f"**年底预计最接近示范标准：{best['town_name']}**（预计 {best['projected_score']:g} 分，"
            f"{best['projected_status']}；按往年同期推算{band}）。"
            f"预计达标 {projected['达标']} 个，接近 {projected['接近']} 个，差距较大 {projected['差距较大']} 个。"
            " 年度进行中，排名按年底推算；年度考核待填报的项目不计 0 分（见“已可计分”）。"
        )
    best = towns.sort("readiness_score", "town_id", descending=[True, False]).row(0, named=True)
    counts = {s: towns.filter(pl.col("readiness_status") == s).height for s in ("达标", "接近", "差距较大")}
    return (
        f"**目前最接近示范标准：{best['town_name']}**（{best['readiness_score']:g} 分，{best['readiness_status']}）。"
        f"达标 {counts['达标']} 个，接近 {counts['接近']} 个，差距较大 {counts['差距较大']} 个。"
    )


def branch_type_label(query: Query, code: str) -> str:
    types = query("branch_types")
    return types.filter(pl.col("branch_type") == code)["branch_type_label"][0]


def scatter_points(query: Query, towns: pl.DataFrame, year: int, code: str | None) -> pl.DataFrame:
    """Fulfilment against vanguards per 100 members for each town: of all branch types, or of one."""
    if code is None:
        return towns
    return (
        query("compare_branch_type", year=year, branch_type=code)
        .filter(pl.col("town_id").is_in(towns["town_id"].implode()))
        .join(towns.select("town_id", "readiness_status"), on="town_id", how="left")
    )
