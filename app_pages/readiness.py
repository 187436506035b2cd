"""示范单位创建: the five goods as a scorecard, what is still missing, the projection, and the rows behind."""

import streamlit as st

from analytics import charts, readiness
from ui import chart_view
from ui.app_data import query
from ui.page import start, table

chosen = start("示范单位创建")
town, year = chosen.town, chosen.year
params = {"town_id": town["town_id"], "year": year}
st.subheader(f"{town['town_name']} · {year} 年")
found = query("town_readiness", **params)
criteria = query("town_readiness_criteria", **params)
if found.height == 0 or criteria.height == 0:
    st.info("没有这一年度的示范创建结果：仓库中没有评定标准，或该乡镇该年度没有数据。")
    st.stop()
result = found.row(0, named=True)

in_progress = readiness.in_progress(result)
cards = st.columns(4 if in_progress else 3)  # a finished year has its result, nothing to project
if in_progress:
    # a year in progress leads with the projection; the current score counts only what can be measured
    cards[0].metric("预计等级", result["projected_status"], help="按往年同期推算的年底等级" + readiness.band(result))
    cards[1].metric(
        "已可计分",
        f"{result['score_measurable']:g} / {result['score_max_measurable']:g}",
        help=f"{result['criteria_awaiting']} 项年度考核待填报：不计 0 分，也不计入满分",
    )
    cards[2].metric("达标项（已可计分）", f"{result['criteria_measurable_met']}/{result['criteria_measurable']}")
else:
    cards[0].metric("等级", result["status"], help="达标 / 接近 / 差距较大；一票否决项未达标即为差距较大")
    cards[1].metric(f"得分（满分 {result['score_max']:g}）", f"{result['score']:g}")
    cards[2].metric("达标项", f"{result['criteria_met']}/{result['criteria_total']}")
if in_progress:
    cards[3].metric(
        "年底推算",
        f"{result['projected_score']:g} 分",
        help="按往年同期规律推算（兑现和表彰的季节、上年结果）；年度考核未填报时用上一年度" + readiness.band(result),
    )
st.markdown(readiness.projection_sentence(result))
veto = readiness.veto_message(criteria)
if veto:
    (st.warning if veto[0] == "no_data" else st.error)(veto[1])
missing = [c["indicator_label"] for c in readiness.unmet(criteria)]  # 待填报 is not a shortfall
if missing:
    st.markdown(f"**还差 {len(missing)} 项**：" + "、".join(missing))
else:
    st.success("已可计分的各项均已达标。" if result["criteria_awaiting"] else "各项均已达标。")
if result["criteria_awaiting"]:
    st.info(f"{readiness.measurable_text(result)}：年度考核在年度结束后填报，填报前这些项目不计 0 分，也不计入满分。")

chart_view.show(chart_view.built(charts.readiness_by_good, readiness.measurable(criteria), height=380))
st.markdown("#### 评分细则对照")
table(
    readiness.scorecard(criteria),
    f"示范标准对照-{town['town_name']}-{year}",
    {c: c for c in ["五个好", "指标", "当前值", "标准", "达标", "差距", "得分", "年底推算"]},
    empty="",
)

st.markdown("#### 每一项背后的记录")
items = {row["criterion_id"]: row for row in criteria.iter_rows(named=True)}
picked = st.selectbox(
    "选择评分项，查看背后的记录",
    list(items),
    format_func=lambda cid: readiness.criterion_choice(items[cid]),
    key="readiness_item",
)
item = items[picked]
st.caption(item["description"])
name, columns, what = readiness.DETAILS[item["indicator"]]
extra = {"indicator": item["indicator"]} if name == "readiness_rows_pledges" else {}
rows = query(name, **params, **extra)
st.markdown(f"**{what}**（{rows.height} 行）")
table(
    rows,
    f"{item['criterion_id']}-{town['town_name']}-{year}",
    columns,
    empty=readiness.no_records_text(item),
    personal=readiness.PERSONAL.get(name),
)
