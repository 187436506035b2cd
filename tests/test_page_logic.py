"""The small pieces of page logic that live in analytics/, on frames made by hand."""

import polars as pl
import pytest

from analytics import charts, readiness, vanguards
from analytics.labels import BRANCH_TYPE_COLOURS
from etl.criteria import INDICATORS

RESULT = {"projected_score": 92.0, "projected_status": "达标", "year_complete": False, "projected_score_error": 4.0}


def _criteria(met: list[bool], values: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_label": ["承诺兑现率", "违纪违法人数"],
            "unit": ["比例", "人"],
            "value": values,
            "operator": [">=", "<="],
            "threshold": [0.9, 0.0],
            "met": met,
            "veto": [False, True],
        }
    )


def test_missing_lines_name_each_unmet_item_then_the_projection():
    lines = readiness.missing_lines(_criteria([False, True], [0.8, 0.0]), RESULT)
    assert lines == ["承诺兑现率：80.0%，标准 ≥ 90.0%", "按往年同期推算，年底预计 92 分，误差约 ±4 分，可以达标。"]


def test_missing_lines_when_everything_is_met():
    lines = readiness.missing_lines(_criteria([True, True], [0.95, 0.0]), RESULT)
    assert lines == ["各项均已达标。", "按往年同期推算，年底预计 92 分，误差约 ±4 分，可以达标。"]


def test_a_veto_without_data_is_not_called_a_failure():
    assert readiness.veto_message(_criteria([True, False], [0.95, None]))[0] == "no_data"
    assert readiness.veto_message(_criteria([True, False], [0.95, 2.0])) == (
        "failed",
        "一票否决项未达标：违纪违法人数，不能评为达标。",
    )
    assert readiness.veto_message(_criteria([True, True], [0.95, 0.0])) is None


def test_every_indicator_a_county_may_use_has_rows_behind_it():
    assert set(readiness.DETAILS) == set(INDICATORS)


def test_vanguard_summary_counts_kinds_and_per_100():
    kinds = pl.DataFrame({"vanguard_kind": ["学习先锋", "服务先锋", "廉洁先锋"], "vanguards": [2, 0, 1]})
    per_type = pl.DataFrame({"members": [40, 20]})
    assert vanguards.summary(kinds, per_type) == {
        "total": 3,
        "missing": ["服务先锋"],
        "kinds": "2/3",
        "per_100": "5.0",  # 3 × 100 / 60
    }
    assert vanguards.summary(kinds, per_type.clear())["per_100"] == "无数据"


def _multiples(rows: list[tuple]) -> pl.DataFrame:
    names = ["town_id", "town_name", "branch_type_label", "approved", "fulfilled", "fulfilment_rate"]
    return pl.DataFrame(rows, schema=names, orient="row")


def test_small_multiples_draw_one_panel_per_town_and_one_key_entry_per_branch_type():
    frame = _multiples(
        [
            ("T1", "甲镇", "村(社区)党组织", 4, 2, 0.5),
            ("T1", "甲镇", "机关支部", 0, 0, None),  # nothing approved: no bar, not a bar at 0
            ("T2", "乙镇", "机关支部", 3, 3, 1.0),
            ("T2", "乙镇", "村(社区)党组织", 4, 1, 0.25),
        ]
    )
    fig = charts.small_multiples(frame)
    first, second, *key = fig.data
    # axes carry the short forms of labels.py; the hover label the full name
    assert (list(first.x), list(first.y), first.xaxis, first.yaxis) == (["村(社区)"], [50.0], "x", "y")
    assert [list(pair) for pair in first.customdata] == [[2, 4, "村(社区)党组织"]]
    assert (list(second.x), list(second.y), second.xaxis) == (["机关", "村(社区)"], [100.0, 25.0], "x2")
    assert list(second.marker.color) == [BRANCH_TYPE_COLOURS["organ"], BRANCH_TYPE_COLOURS["village"]]
    assert not first.showlegend and not second.showlegend
    # the key lists the types in the order they first appear, and holds no bars of its own
    assert [(t.name, t.marker.color, list(t.x)) for t in key] == [
        ("村(社区)党组织", BRANCH_TYPE_COLOURS["village"], [None]),
        ("机关支部", BRANCH_TYPE_COLOURS["organ"], [None]),
    ]
    assert [a.text for a in fig.layout.annotations] == ["甲镇", "乙镇"]
    # two towns: two columns of width (1 - 0.02) / 2, the same type in the same slot in each
    assert fig.layout.xaxis.domain == (0, 0.49) and fig.layout.xaxis2.domain == (0.51, 1)
    assert fig.layout.xaxis.categoryarray == fig.layout.xaxis2.categoryarray == ("村(社区)", "机关")
    assert fig.layout.yaxis.showticklabels and not fig.layout.yaxis2.showticklabels
    assert fig.layout.height == 360


def test_small_multiples_wrap_after_five_towns_and_after_two_when_narrow():
    frame = _multiples([(f"T{n}", f"{n}镇", "机关支部", 2, 1, 0.5) for n in range(1, 8)])
    fig = charts.small_multiples(frame)
    # the narrow form (a phone): 7 towns in 2 columns → 4 rows of 220 px = 880 px, the third town
    # starting the second row
    narrow = fig.layout.meta["narrow"]
    assert narrow["below"] == charts.NARROW_BELOW
    assert narrow["figure"]["layout"]["height"] == 880
    assert narrow["figure"]["layout"]["xaxis3"]["domain"] == narrow["figure"]["layout"]["xaxis"]["domain"]
    # 7 towns: 2 rows of 220 px, 48 px between them → each row (1 - 48/440) / 2 = 0.44545 of the height
    assert fig.layout.height == 440
    assert fig.layout.yaxis.domain == pytest.approx((0.55455, 1), abs=1e-5)
    assert fig.layout.yaxis6.domain == pytest.approx((0, 0.44545), abs=1e-5)
    assert fig.layout.xaxis6.domain == fig.layout.xaxis.domain  # the sixth town starts the second row
    assert fig.layout.yaxis6.showticklabels and not fig.layout.yaxis5.showticklabels
    assert [a.text for a in fig.layout.annotations][5] == "6镇"
