"""乡镇对比: for county leaders: ranking and movement, small multiples, fulfilment against vanguards."""

import polars as pl
import streamlit as st

from access import session
from analytics import charts, compare
from ui import chart_view
from ui.app_data import query
from ui.page import percent_column, start, table

session.require(session.current().can_compare_towns, "其他乡镇的数据（乡镇账号只能查看本乡镇）")
chosen = start("乡镇对比", town=False, branch_type=True)
year, code = chosen.year, chosen.branch_type
town_ids = chosen.towns["town_id"].to_list()
towns = query("compare_towns", year=year).filter(pl.col("town_id").is_in(town_ids))
if towns.height == 0:
    st.info(f"{year} 年没有乡镇数据。")
    st.stop()
st.subheader(
    f"{year} 年 · {towns.height} 个乡镇" + ("" if code is None else f" · {compare.branch_type_label(query, code)}")
)
if code is not None:  # the standard scores whole towns: say so, rather than let the filter seem to rank
    st.caption("排名按全镇计算（示范创建得分不分支部类型）；所选支部类型只作用于散点图和分组小图。")
in_progress = query("years_in_progress").filter(pl.col("year") == year).height > 0
st.markdown(compare.headline(towns, in_progress))
if in_progress:
    towns = compare.projected_standing(towns)  # ranked, scored and graded on the projection (预计)

bands = query("criteria_bands")
chart_view.show(chart_view.built(charts.ranking, towns, bands=bands, height=max(360, 34 * towns.height + 120)))
points = compare.scatter_points(query, towns, year, code)
chart_view.show(chart_view.built(charts.fulfilment_vs_vanguards, points, height=480))

st.markdown("#### 排名与变化")
ranked = percent_column(percent_column(compare.ranking_table(towns), "fulfilment_rate"), "coverage_rate")
table(
    ranked,
    f"乡镇对比-{year}",
    {
        "rank": "排名",
        "movement": "较上年",
        "town_name": "乡镇",
        "readiness_score": "预计得分" if in_progress else "得分",
        "readiness_status": "等级",
        **({"measurable": "已可计分"} if in_progress else {"criteria": "达标项"}),
        "fulfilment_rate": "兑现率",
        "vanguards_per_100": "每百名党员先锋数",
        "coverage_rate": "党员承诺覆盖率",
        "members": "党员数",
    },
    empty="",
)
multiples = query("compare_fulfilment_by_branch_type", year=year).filter(pl.col("town_id").is_in(town_ids))
if code is not None:
    multiples = multiples.filter(pl.col("branch_type") == code)
if multiples.height:
    chart_view.show(chart_view.built(charts.small_multiples, multiples))
else:
    st.info("所选支部类型在这一年度没有承诺记录。")
