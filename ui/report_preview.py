"""The 工作总结 page's pieces: the report shown in Streamlit, and its files made once per warehouse version."""

from __future__ import annotations

import re

import polars as pl
import streamlit as st

from analytics.report import images, work_summary
from analytics.report.handout import handout
from analytics.report.model import Chart, Heading, Paragraph, Placeholder, Report, Table
from analytics.report.render import Rendered, handout_file, summary_file
from ui import chart_view
from ui.app_data import query, warehouse

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<])")


def escape(text: str) -> str:
    """Data text shown through st.markdown as written: an org named `**x**` or `[a](b)` stays literal."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def show(report: Report) -> None:
    """The report as the user will get it, block by block; placeholders highlighted as in the files."""
    st.markdown(f"### {escape(report.title)}")
    st.caption(escape(report.subtitle))
    for block in report.blocks:
        if isinstance(block, Heading):
            st.markdown(f"{'####' if block.level == 1 else '#####'} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            st.markdown(escape(block.text))
        elif isinstance(block, Placeholder):
            st.markdown(f":orange-background[{escape(block.text)}]")
        elif isinstance(block, Table):
            st.markdown(f"**{escape(block.caption)}**")
            frame = pl.DataFrame(block.rows, schema=block.columns, orient="row")
            st.dataframe(frame, hide_index=True, width="stretch")
            st.caption(block.source)
        elif isinstance(block, Chart):
            chart_view.show(block.figure)
            st.caption(f"{block.caption}（{block.source}）")
    with st.expander(f"附录：数据来源（{len(report.figures)} 个数字及其查询）"):
        st.dataframe(
            pl.DataFrame(
                [[f.number, f.label, f.text, f.sql()] for f in report.figures],
                schema=["序号", "指标", "数值", "查询"],
                orient="row",
            ),
            hide_index=True,
            width="stretch",
        )
    # The files' charts need Chromium: started once the preview is out (so it does not hold up the
    # page), it is ready by the first click.
    images.warm_up()


# Files take seconds (charts are drawn by Chromium); each is made on the first click and kept until
# the next publish, since the figures cannot change before then.
@st.cache_data(max_entries=32, show_spinner="正在生成文件……")
def summary_bytes(version: str, town_id: str, year: int, fmt: str) -> Rendered:
    return summary_file(work_summary(query, town_id, year), fmt)


@st.cache_data(max_entries=32, show_spinner="正在生成简报……")
def handout_bytes(version: str, town_id: str, year: int) -> Rendered:
    return handout_file(handout(query, town_id, year))


def version() -> str:
    return warehouse().version()
