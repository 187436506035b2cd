"""The data tests (sql/tests) pass on the county demo and the tiny fixture, and can fail.

Every view and every page query is executed here too (build-as-test): a view that no longer
binds, or a query that names a column a view lost, fails the suite.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.datatests import data_test_paths, run_data_test, run_data_tests
from etl.load import SQL_DIR

TESTS = {p.stem: p for p in data_test_paths()}
VIEWS = sorted(p.stem for p in (SQL_DIR / "views").glob("v_*.sql") if p.stem != "v_projection_backtest")  # no year


def test_there_are_data_tests_for_each_habit():
    assert set(TESTS) >= {
        "unique_keys",
        "not_null",
        "accepted_values",
        "relationships",
        "rates_in_range",
        "counts_in_order",
        "branch_types_add_up",
    }


@pytest.mark.parametrize("name", sorted(TESTS))
def test_data_test_passes_on_the_county_demo(county_db, name):
    con = duckdb.connect(str(county_db), read_only=True)
    try:
        result = run_data_test(con, TESTS[name])
    finally:
        con.close()
    assert result.passed, f"{name}: {result.failing_rows} failing rows, e.g. {result.columns} {result.sample}"


def test_data_tests_pass_on_the_tiny_fixture(tiny_db):
    failed = [r.name for r in run_data_tests(tiny_db) if not r.passed]
    assert failed == []


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_answers_for_every_year_on_the_county_demo(county_db, view):
    con = duckdb.connect(str(county_db), read_only=True)
    try:
        years = {y for (y,) in con.sql(f"select distinct year from {view}").fetchall()}
    finally:
        con.close()
    assert years == {2023, 2024, 2025, 2026}


QUERY_PARAMS = {"town_id": "T0001", "year": 2025, "branch_type": "village", "indicator": "fulfilment_rate"}
MAY_BE_EMPTY = {"readiness_rows_orgs", "years_in_progress"}  # every organisation pledged; 2025 is over


@pytest.mark.parametrize("query", sorted(p.stem for p in (SQL_DIR / "queries").glob("*.sql")))
def test_every_page_query_runs_on_the_county_demo(county_db, query):
    con = duckdb.connect(str(county_db), read_only=True)
    try:
        text = (SQL_DIR / "queries" / f"{query}.sql").read_text(encoding="utf-8")
        params = {k: v for k, v in QUERY_PARAMS.items() if f"${k}" in text}
        found = con.sql(text, params=params).fetchall()
    finally:
        con.close()
    assert found or query in MAY_BE_EMPTY, f"{query} returned nothing for town T0001 in 2025"


def _broken_copy(db: Path, tmp_path: Path, statement: str) -> Path:
    copy = tmp_path / "broken.duckdb"
    shutil.copy(db, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(statement).fetchall()
    finally:
        con.close()
    return copy


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("unique_keys", "insert into towns select * from towns limit 1"),
        ("relationships", "insert into members values ('MX', '某某', 'NO-SUCH-ORG', null, null, '2000-01-01', false)"),
        ("accepted_values", "update pledges set review_status = '通过了' where pledge_id = 'P1'"),
        ("rates_in_range", "update mart.v_town_summary set fulfilment_rate = 1.2 where town_id = 'T1'"),
        ("counts_in_order", "update mart.v_fulfilment_by_branch_type set fulfilled = approved + 1"),
        ("branch_types_add_up", "delete from mart.v_fulfilment_by_branch_type where branch_type is null"),
        ("progress_reaches_totals", "update mart.v_pledge_progress set fulfilled_to_date = 0 where month_number = 12"),
        ("readiness_consistent", "update mart.v_readiness set status = '达标', veto_failed = true"),
        ("ranks", "update mart.v_town_comparison set rank = 1"),
        ("not_null", "update mart.v_readiness set score = null where town_id = 'T2'"),
    ],
)
def test_each_data_test_catches_the_damage_it_is_for(tiny_db, tmp_path, name, damage):
    broken = _broken_copy(tiny_db, tmp_path, damage)
    con = duckdb.connect(str(broken), read_only=True)
    try:
        assert not run_data_test(con, TESTS[name]).passed
    finally:
        con.close()
