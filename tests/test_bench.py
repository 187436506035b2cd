"""A smoke run of the benchmark harness on the tiny fixture, so it cannot rot (no targets here)."""

import pytest

from analytics.warehouse import QUERY_DIR
from bench.browser import PAGES
from bench.browser import measure as measure_browser
from bench.etl_load import measure
from bench.queries import measure as measure_queries
from bench.views import TOWN_VIEWS
from bench.views import measure as measure_views
from tests.conftest import TINY


def test_the_etl_benchmark_measures_both_sides_on_the_tiny_fixture():
    result = measure(TINY, repeats=1)
    assert result["rows"] == 2 + 6 + 6 + 12 + 5 + 2  # the six CSV files of the tiny fixture
    assert result["load_seconds"] > 0 and result["plain_seconds"] > 0
    # the ratio is of the unrounded times, so the rounded ones give it to within a rounding step
    assert result["ratio"] == pytest.approx(result["load_seconds"] / result["plain_seconds"], abs=0.01)
    # the old plain limit (openpyxl for workbooks) is kept beside it, for continuity
    assert result["plain_openpyxl_seconds"] > 0
    old_ratio = result["load_seconds"] / result["plain_openpyxl_seconds"]
    assert result["ratio_openpyxl"] == pytest.approx(old_ratio, abs=0.01)
    assert len(result["ratios"]) == 1
    # the plain load followed by the marts it lacks: with one repeat, the two halves of that repeat
    assert result["views_seconds"] > 0
    with_marts = result["plain_seconds"] + result["views_seconds"]
    assert result["plain_with_marts_seconds"] == pytest.approx(with_marts, abs=0.002)
    assert result["ratio_with_marts"] == pytest.approx(result["load_seconds"] / with_marts, abs=0.01)


def test_the_views_benchmark_times_every_view_and_its_baseline_on_the_tiny_fixture(tiny_db):
    result = measure_views(tiny_db, repeats=2, baseline_repeats=1)
    assert set(result) == set(TOWN_VIEWS)
    for by_kind in result.values():
        for r in by_kind.values():
            assert 0 < r["p50_ms"] <= r["p95_ms"] and r["baseline_p50_ms"] > 0
            assert r["ratio"] == round(r["p50_ms"] / r["baseline_p50_ms"], 3)


def test_the_page_query_benchmark_checks_every_query_against_its_baseline(tiny_db):
    result = measure_queries(tiny_db, repeats=2, cold_repeats=1, baseline_repeats=1)
    assert set(result) == {p.stem for p in QUERY_DIR.glob("*.sql")}
    assert all(r["same_answer"] for r in result.values()), [n for n, r in result.items() if not r["same_answer"]]
    assert {r["scope"] for r in result.values()} == {"town", "all"}


@pytest.mark.browser
def test_the_browser_benchmark_times_pages_cold_cached_and_switched(tiny_db):
    pages = [PAGES[0], PAGES[3], PAGES[5]]  # overview, readiness, presentation: enough to keep it from rotting
    result = measure_browser(tiny_db, "T1", 2024, repeats=1, pages=pages)
    assert set(result) == {"overview", "readiness", "present"}
    assert all(r["first_after_start_s"] > 0 and r["cold_p50_s"] > 0 and r["cached_p50_s"] > 0 for r in result.values())
    assert "switch_p50_s" in result["readiness"] and "switch_p50_s" not in result["present"]


def test_the_report_benchmark_times_the_three_files_in_a_process_of_its_own(tiny_db):
    from bench.report import KINDS
    from bench.report import measure as measure_report

    result = measure_report(tiny_db, "T1", 2024, repeats=1)
    assert result["first_docx_s"] > 0 and result["repeats"] == 1
    for kind in KINDS:
        assert len(result[kind]["all_s"]) == 1 and result[kind]["p50_s"] == result[kind]["max_s"] > 0
