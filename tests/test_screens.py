"""Issue 21's logic outside the browser: the 还差 slide, finished years, the ranking's scale and bands,
未填报 goods, scatter names that do not pile up, narrow forms, Beijing time. Frames made by hand."""

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from analytics import charts, labels, overview, present, readiness
from analytics.times import beijing_time
from ui.chart_view import screen_spec

RESULT = {
    "score": 61.0,
    "status": "差距较大",
    "projected_score": 72.0,
    "projected_status": "差距较大",
    "year_complete": False,
}
FINISHED = {**RESULT, "year_complete": True}


def _criteria(rows: list[tuple]) -> pl.DataFrame:
    """(label, value, met) rows; every criterion a share with standard ≥ 90%."""
    return pl.DataFrame(
        {
            "indicator_label": [r[0] for r in rows],
            "unit": ["比例"] * len(rows),
            "value": [r[1] for r in rows],
            "operator": [">="] * len(rows),
            "threshold": [0.9] * len(rows),
            "met": [r[2] for r in rows],
        },
        schema_overrides={"value": pl.Float64},
    )


def test_the_missing_slide_counts_every_item_and_keeps_unfiled_apart():
    # 3 missed, 2 unfiled, 1 met: the title says 3 (待填报 is no shortfall), the note 3 + 2; room 4
    # less 2 for the 待填报 block leaves 2 lines: 1 item and "另有 2 项"
    criteria = _criteria(
        [
            ("甲率", 0.5, False),
            ("乙率", 0.6, False),
            ("丙率", 0.7, False),
            ("丁率", None, False),
            ("戊率", None, False),
            ("己率", 0.95, True),
        ]
    )
    title, note, html = present.missing_slide(criteria, RESULT, in_progress=True, room=4)
    assert (title, note) == ("还差 3 项", "未达标 3 项 · 待填报 2 项")  # 待填报 is not a shortfall
    assert "甲率：50.0%，标准 ≥ 90.0%" in html and "乙率" not in html
    assert "另有 2 项未达标" in html
    assert "待填报 2 项（年度考核尚未填报，不计为未达标）" in html and "丁率、戊率" in html
    assert "年底预计 72 分" in html
    # with room for all three, every one is listed and nothing is "另有"
    _, _, html = present.missing_slide(criteria, RESULT, in_progress=True, room=5)
    assert all(name in html for name in ("甲率", "乙率", "丙率")) and "另有" not in html


def test_the_missing_slide_when_all_is_met_and_the_year_is_over():
    title, note, html = present.missing_slide(_criteria([("甲率", 0.95, True)]), FINISHED, in_progress=False)
    assert (title, note) == ("各项均已达标", "")
    assert "预计" not in html and "年度已结束：得分 61，差距较大。" in html


def test_a_finished_year_never_projects():
    assert readiness.projection_sentence(FINISHED) == "年度已结束：得分 61，差距较大。"
    assert readiness.projection_sentence(RESULT).startswith("按往年同期推算，年底预计 72 分")


def _towns() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "town_id": ["T1", "T2", "T3"],
            "town_name": ["甲镇", "乙镇", "丙镇"],
            "rank": [1, 2, 3],
            "readiness_score": [95.0, 84.0, 40.0],
            "readiness_status": ["达标", "接近", "差距较大"],
        }
    )


def test_the_ranking_runs_0_to_100_with_the_bands_it_is_given():
    bands = pl.DataFrame({"status": ["达标", "接近"], "min_score": [85.0, 70.0]})  # not the default 90/80
    fig = charts.ranking(_towns(), highlight="T2", bands=bands)
    assert tuple(fig.layout.xaxis.range) == (0, 100)
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert sorted(shape.x0 for shape in lines) == [70.0, 85.0]
    # the thresholds are ticks above the plot (8 px up from its top), never across the bars' text
    assert {(s.yref, s.ysizemode, s.yanchor, s.y0, s.y1) for s in lines} == {("paper", "pixel", 1, 0, 8)}
    zones = sorted((s.x0, s.x1) for s in fig.layout.shapes if s.type == "rect")
    assert zones == [(70.0, 85.0), (85.0, 100)]  # each band up to the next, the highest up to 100
    assert {s.layer for s in fig.layout.shapes if s.type == "rect"} == {"below"}
    assert sorted(a.text for a in fig.layout.annotations) == ["接近 70", "达标 85"]
    bar = fig.data[0]
    # lowest first; status written on each bar, the chosen town outlined and marked
    assert list(bar.y) == ["3. 丙镇", "▶ 2. 乙镇", "1. 甲镇"]
    assert list(bar.text) == ["40 分 · 差距较大", "84 分 · 接近", "95 分 · 达标"]
    assert list(bar.marker.line.width) == [0, 3, 0]


def test_a_good_with_nothing_filed_says_so():
    criteria = pl.DataFrame(
        {
            "good": ["领导班子好", "领导班子好", "党员队伍好", "党员队伍好"],
            "points": [0.0, 0.0, 5.0, 0.0],
            "weight": [10.0, 10.0, 5.0, 5.0],
            "value": [None, None, 0.95, None],
        },
        schema_overrides={"value": pl.Float64},
    )
    fig = charts.readiness_by_good(criteria)
    won, lost = fig.data
    assert list(won.y) == ["领导班子好（未填报）", "党员队伍好（部分未填报）"]
    assert list(won.x) == [0.0, 5.0] and list(lost.x) == [20.0, 5.0]
    assert list(lost.text) == ["未填报", ""]


