"""The town and year selectors, kept in the sidebar and in the URL so a link opens the same view.

A town or year from the URL is user input: it is used only if it is one of the loaded values.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

Query = Callable[..., pl.DataFrame]


def choose_town_and_year(query: Query) -> tuple[dict, int] | None:
    towns = query("towns")
    years = query("years")["year"].to_list()
    if towns.height == 0 or not years:
        return None
    town_ids = towns["town_id"].to_list()
    names = dict(zip(town_ids, towns["town_name"].to_list(), strict=True))
    wanted_town = st.query_params.get("town")
    wanted_year = st.query_params.get("year")
    town_index = town_ids.index(wanted_town) if wanted_town in town_ids else 0
    year_strings = [str(y) for y in years]
    year_index = year_strings.index(wanted_year) if wanted_year in year_strings else 0
    town_id = st.sidebar.selectbox("乡镇", town_ids, index=town_index, format_func=names.__getitem__, key="town")
    year = st.sidebar.selectbox("年度", years, index=year_index, key="year")
    st.query_params["town"] = town_id
    st.query_params["year"] = str(year)
    town = towns.filter(pl.col("town_id") == town_id).row(0, named=True)
    return town, int(year)
