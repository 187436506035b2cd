"""Figures of the 总览 page: a town's headline numbers and its fulfilment by branch type."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl

from analytics.labels import BRANCH_TYPE_COLOURS

Query = Callable[..., pl.DataFrame]


def town_headline(query: Query, town_id: str, year: int) -> dict:
    """orgs, members, pledges, approved, fulfilled, vanguards, fulfilment_rate of one town-year."""
    return query("town_overview", town_id=town_id, year=year).row(0, named=True)


def fulfilment_by_branch_type(query: Query, town_id: str, year: int) -> pl.DataFrame:
    """One row per branch type (and 镇党委), with the Chinese label from the warehouse."""
    return query("town_fulfilment_by_branch_type", town_id=town_id, year=year)


def fulfilment_chart(frame: pl.DataFrame) -> go.Figure:
    """Horizontal bars, one colour per branch type, rates in percent with one decimal."""
    shown = frame.filter(pl.col("fulfilment_rate").is_not_null()).sort("fulfilment_rate")
    fig = go.Figure(
        go.Bar(
            x=(shown["fulfilment_rate"] * 100).to_list(),
            y=shown["branch_type_label"].to_list(),
            orientation="h",
            marker_color=[BRANCH_TYPE_COLOURS.get(c, "#6B6B6B") for c in shown["branch_type"]],
            text=[f"{r * 100:.1f}%" for r in shown["fulfilment_rate"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(shown["fulfilled"].to_list(), shown["approved"].to_list(), strict=True)),
            hovertemplate="%{y}<br>兑现率 %{x:.1f}%<br>已兑现 %{customdata[0]} / 通过 %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_layout(
        title="各类党组织承诺兑现率",
        xaxis=dict(title="兑现率（%）", range=[0, 112], tickvals=[0, 20, 40, 60, 80, 100], tickfont=dict(size=18)),
        yaxis=dict(title="", tickfont=dict(size=18)),
        font=dict(size=18, family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"),
        margin=dict(l=10, r=70, t=60, b=40),  # room for the "100.0%" label right of a full bar
        height=420,
    )
    return fig
