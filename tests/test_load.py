import csv
import datetime as dt
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.load import load
from etl.readers import LoadRefused
from tests.conftest import AS_OF, table_rows

DATA_TABLES = ("towns", "orgs", "members", "pledges", "awards", "assessments")


def test_the_tiny_fixture_loads_every_row(tiny_db):
    counts = {t: len(table_rows(tiny_db, t)) for t in DATA_TABLES}
    assert counts == {"towns": 2, "orgs": 6, "members": 6, "pledges": 12, "awards": 5, "assessments": 2}
    assert table_rows(tiny_db, "rejects") == []


def test_values_are_stored_canonically(tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    org = con.sql("select org_level, branch_type from orgs where org_id = 'O3'").fetchall()
    pledge = con.sql(
        "select review_status, fulfilment_status, check_opinions from pledges where pledge_id = 'P5'"
    ).fetchall()
    member = con.sql("select name, joined_on, is_committee from members where member_id = 'M5'").fetchall()
    con.close()
    assert org == [("branch", "village")]
    assert pledge == [("退回修改", "未开始", False)]  # an empty 践诺状态 means not started
    assert member == [("刘䶮", dt.date(2005, 7, 1), False)]


def test_the_load_record_names_each_file_with_its_checksum_and_counts(tiny_dir, tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    (files, read, loaded, rejected, as_of) = con.sql(
        "select files, rows_read, rows_loaded, rows_rejected, as_of from loads"
    ).fetchall()[0]
    con.close()
    by_kind = {f["kind"]: f for f in files}
    expected_sha = hashlib.sha256((tiny_dir / "pledges.csv").read_bytes()).hexdigest()
    assert by_kind["pledges"]["sha256"] == expected_sha
    assert (by_kind["pledges"]["rows_read"], by_kind["pledges"]["rows_loaded"]) == (12, 12)
    assert (read, loaded, rejected) == (33, 33, 0)
    assert by_kind["criteria"]["rows_loaded"] == 13  # the default standard's thirteen items
    assert as_of == AS_OF


def test_bad_rows_land_in_rejects_and_the_rest_loads(tiny_dir, tmp_path):
    path = tiny_dir / "members.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("M2,李四,O3", "M2,李四,O404"), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = load(tiny_dir, db, as_of=AS_OF)
    rejects = table_rows(db, "rejects")
    assert [(r[1], r[2], r[3], r[4]) for r in rejects] == [
        ("members.csv", 3, "所在组织编码(org_id)", "O404"),
        ("pledges.csv", 6, "党员编号(member_id)", "M2"),  # P5 was M2's pledge
    ]
    assert all(r[0] == result.load_id for r in rejects)
    assert len(table_rows(db, "members")) == 5
    for checked in result.checked.values():
        assert checked.rows_read == checked.rows_loaded + checked.rows_rejected


def _write_messy(clean: Path, messy: Path) -> None:
    """The same records as offices really send them: other encodings, title rows, Chinese dates,
    full-width digits, stray spaces, English headers and codes, Excel date cells."""
    messy.mkdir()

    def rows(name: str) -> list[list[str]]:
        with (clean / name).open(encoding="utf-8") as fh:
            return list(csv.reader(fh))

    towns = rows("towns.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["示范县乡镇名单"])
    sheet.merge_cells("A1:C1")
    for r in towns:
        sheet.append(r)
    book.save(messy / "towns.xlsx")

    orgs = rows("orgs.csv")
    orgs[0] = ["org_id", "org_name", "town_id", "parent_org_id", "org_level", "branch_type"]
    for r in orgs[1:]:
        r[5] = r[5].replace("(", "（").replace(")", "）")
    text = "\n".join(",".join(r) for r in orgs) + "\n"
    (messy / "orgs.csv").write_bytes(text.encode("gb18030"))

    members = rows("members.csv")
    for r in members[1:]:
        y, m, d = (int(x) for x in r[5].split("-"))
        r[5] = f"{y}年{m}月{d}日"
        r[4] = r[4].replace("-", ".")
        r[1] = " " + r[1][0] + "  " + r[1][1:] + "\u3000"
        r[0] = r[0].replace("1", "１")  # full-width digit in the id
    text = "\n".join(",".join(r) for r in members) + "\n"
    (messy / "members.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    pledges = rows("pledges.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东关镇、西湖乡公开承诺汇总表"])
    sheet.append(pledges[0])
    for r in pledges[1:]:
        cells: list[object] = list(r)
        cells[1] = int(r[1])
        cells[7] = dt.date.fromisoformat(r[7])  # a real Excel date cell
        cells[8] = r[8].replace("-", "/")
        cells = [None if c == "" else c for c in cells]
        sheet.append(cells)
    book.save(messy / "pledges.xlsx")

    awards = rows("awards.csv")
    awards[0] = ["award_id", "year", "vanguard_kind", "member_id", "org_id", "level", "awarded_on"]
    codes = {
        "学习先锋": "study",
        "服务先锋": "service",
        "和谐先锋": "harmony",
        "廉洁先锋": "integrity",
        "兴业先锋": "enterprise",
    }
    for r in awards[1:]:
        r[2] = codes[r[2]]
        r[6] = r[6].replace("-", "")
    (messy / "awards.csv").write_text("\n".join(",".join(r) for r in awards) + "\n", encoding="utf-8")

    assessments = rows("assessments.csv")
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    for r in assessments[1:]:
        r[3:] = [f" {v.translate(full)} " for v in r[3:]]
    (messy / "assessments.csv").write_text("\n".join(",".join(r) for r in assessments) + "\n", encoding="utf-8")


def test_messy_office_files_load_to_the_same_tables_as_clean_ones(tiny_dir, tmp_path):
    messy = tmp_path / "messy"
    _write_messy(tiny_dir, messy)
    clean_db, messy_db = tmp_path / "clean.duckdb", tmp_path / "messy.duckdb"
    load(tiny_dir, clean_db, as_of=AS_OF)
    result = load(messy, messy_db, as_of=AS_OF)
    assert result.rejects.height == 0, result.rejects.rows()
    for table in DATA_TABLES:
        assert table_rows(messy_db, table) == table_rows(clean_db, table), table


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "members.csv").unlink(), "缺少“党员”文件"),
        (lambda d: (d / "pledges.csv").write_bytes(b"\xff\xfe\x00\xd8\x00\xd8" * 3), "pledges.csv"),
        (lambda d: (d / "awards.csv").write_text("表彰编号,年度\nA1,2024\n", encoding="utf-8"), "缺少必需的列"),
        (lambda d: (d / "towns.csv").write_bytes(b""), "空文件"),
        (lambda d: (d / "orgs.xlsx").write_text("not a spreadsheet", encoding="utf-8"), "有多个文件"),
    ],
)
def test_a_refused_load_leaves_the_live_warehouse_byte_identical(tiny_dir, tmp_path, damage, message):
    db = tmp_path / "live.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    before = db.read_bytes()
    damage(tiny_dir)
    with pytest.raises(LoadRefused) as refused:
        load(tiny_dir, db, as_of=AS_OF)
    assert message in str(refused.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".live")) == [".live.duckdb.lock"]


