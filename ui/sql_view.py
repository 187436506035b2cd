"""The SQL workbench page's pieces: the schema browser, the example picker that follows the editor,
errors with DuckDB's whole message, and a history whose entries run again on a click."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workbench import queries
from workbench.messages import split

TEXT = "sql_text"  # the editor's session key
PICKER = "sql_example_choice"
RERUN = "sql_rerun"
HISTORY_SHOWN = 20
FULL_TEXT_ROWS = 10  # up to this many search results also listed with their whole description


def schema_browser(catalog: list) -> None:
    """Every table and view column with its description (enumeration values included), searchable."""
    with st.expander("表、视图和列（可搜索）", icon=":material/table_view:"):
        search = st.text_input(
            "搜索", key="sql_schema_search", placeholder="表名、列名或说明中的词，如 兑现率、branch_type、逾期"
        )
        rows = queries.schema_rows(catalog, search)
        st.caption(f"{rows.height:,} 列" + (f"（共 {sum(len(r.columns) for r in catalog):,} 列）" if search else ""))
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            # the description first after the names: it is what a narrow screen must not cut
            column_order=["表或视图", "列", "说明", "类型"],
            column_config={"说明": st.column_config.TextColumn(width="large")},
        )
        if search and 0 < rows.height <= FULL_TEXT_ROWS:  # a few found: their descriptions whole, uncut
            st.markdown(
                "\n".join(
                    f"- `{r['表或视图']}.{r['列']}`（{r['类型']}）：{r['说明'] or '（无说明）'}"
                    for r in rows.iter_rows(named=True)
                )
            )


def _load_example(examples: list[queries.Example]) -> None:
    chosen = st.session_state.get(PICKER)
    if chosen is not None:
        st.session_state[TEXT] = examples[chosen].sql


def example_picker(examples: list[queries.Example]) -> None:
    """The picker shows the example the editor holds (none once the query is the analyst's own)."""
    st.session_state[PICKER] = queries.example_in(st.session_state.get(TEXT, ""), examples)
    st.selectbox(
        "示例查询",
        list(range(len(examples))),
        format_func=lambda i: examples[i].title,
        placeholder="（编辑器中是自己的查询；可选择一个示例）",
        key=PICKER,
        on_change=_load_example,
        args=(examples,),
    )


def show_problem(message: str) -> None:
    """The Chinese part in the open; DuckDB's own text below it in a fixed-width face (its caret lines up)."""
    head, original = split(message)
    st.error(head.replace("\n", "  \n"), icon=":material/error:")
    if original:
        st.code(original, language=None, wrap_lines=True)


def record(history: list[dict], text: str, outcome: str) -> None:
    history.insert(0, {"at": dt.datetime.now().strftime("%H:%M:%S"), "sql": text, "outcome": outcome})


def _again(text: str) -> None:
    st.session_state[TEXT] = text
    st.session_state[RERUN] = True


def history_list(history: list[dict]) -> None:
    """This session's queries, newest first; 再次运行 puts one back in the editor and runs it."""
    if not history:
        return
    with st.expander(f"本次会话的查询记录（{len(history)} 条）", icon=":material/history:"):
        for i, entry in enumerate(history[:HISTORY_SHOWN]):
            text, button = st.columns([4, 1], vertical_alignment="center")
            first = " ".join(entry["sql"].split())
            text.markdown(f"`{entry['at']}` {entry['outcome']}")
            text.code(first[:300] + ("…" if len(first) > 300 else ""), language="sql", wrap_lines=True)
            button.button("再次运行", key=f"sql_again_{len(history) - i}", on_click=_again, args=(entry["sql"],))