def test_scatter_names_only_where_they_do_not_pile_up():
    # x range 0.5–0.9 (0.4), y range 1–5 (4): 乙 is 0.01/0.4 = 1/40 across and 0.1/4 down from 甲,
    # inside a twelfth by a tenth, so only the larger 甲 is named; 丙 is far from both
    points = pl.DataFrame(
        {
            "town_name": ["甲镇", "乙镇", "丙镇"],
            "fulfilment_rate": [0.90, 0.89, 0.50],
            "vanguards_per_100": [5.0, 4.9, 1.0],
            "members": [900, 300, 500],
            "readiness_status": ["达标", "达标", "差距较大"],
        }
    )
    fig = charts.fulfilment_vs_vanguards(points)
    texts = {t for trace in fig.data for t in trace.text if t}
    assert texts == {"甲镇", "丙镇"}
    assert {trace.marker.symbol for trace in fig.data} == {"circle", "x"}  # status as shape too
    narrow = fig.layout.meta["narrow"]["figure"]
    assert not any(t for trace in narrow["data"] for t in trace["text"])  # a phone: names in the hover


def test_a_figure_carries_its_narrow_form_to_the_browser():
    wide, narrow = go.Figure(go.Bar(x=[1], y=[2])), go.Figure(go.Bar(x=[2], y=[1]))
    spec = screen_spec(charts.with_narrow(wide, narrow, below=500))
    assert "meta" not in spec["layout"]
    assert spec["narrow"]["below"] == 500
    assert spec["narrow"]["figure"]["data"][0]["x"] == [2]
    # the narrow form gets the screen layout the wide one gets
    assert spec["narrow"]["figure"]["layout"]["xaxis"]["automargin"] is True


def test_times_are_shown_in_beijing_time():
    assert beijing_time("2026-12-01T05:30:00.123+00:00") == "2026-12-01 13:30:00"
    assert beijing_time("2026-12-31T20:00:00") == "2027-01-01 04:00:00"  # no zone: UTC, as the logs write
    assert beijing_time(dt.datetime(2026, 6, 1, 0, 0)) == "2026-06-01 08:00:00"
    assert beijing_time("") == "" and beijing_time(None) == ""
    assert beijing_time("不是时间") == "不是时间"


def test_the_overview_sentence_of_a_finished_year_states_its_result():
    readiness_row = {**RESULT, "score_max": 100.0, "criteria_missing": ["承诺兑现率"]}
    done = overview.readiness_sentence({"readiness": readiness_row, "as_of": dt.date(2026, 3, 1)}, 2025)
    assert done == "**示范创建：差距较大**，得分 61 / 100（全年结果）。还差：承诺兑现率。"
    # in the year in progress it leads with the projection (issue 16's wording), 待填报 apart
    measurable = {"score_measurable": 43.0, "score_max_measurable": 63.0, "criteria_awaiting": 5}
    running = overview.readiness_sentence(
        {"readiness": {**readiness_row, **measurable}, "as_of": dt.date(2025, 11, 20)}, 2025
    )
    assert running.startswith("**示范创建：预计 72 分（差距较大；按往年同期推算）**")
    assert "已可计分 43 / 63，5 项年度考核待填报" in running and "全年结果" not in running


def test_a_year_in_progress_keeps_its_colours_and_points_when_graded_on_the_projection():
    # compare.projected_standing labels a year in progress "预计达标" …: the ranking's colours and the
    # scatter's groups must still find the status (the scatter was empty, the bars grey, after the merge)
    towns = pl.DataFrame(
        {
            "town_id": ["T1", "T2"],
            "town_name": ["甲镇", "乙镇"],
            "rank": [1, 2],
            "readiness_score": [92.0, 60.0],
            "readiness_status": ["预计达标", "预计差距较大"],
            "fulfilment_rate": [0.9, 0.5],
            "vanguards_per_100": [3.0, 1.0],
            "members": [100, 50],
        }
    )
    bars = charts.ranking(towns).data[0]
    assert list(bars.marker.color) == [labels.STATUS_COLOURS["差距较大"], labels.STATUS_COLOURS["达标"]]
    scatter = charts.fulfilment_vs_vanguards(towns)
    assert sorted((trace.name, list(trace.x)) for trace in scatter.data) == [
        ("预计差距较大", [50.0]),
        ("预计达标", [90.0]),
    ]


def test_the_records_list_marks_each_criterion_as_the_scorecard_does():
    # A year in progress: an annual item not yet filed is 待填报 (…), not a failure (✗) with 无数据.
    base = {"good": "领导班子好", "indicator_label": "违纪违法人数", "unit": "人"}
    awaiting = {**base, "met": False, "value": None, "awaiting_filing": True}
    assert readiness.criterion_choice(awaiting) == "… 领导班子好 · 违纪违法人数：待填报"
    missing = {**base, "met": False, "value": None, "awaiting_filing": False}  # a finished year, never filed
    assert readiness.criterion_choice(missing) == "— 领导班子好 · 违纪违法人数：无数据"
    assert readiness.criterion_choice({**base, "met": True, "value": 0.0}) == "✓ 领导班子好 · 违纪违法人数：0 人"
    assert readiness.criterion_choice({**base, "met": False, "value": 2.0}) == "✗ 领导班子好 · 违纪违法人数：2 人"
    # and its empty list of records says why it is empty
    assert readiness.no_records_text(awaiting) == "本年度的年度考核尚未填报（年度结束后填报），暂无记录。"
    assert readiness.no_records_text(missing) == "没有需要列出的记录。"
