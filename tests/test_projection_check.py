"""bench/projection.py, the Done when's check: its arithmetic on a fake pair of warehouses.

Two towns, their autumn projections and year-end results typed by hand (no load, no views): the
check only reads v_town_indicators and v_readiness, so two small files with those two tables do.
"""

import duckdb
import pytest

from bench.projection import aggregate, met, summary, town_rows

# town, indicator, autumn projection, its band, year-end value
INDICATORS = [
    ("A", "fulfilment_rate", 0.90, 0.03, 0.86),
    ("A", "member_fulfilment_rate", 0.88, 0.03, 0.90),
    ("A", "vanguards_per_100", 4.4, 0.3, 4.0),
    ("B", "fulfilment_rate", 0.70, 0.03, 0.71),
    ("B", "member_fulfilment_rate", 0.70, 0.03, 0.70),
    ("B", "vanguards_per_100", 1.5, 0.3, 2.0),
]
# town, projected score, projected status, score band, year-end score, year-end status
SCORES = [("A", 92.0, "达标", 3.0, 85.0, "接近"), ("B", 60.0, "差距较大", 3.0, 62.0, "差距较大")]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    autumn, year_end = folder / "autumn.duckdb", folder / "year_end.duckdb"
    with duckdb.connect(str(autumn)) as con:
        con.execute(
            "create table v_town_indicators (year int, town_id text, town_name text, indicator text,"
            " projected_value double, projection_error double)"
        )
        con.executemany(
            "insert into v_town_indicators values (2026, ?, ?, ?, ?, ?)",
            [(t, t + "镇", i, p, b) for t, i, p, b, _ in INDICATORS],
        )
        con.execute(
            "create table v_readiness (year int, town_id text, projected_score double, projected_status text,"
            " projected_score_error double)"
        )
        con.executemany("insert into v_readiness values (2026, ?, ?, ?, ?)", [s[:4] for s in SCORES])
    with duckdb.connect(str(year_end)) as con:
        con.execute("create table v_town_indicators (year int, town_id text, indicator text, value double)")
        con.executemany(
            "insert into v_town_indicators values (2026, ?, ?, ?)", [(t, i, v) for t, i, _, _, v in INDICATORS]
        )
        # another year's rows must not be read
        con.execute("insert into v_town_indicators values (2025, 'A', 'fulfilment_rate', 0.1)")
        con.execute("create table v_readiness (year int, town_id text, score double, status text)")
        con.executemany("insert into v_readiness values (2026, ?, ?, ?)", [(s[0], s[4], s[5]) for s in SCORES])
    return autumn, year_end


def test_the_check_sets_each_towns_projection_against_its_year_end(pair):
    rows = town_rows(*pair, 2026)
    assert rows["town_id"].to_list() == ["A", "B"]
    assert rows["fulfilment_rate_projected"].to_list() == [0.90, 0.70]
    assert rows["fulfilment_rate_real"].to_list() == [0.86, 0.71]
    assert rows["status_projected"].to_list() == ["达标", "差距较大"]
    assert rows["status_real"].to_list() == ["接近", "差距较大"]


def test_the_summary_figures_by_hand(pair):
    s = summary(town_rows(*pair, 2026))
    assert s["towns"] == 2
    # fulfilment: A |0.90 − 0.86| = 4 points, B |0.70 − 0.71| = 1 → mean 2.5, worst 4; band 0.03 = 3 points
    assert s["fulfilment_rate_mean_pp"] == pytest.approx(2.5)
    assert s["fulfilment_rate_worst_pp"] == pytest.approx(4.0)
    assert s["fulfilment_rate_band_pp"] == pytest.approx(3.0)
    # members: A 2 points, B 0 → mean 1, worst 2
    assert s["member_fulfilment_rate_mean_pp"] == pytest.approx(1.0)
    assert s["member_fulfilment_rate_worst_pp"] == pytest.approx(2.0)
    # vanguards per 100: A |4.4 − 4| / 4 = 10 %, B |1.5 − 2| / 2 = 25 % → mean 17.5 %, worst 25 %;
    # absolute 0.4 and 0.5 → 0.45 against the band 0.3
    assert s["vanguards_mean_pct"] == pytest.approx(17.5)
    assert s["vanguards_worst_pct"] == pytest.approx(25.0)
    assert s["vanguards_mean_abs"] == pytest.approx(0.45)
    assert s["vanguards_band_abs"] == pytest.approx(0.3)
    # score: A 92 − 85 = 7, B 2 → mean 4.5, worst 7, band 3; status: B matches, A does not
    assert (s["score_mean"], s["score_worst"], s["score_band"]) == (4.5, 7.0, 3.0)
    assert s["status_matched"] == 1
    assert s["status_allowed_misses"] == 0  # 2 towns: "one in eight" allows none
    assert met(s) == {
        "fulfilment_mean": True,  # 2.5 ≤ 6
        "fulfilment_worst": True,  # 4 ≤ 15
        "vanguards_worst": False,  # 25 % > 15 %
        "status": False,  # 1 miss > 0 allowed
    }


def test_over_several_counties_worst_is_the_worst_and_statuses_add_up(pair):
    s = summary(town_rows(*pair, 2026))
    other = dict(s, fulfilment_rate_mean_pp=5.5, fulfilment_rate_worst_pp=9.0, status_matched=2, towns=2)
    total = aggregate([s, other])
    assert total["fulfilment_rate_mean_pp"] == pytest.approx((2.5 + 5.5) / 2)
    assert total["fulfilment_rate_worst_pp"] == pytest.approx(9.0)
    assert (total["towns"], total["status_matched"]) == (4, 3)
