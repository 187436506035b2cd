"""An upload cannot wipe a town's history: the cases of issue 22 on the tiny fixture.

Figures by hand from tests/fixtures/tiny (README): 东关镇 (T1) has members M1 M2 M3 M4 M6 (5),
pledges P1–P7 and P10 (8), awards A1 A2 A3 (2024) and A5 (2025) (4); 西湖乡 (T2) has M5, P8 P9 P11
P12, A4. M3 made pledges P6 and P7 and holds award A2, all of 2024. Loaded as of 2025-11-20.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl import submissions as s
from etl.load import load
from etl.readers import LoadRefused

TINY = Path(__file__).parent / "fixtures" / "tiny"
TEMPLATES = Path(__file__).parent.parent / "data" / "templates"
ROOT = Path(__file__).parent.parent
MEMBERS_HEADER = "党员编号,姓名,所在组织编码,性别,出生日期,入党日期,是否班子成员"
T1_MEMBERS = [
    "M1,张三,O3,男,1970-01-01,2000-07-01,是",
    "M2,李四,O3,女,1980-01-01,2010-07-01,否",
    "M3,王五,O4,男,1985-01-01,2024-06-01,否",
    "M4,赵六,O4,女,1990-01-01,2025-03-01,否",
    "M6,陈七,O1,男,1968-01-01,1995-07-01,是",
]
AWARDS_HEADER = "表彰编号,年度,先锋类别,党员编号,组织编码,表彰级别,表彰日期"


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "store"))
    path = tmp_path / "warehouse.duckdb"
    load(TINY, path, as_of=dt.date(2025, 11, 20))
    return path


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def upload(name: str, header: str, *lines: str) -> s.Upload:
    return s.Upload(name, ("\n".join([header, *lines]) + "\n").encode("utf-8"))


def filled_template(kind: str, records: list[list]) -> s.Upload:
    """The blank XLSX template of data/templates, filled in as a clerk does (rows under the header)."""
    book = openpyxl.load_workbook(TEMPLATES / f"{kind}.xlsx")
    sheet = book.worksheets[0]
    for r, record in enumerate(records, start=2):
        for c, value in enumerate(record, start=1):
            sheet.cell(r, c).value = value
    out = io.BytesIO()
    book.save(out)
    return s.Upload(f"{kind}-本月.xlsx", out.getvalue())


def test_a_filled_awards_template_adds_its_three_rows_and_removes_none(db):
    """The issue's 180-row case: 3 new awards in the template, on a town with awards of 2024 and 2025."""
    new = [
        ["A10", 2025, "学习先锋", "M1", "O3", "镇级", dt.date(2025, 10, 1)],
        ["A11", 2025, "廉洁先锋", "M2", "O3", "县级", dt.date(2025, 10, 1)],
        ["A12", 2025, "和谐先锋", None, "O4", "镇级", dt.date(2025, 10, 8)],
    ]
    preview = s.prepare(db, "T1", [filled_template("awards", new)])
    (awards,) = preview.files
    assert (awards.mode, awards.rows_read, awards.rows_loaded, awards.rows_rejected) == ("merge", 3, 3, 0)
    assert (awards.added, awards.changed, awards.removed) == (3, 0, 0)
    assert preview.removals.height == 0 and preview.refusals() == []
    s.commit(db, "T1", preview.staging, who="王文书")
    # 4 awards of T1 before (A1 A2 A3 A5) + 3 = 7; T2's A4 as it was
    assert rows(db, "select award_id from awards order by award_id") == [
        ("A1",),
        ("A10",),
        ("A11",),
        ("A12",),
        ("A2",),
        ("A3",),
        ("A4",),
        ("A5",),
    ]
    assert s.history()[0]["who"] == "王文书" and s.history()[0]["mode"] == "merge"


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_a_file_none_of_whose_rows_can_load_changes_nothing(db, mode):
    """西湖乡's member list sent under 东关镇: every row is refused, so nothing is published at all."""
    before = db.read_bytes()
    preview = s.prepare(db, "T1", [upload("党员.csv", MEMBERS_HEADER, "M5,刘䶮,O6,男,1975-01-01,2005-07-01,否")], mode)
    assert preview.refusals() == [
        "文件“党员.csv”的 1 行都有问题，没有一行能入库，因此不发布任何数据。"
        "请按下方“问题”一列改好后重新上传（可下载有问题的行，改好后直接上传）。"
    ]
    with pytest.raises(LoadRefused, match="没有一行能入库"):
        s.commit(db, "T1", preview.staging, removals_confirmed=preview.removals.height, county=True)
    assert db.read_bytes() == before
    assert rows(db, "select count(*) from members") == [(6,)]


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_a_missing_optional_column_leaves_that_column_as_it_was(db, mode):
    """T1's five members without the 性别 column: nothing changes, nothing is removed."""
    header = MEMBERS_HEADER.replace(",性别", "")
    lines = [",".join(p for i, p in enumerate(line.split(",")) if i != 3) for line in T1_MEMBERS]
    preview = s.prepare(db, "T1", [upload("党员.csv", header, *lines)], mode)
    (members,) = preview.files
    assert (members.added, members.changed, members.removed, members.absent) == (0, 0, 0, ["性别"])
    genders = "select member_id, gender from members order by member_id"
    before = rows(db, genders)
    s.commit(db, "T1", preview.staging)
    assert rows(db, genders) == before  # M1 男, M2 女, … still there, not blanked


