"""SQL 工作台: ad-hoc queries for analysts, in the sandbox, with the schema, examples and history."""

import plotly.express as px
import streamlit as st

from access import audit, session
from ui import chart_view
from ui.app_data import sandbox
from ui.page import XLSX, exports, town_names
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
history = st.session_state.setdefault("sql_history", [])

catalog = {r.name: r for r in box.catalog}
browsed = st.sidebar.selectbox(
    "表和视图", list(catalog), format_func=lambda n: f"{n}（{catalog[n].kind}）", key="sql_browse"
)
if browsed:
    relation = catalog[browsed]
    st.sidebar.caption(relation.comment)
    st.sidebar.dataframe(
        {"列": [c[0] for c in relation.columns], "说明": [c[2] or c[1] for c in relation.columns]},
        hide_index=True,
        width="stretch",
    )

examples = workbench.examples()
chosen = st.selectbox(
    "示例查询",
    [None, *range(len(examples))],
    format_func=lambda i: "（选择一个示例）" if i is None else examples[i].title,
    key="sql_example_choice",
)
if chosen is not None and st.session_state.get("sql_example") != chosen:
    st.session_state["sql_example"] = chosen
    st.session_state["sql_text"] = examples[chosen].sql

with st.form("sql_form"):
    text = st.text_area("查询（只读；一次一条语句；Ctrl+Enter 运行）", key="sql_text", height=200)
    submitted = st.form_submit_button("运行", type="primary")

if submitted:
    try:
        result = workbench.run_query(box, text, who=WHO, source="workbench")
    except (QueryRefused, QueryFailed) as problem:
        history.insert(0, {"查询": text, "结果": str(problem)})
        st.session_state.pop("sql_result", None)  # an old table under a refusal would read as its result
        st.error(str(problem))
    else:
        history.insert(0, {"查询": text, "结果": f"{result.rows} 行"})
        st.session_state["sql_result"] = result
        st.session_state["sql_result_text"] = text

result = st.session_state.get("sql_result")
if result is not None:
    st.caption(f"{result.rows:,} 行 · {result.elapsed_s * 1000:.0f} 毫秒")
    if result.cut:
        st.warning(f"结果超过 {box.limits.max_rows:,} 行，只显示并下载前 {box.limits.max_rows:,} 行。请加条件或汇总。")
    st.dataframe(result.frame, width="stretch", hide_index=True)
    files = exports(result.frame)
    # A query result may hold members' names: every download of one is logged, with its query.
    for column, (fmt, mime) in zip(
        st.columns(3), (("csv", "text/csv"), ("xlsx", XLSX), ("parquet", "application/octet-stream")), strict=True
    ):
        column.download_button(
            f"下载 {fmt.upper() if fmt != 'parquet' else 'Parquet'}",
            files[fmt],
            f"查询结果.{fmt}",
            mime,
            on_click=audit.record,
            args=("download",),
            kwargs={
                "who": WHO,
                "file": f"查询结果.{fmt}",
                "rows": result.rows,
                "town": scope,
                "sql": st.session_state.get("sql_result_text", ""),
            },
        )
    numeric = [c for c, t in result.frame.schema.items() if t.is_numeric()]
    if numeric and result.frame.width > 1:
        with st.expander("快速图表"):
            x = st.selectbox("横轴", result.frame.columns, key="chart_x")
            y = st.selectbox("纵轴", numeric, index=len(numeric) - 1, key="chart_y")
            kind = st.radio("图形", ["柱状图", "折线图"], horizontal=True, key="chart_kind")
            draw = px.bar if kind == "柱状图" else px.line
            chart_view.show(draw(result.frame, x=x, y=y))

if history:
    with st.expander(f"本次会话的查询记录（{len(history)} 条）"):
        st.dataframe(history, hide_index=True, width="stretch")
