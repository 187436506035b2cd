"""审计日志: sign-ins, downloads of tables with members' names, and SQL queries, for 县级 accounts."""

import streamlit as st

from access import audit, session

session.require(session.current().can_read_audit, "审计日志（仅县级账号）")
st.title("审计日志")
entries = audit.recent(limit=2000)
if not entries:
    st.info("审计日志中还没有记录。")
    st.stop()
kinds = st.multiselect(
    "事件", list(audit.EVENTS), default=list(audit.EVENTS), format_func=audit.EVENTS.get, key="audit_kinds"
)
who = st.text_input("用户（包含）", key="audit_who").strip()
rows = audit.rows(entries, kinds, who)
st.caption(f"最近 {len(entries)} 条中符合条件的 {rows.height} 条，新的在前。")
st.dataframe(rows, hide_index=True, width="stretch")
