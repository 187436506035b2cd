"""A file's repeated keys, found in DuckDB once after the last batch (Building.repeated_keys), give the
same warehouse and the same rejects as the keys held and grouped in polars, in one batch or in many.

The tiny fixture with these rows appended (line n of a file is its row n; the header is row 1;
P3 is row 4, P4 row 5, P12 row 13):
- pledges.csv
  row 14 P3 again                → 「承诺编号」重复：与第 4 行相同, value P3;
  row 15 "P4 " (a trailing space) → cleaned to P4: 与第 5 行相同, value as typed "P4 ";
  row 16 P20, year 二〇二五       → rejected in its batch for its year (its key still counts);
  row 17 P20                     → 与第 16 行相同 (the first row is kept even though it was rejected);
  row 18 P20                     → 与第 16 行相同;
  rows 19, 20 no 承诺编号          → rejected for the missing key, neither a copy of the other;
  row 21 P21, member M99          → rejected after the batches (no such member): still a first row;
  row 22 P21, member M1           → 与第 21 行相同.
- assessments.csv (key 组织编码+年度; O1 2024 is row 2)
  row 4  O1 2024 again           → 「组织编码+年度」重复：与第 2 行相同, value O1;
  row 5  O1 2025                 → another year: not a copy, loaded.
Good rows left: the 12 pledges P1–P12 and the assessments O1 2024, O1 2025, O6 2024.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.load import Building, load
from tests.conftest import AS_OF, TINY, query_rows

P3 = "P3,2024,组织,O4,,效能建设,办事限时办结,2024-01-15,2024-09-30,已通过,O2,2024-01-25,,,,部分兑现,,,基本满意"
P4 = (
    "P4 ,2024,党员,O3,M1,学习理论知识,每月自学不少于4小时,2024-02-01,2024-12-31,已通过,O3,2024-02-05,"
    "是,是,是,已兑现,2024-11-30,工作台账,满意"
)
P21 = (
    "P21,2025,党员,O3,{member},学习理论知识,每月自学不少于4小时,2025-02-01,2025-12-31,已通过,O3,2025-02-05,"
    "是,是,是,已兑现,2025-11-30,工作台账,满意"
)
NO_KEY = ",2025,组织,O5,,推动发展,建成村级活动阵地1处,2025-01-10,2025-06-30,已通过,,2025-01-20,,,,进行中,,,"
P20 = "P20,{year},组织,O5,,推动发展,建成村级活动阵地1处,2025-01-10,2025-06-30,已通过,,2025-01-20,,,,进行中,,,"
REPEAT = "（保留第一次出现的行）"
EXPECTED = [
    ("assessments.csv", 4, "组织编码(org_id)", "O1", f"「组织编码+年度」重复：与第 2 行相同{REPEAT}"),
    ("pledges.csv", 14, "承诺编号(pledge_id)", "P3", f"「承诺编号」重复：与第 4 行相同{REPEAT}"),
    ("pledges.csv", 15, "承诺编号(pledge_id)", "P4 ", f"「承诺编号」重复：与第 5 行相同{REPEAT}"),
    ("pledges.csv", 17, "承诺编号(pledge_id)", "P20", f"「承诺编号」重复：与第 16 行相同{REPEAT}"),
    ("pledges.csv", 18, "承诺编号(pledge_id)", "P20", f"「承诺编号」重复：与第 16 行相同{REPEAT}"),
    ("pledges.csv", 22, "承诺编号(pledge_id)", "P21", f"「承诺编号」重复：与第 21 行相同{REPEAT}"),
]


@pytest.fixture(scope="module")
def repeated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("repeated") / "tiny"
    shutil.copytree(TINY, folder)
    lines = [P3, P4, P20.format(year="二〇二五"), P20.format(year=2025), P20.format(year=2025)]
    lines += [NO_KEY, NO_KEY, P21.format(member="M99"), P21.format(member="M1")]
    with (folder / "pledges.csv").open("a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    with (folder / "assessments.csv").open("a", encoding="utf-8") as fh:
        fh.write("O1,2024,好,0,0,12,100,80,15\nO1,2025,好,0,0,12,100,80,15\n")
    return folder


def _rejects(db: Path) -> list[tuple]:
    return query_rows(db, "select file, row_number, column_name, value, reason from rejects order by all")


@pytest.mark.parametrize("batch_rows", [2, 500_000], ids=["many batches", "one batch"])
def test_repeated_keys_in_duckdb_as_in_polars(repeated, tmp_path, monkeypatch, batch_rows):
    monkeypatch.setattr("etl.readers.BATCH_ROWS", batch_rows)
    in_duckdb, in_polars = tmp_path / "duckdb.duckdb", tmp_path / "polars.duckdb"
    load(repeated, in_duckdb, as_of=AS_OF)
    with pytest.MonkeyPatch.context() as patched:
        patched.delattr(Building, "repeated_keys")  # without it, validate holds every key in polars
        load(repeated, in_polars, as_of=AS_OF)

    copies = [r for r in _rejects(in_duckdb) if "重复" in r[4]]
    assert copies == EXPECTED
    others = {r[1]: r[2] for r in _rejects(in_duckdb) if r[0] == "pledges.csv" and "重复" not in r[4]}
    assert others == {16: "年度(year)", 19: "承诺编号(pledge_id)", 20: "承诺编号(pledge_id)", 21: "党员编号(member_id)"}
    assert _rejects(in_duckdb) == _rejects(in_polars)
    for db in (in_duckdb, in_polars):
        pledges = query_rows(db, "select pledge_id from pledges order by pledge_id")
        assert pledges == [(f"P{n}",) for n in sorted(range(1, 13), key=str)]
        assessments = query_rows(db, "select org_id, year from assessments order by all")
        assert assessments == [("O1", 2024), ("O1", 2025), ("O6", 2024)]
    for table in ("pledges", "assessments", "members", "awards"):
        assert query_rows(in_duckdb, f"select * from {table} order by all") == query_rows(
            in_polars, f"select * from {table} order by all"
        )
