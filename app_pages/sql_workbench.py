"""SQL 工作台: ad-hoc queries for analysts, in the sandbox, with the schema, examples and history
(the pieces in ui/sql_view.py and workbench/)."""

import datetime as dt

import plotly.express as px
import streamlit as st

from access import audit, session
from ui import chart_view, sql_view
from ui.app_data import sandbox
from ui.page import XLSX, download_file, town_names
from workbench import queries as workbench
from workbench.sandbox import QueryFailed, QueryRefused

access = session.current()
WHO = access.who
st.title("SQL 工作台")
# SQL reads best in a fixed-width face; the CJK font the machine has covers the Chinese in it.
st.markdown(
    "<style>textarea{font-family:'Noto Sans Mono CJK SC','DejaVu Sans Mono',monospace !important}</style>",
    unsafe_allow_html=True,
)
names = town_names()
if access.town_id is not None:
    # A township account's sandbox holds its own town's rows only; there is no choice to make.
    scope = access.town_id
    st.sidebar.caption(f"数据范围：{names.get(scope, scope)}（本乡镇）")
else:
    scope = st.sidebar.selectbox(
        "数据范围", [None, *names], format_func=lambda t: "全部乡镇" if t is None else names[t], key="sql_scope"
    )
box = sandbox(scope)
state = st.session_state
history = state.setdefault("sql_history", [])
examples = workbench.examples()

sql_view.schema_browser(box.catalog)
sql_view.example_picker(examples)
with st.form("sql_form"):
    text = st.text_area("查询（只读；一次一条语句；Ctrl+Enter 运行）", key=sql_view.TEXT, height=200)
    submitted = st.form_submit_button("运行", type="primary")

if submitted or state.pop(sql_view.RERUN, False):  # the button, or 再次运行 in the history
    text = state.get(sql_view.TEXT, "")
    try:
        result = workbench.run_query(box, text, who=WHO, source="workbench")
    except (QueryRefused, QueryFailed) as problem:
        sql_view.record(history, text, str(problem).splitlines()[0])
        state.pop("sql_result", None)  # an old table under a refusal would read as its result
        sql_view.show_problem(str(problem))
    else:
        sql_view.record(history, text, f"{result.rows} 行")
        state["sql_result"] = result
        state["sql_result_text"] = text
        state["sql_result_at"] = dt.datetime.now()

result = state.get("sql_result")
if result is not None:
    st.caption(f"{result.rows:,} 行 · {result.elapsed_s * 1000:.0f} 毫秒")
    if result.cut:
        st.warning(f"结果超过 {box.limits.max_rows:,} 行，只显示并下载前 {box.limits.max_rows:,} 行。请加条件或汇总。")
    frame = workbench.dates_as_dates(result.frame)
    st.dataframe(frame, width="stretch", hide_index=True)
    # A query result may hold members' names: every download of one is logged, with its query.
    for column, (fmt, mime) in zip(
        st.columns(3), (("csv", "text/csv"), ("xlsx", XLSX), ("parquet", "application/octet-stream")), strict=True
    ):
        name = workbench.download_name(state.get("sql_result_text", ""), examples, state["sql_result_at"], fmt)
        column.download_button(
            f"下载 {fmt.upper() if fmt != 'parquet' else 'Parquet'}",
            download_file(frame, fmt),
            name,
            mime,
            on_click=audit.record,
            args=("download",),
            kwargs={
                "who": WHO,
                "file": name,
                "rows": result.rows,
                "town": scope,
                "sql": state.get("sql_result_text", ""),
            },
        )
    numeric = [c for c, t in frame.schema.items() if t.is_numeric()]
    if numeric and frame.width > 1:
        with st.expander("快速图表"):
            x = st.selectbox("横轴", frame.columns, key="chart_x")
            y = st.selectbox("纵轴", numeric, index=len(numeric) - 1, key="chart_y")
            kind = st.radio("图形", ["柱状图", "折线图"], horizontal=True, key="chart_kind")
            draw = px.bar if kind == "柱状图" else px.line
            chart_view.show(draw(frame, x=x, y=y))

sql_view.history_list(history)
