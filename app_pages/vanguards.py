"""先锋风采: vanguards by kind and branch type, per 100 members, by award level, and who they are."""

import streamlit as st

from analytics import charts, overview, vanguards
from ui import chart_view
from ui.app_data import query
from ui.page import start, table

chosen = start("先锋风采")
town, year = chosen.town, chosen.year
params = {"town_id": town["town_id"], "year": year}
st.subheader(f"{town['town_name']} · {year} 年")
kinds = query("town_vanguards_by_kind", **params)
per_type = query("town_vanguards_per_100_by_type", **params)
head = vanguards.summary(kinds, per_type)
town_head = overview.headline(query, **params)
compared = vanguards.against_last_year(town_head["indicators"], town_head["in_progress"])
cards = st.columns(3)
cards[0].metric("先锋数", f"{head['total']:,}")
cards[1].metric("先锋类别", head["kinds"], compared["deltas"].get("vanguard_kinds"))
cards[2].metric("每百名党员先锋数", head["per_100"], compared["deltas"].get("vanguards_per_100"))
if compared["projection"]:
    st.markdown(compared["projection"] + "；同期指上年截至同月同日。")
if head["missing"]:
    st.warning("尚无：" + "、".join(head["missing"]))
if head["total"] == 0:
    st.info(f"{town['town_name']} {year} 年没有先锋表彰记录。")
    st.stop()

left, right = st.columns(2)
chart_view.show(chart_view.built(charts.vanguards_by_kind, kinds), left)
matrix = query("town_vanguards_matrix", **params)
chart_view.show(chart_view.built(charts.vanguard_matrix, matrix, kinds["vanguard_kind"].to_list()), right)
left, right = st.columns(2)
chart_view.show(chart_view.built(charts.per_100_by_type, per_type), left)
chart_view.show(chart_view.built(charts.awards_by_level, query("town_awards_by_level", **params)), right)

st.markdown("#### 受表彰名单")
table(
    query("town_awardees", **params),
    f"先锋名单-{town['town_name']}-{year}",
    {
        "vanguard_kind": "先锋类别",
        "awardee": "受表彰者",
        "org_name": "所在组织",
        "branch_type_label": "支部类型",
        "level": "表彰级别",
        "awarded_on": "表彰日期",
    },
    empty="没有表彰记录。",
    personal={"awardee": "is_member"},
)
