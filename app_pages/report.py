"""工作总结: the draft work summary of the chosen town and year, previewed, with Word, PDF and the handout."""

import streamlit as st

from analytics.app_data import query
from analytics.report import NoReportData, work_summary
from analytics.report.pdf import FontsMissing, missing_glyphs
from analytics.report.preview import escape, handout_bytes, show, summary_bytes, version
from analytics.ui import start

chosen = start("工作总结")
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
stem = report.file_stem()
v = version()
docx, pdf, sheet = st.columns(3)
docx.download_button(
    "下载 Word",
    lambda: summary_bytes(v, report.town_id, year, "docx").data,
    f"{stem}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    on_click="ignore",
    icon=":material/description:",
    key="report-docx",
    help="工作总结草稿（.docx），可在 Word 或 WPS 中修改",
    width="stretch",
)
pdf.download_button(
    "下载 PDF",
    lambda: summary_bytes(v, report.town_id, year, "pdf").data,
    f"{stem}.pdf",
    "application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="report-pdf",
    help="工作总结草稿（.pdf），字体已嵌入",
    width="stretch",
)
sheet.download_button(
    "下载一页简报",
    lambda: handout_bytes(v, report.town_id, year).data,
    f"{report.town_name}{year}年创先争优简报.pdf",
    "application/pdf",
    on_click="ignore",
    icon=":material/summarize:",
    key="report-handout",
    help="一页 A4 会议简报（.pdf）：六个数字、两张图和标准对照",
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
