"""A smoke run of the benchmark harness on the tiny fixture, so it cannot rot (no targets here)."""

from bench.etl_load import measure
from tests.conftest import TINY


def test_the_etl_benchmark_measures_both_sides_on_the_tiny_fixture():
    result = measure(TINY, repeats=1)
    assert result["rows"] == 2 + 6 + 6 + 12 + 5 + 2  # the six CSV files of the tiny fixture
    assert result["load_seconds"] > 0 and result["plain_seconds"] > 0
    assert result["ratio"] == round(result["load_seconds"] / result["plain_seconds"], 2)
