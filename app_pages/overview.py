"""总览: the chosen town's headline figures, fulfilment by branch type, vanguards and readiness."""

import streamlit as st

from analytics import charts, overview, readiness
from ui import chart_view
from ui.app_data import query
from ui.page import start

chosen = start("创先争优看板 · 总览", tables=False)
town, year = chosen.town, chosen.year
st.subheader(f"{town['town_name']} · {year} 年")
head = overview.headline(query, town["town_id"], year)
for card, (label, value, change, note) in zip(st.columns(6), overview.kpis(head), strict=True):
    card.metric(label, value, change, help=note)
sentence = overview.readiness_sentence(head, year)
if sentence:
    st.markdown(sentence)

left, right = st.columns(2)
by_type = query("town_fulfilment_by_branch_type", town_id=town["town_id"], year=year)
if by_type.height == 0:
    left.info(f"{town['town_name']} {year} 年没有承诺记录。")
else:
    chart_view.show(chart_view.built(charts.fulfilment_by_branch_type, by_type), left)
kinds = query("town_vanguards_by_kind", town_id=town["town_id"], year=year)
chart_view.show(chart_view.built(charts.vanguards_by_kind, kinds), right)
# under the first charts: on a phone the headline and the first chart come first (issue 21)
st.markdown("**预警**")
for card, (label, value, note) in zip(st.columns(5), overview.warnings(query, town["town_id"], year), strict=True):
    card.metric(label, value, help=note)
criteria = query("town_readiness_criteria", town_id=town["town_id"], year=year)
if criteria.height:
    chart_view.show(chart_view.built(charts.readiness_by_good, readiness.measurable(criteria), height=360))
st.page_link("app_pages/present.py", label="放映模式（会议投影）", icon=":material/slideshow:")