def test_another_towns_figures_are_identical_after_a_submission_and_the_as_of_date_is_kept(db):
    """2025 is in progress as of 2025-11-20; moving the date to today would finish it for 西湖乡 too."""
    town_two = "select * from v_town_summary where town_id = 'T2' order by year"
    before = rows(db, town_two)
    preview = s.prepare(db, "T1", [upload("党员.csv", MEMBERS_HEADER, "M9,吴十,O4,女,1992-02-02,2016-07-01,否")])
    s.commit(db, "T1", preview.staging)
    assert rows(db, town_two) == before
    assert rows(db, "select as_of from loads order by loaded_at desc, load_id desc limit 1") == [
        (dt.date(2025, 11, 20),)
    ]


def test_a_replacement_of_one_year_removes_only_that_years_rows_after_a_second_confirmation(db):
    """A 2025 awards file replacing T1's: A5 (2025) goes, A1 A2 A3 (2024) stay whatever the file says."""
    preview = s.prepare(
        db, "T1", [upload("表彰.csv", AWARDS_HEADER, "A6,2025,学习先锋,M1,O3,镇级,2025-07-01")], mode="replace"
    )
    (awards,) = preview.files
    assert (awards.years, awards.added, awards.removed) == ([2025], 1, 1)
    assert preview.removals.to_dicts() == [
        {"kind": "先锋表彰", "year": 2025, "record": "A5", "reason": "不在整表替换的文件中"}
    ]
    assert preview.removed_by_year().to_dicts() == [{"kind": "先锋表彰", "year": 2025, "rows": 1}]
    before = db.read_bytes()
    with pytest.raises(LoadRefused) as refused:
        s.commit(db, "T1", preview.staging, county=True)
    assert str(refused.value) == "发布将删除东关镇现有的 1 条记录（见删除清单），需要再次确认。"
    assert db.read_bytes() == before
    s.commit(db, "T1", preview.staging, removals_confirmed=1, county=True)
    assert rows(db, "select award_id, year from awards where award_id <> 'A4' order by award_id") == [
        ("A1", 2024),
        ("A2", 2024),
        ("A3", 2024),
        ("A6", 2025),
    ]


def test_removing_more_than_a_fifth_of_a_kind_needs_a_county_account(db):
    """A5 is 1 of T1's 4 awards: 25 % > 20 %, so a 乡镇 account may not; M6 is 1 of 5 members: 20 %, it may."""
    awards = s.prepare(
        db, "T1", [upload("表彰.csv", AWARDS_HEADER, "A6,2025,学习先锋,M1,O3,镇级,2025-07-01")], "replace"
    )
    assert awards.large_removals() == ["先锋表彰 1 条（现有 4 条的 25%）"]
    with pytest.raises(LoadRefused) as refused:
        s.commit(db, "T1", awards.staging, removals_confirmed=1, county=False)
    assert str(refused.value) == (
        "一次删除超过本乡镇同类记录的 20% 需要县级账号：先锋表彰 1 条（现有 4 条的 25%）。"
        "如只是补充本月数据，请选“补充修正”；确需整表替换，请联系县委组织部发布。"
    )
    s.cancel(awards)
    members = s.prepare(db, "T1", [upload("党员.csv", MEMBERS_HEADER, *T1_MEMBERS[:4])], "replace")
    assert members.large_removals() == []
    s.commit(db, "T1", members.staging, removals_confirmed=1, county=False)
    assert rows(db, "select count(*) from members where member_id = 'M6'") == [(0,)]


