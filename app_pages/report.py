"""工作总结: the draft work summary of the chosen town and year, previewed, with Word, PDF and the handout."""

import streamlit as st

from analytics.report import NoReportData, work_summary
from analytics.report.pdf import FontsMissing, missing_glyphs
from analytics.report.render import DOCX_MIME, PDF_MIME
from ui.app_data import query
from ui.page import start
from ui.report_preview import escape, handout_bytes, show, summary_bytes, version

chosen = start("工作总结", tables=False)
town, year = chosen.town, chosen.year
try:
    report = work_summary(query, town["town_id"], year)
except NoReportData as nothing:
    st.info(str(nothing))
    st.stop()

st.caption(
    "根据仓库数据自动起草，结构同示范单位申报的工作总结；每个数字的来源见文末附录。"
    "标黄处是只有党委才能写的内容（指导思想、具体做法和事例），下载后在 Word 或 WPS 中补写。"
)
v, town_id, stem = version(), report.town_id, report.file_stem()
FILES = [  # label, made on click, file name, type, icon, what it is
    ("下载 Word", lambda: summary_bytes(v, town_id, year, "docx"), f"{stem}.docx", DOCX_MIME,
     ":material/description:", "工作总结草稿（.docx），可在 Word 或 WPS 中修改"),
    ("下载 PDF", lambda: summary_bytes(v, town_id, year, "pdf"), f"{stem}.pdf", PDF_MIME,
     ":material/picture_as_pdf:", "工作总结草稿（.pdf），字体已嵌入"),
    ("下载一页简报", lambda: handout_bytes(v, town_id, year), f"{report.file_stem('简报')}.pdf", PDF_MIME,
     ":material/summarize:", "一页 A4 会议简报（.pdf）：六个数字、两张图和标准对照"),
]  # fmt: skip
for column, (label, make, name, mime, icon, note) in zip(st.columns(len(FILES)), FILES, strict=True):
    column.download_button(
        label,
        lambda make=make: make().data,
        name,
        mime,
        on_click="ignore",  # nothing to rerun: the file is all the click is for
        icon=icon,
        key=f"report-{name}",
        help=note,
        width="stretch",
    )
try:
    missing = missing_glyphs(report.text())
except FontsMissing as fonts:
    st.warning(str(fonts))
else:
    if missing:
        st.warning(f"以下字符在 PDF 字体中没有，PDF 中将显示为空白，请在 Word 版中核对：{escape(' '.join(missing))}")
st.divider()
show(report)
