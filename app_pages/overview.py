"""总览: the chosen town's headline figures, fulfilment by branch type, vanguards and readiness."""

import streamlit as st

from analytics import charts, overview
from analytics.app_data import query
from analytics.ui import start

chosen = start("创先争优看板 · 总览")
town, year = chosen.town, chosen.year
st.subheader(f"{town['town_name']} · {year} 年")
head = overview.headline(query, town["town_id"], year)
for card, (label, value, change, note) in zip(st.columns(6), overview.kpis(head), strict=True):
    card.metric(label, value, change, help=note)
readiness = head["readiness"]
if readiness:
    missing = "、".join(readiness["criteria_missing"]) or "无"
    in_progress = str(head["as_of"]) < f"{year}-12-31"
    note = "（年度进行中：年度考核尚未填报的项目暂计 0 分，年底推算用上一年度考核结果）" if in_progress else ""
    st.markdown(
        f"**示范创建：{readiness['status']}**，得分 {readiness['score']:g} / {readiness['score_max']:g}；"
        f"按当前进度年底预计 {readiness['projected_score']:g} 分（{readiness['projected_status']}）。"
        f"还差：{missing}。{note}"
    )

left, right = st.columns(2)
by_type = query("town_fulfilment_by_branch_type", town_id=town["town_id"], year=year)
if by_type.height == 0:
    left.info(f"{town['town_name']} {year} 年没有承诺记录。")
else:
    left.plotly_chart(charts.fulfilment_by_branch_type(by_type), width="stretch")
kinds = query("town_vanguards_by_kind", town_id=town["town_id"], year=year)
right.plotly_chart(charts.vanguards_by_kind(kinds), width="stretch")
criteria = query("town_readiness_criteria", town_id=town["town_id"], year=year)
if criteria.height:
    st.plotly_chart(charts.readiness_by_good(criteria, height=360), width="stretch")
st.page_link("app_pages/present.py", label="放映模式（会议投影）", icon=":material/slideshow:")
