"""Each metric view against figures computed by hand from the tiny fixture (tests/fixtures/tiny/README.md).

The warehouse is loaded with the small standard in tests/fixtures/standard (four items whose
scores can be worked out on paper); the default standard is tested in test_criteria.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from etl.load import load
from tests.conftest import AS_OF, TINY

SMALL_STANDARD = Path(__file__).parent / "fixtures" / "standard" / "small.csv"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("metrics") / "warehouse.duckdb"
    load(TINY, path, as_of=AS_OF, criteria=SMALL_STANDARD)
    return path


def rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        relation = con.sql(sql, params=params)
        return [dict(zip(relation.columns, r, strict=True)) for r in relation.fetchall()]
    finally:
        con.close()


def one(db: Path, sql: str, params: list | None = None) -> dict:
    found = rows(db, sql, params)
    assert len(found) == 1, found
    return found[0]


def pick(row: dict, *names: str) -> tuple:
    return tuple(row[n] for n in names)


def test_reporting_years_count_a_past_year_to_31_december_and_the_current_one_to_the_load_date(db):
    years = rows(db, "select year, as_of, is_complete, elapsed_fraction from v_reporting_years order by year")
    assert [pick(y, "year", "as_of", "is_complete") for y in years] == [
        (2024, dt.date(2024, 12, 31), True),
        (2025, dt.date(2025, 11, 20), False),
    ]
    assert years[0]["elapsed_fraction"] == 1.0
    assert years[1]["elapsed_fraction"] == pytest.approx(324 / 365)  # 20 November is day 324 of 365


FULFILMENT = ["pledges", "reviewed", "approved", "fulfilled", "partly_fulfilled", "overdue"]


@pytest.mark.parametrize(
    ("year", "org", "kind", "counts", "rate", "review"),
    [
        (2024, "O1", "组织", (1, 1, 1, 1, 0, 0), 1.0, 1.0),  # P1
        (2024, "O3", "党员", (2, 2, 1, 1, 0, 0), 1.0, 1.0),  # P4 fulfilled, P5 sent back
        (2024, "O4", "组织", (1, 1, 1, 0, 1, 1), 0.0, 1.0),  # P3 部分兑现 is not fulfilled, due 30 Sep
        (2024, "O4", "党员", (2, 1, 1, 0, 0, 1), 0.0, 0.5),  # P6 未兑现 due 30 Nov; P7 pending
        # P9 due 31 Dec, not fulfilled: overdue, judged on 1 January 2025 (the corrected contract)
        (2024, "O6", "党员", (1, 1, 1, 0, 0, 1), 0.0, 1.0),
        (2025, "O6", "党员", (1, 0, 0, 0, 0, 0), None, 0.0),  # P11 pending: nothing to divide → NULL
        (2025, "O5", "组织", (1, 1, 1, 0, 0, 1), 0.0, 1.0),  # P12 due 30 Jun, as of 20 Nov 2025
    ],
)
def test_pledge_fulfilment_by_organisation(db, year, org, kind, counts, rate, review):
    row = one(
        db,
        "select * from v_pledge_fulfilment where year = ? and org_id = ? and pledger_kind = ?",
        [year, org, kind],
    )
    assert pick(row, *FULFILMENT) == counts
    assert (row["fulfilment_rate"], row["review_rate"]) == (rate, review)


def test_pledge_fulfilment_has_a_row_only_where_there_are_pledges(db):
    keys = rows(db, "select year, org_id, pledger_kind from v_pledge_fulfilment order by all")
    assert len(keys) == 10  # 2024: O1 O3×2 O4×2 O6×2; 2025: O4 O5 O6


def test_fulfilment_by_branch_type_keeps_the_committee_as_its_own_group(db):
    found = rows(
        db,
        "select branch_type, branch_type_label, pledges, reviewed, approved, fulfilled, partly_fulfilled, overdue,"
        " fulfilment_rate from v_fulfilment_by_branch_type where town_id = 'T1' and year = 2024"
        " order by branch_type nulls first",
    )
    assert [tuple(r.values()) for r in found] == [
        (None, "镇党委", 1, 1, 1, 1, 0, 0, 1.0),
        ("organ", "机关支部", 3, 2, 2, 0, 1, 2, 0.0),
        ("village", "村(社区)党组织", 3, 3, 2, 2, 0, 0, 1.0),
    ]


def test_fulfilment_by_branch_type_is_null_where_nothing_was_approved(db):
    found = rows(
        db,
        "select branch_type, approved, fulfilled, overdue, fulfilment_rate from v_fulfilment_by_branch_type"
        " where town_id = 'T2' and year = 2025 order by branch_type nulls first",
    )
    assert [tuple(r.values()) for r in found] == [(None, 1, 0, 1, 0.0), ("village", 0, 0, 0, None)]


def test_member_coverage_counts_members_only_once_they_have_joined(db):
    found = rows(
        db,
        "select year, org_id, members, members_pledged, coverage_rate from v_member_coverage"
        " where town_id = 'T1' order by year, org_id",
    )
    assert [tuple(r.values()) for r in found] == [
        (2024, "O1", 1, 0, 0.0),  # M6 made no member pledge
        (2024, "O2", 0, 0, None),  # a general branch with no members of its own
        (2024, "O3", 2, 1, 0.5),  # M1 approved (P4); M2's pledge was sent back
        (2024, "O4", 1, 1, 1.0),  # M3; M4 joined in March 2025
        (2025, "O1", 1, 0, 0.0),
        (2025, "O2", 0, 0, None),
        (2025, "O3", 2, 0, 0.0),
        (2025, "O4", 2, 1, 0.5),  # M3 and M4; only M4 pledged (P10)
    ]


def test_vanguards_count_where_the_member_belongs_and_per_100_members_of_that_branch_type(db):
    found = rows(
        db,
        "select year, town_id, branch_type, vanguard_kind, vanguards, members, per_100_members"
        " from v_vanguard_counts order by all",
    )
    assert [tuple(r.values()) for r in found] == [
        (2024, "T1", "organ", "服务先锋", 1, 1, 100.0),  # A2: M3 of O4
        (2024, "T1", "village", "和谐先锋", 1, 2, 50.0),  # A3: O3's own award
        (2024, "T1", "village", "学习先锋", 1, 2, 50.0),  # A1: M1 of O3
        (2024, "T2", "village", "廉洁先锋", 1, 1, 100.0),  # A4: M5 of O6
        (2025, "T1", "organ", "兴业先锋", 1, 2, 50.0),  # A5: M4, who joined in 2025
    ]


def test_town_summary_east_2024(db):
    row = one(db, "select * from v_town_summary where town_id = 'T1' and year = 2024")
    assert pick(row, "orgs", "members", "members_pledged", "pledges", "reviewed", "approved", "fulfilled") == (
        4,
        4,
        2,
        7,
        6,
        5,
        3,
    )
    assert pick(row, "partly_fulfilled", "overdue", "member_approved", "member_fulfilled", "orgs_pledged") == (
        1,
        2,
        2,
        1,
        3,
    )
    assert row["fulfilment_rate"] == pytest.approx(3 / 5)
    assert row["review_rate"] == pytest.approx(6 / 7)
    assert row["member_fulfilment_rate"] == pytest.approx(1 / 2)
    assert row["coverage_rate"] == pytest.approx(2 / 4)
    assert row["org_pledge_coverage"] == pytest.approx(3 / 4)  # O1, O3, O4 pledged; O2 did not
    assert (row["vanguards"], row["vanguard_kinds"], row["vanguards_per_100"]) == (3, 3, 75.0)
    assert (row["violations"], row["failed_members"], row["meetings_per_org"]) == (0, 0, 12.0)
    assert row["leadership_good_rate"] == 1.0
    assert row["satisfaction_rate"] == pytest.approx((80 + 15) / 100)
    assert row["mass_rating_rate"] == pytest.approx(4 / 5)  # P1 P2 P3 P4 satisfied or basically; P6 not


def test_town_summary_a_year_without_assessments_has_no_assessment_figures(db):
    row = one(db, "select * from v_town_summary where town_id = 'T2' and year = 2025")
    assert pick(row, "members", "pledges", "approved", "fulfilled", "overdue", "vanguards") == (1, 2, 1, 0, 1, 0)
    assert (row["violations"], row["satisfaction_rate"], row["meetings_per_org"]) == (None, None, None)
    assert row["vanguards_per_100"] == 0.0


def test_readiness_criteria_of_west_2024_with_deductions(db):
    found = rows(
        db,
        "select criterion_id, value, met, gap, points from v_readiness_criteria"
        " where town_id = 'T2' and year = 2024 order by sort_order",
    )
    assert [(r["criterion_id"], r["met"], r["points"]) for r in found] == [
        ("K1", True, 10.0),
        ("K2", False, 6.0),  # 50 % against 60 %: two steps of 5 % short, 2 points each
        ("K3", False, 0.0),  # 80 % against 90 %: ten steps of 1 %, all ten points gone
        ("K4", False, 0.0),  # one kind of vanguard against three; no deduction rule: nothing
    ]
    assert [r["gap"] for r in found] == pytest.approx([0, 0.1, 0.1, 2])
    assert [r["value"] for r in found] == pytest.approx([0, 0.5, 0.8, 1])


def test_readiness_meets_a_threshold_reached_exactly(db):
    found = rows(
        db,
        "select criterion_id, met, points from v_readiness_criteria where town_id = 'T1' and year = 2024"
        " order by sort_order",
    )
    # 3/5 fulfilled is exactly the 60 % of K2; three kinds of vanguard exactly the three of K4
    assert [tuple(r.values()) for r in found] == [
        ("K1", True, 10.0),
        ("K2", True, 10.0),
        ("K3", True, 10.0),
        ("K4", True, 5.0),
    ]


def test_readiness_score_status_and_veto(db):
    found = rows(
        db,
        "select year, town_id, criteria_met, criteria_total, score, score_max, status, veto_failed"
        " from v_readiness order by year, town_id",
    )
    assert [tuple(r.values()) for r in found] == [
        (2024, "T1", 4, 4, 35.0, 35.0, "达标", False),
        (2024, "T2", 1, 4, 16.0, 35.0, "差距较大", False),  # 16 is below the 20 of 接近
        # 2025 has no assessment yet: violations unknown, so the veto item is not met
        (2025, "T1", 1, 4, 10.0, 35.0, "差距较大", True),
        (2025, "T2", 0, 4, 0.0, 35.0, "差距较大", True),  # K2: 0 % is 12 steps short, 24 points, floor 0
    ]


def test_readiness_lists_what_is_still_missing_in_the_standard_order(db):
    row = one(db, "select criteria_missing from v_readiness where town_id = 'T2' and year = 2024")
    assert row["criteria_missing"] == ["承诺兑现率", "群众满意率", "先锋类别覆盖数"]


def test_year_end_projection_uses_the_pace_and_last_years_assessment(db):
    found = rows(
        db,
        "select criterion_id, projected_value, projected_met, projected_points from v_readiness_criteria"
        " where town_id = 'T1' and year = 2025 order by sort_order",
    )
    assert [(r["criterion_id"], r["projected_met"], r["projected_points"]) for r in found] == [
        ("K1", True, 10.0),  # no violations in the 2024 assessment
        ("K2", True, 10.0),  # 1 of 1 fulfilled already; the season leans on 2024's 60 % for the rest
        ("K3", True, 10.0),  # 95 % satisfied in 2024
        ("K4", False, 0.0),  # one kind so far; every 2024 award was in by 20 November: no more expected
    ]
    # K2 by the season (tiny README): by 20 November 2024 T1 had 2 of its 3 fulfilments, the county
    # 2 of 4 → share (2 + 200 × 0.5) / (3 + 200) = 102/203; to date 1/1, capped at 1:
    # 102/203 × 1 + 101/203 × 0.6 (the past years' average: 2024's 3/5 alone)
    assert [r["projected_value"] for r in found] == pytest.approx([0, 102 / 203 + 101 / 203 * 0.6, 0.95, 1])
    summary = one(
        db, "select projected_score, projected_status, on_track from v_readiness where town_id = 'T1' and year = 2025"
    )
    assert tuple(summary.values()) == (30.0, "达标", True)


def test_comparison_per_100_members_rank_and_change(db):
    found = rows(
        db,
        "select year, town_id, members, approved_per_100, vanguards_per_100, readiness_score, rank, rank_change"
        " from v_town_comparison order by year, town_id",
    )
    assert [tuple(r.values()) for r in found] == [
        (2024, "T1", 4, 125.0, 75.0, 35.0, 1, None),  # 5 approved and 3 vanguards for 4 members
        (2024, "T2", 1, 200.0, 100.0, 16.0, 2, None),
        (2025, "T1", 5, 20.0, 20.0, 10.0, 1, 0),
        (2025, "T2", 1, 100.0, 0.0, 0.0, 2, 0),
    ]


def test_monthly_progress_is_cumulative_from_review_and_fulfilment_dates(db):
    found = rows(
        db,
        "select month_number, approved_to_date, fulfilled_to_date from v_pledge_progress"
        " where town_id = 'T1' and year = 2024 and branch_type = 'village' order by month",
    )
    # P2 reviewed 22 Jan, fulfilled 1 Jun; P4 reviewed 5 Feb, fulfilled 30 Nov
    expected = [(1, 1, 0)] + [(m, 2, 0) for m in range(2, 6)] + [(m, 2, 1) for m in range(6, 11)]
    expected += [(11, 2, 2), (12, 2, 2)]
    assert [tuple(r.values()) for r in found] == expected


def test_monthly_progress_of_the_current_year_stops_at_the_as_of_month(db):
    found = rows(
        db,
        "select month_number, approved_to_date, fulfilled_to_date, approved_total from v_pledge_progress"
        " where town_id = 'T1' and year = 2025 order by month",
    )
    # P10 reviewed 12 Mar, fulfilled 1 Sep; as of 20 Nov 2025: January to November
    expected = [(1, 0, 0, 1), (2, 0, 0, 1)] + [(m, 1, 0, 1) for m in range(3, 9)] + [(m, 1, 1, 1) for m in (9, 10, 11)]
    assert [tuple(r.values()) for r in found] == expected


TOWNS = [("A", "示范县"), ("B", "示范县"), ("C", "示范县"), ("D", "示范县"), ("E", "另一县")]
SCORES = {
    2024: {"A": 90.0, "B": 80.0, "C": 80.0, "D": 70.0},
    2025: {"A": 60.0, "B": 95.0, "C": 80.0, "D": 80.0, "E": 10.0},
}
UNUSED_SUMMARY_COLUMNS = [
    "orgs",
    "members",
    "pledges",
    "approved",
    "fulfilled",
    "fulfilment_rate",
    "approved_per_100",
    "fulfilled_per_100",
    "coverage_rate",
    "vanguards",
    "vanguards_per_100",
    "satisfaction_rate",
]


def test_rank_ties_share_a_rank_within_the_county_and_change_is_last_year_minus_this():
    """The ranking logic of v_town_comparison on inputs made by hand (the dbt unit-test habit)."""
    county = dict(TOWNS)
    scores = [(year, town, county[town], score) for year, by_town in SCORES.items() for town, score in by_town.items()]
    con = duckdb.connect()
    con.execute("create table scores (year integer, town_id varchar, county_name varchar, score double)")
    con.executemany("insert into scores values (?, ?, ?, ?)", scores)
    unused = ", ".join(f"null::double as {c}" for c in UNUSED_SUMMARY_COLUMNS)
    con.execute(
        f"create table v_town_summary as select year, town_id, town_id as town_name, county_name, {unused} from scores"
    )
    con.execute(
        "create table v_readiness as select year, town_id, score, 100.0 as score_max, '' as status,"
        " 0 as criteria_met, 0 as criteria_total, '' as projected_status, score as projected_score,"
        " null::double as projected_score_error, score as score_measurable, 100.0 as score_max_measurable,"
        " 0 as criteria_awaiting from scores"
    )
    view = (Path(__file__).parent.parent / "sql" / "views" / "v_town_comparison.sql").read_text(encoding="utf-8")
    con.execute(con.extract_statements(view)[0].query)
    found = con.sql("select year, town_id, rank, previous_rank, rank_change from v_town_comparison order by all")
    assert found.fetchall() == [
        (2024, "A", 1, None, None),
        (2024, "B", 2, None, None),
        (2024, "C", 2, None, None),  # tie: 1, 2, 2, 4
        (2024, "D", 4, None, None),
        (2025, "A", 4, 1, -3),  # fell from first to fourth
        (2025, "B", 1, 2, 1),
        (2025, "C", 2, 2, 0),
        (2025, "D", 2, 4, 2),
        (2025, "E", 1, None, None),  # alone in its county
    ]
