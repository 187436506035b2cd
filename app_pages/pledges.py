"""承诺践诺: 预警, the funnel, fulfilment by branch type, level and category, monthly progress, what falls due."""

import streamlit as st

from analytics import charts, overview
from analytics.compare import branch_type_label
from ui import chart_view
from ui.app_data import query
from ui.page import percent_column, start, table

chosen = start("承诺践诺", branch_type=True)
town, year = chosen.town, chosen.year
params = {"town_id": town["town_id"], "year": year}
narrowed = {**params, "branch_type": chosen.branch_type}  # None: every branch type
scope = "" if chosen.branch_type is None else f" · {branch_type_label(query, chosen.branch_type)}"
st.subheader(f"{town['town_name']} · {year} 年{scope}")
head = query("town_pledge_funnel", **narrowed).row(0, named=True)
if head["pledges"] == 0:
    st.info(
        f"{town['town_name']} {year} 年{scope}没有承诺记录：请确认承诺表已装载该乡镇、该年度的数据，或换一个支部类型。"
    )
    st.stop()

cards = st.columns(5)
cards[0].metric("承诺数", f"{head['pledges']:,}")
cards[1].metric("已通过", f"{head['approved']:,}")
cards[2].metric("已兑现", f"{head['fulfilled']:,}")
cards[3].metric("部分兑现", f"{head['partly_fulfilled']:,}", help="不计入已兑现")
cards[4].metric("逾期", f"{head['overdue']:,}", help=f"已通过、未兑现、完成时限早于 {head['as_of']}")
town_head = overview.headline(query, town["town_id"], year)
line = overview.fulfilment_line(town_head)
if line:
    st.markdown(line)
st.markdown("#### 预警")
for card, (label, value, note) in zip(st.columns(5), overview.warnings(query, **params), strict=True):
    card.metric(label, value, help=note)

progress = query("town_pledge_progress", **narrowed)
if progress.height:
    chart_view.show(chart_view.built(charts.progress, progress))
else:
    st.info("该年度还没有已通过的承诺，无法画出进度。")
left, right = st.columns(2)
chart_view.show(chart_view.built(charts.funnel, head), left)
by_type = query("town_fulfilment_by_branch_type", **params)
chart_view.show(chart_view.built(charts.fulfilment_by_branch_type, by_type), right)
by_level = query("town_pledges_by_level", **narrowed)
chart_view.show(chart_view.built(charts.fulfilment_by_level, by_level, height=340))
by_category = query("town_pledges_by_category", **narrowed)
chart_view.show(
    chart_view.built(charts.fulfilment_by_category, by_category, height=max(360, 40 * by_category.height + 120))
)

st.markdown("#### 兑现率最低的党组织（已通过承诺不少于 3 项）")
lowest = percent_column(query("town_lowest_branches", **narrowed), "fulfilment_rate")
table(
    lowest,
    f"兑现率最低的党组织-{town['town_name']}-{year}",
    {
        "org_name": "组织",
        "branch_type_label": "支部类型",
        "approved": "已通过",
        "fulfilled": "已兑现",
        "overdue": "逾期",
        "fulfilment_rate": "兑现率",
    },
    empty="没有已通过承诺不少于 3 项的党组织。",
)
st.markdown(f"#### 已逾期和 30 天内到期的承诺（截至 {head['as_of']}）")
table(
    query("town_pledges_due", **narrowed),
    f"到期预警-{town['town_name']}-{year}",
    {
        "org_name": "组织",
        "pledger": "承诺人",
        "category": "类别",
        "content": "承诺内容",
        "due_on": "完成时限",
        "fulfilment_status": "践诺状态",
        "days_to_due": "距到期天数",
    },
    empty="没有已逾期或 30 天内到期的承诺。",
    personal={"pledger": "is_member"},
)
st.caption("距到期天数为负数即已逾期；往年的承诺按次年 1 月 1 日计（12 月 31 日到期未兑现即为逾期）。")
