"""The small pieces of page logic that live in analytics/, on frames made by hand."""

import polars as pl

from analytics import readiness, vanguards
from etl.criteria import INDICATORS

RESULT = {"projected_score": 92.0, "projected_status": "达标"}


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
    assert lines == ["承诺兑现率：80.0%，标准 ≥ 90.0%", "按当前进度，年底预计 92 分，可以达标。"]


def test_missing_lines_when_everything_is_met():
    lines = readiness.missing_lines(_criteria([True, True], [0.95, 0.0]), RESULT)
    assert lines == ["各项均已达标。", "按当前进度，年底预计 92 分，可以达标。"]


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
