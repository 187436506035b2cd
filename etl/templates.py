"""Blank input templates a clerk downloads: XLSX with Chinese headers and a 填写说明 sheet, and CSV."""

from __future__ import annotations

from pathlib import Path

from etl.contract import FILES

KIND_WORDS = {
    "id": "编码（文字或数字）",
    "name": "名称",
    "text": "文字",
    "int": "整数",
    "count": "非负整数",
    "date": "日期",
    "bool": "是 / 否",
    "enum": "从给定选项中选填",
}


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
        sheet = book.add_worksheet(spec.label)
        for i, col in enumerate(spec.columns):
            sheet.write(0, i, col.label, required if col.required else head)
            sheet.set_column(i, i, max(12, len(col.label) * 2 + 4), book.add_format({"num_format": "@"}))
        sheet.freeze_panes(1, 0)
        guide = book.add_worksheet("填写说明")
        guide.set_column(0, 0, 18)
        guide.set_column(1, 1, 16)
        guide.set_column(2, 2, 8)
        guide.set_column(3, 3, 70)
        guide.write_row(0, 0, ["表头", "英文列名", "必填", "填写要求"], head)
        for r, col in enumerate(spec.columns, start=1):
            rule = KIND_WORDS[col.kind] + ("：" + col.note if col.note else "")
            guide.write_row(r, 0, [col.label, col.name, "是" if col.required else "", rule])
        notes = [
            "表头可用中文或英文列名；表头上方可以有标题行。",
            "日期可写作 2024-03-05、2024年3月5日、2024.3.5、2024/3/5，或使用 Excel 日期格式。",
            "CSV 文件请保存为 UTF-8 或 GB18030（GBK 无法保存部分生僻字）编码。",
            "有问题的行不会入库，会连同行号、列和原因列入拒收记录，修改后重新提交即可。",
        ]
        for i, note in enumerate(notes, start=len(spec.columns) + 2):
            guide.write(i, 0, note)
        book.close()
        written += [csv_path, xlsx_path]
    return written
