"""The 数据导入 page's pieces: templates, a preview a clerk reads in their own terms, the history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.times import TIME_COLUMN, beijing_time
from etl import submissions  # noqa: F401  (the page's way to the write side: pages import no etl)
from etl.contract import FILES
from etl.load import ROOT
from etl.readers import LoadRefused  # noqa: F401
from etl.submissions import SUBMITTABLE, FilePreview, Preview, rejects_workbook
from ui.page import XLSX

TEMPLATES = ROOT / "data" / "templates"
MODES = {"replace": "整表替换：本乡镇这一类数据以此文件为准", "merge": "补充修正：按编号新增或更新，不删除其他记录"}
REJECT_COLUMNS = {"row_number": "行号", "column_name": "列", "value": "填写的值", "reason": "问题"}


def template_buttons() -> None:
    """The blank XLSX templates (with a 填写说明 sheet) of the five files a township submits."""
    for column, kind in zip(st.columns(len(SUBMITTABLE)), SUBMITTABLE, strict=True):
        label = FILES[kind].label
        column.download_button(
            f"{label}模板",
            (TEMPLATES / f"{kind}.xlsx").read_bytes(),
            f"{label}模板.xlsx",
            XLSX,
            key=f"template-{kind}",
            icon=":material/download:",
            width="stretch",
        )


def show_file(preview: FilePreview, town_name: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{preview.file}** · {preview.label} · {MODES[preview.mode]}")
        cells = st.columns(6)
        for cell, (label, value) in zip(
            cells,
            [
                ("读取行数", preview.rows_read),
                ("将入库", preview.rows_loaded),
                ("有问题", preview.rows_rejected),
                ("新增", preview.added),
                ("修改", preview.changed),
                ("删除", preview.removed),
            ],
            strict=True,
        ):
            cell.metric(label, f"{value:,}")
        if preview.removed and preview.mode == "replace":
            st.warning(f"发布后，{town_name}现有的 {preview.removed} 条{preview.label}记录将被删除（不在此文件中）。")
        if preview.rejects.height:
            shown = preview.rejects.select([pl.col(c).alias(label) for c, label in REJECT_COLUMNS.items()])
            st.dataframe(shown, hide_index=True, width="stretch")
            st.download_button(
                f"下载有问题的 {preview.rows_rejected} 行（XLSX，含问题说明）",
                lambda: rejects_workbook(preview),  # written on the click, not on every rerun
                f"{preview.label}-问题行-{town_name}.xlsx",
                XLSX,
                on_click="ignore",
                key=f"rejects-{preview.file}",
                icon=":material/download:",
                help="在 Excel 或 WPS 中按“问题说明”改好后，直接上传这个文件即可（只更新这些行）",
            )


def show(preview: Preview) -> None:
    for file in preview.files:
        show_file(file, preview.town_name)
    if preview.lost.height:
        st.warning(
            f"因本次提交，{preview.town_name}现有的 {preview.lost.height} 条记录将无法入库"
            "（例如所属组织被删除），请一并修正后再发布："
        )
        columns = {"file": "数据", "record": "记录（编号）", "column_name": "列", "value": "值", "reason": "问题"}
        st.dataframe(preview.lost.select([pl.col(c).alias(v) for c, v in columns.items()]), hide_index=True)


def history_table(entries: list[dict], names: dict[str, str]) -> pl.DataFrame:
    rows = []
    for e in entries:
        if e["event"] == "rollback":
            rows.append(
                {
                    TIME_COLUMN: beijing_time(e["at"]),
                    "操作": f"回滚到 {e['to']}",
                    "乡镇": "",
                    "提交人": e["who"],
                    "文件": "",
                }
            )
            continue
        files = "；".join(
            f"{f['file']}（{f['rows_read']} 行，入库 {f['rows_loaded']}，问题 {f['rows_rejected']}，"
            f"SHA-256 {f['sha256'][:12]}…）"
            for f in e["files"]
        )
        rows.append(
            {
                TIME_COLUMN: beijing_time(e["at"]),
                "操作": f"{'全量装载' if e['event'] == 'load' else '提交'} {e['load_id']}",
                "乡镇": names.get(e["town_id"], e["town_id"]) if e["town_id"] else "全部",
                "提交人": e["who"],
                "文件": files,
            }
        )
    return pl.DataFrame(rows)