def test_cli_refusal_is_a_chinese_message_exit_2_and_no_traceback(tiny_dir, tmp_path):
    (tiny_dir / "towns.csv").unlink()
    run = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(tiny_dir), "--db", str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert run.returncode == 2
    assert "装载被拒绝，现有仓库保持不变" in run.stderr and "乡镇" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_loading_the_same_files_twice_gives_the_same_content_and_keeps_the_history(tiny_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    first = {t: table_rows(db, t) for t in DATA_TABLES}
    load(tiny_dir, db, as_of=AS_OF)
    assert {t: table_rows(db, t) for t in DATA_TABLES} == first
    assert len(table_rows(db, "loads")) == 2


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.sql("select count(*) from members").fetchall()[0][0], flush=True)
    sys.stdin.readline()  # hold the file open while the test loads a new version
    print(con.sql("select count(*) from members").fetchall()[0][0], flush=True)
    """
)


def test_a_load_publishes_while_a_reader_holds_the_live_file_and_the_reader_keeps_the_old_data(tiny_dir, tmp_path):
    db = tmp_path / "live.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "6"
        members = tiny_dir / "members.csv"
        members.write_text(members.read_text(encoding="utf-8") + "M7,孙八,O6,女,1990-01-01,2020-07-01,否\n", "utf-8")
        load(tiny_dir, db, as_of=AS_OF)  # must not block on, or be blocked by, the reader
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "6"  # the reader still sees its version whole
    finally:
        reader.kill()
        reader.wait()
    assert len(table_rows(db, "members")) == 7  # a new reader sees the new version


def test_every_table_and_column_has_a_chinese_comment(tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    tables = con.sql("select table_name, comment from duckdb_tables() where database_name = 'warehouse'").fetchall()
    columns = con.sql(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = 'warehouse' and (comment is null or comment = '')"
    ).fetchall()
    views = con.sql(
        "select view_name, comment from duckdb_views() where database_name = 'warehouse' and not internal"
    ).fetchall()
    con.close()
    assert {t for t, _ in tables} >= {*DATA_TABLES, "loads", "rejects", "criteria", "indicators"}
    assert {v for v, _ in views} >= {"v_pledge_fulfilment", "v_readiness", "v_town_comparison", "v_pledge_progress"}
    assert [t for t, c in tables + views if not c] == []
    assert columns == []


def test_the_file_is_written_in_a_storage_version_older_readers_open(tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    tags = con.sql("select tags from duckdb_databases() where database_name = 'warehouse'").fetchall()[0][0]
    con.close()
    assert tags["storage_version"].startswith("v1.4.0")


def test_a_file_checked_in_batches_catches_keys_repeated_across_batches(tiny_dir, tmp_path, monkeypatch):
    # Batches of two rows: members' lines 2-3, 4-5, 6-7, 8-9. M2 (line 3) gets an impossible
    # date; lines 8 and 9 repeat M1 (line 2, good) and M2 (line 3, rejected) in a later batch.
    monkeypatch.setattr("etl.readers.BATCH_ROWS", 2)
    path = tiny_dir / "members.csv"
    text = path.read_text(encoding="utf-8").replace(
        "M2,李四,O3,女,1980-01-01,2010-07-01", "M2,李四,O3,女,1980-01-01,2010-02-30"
    )
    path.write_text(
        text + "M1,张三丰,O4,男,1970-01-01,2000-07-01,否\nM2,李四,O3,女,1980-01-01,2010-07-01,否\n", "utf-8"
    )
    db = tmp_path / "w.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    con = duckdb.connect(str(db), read_only=True)
    members = con.sql("select member_id, name, org_id from members order by member_id").fetchall()
    rejects = con.sql("select file, row_number, column_name, reason from rejects order by row_number").fetchall()
    columns = [c[0] for c in con.sql("describe members").fetchall()]
    con.close()
    # The first M1 stays; no M2 at all (its first line is bad, its copy is still a copy).
    assert members == [
        ("M1", "张三", "O3"),
        ("M3", "王五", "O4"),
        ("M4", "赵六", "O4"),
        ("M5", "刘䶮", "O6"),
        ("M6", "陈七", "O1"),
    ]
    assert [(r[0], r[1], r[2]) for r in rejects] == [
        ("members.csv", 3, "入党日期(joined_on)"),
        ("pledges.csv", 6, "党员编号(member_id)"),  # P5 is M2's pledge
        ("members.csv", 8, "党员编号(member_id)"),
        ("members.csv", 9, "党员编号(member_id)"),
    ]
    assert "与第 2 行相同" in rejects[2][3] and "与第 3 行相同" in rejects[3][3]
    assert "本身被拒收" in rejects[1][3]
    assert "source_row__" not in columns  # the loader's bookkeeping column is gone


def test_the_same_files_loaded_twice_in_one_second_get_two_ids(tiny_dir, tmp_path, monkeypatch):
    """A second load of the same files in the same second (another as-of date) is another version:
    it must not take the first one's id, its kept file or its history row."""
    from etl import load as loader

    frozen = dt.datetime(2026, 12, 1, 8, 0, 0)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return frozen.replace(tzinfo=tz)

    monkeypatch.setattr(loader.dt, "datetime", Clock)
    db = tmp_path / "w.duckdb"
    first = loader.load(tiny_dir, db, as_of=dt.date(2025, 11, 20)).load_id
    second = loader.load(tiny_dir, db, as_of=dt.date(2025, 6, 30)).load_id
    assert second == f"{first}-2"
    assert (loader.versions_dir(db) / f"{first}.duckdb").exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select load_id, as_of from loads order by load_id").fetchall()
    finally:
        con.close()
    assert rows == [(first, dt.date(2025, 11, 20)), (second, dt.date(2025, 6, 30))]


def test_a_batch_that_cannot_be_written_refuses_the_load_as_a_full_disk(tiny_dir, tmp_path, monkeypatch):
    # Batches of two rows: writing the second batch of pledges into the new file fails as a full disk
    # does, half-way through a file. The load must refuse with the disk-full message, stop reading,
    # and leave the live file as it was with no building file behind.
    import errno

    import etl.load as load_module

    db = tmp_path / "w.duckdb"
    load(tiny_dir, db, as_of=AS_OF)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    monkeypatch.setattr("etl.readers.BATCH_ROWS", 2)
    written = []
    insert = load_module._insert_frame

    def failing(con, table, frame):
        if table == "pledges":
            written.append(frame.height)
            if len(written) == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        insert(con, table, frame)

    monkeypatch.setattr(load_module, "_insert_frame", failing)
    with pytest.raises(LoadRefused, match="磁盘空间不足"):
        load(tiny_dir, db, as_of=AS_OF)
    assert written == [2, 2]  # the batch after the failed one was never written
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if ".building-" in p.name] == []
