"""Blank input templates a clerk downloads: XLSX with Chinese headers and a 填写说明 sheet, and CSV.

The XLSX carries Excel's own data validation, so the spreadsheet helps before the loader has to
refuse: a drop-down list for every enumeration (and 是 / 否), dates between 1900 and 2100 in date
cells shown as dates, whole numbers for years and counts. Headers are the Chinese labels alone; the
English column names stay accepted on input and are listed in 填写说明.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.contract import FILES, Column, enum_choices

KIND_WORDS = {
    "id": "编码（文字或数字）",
    "name": "名称",
    "text": "文字",
    "int": "整数",
    "count": "非负整数",
    "date": "日期",
    "bool": "是 / 否",
    "enum": "从下拉列表中选填",
}
ROWS_VALIDATED = 5000  # data rows that carry the drop-down lists and checks (a town's file is far smaller)
YEARS = (2000, 2100)  # as the validator accepts (etl.validate.YEARS)


def choices(column: Column) -> list[str] | None:
    """The values of a drop-down list for a column, in the Chinese a clerk picks; None if free."""
    if column.kind == "bool":
        return ["是", "否"]
    if column.kind == "enum":
        return enum_choices(column.enum).split(" / ")
    return None


def _validation(column: Column) -> dict | None:
    """xlsxwriter's data_validation options for one column (Chinese prompts and errors)."""
    label = column.label
    listed = choices(column)
    if listed is not None:
        return {
            "validate": "list",
            "source": listed,
            "input_title": label,
            "input_message": "请从下拉列表中选择"[:255],
            "error_title": f"{label}填写有误",
            "error_message": f"请从下拉列表中选择：{'、'.join(listed)}"[:255],
        }
    if column.kind == "date":
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_title": f"{label}填写有误",
            "error_message": "请填写真实存在的日期，如 2026-03-05（不存在的日期如 11 月 31 日无法填写）。",
        }
    if column.name == "year":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": YEARS[0],
            "maximum": YEARS[1],
            "error_title": "年度填写有误",
            "error_message": f"年度为 {YEARS[0]} 至 {YEARS[1]} 之间的四位整数，如 2026。",
        }
    if column.kind in ("int", "count"):
        return {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "error_title": f"{label}填写有误",
            "error_message": "请填写非负整数。",
        }
    return None


def write_templates(out: Path) -> list[Path]:
    """One `<kind>.xlsx` and one `<kind>.csv` (UTF-8 with BOM, opens in Excel) per input file."""
    import xlsxwriter

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, spec in FILES.items():
        csv_path = out / f"{kind}.csv"
        csv_path.write_text(",".join(c.label for c in spec.columns) + "\n", encoding="utf-8-sig")
        xlsx_path = out / f"{kind}.xlsx"
        book = xlsxwriter.Workbook(str(xlsx_path))
        head = book.add_format({"bold": True, "bg_color": "#F6F1EC", "border": 1})
        required = book.add_format({"bold": True, "bg_color": "#F9D9D9", "border": 1})
        text = book.add_format({"num_format": "@"})  # codes keep their leading zeros
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        number = book.add_format({"num_format": "0"})
        sheet = book.add_worksheet(spec.label)
        for i, col in enumerate(spec.columns):
            sheet.write(0, i, col.label, required if col.required else head)
            cells = date if col.kind == "date" else number if col.kind in ("int", "count") else text
            sheet.set_column(i, i, max(12, len(col.label) * 2 + 4), cells)
            rule = _validation(col)
            if rule is not None:
                sheet.data_validation(1, i, ROWS_VALIDATED, i, rule)
        sheet.freeze_panes(1, 0)
        guide = book.add_worksheet("填写说明")
        guide.set_column(0, 0, 18)
        guide.set_column(1, 1, 16)
        guide.set_column(2, 2, 8)
        guide.set_column(3, 3, 70)
        guide.write_row(0, 0, ["表头", "英文列名（也可作表头）", "必填", "填写要求"], head)
        for r, col in enumerate(spec.columns, start=1):
            listed = choices(col)
            rule = KIND_WORDS[col.kind] + (f"：{' / '.join(listed)}" if listed else "")
            if col.note and col.kind != "enum":
                rule += "：" + col.note
            guide.write_row(r, 0, [col.label, col.name, "是" if col.required else "", rule])
        notes = [
            "表头可用中文或英文列名；表头上方可以有标题行。",
            "日期可写作 2024-03-05、2024年3月5日、2024.3.5、2024/3/5，或使用 Excel 日期格式。",
            "带下拉列表的列请从列表中选择；日期列只接受真实存在的日期。",
            "CSV 文件请保存为 UTF-8 或 GB18030（GBK 无法保存部分生僻字）编码。",
            "上传时默认“补充修正”：按编号新增或更新，不删除其他记录。只报送本月新增的记录即可。",
            "有问题的行不会入库，会连同行号、列和原因列入拒收记录，修改后重新提交即可。",
        ]
        for i, note in enumerate(notes, start=len(spec.columns) + 2):
            guide.write(i, 0, note)
        book.close()
        written += [csv_path, xlsx_path]
    return written