def test_replacing_members_lists_the_pledges_and_awards_that_would_go_with_them(db):
    """M3 left out of a members replacement takes P6 P7 and A2 (2024): listed, counted, never silent."""
    preview = s.prepare(db, "T1", [upload("党员.csv", MEMBERS_HEADER, *T1_MEMBERS[:2], *T1_MEMBERS[3:])], "replace")
    listed = {(r["kind"], r["year"], r["record"]) for r in preview.removals.iter_rows(named=True)}
    assert listed == {
        ("党员", None, "M3"),
        ("公开承诺", 2024, "P6"),
        ("公开承诺", 2024, "P7"),
        ("先锋表彰", 2024, "A2"),
    }
    pledge_reasons = preview.removals.filter(pl_kind("公开承诺"))["reason"].to_list()
    assert all("M3" in reason for reason in pledge_reasons)
    # P6 P7 are 2 of T1's 8 pledges (25 %) and A2 1 of 4 awards (25 %): a 乡镇 account may not
    assert preview.large_removals() == ["公开承诺 2 条（现有 8 条的 25%）", "先锋表彰 1 条（现有 4 条的 25%）"]
    with pytest.raises(LoadRefused, match="需要再次确认"):
        s.commit(db, "T1", preview.staging, county=True)
    assert rows(db, "select count(*) from pledges") == [(12,)]
    s.cancel(preview)


def pl_kind(label: str):
    import polars as pl

    return pl.col("kind") == label


def test_a_refused_row_keeps_the_current_row_of_its_key(db):
    """M1 sent with an impossible birth date: M1 stays as it was (and its pledge P4 with it); M9 is added."""
    preview = s.prepare(
        db,
        "T1",
        [
            upload(
                "党员.csv",
                MEMBERS_HEADER,
                "M1,张三,O3,男,1970-11-31,2000-07-01,是",
                "M9,吴十,O4,女,1992-02-02,2016-07-01,否",
            )
        ],
    )
    (members,) = preview.files
    assert (members.rows_loaded, members.rows_rejected, members.added, members.removed) == (1, 1, 1, 0)
    assert members.rejects["reason"].to_list() == ["「出生日期」填写的日期不存在：1970年11月没有31日"]
    assert preview.removals.height == 0
    s.commit(db, "T1", preview.staging)
    assert rows(db, "select birth_date from members where member_id = 'M1'") == [(dt.date(1970, 1, 1),)]
    assert rows(db, "select count(*) from pledges where member_id = 'M1'") == [(1,)]


def test_rejects_keep_every_load_and_submission_with_its_load_id(db):
    first = rows(db, "select load_id from loads")[0][0]
    preview = s.prepare(
        db,
        "T1",
        [
            upload(
                "党员.csv",
                MEMBERS_HEADER,
                "M9,吴十,O4,女,1992-02-30,2016-07-01,否",
                "M10,郑一,O4,男,1980-01-01,2000-07-01,否",
            )
        ],
    )
    second = s.commit(db, "T1", preview.staging)
    by_load = dict(rows(db, "select load_id, count(*) from rejects group by load_id"))
    assert by_load[second] == 1  # M9's 30 February
    before_first = by_load.get(first, 0)
    third = s.commit(
        db,
        "T1",
        s.prepare(db, "T1", [upload("党员.csv", MEMBERS_HEADER, "M11,钱二,O4,男,1981-01-01,2001-07-01,否")]).staging,
    )
    after = dict(rows(db, "select load_id, count(*) from rejects group by load_id"))
    assert after.get(first, 0) == before_first and after[second] == 1 and third not in after


def test_two_files_of_one_kind_say_what_to_do(db):
    with pytest.raises(LoadRefused) as refused:
        s.prepare(
            db,
            "T1",
            [upload("a.csv", MEMBERS_HEADER, T1_MEMBERS[0]), upload("b.csv", MEMBERS_HEADER, T1_MEMBERS[1])],
        )
    assert str(refused.value) == (
        "“党员”有两个文件：“a.csv”和“b.csv”。每类数据一次只交一个文件，请合并成一个文件，或分两次提交。"
    )


