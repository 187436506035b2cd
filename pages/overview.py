"""总览: the chosen town's headline figures and fulfilment by branch type."""

import streamlit as st

from analytics import overview
from analytics.app_data import WarehouseUnusable, query
from analytics.labels import percent
from analytics.selection import choose_town_and_year

st.title("创先争优看板 · 总览")
try:
    choice = choose_town_and_year(query)
except WarehouseUnusable as unusable:
    st.error(str(unusable))
    st.stop()
if choice is None:
    st.info("仓库中还没有乡镇或承诺数据，请先装载数据。")
    st.stop()

town, year = choice
st.subheader(f"{town['town_name']} · {year} 年")
head = overview.town_headline(query, town["town_id"], year)
cards = st.columns(5)
cards[0].metric("党组织数", f"{head['orgs']:,}")
cards[1].metric("党员数", f"{head['members']:,}", help="当年年底前已入党的党员")
cards[2].metric("承诺数", f"{head['pledges']:,}")
cards[3].metric("兑现率", percent(head["fulfilment_rate"]), help="已兑现 / 审核通过的承诺；部分兑现不计入")
cards[4].metric("先锋数", f"{head['vanguards']:,}")

by_type = overview.fulfilment_by_branch_type(query, town["town_id"], year)
if by_type.height == 0:
    st.info(f"{town['town_name']} {year} 年没有承诺记录。")
else:
    st.plotly_chart(overview.fulfilment_chart(by_type), width="stretch")
