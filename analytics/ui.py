"""Streamlit pieces every page uses: the page's start (selectors, empty warehouse), tables with their
downloads, and notes that say why something is empty.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import workbench
from analytics.app_data import WarehouseUnusable, query
from analytics.selection import Selection, choose

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start(title: str | None, *, town: bool = True, branch_type: bool = False) -> Selection:
    """Title and selectors; stops the page with a clear message when there is nothing to show."""
    if title:
        st.title(title)
    try:
        selection = choose(query, town=town, branch_type=branch_type)
    except WarehouseUnusable as unusable:
        st.error(str(unusable))
        st.stop()
    if selection is None:
        st.info("仓库中还没有乡镇或承诺数据，请先装载数据。")
        st.stop()
    return selection


def table(frame: pl.DataFrame, name: str, columns: dict[str, str], *, empty: str) -> None:
    """A table with Chinese headers and CSV/XLSX downloads; `empty` says why there is nothing."""
    if frame.height == 0:
        st.info(empty)
        return
    shown = frame.select([pl.col(c).alias(label) for c, label in columns.items()])
    st.dataframe(shown, hide_index=True, width="stretch")
    files = exports(shown)
    left, right, _ = st.columns([1, 1, 6])
    left.download_button("下载 CSV", files["csv"], f"{name}.csv", "text/csv", key=f"{name}-csv")
    right.download_button("下载 XLSX", files["xlsx"], f"{name}.xlsx", XLSX, key=f"{name}-xlsx")


@st.cache_data(max_entries=256, show_spinner=False)
def exports(frame: pl.DataFrame) -> dict[str, bytes]:
    """The frame as CSV, XLSX and Parquet bytes, made once per distinct frame.

    Writing an XLSX takes tens of milliseconds (half a second for 10,000 rows), and every widget click
    reruns the page with the same tables.
    """
    return {"csv": workbench.to_csv(frame), "xlsx": workbench.to_xlsx(frame), "parquet": workbench.to_parquet(frame)}


def percent_column(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A rate column as the text people read (60.0%), for tables."""
    return frame.with_columns(
        pl.when(pl.col(column).is_null())
        .then(pl.lit("无数据"))
        .otherwise((pl.col(column) * 100).round(1).cast(pl.String) + "%")
        .alias(column)
    )
