"""The checks against the members file, run in DuckDB once after the batches (Building.unmatched_members),
give the same warehouse and the same rejects as the same checks run per batch in polars.

The tiny fixture with these edits (line n of a file is its row n; the header is row 1):
- members.csv: M2's 入党日期 2010-02-30 → M2 is rejected.
- pledges.csv:
  row 6  P5, 党员 M2 (unchanged) → M2 itself was rejected (本身被拒收);
  row 7  P6, member M99 → not found (不存在);
  row 10 P9, filed under O5 while M5 sits in O6 → 应为该党员所在组织“O6”, value O5;
  row 11 P10, typed "O3 " and "　M4" (trailing space, full-width space): M4 is found once cleaned,
         but sits in O4 → 应为该党员所在组织“O4”, value as typed "O3 ";
  row 12 P11, year 二〇二五 (rejected in its batch) and member M77 → both reasons;
  row 14 a second P12 (a repeated key) with member M66 → both the repeat and 不存在.
- awards.csv: row 3 A2 member M98 → 不存在; row 6 A5 member M2 → 本身被拒收.
Good pledges left: P1 P2 P3 P4 P7 P8 P12 (the first) → 7 of 13 rows; awards A1 A3 A4 → 3 of 5.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.load import Building, load
from tests.conftest import AS_OF

TABLES = ("towns", "orgs", "members", "pledges", "awards", "assessments")


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture line not found: {old}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    import shutil

    from tests.conftest import TINY

    folder = tmp_path_factory.mktemp("members") / "tiny"
    shutil.copytree(TINY, folder)
    _edit(folder, "members.csv", "M2,李四,O3,女,1980-01-01,2010-07-01", "M2,李四,O3,女,1980-01-01,2010-02-30")
    _edit(folder, "pledges.csv", "P6,2024,党员,O4,M3,", "P6,2024,党员,O4,M99,")
    _edit(folder, "pledges.csv", "P9,2024,党员,O6,M5,", "P9,2024,党员,O5,M5,")
    _edit(folder, "pledges.csv", "P10,2025,党员,O4,M4,", "P10,2025,党员,O3 ,\u3000M4,")
    _edit(folder, "pledges.csv", "P11,2025,党员,O6,M5,", "P11,二〇二五,党员,O6,M77,")
    with (folder / "pledges.csv").open("a", encoding="utf-8") as fh:
        fh.write("P12,2025,党员,O5,M66,推动发展,再录一次,2025-01-10,2025-06-30,待审核,,,,,,,,,\n")
    _edit(folder, "awards.csv", "A2,2024,服务先锋,M3,", "A2,2024,服务先锋,M98,")
    _edit(folder, "awards.csv", "A5,2025,兴业先锋,M4,", "A5,2025,兴业先锋,M2,")
    return folder


@pytest.fixture(scope="module")
def both(edited, tmp_path_factory) -> tuple[Path, Path]:
    """The edited folder loaded twice: member checks in DuckDB (as shipped), then per batch in polars."""
    out = tmp_path_factory.mktemp("loaded")
    in_duckdb, in_polars = out / "duckdb.duckdb", out / "polars.duckdb"
    load(edited, in_duckdb, as_of=AS_OF)
    with pytest.MonkeyPatch.context() as patched:
        patched.delattr(Building, "unmatched_members")  # without it, validate checks members per batch
        load(edited, in_polars, as_of=AS_OF)
    return in_duckdb, in_polars


def _member_rejects(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(
            "select file, row_number, column_name, value, reason from rejects "
            "where file in ('pledges.csv', 'awards.csv') order by file, row_number, column_name, reason"
        ).fetchall()
    finally:
        con.close()


def test_member_checks_in_duckdb_give_the_hand_computed_rejects(both):
    rejects = _member_rejects(both[0])
    found = {(f, r, c.split("(")[1].rstrip(")"), v) for f, r, c, v, _ in rejects}
    assert found == {
        ("awards.csv", 3, "member_id", "M98"),
        ("awards.csv", 6, "member_id", "M2"),
        ("pledges.csv", 6, "member_id", "M2"),
        ("pledges.csv", 7, "member_id", "M99"),
        ("pledges.csv", 10, "org_id", "O5"),
        ("pledges.csv", 11, "org_id", "O3 "),
        ("pledges.csv", 12, "year", "二〇二五"),
        ("pledges.csv", 12, "member_id", "M77"),
        ("pledges.csv", 14, "pledge_id", "P12"),
        ("pledges.csv", 14, "member_id", "M66"),
    }
    reasons = {(f, r, c.split("(")[1].rstrip(")")): reason for f, r, c, _, reason in rejects}
    assert "本身被拒收" in reasons[("pledges.csv", 6, "member_id")]
    assert "本身被拒收" in reasons[("awards.csv", 6, "member_id")]
    assert "不存在" in reasons[("pledges.csv", 7, "member_id")]
    assert "“O6”" in reasons[("pledges.csv", 10, "org_id")]
    assert "“O4”" in reasons[("pledges.csv", 11, "org_id")]
    con = duckdb.connect(str(both[0]), read_only=True)
    try:
        pledges = [p for (p,) in con.sql("select pledge_id from pledges order by pledge_id").fetchall()]
        awards = [a for (a,) in con.sql("select award_id from awards order by award_id").fetchall()]
    finally:
        con.close()
    assert pledges == ["P1", "P12", "P2", "P3", "P4", "P7", "P8"]
    assert awards == ["A1", "A3", "A4"]


def test_member_checks_in_duckdb_and_in_polars_give_the_same_warehouse_row_for_row(both):
    in_duckdb, in_polars = both
    con = duckdb.connect()
    con.execute("attach ? as a (read_only)", [str(in_duckdb)]).fetchall()
    con.execute("attach ? as b (read_only)", [str(in_polars)]).fetchall()
    compared = {**{t: "*" for t in TABLES}, "rejects": "file, row_number, column_name, value, reason"}
    for table, columns in compared.items():
        for one, other in (("a", "b"), ("b", "a")):
            extra = con.sql(
                f"select {columns} from {one}.{table} except all select {columns} from {other}.{table}"
            ).fetchall()
            assert extra == [], (table, one, extra)
    # the 10 above and M2's own (its 入党日期 is no date)
    assert con.sql("select count(*) from a.rejects").fetchall() == [(11,)]