def test_the_command_line_keeps_the_as_of_date_records_who_and_asks_to_confirm_removals(db, tmp_path):
    members = tmp_path / "党员.csv"
    members.write_text("\n".join([MEMBERS_HEADER, *T1_MEMBERS[:4]]) + "\n", encoding="utf-8")
    run = [sys.executable, "-m", "etl", "submit", str(members), "--town", "T1", "--db", str(db)]
    env = {"SUBMISSIONS_DIR": str(tmp_path / "store"), "PATH": "/usr/bin:/bin"}

    def cli(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*run, *extra], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)

    merged = cli("--dry-run")
    assert merged.returncode == 0 and "补充修正" in merged.stdout and "删除 0" in merged.stdout
    unconfirmed = cli("--replace")
    assert unconfirmed.returncode == 2
    assert "将删除 1 条现有记录" in unconfirmed.stdout and "党员“M6”：不在整表替换的文件中" in unconfirmed.stdout
    assert "需要再次确认" in unconfirmed.stderr and "--confirm-removals N" in unconfirmed.stderr
    done = cli("--replace", "--confirm-removals", "1", "--by", "李文书", "--as-of", "2025-11-30")
    assert done.returncode == 0, done.stderr
    assert rows(db, "select loaded_by, as_of from loads order by loaded_at desc, load_id desc limit 1") == [
        ("李文书", dt.date(2025, 11, 30))
    ]
    history = subprocess.run(
        [sys.executable, "-m", "etl", "history", "--db", str(db)], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert "李文书" in history.stdout and "整表替换" in history.stdout


def test_the_templates_offer_drop_down_lists_for_every_enumeration_and_real_dates(tmp_path):
    """Read back with openpyxl: the lists are the contract's Chinese labels (etl/contract.py), typed out here."""
    from etl.templates import write_templates

    write_templates(tmp_path)

    def rules(kind: str) -> dict[str, tuple[str, str | None]]:
        sheet = openpyxl.load_workbook(tmp_path / f"{kind}.xlsx").worksheets[0]
        header = {cell.column_letter: cell.value for cell in sheet[1]}
        out = {}
        for dv in sheet.data_validations.dataValidation:
            first = str(dv.sqref).split(":")[0]
            assert str(dv.sqref).endswith("5001")  # the first 5,000 data rows
            out[header[first.rstrip("0123456789")]] = (dv.type, dv.formula1)
        return out

    awards = rules("awards")
    assert awards["先锋类别"] == ("list", '"学习先锋,服务先锋,廉洁先锋,致富先锋,兴业先锋,和谐先锋"')
    assert awards["表彰级别"] == ("list", '"镇级,县级,市级,省级"')
    assert awards["表彰日期"][0] == "date" and awards["年度"][0] == "whole"
    pledges = rules("pledges")
    assert pledges["审核状态"] == ("list", '"待审核,已通过,退回修改"')
    assert pledges["践诺状态"][1].startswith('"未开始,') and "已兑现" in pledges["践诺状态"][1]
    assert pledges["承诺主体"] == ("list", '"组织,党员"')
    assert pledges["征求意见"] == ("list", '"是,否"')
    assert rules("orgs")["组织层级"] == ("list", '"党委,党总支,党支部"')
    assert rules("members")["性别"] == ("list", '"男,女"')
    assert rules("assessments")["班子考核等次"] == ("list", '"好,较好,一般,差"')
    book = openpyxl.load_workbook(tmp_path / "awards.xlsx")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == AWARDS_HEADER.split(",")  # Chinese only
    assert sheet.column_dimensions["G"].number_format == "yyyy-mm-dd"  # 表彰日期 cells show as dates
    assert sheet.column_dimensions["A"].number_format == "@"  # codes stay text (leading zeros kept)
    guide = book["填写说明"]
    assert [guide.cell(r, 2).value for r in range(2, 9)] == [
        "award_id",
        "year",
        "vanguard_kind",
        "member_id",
        "org_id",
        "level",
        "awarded_on",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "表彰.csv",  # 表彰级别 left out of an otherwise good awards file: say which column, not "no template"
            "表彰编号,年度,先锋类别,党员编号,组织编码,表彰日期\nA9,2025,学习先锋,M1,O3,2025-07-01\n",
            "文件“表彰.csv”缺少必需的列：“表彰级别”。请使用“先锋表彰”模板的表头。",
        ),
        ("空.csv", "", "文件“空.csv”是空文件。请填好数据后再上传（表头在第一行，数据从第二行起）。"),
        (
            "乡镇.csv",
            "乡镇编码,乡镇名称,所属县\nT1,东关镇,示范县\n",
            "文件“乡镇.csv”是乡镇名单：乡镇名单由县委组织部维护，不随乡镇数据提交。"
            "请只上传本乡镇的党组织、党员、承诺、表彰或考核文件。",
        ),
    ],
)
def test_each_refusal_says_what_is_wrong_and_what_to_do(db, name, content, message):
    with pytest.raises(LoadRefused) as refused:
        s.prepare(db, "T1", [s.Upload(name, content.encode("utf-8"))])
    assert str(refused.value) == message


def test_a_file_over_the_limit_says_how_to_get_under_it(db, monkeypatch):
    monkeypatch.setattr(s, "MAX_UPLOAD_BYTES", 1 << 20)
    with pytest.raises(LoadRefused) as refused:
        s.prepare(db, "T1", [s.Upload("大.csv", b"x" * (3 << 20))])
    assert str(refused.value) == "文件“大.csv”有 3 MB，超过上限 1 MB。请删去无关的工作表和列，或分成几个文件分次提交。"
