"""Township submissions on the tiny fixture (tests/fixtures/tiny, figures by hand in its README).

东关镇 (T1) has members M1 M2 (O3), M3 M4 (O4), M6 (O1); 西湖乡 (T2) has M5 (O6). The fixture's
members.csv lists all six, so a T1 clerk who sends it unchanged sends one row of T2 (M5, row 6).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from etl import submissions as s
from etl.load import load
from etl.readers import LoadRefused
from tests.conftest import query_rows

TINY = Path(__file__).parent / "fixtures" / "tiny"
APP = str(Path(__file__).parent.parent / "app.py")
MEMBERS = (TINY / "members.csv").read_text(encoding="utf-8")
HEADER = MEMBERS.splitlines()[0]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SUBMISSIONS_DIR", str(tmp_path / "store"))
    path = tmp_path / "warehouse.duckdb"
    load(TINY, path, as_of=dt.date(2025, 11, 20))
    return path


rows = query_rows


def csv(*lines: str) -> s.Upload:
    return s.Upload("党员名册.csv", ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))


T1_MEMBERS = [
    "M1,张三,O3,男,1970-01-01,2000-07-01,是",
    "M2,李四,O3,女,1980-01-01,2010-07-01,否",
    "M3,王五,O4,男,1985-01-01,2024-06-01,否",
    "M4,赵六,O4,女,1990-01-01,2025-03-01,否",
]


def test_a_whole_file_chosen_to_replace_replaces_the_towns_rows_and_refuses_what_is_wrong(db):
    upload = csv(
        *T1_MEMBERS[:1],
        T1_MEMBERS[1].replace("李四", "李思"),  # row 3: changed
        *T1_MEMBERS[2:],  # M6 (O1) left out: removed
        "M8,周九,O3,男,1990-13-01,2015-07-01,否",  # row 6: no 13th month
        "M9,吴十,O4,女,1992-02-02,2016-07-01,否",  # row 7: added
        "M10,郑一,O6,男,1980-01-01,2000-07-01,否",  # row 8: O6 is 西湖乡's
        "M5,冒名,O3,男,1980-01-01,2000-07-01,否",  # row 9: M5 is 西湖乡's member
    )
    preview = s.prepare(db, "T1", [upload], mode="replace")
    (members,) = preview.files
    assert (members.kind, members.mode, members.rows_read, members.rows_loaded, members.rows_rejected) == (
        "members",
        "replace",
        8,
        5,
        3,
    )
    assert (members.added, members.changed, members.removed) == (1, 1, 1)
    assert [(r["row_number"], r["column_name"], r["value"]) for r in members.rejects.iter_rows(named=True)] == [
        (6, "出生日期(birth_date)", "1990-13-01"),
        (8, "所在组织编码(org_id)", "O6"),
        (9, "党员编号(member_id)", "M5"),
    ]
    reasons = members.rejects["reason"].to_list()
    assert reasons[0] == "「出生日期」填写的日期不存在：一年只有 12 个月，没有13月"
    assert reasons[1] == "组织“O6”属于西湖乡，不是东关镇：只能提交本乡镇的数据"
    assert reasons[2] == "「党员编号」“M5”已被其他乡镇使用"
    assert rows(db, "select count(*) from members") == [(6,)]  # nothing published yet

    with pytest.raises(LoadRefused, match="需要再次确认"):  # M6 goes: the second confirmation is required
        s.commit(db, "T1", preview.staging, who="zhang")
    assert preview.removals.to_dicts() == [
        {"kind": "党员", "year": None, "record": "M6", "reason": "不在整表替换的文件中"}
    ]
    load_id = s.commit(db, "T1", preview.staging, who="zhang", removals_confirmed=1)
    assert rows(db, "select member_id, name from members order by member_id") == [
        ("M1", "张三"),
        ("M2", "李思"),
        ("M3", "王五"),
        ("M4", "赵六"),
        ("M5", "刘䶮"),  # 西湖乡 untouched
        ("M9", "吴十"),
    ]
    assert rows(db, f"select file, row_number from rejects where load_id = '{load_id}' order by row_number") == [
        ("党员名册.csv", 6),
        ("党员名册.csv", 8),
        ("党员名册.csv", 9),
    ]
    kept = Path(s.store_dir()) / "towns" / "T1" / load_id
    assert (kept / "manifest.json").is_file() and len(list(kept.glob("*.csv"))) == 1
    assert not any((Path(s.store_dir()) / "staging").iterdir())
    entry = s.history()[0]
    assert (entry["town_id"], entry["who"], entry["files"][0]["rows_loaded"]) == ("T1", "zhang", 5)


def test_the_rejects_workbook_is_fixed_in_place_and_uploaded_again(db):
    preview = s.prepare(
        db, "T1", [csv(*T1_MEMBERS, "M6,陈七,O1,男,1968-01-01,1995-07-01,是", "M8,周九,O3,男,1990-13-01,2015-07-01,否")]
    )
    (members,) = preview.files
    book = openpyxl.load_workbook(io.BytesIO(s.rejects_workbook(members)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [
        "党员编号",
        "姓名",
        "所在组织编码",
        "性别",
        "出生日期",
        "入党日期",
        "是否班子成员",
        "问题说明",
        "原行号",
    ]
    assert [c.value for c in sheet[2]][:5] == ["M8", "周九", "O3", "男", "1990-13-01"]
    assert sheet.cell(2, 8).value == "出生日期：「出生日期」填写的日期不存在：一年只有 12 个月，没有13月"
    assert sheet.cell(2, 9).value == 7
    s.cancel(preview)

    sheet.cell(2, 5).value = "1990-12-01"  # the clerk's fix, in place
    fixed = io.BytesIO()
    book.save(fixed)
    again = s.prepare(db, "T1", [s.Upload("党员-问题行-东关镇.xlsx", fixed.getvalue())])
    (members,) = again.files
    assert (members.mode, members.rows_read, members.rows_loaded, members.rows_rejected) == ("merge", 1, 1, 0)
    assert (members.added, members.changed, members.removed) == (1, 0, 0)  # a correction removes nothing
    s.commit(db, "T1", again.staging)
    assert rows(db, "select members from v_town_summary where town_id = 'T1' and year = 2025") == [(6,)]
    assert rows(db, "select birth_date from members where member_id = 'M8'") == [(dt.date(1990, 12, 1),)]


def test_dropping_an_organisation_shows_the_rows_that_would_go_with_it(db):
    orgs = (TINY / "orgs.csv").read_text(encoding="utf-8").splitlines()
    without_o3 = [line for line in orgs if not line.startswith(("O3,", "O5,", "O6,"))]
    preview = s.prepare(
        db, "T1", [s.Upload("组织.csv", ("\n".join(without_o3) + "\n").encode("utf-8"))], mode="replace"
    )
    assert preview.files[0].removed == 1
    lost = {(r["file"], r["record"]) for r in preview.lost.iter_rows(named=True)}
    # M1 and M2 are in O3; so are pledges P2 P4 P5 and awards A1 A3 (the README's T1 rows)
    assert lost == {
        ("党员", "M1"),
        ("党员", "M2"),
        ("公开承诺", "P2"),
        ("公开承诺", "P4"),
        ("公开承诺", "P5"),
        ("先锋表彰", "A1"),
        ("先锋表彰", "A3"),
    }
    s.cancel(preview)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (s.Upload("乡镇.csv", "乡镇编码,乡镇名称,所属县\nT1,东关镇,示范县\n".encode()), "乡镇名单由县委组织部维护"),
        (s.Upload("党员.xls", b"\xd0\xcf\x11\xe0old excel"), "只接受 .csv 或 .xlsx"),
        (s.Upload("党员.txt", MEMBERS.encode()), "只接受 .csv 或 .xlsx"),
        (s.Upload("随便.csv", "甲,乙\n1,2\n".encode()), "表头与任何模板都不符"),
        (s.Upload("伪装.xlsx", b"PK\x03\x04 not really a zip"), "不是有效的 XLSX"),
    ],
)
def test_unusable_files_are_refused_and_nothing_is_kept(db, upload, message):
    before = db.read_bytes()
    with pytest.raises(LoadRefused, match=message):
        s.prepare(db, "T1", [upload])
    assert db.read_bytes() == before
    assert not any((Path(s.store_dir()) / "staging").iterdir())


def test_a_zip_bomb_dressed_as_xlsx_is_refused_before_it_is_opened(db):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"0" * (1 << 20)
            for _ in range(210):  # 210 MB of zeros, about 200 KB compressed
                sheet.write(chunk)
    assert len(bomb.getvalue()) < 2 << 20
    with pytest.raises(LoadRefused, match="解压后超过 200 MB"):
        s.prepare(db, "T1", [s.Upload("党员.xlsx", bomb.getvalue())])


def test_a_file_over_the_size_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(s, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(LoadRefused, match="超过上限"):
        s.prepare(db, "T1", [csv(*T1_MEMBERS * 20)])


def test_two_towns_submitting_at_once_both_land(db):
    east = s.prepare(
        db,
        "T1",
        [csv(*T1_MEMBERS, "M6,陈七,O1,男,1968-01-01,1995-07-01,是", "M21,东甲,O3,男,1980-01-01,2001-07-01,否")],
    )
    west = s.prepare(
        db, "T2", [csv("M5,刘䶮,O6,男,1975-01-01,2005-07-01,否", "M22,西乙,O6,女,1982-01-01,2003-07-01,否")]
    )
    errors = []

    def run(preview, town):
        try:
            s.commit(db, town, preview.staging)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p, t)) for p, t in ((east, "T1"), (west, "T2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert rows(db, "select member_id from members where member_id in ('M21', 'M22') order by 1") == [
        ("M21",),
        ("M22",),
    ]
    assert rows(db, "select town_id, members from v_town_summary where year = 2025 order by 1") == [
        ("T1", 6),
        ("T2", 2),
    ]


def test_rollback_restores_the_earlier_figures_exactly(db):
    summary = "select * from v_town_summary order by town_id, year"
    before = rows(db, summary)
    first_load = s.available_versions(db)[0]
    preview = s.prepare(db, "T1", [csv(*T1_MEMBERS[:2])], mode="replace")  # M3 M4 M6 removed
    s.commit(db, "T1", preview.staging, removals_confirmed=preview.removals.height, county=True)
    assert rows(db, summary) != before
    s.rollback(db, first_load, who="li")
    assert rows(db, summary) == before
    assert s.history()[0]["event"] == "rollback" and s.history()[0]["to"] == first_load
    with pytest.raises(LoadRefused, match="没有保留装载"):
        s.rollback(db, "20000101T000000-nothing")


def test_the_import_page_previews_and_publishes(db, monkeypatch, tmp_path):
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/data_import.py").run()
    at.selectbox(key="import_town").set_value("T1").run()
    upload = csv(
        *T1_MEMBERS,
        "M6,陈七,O1,男,1968-01-01,1995-07-01,是",
        "M9,吴十,O4,女,1992-02-02,2016-07-01,否",
        "M8,周九,O3,男,1990-13-01,2015-07-01,否",
    )
    at.file_uploader(key="import_files_0").set_value((upload.name, upload.data, "text/csv")).run()
    next(b for b in at.button if b.proto.label == "检查").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "读取行数": "7",
        "将入库": "6",
        "有问题": "1",
        "新增": "1",
        "修改": "0",
        "删除": "0",
    }
    assert at.dataframe[0].value["行号"].to_list() == [8]
    assert rows(db, "select members from v_town_summary where town_id = 'T1' and year = 2025") == [(5,)]
    next(b for b in at.button if b.proto.label == "发布").click().run()
    assert not at.exception and at.success and "已发布" in at.success[0].value
    assert rows(db, "select members from v_town_summary where town_id = 'T1' and year = 2025") == [(6,)]
    assert "提交 " in at.dataframe[0].value["操作"][0]
    assert at.dataframe[0].value["方式"][0] == "补充修正"
    # the county's as-of date, kept by the submission, in the sidebar of every page
    assert "数据截至 2025年11月20日" in [c.value for c in at.sidebar.caption]


def test_a_whole_file_whose_text_mentions_the_note_column_still_replaces(db):
    upload = csv(*T1_MEMBERS[:3], "M9,问题说明,O4,女,1992-02-02,2016-07-01,否")  # a name, not a header
    preview = s.prepare(db, "T1", [upload], mode="replace")
    assert preview.files[0].mode == "replace" and preview.files[0].removed == 2  # M4 and M6
    s.cancel(preview)


def _import_page(db, monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_PATH", str(db))
    monkeypatch.setenv("AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/data_import.py").run()
    return at.selectbox(key="import_town").set_value("T1").run()


def test_the_page_shows_a_refusal_in_the_open_with_what_to_do(db, monkeypatch, tmp_path):
    at = _import_page(db, monkeypatch, tmp_path)
    at.file_uploader(key="import_files_0").set_value(("随便.csv", "甲,乙\n1,2\n".encode(), "text/csv")).run()
    next(b for b in at.button if b.proto.label == "检查").click().run()
    assert not at.exception
    assert [e.value for e in at.main.error] == [
        "未提交，现有数据保持不变。文件“随便.csv”的表头与任何模板都不符"
        "（可提交：党组织、党员、公开承诺、先锋表彰、年度考核），请使用下载的模板。"
    ]
    assert all(not box.error for box in [*at.expander, *at.status])  # in the open, not in a collapsed box
    assert not [b for b in at.button if b.proto.label == "发布"]


def test_the_page_publishes_a_replacement_only_after_the_second_confirmation(db, monkeypatch, tmp_path):
    """T1's 2025 awards replaced by a file holding A6 alone: A5 (2025) goes, A1–A3 (2024) stay."""
    at = _import_page(db, monkeypatch, tmp_path)
    at.radio(key="import_mode_0").set_value("replace").run()
    awards = "表彰编号,年度,先锋类别,党员编号,组织编码,表彰级别,表彰日期\nA6,2025,学习先锋,M1,O3,镇级,2025-07-01\n"
    at.file_uploader(key="import_files_0").set_value(("表彰.csv", awards.encode(), "text/csv")).run()
    next(b for b in at.button if b.proto.label == "检查").click().run()
    assert {m.label: m.value for m in at.metric}["删除"] == "1"
    assert at.warning[-1].value.startswith("发布后将删除东关镇现有的 1 条记录：先锋表彰 2025 年 1 条。")
    removal = next(d for d in at.dataframe if "删除原因" in d.value.columns).value
    assert list(removal["编号"]) == ["A5"] and list(removal["删除原因"]) == ["不在整表替换的文件中"]
    publish = next(b for b in at.button if b.proto.label == "发布")
    assert publish.disabled
    at.checkbox[0].check().run()
    next(b for b in at.button if b.proto.label == "发布").click().run()
    assert not at.exception and "已发布" in at.success[0].value
    assert rows(db, "select award_id from awards where award_id <> 'A4' order by 1") == [
        ("A1",),
        ("A2",),
        ("A3",),
        ("A6",),
    ]
    assert at.radio(key="import_mode_1").value == "merge"  # the next upload adds again by default
