"""One test per reject reason: a single edit to the tiny fixture, the reject it must cause."""

from pathlib import Path

import pytest

from etl.load import find_input_files, validate_folder


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture line not found: {old}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rejects(folder: Path) -> list[dict]:
    checked = validate_folder(find_input_files(folder))
    return [row for c in checked.values() for row in c.rejects.iter_rows(named=True)]


def test_the_tiny_fixture_itself_has_no_rejects(tiny_dir):
    assert _rejects(tiny_dir) == []


# (file, line as in the fixture, the edited line, file row number, column, words the reason must hold)
CASES = [
    ("towns.csv", "T2,西湖乡,示范县", "T2,,示范县", 3, "乡镇名称(town_name)", "必填项"),
    ("pledges.csv", "P10,2025,", "P10,二〇二五,", 11, "年度(year)", "应为整数"),
    ("pledges.csv", "P10,2025,", "P10,1999,", 11, "年度(year)", "2000 至 2100"),
    (
        "members.csv",
        "M2,李四,O3,女,1980-01-01,2010-07-01",
        "M2,李四,O3,女,1980-01-01,2010-02-30",
        3,
        "入党日期(joined_on)",
        "2010年2月没有30日",  # a real format, an impossible day: called impossible, not unrecognised
    ),
    (
        "members.csv",
        "M2,李四,O3,女,1980-01-01,2010-07-01",
        "M2,李四,O3,女,1980-01-01,2010年7月1号",
        3,
        "入党日期(joined_on)",
        "不是可识别的日期",
    ),
    (
        "orgs.csv",
        "O6,西湖村党支部,T2,O5,党支部,村(社区)党组织",
        "O6,西湖村党支部,T2,O5,党小组,村(社区)党组织",
        7,
        "组织层级(org_level)",
        "党委 / 党总支 / 党支部",
    ),
    (
        "members.csv",
        "M6,陈七,O1,男,1968-01-01,1995-07-01,是",
        "M6,陈七,O1,男,1968-01-01,1995-07-01,也许",
        7,
        "是否班子成员(is_committee)",
        "“是”或“否”",
    ),
    ("towns.csv", "T2,西湖乡,示范县", "T1,西湖乡,示范县", 3, "乡镇编码(town_id)", "与第 2 行相同"),
    ("orgs.csv", "O6,西湖村党支部,T2,", "O6,西湖村党支部,T9,", 7, "乡镇编码(town_id)", "“T9”在乡镇表中不存在"),
    (
        "orgs.csv",
        "O4,东关镇财政所党支部,T1,O2,",
        "O4,东关镇财政所党支部,T1,O9,",
        5,
        "上级组织编码(parent_org_id)",
        "“O9”在党组织表中不存在",
    ),
    (
        "orgs.csv",
        "O2,东关镇机关党总支,T1,O1,",
        "O2,东关镇机关党总支,T1,O3,",
        3,
        "上级组织编码(parent_org_id)",
        "层级不符",
    ),
    (
        "orgs.csv",
        "O6,西湖村党支部,T2,O5,",
        "O6,西湖村党支部,T2,O1,",
        7,
        "上级组织编码(parent_org_id)",
        "属于另一个乡镇",
    ),
    (
        "orgs.csv",
        "O6,西湖村党支部,T2,O5,党支部,村(社区)党组织",
        "O6,西湖村党支部,T2,,党支部,村(社区)党组织",
        7,
        "上级组织编码(parent_org_id)",
        "必须填写「上级组织编码」",
    ),
    (
        "orgs.csv",
        "O6,西湖村党支部,T2,O5,党支部,村(社区)党组织",
        "O6,西湖村党支部,T2,O5,党支部,",
        7,
        "支部类型(branch_type)",
        "必须填写「支部类型」",
    ),
    (
        "orgs.csv",
        "O5,中共西湖乡委员会,T2,,党委,",
        "O5,中共西湖乡委员会,T2,,党委,机关支部",
        6,
        "支部类型(branch_type)",
        "党委不填",
    ),
    ("members.csv", "M5,刘䶮,O6,", "M5,刘䶮,O7,", 6, "所在组织编码(org_id)", "“O7”在党组织表中不存在"),
    (
        "members.csv",
        "M2,李四,O3,女,1980-01-01,",
        "M2,李四,O3,女,2011-01-01,",
        3,
        "入党日期(joined_on)",
        "早于「出生日期」",
    ),
    ("pledges.csv", "P4,2024,党员,O3,M1,", "P4,2024,党员,O3,,", 5, "党员编号(member_id)", "必须填写「党员编号」"),
    ("pledges.csv", "P1,2024,组织,O1,,", "P1,2024,组织,O1,M6,", 2, "党员编号(member_id)", "应留空"),
    ("pledges.csv", "P4,2024,党员,O3,M1,", "P4,2024,党员,O3,M9,", 5, "党员编号(member_id)", "“M9”在党员表中不存在"),
    ("pledges.csv", "P4,2024,党员,O3,M1,", "P4,2024,党员,O4,M1,", 5, "组织编码(org_id)", "该党员所在组织“O3”"),
    (
        "pledges.csv",
        "已通过,O3,2024-02-05",
        "已通过,O8,2024-02-05",
        5,
        "审核组织编码(reviewed_by)",
        "“O8”在党组织表中不存在",
    ),
    (
        "pledges.csv",
        "P2,2024,组织,O3,,关注民生,为困难群众办实事5件,2024-01-12,2024-06-30,已通过,O1,2024-01-22,,,,已兑现,2024-06-01",
        "P2,2024,组织,O3,,关注民生,为困难群众办实事5件,2024-01-12,2024-06-30,已通过,O1,2024-01-22,,,,已兑现,2023-06-01",
        3,
        "兑现日期(fulfilled_on)",
        "早于「承诺日期」",
    ),
    ("awards.csv", "A1,2024,学习先锋,M1,", "A1,2024,学习先锋,M7,", 2, "党员编号(member_id)", "“M7”在党员表中不存在"),
    ("awards.csv", "A3,2024,和谐先锋,,O3,", "A3,2024,和谐先锋,,O33,", 4, "组织编码(org_id)", "“O33”在党组织表中不存在"),
    ("assessments.csv", "O6,2024,较好,0,1,", "O6,2024,较好,-1,1,", 3, "违纪违法人数(violations)", "不能为负数"),
    (
        "assessments.csv",
        "O1,2024,好,0,0,12,100,80,15",
        "O1,2024,好,0,0,12,90,80,15",
        2,
        "满意人数(survey_satisfied)",
        "超过满意度测评人数（90）",
    ),
    ("assessments.csv", "O1,2024,好,0,0,12", "O99,2024,好,0,0,12", 2, "组织编码(org_id)", "“O99”在党组织表中不存在"),
]


