"""The views against a second computation straight from the county demo's raw files.

Nothing of the loader is used here: the files are read with polars and openpyxl as an analyst would
(GB18030 members with Chinese dates, XLSX with a title row), and the contract's definitions are
applied in plain polars. Any disagreement is a bug in one of the two, so it is worth reading both.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

AS_OF = dt.date(2026, 11, 20)  # the county_db fixture's load date
BRANCH_CODES = {
    "村(社区)党组织": "village",
    "机关支部": "organ",
    "非公有制经济组织党支部": "non_public",
    "退休支部": "retired",
    "新社会组织支部": "social",
}


def _xlsx(path: Path, columns: list[str]) -> pl.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    return pl.DataFrame(rows[2:], schema=columns, orient="row")  # row 1 is the title, row 2 the header


def _chinese_date(col: str) -> pl.Expr:
    return pl.col(col).str.to_date("%Y年%-m月%-d日")


@pytest.fixture(scope="module")
def raw(county_db: Path) -> dict[str, pl.DataFrame]:
    folder = county_db.parent / "data"
    orgs = _xlsx(folder / "orgs.xlsx", ["org_id", "org_name", "town_id", "parent", "level", "branch_label"])
    orgs = orgs.with_columns(pl.col("branch_label").replace_strict(BRANCH_CODES, default=None).alias("branch_type"))
    members = pl.read_csv((folder / "members.csv").read_text(encoding="gb18030").encode(), infer_schema=False).select(
        pl.col("党员编号").alias("member_id"),
        pl.col("所在组织编码").alias("org_id"),
        _chinese_date("入党日期").alias("joined_on"),
    )
    pledges = pl.read_csv(folder / "pledges.csv", infer_schema=False).select(
        pl.col("承诺编号").alias("pledge_id"),
        pl.col("年度").cast(pl.Int32).alias("year"),
        pl.col("组织编码").alias("org_id"),
        pl.col("党员编号").alias("member_id"),
        pl.col("审核状态").alias("review"),
        pl.col("践诺状态").fill_null("未开始").alias("status"),
        pl.col("完成时限").str.to_date().alias("due_on"),
        pl.col("兑现日期").str.to_date().alias("fulfilled_on"),
    )
    awards = pl.read_csv(folder / "awards.csv", infer_schema=False).select(
        pl.col("年度").cast(pl.Int32).alias("year"),
        pl.col("先锋类别").alias("kind"),
        pl.col("党员编号").alias("member_id"),
        pl.col("组织编码").alias("org_id"),
    )
    assessments = pl.read_csv(folder / "assessments.csv", infer_schema=False).select(
        pl.col("组织编码").alias("org_id"),
        pl.col("年度").cast(pl.Int32).alias("year"),
        *(
            pl.col(c).cast(pl.Int64).alias(a)
            for c, a in [("满意度测评人数", "resp"), ("满意人数", "sat"), ("基本满意人数", "basic")]
        ),
    )
    return {"orgs": orgs, "members": members, "pledges": pledges, "awards": awards, "assessments": assessments}


def _view(db: Path, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def _as_of(year: int) -> dt.date:
    """The date overdue is judged at: 1 January of the next year for a finished year (the contract)."""
    return dt.date(year + 1, 1, 1) if dt.date(year, 12, 31) <= AS_OF else AS_OF


def _same(expected: pl.DataFrame, got: pl.DataFrame, keys: list[str]) -> None:
    expected, got = expected.sort(keys, nulls_last=True), got.select(expected.columns).sort(keys, nulls_last=True)
    assert expected.height == got.height
    for col in expected.columns:
        left, right = expected[col].to_list(), got[col].to_list()
        if expected[col].dtype.is_float():
            assert right == pytest.approx(left, nan_ok=True), col
        else:
            assert right == left, col


def test_fulfilment_by_branch_type_from_the_raw_files(raw, county_db):
    p = raw["pledges"].join(raw["orgs"].select("org_id", "town_id", "branch_type"), on="org_id")
    p = p.with_columns(pl.col("year").map_elements(_as_of, return_dtype=pl.Date).alias("as_of"))
    approved = pl.col("review") == "已通过"
    expected = (
        p.group_by("year", "town_id", "branch_type")
        .agg(
            pl.len().cast(pl.Int64).alias("pledges"),
            approved.sum().cast(pl.Int64).alias("approved"),
            (approved & (pl.col("status") == "已兑现")).sum().cast(pl.Int64).alias("fulfilled"),
            (approved & (pl.col("status") == "部分兑现")).sum().cast(pl.Int64).alias("partly_fulfilled"),
            (approved & (pl.col("status") != "已兑现") & (pl.col("due_on") < pl.col("as_of")))
            .sum()
            .cast(pl.Int64)
            .alias("overdue"),
        )
        .with_columns((pl.col("fulfilled") / pl.col("approved")).alias("fulfilment_rate"))
    )
    got = _view(county_db, "select * from v_fulfilment_by_branch_type")
    _same(expected, got, ["year", "town_id", "branch_type"])


def _joined_by_year(raw, years: list[int]) -> pl.DataFrame:
    members = raw["members"].join(raw["orgs"].select("org_id", "town_id", "branch_type"), on="org_id")
    return pl.concat(
        [
            members.filter(pl.col("joined_on") <= dt.date(y, 12, 31)).with_columns(pl.lit(y, pl.Int32).alias("year"))
            for y in years
        ]
    )


def test_member_coverage_per_town_from_the_raw_files(raw, county_db):
    joined = _joined_by_year(raw, [2023, 2024, 2025, 2026])
    pledged = raw["pledges"].filter((pl.col("review") == "已通过") & pl.col("member_id").is_not_null())
    pledged = pledged.select("year", "member_id").unique()
    expected = (
        joined.join(pledged.with_columns(pl.lit(True).alias("pledged")), on=["year", "member_id"], how="left")
        .group_by("year", "town_id")
        .agg(pl.len().cast(pl.Int64).alias("members"), pl.col("pledged").sum().cast(pl.Int64).alias("members_pledged"))
        .with_columns((pl.col("members_pledged") / pl.col("members")).alias("coverage_rate"))
    )
    got = _view(county_db, "select year, town_id, members, members_pledged, coverage_rate from v_town_summary")
    _same(expected, got, ["year", "town_id"])


def test_vanguards_per_100_members_by_branch_type_from_the_raw_files(raw, county_db):
    home = raw["awards"].join(
        raw["members"].select("member_id", pl.col("org_id").alias("member_org")), on="member_id", how="left"
    )
    home = home.with_columns(pl.coalesce("member_org", "org_id").alias("home_org"))
    counted = home.join(raw["orgs"].select(pl.col("org_id").alias("home_org"), "town_id", "branch_type"), on="home_org")
    counts = counted.group_by("year", "town_id", "branch_type", pl.col("kind").alias("vanguard_kind")).agg(
        pl.len().cast(pl.Int64).alias("vanguards")
    )
    members = (
        _joined_by_year(raw, [2023, 2024, 2025, 2026])
        .group_by("year", "town_id", "branch_type")
        .agg(pl.len().cast(pl.Int64).alias("members"))
    )
    expected = counts.join(members, on=["year", "town_id", "branch_type"], how="left", nulls_equal=True).with_columns(
        (pl.col("vanguards") * 100 / pl.col("members")).alias("per_100_members")
    )
    got = _view(county_db, "select * from v_vanguard_counts")
    _same(expected, got, ["year", "town_id", "branch_type", "vanguard_kind"])


def test_satisfaction_per_town_from_the_raw_files(raw, county_db):
    a = raw["assessments"].join(raw["orgs"].select("org_id", "town_id"), on="org_id")
    expected = (
        a.group_by("year", "town_id")
        .agg(pl.col("resp").sum(), (pl.col("sat") + pl.col("basic")).sum().alias("answered"))
        .select("year", "town_id", (pl.col("answered") / pl.col("resp")).alias("satisfaction_rate"))
    )
    got = _view(
        county_db, "select year, town_id, satisfaction_rate from v_town_summary where satisfaction_rate is not null"
    )
    _same(expected, got, ["year", "town_id"])


def test_due_soon_and_overdue_of_the_year_in_progress_from_the_raw_files(raw, county_db):
    p = raw["pledges"].join(raw["orgs"].select("org_id", "town_id"), on="org_id")
    open_ = p.filter((pl.col("year") == AS_OF.year) & (pl.col("review") == "已通过") & (pl.col("status") != "已兑现"))
    days = (pl.col("due_on") - pl.lit(AS_OF)).dt.total_days()
    expected = open_.group_by("town_id").agg(
        days.is_between(0, 30).sum().cast(pl.Int64).alias("due_soon"),
        (days < 0).sum().cast(pl.Int64).alias("overdue"),
    )
    got = _view(
        county_db,
        "select town_id, count(*) filter (where is_due_soon) as due_soon,"
        f" count(*) filter (where is_overdue) as overdue from v_pledges_due where year = {AS_OF.year} group by town_id",
    )
    _same(expected, got, ["town_id"])
    assert expected["due_soon"].sum() > 0 and expected["overdue"].sum() > 0  # the check can fail


def test_same_date_last_year_from_the_raw_files(raw, county_db):
    same_date = dt.date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
    p = raw["pledges"].join(raw["orgs"].select("org_id", "town_id"), on="org_id")
    last = p.filter((pl.col("year") == AS_OF.year - 1) & (pl.col("review") == "已通过"))
    expected = last.group_by("town_id").agg(
        (((pl.col("status") == "已兑现") & (pl.col("fulfilled_on") <= same_date)).sum() / pl.len()).alias("same_date")
    )
    got = _view(
        county_db,
        f"select town_id, value_same_date_last_year as same_date from v_town_indicators"
        f" where year = {AS_OF.year} and indicator = 'fulfilment_rate'",
    )
    _same(expected, got, ["town_id"])
