"""The year in progress on the season fixture (tests/fixtures/season/README.md has the arithmetic):
overdue at 1 January for a finished year and on the as-of date itself, 逾期兑现, v_pledges_due,
同期 on 29 February, the seasonal projection early and late, 待填报 out of the denominator, the
backtest's errors and the band the pages show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics.backtest import backtest_text
from etl.load import load

FIXTURE = Path(__file__).parent / "fixtures" / "season"
SMALL_STANDARD = Path(__file__).parent / "fixtures" / "standard" / "small.csv"


def _load(tmp_path_factory, as_of: dt.date) -> Path:
    db = tmp_path_factory.mktemp("season") / "w.duckdb"
    load(FIXTURE, db, as_of=as_of, criteria=SMALL_STANDARD)
    return db


@pytest.fixture(scope="module")
def leap_day(tmp_path_factory) -> Path:
    return _load(tmp_path_factory, dt.date(2024, 2, 29))


@pytest.fixture(scope="module")
def december(tmp_path_factory) -> Path:
    return _load(tmp_path_factory, dt.date(2024, 12, 1))


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_overdue_counts_a_finished_years_31_december_but_not_the_as_of_date_itself(leap_day):
    got = rows(leap_day, "select year, overdue, fulfilled_late from v_town_summary order by year")
    assert got == [(2022, 1, 0), (2023, 1, 1), (2024, 1, 0)]
    by_org = rows(leap_day, "select sum(overdue), sum(fulfilled_late) from v_pledge_fulfilment where year = 2023")
    assert by_org == [(1, 1)]


def test_pledges_due_days_to_due_and_the_warning_counts(leap_day):
    got = rows(leap_day, "select year, pledge_id, days_to_due from v_pledges_due order by year, pledge_id")
    assert got == [
        (2022, "P4", -1),
        (2023, "P9", -1),
        (2024, "P11", 0),
        (2024, "P12", -1),
        (2024, "P13", 15),
        (2024, "P14", 306),
    ]
    counts = rows(
        leap_day,
        "select count(*) filter (where is_due_soon), count(*) filter (where is_overdue) "
        "from v_pledges_due where year = 2024",
    )
    assert counts == [(2, 1)]


def test_same_date_last_year_of_29_february_is_28_february(leap_day):
    got = rows(
        leap_day,
        "select value, value_same_date_last_year, value_last_year from v_town_indicators "
        "where year = 2024 and indicator = 'fulfilment_rate'",
    )
    assert got == [(pytest.approx(0.2), pytest.approx(0.2), pytest.approx(0.8))]
    annual = rows(
        leap_day,
        "select value, value_same_date_last_year, awaiting_filing from v_town_indicators "
        "where year = 2024 and indicator = 'violations'",
    )
    assert annual == [(None, None, True)]


def test_projection_early_leans_on_the_past_years(leap_day):
    got = rows(
        leap_day,
        "select projected_value, projection_error from v_town_indicators "
        "where year = 2024 and indicator = 'fulfilment_rate'",
    )
    # to date 0.2, then 5/7 of the year at the past years' average (0.75 + 0.8) / 2; the two pledges
    # due by 29 February have no past pledges due by that date to be set against: no adjustment
    assert got == [(pytest.approx(0.2 + 5 / 7 * 0.775), pytest.approx(0.1))]
    linear = rows(
        leap_day,
        "select linear_value from v_town_projection where year = 2024 and cutoff = 0 and indicator = 'fulfilment_rate'",
    )
    assert linear == [(pytest.approx(1.0),)]


def test_projection_late_leans_on_the_years_own_figures(december):
    got = rows(
        december, "select projected_value from v_town_indicators where year = 2024 and indicator = 'fulfilment_rate'"
    )
    # the level, 0.775, moves by how the pledges due by 1 December did (0 of 3) against those of past
    # years due by then (2023's P8: 1 of 1): (0 − 1) × 3 / (3 + 200)
    assert got == [(pytest.approx(0.2 + 3 / 7 * (0.775 - 3 / 203)),)]
    due = rows(
        december,
        "select count(*) filter (where is_overdue), count(*) filter (where is_due_soon) "
        "from v_pledges_due where year = 2024",
    )
    assert due == [(3, 1)]


def test_awaiting_filing_is_neither_zero_nor_in_the_denominator(leap_day):
    got = rows(
        leap_day,
        "select criteria_measurable, criteria_awaiting, score_measurable, score_max_measurable, "
        "projected_score, projected_status from v_readiness where year = 2024",
    )
    assert got == [(2, 2, 0.0, 15.0, 30.0, "达标")]


def test_backtest_errors_against_the_linear_pace(leap_day):
    got = rows(
        leap_day,
        "select cutoff, cases, mean_abs_error, linear_mean_abs_error from v_projection_backtest "
        "where indicator = 'fulfilment_rate' and cutoff in (0, 2, 11, 12) order by cutoff",
    )
    assert got == [
        (0, 1, pytest.approx(0.1), pytest.approx(0.2)),
        (2, 1, pytest.approx(0.1), pytest.approx(0.2)),
        (11, 1, pytest.approx(0.15), pytest.approx(0.362874, abs=1e-6)),
        (12, 1, pytest.approx(0.0), pytest.approx(0.0)),
    ]


def test_backtest_command_prints_months_and_both_methods(leap_day, capsys):
    from analytics.__main__ import main

    assert main(["backtest", "--db", str(leap_day)]) == 0
    out = capsys.readouterr().out
    assert "承诺兑现率" in out and "线性推算" in out
    assert "11 月" in out and "15.0 个百分点" in out and "36.3 个百分点" in out
    assert backtest_text(__import__("polars").DataFrame()).startswith("仓库中没有可回测的年度")


def test_headline_compares_a_finished_year_with_the_last_and_a_year_in_progress_with_same_date(leap_day):
    from analytics import overview
    from analytics.warehouse import Warehouse

    warehouse = Warehouse(leap_day)
    try:
        finished = overview.headline(warehouse.query, "T1", 2023)
        assert overview.fulfilment_change(finished) == "+5.0 个百分点（比上年）"  # 0.8 − 0.75
        now = overview.headline(warehouse.query, "T1", 2024)
        assert overview.fulfilment_change(now) == "+0.0 个百分点（比同期）"  # 0.2 against 0.2
        assert overview.fulfilment_line(now) == (
            # 75.4 % = 0.2 + 5/7 × 0.775 (README: the season)
            "全镇兑现率 20.0%，上年同期（截至同月同日）20.0%，+0.0 个百分点；"
            "年底预计 75.4%（按往年同期推算，误差约 ±10 个百分点）"
        )
        sentence = overview.readiness_sentence(now, 2024)
        # projected 30 (README); the 2023 replay on 28 February projected 30 and got 30: band ±0
        assert "预计 30 分（达标；按往年同期推算，误差约 ±0 分）" in sentence
        assert "已可计分 0 / 15，2 项年度考核待填报" in sentence
        assert "兑现率预计 75.4%（按往年同期推算，误差约 ±10 个百分点）" in sentence
        warned = dict((label, value) for label, value, _ in overview.warnings(warehouse.query, "T1", 2024))
        assert warned == {
            "30天内到期": "2",  # P11 (today), P13
            "已逾期": "1",  # P12
            "未作组织承诺": "1",  # O1 made none (all pledges are O2's)
            "先锋空缺类别": "6",  # no award yet in 2024
            "考核已填报": "0 / 2",
        }
    finally:
        warehouse.close()
