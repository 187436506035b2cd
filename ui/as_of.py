"""截至 …: the date the warehouse's figures are counted to, said on every page (in the sidebar)."""

from __future__ import annotations

import streamlit as st

from ui.app_data import WarehouseUnusable, query


def sidebar_note() -> None:
    """数据截至 2026年11月20日: the live warehouse's as-of date (nothing when there is no warehouse yet)."""
    try:
        rows = query("warehouse_as_of")
    except WarehouseUnusable:
        return  # the page itself says why the warehouse cannot be read
    if rows.height:
        day = rows["as_of"][0]
        st.sidebar.caption(
            f"数据截至 {day.year}年{day.month}月{day.day}日", help="统计截止日：当年未结束时据此判断逾期和进度"
        )
