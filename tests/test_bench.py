"""A smoke run of the benchmark harness on the tiny fixture, so it cannot rot (no targets here)."""

import pytest

from bench.etl_load import measure
from bench.views import TOWN_VIEWS
from bench.views import measure as measure_views
from tests.conftest import TINY


def test_the_etl_benchmark_measures_both_sides_on_the_tiny_fixture():
    result = measure(TINY, repeats=1)
    assert result["rows"] == 2 + 6 + 6 + 12 + 5 + 2  # the six CSV files of the tiny fixture
    assert result["load_seconds"] > 0 and result["plain_seconds"] > 0
    # the ratio is of the unrounded times, so the rounded ones give it to within a rounding step
    assert result["ratio"] == pytest.approx(result["load_seconds"] / result["plain_seconds"], abs=0.01)


def test_the_views_benchmark_times_every_view_and_its_baseline_on_the_tiny_fixture(tiny_db):
    result = measure_views(tiny_db, repeats=2, baseline_repeats=1)
    assert set(result) == set(TOWN_VIEWS)
    for by_kind in result.values():
        for r in by_kind.values():
            assert 0 < r["p50_ms"] <= r["p95_ms"] and r["baseline_p50_ms"] > 0
            assert r["ratio"] == round(r["p50_ms"] / r["baseline_p50_ms"], 3)
