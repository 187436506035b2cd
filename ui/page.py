"""Streamlit pieces every page uses: the page's start (selectors, empty warehouse), tables with their
downloads, and notes that say why something is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import polars as pl
import streamlit as st

from access import audit, session
from analytics.labels import mask_name
from ui import chart_view
from ui.app_data import WarehouseUnusable, query
from ui.selection import Selection, choose
from workbench import queries as workbench

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start(title: str | None, *, town: bool = True, branch_type: bool = False, tables: bool = True) -> Selection:
    """Title and selectors; stops the page with a clear message when there is nothing to show.
    `tables=False`: the page has no `table` below its charts (see chart_view.tables_wait)."""
    chart_view.new_run(tables=tables)
    if title:
        st.title(title)
    access = session.current()
    try:
        selection = choose(query, town=town, branch_type=branch_type, only_town=access.town_id)
    except WarehouseUnusable as unusable:
        st.error(str(unusable))
        st.stop()
    if selection is None:
        st.info("仓库中还没有乡镇或承诺数据，请先装载数据。")
        st.stop()
    return selection


def town_names() -> dict[str, str]:
    """Every town's name by code, for pages that pick a town themselves; stops with the reason when
    the warehouse cannot be read."""
    try:
        towns = query("towns")
    except WarehouseUnusable as unusable:
        st.error(str(unusable))
        st.stop()
    return dict(zip(towns["town_id"].to_list(), towns["town_name"].to_list(), strict=True))


def show_names() -> bool:
    """Members' names are masked (王*明) unless the user asks to see them, in the sidebar."""
    return st.sidebar.toggle(
        "显示党员姓名", value=False, key="show_names", help="默认隐藏；下载含姓名的表格会记入审计日志"
    )


def masked(frame: pl.DataFrame, personal: dict[str, str | None]) -> pl.DataFrame:
    """`personal` maps a name column to the boolean column saying the row is a person (None: every row).

    Masked in Python, row by row, never as a Python function inside a polars expression: polars runs
    such a function on its worker threads, which then wait for the GIL, while another session's
    thread may hold the GIL waiting for those same workers (st.dataframe's to_pandas does): the
    whole server froze that way under 50 sessions (seen with py-spy; polars issue 26821)."""
    for column, is_person in personal.items():
        names = frame[column].to_list()
        people = frame[is_person].to_list() if is_person else [True] * frame.height
        shown = [mask_name(name) if person else name for name, person in zip(names, people, strict=True)]
        frame = frame.with_columns(pl.Series(column, shown, dtype=pl.String))
    return frame


def _log_download(name: str, fmt: str, rows: int, names_shown: bool) -> None:
    access = session.current()
    audit.record("download", who=access.who, file=f"{name}.{fmt}", rows=rows, names_shown=names_shown)


def table(
    frame: pl.DataFrame,
    name: str,
    columns: dict[str, str],
    *,
    empty: str,
    personal: dict[str, str | None] | None = None,
) -> None:
    """A table with Chinese headers and CSV/XLSX downloads; `empty` says why there is nothing.

    A table with members' names (`personal`) masks them unless the sidebar says otherwise, and its
    downloads are written to the audit log (who, which file, how many rows, names shown or not).
    """
    if frame.height == 0:
        st.info(empty)
        return
    if chart_view.tables_wait():
        st.caption("表格随图表之后显示……")
        return
    names_shown = bool(personal) and show_names()
    if personal and not names_shown:
        frame = masked(frame, personal)
    shown = frame.select([pl.col(c).alias(label) for c, label in columns.items()])
    # As Arrow: a polars frame is turned into pandas first (7 % of the server's samples under load)
    st.dataframe(shown.to_arrow(), hide_index=True, width="stretch")
    # a row as wide as its buttons: in columns of an eighth of the page they read "下…" at 1024 px
    row = st.container(horizontal=True)
    for fmt, mime in (("csv", "text/csv"), ("xlsx", XLSX)):
        logged = {"on_click": _log_download, "args": (name, fmt, shown.height, names_shown)} if personal else {}
        row.download_button(
            f"下载 {fmt.upper()}", download_file(shown, fmt), f"{name}.{fmt}", mime, key=f"{name}-{fmt}", **logged
        )


FILE_WRITERS: dict[str, Callable[[pl.DataFrame], bytes]] = {
    "csv": workbench.to_csv,
    "xlsx": workbench.to_xlsx,
    "parquet": workbench.to_parquet,
}


def download_file(frame: pl.DataFrame, fmt: str) -> Callable[[], bytes]:
    """The file of a download button, written when the button is clicked (Streamlit's deferred
    download), not at every run. Writing an XLSX takes tens of milliseconds (half a second for
    10,000 rows); written at every run, and cached only so far, it was a fifth of the server's time
    under 50 sessions moving between towns and years (sampled, county demo)."""
    return partial(FILE_WRITERS[fmt], frame)


def percent_column(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """A rate column as the text people read (60.0%), for tables."""
    return frame.with_columns(
        pl.when(pl.col(column).is_null())
        .then(pl.lit("无数据"))
        .otherwise((pl.col(column) * 100).round(1).cast(pl.String) + "%")
        .alias(column)
    )