@pytest.mark.parametrize(("file", "old", "new", "row", "column", "reason"), CASES, ids=[c[5] for c in CASES])
def test_each_bad_row_is_rejected_with_its_reason(tiny_dir, file, old, new, row, column, reason):
    _edit(tiny_dir, file, old, new)
    rejects = [r for r in _rejects(tiny_dir) if r["file"] == file]
    assert any(r["row_number"] == row and r["column_name"] == column and reason in r["reason"] for r in rejects), (
        rejects
    )


def test_a_rejected_org_takes_its_members_along_and_says_why(tiny_dir):
    _edit(
        tiny_dir,
        "orgs.csv",
        "O6,西湖村党支部,T2,O5,党支部,村(社区)党组织",
        "O6,西湖村党支部,T2,O5,党小组,村(社区)党组织",
    )
    rejects = _rejects(tiny_dir)
    member = [r for r in rejects if r["file"] == "members.csv"]
    assert [(r["row_number"], r["value"]) for r in member] == [(6, "O6")]
    assert "被拒收" in member[0]["reason"]


def test_a_rejected_parent_rejects_its_children_until_nothing_changes(tiny_dir):
    # O2 (党总支) loses its parent; O4 hangs under O2 and must go too.
    _edit(tiny_dir, "orgs.csv", "O2,东关镇机关党总支,T1,O1,", "O2,东关镇机关党总支,T1,O77,")
    checked = validate_folder(find_input_files(tiny_dir))
    assert sorted(checked["orgs"].good["org_id"].to_list()) == ["O1", "O3", "O5", "O6"]
    rows = {(r["row_number"], r["value"]) for r in checked["orgs"].rejects.iter_rows(named=True)}
    assert rows == {(3, "O77"), (5, "O2")}


def test_read_equals_loaded_plus_rejected_with_several_problems_in_one_row(tiny_dir):
    _edit(tiny_dir, "pledges.csv", "P10,2025,党员,O4,M4,", "P10,abc,党员,O4,M99,")
    checked = validate_folder(find_input_files(tiny_dir))
    pledges = checked["pledges"]
    assert (pledges.rows_read, pledges.rows_loaded, pledges.rows_rejected) == (12, 11, 1)
    assert pledges.rejects.height == 2  # both problems of the one row are reported
