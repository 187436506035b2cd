import openpyxl
import polars as pl
import pytest

from etl.contract import FILES
from etl.readers import LoadRefused, _gathered, open_table, read_table

MEMBERS_HEADER = "党员编号,姓名,所在组织编码,性别,出生日期,入党日期,是否班子成员\n"


def test_gb18030_csv_keeps_a_name_outside_gbk(tmp_path):
    path = tmp_path / "members.csv"
    text = MEMBERS_HEADER + "M1,刘䶮,O1,男,1975-01-01,2005-07-01,否\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")  # the point of the test: GBK cannot hold 䶮
    path.write_bytes(text.encode("gb18030"))
    frame = read_table(path, FILES["members"])
    assert frame["name"].to_list() == ["刘䶮"]
    assert frame["row_number"].to_list() == [2]


def test_utf8_with_bom_and_english_headers(tmp_path):
    path = tmp_path / "towns.csv"
    path.write_bytes("\ufefftown_id,Town_Name,county_name\nT1,东关镇,示范县\n".encode())
    frame = read_table(path, FILES["towns"])
    assert frame.select("town_id", "town_name", "county_name").rows() == [("T1", "东关镇", "示范县")]


def test_xlsx_with_a_merged_title_row_keeps_excel_row_numbers(tmp_path):
    path = tmp_path / "towns.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["示范县乡镇名单（2024年）"])
    sheet.merge_cells("A1:C1")
    sheet.append(["乡镇编码", "乡镇名称", "所属县"])
    sheet.append(["T1", "东关镇", "示范县"])
    sheet.append([None, None, None])  # a blank row in the middle is not a record
    sheet.append(["T2", "西湖乡", "示范县"])
    book.save(path)
    frame = read_table(path, FILES["towns"])
    assert frame.select("row_number", "town_id").rows() == [(3, "T1"), (5, "T2")]


def test_xlsx_date_cells_become_iso_text(tmp_path):
    import datetime as dt

    path = tmp_path / "members.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MEMBERS_HEADER.strip().split(","))
    sheet.append(["M1", "张三", "O1", "男", dt.datetime(1970, 1, 1), dt.date(2000, 7, 1), "是"])
    book.save(path)
    frame = read_table(path, FILES["members"])
    assert frame.select("birth_date", "joined_on").rows() == [("1970-01-01", "2000-07-01")]


def test_csv_title_row_above_header_is_skipped_and_rows_numbered_as_in_the_file(tmp_path):
    path = tmp_path / "towns.csv"
    path.write_text("示范县乡镇名单,,\n乡镇编码,乡镇名称,所属县\nT1,东关镇,示范县\n", encoding="utf-8")
    frame = read_table(path, FILES["towns"])
    assert frame.select("row_number", "town_id").rows() == [(3, "T1")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("towns.csv", b"", "空文件"),
        ("towns.csv", "乡镇编码,乡镇名称\nT1,东关镇\n".encode(), "缺少必需的列：“所属县”"),
        ("towns.csv", "名称,地址\n东关镇,x\n".encode(), "找不到表头"),
        ("towns.csv", b"\x81\x30\xff\xfe\xff\x00\x80\x80", "无法识别编码"),
        ("towns.xlsx", "乡镇编码,乡镇名称,所属县\n".encode(), "不是有效的 XLSX"),
        ("towns.xls", b"whatever", "只接受 .csv 或 .xlsx"),
    ],
)
def test_unusable_files_are_refused_with_a_chinese_message_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadRefused) as refused:
        read_table(path, FILES["towns"])
    assert name in str(refused.value)
    assert message in str(refused.value)


def test_the_blank_templates_are_read_back_by_the_loader(tmp_path):
    from etl.templates import write_templates

    write_templates(tmp_path)
    for kind, spec in FILES.items():
        for suffix in (".csv", ".xlsx"):
            path = tmp_path / f"{kind}{suffix}"
            if suffix == ".csv":
                path.write_text(
                    path.read_text(encoding="utf-8-sig") + ",".join("x" * len(spec.columns)) + "\n", "utf-8-sig"
                )
                frame = read_table(path, spec)
                assert frame.columns == ["row_number", *spec.names] and frame.height == 1
            else:
                book = openpyxl.load_workbook(path)
                assert book.sheetnames == [spec.label, "填写说明"]
                assert [c.value for c in book.worksheets[0][1]] == [c.label for c in spec.columns]


def _members_rows(count: int, start: int = 1) -> str:
    return "".join(f"M{i},张{i},O1,男,1975-01-01,2005-07-01,否\n" for i in range(start, start + count))


def test_batches_number_rows_as_the_file_does_and_drop_blank_rows_wherever_they_fall(tmp_path):
    # Title line 1, header line 2, data from line 3; lines 5 and 8 are blank rows (commas only).
    path = tmp_path / "members.csv"
    blank = ",,,,,,\n"
    path.write_text("党员名册\n" + MEMBERS_HEADER + _members_rows(2) + blank + _members_rows(2, 3) + blank, "utf-8")
    with open_table(path, FILES["members"]) as table:
        batches = list(table.batches(rows=2))
    assert [b["row_number"].to_list() for b in batches] == [[3, 4], [6], [7]]
    assert [b["member_id"].to_list() for b in batches] == [["M1", "M2"], ["M3"], ["M4"]]


