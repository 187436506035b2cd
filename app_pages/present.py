"""放映模式: full-screen slides for the committee's projector; they advance by themselves.

URL: /present?town=T0001&year=2026&every=15 (seconds per slide); &slide=3 starts at a slide;
&pause=1 holds it. No sidebar, no toolbar; nothing to scroll at 1024×768.
"""

import time

import polars as pl
import streamlit as st

from access import session
from analytics import charts, compare, overview, present, readiness
from ui import chart_view
from ui.app_data import query
from ui.page import start

st.markdown(present.CHROME, unsafe_allow_html=True)
chosen = start(None, tables=False)
town, year = chosen.town, chosen.year
params = {"town_id": town["town_id"], "year": year}


STILL = {"displayModeBar": False, "staticPlot": True}  # a slide has no chart toolbar and nothing to hover


def chart(figure, where=None) -> None:
    chart_view.show(figure, where, config=STILL, fill=present.FOOTER_PX)


def _int(name: str, default: int, low: int, high: int) -> int:
    text = st.query_params.get(name, "")
    return min(high, max(low, int(text))) if text.isdigit() else default


seconds = _int("every", present.DEFAULT_SECONDS, 5, 300)
first = _int("slide", 1, 1, len(present.SLIDES)) - 1
state = st.session_state.setdefault("present", {"started": time.monotonic(), "first": first, "paused_at": None})
if st.query_params.get("pause") == "1" and state["paused_at"] is None:
    state["paused_at"] = first


def show(index: int) -> None:
    name = present.SLIDES[index]
    place = f"{town['town_name']} · {year} 年"
    if name == "概况":
        head = overview.headline(query, **params)
        st.markdown(
            present.title(f"{town['town_name']}创先争优", f"{year} 年 · 截至 {head['as_of']}"), unsafe_allow_html=True
        )
        st.markdown(present.kpi_cards(overview.kpis(head)), unsafe_allow_html=True)
    elif name == "各类党组织兑现率":
        st.markdown(present.title(name, place), unsafe_allow_html=True)
        frame = query("town_fulfilment_by_branch_type", **params)
        if frame.height:
            chart(chart_view.built(charts.fulfilment_by_branch_type, frame, big=True, height=present.CHART_HEIGHT))
        else:
            st.markdown(present.big_list(["这一年度还没有承诺记录。"]), unsafe_allow_html=True)
    elif name == "五个好得分":
        criteria = query("town_readiness_criteria", **params)
        result = query("town_readiness", **params).row(0, named=True)
        st.markdown(present.title("示范单位创建：五个好", present.standing_note(result, place)), unsafe_allow_html=True)
        chart(
            chart_view.built(
                charts.readiness_by_good, readiness.measurable(criteria), big=True, height=present.CHART_HEIGHT
            )
        )
    elif name == "还差几项":
        criteria = query("town_readiness_criteria", **params)
        result = query("town_readiness", **params).row(0, named=True)
        in_progress = year in query("years_in_progress")["year"].to_list()
        heading, counts, items = present.missing_slide(criteria, result, in_progress)
        st.markdown(present.title(heading, f"{place} · {counts}" if counts else place), unsafe_allow_html=True)
        st.markdown(items, unsafe_allow_html=True)
    elif name == "先锋":
        st.markdown(present.title("先锋示范", place), unsafe_allow_html=True)
        left, right = st.columns([3, 2])
        kinds = query("town_vanguards_by_kind", **params)
        chart(chart_view.built(charts.vanguards_by_kind, kinds, big=True, height=present.CHART_HEIGHT), left)
        awardees = query("town_awardees", **params).to_dicts()
        right.markdown(
            present.big_list(present.masked_awardees(awardees) or ["本年度尚无表彰。"]), unsafe_allow_html=True
        )
    else:
        towns = query("compare_towns", year=year)
        towns = towns.filter(towns["county_name"] == town["county_name"])
        in_progress = query("years_in_progress").filter(pl.col("year") == year).height > 0
        if in_progress:
            towns = compare.projected_standing(towns)  # ranked on the projection, labelled 预计
        heading = "全县示范创建排名（年底预计）" if in_progress else "全县示范创建排名"
        st.markdown(present.title(heading, f"{town['county_name']} · {year} 年"), unsafe_allow_html=True)
        if session.current().can_compare_towns:
            bands = query("criteria_bands")
            chart(
                chart_view.built(
                    charts.ranking, towns, highlight=town["town_id"], bands=bands, big=True, height=present.CHART_HEIGHT
                )
            )
        else:  # a township account sees its own place, not the other towns' figures
            lines = present.own_rank(towns, town["town_id"], in_progress)
            st.markdown(present.big_list(lines), unsafe_allow_html=True)


@st.fragment(run_every=None if state["paused_at"] is not None else seconds)
def slides() -> None:
    index = present.slide_index(state["first"], time.monotonic() - state["started"], seconds, state["paused_at"])
    show(index)
    # one row as wide as its buttons: in ninths of 1024 px "上一张" broke over two lines
    controls = st.container(horizontal=True, vertical_alignment="center")
    paused = state["paused_at"] is not None
    back = controls.button("上一张", key="slide_back")
    hold = controls.button("继续" if paused else "暂停", key="slide_hold")
    ahead = controls.button("下一张", key="slide_next")
    if back or ahead:
        target = index + (1 if ahead else -1)
        state.update(first=target, started=time.monotonic(), paused_at=target if paused else None)
        st.rerun(scope="fragment")
    if hold:
        # Pausing stops the timer, so the whole page reruns to rebuild the fragment without it.
        state.update(first=index, started=time.monotonic(), paused_at=None if paused else index)
        st.rerun()
    status = "已暂停" if state["paused_at"] is not None else f"每 {seconds} 秒自动翻页"
    controls.markdown(
        f'<div class="footer">{index + 1} / {len(present.SLIDES)} · {present.SLIDES[index]} · {status}</div>',
        unsafe_allow_html=True,
    )


slides()
