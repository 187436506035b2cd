"""The selectors (county, town, year, branch type), kept in the sidebar and in the URL so a link opens
the same view.

Every value from the URL is user input: it is used only if it is one of the loaded values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
import streamlit as st

Query = Callable[..., pl.DataFrame]
ALL = "全部"


@dataclass(frozen=True)
class Selection:
    county: str
    towns: pl.DataFrame  # the towns of the chosen county
    town: dict | None  # the chosen town (pages about one town)
    year: int
    branch_type: str | None  # a branch type code, or None for all


def _pick(label: str, options: list, key: str, fmt: Callable = str) -> object:
    """A sidebar selectbox whose starting value comes from the URL when it is one of `options`."""
    wanted = st.query_params.get(key)
    as_text = [str(o) for o in options]
    index = as_text.index(wanted) if wanted in as_text else 0
    chosen = st.sidebar.selectbox(label, options, index=index, format_func=fmt, key=f"pick_{key}")
    st.query_params[key] = str(chosen)
    return chosen


def choose(
    query: Query, *, town: bool = True, branch_type: bool = False, only_town: str | None = None
) -> Selection | None:
    """The sidebar selectors a page needs; None when the warehouse has no towns or years yet.

    `only_town` (a township account's town) is the only town offered, whatever the URL asks for.
    """
    towns = query("towns")
    if only_town is not None:
        towns = towns.filter(pl.col("town_id") == only_town)
    years = query("years")["year"].to_list()
    if towns.height == 0 or not years:
        return None
    counties = sorted(towns["county_name"].unique().to_list())
    county = _pick("县", counties, "county")  # shown with one county too, so the view names its county
    towns = towns.filter(pl.col("county_name") == county)
    chosen_town = None
    if town:
        names = dict(zip(towns["town_id"].to_list(), towns["town_name"].to_list(), strict=True))
        town_id = _pick("乡镇", list(names), "town", names.__getitem__)
        chosen_town = towns.filter(pl.col("town_id") == town_id).row(0, named=True)
    year = int(_pick("年度", years, "year"))
    code = None
    if branch_type:
        types = query("branch_types")
        labels = dict(zip(types["branch_type"].to_list(), types["branch_type_label"].to_list(), strict=True))
        chosen = _pick("支部类型", [ALL, *labels], "branch_type", lambda c: c if c == ALL else labels[c])
        code = None if chosen == ALL else chosen
    return Selection(county, towns, chosen_town, year, code)