def test_gb18030_file_whose_first_megabyte_is_ascii_is_still_read(tmp_path):
    # The head decides only when it holds Chinese; 30,000 ASCII rows (1.2 MB) come first here.
    path = tmp_path / "members.csv"
    ascii_rows = "".join(f"M{i},Zhang,O1,M,1975-01-01,2005-07-01,N\n" for i in range(30_000))
    path.write_bytes(
        ("member_id,name,org_id,gender,birth_date,joined_on,is_committee\n" + ascii_rows).encode()
        + "X1,刘䶮,O1,男,1975-01-01,2005-07-01,否\n".encode("gb18030")
    )
    frame = read_table(path, FILES["members"])
    assert frame.height == 30_001
    assert frame["name"][-1] == "刘䶮"
    assert frame["row_number"][-1] == 30_002


def test_a_file_that_turns_from_utf8_to_another_encoding_is_refused(tmp_path):
    path = tmp_path / "members.csv"
    rows = _members_rows(40_000)  # 1.5 MB of UTF-8 with Chinese, then one row in GB18030
    path.write_bytes((MEMBERS_HEADER + rows).encode() + "X1,刘䶮,O1,男,1975-01-01,2005-07-01,否\n".encode("gb18030"))
    with pytest.raises(LoadRefused, match=r"members\.csv.*后面含有其他编码的字符"):
        read_table(path, FILES["members"])


def test_xlsx_rejects_name_excels_own_rows_below_blank_rows_and_a_merged_title(tiny_dir):
    """Rows 1–2 left blank, row 3 a title merged over A3:F3, row 4 the header, data from row 5.

    The tiny fixture's orgs.csv as a workbook laid out so (xlsxwriter writes nothing for rows 1–2,
    so a reader that starts at the sheet's first filled cell would count from the title):
      row 5 O1, row 6 O2, row 7 O3, row 8 blank (not a record), row 9 O4, row 10 O5,
      row 11 O6 with its 支部类型 left empty (a 党支部 must have one) → its reject names row 11.
    """
    import xlsxwriter

    from etl.load import find_input_files, validate_folder

    lines = (tiny_dir / "orgs.csv").read_text(encoding="utf-8").splitlines()
    (tiny_dir / "orgs.csv").unlink()
    header, *records = [line.split(",") for line in lines]
    records[-1][5] = ""  # O6, 西湖村党支部: 支部类型 emptied
    book = xlsxwriter.Workbook(str(tiny_dir / "orgs.xlsx"))
    sheet = book.add_worksheet()
    sheet.merge_range("A3:F3", "示范县基层党组织名册（2024年）")
    sheet.write_row(3, 0, header)  # row 4
    excel_row = 5
    for record in records:
        if record[0] == "O4":
            excel_row += 1  # row 8 stays blank
        sheet.write_row(excel_row - 1, 0, [v or None for v in record])
        excel_row += 1
    book.close()

    checked = validate_folder(find_input_files(tiny_dir))
    orgs = checked["orgs"]
    assert orgs.good.sort("org_id").select("row_number", "org_id").rows() == [
        (5, "O1"),
        (6, "O2"),
        (7, "O3"),
        (9, "O4"),
        (10, "O5"),
    ]
    assert orgs.rejects.select("row_number", "column_name").rows() == [(11, "支部类型(branch_type)")]


def test_a_file_neither_utf8_nor_gb18030_is_refused_and_leaves_no_copy_behind(tmp_path, monkeypatch):
    # The head is GB18030 (东关镇), so the file is copied to UTF-8 as it is decoded; 0xFF cannot
    # start a GB18030 character, so the copy fails past the first megabyte and must be removed.
    copies = tmp_path / "tmp"
    copies.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(copies))
    path = tmp_path / "towns.csv"
    good = "乡镇编码,乡镇名称,所属县\n" + "T1,东关镇,示范县\n" * 100_000
    path.write_bytes(good.encode("gb18030") + b"T2,\xff\xff,x\n")
    with pytest.raises(LoadRefused, match="无法识别编码"):
        read_table(path, FILES["towns"])
    assert list(copies.iterdir()) == []


def test_read_chunks_gathered_into_batches_in_order():
    """The streaming reader is asked for quarter batches (its read-ahead holds several); the checks
    get them joined: five one-row chunks asked in batches of two give 2, 2 and 1 rows, in order."""
    chunks = (pl.DataFrame({"row_number": [n]}) for n in range(2, 7))
    batches = list(_gathered(chunks, 2))
    assert [b["row_number"].to_list() for b in batches] == [[2, 3], [4, 5], [6]]
