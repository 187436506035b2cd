import hashlib

import duckdb
import pytest

from etl.demo import DEFAULT_AS_OF, generate
from etl.load import load

FILES = ("towns.xlsx", "orgs.xlsx", "members.csv", "pledges.csv", "awards.csv", "assessments.csv")


def _digests(folder):
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES if name.endswith(".csv")}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    counts = generate(out, "county", seed=7)
    return out, counts


def test_the_demo_is_deterministic_for_a_seed(county, tmp_path):
    out, _ = county
    again = tmp_path / "again"
    generate(again, "county", seed=7)
    other = tmp_path / "other"
    generate(other, "county", seed=8)
    assert _digests(again) == _digests(out)
    assert _digests(other) != _digests(out)


def test_the_county_demo_has_the_promised_size_and_writes_office_formats(county):
    out, counts = county
    assert counts["towns"] == 15
    assert 10_000 <= counts["members"] <= 20_000
    assert (out / "members.csv").read_bytes()[:3] != b"\xef\xbb\xbf"  # GB18030, as Excel on Chinese Windows saves
    (out / "members.csv").read_bytes().decode("gb18030")
    assert (out / "pledges.csv").read_bytes()[:3] == b"\xef\xbb\xbf"  # "CSV UTF-8" from Excel carries a BOM


def test_the_county_demo_loads_with_no_rejects_and_tells_a_story(county, tmp_path):
    out, _ = county
    db = tmp_path / "w.duckdb"
    result = load(out, db, as_of=DEFAULT_AS_OF)
    assert result.rejects.height == 0, result.rejects.head(5).rows()
    con = duckdb.connect(str(db), read_only=True)
    rates = dict(
        con.sql(
            """select o.town_id,
                      count(*) filter (where p.fulfilment_status = '已兑现') / count(*)
               from pledges p join orgs o using (org_id)
               where p.year = 2025 and p.review_status = '已通过'
               group by all"""
        ).fetchall()
    )
    by_type = dict(
        con.sql(
            """select o.branch_type,
                      count(*) filter (where p.fulfilment_status = '已兑现') / count(*)
               from pledges p join orgs o using (org_id)
               where p.year = 2025 and p.review_status = '已通过' and o.branch_type is not null
               group by all"""
        ).fetchall()
    )
    in_progress = con.sql("select count(*) from pledges where year = 2026 and fulfilment_status = '进行中'").fetchall()
    projected = dict(con.sql("select town_id, projected_score from v_town_comparison where year = 2026").fetchall())
    on_course = con.sql("select projected_status from v_readiness where year = 2026 and town_id = 'T0001'").fetchall()
    # the season: most fulfilments are recorded in November–December (more than half of a year's)
    late = con.sql(
        """select count(*) filter (where month(fulfilled_on) >= 11) / count(*) from pledges
           where year = 2025 and fulfilment_status = '已兑现'"""
    ).fetchall()[0][0]
    awards_days = {d for (d,) in con.sql("select distinct strftime(awarded_on, '%m') from awards").fetchall()}
    con.close()
    assert on_course == [("达标",)]  # 城关镇 is on course in the year in progress
    assert sorted(projected, key=projected.get)[:3] == sorted(["T0008", "T0014", "T0015"], key=projected.get)
    assert late > 0.5
    assert awards_days == {"07", "12"}
    assert rates["T0001"] == max(rates.values())  # the town close to the standard leads
    assert sorted(rates, key=rates.get)[:3] == sorted(["T0008", "T0014", "T0015"], key=rates.get)  # three behind
    assert by_type["retired"] > by_type["non_public"]
    assert in_progress[0][0] > 0  # the latest year is still in progress
