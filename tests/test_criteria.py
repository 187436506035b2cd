"""The demonstration standard is a file a county edits: the default reads well, a bad one is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.__main__ import main
from etl.criteria import DEFAULT_BANDS, DEFAULT_CRITERIA, GOODS, INDICATORS, bands_path_for, read_standard
from etl.load import load
from etl.readers import LoadRefused
from tests.conftest import AS_OF, table_rows

HEADER = "编号,五个好,指标,比较,标准值,分值,扣分,每差,一票否决,说明\n"


def test_the_default_standard_is_a_100_point_scorecard_over_the_five_goods():
    standard = read_standard()
    items = standard.items
    assert items["weight"].sum() == 100
    assert set(items["good"]) == set(GOODS)
    assert set(items["indicator"]) <= set(INDICATORS)
    assert items.filter(items["veto"])["indicator"].to_list() == ["violations"]
    assert dict(standard.bands.iter_rows()) == {"达标": 90.0, "接近": 80.0}
    assert standard.bands_path == DEFAULT_BANDS


def test_percentages_are_read_exactly_and_chinese_operators_are_understood(tmp_path):
    path = tmp_path / "本县标准.csv"
    path.write_text(HEADER + "X1,群众反映好,satisfaction_rate,不低于,95%,10,1,1%,否,\n", encoding="utf-8")
    item = read_standard(path).items.row(0, named=True)
    assert (item["operator"], item["threshold"], item["deduct_step"]) == (">=", 0.95, 0.01)
    assert item["description"] == INDICATORS["satisfaction_rate"].description  # empty 说明 takes the catalogue's


def test_bands_come_from_the_file_beside_the_standard_when_there_is_one(tmp_path):
    path = tmp_path / "本县标准.csv"
    shutil.copy(DEFAULT_CRITERIA, path)
    assert bands_path_for(path) == DEFAULT_BANDS
    (tmp_path / "本县标准_bands.csv").write_text("等级,最低得分\n达标,85\n接近,70\n", encoding="utf-8")
    assert dict(read_standard(path).bands.iter_rows()) == {"达标": 85.0, "接近": 70.0}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("X1,班子好,violations,<=,0,10,,,是,", "第 2 行「五个好」(good) “班子好”：应为以下之一"),
        ("X1,领导班子好,no_such_thing,<=,0,10,,,是,", "「指标」(indicator) “no_such_thing”：不是可计算的指标"),
        ("X1,领导班子好,violations,=>,0,10,,,是,", "「比较」(operator) “=>”：应为 >=、<=、>、<、= 之一"),
        (
            "X1,群众反映好,satisfaction_rate,>=,95,10,,,否,",
            "「标准值」(threshold) “95”：比例类指标的标准值应在 0 到 100% 之间",
        ),
        ("X1,群众反映好,satisfaction_rate,>=,九成,10,,,否,", "「标准值」(threshold) “九成”：应为数字或百分数"),
        ("X1,领导班子好,violations,<=,0,0,,,是,", "「分值」(weight) “0”：应为大于 0 的数字"),
        (
            "X1,领导班子好,failed_members,<=,0,5,1,,否,",
            "「每差」(deduct_step) （空）：填写了「扣分」时必须填写「每差」",
        ),
        ("X1,领导班子好,violations,<=,0,10,,,也许,", "「一票否决」(veto) “也许”：应填“是”或“否”"),
        (",领导班子好,violations,<=,0,10,,,是,", "「编号」(criterion_id) （空）：必填项，不能为空"),
    ],
)
def test_a_bad_cell_refuses_the_standard_naming_file_row_column_and_value(tmp_path, row, expected):
    path = tmp_path / "本县标准.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(LoadRefused) as refused:
        read_standard(path)
    assert "本县标准.csv" in str(refused.value)
    assert expected in str(refused.value)


def test_duplicate_ids_and_bad_bands_are_each_reported(tmp_path):
    path = tmp_path / "本县标准.csv"
    path.write_text(
        HEADER + "X1,领导班子好,violations,<=,0,10,,,是,\nX1,领导班子好,failed_members,<=,0,5,,,否,\n", encoding="utf-8"
    )
    (tmp_path / "本县标准_bands.csv").write_text("等级,最低得分\n达标,70\n接近,80\n", encoding="utf-8")
    with pytest.raises(LoadRefused) as refused:
        read_standard(path)
    message = str(refused.value)
    assert "第 3 行「编号」(criterion_id) “X1”：编号重复（与第 2 行相同）" in message
    assert "“接近”的最低得分（80）应低于“达标”的最低得分（70）" in message


def test_a_bad_standard_refuses_the_load_and_leaves_the_live_warehouse(tiny_dir, tiny_db, tmp_path, capsys):
    before = table_rows(tiny_db, "criteria")
    bad = tmp_path / "坏标准.csv"
    bad.write_text(HEADER + "X1,领导班子好,violations,大约,0,10,,,是,\n", encoding="utf-8")
    code = main(["load", str(tiny_dir), "--db", str(tiny_db), "--criteria", str(bad), "--as-of", str(AS_OF)])
    assert code == 2
    assert "坏标准.csv 第 2 行「比较」(operator) “大约”" in capsys.readouterr().err
    assert table_rows(tiny_db, "criteria") == before


def test_a_county_standard_replaces_the_default_and_is_recorded_in_the_load(tiny_dir, tmp_path):
    path = tmp_path / "本县标准.csv"
    path.write_text(HEADER + "X1,先锋示范好,vanguard_kinds,>=,1,100,,,否,至少一类先锋\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    load(tiny_dir, db, as_of=AS_OF, criteria=path)
    con = duckdb.connect(str(db), read_only=True)
    try:
        scores = con.sql("select town_id, score, status from v_readiness where year = 2024 order by 1").fetchall()
        files = con.sql("select files from loads").fetchall()[0][0]
    finally:
        con.close()
    # both towns had at least one vanguard in 2024: 100 of 100, above the default 90 of 达标
    assert scores == [("T1", 100.0, "达标"), ("T2", 100.0, "达标")]
    recorded = {f["kind"]: f for f in files}
    assert recorded["criteria"]["file"] == str(path) and len(recorded["criteria"]["sha256"]) == 64
    assert Path(recorded["criteria_bands"]["file"]) == DEFAULT_BANDS


def test_a_standard_saved_from_excel_with_a_title_row_reads_the_same(tmp_path):
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某某县创先争优示范单位评分细则"])  # the title row offices put above the header
    with DEFAULT_CRITERIA.open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    path = tmp_path / "本县标准.xlsx"
    book.save(path)
    assert read_standard(path).items.equals(read_standard().items)
